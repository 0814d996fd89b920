package tests

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/migration-kit/kit/awssim"
	"github.com/migration-kit/kit/internal/plan"
	"github.com/migration-kit/kit/policy/rules"
	"github.com/migration-kit/kit/stacks"
)

// root is the project directory, seen from this package.
const root = ".."

func TestEveryStackFileLoadsThroughTheCLILoaders(t *testing.T) {
	names := plan.Stacks(root)
	require.Contains(t, names, "dev")
	for _, name := range names {
		s, err := plan.LoadStack(root, name)
		require.NoError(t, err, name)
		assert.NotEmpty(t, s.Config["aws:region"], "%s sets or inherits aws:region", name)
	}
}

func TestProjectFileDeclaresTheGoRuntimeBuildTargetAndStackDir(t *testing.T) {
	s, err := plan.LoadStack(root, "dev")
	require.NoError(t, err)
	assert.Equal(t, "go", s.Project.Runtime.Name())
	assert.Equal(t, "bin/kit", s.Project.Runtime.Options()["buildTarget"])
	assert.Equal(t, "stacks", s.Project.StackConfigDir)
	assert.Equal(t, "us-east-1", s.Project.Config["aws:region"].Value)
}

// copyProject copies Pulumi.yaml into a temporary project with the given stack files.
func copyProject(t *testing.T, stackFiles map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	project, err := os.ReadFile(filepath.Join(root, "Pulumi.yaml"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "Pulumi.yaml"), project, 0o644))
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "stacks"), 0o755))
	for name, text := range stackFiles {
		require.NoError(t, os.WriteFile(filepath.Join(dir, "stacks", "Pulumi."+name+".yaml"), []byte(text), 0o644))
	}
	// The usage assumptions of the cost estimate go with the stacks they describe.
	usage, err := filepath.Glob(filepath.Join(root, "stacks", "*.usage.yaml"))
	require.NoError(t, err)
	for _, f := range usage {
		text, err := os.ReadFile(f)
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join(dir, "stacks", filepath.Base(f)), text, 0o644))
	}
	return dir
}

func TestMalformedProjectOrStackFilesFail(t *testing.T) {
	dir := copyProject(t, map[string]string{"broken": "config:\n  kit:network: [unclosed\n"})
	_, err := plan.LoadStack(dir, "broken")
	require.Error(t, err)

	require.NoError(t, os.WriteFile(filepath.Join(dir, "Pulumi.yaml"), []byte("runtime: go\n"), 0o644))
	_, err = plan.LoadStack(dir, "broken")
	require.Error(t, err, "a project without a name is refused by the schema")
	assert.Contains(t, err.Error(), "Pulumi.yaml")

	_, err = plan.LoadStack(root, "nosuchstack")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "the stacks and scenarios are ")
}

func TestStackConfigErrorsNameTheirKey(t *testing.T) {
	for _, tc := range []struct {
		name, config string
		want         []string
	}{
		{"unknown key", "  kit:network:\n    cidrr: 10.0.0.0/16\n", []string{`unknown config key "kit:network.cidrr": did you mean "cidr"?`}},
		{"wrong type", "  kit:network:\n    azCount: two\n", []string{`kit:network.azCount "two" should be a whole number`}},
		{"environment", "  kit:environment: staging\n", []string{`kit:environment "staging" is not an environment`}},
		{"zero AZs", "  kit:network:\n    azCount: 0\n", []string{"kit:network.azCount 0: the load balancer and the database need subnets in at least two AZs"}},
		{"component validation names the section", "  kit:network:\n    natStrategy: sometimes\n", []string{`kit:network.natStrategy "sometimes" is not a strategy`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := copyProject(t, map[string]string{"bad": "config:\n  aws:region: us-east-1\n" + tc.config})
			var stdout, stderr bytes.Buffer
			status := plan.Main([]string{"-root", dir, "bad"}, &stdout, &stderr)
			assert.Equal(t, 2, status)
			for _, w := range tc.want {
				assert.Contains(t, stderr.String(), w)
			}
		})
	}
}

