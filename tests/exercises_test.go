package tests

// The migration exercises of docs/EXERCISES.md, run as the doc tells a user to run them. The doc is the
// single source of what each step changes and shows: its fenced blocks carry an id after the language,
//
//	```yaml network-3az      the config edit of a step, as a fragment of a stack file
//	```plan network-3az      the "== Changes" section the offline plan prints for it
//	```policy policy-multi-az the mandatory violations it prints (none without this block)
//	```stderr fail-back      what it prints on stderr, then "exit status N" (no block: nothing, status 0)
//
// and the tests below apply the yaml blocks to the committed stack files in a temporary project, run the
// plan command, and compare what it prints with the other blocks, line for line. A doc that drifts from the
// kit fails here with the output to paste.

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/migration-kit/kit/internal/plan"
)

const exercisesDoc = root + "/docs/EXERCISES.md"

// exercisesBlocks reads the doc's fenced blocks that carry an id, keyed "<language> <id>".
func exercisesBlocks(t *testing.T) (map[string]string, string) {
	t.Helper()
	text, err := os.ReadFile(exercisesDoc)
	require.NoError(t, err)
	blocks := map[string]string{}
	fence := regexp.MustCompile("(?ms)^```([a-z]+) ([a-z0-9-]+)\n(.*?)^```$")
	for _, m := range fence.FindAllStringSubmatch(string(text), -1) {
		key := m[1] + " " + m[2]
		_, dup := blocks[key]
		require.False(t, dup, "%s has two blocks %q", exercisesDoc, key)
		blocks[key] = m[3]
	}
	return blocks, string(text)
}

// exercisesSection is one top-level config key of a stack file: its own line, then its children (the keys
// one level down, each with its nested lines and the comments above it).
type exercisesSection struct {
	key      string
	line     string
	children []exercisesChild
}

type exercisesChild struct {
	key   string
	lines []string
}

// exercisesStackFile is a stack file split for editing: the "# plan: from" directive, the lines before
// "config:", and the config sections in order.
type exercisesStackFile struct {
	from     string
	head     []string
	sections []*exercisesSection
}

// exercisesKey is the key of a "key: value" or "key:" line; keys may hold colons (kit:web), values too.
func exercisesKey(t *testing.T, line string) string {
	t.Helper()
	trimmed := strings.TrimSpace(line)
	key, _, ok := strings.Cut(trimmed, ": ")
	if !ok {
		key, ok = strings.CutSuffix(trimmed, ":")
	}
	require.True(t, ok && key != "", "not a config key: %q", line)
	return key
}

func exercisesParse(t *testing.T, text string) *exercisesStackFile {
	t.Helper()
	f := &exercisesStackFile{}
	inConfig := false
	var pending []string // comments waiting for the key below them
	for _, line := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
		trimmed := strings.TrimSpace(line)
		if rest, ok := strings.CutPrefix(trimmed, "# plan: from "); ok {
			f.from = strings.TrimSpace(rest)
			continue
		}
		if !inConfig {
			if line == "config:" {
				inConfig = true
			} else {
				f.head = append(f.head, line)
			}
			continue
		}
		indent := len(line) - len(strings.TrimLeft(line, " "))
		comment := strings.HasPrefix(trimmed, "#")
		switch {
		case trimmed == "":
			continue
		case comment && indent <= 4:
			pending = append(pending, line)
		case indent == 2:
			f.sections = append(f.sections, &exercisesSection{key: exercisesKey(t, line), line: line})
			pending = nil
		case indent == 4:
			require.NotEmpty(t, f.sections, "a nested key before any config key: %q", line)
			s := f.sections[len(f.sections)-1]
			s.children = append(s.children, exercisesChild{key: exercisesKey(t, line), lines: append(pending, line)})
			pending = nil
		default:
			require.NotEmpty(t, f.sections, "a nested line before any config key: %q", line)
			s := f.sections[len(f.sections)-1]
			require.NotEmpty(t, s.children, "a nested line before any key of %s: %q", s.key, line)
			c := &s.children[len(s.children)-1]
			c.lines = append(c.lines, line)
		}
	}
	return f
}

