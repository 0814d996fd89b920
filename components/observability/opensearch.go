package observability

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/opensearch"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/migration-kit/kit/components/network"
)

// openSearchTLSPolicy is TLS 1.2 at least, with forward-secret ciphers only.
const openSearchTLSPolicy = "Policy-Min-TLS-1-2-PFS-2023-10"

// openSearchSubnets picks the first non-public subnet of each of the first azCount AZs, in the order given.
// validate has checked there are enough.
func openSearchSubnets(subnets []network.Subnet, azCount int) []network.Subnet {
	var out []network.Subnet
	seen := map[string]bool{}
	for _, s := range subnets {
		if s.Tier == network.Public || seen[s.AZ] || len(out) == azCount {
			continue
		}
		seen[s.AZ] = true
		out = append(out, s)
	}
	return out
}

// openSearchAccessPolicy hands authorisation to IAM in this account and to fine-grained access control: no
// anonymous principal, and only the HTTP API of this one domain.
func openSearchAccessPolicy(accountID, region, domain string) (string, error) {
	return policyJSON(map[string]any{
		"Sid":       "AccountPrincipalsThroughFineGrainedAccessControl",
		"Effect":    "Allow",
		"Principal": map[string]any{"AWS": fmt.Sprintf("arn:aws:iam::%s:root", accountID)},
		"Action":    "es:ESHttp*",
		"Resource":  fmt.Sprintf("arn:aws:es:%s:%s:domain/%s/*", region, accountID, domain),
	})
}

// openSearch makes the domain's security group, the service-linked role when asked, and the domain.
func (b *builder) openSearch() (endpoint, arn, sgID pulumi.StringOutput, err error) {
	o := b.args.OpenSearch
	clients := pulumi.StringArray{}
	for _, c := range o.ClientSecurityGroupIDs {
		clients = append(clients, c)
	}
	ingress := ec2.SecurityGroupIngressArray{}
	if len(clients) > 0 {
		ingress = append(ingress, ec2.SecurityGroupIngressArgs{
			Description:    pulumi.String("HTTPS from the domain's clients"),
			Protocol:       pulumi.String("tcp"),
			FromPort:       pulumi.Int(443),
			ToPort:         pulumi.Int(443),
			SecurityGroups: clients,
		})
	}
	// No egress rule: the domain answers requests and starts no connections of its own.
	sg, err := ec2.NewSecurityGroup(b.ctx, b.name+"-opensearch", &ec2.SecurityGroupArgs{
		Description: pulumi.String("OpenSearch domain " + o.DomainName + ": HTTPS from its clients only"),
		VpcId:       o.VPCID,
		Ingress:     ingress,
		Tags:        b.tags(b.name + "-opensearch"),
	}, b.parent)
	if err != nil {
		return endpoint, arn, sgID, err
	}

	opts := []pulumi.ResourceOption{b.parent}
	if o.CreateServiceLinkedRole {
		slr, err := iam.NewServiceLinkedRole(b.ctx, b.name+"-opensearch-service-role", &iam.ServiceLinkedRoleArgs{
			AwsServiceName: pulumi.String("opensearchservice.amazonaws.com"),
			Description:    pulumi.String("Lets OpenSearch Service place domains in the VPC"),
		}, b.parent)
		if err != nil {
			return endpoint, arn, sgID, err
		}
		opts = append(opts, pulumi.DependsOn([]pulumi.Resource{slr}))
	}

	subnetIDs := pulumi.StringArray{}
	for _, s := range openSearchSubnets(o.PrivateSubnets, o.AZCount) {
		subnetIDs = append(subnetIDs, s.ID)
	}
	cluster := &opensearch.DomainClusterConfigArgs{
		InstanceType:         pulumi.String(o.InstanceType),
		InstanceCount:        pulumi.Int(o.InstanceCount),
		ZoneAwarenessEnabled: pulumi.Bool(o.AZCount > 1),
	}
	if o.AZCount > 1 {
		cluster.ZoneAwarenessConfig = &opensearch.DomainClusterConfigZoneAwarenessConfigArgs{
			AvailabilityZoneCount: pulumi.Int(o.AZCount),
		}
	}
	application, audit, logPolicy, err := b.openSearchLogGroups(o.DomainName)
	if err != nil {
		return endpoint, arn, sgID, err
	}
	opts = append(opts, pulumi.DependsOn([]pulumi.Resource{logPolicy}))
	region, domainName := b.args.Region, o.DomainName
	access := b.accountID.ApplyT(func(acct string) (string, error) {
		return openSearchAccessPolicy(acct, region, domainName)
	}).(pulumi.StringOutput)
	d, err := opensearch.NewDomain(b.ctx, b.name+"-opensearch", &opensearch.DomainArgs{
		DomainName:    pulumi.String(o.DomainName),
		EngineVersion: pulumi.String(o.EngineVersion),
		ClusterConfig: cluster,
		EbsOptions: &opensearch.DomainEbsOptionsArgs{
			EbsEnabled: pulumi.Bool(true),
			VolumeType: pulumi.String("gp3"),
			VolumeSize: pulumi.Int(o.VolumeSizeGiB),
		},
		EncryptAtRest:        &opensearch.DomainEncryptAtRestArgs{Enabled: pulumi.Bool(true)},
		NodeToNodeEncryption: &opensearch.DomainNodeToNodeEncryptionArgs{Enabled: pulumi.Bool(true)},
		DomainEndpointOptions: &opensearch.DomainDomainEndpointOptionsArgs{
			EnforceHttps:      pulumi.Bool(true),
			TlsSecurityPolicy: pulumi.String(openSearchTLSPolicy),
		},
		AdvancedSecurityOptions: &opensearch.DomainAdvancedSecurityOptionsArgs{
			Enabled:                     pulumi.Bool(true),
			AnonymousAuthEnabled:        pulumi.Bool(false),
			InternalUserDatabaseEnabled: pulumi.Bool(false),
			MasterUserOptions: &opensearch.DomainAdvancedSecurityOptionsMasterUserOptionsArgs{
				MasterUserArn: o.MasterUserARN,
			},
		},
		// VPC options are what keep the domain off the internet: a VPC domain has no public endpoint.
		VpcOptions: &opensearch.DomainVpcOptionsArgs{
			SubnetIds:        subnetIDs,
			SecurityGroupIds: pulumi.StringArray{sg.ID()},
		},
		AccessPolicies:       access,
		LogPublishingOptions: openSearchLogPublishing(application, audit),
		Tags:                 b.tags(b.name + "-opensearch"),
	}, opts...)
	if err != nil {
		return endpoint, arn, sgID, err
	}
	if err := b.openSearchWriters(d.Arn); err != nil {
		return endpoint, arn, sgID, err
	}
	if err := b.openSearchSAML(d); err != nil {
		return endpoint, arn, sgID, err
	}
	return d.Endpoint, d.Arn, sg.ID().ToStringOutput(), nil
}