func TestStateAndSnapshotAreFresh(t *testing.T) {
	for _, name := range plan.Stacks(root) {
		t.Run(name, func(t *testing.T) {
			r, err := committedPlan(name)
			require.NoError(t, err)
			if r.Stack.From != "" {
				return // a scenario has no state of its own
			}
			require.NotNil(t, r.Prior, "no state for %s: run %s", name, plan.RefreshCommand(name))
			if changes := r.Changes(); len(changes) > 0 {
				t.Fatalf("stack %s no longer matches %s: review the change, then run:\n\n    %s\n\n%v", name,
					r.StateFile, plan.RefreshCommand(name), changes)
			}
			state, err := r.StateText()
			require.NoError(t, err)
			committed, err := os.ReadFile(r.StateFile)
			require.NoError(t, err)
			assertSameText(t, state, string(committed), r.StateFile, plan.RefreshCommand(name))
			snapshot, err := os.ReadFile(r.SnapshotFile())
			require.NoError(t, err, "no snapshot for %s: run %s", name, plan.RefreshCommand(name))
			assertSameText(t, r.SnapshotText(), string(snapshot), r.SnapshotFile(), plan.RefreshCommand(name))
		})
	}
}

// assertSameText fails with the first line that differs, not with two whole files.
func assertSameText(t *testing.T, want, have, file, fix string) {
	t.Helper()
	if want == have {
		return
	}
	w, h := strings.Split(want, "\n"), strings.Split(have, "\n")
	for i := 0; i < len(w) || i < len(h); i++ {
		var wl, hl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(h) {
			hl = h[i]
		}
		if wl != hl {
			t.Fatalf("%s is stale: line %d is %q, the plan makes %q. Review the change, then run:\n\n    %s", file,
				i+1, hl, wl, fix)
		}
	}
}

func TestShippedStacksHaveNoMandatoryViolations(t *testing.T) {
	for _, name := range plan.Stacks(root) {
		r, err := committedPlan(name)
		require.NoError(t, err, name)
		assert.Empty(t, rules.MandatoryOnly(r.Violations), name)
	}
}

func TestStackRunsTheSameUnderPreview(t *testing.T) {
	for _, name := range []string{"dev", "prod"} {
		s, err := plan.LoadStack(root, name)
		require.NoError(t, err)
		opts := s.Options()
		opts.DryRun = true
		g, err := awssim.Run(stacks.Run, opts)
		require.NoError(t, err, name)
		r, err := committedPlan(name)
		require.NoError(t, err)
		assert.Equal(t, r.Graph.Len(), g.Len(), "%s: a preview registers what an update does", name)
	}
}

func TestPlanCommandPrintsSummaryVerdictsTotalsAndTheTreeOnRequest(t *testing.T) {
	var stdout, stderr bytes.Buffer
	status := plan.Main([]string{"dev", "-root", root, "-tree"}, &stdout, &stderr)
	require.Equal(t, 0, status, stderr.String())
	out := stdout.String()
	assert.Regexp(t, `== Summary\nno changes, \d+ unchanged\n`, out)
	for _, want := range []string{"== Changes\nnone: the stack matches its state",
		"== Policies (migration-kit", "0 mandatory", "== Totals after the update", "== Resources after the update",
		"kit:network:VPC primary", "aws:ec2/vpc:Vpc primary @us-east-1", `cidrBlock = "10.10.0.0/16"`,
		"userData = (base64, decoded)\n        #!/bin/bash\n", "policy =\n        {\n          \"Statement\": ["} {
		assert.True(t, strings.Contains(out, want), "the plan does not show %q", want)
	}
	assert.Less(t, strings.Index(out, "== Summary"), strings.Index(out, "== Changes"), "the summary comes first")

	stdout.Reset()
	require.Equal(t, 0, plan.Main([]string{"-root", root, "dev"}, &stdout, &stderr))
	assert.NotContains(t, stdout.String(), "== Resources", "the tree only on request")
}

func TestPlanFailsOnAMandatoryViolation(t *testing.T) {
	dir := copyProject(t, map[string]string{"cheap": "config:\n  aws:region: us-east-1\n  kit:network:\n    flowLogs: false\n"})
	var stdout, stderr bytes.Buffer
	assert.Equal(t, 1, plan.Main([]string{"-root", dir, "cheap"}, &stdout, &stderr))
	assert.Contains(t, stdout.String(), "[mandatory] vpc-flow-logs")
	assert.Contains(t, stderr.String(), "mandatory policy violations")
}