func (f *exercisesStackFile) String() string {
	var b strings.Builder
	if f.from != "" {
		b.WriteString("# plan: from " + f.from + "\n")
	}
	for _, l := range f.head {
		b.WriteString(l + "\n")
	}
	b.WriteString("config:\n")
	for _, s := range f.sections {
		b.WriteString(s.line + "\n")
		for _, c := range s.children {
			b.WriteString(strings.Join(c.lines, "\n") + "\n")
		}
	}
	return b.String()
}

// apply merges a fragment as `pulumi config set --path` would: a key given with a plain value replaces
// the file's; a section's children replace the same children or are added after the others; a "# plan:
// from" line replaces the file's.
func (f *exercisesStackFile) apply(fragment *exercisesStackFile) {
	for _, fs := range fragment.sections {
		i := slices.IndexFunc(f.sections, func(s *exercisesSection) bool { return s.key == fs.key })
		if i < 0 {
			f.sections = append(f.sections, fs)
			continue
		}
		s := f.sections[i]
		if len(fs.children) == 0 {
			s.line, s.children = fs.line, nil
			continue
		}
		for _, fc := range fs.children {
			j := slices.IndexFunc(s.children, func(c exercisesChild) bool { return c.key == fc.key })
			if j < 0 {
				s.children = append(s.children, fc)
			} else {
				s.children[j] = fc
			}
		}
	}
}

// settings is the file's configuration without comments or order: key path to its lines.
func (f *exercisesStackFile) settings() map[string]string {
	out := map[string]string{}
	for _, s := range f.sections {
		out[s.key] = strings.TrimSpace(s.line)
		for _, c := range s.children {
			var lines []string
			for _, l := range c.lines {
				if !strings.HasPrefix(strings.TrimSpace(l), "#") {
					lines = append(lines, strings.TrimRight(l, " "))
				}
			}
			out[s.key+"."+c.key] = strings.Join(lines, "\n")
		}
	}
	return out
}

// exercisesStep is one step of an exercise: a stack file edited as the doc says, planned against a deployed
// state, with the result the doc's blocks of that id show.
// exercisesStep is one step of the doc: the stack file (from's file with the yaml blocks of edits applied)
// planned by the command the doc gives. Before it, the stack's state is the committed one (committed), or
// none; deployed, when set, is the config of a simulated `pulumi up` run first on top of it (from's file
// with those edits), as a user deploys each step before the next.
type exercisesStep struct {
	id, plan    string
	stack, from string
	edits       []string
	committed   bool
	deployed    []string
	flags       []string
}

func (s exercisesStep) command() string {
	words := []string{"go run ./cmd/plan"}
	for _, f := range s.flags {
		if strings.Contains(f, "$") {
			f = "'" + f + "'" // a URN, quoted for the shell
		}
		words = append(words, f)
	}
	return strings.Join(append(words, s.stack), " ")
}

type exercisesOutcome struct {
	status int
	result *plan.Result // nil when the command could not plan
	// changes is what the doc's plan blocks show: the summary, then the changes, a created resource by its
	// header line alone (its inputs are in the real output).
	changes   string
	mandatory []string // the mandatory violation lines, trimmed
	stderr    string
	dir       string
}

// exercisesStackFiles are the committed stack files and scenarios, by name.
func exercisesStackFiles(t *testing.T) map[string]string {
	t.Helper()
	files := map[string]string{}
	for _, name := range plan.Stacks(root) {
		s, err := plan.LoadStack(root, name)
		require.NoError(t, err)
		text, err := os.ReadFile(s.File)
		require.NoError(t, err)
		files[name] = string(text)
	}
	return files
}

func exercisesEdit(t *testing.T, blocks map[string]string, from string, edits []string) string {
	t.Helper()
	f := exercisesParse(t, exercisesStackFiles(t)[from])
	for _, id := range edits {
		fragment, ok := blocks["yaml "+id]
		require.True(t, ok, "%s has no ```yaml %s block", exercisesDoc, id)
		f.apply(exercisesParse(t, fragment))
	}
	return f.String()
}

func exercisesMain(dir string, args ...string) exercisesOutcome {
	var stdout, stderr bytes.Buffer
	status, result := plan.Command(append([]string{"-root", dir}, args...), &stdout, &stderr)
	clean := func(s string) string { return strings.ReplaceAll(s, dir+string(filepath.Separator), "") }
	out := exercisesOutcome{status: status, result: result, stderr: clean(stderr.String()), dir: dir}
	section := ""
	inCreate := false
	var shown []string
	for _, l := range strings.Split(clean(stdout.String()), "\n") {
		if strings.HasPrefix(l, "== ") {
			section = l
		}
		if strings.HasPrefix(l, "  [mandatory] ") {
			out.mandatory = append(out.mandatory, strings.TrimSpace(l))
		}
		switch {
		case section != "== Summary" && section != "== Changes", l == "":
		case strings.HasPrefix(l, "     ") && inCreate:
		default:
			inCreate = strings.HasPrefix(l, "+  create ")
			shown = append(shown, l)
		}
	}
	out.changes = strings.Join(shown, "\n") + "\n"
	return out
}

