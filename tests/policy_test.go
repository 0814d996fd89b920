package tests

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
	"github.com/pulumi/pulumi/sdk/v3/go/property"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/policyx"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/migration-kit/kit/components/network"
	"github.com/migration-kit/kit/policy/rules"
)

// Fixtures: resources as the engine hands them to a policy pack during a preview, built directly.

// policyUnknown stands for a value computed from a resource that does not exist yet.
var policyUnknown = property.New(property.Computed)

// policyValue converts plain Go values (maps, slices, strings, numbers, bools, property.Value) into a
// property.Value.
func policyValue(v any) property.Value {
	switch v := v.(type) {
	case nil:
		return property.Value{}
	case property.Value:
		return v
	case bool:
		return property.New(v)
	case int:
		return property.New(float64(v))
	case float64:
		return property.New(v)
	case string:
		return property.New(v)
	case []string:
		out := make([]property.Value, len(v))
		for i, s := range v {
			out[i] = property.New(s)
		}
		return property.New(out)
	case []any:
		out := make([]property.Value, len(v))
		for i, e := range v {
			out[i] = policyValue(e)
		}
		return property.New(out)
	case map[string]string:
		out := map[string]property.Value{}
		for k, s := range v {
			out[k] = property.New(s)
		}
		return property.New(out)
	case map[string]any:
		out := map[string]property.Value{}
		for k, e := range v {
			out[k] = policyValue(e)
		}
		return property.New(out)
	}
	panic(fmt.Sprintf("policyValue: unsupported %T", v))
}

// policyTags are the tags the kit's stacks pass in a non-production stack.
func policyTags(env string) map[string]string {
	return map[string]string{"Project": "kit", "Environment": env, "ManagedBy": "pulumi"}
}

// policyRes builds a resource of type typ named name in us-east-1 with the given inputs.
func policyRes(typ, name string, props map[string]any) policyx.AnalyzerResource {
	return policyIn("us-east-1", typ, name, props)
}

// policyIn builds a resource in region.
func policyIn(region, typ, name string, props map[string]any) policyx.AnalyzerResource {
	return policyx.AnalyzerResource{
		Type:       typ,
		Name:       name,
		URN:        fmt.Sprintf("urn:pulumi:dev::kit::%s::%s", typ, name),
		Properties: policyValue(props).AsMap(),
		Provider: policyx.AnalyzerProviderResource{
			Type:       "pulumi:providers:aws",
			Name:       "default",
			Properties: property.NewMap(map[string]property.Value{"region": property.New(region)}),
		},
	}
}

// policyDep records that input of r was computed from the resources on.
func policyDep(r policyx.AnalyzerResource, input string, on ...policyx.AnalyzerResource) policyx.AnalyzerResource {
	deps := map[string][]string{}
	for k, v := range r.PropertyDependencies {
		deps[k] = v
	}
	for _, o := range on {
		deps[input] = append(deps[input], o.URN)
	}
	r.PropertyDependencies = deps
	return r
}

// policyFired runs the whole pack for stack and returns the violations of one rule.
func policyFired(t *testing.T, stack, rule string, rs ...policyx.AnalyzerResource) []rules.Violation {
	t.Helper()
	all, err := rules.Evaluate(stack, rs)
	require.NoError(t, err)
	var out []rules.Violation
	for _, v := range all {
		if v.Policy == rule {
			out = append(out, v)
		}
	}
	return out
}

const (
	policyTypeInstance = "aws:ec2/instance:Instance"
	policyTypeLT       = "aws:ec2/launchTemplate:LaunchTemplate"
	policyTypeSG       = "aws:ec2/securityGroup:SecurityGroup"
	policyTypeSGRule   = "aws:ec2/securityGroupRule:SecurityGroupRule"
	policyTypeIngress  = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
	policyTypeDefSG    = "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup"
	policyTypeVPC      = "aws:ec2/vpc:Vpc"
	policyTypeSubnet   = "aws:ec2/subnet:Subnet"
	policyTypeFlowLog  = "aws:ec2/flowLog:FlowLog"
	policyTypeLB       = "aws:lb/loadBalancer:LoadBalancer"
	policyTypeListener = "aws:lb/listener:Listener"
	policyTypeASG      = "aws:autoscaling/group:Group"
	policyTypeDB       = "aws:rds/instance:Instance"
	policyTypeDBSubnet = "aws:rds/subnetGroup:SubnetGroup"
	policyTypeBucket   = "aws:s3/bucketV2:BucketV2"
	policyTypePAB      = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"
	policyTypeSSE      = "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2"
	policyTypeKMS      = "aws:kms/key:Key"
	policyTypeAlarm    = "aws:cloudwatch/metricAlarm:MetricAlarm"
	policyTypeLogGroup = "aws:cloudwatch/logGroup:LogGroup"
	policyTypeTopic    = "aws:sns/topic:Topic"
	policyTypeDomain   = "aws:opensearch/domain:Domain"
	policyTypeIAM      = "aws:iam/policy:Policy"
)

// policyCase is one fixture for one rule: the resources, the stack, and whether the rule must fire.
type policyCase struct {
	name  string
	rule  string
	stack string // "dev" when empty
	rs    []policyx.AnalyzerResource
	fires bool
}

// A compliant database primary, reused by several fixtures.
func policyPrimaryDB(extra map[string]any) map[string]any {
	props := map[string]any{
		"identifier":            "orders",
		"engine":                "postgres",
		"publiclyAccessible":    false,
		"storageEncrypted":      true,
		"kmsKeyId":              "arn:aws:kms:us-east-1:123456789012:key/1234",
		"backupRetentionPeriod": 7,
		"multiAz":               true,
		"deletionProtection":    true,
		"skipFinalSnapshot":     false,
		"dbSubnetGroupName":     "data",
		"tags":                  policyTags("production"),
	}
	for k, v := range extra {
		props[k] = v
	}
	return props
}

