package observability

import (
	"encoding/json"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/amp"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// policyJSON renders an IAM policy document from its statements.
func policyJSON(statements ...map[string]any) (string, error) {
	out, err := json.Marshal(map[string]any{"Version": "2012-10-17", "Statement": statements})
	return string(out), err
}

// remoteWritePolicy lets the instances write samples to one workspace and do nothing else: no queries, no
// other workspace.
func remoteWritePolicy(workspaceARN string) (string, error) {
	return policyJSON(map[string]any{
		"Sid":      "RemoteWriteToTheWorkspace",
		"Effect":   "Allow",
		"Action":   []string{"aps:RemoteWrite"},
		"Resource": []string{workspaceARN},
	})
}

// prometheus makes the workspace and grants the instance role remote write on it.
func (b *builder) prometheus() (arn, endpoint pulumi.StringOutput, err error) {
	ws, err := amp.NewWorkspace(b.ctx, b.name+"-prometheus", &amp.WorkspaceArgs{
		Alias: pulumi.String(b.name),
		Tags:  b.tags(b.name + "-prometheus"),
	}, b.parent)
	if err != nil {
		return arn, endpoint, err
	}
	// An inline policy on the instance role, not a managed one: it lives and dies with this workspace.
	if _, err := iam.NewRolePolicy(b.ctx, b.name+"-prometheus-remote-write", &iam.RolePolicyArgs{
		Role:   b.args.InstanceRoleName,
		Policy: ws.Arn.ApplyT(remoteWritePolicy).(pulumi.StringOutput),
	}, b.parent); err != nil {
		return arn, endpoint, err
	}
	return ws.Arn, ws.PrometheusEndpoint, nil
}