func exercisesRun(t *testing.T, s exercisesStep) (exercisesOutcome, *plan.Result) {
	t.Helper()
	blocks, doc := exercisesBlocks(t)
	assert.True(t, strings.Contains(doc, s.command()), "%s does not give the command of step %s: %s",
		exercisesDoc, s.id, s.command())
	dir := copyProject(t, nil)
	if s.committed {
		states, err := filepath.Glob(filepath.Join(root, "stacks", "*.state.json"))
		require.NoError(t, err)
		for _, f := range states {
			state, err := os.ReadFile(f)
			require.NoError(t, err)
			require.NoError(t, os.WriteFile(filepath.Join(dir, "stacks", filepath.Base(f)), state, 0o644))
		}
	}
	file := filepath.Join(dir, "stacks", "Pulumi."+s.stack+".yaml")
	if committed, err := plan.LoadStack(root, s.stack); err == nil && committed.From != "" {
		file = filepath.Join(dir, "stacks", "scenarios", s.stack+".yaml")
		require.NoError(t, os.MkdirAll(filepath.Dir(file), 0o755))
	}
	if s.deployed != nil {
		require.NoError(t, os.WriteFile(file, []byte(exercisesEdit(t, blocks, s.from, s.deployed)), 0o644))
		rec := exercisesMain(dir, "-update", s.stack)
		require.Equal(t, 0, rec.status, "deploying the state step %s starts from: %s", s.id, rec.stderr)
	}
	require.NoError(t, os.WriteFile(file, []byte(exercisesEdit(t, blocks, s.from, s.edits)), 0o644))

	got := exercisesMain(dir, append(s.flags, s.stack)...)
	planID := s.plan
	if planID == "" {
		planID = s.id
	}
	want := exercisesWant{
		changes: blocks["plan "+planID], policy: blocks["policy "+s.id], stderr: blocks["stderr "+s.id],
	}
	if want.stderr == "" {
		want.stderr = "exit status 0\n"
	}
	have := exercisesWant{changes: got.changes, stderr: fmt.Sprintf("%sexit status %d\n", got.stderr, got.status)}
	if len(got.mandatory) > 0 {
		have.policy = strings.Join(got.mandatory, "\n") + "\n"
	}
	var wantPolicy []string
	for _, l := range strings.Split(strings.TrimSpace(want.policy), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			wantPolicy = append(wantPolicy, l)
		}
	}
	if len(wantPolicy) > 0 {
		want.policy = strings.Join(wantPolicy, "\n") + "\n"
	}
	if want != have {
		t.Errorf("step %s (%s) does not show what %s says. It shows:\n\n%s", s.id, s.command(), exercisesDoc,
			have.blocks(s.id, planID))
	}
	return got, got.result
}

type exercisesWant struct{ changes, policy, stderr string }

// blocks renders an outcome as the doc's blocks, to paste after a reviewed change.
func (w exercisesWant) blocks(id, planID string) string {
	var b strings.Builder
	if w.changes != "" {
		fmt.Fprintf(&b, "```plan %s\n%s```\n", planID, w.changes)
	}
	if w.policy != "" {
		fmt.Fprintf(&b, "```policy %s\n%s```\n", id, w.policy)
	}
	if w.stderr != "exit status 0\n" {
		fmt.Fprintf(&b, "```stderr %s\n%s```\n", id, w.stderr)
	}
	return b.String()
}

// exercisesSandbox is the sandbox stack's history through exercises 1 to 3: each step is deployed before
// the next one starts.
var exercisesSandbox = []string{"network-3az", "peak", "dr-pilot-light", "dr-warm-standby"}

func exercisesSandboxStep(id string, deployed []string) exercisesStep {
	return exercisesStep{id: id, stack: "sandbox", from: "dev", deployed: append([]string{}, deployed...),
		edits: append(slices.Clone(deployed), id)}
}

