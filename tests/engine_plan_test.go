package tests

// The offline plan is Pulumi's own engine: these tests change the real stacks and assert on what the engine
// decides (replacements and their cascades, ignoreChanges, aliases, protect), as `pulumi preview` would.

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/rds"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/migration-kit/kit/internal/plan"
	"github.com/migration-kit/kit/stacks"
)

// editedProject copies the project with a committed stack's file (edited: each old text replaced by its new
// one) and its committed state, so a change is planned against what is deployed.
func editedProject(t *testing.T, stack string, edits ...string) string {
	t.Helper()
	require.Zero(t, len(edits)%2, "edits come in old, new pairs")
	text, err := os.ReadFile(filepath.Join(root, "stacks", "Pulumi."+stack+".yaml"))
	require.NoError(t, err)
	file := string(text)
	for i := 0; i < len(edits); i += 2 {
		require.Contains(t, file, edits[i])
		file = strings.Replace(file, edits[i], edits[i+1], 1)
	}
	dir := copyProject(t, map[string]string{stack: file})
	state, err := os.ReadFile(filepath.Join(root, "stacks", stack+".state.json"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "stacks", stack+".state.json"), state, 0o644))
	return dir
}

func changesByOp(r *plan.Result) map[plan.Op][]plan.Step {
	out := map[plan.Op][]plan.Step{}
	for _, s := range r.Changes() {
		out[s.Op] = append(out[s.Op], s)
	}
	return out
}

func TestProdVPCCIDRChangeReplacesEveryDependentResourceAndIsBlocked(t *testing.T) {
	dir := editedProject(t, "prod", "cidr: 10.20.0.0/16", "cidr: 10.30.0.0/16")
	r, err := plan.Build(dir, "prod")
	require.NoError(t, err)
	ops := changesByOp(r)
	assert.GreaterOrEqual(t, len(ops[plan.Replace]), 45, "the engine replaces what the VPC's id feeds, and so on")
	var cascaded int
	for _, s := range ops[plan.Replace] {
		require.NotEmpty(t, s.Reasons, "%s is replaced for a reason the plan says", s.URN)
		if strings.Contains(strings.Join(s.Reasons, " "), "which is replaced") {
			cascaded++
		}
		assert.Equal(t, "us-east-1", s.Region, "nothing in the DR region depends on the primary VPC: %s", s.URN)
	}
	assert.Greater(t, cascaded, 30, "most replacements come from a replaced resource, not from their own inputs")

	byName := map[string]plan.Step{}
	for _, s := range ops[plan.Replace] {
		byName[s.Type+" "+s.Name] = s
	}
	vpc := byName["aws:ec2/vpc:Vpc primary"]
	assert.Equal(t, []string{`cidrBlock changes: "10.20.0.0/16" => "10.30.0.0/16"`}, vpc.Reasons)
	routeTable := byName["aws:ec2/routeTable:RouteTable primary-data"]
	assert.Equal(t, []string{"vpcId comes from Vpc primary, which is replaced"}, routeTable.Reasons)
	for _, name := range []string{"aws:ec2/natGateway:NatGateway primary-us-east-1a", "aws:ec2/flowLog:FlowLog primary",
		"aws:lb/targetGroup:TargetGroup web-tg", "aws:ec2/securityGroup:SecurityGroup web-instances"} {
		_, ok := byName[name]
		assert.True(t, ok, "the cascade reaches %s", name)
	}

	blocked := r.Blocked(false)
	require.NotEmpty(t, blocked)
	for _, s := range blocked {
		assert.NotEmpty(t, s.Stateful, s.URN)
	}
	assert.Contains(t, strings.Join(stepNames(blocked), " "), "aws:ec2/vpc:Vpc primary")

	var stdout, stderr bytes.Buffer
	assert.Equal(t, plan.ExitBlocked, plan.Main([]string{"-root", dir, "prod"}, &stdout, &stderr))
	assert.Contains(t, stdout.String(), "== Blocked\n")
	assert.Less(t, strings.Index(stdout.String(), "== Blocked"), strings.Index(stdout.String(), "== Changes"),
		"what is blocked comes before the list of changes")
}