func policyResourceCases() []policyCase {
	webLT := func(extra map[string]any) map[string]any {
		props := map[string]any{
			"metadataOptions":     map[string]any{"httpTokens": "required"},
			"blockDeviceMappings": []any{map[string]any{"deviceName": "/dev/xvda", "ebs": map[string]any{"encrypted": "true"}}},
			"networkInterfaces":   []any{map[string]any{"associatePublicIpAddress": "false"}},
		}
		for k, v := range extra {
			props[k] = v
		}
		return props
	}
	instance := func(extra map[string]any) map[string]any {
		props := map[string]any{
			"metadataOptions": map[string]any{"httpTokens": "required"},
			"rootBlockDevice": map[string]any{"encrypted": true},
		}
		for k, v := range extra {
			props[k] = v
		}
		return props
	}
	redirect := []any{map[string]any{"type": "redirect", "redirect": map[string]any{"protocol": "HTTPS", "port": "443", "statusCode": "HTTP_301"}}}
	forward := []any{map[string]any{"type": "forward", "targetGroupArn": policyUnknown}}
	alb := func(extra map[string]any) map[string]any {
		props := map[string]any{
			"loadBalancerType":         "application",
			"dropInvalidHeaderFields":  true,
			"enableDeletionProtection": true,
			"accessLogs":               map[string]any{"enabled": true, "bucket": "kit-alb-logs"},
		}
		for k, v := range extra {
			props[k] = v
		}
		return props
	}
	domain := func(extra map[string]any) map[string]any {
		props := map[string]any{
			"vpcOptions":              map[string]any{"subnetIds": []any{policyUnknown, policyUnknown}},
			"encryptAtRest":           map[string]any{"enabled": true},
			"nodeToNodeEncryption":    map[string]any{"enabled": true},
			"domainEndpointOptions":   map[string]any{"enforceHttps": true, "tlsSecurityPolicy": "Policy-Min-TLS-1-2-2019-07"},
			"advancedSecurityOptions": map[string]any{"enabled": true},
		}
		for k, v := range extra {
			props[k] = v
		}
		return props
	}
	one := func(typ string, props map[string]any) []policyx.AnalyzerResource {
		return []policyx.AnalyzerResource{policyRes(typ, "subject", props)}
	}
	replicaProps := map[string]any{"replicateSourceDb": policyUnknown, "kmsKeyId": policyUnknown, "deletionProtection": true}

	return []policyCase{
		{"instance asks for a public IP", "ec2-instance-no-public-ip", "", one(policyTypeInstance, instance(map[string]any{"associatePublicIpAddress": true})), true},
		{"instance without a public IP", "ec2-instance-no-public-ip", "", one(policyTypeInstance, instance(nil)), false},

		{"launch template interface asks for a public IP", "launch-template-no-public-ip", "", one(policyTypeLT, webLT(map[string]any{"networkInterfaces": []any{map[string]any{"associatePublicIpAddress": "true"}}})), true},
		{"launch template without public IP", "launch-template-no-public-ip", "", one(policyTypeLT, webLT(nil)), false},

		{"instance root volume unencrypted", "ec2-instance-volumes-encrypted", "", one(policyTypeInstance, instance(map[string]any{"rootBlockDevice": map[string]any{"encrypted": false}})), true},
		{"instance without a root volume block", "ec2-instance-volumes-encrypted", "", one(policyTypeInstance, map[string]any{"metadataOptions": map[string]any{"httpTokens": "required"}}), true},
		{"instance extra volume unencrypted", "ec2-instance-volumes-encrypted", "", one(policyTypeInstance, instance(map[string]any{"ebsBlockDevices": []any{map[string]any{"deviceName": "/dev/sdf"}}})), true},
		{"instance volumes encrypted", "ec2-instance-volumes-encrypted", "", one(policyTypeInstance, instance(nil)), false},

		{"launch template volume unencrypted", "launch-template-volumes-encrypted", "", one(policyTypeLT, webLT(map[string]any{"blockDeviceMappings": []any{map[string]any{"ebs": map[string]any{"encrypted": "false"}}}})), true},
		{"launch template without volumes", "launch-template-volumes-encrypted", "", one(policyTypeLT, webLT(map[string]any{"blockDeviceMappings": nil})), true},
		{"launch template volume encrypted", "launch-template-volumes-encrypted", "", one(policyTypeLT, webLT(nil)), false},
		{"launch template volumes unknown in a preview", "launch-template-volumes-encrypted", "", one(policyTypeLT, webLT(map[string]any{"blockDeviceMappings": policyUnknown})), false},

		{"launch template allows IMDSv1", "ec2-imdsv2-required", "", one(policyTypeLT, webLT(map[string]any{"metadataOptions": map[string]any{"httpTokens": "optional"}})), true},
		{"instance without metadata options", "ec2-imdsv2-required", "", one(policyTypeInstance, instance(map[string]any{"metadataOptions": nil})), true},
		{"launch template requires IMDSv2", "ec2-imdsv2-required", "", one(policyTypeLT, webLT(nil)), false},
		{"instance requires IMDSv2", "ec2-imdsv2-required", "", one(policyTypeInstance, instance(nil)), false},

		{"inline SSH from anywhere", "no-ssh-rdp-from-anywhere", "", one(policyTypeSG, map[string]any{"ingress": []any{map[string]any{"protocol": "tcp", "fromPort": 22, "toPort": 22, "cidrBlocks": []string{"0.0.0.0/0"}}}}), true},
		{"rule opens RDP to IPv6 anywhere", "no-ssh-rdp-from-anywhere", "", one(policyTypeSGRule, map[string]any{"type": "ingress", "protocol": "tcp", "fromPort": 3389, "toPort": 3389, "ipv6CidrBlocks": []string{"::/0"}}), true},
		{"vpc ingress rule opens all traffic", "no-ssh-rdp-from-anywhere", "", one(policyTypeIngress, map[string]any{"ipProtocol": "-1", "cidrIpv4": "0.0.0.0/0"}), true},
		{"port range spanning 22", "no-ssh-rdp-from-anywhere", "", one(policyTypeIngress, map[string]any{"ipProtocol": "tcp", "fromPort": 0, "toPort": 1024, "cidrIpv4": "0.0.0.0/0"}), true},
		{"SSH from the VPC only", "no-ssh-rdp-from-anywhere", "", one(policyTypeIngress, map[string]any{"ipProtocol": "tcp", "fromPort": 22, "toPort": 22, "cidrIpv4": "10.0.0.0/16"}), false},
		{"HTTPS from anywhere", "no-ssh-rdp-from-anywhere", "", one(policyTypeIngress, map[string]any{"ipProtocol": "tcp", "fromPort": 443, "toPort": 443, "cidrIpv4": "0.0.0.0/0"}), false},
		{"SSH egress is not ingress", "no-ssh-rdp-from-anywhere", "", one(policyTypeSGRule, map[string]any{"type": "egress", "protocol": "tcp", "fromPort": 22, "toPort": 22, "cidrBlocks": []string{"0.0.0.0/0"}}), false},

		{"subnet maps public IPs", "subnet-no-auto-public-ip", "", one(policyTypeSubnet, map[string]any{"mapPublicIpOnLaunch": true}), true},
		{"subnet without public IPs", "subnet-no-auto-public-ip", "", one(policyTypeSubnet, map[string]any{"mapPublicIpOnLaunch": false}), false},

		{"prod HTTP listener forwards", "http-listener-redirects-to-https", "prod", one(policyTypeListener, map[string]any{"protocol": "HTTP", "port": 80, "defaultActions": forward}), true},
		{"prod listener without protocol forwards", "http-listener-redirects-to-https", "prod", one(policyTypeListener, map[string]any{"port": 80, "defaultActions": forward}), true},
		{"prod HTTP listener redirects", "http-listener-redirects-to-https", "prod", one(policyTypeListener, map[string]any{"protocol": "HTTP", "port": 80, "defaultActions": redirect}), false},
		{"dev HTTP listener forwards: not judged by the mandatory rule", "http-listener-redirects-to-https", "dev", one(policyTypeListener, map[string]any{"protocol": "HTTP", "port": 80, "defaultActions": forward}), false},
		{"dev listener tagged production forwards", "http-listener-redirects-to-https", "dev", one(policyTypeListener, map[string]any{"protocol": "HTTP", "defaultActions": forward, "tags": policyTags("production")}), true},
		{"prod HTTPS listener forwards", "http-listener-redirects-to-https", "prod", one(policyTypeListener, map[string]any{"protocol": "HTTPS", "sslPolicy": "ELBSecurityPolicy-TLS13-1-2-2021-06", "defaultActions": forward}), false},

		{"dev HTTP listener forwards", "http-listener-redirects-to-https-advisory", "dev", one(policyTypeListener, map[string]any{"protocol": "HTTP", "defaultActions": forward}), true},
		{"dev HTTP listener redirects", "http-listener-redirects-to-https-advisory", "dev", one(policyTypeListener, map[string]any{"protocol": "HTTP", "defaultActions": redirect}), false},
		{"prod HTTP listener forwards: the advisory twin stays silent", "http-listener-redirects-to-https-advisory", "prod", one(policyTypeListener, map[string]any{"protocol": "HTTP", "defaultActions": forward}), false},

		{"HTTPS listener on the 2016 policy", "https-listener-tls12-policy", "", one(policyTypeListener, map[string]any{"protocol": "HTTPS", "sslPolicy": "ELBSecurityPolicy-2016-08"}), true},
		{"HTTPS listener without a policy", "https-listener-tls12-policy", "", one(policyTypeListener, map[string]any{"protocol": "HTTPS"}), true},
		{"HTTPS listener on TLS 1.3/1.2", "https-listener-tls12-policy", "", one(policyTypeListener, map[string]any{"protocol": "HTTPS", "sslPolicy": "ELBSecurityPolicy-TLS13-1-2-2021-06"}), false},
		{"HTTPS listener on TLS 1.2 Ext", "https-listener-tls12-policy", "", one(policyTypeListener, map[string]any{"protocol": "HTTPS", "sslPolicy": "ELBSecurityPolicy-TLS-1-2-Ext-2018-06"}), false},
		{"HTTP listener needs no policy", "https-listener-tls12-policy", "", one(policyTypeListener, map[string]any{"protocol": "HTTP", "defaultActions": redirect}), false},

		{"ALB keeps invalid headers", "alb-drop-invalid-headers", "", one(policyTypeLB, alb(map[string]any{"dropInvalidHeaderFields": nil})), true},
		{"ALB drops invalid headers", "alb-drop-invalid-headers", "", one(policyTypeLB, alb(nil)), false},
		{"NLB has no HTTP headers", "alb-drop-invalid-headers", "", one(policyTypeLB, map[string]any{"loadBalancerType": "network"}), false},

		{"prod ALB without deletion protection", "lb-deletion-protection", "prod", one(policyTypeLB, alb(map[string]any{"enableDeletionProtection": false})), true},
		{"drill ALB without deletion protection", "lb-deletion-protection", "drill", one(policyTypeLB, alb(map[string]any{"enableDeletionProtection": false})), true},
		{"prod ALB with deletion protection", "lb-deletion-protection", "prod", one(policyTypeLB, alb(nil)), false},
		{"dev ALB without deletion protection", "lb-deletion-protection", "dev", one(policyTypeLB, alb(map[string]any{"enableDeletionProtection": false})), false},

		{"prod ALB without access logs", "lb-access-logs", "prod", one(policyTypeLB, alb(map[string]any{"accessLogs": nil})), true},
		{"prod ALB with logs disabled", "lb-access-logs", "production", one(policyTypeLB, alb(map[string]any{"accessLogs": map[string]any{"enabled": false, "bucket": "b"}})), true},
		{"prod ALB with access logs", "lb-access-logs", "prod", one(policyTypeLB, alb(nil)), false},
		{"prod ALB with access logs to a bucket not yet created", "lb-access-logs", "prod", one(policyTypeLB, alb(map[string]any{"accessLogs": map[string]any{"enabled": true, "bucket": policyUnknown}})), false},
		{"dev ALB without access logs", "lb-access-logs", "dev", one(policyTypeLB, alb(map[string]any{"accessLogs": nil})), false},

		{"public database", "rds-not-public", "", one(policyTypeDB, policyPrimaryDB(map[string]any{"publiclyAccessible": true})), true},
		{"private database", "rds-not-public", "", one(policyTypeDB, policyPrimaryDB(nil)), false},

		{"unencrypted database", "rds-encrypted-customer-key", "", one(policyTypeDB, policyPrimaryDB(map[string]any{"storageEncrypted": false})), true},
		{"database on the AWS-managed key", "rds-encrypted-customer-key", "", one(policyTypeDB, policyPrimaryDB(map[string]any{"kmsKeyId": nil})), true},
		{"database naming aws/rds", "rds-encrypted-customer-key", "", one(policyTypeDB, policyPrimaryDB(map[string]any{"kmsKeyId": "alias/aws/rds"})), true},
		{"replica without its region's key", "rds-encrypted-customer-key", "", one(policyTypeDB, map[string]any{"replicateSourceDb": "arn:aws:rds:us-east-1:123456789012:db:orders"}), true},
		{"database on a customer key", "rds-encrypted-customer-key", "", one(policyTypeDB, policyPrimaryDB(nil)), false},
		{"database on a key created in the same preview", "rds-encrypted-customer-key", "", one(policyTypeDB, policyPrimaryDB(map[string]any{"kmsKeyId": policyUnknown})), false},
		{"replica with a key", "rds-encrypted-customer-key", "", one(policyTypeDB, replicaProps), false},

		{"backups for 1 day", "rds-backup-retention", "", one(policyTypeDB, policyPrimaryDB(map[string]any{"backupRetentionPeriod": 1})), true},
		{"backup retention absent", "rds-backup-retention", "", one(policyTypeDB, policyPrimaryDB(map[string]any{"backupRetentionPeriod": nil})), true},
		{"backups for 7 days", "rds-backup-retention", "", one(policyTypeDB, policyPrimaryDB(nil)), false},
		{"replica keeps no backups", "rds-backup-retention", "", one(policyTypeDB, replicaProps), false},

		{"prod database in one AZ", "rds-multi-az", "prod", one(policyTypeDB, policyPrimaryDB(map[string]any{"multiAz": false})), true},
		{"prod database Multi-AZ", "rds-multi-az", "prod", one(policyTypeDB, policyPrimaryDB(nil)), false},
		{"dev database in one AZ", "rds-multi-az", "dev", one(policyTypeDB, policyPrimaryDB(map[string]any{"multiAz": false, "tags": policyTags("dev")})), false},
		{"prod replica in one AZ", "rds-multi-az", "prod", one(policyTypeDB, replicaProps), false},

		{"prod database deletable", "rds-deletion-protection", "prod", one(policyTypeDB, policyPrimaryDB(map[string]any{"deletionProtection": false})), true},
		{"prod replica deletable", "rds-deletion-protection", "prod-eu", one(policyTypeDB, map[string]any{"replicateSourceDb": policyUnknown, "kmsKeyId": policyUnknown}), true},
		{"prod database protected", "rds-deletion-protection", "prod", one(policyTypeDB, policyPrimaryDB(nil)), false},
		{"dev database deletable", "rds-deletion-protection", "dev", one(policyTypeDB, policyPrimaryDB(map[string]any{"deletionProtection": false, "tags": policyTags("dev")})), false},

		{"prod database skips its final snapshot", "rds-final-snapshot", "prod", one(policyTypeDB, policyPrimaryDB(map[string]any{"skipFinalSnapshot": true})), true},
		{"prod database keeps its final snapshot", "rds-final-snapshot", "prod", one(policyTypeDB, policyPrimaryDB(nil)), false},
		{"dev database skips its final snapshot", "rds-final-snapshot", "dev", one(policyTypeDB, policyPrimaryDB(map[string]any{"skipFinalSnapshot": true, "tags": policyTags("dev")})), false},

		{"minor upgrades turned off", "rds-auto-minor-version-upgrade", "", one(policyTypeDB, policyPrimaryDB(map[string]any{"autoMinorVersionUpgrade": false})), true},
		{"minor upgrades by default", "rds-auto-minor-version-upgrade", "", one(policyTypeDB, policyPrimaryDB(nil)), false},

		{"key without rotation", "kms-key-rotation", "", one(policyTypeKMS, map[string]any{"description": "db"}), true},
		{"key rotating", "kms-key-rotation", "", one(policyTypeKMS, map[string]any{"enableKeyRotation": true}), false},
		{"asymmetric key cannot rotate", "kms-key-rotation", "", one(policyTypeKMS, map[string]any{"customerMasterKeySpec": "RSA_2048"}), false},

		{"VPC without tags", "required-tags", "", one(policyTypeVPC, map[string]any{"cidrBlock": "10.0.0.0/16"}), true},
		{"VPC missing ManagedBy", "required-tags", "", one(policyTypeVPC, map[string]any{"tags": map[string]string{"Project": "kit", "Environment": "dev"}}), true},
		{"ASG tags as a list, one missing", "required-tags", "", one(policyTypeASG, map[string]any{"tags": []any{
			map[string]any{"key": "Project", "value": "kit", "propagateAtLaunch": true},
			map[string]any{"key": "Environment", "value": "dev", "propagateAtLaunch": true},
		}}), true},
		{"VPC with all tags", "required-tags", "", one(policyTypeVPC, map[string]any{"tags": policyTags("dev")}), false},
		{"tag value unknown in a preview", "required-tags", "", one(policyTypeVPC, map[string]any{"tags": map[string]any{"Project": policyUnknown, "Environment": "dev", "ManagedBy": "pulumi"}}), false},
		{"tags unknown in a preview", "required-tags", "", one(policyTypeVPC, map[string]any{"tags": policyUnknown}), false},
		{"untaggable security group rule", "required-tags", "", one(policyTypeSGRule, map[string]any{"type": "egress"}), false},

		{"admin policy", "iam-no-admin-statements", "", one(policyTypeIAM, map[string]any{"policy": `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`}), true},
		{"admin policy as a single statement", "iam-no-admin-statements", "", one(policyTypeIAM, map[string]any{"policy": `{"Statement":{"Effect":"Allow","Action":["*"],"Resource":["*"]}}`}), true},
		{"scoped policy", "iam-no-admin-statements", "", one(policyTypeIAM, map[string]any{"policy": `{"Statement":[{"Effect":"Allow","Action":"aps:RemoteWrite","Resource":"*"}]}`}), false},
		{"policy built from unknown ARNs", "iam-no-admin-statements", "", one(policyTypeIAM, map[string]any{"policy": policyUnknown}), false},
		{"AdministratorAccess attached", "iam-no-admin-statements", "", one("aws:iam/rolePolicyAttachment:RolePolicyAttachment", map[string]any{"role": "web", "policyArn": "arn:aws:iam::aws:policy/AdministratorAccess"}), true},
		{"SSM core policy attached", "iam-no-admin-statements", "", one("aws:iam/rolePolicyAttachment:RolePolicyAttachment", map[string]any{"role": "web", "policyArn": "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"}), false},

		{"ASG behind a load balancer on EC2 checks", "asg-elb-health-check", "", one(policyTypeASG, map[string]any{"targetGroupArns": []any{policyUnknown}, "healthCheckType": "EC2"}), true},
		{"ASG behind a load balancer on ELB checks", "asg-elb-health-check", "", one(policyTypeASG, map[string]any{"targetGroupArns": []any{policyUnknown}, "healthCheckType": "ELB"}), false},

		{"topic unencrypted", "sns-topic-encrypted", "", one(policyTypeTopic, map[string]any{"name": "alarms"}), true},
		{"topic on the AWS managed key", "sns-topic-encrypted", "", one(policyTypeTopic, map[string]any{"kmsMasterKeyId": "alias/aws/sns"}), true},
		{"topic on the AWS managed key by ARN", "sns-topic-encrypted", "", one(policyTypeTopic, map[string]any{"kmsMasterKeyId": "arn:aws:kms:us-east-1:123456789012:alias/aws/sns"}), true},
		{"topic encrypted", "sns-topic-encrypted", "", one(policyTypeTopic, map[string]any{"kmsMasterKeyId": policyUnknown}), false},
		{"topic on a customer managed key", "sns-topic-encrypted", "", one(policyTypeTopic, map[string]any{"kmsMasterKeyId": "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"}), false},

		{"log group kept forever", "log-group-retention", "", one(policyTypeLogGroup, map[string]any{"name": "flow"}), true},
		{"log group expires", "log-group-retention", "", one(policyTypeLogGroup, map[string]any{"retentionInDays": 90}), false},

		{"public OpenSearch domain", "opensearch-in-vpc", "", one(policyTypeDomain, domain(map[string]any{"vpcOptions": nil})), true},
		{"OpenSearch domain in the VPC", "opensearch-in-vpc", "", one(policyTypeDomain, domain(nil)), false},

		{"OpenSearch unencrypted at rest", "opensearch-encrypted", "", one(policyTypeDomain, domain(map[string]any{"encryptAtRest": map[string]any{"enabled": false}})), true},
		{"OpenSearch without node-to-node encryption", "opensearch-encrypted", "", one(policyTypeDomain, domain(map[string]any{"nodeToNodeEncryption": nil})), true},
		{"OpenSearch encrypted", "opensearch-encrypted", "", one(policyTypeDomain, domain(nil)), false},

		{"OpenSearch accepts HTTP", "opensearch-https-only", "", one(policyTypeDomain, domain(map[string]any{"domainEndpointOptions": map[string]any{"enforceHttps": false}})), true},
		{"OpenSearch on TLS 1.0", "opensearch-https-only", "", one(policyTypeDomain, domain(map[string]any{"domainEndpointOptions": map[string]any{"enforceHttps": true, "tlsSecurityPolicy": "Policy-Min-TLS-1-0-2019-07"}})), true},
		{"OpenSearch HTTPS only", "opensearch-https-only", "", one(policyTypeDomain, domain(nil)), false},

		{"OpenSearch without fine-grained access", "opensearch-fine-grained-access", "", one(policyTypeDomain, domain(map[string]any{"advancedSecurityOptions": nil})), true},
		{"OpenSearch with fine-grained access", "opensearch-fine-grained-access", "", one(policyTypeDomain, domain(nil)), false},

		// Security Hub FSBP controls (policy/rules/securityhub.go).
		{"database without enhanced monitoring", "rds-enhanced-monitoring", "", one(policyTypeDB, policyPrimaryDB(nil)), true},
		{"database with enhanced monitoring", "rds-enhanced-monitoring", "", one(policyTypeDB, policyPrimaryDB(map[string]any{"monitoringInterval": 60, "monitoringRoleArn": "arn:aws:iam::123456789012:role/rds-monitoring"})), false},
		{"PostgreSQL exporting no upgrade log", "rds-log-exports", "", one(policyTypeDB, policyPrimaryDB(map[string]any{"enabledCloudwatchLogsExports": []string{"postgresql"}})), true},
		{"PostgreSQL exporting its logs", "rds-log-exports", "", one(policyTypeDB, policyPrimaryDB(map[string]any{"enabledCloudwatchLogsExports": []string{"postgresql", "upgrade"}})), false},
		{"MySQL exporting its logs", "rds-log-exports", "", one(policyTypeDB, policyPrimaryDB(map[string]any{"engine": "mysql", "enabledCloudwatchLogsExports": []string{"error", "general", "slowquery"}})), false},
		{"database without IAM authentication", "rds-iam-authentication", "", one(policyTypeDB, policyPrimaryDB(nil)), true},
		{"database with IAM authentication", "rds-iam-authentication", "", one(policyTypeDB, policyPrimaryDB(map[string]any{"iamDatabaseAuthenticationEnabled": true})), false},
		{"database not copying tags to snapshots", "rds-copy-tags-to-snapshot", "", one(policyTypeDB, policyPrimaryDB(map[string]any{"copyTagsToSnapshot": false})), true},
		{"database copying tags to snapshots", "rds-copy-tags-to-snapshot", "", one(policyTypeDB, policyPrimaryDB(map[string]any{"copyTagsToSnapshot": true})), false},
		{"ALB only monitoring desync", "alb-desync-mitigation", "", one(policyTypeLB, map[string]any{"desyncMitigationMode": "monitor"}), true},
		{"ALB with the default desync mitigation", "alb-desync-mitigation", "", one(policyTypeLB, map[string]any{"loadBalancerType": "application"}), false},
		{"group from a launch configuration", "asg-launch-template", "", one(policyTypeASG, map[string]any{"launchConfiguration": "web"}), true},
		{"group from a launch template", "asg-launch-template", "", one(policyTypeASG, map[string]any{"launchTemplate": map[string]any{"id": "lt-0123456789abcdef0"}}), false},
		{"network ACL open to SSH from anywhere", "nacl-no-ssh-rdp-from-anywhere", "", one("aws:ec2/defaultNetworkAcl:DefaultNetworkAcl", map[string]any{"ingress": []any{
			map[string]any{"protocol": "-1", "ruleNo": 100, "action": "allow", "cidrBlock": "0.0.0.0/0", "fromPort": 0, "toPort": 0}}}), true},
		{"network ACL leaving out 22 and 3389", "nacl-no-ssh-rdp-from-anywhere", "", one("aws:ec2/defaultNetworkAcl:DefaultNetworkAcl", map[string]any{"ingress": []any{
			map[string]any{"protocol": "tcp", "ruleNo": 100, "action": "allow", "cidrBlock": "0.0.0.0/0", "fromPort": 0, "toPort": 21},
			map[string]any{"protocol": "tcp", "ruleNo": 110, "action": "allow", "cidrBlock": "0.0.0.0/0", "fromPort": 23, "toPort": 3388},
			map[string]any{"protocol": "-1", "ruleNo": 120, "action": "allow", "cidrBlock": "10.0.0.0/16", "fromPort": 0, "toPort": 0}}}), false},
		{"OpenSearch without logs", "opensearch-logs-to-cloudwatch", "", one(policyTypeDomain, domain(nil)), true},
		{"OpenSearch publishing error and audit logs", "opensearch-logs-to-cloudwatch", "", one(policyTypeDomain, domain(map[string]any{"logPublishingOptions": []any{
			map[string]any{"logType": "ES_APPLICATION_LOGS", "cloudwatchLogGroupArn": "arn:aws:logs:us-east-1:123456789012:log-group:a"},
			map[string]any{"logType": "AUDIT_LOGS", "cloudwatchLogGroupArn": "arn:aws:logs:us-east-1:123456789012:log-group:b"}}})), false},
		{"production OpenSearch on two nodes", "opensearch-three-data-nodes", "prod", one(policyTypeDomain, domain(map[string]any{"clusterConfig": map[string]any{"instanceCount": 2, "zoneAwarenessEnabled": true}})), true},
		{"production OpenSearch on three nodes in three AZs", "opensearch-three-data-nodes", "prod", one(policyTypeDomain, domain(map[string]any{"clusterConfig": map[string]any{"instanceCount": 3, "zoneAwarenessEnabled": true}})), false},
	}
}