// exercisesLines are the plan's changes on one line each.
func exercisesLines(r *plan.Result) []string {
	var out []string
	for _, c := range r.Changes() {
		out = append(out, c.String())
	}
	return out
}

// exercisesOps counts the changes by op.
func exercisesOps(r *plan.Result) map[plan.Op]int {
	out := map[plan.Op]int{}
	for _, c := range r.Changes() {
		out[c.Op]++
	}
	return out
}

func TestExercise1StandsUpTheNetworkThenGrowsItToThreeAZsWithoutReplacingAnything(t *testing.T) {
	t.Parallel() // plans through the engine: it shares the cores with the other slow tests
	out, _ := exercisesRun(t, exercisesStep{id: "stand-up", stack: "sandbox", from: "dev"})
	assert.Empty(t, out.mandatory)

	_, r := exercisesRun(t, exercisesSandboxStep("network-3az", nil))
	require.NotNil(t, r)
	n := exercisesOps(r)
	assert.Zero(t, n[plan.Replace]+n[plan.Delete], "the CIDR plan keeps every existing subnet: %v", r.Changes())
	for _, c := range r.Changes() {
		switch c.Op {
		case plan.Create:
			assert.Contains(t, c.Name, "us-east-1c", "only the third AZ's parts are new")
		case plan.Update:
			for _, k := range c.Keys() {
				assert.Contains(t, []string{"subnetIds", "subnets", "vpcZoneIdentifiers", "routeTableIds"}, k, c.String())
			}
		}
	}
}

func TestExercise2TakesATrafficPeakWithMoreCapacityAndAScheduledScaleOut(t *testing.T) {
	t.Parallel() // plans through the engine: it shares the cores with the other slow tests
	_, r := exercisesRun(t, exercisesSandboxStep("peak", exercisesSandbox[:1]))
	require.NotNil(t, r)
	n := exercisesOps(r)
	assert.Zero(t, n[plan.Replace]+n[plan.Delete])
	var schedules []string
	for _, c := range r.Changes() {
		if c.Type == "aws:autoscaling/schedule:Schedule" {
			assert.Equal(t, plan.Create, c.Op)
			schedules = append(schedules, c.Name)
		}
		if c.Type == "aws:autoscaling/group:Group" {
			assert.Equal(t, []string{"maxSize"}, c.Keys(), "the group is resized in place")
		}
	}
	assert.NotEmpty(t, schedules)
}

func TestExercise3TurnsOnDRReplacingNothingInThePrimaryRegion(t *testing.T) {
	t.Parallel() // plans through the engine: it shares the cores with the other slow tests
	for i, id := range []string{"dr-pilot-light", "dr-warm-standby"} {
		t.Run(id, func(t *testing.T) {
			_, r := exercisesRun(t, exercisesSandboxStep(id, exercisesSandbox[:2+i]))
			require.NotNil(t, r)
			n := exercisesOps(r)
			assert.Zero(t, n[plan.Replace]+n[plan.Delete])
			var primary []string
			for _, c := range r.Changes() {
				if c.Region == "us-west-2" || c.Region == "" {
					continue
				}
				primary = append(primary, c.String())
			}
			if id == "dr-pilot-light" {
				// The primary's credentials move to the kit's secret (RDS replicates no instance whose password
				// it manages), which rotates through AWS's rotation function, and its dashboard learns of the
				// replica, all in place; nothing else moves there.
				assert.ElementsMatch(t, []string{
					"+ create aws:ec2/securityGroup:SecurityGroup primary-rotation",
					"~ update aws:rds/instance:Instance primary (manageMasterUserPassword, masterUserSecretKmsKeyId, password)",
					"+ create aws:secretsmanager/secret:Secret primary-master",
					"+ create aws:secretsmanager/secretRotation:SecretRotation primary-master",
					"+ create aws:secretsmanager/secretVersion:SecretVersion primary-master",
					"+ create aws:serverlessrepository/cloudFormationStack:CloudFormationStack primary-rotation",
					"+ create aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule primary-rotation-db",
					"+ create aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule primary-rotation-https",
					"+ create aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule primary-rotation-client",
					"~ update aws:cloudwatch/dashboard:Dashboard ops-dashboard (dashboardBody)",
				}, primary)
			} else {
				assert.Empty(t, primary, "the standby is all in the DR region")
			}
		})
	}
}