func stepNames(steps []plan.Step) []string {
	var out []string
	for _, s := range steps {
		out = append(out, s.Type+" "+s.Name)
	}
	return out
}

func TestDatabaseNameReplacesTheProtectedPrimaryAndPulumiUpWouldRefuse(t *testing.T) {
	dir := editedProject(t, "prod", "    backupRetentionDays: 14\n", "    backupRetentionDays: 14\n    databaseName: shop\n")
	r, err := plan.Build(dir, "prod")
	require.NoError(t, err)
	var primary *plan.Step
	for _, s := range r.Changes() {
		if s.Type == typeRDSInstance && s.Name == "primary" {
			primary = &s
		}
	}
	require.NotNil(t, primary)
	assert.Equal(t, plan.Replace, primary.Op, "dbName cannot change in place")
	assert.Equal(t, []string{`dbName changes: "app" => "shop"`}, primary.Reasons)
	assert.True(t, primary.Protected)
	assert.Contains(t, stepNames(r.Blocked(true)), typeRDSInstance+" primary", "-allow-replace does not lift protect")
	assert.Contains(t, r.ProtectError, "protect", "the engine's own refusal, as pulumi up prints it")

	// Even unprotected, RDS would refuse: the program names the instance, so the provider deletes it before it
	// creates the replacement, and production's deletion protection refuses the deletion.
	require.Error(t, r.Refusal)
	assert.Contains(t, r.Refusal.Error(), "Cannot delete protected DB Instance primary")

	var stdout, stderr bytes.Buffer
	assert.Equal(t, plan.ExitInvalid, plan.Main([]string{"-root", dir, "-allow-replace", "prod"}, &stdout, &stderr))
	assert.Contains(t, stdout.String(), "!! REPLACE "+typeRDSInstance+" primary @us-east-1 loses the database")
	assert.Contains(t, stdout.String(), "pulumi state unprotect")
	assert.Contains(t, stderr.String(), "1 protected resource(s) would be replaced or deleted")
}

func TestASGMinSizeChangeUpdatesOnlyMinSize(t *testing.T) {
	dir := editedProject(t, "dev", "minSize: 1", "minSize: 2")
	r, err := plan.Build(dir, "dev")
	require.NoError(t, err)
	changes := r.Changes()
	require.Len(t, changes, 1, "%v", changes)
	assert.Equal(t, plan.Update, changes[0].Op)
	assert.Equal(t, "web-asg", changes[0].Name)
	assert.NotContains(t, changes[0].Keys(), "desiredCapacity",
		"desiredCapacity follows minSize in the program, but the group ignores its changes: scaling owns it")
	assert.Subset(t, []string{"minSize", "minElbCapacity"}, changes[0].Keys(),
		"the minimum, and the healthy count a first deployment waits for, which follows it")
}

// planProgram plans a stack's committed state with the program changed by transform (a stack
// transformation, as a program would register).
func planProgram(t *testing.T, stack string, transform pulumi.ResourceTransformation, prepare func(*plan.Operation)) *plan.Outcome {
	t.Helper()
	s, err := plan.LoadStack(root, stack)
	require.NoError(t, err)
	prior, err := plan.LoadState(filepath.Join(root, "stacks", stack+".state.json"))
	require.NoError(t, err)
	op := plan.Operation{Project: s.Project, Stack: s.Name, Config: s.Config, SecretKeys: s.SecretKeys, Prior: prior,
		Program: func(ctx *pulumi.Context) error {
			if err := ctx.RegisterStackTransformation(transform); err != nil {
				return err
			}
			return stacks.Run(ctx)
		}}
	if prepare != nil {
		prepare(&op)
	}
	out, err := op.Run()
	require.NoError(t, err)
	return out
}

