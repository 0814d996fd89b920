package awssim

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// What an IAM role may do, read from the graph: the Allow statements of its inline policies (iam/rolePolicy)
// and the AWS managed policies attached to it whose documents the simulation knows. Checks that find a role
// unable to do what its service needs use it; a role whose policies are unknown in a preview, or attached
// from outside the simulation's knowledge, is given the benefit of the doubt.

// managedPolicyActions are the actions of AWS managed policies the checks meet, from each policy's page in the
// AWS Managed Policy Reference.
var managedPolicyActions = map[string][]string{
	// AmazonGrafanaCloudWatchAccess (arn:aws:iam::aws:policy/service-role/AmazonGrafanaCloudWatchAccess, v1).
	"arn:aws:iam::aws:policy/service-role/AmazonGrafanaCloudWatchAccess": {
		"cloudwatch:DescribeAlarmsForMetric", "cloudwatch:DescribeAlarmHistory", "cloudwatch:DescribeAlarms",
		"cloudwatch:ListMetrics", "cloudwatch:GetMetricStatistics", "cloudwatch:GetMetricData",
		"cloudwatch:GetInsightRuleReport", "logs:DescribeLogGroups", "logs:GetLogGroupFields", "logs:StartQuery",
		"logs:StopQuery", "logs:GetQueryResults", "logs:GetLogEvents", "ec2:DescribeTags", "ec2:DescribeInstances",
		"ec2:DescribeRegions", "tag:GetResources", "oam:ListSinks", "oam:ListAttachedLinks",
	},
}

// roleGrant is one Allow statement's actions and resources.
type roleGrant struct {
	actions, resources []string
}

// roleGrants returns what the role named name is allowed, and whether the answer is complete (every policy
// known to the simulation and known in this run).
func (g *Graph) roleGrants(name string) (grants []roleGrant, complete bool) {
	complete = true
	for _, r := range g.byURN {
		switch {
		case r.Type == "aws:iam/rolePolicy:RolePolicy" && stringInput(r.Inputs, "role") == name:
			if !known(r.Inputs, "policy") {
				complete = false
				continue
			}
			gs, err := allowStatements(stringInput(r.Inputs, "policy"))
			if err != nil {
				complete = false
			}
			grants = append(grants, gs...)
		case r.Type == "aws:iam/rolePolicyAttachment:RolePolicyAttachment" && stringInput(r.Inputs, "role") == name:
			actions, ok := managedPolicyActions[stringInput(r.Inputs, "policyArn")]
			if !ok {
				complete = false
				continue
			}
			grants = append(grants, roleGrant{actions: actions, resources: []string{"*"}})
		}
	}
	return grants, complete
}

// allowStatements parses a policy document's Allow statements; Action and Resource may be a string or a list.
func allowStatements(doc string) ([]roleGrant, error) {
	var p struct {
		Statement json.RawMessage
	}
	if err := json.Unmarshal([]byte(doc), &p); err != nil {
		return nil, err
	}
	var stmts []map[string]any
	if err := json.Unmarshal(p.Statement, &stmts); err != nil {
		var one map[string]any
		if err := json.Unmarshal(p.Statement, &one); err != nil {
			return nil, err
		}
		stmts = []map[string]any{one}
	}
	var out []roleGrant
	for _, st := range stmts {
		if st["Effect"] != "Allow" {
			continue
		}
		out = append(out, roleGrant{actions: anyStrings(st["Action"]), resources: anyStrings(st["Resource"])})
	}
	return out, nil
}

func anyStrings(v any) []string {
	switch v := v.(type) {
	case string:
		return []string{v}
	case []any:
		var out []string
		for _, e := range v {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// wildcardMatch matches IAM's * and ? wildcards, case-insensitively as IAM compares actions.
func wildcardMatch(pattern, s string) bool {
	pattern, s = strings.ToLower(pattern), strings.ToLower(s)
	for pattern != "" {
		switch pattern[0] {
		case '*':
			for i := len(s); i >= 0; i-- {
				if wildcardMatch(pattern[1:], s[i:]) {
					return true
				}
			}
			return false
		case '?':
			if s == "" {
				return false
			}
		default:
			if s == "" || s[0] != pattern[0] {
				return false
			}
		}
		pattern, s = pattern[1:], s[1:]
	}
	return s == ""
}

// missingActions lists the actions of want that no grant allows on resource (a resource ARN, or "" for
// actions without resource-level permissions, which any grant's resources cover).
func missingActions(grants []roleGrant, want []string, resource string) []string {
	var missing []string
	for _, action := range want {
		allowed := false
		for _, gr := range grants {
			actionOK, resourceOK := false, resource == ""
			for _, a := range gr.actions {
				actionOK = actionOK || wildcardMatch(a, action)
			}
			for _, res := range gr.resources {
				resourceOK = resourceOK || wildcardMatch(res, resource)
			}
			allowed = allowed || actionOK && resourceOK
		}
		if !allowed {
			missing = append(missing, action)
		}
	}
	sort.Strings(missing)
	return missing
}

// grafanaCloudWatchReads are what Grafana's CloudWatch data source calls to list, query and label metrics:
// AmazonGrafanaCloudWatchAccess without its logs statement (a role for metrics only needs no logs reads).
var grafanaCloudWatchReads = []string{
	"cloudwatch:DescribeAlarmsForMetric", "cloudwatch:DescribeAlarmHistory", "cloudwatch:DescribeAlarms",
	"cloudwatch:ListMetrics", "cloudwatch:GetMetricStatistics", "cloudwatch:GetMetricData",
	"cloudwatch:GetInsightRuleReport", "ec2:DescribeTags", "ec2:DescribeInstances", "ec2:DescribeRegions",
	"tag:GetResources", "oam:ListSinks", "oam:ListAttachedLinks",
}

// grafanaCloudWatchUnreadable finds Grafana workspaces that read CloudWatch through a customer managed role
// lacking what the data source calls: AWS accepts the workspace, and its CloudWatch panels fail.
func (g *Graph) grafanaCloudWatchUnreadable() []string {
	var out []string
	for _, w := range g.byURN {
		if w.Type != "aws:grafana/workspace:Workspace" || stringInput(w.Inputs, "permissionType") != "CUSTOMER_MANAGED" ||
			!contains(stringsInput(w.Inputs, "dataSources"), "CLOUDWATCH") || !known(w.Inputs, "roleArn") {
			continue
		}
		roleARN := stringInput(w.Inputs, "roleArn")
		name := roleARN[strings.LastIndex(roleARN, "/")+1:]
		if (&Sim{graph: g}).roleByName(name) == nil {
			continue // a role made outside this program: its policies are not known here
		}
		grants, complete := g.roleGrants(name)
		if missing := missingActions(grants, grafanaCloudWatchReads, ""); complete && len(missing) > 0 {
			out = append(out, fmt.Sprintf("%s: Grafana workspace reads CLOUDWATCH through role %s, which is not "+
				"allowed %s: AWS accepts it, but the CloudWatch data source fails to list or label metrics. Grant "+
				"what AmazonGrafanaCloudWatchAccess grants.", w.URN, name, strings.Join(missing, ", ")))
		}
	}
	return out
}