func TestExercise4DrillPromotesTheReplicaThenFailBackRebuildsIt(t *testing.T) {
	t.Parallel() // plans through the engine: it shares the cores with the other slow tests
	blocks, doc := exercisesBlocks(t)
	t.Run("the drill scenario is prod with the doc's edit", func(t *testing.T) {
		files := exercisesStackFiles(t)
		assert.Equal(t, exercisesParse(t, files["drill"]).settings(),
			exercisesParse(t, exercisesEdit(t, blocks, "prod", []string{"drill"})).settings())
	})

	t.Run("drill", func(t *testing.T) {
		_, r := exercisesRun(t, exercisesStep{id: "drill", stack: "drill", from: "drill", committed: true})
		require.NotNil(t, r)
		changes := r.Changes()
		require.Len(t, changes, 1)
		assert.Equal(t, "~ update "+typeRDSInstance+" dr-replica (replicateSourceDb, skipFinalSnapshot)",
			changes[0].String(), "promoted in place: only the source goes, and the final snapshot a replica cannot have comes")
	})

	// Failing back runs on prod after the drill was deployed there.
	afterDrill := func(id string, edits ...string) exercisesStep {
		return exercisesStep{id: id, stack: "prod", from: "prod", committed: true, deployed: []string{"drill"},
			edits: edits}
	}
	t.Run("a promoted replica cannot become a replica again", func(t *testing.T) {
		out, r := exercisesRun(t, afterDrill("fail-back-refused", "fail-back-refused"))
		assert.Equal(t, 2, out.status)
		assert.Contains(t, out.stderr, "InvalidDBInstanceState")
		require.NotNil(t, r)
		assert.Nil(t, r.Graph, "the update stopped: there is no state after it")
	})

	failBack := afterDrill("fail-back", "fail-back-refused", "fail-back")
	t.Run("a new replica generation, blocked while the promoted instance is protected", func(t *testing.T) {
		out, r := exercisesRun(t, failBack)
		assert.Equal(t, 2, out.status, "protected, and RDS's deletion protection would refuse it as well")
		require.NotNil(t, r)
		var created, deleted []plan.Step
		for _, c := range r.Changes() {
			switch c.Op {
			case plan.Create:
				created = append(created, c)
			case plan.Delete:
				deleted = append(deleted, c)
			case plan.Replace:
				t.Errorf("nothing is replaced: %s", c)
			}
		}
		require.Len(t, created, 1)
		assert.Equal(t, typeRDSInstance+" dr-replica-g2", created[0].Type+" "+created[0].Name)
		assert.Equal(t, "us-west-2", created[0].Region)
		require.Len(t, deleted, 1)
		assert.Equal(t, typeRDSInstance+" dr-replica", deleted[0].Type+" "+deleted[0].Name)
		assert.True(t, deleted[0].Protected, "prod protects its databases")
		assert.NotEmpty(t, deleted[0].Stateful)
		assert.Equal(t, deleted, r.Blocked(true), "-allow-replace does not lift a protection")
		assert.Contains(t, r.ProtectError, "protect", "the engine's own refusal")

		replica := r.PriorGraph.Named(typeRDSInstance, "dr-replica")
		require.NotNil(t, replica)
		for _, want := range []string{"pulumi state unprotect --stack prod '" + replica.URN + "'",
			"--db-instance-identifier " + replica.InputString("identifier") + " --no-deletion-protection",
			"final snapshot of the promoted instance, `" + replica.InputString("finalSnapshotIdentifier") + "`"} {
			assert.True(t, strings.Contains(doc, want), "%s does not say to run %s", exercisesDoc, want)
		}
	})

	t.Run("unprotected and allowed, still refused by RDS's deletion protection", func(t *testing.T) {
		allowed := failBack
		replica := "urn:pulumi:prod::kit::kit:dr:DR$aws:rds/instance:Instance::dr-replica"
		allowed.id, allowed.plan = "fail-back-allowed", "fail-back-allowed"
		allowed.flags = []string{"-unprotect", replica, "-allow-replace"}
		out, _ := exercisesRun(t, allowed)
		assert.Equal(t, 2, out.status, "Pulumi's protect is lifted, RDS's own deletion protection is not")
		assert.Contains(t, out.stderr, "Cannot delete protected DB Instance dr")
		assert.Contains(t, out.stderr, "--no-deletion-protection")
	})
}