func TestRDSIdentifierChangeIsAnUpdate(t *testing.T) {
	out := planProgram(t, "dev", func(args *pulumi.ResourceTransformationArgs) *pulumi.ResourceTransformationResult {
		if args.Type == typeRDSInstance {
			if a, ok := args.Props.(*rds.InstanceArgs); ok {
				a.Identifier = pulumi.String("orders")
			}
			return &pulumi.ResourceTransformationResult{Props: args.Props, Opts: args.Opts}
		}
		return nil
	}, nil)
	require.NoError(t, out.Err)
	steps := plan.StepsOf(out)
	var changed []string
	for _, s := range steps {
		if s.Op != plan.Same {
			changed = append(changed, s.String())
		}
	}
	assert.Contains(t, changed, "~ update "+typeRDSInstance+" primary (identifier)", "the provider renames in place")
	for _, c := range changed {
		assert.False(t, strings.HasPrefix(c, "+-"), "nothing is replaced: %s", c)
	}
}

func TestARenameWithAnAliasIsSame(t *testing.T) {
	// The deployed alarm is called "db-cpu-old"; the program registers it as "ops-db-cpu".
	renamedInState := func(op *plan.Operation) {
		for _, r := range op.Prior.Resources {
			if r.URN.Name() == "ops-db-cpu" {
				r.URN = r.URN.Rename("db-cpu-old")
			}
		}
	}
	alias := func(names ...string) pulumi.ResourceTransformation {
		return func(args *pulumi.ResourceTransformationArgs) *pulumi.ResourceTransformationResult {
			if args.Name != "ops-db-cpu" {
				return nil
			}
			opts := args.Opts
			for _, n := range names {
				opts = append(opts, pulumi.Aliases([]pulumi.Alias{{Name: pulumi.String(n)}}))
			}
			return &pulumi.ResourceTransformationResult{Props: args.Props, Opts: opts}
		}
	}

	without := planProgram(t, "dev", alias(), renamedInState)
	require.NoError(t, without.Err)
	ops := map[string]plan.Op{}
	for _, s := range plan.StepsOf(without) {
		ops[s.Name] = s.Op
	}
	assert.Equal(t, plan.Create, ops["ops-db-cpu"], "without an alias, the renamed alarm is a new alarm")
	assert.Equal(t, plan.Delete, ops["db-cpu-old"], "and the deployed one is deleted")

	with := planProgram(t, "dev", alias("db-cpu-old"), renamedInState)
	require.NoError(t, with.Err)
	for _, s := range plan.StepsOf(with) {
		assert.Equal(t, plan.Same, s.Op, "with an alias, the rename changes nothing: %s", s)
	}
}

func TestPlanJSONIsWhatPulumiPreviewJSONPrints(t *testing.T) {
	dir := editedProject(t, "dev", "maxSize: 3", "maxSize: 6")
	var stdout, stderr bytes.Buffer
	require.Equal(t, 0, plan.Main([]string{"dev", "-json", "-root", dir}, &stdout, &stderr), stderr.String())
	var digest struct {
		Config map[string]string `json:"config"`
		Steps  []struct {
			Op             string                    `json:"op"`
			URN            string                    `json:"urn"`
			DiffReasons    []string                  `json:"diffReasons"`
			DetailedDiff   map[string]map[string]any `json:"detailedDiff"`
			ReplaceReasons []string                  `json:"replaceReasons"`
		} `json:"steps"`
		ChangeSummary map[string]int `json:"changeSummary"`
		OfflinePlan   plan.Findings  `json:"offlinePlan"`
	}
	require.NoError(t, json.Unmarshal(stdout.Bytes(), &digest), stdout.String())
	assert.Positive(t, digest.ChangeSummary["update"])
	assert.Zero(t, digest.ChangeSummary["replace"])
	var asg bool
	for _, s := range digest.Steps {
		if strings.HasSuffix(s.URN, "::web-asg") {
			asg = true
			assert.Equal(t, "update", s.Op)
			assert.Equal(t, []string{"maxSize"}, s.DiffReasons)
			assert.Equal(t, "update", s.DetailedDiff["maxSize"]["kind"])
		}
	}
	assert.True(t, asg, "the group's step is there, as pulumi preview --json gives it")
	assert.Equal(t, "dev", digest.OfflinePlan.Stack)
	assert.NotNil(t, digest.OfflinePlan.Violations)
}