// policyStackCases are fixtures for the rules that judge the whole stack, wired with PropertyDependencies as
// the engine sends them.
func policyStackCases() []policyCase {
	vpc := policyRes(policyTypeVPC, "vpc", map[string]any{"cidrBlock": "10.0.0.0/16", "tags": policyTags("dev")})
	otherVPC := policyRes(policyTypeVPC, "vpc-dr", map[string]any{"cidrBlock": "10.1.0.0/16"})
	flowLog := policyDep(policyRes(policyTypeFlowLog, "flow", map[string]any{"vpcId": policyUnknown, "trafficType": "ALL"}), "vpcId", vpc)
	closed := policyDep(policyRes(policyTypeDefSG, "default", map[string]any{"vpcId": policyUnknown}), "vpcId", vpc)
	open := policyDep(policyRes(policyTypeDefSG, "default", map[string]any{"vpcId": policyUnknown,
		"ingress": []any{map[string]any{"protocol": "-1", "fromPort": 0, "toPort": 0, "self": true}}}), "vpcId", vpc)

	albSG := policyRes(policyTypeSG, "alb-sg", map[string]any{"ingress": []any{
		map[string]any{"protocol": "tcp", "fromPort": 443, "toPort": 443, "cidrBlocks": []string{"0.0.0.0/0"}},
		map[string]any{"protocol": "tcp", "fromPort": 80, "toPort": 80, "cidrBlocks": []string{"0.0.0.0/0"}, "ipv6CidrBlocks": []string{"::/0"}},
	}})
	appSG := policyRes(policyTypeSG, "app-sg", nil)
	lb := policyDep(policyRes(policyTypeLB, "alb", map[string]any{"name": "web", "securityGroups": []any{policyUnknown}}), "securityGroups", albSG)
	httpsIntoApp := policyDep(policyRes(policyTypeIngress, "app-https", map[string]any{"securityGroupId": policyUnknown,
		"ipProtocol": "tcp", "fromPort": 443, "toPort": 443, "cidrIpv4": "0.0.0.0/0"}), "securityGroupId", appSG)
	appFromALB := policyDep(policyRes(policyTypeIngress, "app-from-alb", map[string]any{"securityGroupId": policyUnknown,
		"ipProtocol": "tcp", "fromPort": 8080, "toPort": 8080, "referencedSecurityGroupId": policyUnknown}), "securityGroupId", appSG)
	albWide := policyRes(policyTypeSG, "alb-sg", map[string]any{"ingress": []any{
		map[string]any{"protocol": "tcp", "fromPort": 0, "toPort": 65535, "cidrBlocks": []string{"0.0.0.0/0"}},
	}})
	lbWide := policyDep(policyRes(policyTypeLB, "alb", map[string]any{"securityGroups": []any{policyUnknown}}), "securityGroups", albWide)
	ruleIntoALB := policyDep(policyRes(policyTypeSGRule, "alb-http", map[string]any{"type": "ingress", "securityGroupId": policyUnknown,
		"protocol": "tcp", "fromPort": 80, "toPort": 80, "cidrBlocks": []string{"0.0.0.0/0"}}), "securityGroupId", albSG)

	bucket := policyRes(policyTypeBucket, "logs", map[string]any{"bucket": "kit-logs"})
	pab := func(flags map[string]any) policyx.AnalyzerResource {
		props := map[string]any{"bucket": policyUnknown, "blockPublicAcls": true, "blockPublicPolicy": true, "ignorePublicAcls": true, "restrictPublicBuckets": true}
		for k, v := range flags {
			props[k] = v
		}
		return policyDep(policyRes(policyTypePAB, "logs-pab", props), "bucket", bucket)
	}
	pabByName := policyRes(policyTypePAB, "logs-pab", map[string]any{"bucket": "kit-logs", "blockPublicAcls": true, "blockPublicPolicy": true, "ignorePublicAcls": true, "restrictPublicBuckets": true})
	sse := policyDep(policyRes(policyTypeSSE, "logs-sse", map[string]any{"bucket": policyUnknown,
		"rules": []any{map[string]any{"applyServerSideEncryptionByDefault": map[string]any{"sseAlgorithm": "aws:kms"}}}}), "bucket", bucket)
	sseV1 := policyDep(policyRes("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "logs-sse",
		map[string]any{"bucket": policyUnknown}), "bucket", bucket)

	publicSubnet := policyRes(policyTypeSubnet, "public-a", map[string]any{"tags": map[string]string{"Tier": "public"}})
	autoPublicSubnet := policyRes(policyTypeSubnet, "edge-a", map[string]any{"mapPublicIpOnLaunch": true})
	privateSubnet := policyRes(policyTypeSubnet, "private-a", map[string]any{"tags": map[string]string{"Tier": "private"}})
	dataSubnet := policyRes(policyTypeSubnet, "data-a", map[string]any{"tags": map[string]string{"Tier": "data"}})
	inSubnet := func(typ, name, input string, s ...policyx.AnalyzerResource) policyx.AnalyzerResource {
		return policyDep(policyRes(typ, name, map[string]any{input: policyUnknown}), input, s...)
	}
	dbGroup := func(s ...policyx.AnalyzerResource) policyx.AnalyzerResource {
		return policyDep(policyRes(policyTypeDBSubnet, "db-subnets", map[string]any{"name": "kit-data", "subnetIds": []any{policyUnknown}}), "subnetIds", s...)
	}
	dbIn := func(group policyx.AnalyzerResource) policyx.AnalyzerResource {
		return policyDep(policyRes(policyTypeDB, "db", policyPrimaryDB(map[string]any{"dbSubnetGroupName": policyUnknown})), "dbSubnetGroupName", group)
	}
	dbNamed := policyRes(policyTypeDB, "db", policyPrimaryDB(map[string]any{"dbSubnetGroupName": "kit-data"}))

	primary := policyIn("us-east-1", policyTypeDB, "db", policyPrimaryDB(nil))
	replicaOf := func(region string, src ...policyx.AnalyzerResource) policyx.AnalyzerResource {
		r := policyIn(region, policyTypeDB, "replica", map[string]any{"identifier": "orders-replica", "replicateSourceDb": policyUnknown, "kmsKeyId": policyUnknown})
		return policyDep(r, "replicateSourceDb", src...)
	}
	replicaByARN := func(region, arn string) policyx.AnalyzerResource {
		return policyIn(region, policyTypeDB, "replica", map[string]any{"replicateSourceDb": arn, "kmsKeyId": policyUnknown})
	}
	drReplica := replicaOf("us-west-2", primary)
	lagAlarm := func(dims map[string]any, on ...policyx.AnalyzerResource) policyx.AnalyzerResource {
		a := policyRes(policyTypeAlarm, "replica-lag", map[string]any{"namespace": "AWS/RDS", "metricName": "ReplicaLag", "dimensions": dims})
		return policyDep(a, "dimensions", on...)
	}
	cpuAlarm := policyDep(policyRes(policyTypeAlarm, "replica-cpu", map[string]any{"namespace": "AWS/RDS", "metricName": "CPUUtilization",
		"dimensions": map[string]any{"DBInstanceIdentifier": policyUnknown}}), "dimensions", drReplica)
	lbAlarm := func(dims map[string]any, on ...policyx.AnalyzerResource) policyx.AnalyzerResource {
		a := policyRes(policyTypeAlarm, "alb-5xx", map[string]any{"namespace": "AWS/ApplicationELB", "metricName": "HTTPCode_ELB_5XX_Count",
			"dimensions": dims, "alarmActions": []any{"arn:aws:sns:us-east-1:123456789012:ops"}})
		return policyDep(a, "dimensions", on...)
	}
	silentLBAlarm := policyRes(policyTypeAlarm, "release-5xx", map[string]any{"namespace": "AWS/ApplicationELB",
		"metricName": "HTTPCode_Target_5XX_Count", "dimensions": map[string]any{"LoadBalancer": "app/web/50dc6c495c0c9188"}})
	lbMathAlarm := policyDep(policyRes(policyTypeAlarm, "alb-5xx-rate", map[string]any{"alarmActions": []any{"arn:aws:sns:us-east-1:123456789012:ops"}, "metricQueries": []any{
		map[string]any{"id": "e1", "expression": "100*m1/m2", "returnData": true},
		map[string]any{"id": "m1", "metric": map[string]any{"namespace": "AWS/ApplicationELB", "metricName": "HTTPCode_ELB_5XX_Count",
			"dimensions": map[string]any{"LoadBalancer": policyUnknown}}},
	}}), "metricQueries", lb)

	rs := func(r ...policyx.AnalyzerResource) []policyx.AnalyzerResource { return r }
	secret := policyRes("aws:secretsmanager/secret:Secret", "master", map[string]any{"namePrefix": "rds/db/master-"})
	rotation := func(days int) policyx.AnalyzerResource {
		return policyDep(policyRes("aws:secretsmanager/secretRotation:SecretRotation", "master", map[string]any{
			"secretId": policyUnknown, "rotationRules": map[string]any{"automaticallyAfterDays": days}}), "secretId", secret)
	}
	return []policyCase{
		{"secret that never rotates", "secretsmanager-rotation", "", []policyx.AnalyzerResource{secret}, true},
		{"secret rotating every 180 days", "secretsmanager-rotation", "", []policyx.AnalyzerResource{secret, rotation(180)}, true},
		{"secret rotating monthly", "secretsmanager-rotation", "", []policyx.AnalyzerResource{secret, rotation(30)}, false},
		{"VPC without a flow log", "vpc-flow-logs", "", rs(vpc, otherVPC, flowLog), true},
		{"VPC with a flow log", "vpc-flow-logs", "", rs(vpc, flowLog), false},
		{"flow log with no reference to the VPC", "vpc-flow-logs", "", rs(vpc, policyRes(policyTypeFlowLog, "flow", map[string]any{"vpcId": "vpc-123"})), true},

		{"VPC with AWS's default group", "default-security-group-closed", "", rs(vpc), true},
		{"default group with rules", "default-security-group-closed", "", rs(vpc, open), true},
		{"default group closed", "default-security-group-closed", "", rs(vpc, closed), false},

		{"HTTPS from anywhere into an application group", "public-ingress-only-to-load-balancer", "", rs(albSG, appSG, lb, httpsIntoApp), true},
		{"every port open to the load balancer", "public-ingress-only-to-load-balancer", "", rs(albWide, lbWide), true},
		{"80 and 443 into the load balancer's group", "public-ingress-only-to-load-balancer", "", rs(albSG, appSG, lb, appFromALB, ruleIntoALB), false},
		{"80 and 443 open to a group no load balancer uses", "public-ingress-only-to-load-balancer", "", rs(albSG), true},

		{"bucket without a public access block", "s3-public-access-blocked", "", rs(bucket), true},
		{"public access block with a flag off", "s3-public-access-blocked", "", rs(bucket, pab(map[string]any{"restrictPublicBuckets": false})), true},
		{"public access block complete", "s3-public-access-blocked", "", rs(bucket, pab(nil)), false},
		{"public access block naming the bucket", "s3-public-access-blocked", "", rs(bucket, pabByName), false},

		{"bucket without encryption", "s3-encrypted", "", rs(bucket, pab(nil)), true},
		{"bucket encrypted by the V2 resource", "s3-encrypted", "", rs(bucket, sse), false},
		{"bucket encrypted by the V1 resource", "s3-encrypted", "", rs(bucket, sseV1), false},
		{"legacy bucket encrypted inline", "s3-encrypted", "", rs(policyRes("aws:s3/bucket:Bucket", "old", map[string]any{
			"serverSideEncryptionConfiguration": map[string]any{"rule": map[string]any{}}})), false},

		{"instance in a public subnet", "workloads-in-private-subnets", "", rs(publicSubnet, inSubnet(policyTypeInstance, "bastion", "subnetId", publicSubnet)), true},
		{"ASG spanning a subnet that maps public IPs", "workloads-in-private-subnets", "", rs(privateSubnet, autoPublicSubnet, inSubnet(policyTypeASG, "web", "vpcZoneIdentifiers", privateSubnet, autoPublicSubnet)), true},
		{"database whose subnet group has a public subnet", "workloads-in-private-subnets", "", func() []policyx.AnalyzerResource {
			g := dbGroup(dataSubnet, publicSubnet)
			return rs(dataSubnet, publicSubnet, g, dbIn(g))
		}(), true},
		{"database whose subnet group is named, with a public subnet", "workloads-in-private-subnets", "", rs(publicSubnet, dbGroup(publicSubnet), dbNamed), true},
		{"instance in the default VPC", "workloads-in-private-subnets", "", rs(policyRes(policyTypeInstance, "stray", nil)), true},
		{"OpenSearch in a public subnet", "workloads-in-private-subnets", "", rs(publicSubnet, inSubnet(policyTypeDomain, "logs", "vpcOptions", publicSubnet)), true},
		{"workloads in private and data subnets", "workloads-in-private-subnets", "", func() []policyx.AnalyzerResource {
			g := dbGroup(dataSubnet)
			return rs(privateSubnet, dataSubnet, g, dbIn(g),
				inSubnet(policyTypeASG, "web", "vpcZoneIdentifiers", privateSubnet),
				inSubnet(policyTypeInstance, "worker", "subnetId", privateSubnet))
		}(), false},

		{"replica in its source's region", "dr-replica-in-another-region", "", rs(primary, replicaOf("us-east-1", primary)), true},
		{"replica naming a same-region ARN", "dr-replica-in-another-region", "", rs(replicaByARN("us-east-1", "arn:aws:rds:us-east-1:123456789012:db:orders")), true},
		{"replica naming its source by identifier", "dr-replica-in-another-region", "", rs(replicaByARN("us-east-1", "orders")), true},
		{"replica in the DR region", "dr-replica-in-another-region", "", rs(primary, drReplica), false},
		{"replica naming a source ARN in another region", "dr-replica-in-another-region", "", rs(replicaByARN("us-west-2", "arn:aws:rds:us-east-1:123456789012:db:orders")), false},
		{"promoted replica (the drill) has no source", "dr-replica-in-another-region", "drill", rs(primary, policyIn("us-east-1", policyTypeDB, "replica", policyPrimaryDB(nil))), false},

		{"replica without a lag alarm", "replica-lag-alarm", "", rs(primary, drReplica, cpuAlarm), true},
		{"lag alarm on another instance", "replica-lag-alarm", "", rs(primary, drReplica, lagAlarm(map[string]any{"DBInstanceIdentifier": "orders"})), true},
		{"lag alarm following the replica", "replica-lag-alarm", "", rs(primary, drReplica, lagAlarm(map[string]any{"DBInstanceIdentifier": policyUnknown}, drReplica)), false},
		{"lag alarm naming the replica", "replica-lag-alarm", "", rs(primary, drReplica, lagAlarm(map[string]any{"DBInstanceIdentifier": "orders-replica"})), false},
		{"primary needs no lag alarm", "replica-lag-alarm", "", rs(primary), false},

		{"load balancer without alarms", "load-balancer-alarms", "", rs(albSG, lb), true},
		{"alarm on another load balancer", "load-balancer-alarms", "", rs(albSG, lb, lbAlarm(map[string]any{"LoadBalancer": "app/other/50dc6c495c0c9188"})), true},
		{"alarm following the load balancer", "load-balancer-alarms", "", rs(albSG, lb, lbAlarm(map[string]any{"LoadBalancer": policyUnknown}, lb)), false},
		{"alarm naming the load balancer", "load-balancer-alarms", "", rs(albSG, lb, lbAlarm(map[string]any{"LoadBalancer": "app/web/50dc6c495c0c9188"})), false},
		{"alarm that notifies nobody", "load-balancer-alarms", "", rs(albSG, lb, silentLBAlarm), true},
		{"metric-math alarm on the load balancer", "load-balancer-alarms", "", rs(albSG, lb, lbMathAlarm), false},
	}
}