func TestExercise5PolicyStopsUnsafeChanges(t *testing.T) {
	t.Parallel() // plans through the engine: it shares the cores with the other slow tests
	t.Run("multi-AZ off in production", func(t *testing.T) {
		out, r := exercisesRun(t, exercisesStep{id: "policy-multi-az", stack: "prod", from: "prod", committed: true,
			edits: []string{"policy-multi-az"}})
		assert.Equal(t, 1, out.status)
		require.Len(t, out.mandatory, 1)
		assert.True(t, strings.HasPrefix(out.mandatory[0], "[mandatory] rds-multi-az: "), out.mandatory[0])
		require.NotNil(t, r)
		assert.Empty(t, r.Blocked(false), "the policy, not a replacement, stops it")
	})
	t.Run("flow logs off", func(t *testing.T) {
		out, r := exercisesRun(t, exercisesSandboxStep("policy-flow-logs", exercisesSandbox))
		assert.Equal(t, 1, out.status)
		require.NotEmpty(t, out.mandatory)
		for _, m := range out.mandatory {
			assert.True(t, strings.HasPrefix(m, "[mandatory] vpc-flow-logs: "), m)
		}
		require.NotNil(t, r)
		blocked := r.Blocked(false)
		require.Len(t, blocked, 1, "the flow logs' log group holds their data: deleting it is blocked too")
		assert.Equal(t, "aws:cloudwatch/logGroup:LogGroup primary-flow-logs", blocked[0].Type+" "+blocked[0].Name)
	})
}

func TestExercise6MovesTheDataThroughTheVPNAndCutsOver(t *testing.T) {
	t.Parallel() // plans through the engine: it shares the cores with the other slow tests
	blocks, _ := exercisesBlocks(t)
	t.Run("the migrate stack is prod with the doc's edit", func(t *testing.T) {
		files := exercisesStackFiles(t)
		assert.Equal(t, exercisesParse(t, files["migrate"]).settings(),
			exercisesParse(t, exercisesEdit(t, blocks, "prod", []string{"migrate-connect"})).settings())
	})

	t.Run("connect the data centre and build the pipeline", func(t *testing.T) {
		out, r := exercisesRun(t, exercisesStep{id: "migrate-connect", stack: "prod", from: "prod", committed: true,
			edits: []string{"migrate-connect"}})
		assert.Equal(t, 0, out.status)
		require.NotNil(t, r)
		for _, c := range r.Changes() {
			switch c.Op {
			case plan.Create:
				assert.Contains(t, []string{"", "us-east-1"}, c.Region, "%s: all in the primary region", c)
			case plan.Update:
				// Production's database already keeps its credentials in the kit's secret (DR needs it too),
				// so only the dashboard learns of the tunnels and the task.
				assert.Equal(t, "~ update aws:cloudwatch/dashboard:Dashboard ops-dashboard (dashboardBody)", c.String())
			default:
				t.Errorf("only creations and the dashboard's update: %s", c)
			}
		}
		task := r.Graph.Named(typeDMSTask, "migration")
		require.NotNil(t, task)
		assert.False(t, task.Input("startReplicationTask").BoolValue(), "the task waits for the source secret and the tests")
	})

	t.Run("start the full load and CDC", func(t *testing.T) {
		_, r := exercisesRun(t, exercisesStep{id: "migrate-start", stack: "migrate", from: "migrate", committed: true,
			edits: []string{"migrate-start"}})
		require.NotNil(t, r)
		assert.Equal(t, []string{"~ update " + typeDMSTask + " migration (startReplicationTask)"}, exercisesLines(r),
			"started in place: the task keeps its identity")
	})

	t.Run("stop the task at cutover", func(t *testing.T) {
		_, r := exercisesRun(t, exercisesStep{id: "migrate-stop", stack: "migrate", from: "migrate", committed: true,
			deployed: []string{"migrate-start"}, edits: []string{"migrate-start", "migrate-stop"}})
		require.NotNil(t, r)
		assert.Equal(t, []string{"~ update " + typeDMSTask + " migration (startReplicationTask)"}, exercisesLines(r))
	})

	done := exercisesStep{id: "migrate-done", stack: "migrate", from: "migrate", committed: true,
		edits: []string{"migrate-done"}}
	t.Run("tear the migration down, blocked until allowed", func(t *testing.T) {
		out, r := exercisesRun(t, done)
		assert.Equal(t, 1, out.status)
		require.NotNil(t, r)
		var blocked []string
		for _, c := range r.Blocked(false) {
			blocked = append(blocked, c.Type+" "+c.Name)
		}
		assert.ElementsMatch(t, []string{typeVPNConnection + " datacentre", typeDMSTask + " migration",
			"aws:kms/key:Key migration-key", "aws:kms/key:Key datacentre-alarms",
			"aws:secretsmanager/secret:Secret migration-source", "aws:cloudwatch/logGroup:LogGroup migration-task-logs",
			"aws:cloudwatch/logGroup:LogGroup datacentre-tunnel-logs"}, blocked,
			"the tunnels' identity, the task's, the keys, the source credentials and the logs are what a teardown loses")
		for _, c := range r.Changes() {
			if c.Op != plan.Delete {
				assert.Equal(t, "~ update aws:cloudwatch/dashboard:Dashboard ops-dashboard (dashboardBody)", c.String())
			}
		}
	})
	t.Run("allowed", func(t *testing.T) {
		allowed := done
		allowed.id, allowed.flags = "migrate-done-allowed", []string{"-allow-replace"}
		out, _ := exercisesRun(t, allowed)
		assert.Equal(t, 0, out.status)
	})
}