func TestPlanMarkdownIsAPullRequestComment(t *testing.T) {
	dir := editedProject(t, "prod", "cidr: 10.20.0.0/16", "cidr: 10.30.0.0/16")
	var stdout, stderr bytes.Buffer
	assert.Equal(t, plan.ExitBlocked, plan.Main([]string{"-md", "prod", "-root", dir}, &stdout, &stderr))
	md := stdout.String()
	assert.True(t, strings.HasPrefix(md, "<!-- kit-offline-plan:prod -->\n"), "a marker the workflow finds its own comment by")
	assert.Contains(t, md, "| blocked | ")
	assert.Contains(t, md, "#### :no_entry: Blocked")
	assert.Contains(t, md, "<details><summary>The whole plan</summary>")
	assert.LessOrEqual(t, len(md), 65536, "GitHub refuses a longer comment")

	// From nothing, a stack's plan lists every input of every resource: it is cut to fit, and says so.
	stdout.Reset()
	fresh := copyProject(t, map[string]string{"big": "config:\n  aws:region: us-east-1\n  kit:dr:\n    enabled: true\n" +
		"    region: us-west-2\n    cidr: 10.1.0.0/16\n    rpoSeconds: 300\n    strategy: warm-standby\n"})
	require.Equal(t, 0, plan.Main([]string{"-md", "big", "-root", fresh}, &stdout, &stderr), stderr.String())
	assert.LessOrEqual(t, len(stdout.String()), 65536)
}

func TestPlanFindsTheProjectFromASubdirectoryAndTakesFlagsAnywhere(t *testing.T) {
	found, err := plan.FindRoot(filepath.Join(root, "stacks", "scenarios"))
	require.NoError(t, err)
	abs, err := filepath.Abs(root)
	require.NoError(t, err)
	assert.Equal(t, abs, found)
	_, err = plan.FindRoot(t.TempDir())
	assert.ErrorContains(t, err, "no Pulumi.yaml")

	var stdout, stderr bytes.Buffer
	assert.Equal(t, 0, plan.Main([]string{"dev", "-root", root, "-tree"}, &stdout, &stderr), stderr.String())
	assert.Contains(t, stdout.String(), "== Resources after the update")
	assert.Equal(t, plan.ExitInvalid, plan.Main([]string{"dev", "prod", "-root", root}, &stdout, &stderr))
}

func TestAScenarioIsNeverAStack(t *testing.T) {
	dir := copyProject(t, map[string]string{"drill": "# plan: from prod\nconfig:\n  aws:region: us-east-1\n"})
	_, err := plan.LoadStack(dir, "drill")
	assert.ErrorContains(t, err, "pulumi stack init drill` would deploy it as a stack of its own")
	assert.ErrorContains(t, err, "Move it to ")

	require.NoError(t, os.MkdirAll(filepath.Join(dir, "stacks", "scenarios"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "stacks", "scenarios", "nofrom.yaml"),
		[]byte("config:\n  aws:region: us-east-1\n"), 0o644))
	_, err = plan.LoadStack(dir, "nofrom")
	assert.ErrorContains(t, err, `a scenario starts from a stack's state: add a line "# plan: from <stack>"`)

	r, err := committedPlan("drill")
	require.NoError(t, err)
	var stdout, stderr bytes.Buffer
	assert.Equal(t, plan.ExitInvalid, plan.Main([]string{"-root", root, "-update", "drill"}, &stdout, &stderr))
	assert.Contains(t, stderr.String(), "drill is a scenario planned from prod's state: it has no state of its own")
	assert.Equal(t, "prod", r.Stack.From)
}