// policyAllCases are every rule's fixtures.
func policyAllCases() []policyCase {
	return slices.Concat(policyResourceCases(), policyStackCases(), policyMigrationCases())
}

func TestPolicyEachRuleFiresOnItsFixtureAndPassesTheCompliantOne(t *testing.T) {
	cases := policyAllCases()
	for _, c := range cases {
		t.Run(c.rule+"/"+c.name, func(t *testing.T) {
			stack := c.stack
			if stack == "" {
				stack = "dev"
			}
			got := policyFired(t, stack, c.rule, c.rs...)
			if c.fires {
				require.NotEmpty(t, got, "expected %s to fire", c.rule)
				for _, v := range got {
					assert.NotEmpty(t, v.URN, "a violation names its resource")
					assert.NotEmpty(t, v.Message, "a violation says what to change")
				}
			} else {
				require.Empty(t, got, "expected %s to stay silent", c.rule)
			}
		})
	}
}

// TestPolicyEveryRuleHasABreakingAndACompliantFixture keeps the table honest: a new rule without fixtures
// fails here.
func TestPolicyEveryRuleHasABreakingAndACompliantFixture(t *testing.T) {
	fires, passes := map[string]bool{}, map[string]bool{}
	for _, c := range policyAllCases() {
		if c.fires {
			fires[c.rule] = true
		} else {
			passes[c.rule] = true
		}
	}
	names := map[string]bool{}
	for _, r := range rules.Policies() {
		names[r.Name] = true
		assert.True(t, fires[r.Name], "rule %s has no fixture that breaks it", r.Name)
		assert.True(t, passes[r.Name], "rule %s has no compliant fixture", r.Name)
	}
	for n := range fires {
		assert.True(t, names[n], "fixture names unknown rule %s", n)
	}
	for n := range passes {
		assert.True(t, names[n], "fixture names unknown rule %s", n)
	}
}