// TestExercisesDocHasNoUntestedBlocks keeps every step the doc shows under a test: a block no step reads
// would be a claim nothing checks.
func TestExercisesDocHasNoUntestedBlocks(t *testing.T) {
	blocks, _ := exercisesBlocks(t)
	used := map[string]bool{}
	for _, id := range []string{"stand-up", "network-3az", "peak", "dr-pilot-light", "dr-warm-standby", "drill",
		"fail-back-refused", "fail-back", "fail-back-allowed", "policy-multi-az", "policy-flow-logs", "migrate-connect", "migrate-start",
		"migrate-stop", "migrate-done", "migrate-done-allowed", "release-deployed", "release-version", "release-good", "release-bad",
		"release-blue-green", "release-canary"} {
		for _, kind := range []string{"yaml", "plan", "policy", "stderr", "rollout", "status"} {
			used[kind+" "+id] = true
		}
	}
	for key := range blocks {
		assert.True(t, used[key], "block %q of %s belongs to no tested step", key, exercisesDoc)
	}
	for _, key := range []string{"plan stand-up", "plan network-3az", "yaml network-3az", "plan peak", "yaml peak",
		"plan dr-pilot-light", "plan dr-warm-standby", "plan drill", "yaml drill", "stderr fail-back-refused",
		"plan fail-back", "stderr fail-back", "plan fail-back-allowed", "plan policy-multi-az", "policy policy-multi-az",
		"stderr policy-multi-az", "plan policy-flow-logs", "policy policy-flow-logs", "yaml migrate-connect",
		"plan migrate-connect", "yaml migrate-start", "plan migrate-start", "yaml migrate-stop", "plan migrate-stop",
		"yaml migrate-done", "plan migrate-done", "stderr migrate-done", "yaml release-deployed",
		"yaml release-version", "plan release-version", "rollout release-version", "status release-good",
		"status release-bad", "yaml release-blue-green", "plan release-blue-green", "yaml release-canary",
		"plan release-canary", "rollout release-canary"} {
		_, ok := blocks[key]
		assert.True(t, ok, "%s has no ```%s block", exercisesDoc, key)
	}
}

func TestExercisesStackFileEditsMergeLikeConfigSet(t *testing.T) {
	base := exercisesParse(t, "# top\nconfig:\n  aws:region: us-east-1\n  kit:web:\n    # the size\n    minSize: 1\n"+
		"    scheduledActions:\n      - name: a\n        minSize: 2\n    maxSize: 3\n")
	base.apply(exercisesParse(t, "config:\n  aws:region: us-west-2\n  kit:web:\n    maxSize: 6\n"+
		"    scheduledActions:\n      - name: b\n    desiredCapacity: 2\n  kit:dr:\n    enabled: true\n"))
	assert.Equal(t, "# top\nconfig:\n  aws:region: us-west-2\n  kit:web:\n    # the size\n"+
		"    minSize: 1\n    scheduledActions:\n      - name: b\n    maxSize: 6\n    desiredCapacity: 2\n"+
		"  kit:dr:\n    enabled: true\n", base.String())
}
