package awssim

import (
	"fmt"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// Using an OpenSearch domain: the CloudWatch Logs resource policy it publishes its logs through, SAML sign-in
// to Dashboards, and the checks that a domain can be written to and opened by someone.

func init() {
	models["aws:cloudwatch/logResourcePolicy:LogResourcePolicy"] = logResourcePolicyModel
	models["aws:opensearch/domainSamlOptions:DomainSamlOptions"] = domainSAMLModel
}

func logResourcePolicyModel(s *Sim, r *Resource) (string, resource.PropertyMap, error) {
	name := stringInput(r.Inputs, "policyName")
	if name == "" || len(name) > 255 {
		return "", nil, refuse("InvalidParameterException", "policyName %q must be 1 to 255 characters", name)
	}
	if known(r.Inputs, "policyDocument") {
		if err := policyDocument("policyDocument", stringInput(r.Inputs, "policyDocument")); err != nil {
			return "", nil, err
		}
	}
	for _, o := range s.graph.byURN {
		if o.Type == r.Type && o.Region == r.Region && stringInput(o.Inputs, "policyName") == name {
			return "", nil, refuse("InvalidParameterException", "A resource policy named %s already exists in %s", name, r.Region)
		}
	}
	return name, echo(r, nil), nil
}

// checkLogPublishing refuses a domain that publishes logs to a group no resource policy lets
// es.amazonaws.com write: "Before you enable log publishing, you need to create a CloudWatch log group and
// provide OpenSearch Service the correct permissions to write to it" (AWS::OpenSearchService::Domain
// LogPublishingOption); CreateDomain checks it.
func (s *Sim) checkLogPublishing(r *Resource) error {
	for _, o := range objectsInput(r.Inputs, "logPublishingOptions") {
		group := stringInput(o, "cloudwatchLogGroupArn")
		if group == "" || !known(o, "cloudwatchLogGroupArn") || !boolInput(o, "enabled", true) {
			continue
		}
		allowed := false
		for _, p := range s.graph.byURN {
			if p.Type != "aws:cloudwatch/logResourcePolicy:LogResourcePolicy" || p.Region != r.Region {
				continue
			}
			grants, err := allowStatements(stringInput(p.Inputs, "policyDocument"))
			if err != nil || !strings.Contains(stringInput(p.Inputs, "policyDocument"), "es.amazonaws.com") {
				continue
			}
			allowed = allowed || len(missingActions(grants, []string{"logs:PutLogEvents", "logs:CreateLogStream"}, group+":*")) == 0
		}
		if !allowed {
			return refuse("ValidationException", "The Resource Access Policy specified for the CloudWatch Logs log "+
				"group %s does not grant sufficient permissions for Amazon OpenSearch Service to create a log stream",
				group)
		}
	}
	return nil
}

func domainSAMLModel(s *Sim, r *Resource) (string, resource.PropertyMap, error) {
	name := stringInput(r.Inputs, "domainName")
	var domain *Resource
	for _, d := range s.graph.byURN {
		if d.Type == "aws:opensearch/domain:Domain" && d.Region == r.Region && stringInput(d.Outputs, "domainName") == name {
			domain = d
		}
	}
	if known(r.Inputs, "domainName") && domain == nil {
		return "", nil, refuse("ResourceNotFoundException", "Domain not found: %s", name)
	}
	if domain != nil && !boolInput(domain.Inputs, "advancedSecurityOptions.enabled", false) {
		return "", nil, refuse("ValidationException", "SAML authentication requires fine-grained access control "+
			"on domain %s", name)
	}
	if boolInput(r.Inputs, "samlOptions.enabled", false) {
		if stringInput(r.Inputs, "samlOptions.idp.entityId") == "" || stringInput(r.Inputs, "samlOptions.idp.metadataContent") == "" {
			return "", nil, refuse("ValidationException", "SAML needs the identity provider's entity id and metadata")
		}
		if stringInput(r.Inputs, "samlOptions.masterBackendRole") == "" && stringInput(r.Inputs, "samlOptions.masterUserName") == "" {
			return "", nil, refuse("ValidationException", "SAML needs a master backend role or a master user name")
		}
	}
	return name, echo(r, nil), nil
}

// openSearchUnusable finds domains nothing in the program can write to, or no person can open Dashboards of:
// AWS accepts them, and they sit unused. Writing takes es:ESHttpPost on the domain (its access policy hands
// authorisation to IAM and fine-grained access control); a browser needs a sign-in (SAML or Cognito), as an
// IAM master user can only sign API requests.
func (g *Graph) openSearchUnusable() []string {
	var out []string
	for _, d := range g.byURN {
		if d.Type != "aws:opensearch/domain:Domain" {
			continue
		}
		domainARN := stringInput(d.Outputs, "arn")
		writable := false
		for _, p := range g.byURN {
			if p.Type != "aws:iam/rolePolicy:RolePolicy" || !known(p.Inputs, "policy") {
				continue
			}
			grants, err := allowStatements(stringInput(p.Inputs, "policy"))
			writable = writable || err == nil && len(missingActions(grants, []string{"es:ESHttpPost"}, domainARN+"/logs")) == 0
		}
		if !writable {
			out = append(out, fmt.Sprintf("%s: no role of the program may sign es:ESHttpPost to domain %s: AWS "+
				"accepts the domain, but every write to it is refused. Grant the log shippers' role es:ESHttp* on "+
				"the domain.", d.URN, stringInput(d.Outputs, "domainName")))
		}
		signIn := boolInput(d.Inputs, "cognitoOptions.enabled", false)
		for _, s := range g.byURN {
			signIn = signIn || s.Type == "aws:opensearch/domainSamlOptions:DomainSamlOptions" &&
				stringInput(s.Inputs, "domainName") == stringInput(d.Outputs, "domainName") &&
				boolInput(s.Inputs, "samlOptions.enabled", false)
		}
		if !signIn && stringInput(d.Inputs, "advancedSecurityOptions.masterUserOptions.masterUserArn") != "" {
			out = append(out, fmt.Sprintf("%s: domain %s has an IAM master user and no SAML or Cognito sign-in: "+
				"AWS accepts it, but nobody can open OpenSearch Dashboards in a browser. Add SAML (or Cognito) "+
				"authentication.", d.URN, stringInput(d.Outputs, "domainName")))
		}
	}
	return out
}