func TestPolicyProductionOnlyRulesFireInProductionAndNotInDev(t *testing.T) {
	// One resource breaking every production-only rule at once, with no Environment tag: the stack decides.
	db := policyRes(policyTypeDB, "db", policyPrimaryDB(map[string]any{
		"multiAz": false, "deletionProtection": false, "skipFinalSnapshot": true, "tags": nil}))
	lb := policyRes(policyTypeLB, "alb", map[string]any{"dropInvalidHeaderFields": true})
	domain := policyRes(policyTypeDomain, "logs", map[string]any{"clusterConfig": map[string]any{"instanceCount": 2}})
	listener := policyRes(policyTypeListener, "http", map[string]any{"protocol": "HTTP",
		"defaultActions": []any{map[string]any{"type": "forward"}}})
	dms := policyRes(policyTypeDMSInstance, "dms", policyDMSInstance(map[string]any{"multiAz": false, "tags": nil}))

	var prodOnly []string
	for _, r := range rules.Policies() {
		if r.Scope == rules.ProductionOnly {
			prodOnly = append(prodOnly, r.Name)
		}
	}
	require.ElementsMatch(t, []string{"http-listener-redirects-to-https", "lb-deletion-protection", "lb-access-logs",
		"rds-multi-az", "rds-deletion-protection", "rds-final-snapshot", "dms-replication-instance-multi-az", "opensearch-three-data-nodes"}, prodOnly)

	for _, stack := range []string{"prod", "production", "PROD", "prod-eu-west-1", "drill"} {
		for _, name := range prodOnly {
			assert.NotEmpty(t, policyFired(t, stack, name, db, lb, listener, dms, domain), "%s must fire in stack %s", name, stack)
		}
	}
	for _, stack := range []string{"dev", "staging", "producer", "test"} {
		for _, name := range prodOnly {
			assert.Empty(t, policyFired(t, stack, name, db, lb, listener, dms, domain), "%s must not fire in stack %s", name, stack)
		}
	}

	// The Environment tag makes a resource production in any stack, including through the provider's defaultTags.
	tagged := policyRes(policyTypeDB, "db", policyPrimaryDB(map[string]any{"multiAz": false}))
	assert.NotEmpty(t, policyFired(t, "dev", "rds-multi-az", tagged))
	viaProvider := policyRes(policyTypeDB, "db", policyPrimaryDB(map[string]any{"multiAz": false, "tags": nil}))
	viaProvider.Provider.Properties = viaProvider.Provider.Properties.Set("defaultTags",
		property.New(`{"tags":{"Environment":"production"}}`))
	assert.NotEmpty(t, policyFired(t, "dev", "rds-multi-az", viaProvider))
}