func TestPlanBlocksAStatefulReplacementUntilAllowed(t *testing.T) {
	dir := copyProject(t, map[string]string{"s": "config:\n  aws:region: us-east-1\n  kit:network:\n    cidr: 10.0.0.0/16\n"})
	var stdout, stderr bytes.Buffer
	require.Equal(t, 0, plan.Main([]string{"-root", dir, "-update", "s"}, &stdout, &stderr), stderr.String())

	require.NoError(t, os.WriteFile(filepath.Join(dir, "stacks", "Pulumi.s.yaml"),
		[]byte("config:\n  aws:region: us-east-1\n  kit:network:\n    cidr: 10.20.0.0/16\n"), 0o644))
	stdout.Reset()
	stderr.Reset()
	assert.Equal(t, 1, plan.Main([]string{"-root", dir, "s"}, &stdout, &stderr))
	assert.Contains(t, stdout.String(), "== Blocked\n!! REPLACE aws:ec2/subnet:Subnet primary-data-us-east-1a @us-east-1 loses ")
	assert.Contains(t, stdout.String(), "!! REPLACE aws:ec2/vpc:Vpc primary @us-east-1 loses the network")
	assert.Contains(t, stdout.String(), `     because cidrBlock changes: "10.0.0.0/16" => "10.20.0.0/16"`)
	assert.Contains(t, stderr.String(), "rerun with -allow-replace")

	stdout.Reset()
	stderr.Reset()
	assert.Equal(t, 1, plan.Main([]string{"-root", dir, "-update", "s"}, &stdout, &stderr))
	assert.Contains(t, stderr.String(), "nothing written")
	assert.Equal(t, 0, plan.Main([]string{"-root", dir, "-allow-replace", "-update", "s"}, &stdout, &stderr),
		stderr.String())
	stdout.Reset()
	assert.Equal(t, 0, plan.Main([]string{"-root", dir, "s"}, &stdout, &stderr))
	assert.Contains(t, stdout.String(), "none: the stack matches its state", "the update was written")
}

// stackOutputs runs the stack's Deploy under the simulated AWS with a stack file's config and returns its
// outputs, resolved.
func stackOutputs(t *testing.T, name string) (map[string]any, *awssim.Graph) {
	t.Helper()
	s, err := plan.LoadStack(root, name)
	require.NoError(t, err)
	got := map[string]any{}
	g, err := awssim.Run(func(ctx *pulumi.Context) error {
		cfg, err := stacks.LoadConfig(ctx)
		if err != nil {
			return err
		}
		out, err := stacks.Deploy(ctx, cfg)
		if err != nil {
			return err
		}
		got["primaryRegion"], got["drRegion"], got["rpoSeconds"], got["promoted"] = out.PrimaryRegion, out.DRRegion, out.RPOSeconds, out.ReplicaPromoted
		pulumi.All(out.AppURL, out.DatabaseEndpoint, out.VPCIDs.ToStringMapOutput(), out.ReplicaEndpoint, out.DashboardURL).ApplyT(func(v []any) error {
			got["appUrl"], got["databaseEndpoint"], got["vpcIds"], got["replicaEndpoint"], got["dashboardUrl"] = v[0], v[1], v[2], v[3], v[4]
			return nil
		})
		return nil
	}, s.Options())
	require.NoError(t, err)
	return got, g
}

func TestStackOutputsGiveWhatAUserNeeds(t *testing.T) {
	prod, g := stackOutputs(t, "prod")
	assert.Regexp(t, `^https://web-alb-[0-9a-f]{7}-\d+\.us-east-1\.elb\.amazonaws\.com$`, prod["appUrl"])
	assert.Regexp(t, `^primary\.[a-z0-9]{12}\.us-east-1\.rds\.amazonaws\.com:5432$`, prod["databaseEndpoint"])
	assert.Regexp(t, `^dr\.[a-z0-9]{12}\.us-west-2\.rds\.amazonaws\.com:5432$`, prod["replicaEndpoint"])
	assert.Equal(t, "us-west-2", prod["drRegion"])
	assert.Equal(t, 300, prod["rpoSeconds"])
	assert.Equal(t, false, prod["promoted"])
	vpcs := prod["vpcIds"].(map[string]string)
	assert.Len(t, vpcs, 2)
	for region, id := range vpcs {
		vpc := g.ByID(id)
		require.NotNil(t, vpc, id)
		assert.Equal(t, region, vpc.Region)
	}
	assert.Contains(t, prod["dashboardUrl"], "region=us-east-1#dashboards:name=kit-prod-ops")

	dev, _ := stackOutputs(t, "dev")
	assert.Regexp(t, `^http://`, dev["appUrl"], "dev serves HTTP only")
	assert.Equal(t, "", dev["drRegion"])
	assert.Len(t, dev["vpcIds"], 1)
}

