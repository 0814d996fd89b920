package observability

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/opensearch"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// A logs domain people and instances can use.
//
//   - Logs out of the domain (Security Hub Opensearch.4 and .5): its error logs and audit logs go to two
//     CloudWatch log groups that es.amazonaws.com may write, and only for this account's domains ("Monitoring
//     audit logs in Amazon OpenSearch Service": a resource policy allowing logs:PutLogEvents and
//     logs:CreateLogStream, with aws:SourceAccount and aws:SourceArn against the confused deputy). Audit logging
//     then still has to be switched on inside the domain, a post-deploy step (README).
//   - Logs into the domain: the instances' role may sign requests to this domain's HTTP API (es:ESHttpGet,
//     Head, Post, Put). The access policy lets the account's principals through to fine-grained access control,
//     where the role must be mapped to a role that may write the log indices: the AWS provider cannot call the
//     domain's security API, so that mapping is a post-deploy step too.
//   - People into Dashboards: SAML single sign-on (IAM Identity Center or another identity provider), with
//     the IdP group that administers the domain as the master backend role (opensearch.DomainSamlOptions).

// openSearchLogRetentionDays is how long the domain's error and audit logs are kept.
const openSearchLogRetentionDays = 365

// openSearchWriteActions are what a log shipper signs requests for: bulk and index writes (POST, PUT), and the
// reads of a template or index check before writing (GET, HEAD).
var openSearchWriteActions = []string{"es:ESHttpGet", "es:ESHttpHead", "es:ESHttpPost", "es:ESHttpPut"}

// OpenSearchSAML lets people sign in to OpenSearch Dashboards through a SAML identity provider.
type OpenSearchSAML struct {
	// EntityID is the identity provider's entity id (the issuer of its assertions). Required.
	EntityID string
	// MetadataXML is the identity provider's SAML metadata document. Required.
	MetadataXML string
	// MasterBackendRole is the SAML group (a value of the roles attribute) whose members administer the
	// domain. Required.
	MasterBackendRole string
	// RolesKey is the assertion attribute that carries the groups. Optional; default "Role" (OpenSearch's).
	RolesKey string
}

// openSearchLogGroups makes the error and audit log groups and lets the domain write them.
func (b *builder) openSearchLogGroups(domain string) (application, audit *cloudwatch.LogGroup, policy pulumi.Resource, err error) {
	group := func(kind string) (*cloudwatch.LogGroup, error) {
		return cloudwatch.NewLogGroup(b.ctx, fmt.Sprintf("%s-opensearch-%s", b.name, kind), &cloudwatch.LogGroupArgs{
			Name:            pulumi.String(fmt.Sprintf("/aws/opensearch/domains/%s/%s", domain, kind)),
			RetentionInDays: pulumi.Int(openSearchLogRetentionDays),
			Tags:            b.tags(b.name + "-opensearch-" + kind),
		}, b.parent)
	}
	if application, err = group("application"); err != nil {
		return nil, nil, nil, err
	}
	if audit, err = group("audit"); err != nil {
		return nil, nil, nil, err
	}
	region := b.args.Region
	doc := pulumi.All(b.accountID, application.Arn, audit.Arn).ApplyT(func(v []any) (string, error) {
		acct := v[0].(string)
		return policyJSON(map[string]any{
			"Sid":       "OpenSearchWritesItsLogs",
			"Effect":    "Allow",
			"Principal": map[string]any{"Service": "es.amazonaws.com"},
			"Action":    []string{"logs:PutLogEvents", "logs:CreateLogStream"},
			"Resource":  []string{v[1].(string) + ":*", v[2].(string) + ":*"},
			"Condition": map[string]any{
				"StringEquals": map[string]any{"aws:SourceAccount": acct},
				"ArnLike":      map[string]any{"aws:SourceArn": fmt.Sprintf("arn:aws:es:%s:%s:domain/%s", region, acct, domain)},
			},
		})
	}).(pulumi.StringOutput)
	p, err := cloudwatch.NewLogResourcePolicy(b.ctx, b.name+"-opensearch-logs", &cloudwatch.LogResourcePolicyArgs{
		PolicyName:     pulumi.String(b.name + "-opensearch-" + domain),
		PolicyDocument: doc,
	}, b.parent)
	return application, audit, p, err
}

// openSearchLogPublishing is the domain's logPublishingOptions for the two groups.
func openSearchLogPublishing(application, audit *cloudwatch.LogGroup) opensearch.DomainLogPublishingOptionArray {
	return opensearch.DomainLogPublishingOptionArray{
		opensearch.DomainLogPublishingOptionArgs{LogType: pulumi.String("ES_APPLICATION_LOGS"),
			CloudwatchLogGroupArn: application.Arn, Enabled: pulumi.Bool(true)},
		opensearch.DomainLogPublishingOptionArgs{LogType: pulumi.String("AUDIT_LOGS"),
			CloudwatchLogGroupArn: audit.Arn, Enabled: pulumi.Bool(true)},
	}
}

// openSearchWriters lets the writer roles sign requests to the domain's HTTP API.
func (b *builder) openSearchWriters(domainARN pulumi.StringOutput) error {
	for i, role := range b.args.OpenSearch.WriterRoleNames {
		if err := b.openSearchWriter(fmt.Sprintf("%s-opensearch-write-%d", b.name, i), role, domainARN); err != nil {
			return err
		}
	}
	return nil
}

func (b *builder) openSearchWriter(name string, role pulumi.StringInput, domainARN pulumi.StringOutput) error {
	_, err := iam.NewRolePolicy(b.ctx, name, &iam.RolePolicyArgs{
		Role: role,
		Policy: domainARN.ApplyT(func(arn string) (string, error) {
			return policyJSON(map[string]any{
				"Sid": "ShipLogsToTheDomain", "Effect": "Allow", "Action": openSearchWriteActions,
				"Resource": []string{arn + "/*"},
			})
		}).(pulumi.StringOutput),
	}, b.parent)
	return err
}

// openSearchSAML turns SAML sign-in to Dashboards on.
func (b *builder) openSearchSAML(domain *opensearch.Domain) error {
	s := b.args.OpenSearch.SAML
	if s == nil {
		return nil
	}
	rolesKey := s.RolesKey
	if rolesKey == "" {
		rolesKey = "Role"
	}
	_, err := opensearch.NewDomainSamlOptions(b.ctx, b.name+"-opensearch-saml", &opensearch.DomainSamlOptionsArgs{
		DomainName: domain.DomainName,
		SamlOptions: &opensearch.DomainSamlOptionsSamlOptionsArgs{
			Enabled: pulumi.Bool(true),
			Idp: &opensearch.DomainSamlOptionsSamlOptionsIdpArgs{
				EntityId:        pulumi.String(s.EntityID),
				MetadataContent: pulumi.String(s.MetadataXML),
			},
			MasterBackendRole: pulumi.String(s.MasterBackendRole),
			RolesKey:          pulumi.String(rolesKey),
		},
	}, b.parent)
	return err
}