func TestPolicyHTTPListenerIsAdvisoryInDevAndMandatoryInProduction(t *testing.T) {
	listener := policyRes(policyTypeListener, "http", map[string]any{"protocol": "HTTP", "tags": policyTags("dev"),
		"defaultActions": []any{map[string]any{"type": "forward"}}})
	dev, err := rules.Evaluate("dev", []policyx.AnalyzerResource{listener})
	require.NoError(t, err)
	require.Len(t, dev, 1)
	assert.Equal(t, rules.Advisory, dev[0].Level)
	assert.False(t, rules.AnyMandatory(dev))

	prod, err := rules.Evaluate("prod", []policyx.AnalyzerResource{listener})
	require.NoError(t, err)
	require.Len(t, prod, 1)
	assert.Equal(t, rules.Mandatory, prod[0].Level)
	assert.True(t, rules.AnyMandatory(prod))
	assert.Len(t, rules.MandatoryOnly(prod), 1)
}

func TestPolicyProductionStackNames(t *testing.T) {
	for stack, want := range map[string]bool{
		"prod": true, "production": true, "Production": true, "prod-us": true, "drill": true,
		"dev": false, "staging": false, "producer": false, "preprod": false, "": false,
	} {
		assert.Equal(t, want, rules.ProductionStack(stack), stack)
	}
}