func TestStackRefusesADRRegionThatCannotServe(t *testing.T) {
	for _, tc := range []struct{ region, want string }{
		{"", "kit:dr.region is not set"},
		{"us-east-1", `kit:dr.region "us-east-1" is the primary region`},
		{"mars-north-1", `kit:dr.region "mars-north-1" is not an AWS region the kit knows`},
	} {
		dir := copyProject(t, map[string]string{"s": "config:\n  aws:region: us-east-1\n  kit:dr:\n    enabled: true\n    region: \"" + tc.region + "\"\n    cidr: 10.1.0.0/16\n    rpoSeconds: 300\n"})
		var stdout, stderr bytes.Buffer
		assert.Equal(t, 2, plan.Main([]string{"-root", dir, "s"}, &stdout, &stderr))
		assert.Contains(t, stderr.String(), tc.want)
	}
}

func TestProdDRLivesInItsRegionAndAlertsThere(t *testing.T) {
	r, err := committedPlan("prod")
	require.NoError(t, err)
	g := r.Graph
	drSite := g.Named("kit:dr:DR", "dr")
	require.NotNil(t, drSite)
	for _, res := range g.Descendants(drSite.URN) {
		if res.Custom {
			assert.Equal(t, "us-west-2", res.Region, "%s %s", res.Type, res.Name)
		}
	}
	var lag *awssim.Resource
	for _, a := range g.ByType("aws:cloudwatch/metricAlarm:MetricAlarm") {
		if a.InputString("metricName") == "ReplicaLag" {
			lag = a
		}
	}
	require.NotNil(t, lag)
	assert.Equal(t, "us-west-2", lag.Region)
	assert.Equal(t, 300.0, lag.Input("threshold").NumberValue())
	actions := lag.Input("alarmActions").ArrayValue()
	require.Len(t, actions, 1)
	topic := g.Named("aws:sns/topic:Topic", "dr-alarms")
	require.NotNil(t, topic)
	assert.Equal(t, topic.OutputString("arn"), actions[0].StringValue(), "the lag alarm notifies the DR region's topic")

	standby := g.Named("aws:autoscaling/group:Group", "dr-web-asg")
	primary := g.Named("aws:autoscaling/group:Group", "web-asg")
	require.NotNil(t, standby)
	require.NotNil(t, primary)
	assert.Less(t, standby.Input("minSize").NumberValue(), primary.Input("minSize").NumberValue(), "the warm standby runs at reduced capacity")
	assert.Len(t, g.ByType("aws:route53/record:Record"), 2, "PRIMARY and SECONDARY failover records")
}

func TestWarmStandbyDefaultsToOneInstanceAndThePrimarysMaximum(t *testing.T) {
	dir := copyProject(t, map[string]string{"s": `config:
  aws:region: us-east-1
  kit:web:
    minSize: 3
    maxSize: 9
  kit:dr:
    enabled: true
    region: us-west-2
    cidr: 10.1.0.0/16
    strategy: warm-standby
    rpoSeconds: 600
`})
	r, err := plan.Build(dir, "s")
	require.NoError(t, err)
	standby := r.Graph.Named("aws:autoscaling/group:Group", "dr-web-asg")
	require.NotNil(t, standby)
	assert.Equal(t, float64(stacks.StandbyMinSize), standby.Input("minSize").NumberValue(), "warm, at reduced capacity")
	assert.Equal(t, 9.0, standby.Input("maxSize").NumberValue(), "able to take the primary's whole load after a failover")
}