func TestCommittedStateHoldsNoSecretInPlaintext(t *testing.T) {
	text, err := os.ReadFile(filepath.Join(root, "stacks", "prod.state.json"))
	require.NoError(t, err)
	r, err := committedPlan("prod")
	require.NoError(t, err)
	password := r.Graph.Named("random:index/randomPassword:RandomPassword", "primary-master-password")
	require.NotNil(t, password)
	secret := password.OutputString("result")
	assert.Contains(t, string(text), `"ciphertext": "sha256:`, "secrets are kept as digests")
	assert.NotContains(t, string(text), "plaintext")
	if secret != "" && !strings.HasPrefix(secret, "[secret") {
		assert.NotContains(t, string(text), secret, "the password itself is nowhere in the state")
	}
}

// TestREADMEShowsARealPullRequestComment keeps the README's example comment what the plan posts for its
// change (dev's kit:web.maxSize from 3 to 6); when it drifts, the test prints the block to paste.
func TestREADMEShowsARealPullRequestComment(t *testing.T) {
	dir := editedProject(t, "dev", "maxSize: 3", "maxSize: 6")
	var stdout, stderr bytes.Buffer
	require.Equal(t, 0, plan.Main([]string{"dev", "-md", "-root", dir}, &stdout, &stderr), stderr.String())
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	require.NoError(t, err)
	const open, close = "````markdown pr-comment\n", "````\n"
	text := string(readme)
	start := strings.Index(text, open)
	require.GreaterOrEqual(t, start, 0, "README.md has no %q block", strings.TrimSpace(open))
	end := strings.Index(text[start+len(open):], close)
	require.GreaterOrEqual(t, end, 0)
	if shown := text[start+len(open) : start+len(open)+end]; shown != stdout.String() {
		t.Errorf("README.md's pull-request comment is not what the plan posts. Paste:\n\n%s%s%s", open, stdout.String(), close)
	}
}

func TestAStackFileWithTyposAndBadValuesIsRefusedWithEveryProblemAtOnce(t *testing.T) {
	dir := copyProject(t, map[string]string{"bad": "config:\n  aws:regoin: us-east-1\n  kit:networks:\n    cidr: 10.0.0.0/16\n" +
		"  kit:database:\n    backupRetentionDays: 0\n"})
	var stdout, stderr bytes.Buffer
	assert.Equal(t, plan.ExitInvalid, plan.Main([]string{"bad", "-root", dir}, &stdout, &stderr))
	msg := stderr.String()
	assert.True(t, strings.HasPrefix(msg, "plan: stacks/Pulumi.bad.yaml: the stack configuration is invalid:\n - "), msg)
	for _, want := range []string{`"aws:regoin"`, `did you mean "aws:region"?`, `"kit:networks"`,
		"kit:database.backupRetentionDays 0 is out of range"} {
		assert.Contains(t, msg, want, "one run reports the file's keys and the sections' values together")
	}
	assert.NotContains(t, msg, "error occurred", "the SDK's wrapping is not the user's business")
	assert.True(t, strings.HasSuffix(msg, "\n") && !strings.HasSuffix(msg, "\n\n"), "no trailing blank lines: %q", msg)

	stderr.Reset()
	top := copyProject(t, map[string]string{"top": "configs:\n  kit:web:\n    minSize: 2\n"})
	assert.Equal(t, plan.ExitInvalid, plan.Main([]string{"top", "-root", top}, &stdout, &stderr))
	assert.Contains(t, stderr.String(), `unknown top-level key "configs": did you mean "config"?`)
}

func TestPolicyViolationsNameTheStackKeyThatFixesThem(t *testing.T) {
	var stdout, stderr bytes.Buffer
	require.Equal(t, 0, plan.Main([]string{"dev", "-root", root}, &stdout, &stderr), stderr.String())
	assert.Contains(t, stdout.String(), "[advisory] http-listener-redirects-to-https-advisory")
	assert.Contains(t, stdout.String(), "      in the stack file: set kit:web.certificateArn")
}