// TestPolicyUnknownValuesInAPreviewReportNothing feeds the rules resources whose every input is unknown, as
// in a first preview where nothing exists yet: no rule may crash or guess.
func TestPolicyUnknownValuesInAPreviewReportNothing(t *testing.T) {
	var rs []policyx.AnalyzerResource
	inputs := map[string][]string{
		policyTypeInstance: {"associatePublicIpAddress", "rootBlockDevice", "metadataOptions", "subnetId", "ebsBlockDevices"},
		policyTypeLT:       {"networkInterfaces", "blockDeviceMappings", "metadataOptions"},
		policyTypeSG:       {"ingress"},
		policyTypeSGRule:   {"type", "protocol", "fromPort", "toPort", "cidrBlocks", "securityGroupId"},
		policyTypeIngress:  {"ipProtocol", "fromPort", "toPort", "cidrIpv4", "securityGroupId"},
		policyTypeListener: {"protocol", "defaultActions", "sslPolicy"},
		policyTypeLB:       {"loadBalancerType", "dropInvalidHeaderFields", "enableDeletionProtection", "accessLogs", "desyncMitigationMode"},
		policyTypeDB: {"publiclyAccessible", "storageEncrypted", "kmsKeyId", "backupRetentionPeriod", "multiAz", "deletionProtection", "skipFinalSnapshot", "dbSubnetGroupName", "replicateSourceDb",
			"engine", "monitoringInterval", "enabledCloudwatchLogsExports", "iamDatabaseAuthenticationEnabled", "copyTagsToSnapshot"},
		policyTypeKMS:      {"enableKeyRotation"},
		policyTypeSubnet:   {"mapPublicIpOnLaunch"},
		policyTypeASG:      {"vpcZoneIdentifiers", "targetGroupArns", "healthCheckType", "launchTemplate"},
		policyTypeTopic:    {"kmsMasterKeyId"},
		policyTypeLogGroup: {"retentionInDays"},
		policyTypeDomain:   {"vpcOptions", "encryptAtRest", "nodeToNodeEncryption", "domainEndpointOptions", "advancedSecurityOptions", "logPublishingOptions", "clusterConfig"},
		"aws:ec2/defaultNetworkAcl:DefaultNetworkAcl": {"ingress"},
		policyTypeIAM:         {"policy"},
		policyTypeDMSInstance: {"publiclyAccessible", "kmsKeyArn", "multiAz", "autoMinorVersionUpgrade"},
		policyTypeDMSEndpoint: {"engineName", "sslMode", "secretsManagerArn", "secretsManagerAccessRoleArn"},
		policyTypeDMSTask:     {"replicationTaskSettings"},
		policyTypeVPN:         {"tunnel1LogOptions", "tunnel2LogOptions"},
		policyTypePropagation: {"routeTableId", "vpnGatewayId"},
	}
	for typ, keys := range inputs {
		props := map[string]any{"tags": policyUnknown}
		for _, k := range keys {
			props[k] = policyUnknown
		}
		rs = append(rs, policyRes(typ, "unknown", props))
	}
	for _, stack := range []string{"dev", "prod"} {
		vs, err := rules.Evaluate(stack, rs)
		require.NoError(t, err)
		// A missing alarm is known even in a preview: no alarm resource exists at all.
		vs = slices.DeleteFunc(vs, func(v rules.Violation) bool {
			return v.Policy == "load-balancer-alarms" || v.Policy == "replica-lag-alarm"
		})
		assert.Empty(t, vs, "stack %s", stack)
	}
}

