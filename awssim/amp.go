package awssim

import (
	"regexp"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// Amazon Managed Service for Prometheus and Amazon Managed Grafana workspaces.

func init() {
	models["aws:amp/workspace:Workspace"] = ampWorkspaceModel
	models["aws:grafana/workspace:Workspace"] = grafanaWorkspaceModel
}

var kmsKeyARN = regexp.MustCompile(`^arn:aws:kms:([a-z0-9-]+):\d{12}:key/[0-9a-f-]+$`)

func ampWorkspaceModel(s *Sim, r *Resource) (string, resource.PropertyMap, error) {
	if a := stringInput(r.Inputs, "alias"); len(a) > 100 {
		return "", nil, refuse("ValidationException", "alias is longer than 100 characters")
	}
	if k := stringInput(r.Inputs, "kmsKeyArn"); known(r.Inputs, "kmsKeyArn") {
		m := kmsKeyARN.FindStringSubmatch(k)
		if m == nil || m[1] != r.Region {
			return "", nil, refuse("ValidationException", "kmsKeyArn %q must be the ARN of a KMS key in %s", k, r.Region)
		}
	}
	id := "ws-" + s.uuidFrom(r.URN)
	out := echo(r, map[string]any{
		"arn":                arn("aps", r.Region, "workspace/"+id),
		"prometheusEndpoint": "https://aps-workspaces." + r.Region + ".amazonaws.com/workspaces/" + id + "/",
	})
	return id, out, nil
}

var (
	grafanaName        = regexp.MustCompile(`^[a-zA-Z0-9-._~]{1,255}$`)
	grafanaDataSources = map[string]bool{"AMAZON_OPENSEARCH_SERVICE": true, "ATHENA": true, "CLOUDWATCH": true,
		"PROMETHEUS": true, "REDSHIFT": true, "SITEWISE": true, "TIMESTREAM": true, "TWINMAKER": true, "XRAY": true}
	grafanaVersions = map[string]bool{"8.4": true, "9.4": true, "10.4": true}
	roleARN         = regexp.MustCompile(`^arn:aws:iam::\d{12}:role/[\w+=,.@/-]+$`)
)

func grafanaWorkspaceModel(s *Sim, r *Resource) (string, resource.PropertyMap, error) {
	access := stringInput(r.Inputs, "accountAccessType")
	if access != "CURRENT_ACCOUNT" && access != "ORGANIZATION" {
		return "", nil, refuse("ValidationException", "accountAccessType %q must be CURRENT_ACCOUNT or ORGANIZATION", access)
	}
	providers := stringsInput(r.Inputs, "authenticationProviders")
	if len(providers) == 0 {
		return "", nil, refuse("ValidationException", "authenticationProviders must name AWS_SSO, SAML or both")
	}
	for _, p := range providers {
		if p != "AWS_SSO" && p != "SAML" {
			return "", nil, refuse("ValidationException", "authenticationProviders: %q must be AWS_SSO or SAML", p)
		}
	}
	perm := stringInput(r.Inputs, "permissionType")
	if perm != "CUSTOMER_MANAGED" && perm != "SERVICE_MANAGED" {
		return "", nil, refuse("ValidationException", "permissionType %q must be CUSTOMER_MANAGED or SERVICE_MANAGED", perm)
	}
	role := stringInput(r.Inputs, "roleArn")
	if perm == "CUSTOMER_MANAGED" && access == "CURRENT_ACCOUNT" && role == "" && !r.Inputs.ContainsUnknowns() {
		return "", nil, refuse("ValidationException", "A CUSTOMER_MANAGED workspace in CURRENT_ACCOUNT mode needs "+
			"workspaceRoleArn: Grafana reads data sources with that role")
	}
	if known(r.Inputs, "roleArn") && !roleARN.MatchString(role) {
		return "", nil, refuse("ValidationException", "roleArn %q is not an IAM role ARN", role)
	}
	if access == "ORGANIZATION" && len(stringsInput(r.Inputs, "organizationalUnits")) == 0 && perm == "SERVICE_MANAGED" {
		return "", nil, refuse("ValidationException", "an ORGANIZATION workspace needs organizationalUnits")
	}
	for _, d := range stringsInput(r.Inputs, "dataSources") {
		if !grafanaDataSources[d] {
			return "", nil, refuse("ValidationException", "dataSources: %q is not a data source Grafana knows", d)
		}
	}
	for _, n := range stringsInput(r.Inputs, "notificationDestinations") {
		if n != "SNS" {
			return "", nil, refuse("ValidationException", "notificationDestinations: %q must be SNS", n)
		}
	}
	if v := stringInput(r.Inputs, "grafanaVersion"); v != "" && !grafanaVersions[v] {
		return "", nil, refuse("ValidationException", "grafanaVersion %q must be 8.4, 9.4 or 10.4", v)
	}
	name := stringInput(r.Inputs, "name")
	if name != "" && !grafanaName.MatchString(name) {
		return "", nil, refuse("ValidationException", "name %q must be 1-255 characters of letters, digits and -._~", name)
	}
	id := "g-" + s.hash(r.URN, 10)
	saml := "NOT_CONFIGURED"
	hasSAML := false
	for _, p := range providers {
		hasSAML = hasSAML || p == "SAML"
	}
	if !hasSAML {
		saml = ""
	}
	out := echo(r, map[string]any{
		"arn":                     arn("grafana", r.Region, "/workspaces/"+id),
		"endpoint":                id + ".grafana-workspace." + r.Region + ".amazonaws.com",
		"samlConfigurationStatus": saml,
	})
	setDefault(out, "grafanaVersion", "10.4")
	setDefault(out, "name", id)
	setDefault(out, "configuration", `{"plugins":{"pluginAdminEnabled":false},"unifiedAlerting":{"enabled":false}}`)
	return id, out, nil
}