func TestPolicyEvaluateIsSortedAndDeterministic(t *testing.T) {
	rs := []policyx.AnalyzerResource{
		policyRes(policyTypeVPC, "b", nil),
		policyRes(policyTypeVPC, "a", nil),
		policyRes(policyTypeKMS, "k", nil),
	}
	first, err := rules.Evaluate("prod", rs)
	require.NoError(t, err)
	slices.Reverse(rs)
	second, err := rules.Evaluate("prod", rs)
	require.NoError(t, err)
	assert.Equal(t, first, second)
	assert.True(t, slices.IsSortedFunc(first, func(a, b rules.Violation) int {
		return strings.Compare(a.URN+"\x00"+a.Policy+"\x00"+a.Message, b.URN+"\x00"+b.Policy+"\x00"+b.Message)
	}))
	require.NotEmpty(t, first)
	assert.Contains(t, first[0].String(), "[mandatory]")
}

func TestPolicyPackLoadsAndNamesAreUnique(t *testing.T) {
	proj, err := workspace.LoadPolicyPack("../policy/PulumiPolicy.yaml")
	require.NoError(t, err)
	assert.Equal(t, "go", proj.Runtime.Name())
	assert.Equal(t, rules.Version, proj.Version, "PulumiPolicy.yaml and rules.Version agree")
	require.NotNil(t, proj.Description)
	for _, says := range []string{"Environment tag", "production", "prod-", "drill"} {
		assert.Contains(t, *proj.Description, says, "the description says how production is detected")
	}

	all := rules.Policies()
	assert.GreaterOrEqual(t, len(all), 25)
	seen := map[string]bool{}
	for _, r := range all {
		assert.False(t, seen[r.Name], "duplicate rule name %s", r.Name)
		seen[r.Name] = true
		assert.Regexp(t, `^[a-z0-9]+(-[a-z0-9]+)*$`, r.Name)
		assert.NotEmpty(t, r.Description, r.Name)
		assert.True(t, (r.CheckResource == nil) != (r.CheckStack == nil), "%s sets exactly one check", r.Name)
	}

	for _, stack := range []string{"dev", "prod"} {
		pack, err := rules.Pack(stack)
		require.NoError(t, err)
		assert.Equal(t, rules.PackName, pack.Name())
		assert.Equal(t, rules.Version, pack.Version().String())
		require.Len(t, pack.Policies(), len(all))
		for i, p := range pack.Policies() {
			assert.Equal(t, all[i].Name, p.Name())
			assert.Equal(t, all[i].Level.EnforcementLevel(), p.EnforcementLevel(), p.Name())
			_, stackPolicy := p.(policyx.StackValidationPolicy)
			assert.Equal(t, all[i].Stack(), stackPolicy, p.Name())
		}
	}
}

// TestPolicyJudgesWhatTheSimulatedAWSRecorded runs a real program under the simulation and feeds its graph
// to the rules, so references arrive exactly as the SDK records them (PropertyDependencies keyed by input).
func TestPolicyJudgesWhatTheSimulatedAWSRecorded(t *testing.T) {
	tags := pulumi.StringMap{"Project": pulumi.String("kit"), "Environment": pulumi.String("dev"), "ManagedBy": pulumi.String("pulumi")}
	tier := func(t string) pulumi.StringMap {
		out := pulumi.StringMap{"Tier": pulumi.String(t)}
		for k, v := range tags {
			out[k] = v
		}
		return out
	}
	program := func(withFlowLog bool) pulumi.RunFunc {
		return func(ctx *pulumi.Context) error {
			vpc, err := ec2.NewVpc(ctx, "vpc", &ec2.VpcArgs{CidrBlock: pulumi.String("10.0.0.0/16"), Tags: tags})
			if err != nil {
				return err
			}
			public, err := ec2.NewSubnet(ctx, "public-a", &ec2.SubnetArgs{VpcId: vpc.ID(), CidrBlock: pulumi.String("10.0.0.0/24"),
				Tags: tier("public")})
			if err != nil {
				return err
			}
			private, err := ec2.NewSubnet(ctx, "private-a", &ec2.SubnetArgs{VpcId: vpc.ID(), CidrBlock: pulumi.String("10.0.1.0/24"),
				Tags: tier("private")})
			if err != nil {
				return err
			}
			for name, subnet := range map[string]*ec2.Subnet{"exposed": public, "worker": private} {
				if _, err := ec2.NewInstance(ctx, name, &ec2.InstanceArgs{
					Ami: pulumi.String("ami-0abcdef1234567890"), InstanceType: pulumi.String("t3.micro"), SubnetId: subnet.ID(),
					MetadataOptions: &ec2.InstanceMetadataOptionsArgs{HttpTokens: pulumi.String("required")},
					RootBlockDevice: &ec2.InstanceRootBlockDeviceArgs{Encrypted: pulumi.Bool(true)},
					Tags:            tags,
				}); err != nil {
					return err
				}
			}
			if _, err := ec2.NewDefaultSecurityGroup(ctx, "default", &ec2.DefaultSecurityGroupArgs{VpcId: vpc.ID(), Tags: tags}); err != nil {
				return err
			}
			if withFlowLog {
				_, err = ec2.NewFlowLog(ctx, "flow", &ec2.FlowLogArgs{VpcId: vpc.ID(), TrafficType: pulumi.String("ALL"),
					LogDestinationType: pulumi.String("s3"), LogDestination: pulumi.String("arn:aws:s3:::kit-flow-logs"), Tags: tags})
			}
			return err
		}
	}

	for _, withFlowLog := range []bool{false, true} {
		g := simulate(t, "eu-west-1", program(withFlowLog))
		vs, err := rules.Evaluate("dev", g.AnalyzerResources())
		require.NoError(t, err)
		byPolicy := map[string][]string{}
		for _, v := range vs {
			byPolicy[v.Policy] = append(byPolicy[v.Policy], v.URN)
		}
		require.Len(t, byPolicy["workloads-in-private-subnets"], 1, "%v", vs)
		assert.Contains(t, byPolicy["workloads-in-private-subnets"][0], "::exposed")
		assert.Empty(t, byPolicy["default-security-group-closed"])
		assert.Empty(t, byPolicy["required-tags"])
		if withFlowLog {
			assert.Empty(t, byPolicy["vpc-flow-logs"])
		} else {
			require.Len(t, byPolicy["vpc-flow-logs"], 1)
			assert.Contains(t, byPolicy["vpc-flow-logs"][0], "aws:ec2/vpc:Vpc::vpc")
		}
	}
}

// BenchmarkPolicyEvaluate judges every fixture at once (about 200 resources, more than the prod stack), the
// work the offline plan adds on top of the simulation.
func BenchmarkPolicyEvaluate(b *testing.B) {
	var rs []policyx.AnalyzerResource
	for _, c := range policyAllCases() {
		rs = append(rs, c.rs...)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := rules.Evaluate("prod", rs); err != nil {
			b.Fatal(err)
		}
	}
}

// TestPolicyNetworkComponentPassesEveryRule judges the real network component as a stack would compose it:
// no violation at all, advisory included; turning flow logs off is caught.
func TestPolicyNetworkComponentPassesEveryRule(t *testing.T) {
	for _, stack := range []string{"dev", "prod"} {
		for _, flowLogs := range []bool{true, false} {
			g := simulate(t, "eu-west-1", func(ctx *pulumi.Context) error {
				_, err := network.New(ctx, "main", &network.Args{
					AZCount: 2, NATStrategy: network.NATSingle, DisableFlowLogs: !flowLogs,
					Tags: map[string]string{"Project": "kit", "Environment": "dev", "ManagedBy": "pulumi"},
				})
				return err
			})
			vs, err := rules.Evaluate(stack, g.AnalyzerResources())
			require.NoError(t, err)
			if flowLogs {
				assert.Empty(t, vs, "stack %s", stack)
				continue
			}
			require.Len(t, vs, 1, "stack %s: %v", stack, vs)
			assert.Equal(t, "vpc-flow-logs", vs[0].Policy)
		}
	}
}
