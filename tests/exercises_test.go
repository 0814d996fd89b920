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
	if fragment.from != "" {
		f.from = fragment.from
	}
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
	out := map[string]string{"# plan: from": f.from}
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
type exercisesStep struct {
	// id names the doc's blocks of this step; plan, when set, names its plan block instead (a step that
	// repeats another with a flag).
	id, plan string
	// stack is the stack planned; from is the committed stack file it starts from.
	stack, from string
	// edits are the doc's yaml blocks applied to from, in order.
	edits []string
	// state is the deployed state the plan compares with: "none" (a new stack), "recorded" (from with the
	// deployed edits, recorded with -update as the user does after `pulumi up`), or a committed stack
	// whose snapshot stands for it.
	state    string
	deployed []string
	flags    []string
}

// command is what the doc tells the user to run for this step.
func (s exercisesStep) command() string {
	return strings.Join(append(append([]string{"go run ./cmd/plan"}, s.flags...), s.stack), " ")
}

// exercisesOutcome is what one plan run printed, with the temporary directory taken out of paths.
type exercisesOutcome struct {
	status    int
	changes   string   // the "== Changes against" section, up to the blank line after it
	mandatory []string // the mandatory violation lines, trimmed
	stderr    string
	dir       string
}

// exercisesStackFiles reads the committed stack files.
func exercisesStackFiles(t *testing.T) map[string]string {
	t.Helper()
	files := map[string]string{}
	for _, name := range plan.Stacks(root) {
		text, err := os.ReadFile(filepath.Join(root, "stacks", "Pulumi."+name+".yaml"))
		require.NoError(t, err)
		files[name] = string(text)
	}
	return files
}

// exercisesEdit returns the committed stack file from with the doc's yaml blocks applied.
func exercisesEdit(t *testing.T, blocks map[string]string, from string, edits []string) string {
	t.Helper()
	text, err := os.ReadFile(filepath.Join(root, "stacks", "Pulumi."+from+".yaml"))
	require.NoError(t, err)
	f := exercisesParse(t, string(text))
	for _, id := range edits {
		fragment, ok := blocks["yaml "+id]
		require.True(t, ok, "%s has no ```yaml %s block", exercisesDoc, id)
		f.apply(exercisesParse(t, fragment))
	}
	return f.String()
}

func exercisesMain(dir string, args ...string) exercisesOutcome {
	var stdout, stderr bytes.Buffer
	status := plan.Main(append([]string{"-root", dir}, args...), &stdout, &stderr)
	clean := func(s string) string { return strings.ReplaceAll(s, dir+string(filepath.Separator), "") }
	out := exercisesOutcome{status: status, stderr: clean(stderr.String()), dir: dir}
	lines := strings.Split(clean(stdout.String()), "\n")
	for i, l := range lines {
		if strings.HasPrefix(l, "== Changes against ") {
			end := i + slices.Index(lines[i:], "")
			out.changes = strings.Join(lines[i:end], "\n") + "\n"
		}
		if strings.HasPrefix(l, "  [mandatory] ") {
			out.mandatory = append(out.mandatory, strings.TrimSpace(l))
		}
	}
	return out
}

// exercisesRun sets up a temporary project for the step, runs the plan command and checks that it prints
// exactly what the doc shows.
func exercisesRun(t *testing.T, s exercisesStep) (exercisesOutcome, *plan.Result) {
	t.Helper()
	blocks, doc := exercisesBlocks(t)
	assert.True(t, strings.Contains(doc, s.command()), "%s does not give the command of step %s: %s",
		exercisesDoc, s.id, s.command())
	files := exercisesStackFiles(t)
	dir := copyProject(t, files)
	file := filepath.Join(dir, "stacks", "Pulumi."+s.stack+".yaml")
	snapshot := filepath.Join(dir, "stacks", s.stack+".snapshot.txt")
	switch s.state {
	case "none":
	case "recorded":
		require.NoError(t, os.WriteFile(file, []byte(exercisesEdit(t, blocks, s.from, s.deployed)), 0o644))
		rec := exercisesMain(dir, "-update", s.stack)
		require.Equal(t, 0, rec.status, "recording the deployed state of step %s: %s", s.id, rec.stderr)
	default:
		committed, err := os.ReadFile(filepath.Join(root, "stacks", s.state+".snapshot.txt"))
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(snapshot, committed, 0o644))
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
	if got.status == 2 {
		return got, nil
	}
	r, err := plan.Build(dir, s.stack)
	require.NoError(t, err)
	return got, r
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
	return exercisesStep{id: id, stack: "sandbox", from: "dev", state: "recorded", deployed: deployed,
		edits: append(slices.Clone(deployed), id)}
}

// exercisesActions counts the changes by action.
func exercisesActions(r *plan.Result) map[plan.Action]int {
	out := map[plan.Action]int{}
	for _, c := range r.Changes {
		out[c.Action]++
	}
	return out
}

// exercisesRegion is the region of a resource of the new plan ("" for components).
func exercisesRegion(r *plan.Result, c plan.Change) string {
	for _, res := range r.Snapshot.Resources {
		if res.Type == c.Type && res.Name == c.Name {
			return res.Region
		}
	}
	return "?"
}

func TestExercise1StandsUpTheNetworkThenGrowsItToThreeAZsWithoutReplacingAnything(t *testing.T) {
	out, _ := exercisesRun(t, exercisesStep{id: "stand-up", stack: "sandbox", from: "dev", state: "none"})
	assert.Empty(t, out.mandatory)

	_, r := exercisesRun(t, exercisesSandboxStep("network-3az", nil))
	require.NotNil(t, r)
	n := exercisesActions(r)
	assert.Zero(t, n[plan.Replace]+n[plan.Delete], "the CIDR plan keeps every existing subnet: %v", r.Changes)
	for _, c := range r.Changes {
		switch c.Action {
		case plan.Create:
			assert.Contains(t, c.Name, "us-east-1c", "only the third AZ's parts are new")
		case plan.Update:
			// The updates are the resources that list subnets or route tables.
			for _, p := range c.Props {
				assert.Contains(t, []string{"subnetIds", "subnets", "vpcZoneIdentifiers", "routeTableIds"}, p, c.String())
			}
		}
	}
}

func TestExercise2TakesATrafficPeakWithMoreCapacityAndAScheduledScaleOut(t *testing.T) {
	_, r := exercisesRun(t, exercisesSandboxStep("peak", exercisesSandbox[:1]))
	require.NotNil(t, r)
	n := exercisesActions(r)
	assert.Zero(t, n[plan.Replace]+n[plan.Delete])
	var schedules []string
	for _, c := range r.Changes {
		if c.Type == "aws:autoscaling/schedule:Schedule" {
			assert.Equal(t, plan.Create, c.Action)
			schedules = append(schedules, c.Name)
		}
		if c.Type == "aws:autoscaling/group:Group" {
			assert.Equal(t, []string{"maxSize"}, c.Props, "the group is resized in place")
		}
	}
	assert.NotEmpty(t, schedules)
}

func TestExercise3TurnsOnDRReplacingNothingInThePrimaryRegion(t *testing.T) {
	for i, id := range []string{"dr-pilot-light", "dr-warm-standby"} {
		t.Run(id, func(t *testing.T) {
			_, r := exercisesRun(t, exercisesSandboxStep(id, exercisesSandbox[:2+i]))
			require.NotNil(t, r)
			n := exercisesActions(r)
			assert.Zero(t, n[plan.Replace]+n[plan.Delete])
			var primary []string
			for _, c := range r.Changes {
				region := exercisesRegion(r, c)
				if region == "us-west-2" || region == "" {
					continue
				}
				primary = append(primary, c.String())
			}
			if id == "dr-pilot-light" {
				// The primary's credentials move to the kit's secret (RDS replicates no instance whose password
				// it manages), which rotates through AWS's rotation function, and its dashboard learns of the
				// replica, all in place; nothing else moves there.
				assert.Equal(t, []string{
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
	blocks, doc := exercisesBlocks(t)
	t.Run("the drill stack is prod with the doc's edit", func(t *testing.T) {
		files := exercisesStackFiles(t)
		assert.Equal(t, exercisesParse(t, files["drill"]).settings(),
			exercisesParse(t, exercisesEdit(t, blocks, "prod", []string{"drill"})).settings())
	})

	t.Run("drill", func(t *testing.T) {
		_, r := exercisesRun(t, exercisesStep{id: "drill", stack: "drill", from: "drill", state: "prod"})
		require.NotNil(t, r)
		require.Len(t, r.Changes, 1)
		assert.Equal(t, plan.Change{Action: plan.Update, Type: typeRDSInstance, Name: "dr-replica",
			Props: []string{"replicateSourceDb", "skipFinalSnapshot"}}, r.Changes[0],
			"promoted in place: only the source goes, and the final snapshot a replica cannot have comes")
	})

	failBack := exercisesStep{id: "fail-back", stack: "failback", from: "prod", state: "drill",
		edits: []string{"fail-back-refused", "fail-back"}}
	t.Run("a promoted replica cannot become a replica again", func(t *testing.T) {
		out, r := exercisesRun(t, exercisesStep{id: "fail-back-refused", stack: "failback", from: "prod",
			state: "drill", edits: []string{"fail-back-refused"}})
		assert.Nil(t, r)
		assert.Equal(t, 2, out.status)
		assert.Contains(t, out.stderr, "InvalidDBInstanceState")
	})

	t.Run("a new replica generation, blocked until allowed", func(t *testing.T) {
		out, r := exercisesRun(t, failBack)
		assert.Equal(t, 1, out.status)
		require.NotNil(t, r)
		var created, deleted []plan.Change
		for _, c := range r.Changes {
			switch c.Action {
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
		assert.Equal(t, "us-west-2", exercisesRegion(r, created[0]))
		require.Len(t, deleted, 1)
		assert.Equal(t, plan.Change{Action: plan.Delete, Type: typeRDSInstance, Name: "dr-replica", Stateful: true},
			deleted[0])
		assert.Equal(t, deleted, r.Blocked(), "the promoted instance's deletion needs -allow-replace")

		// It is protected in production: the doc says how to unprotect it, by its URN in prod's state.
		for _, old := range r.Committed.Resources {
			if old.Type == typeRDSInstance && old.Name == "dr-replica" {
				assert.Contains(t, old.Options, "protect")
			}
		}
		drill, err := plan.Build(root, "drill")
		require.NoError(t, err)
		replica := drill.Graph.Named(typeRDSInstance, "dr-replica")
		require.NotNil(t, replica)
		for _, want := range []string{"pulumi state unprotect --stack prod '" + replica.URN + "'",
			"--db-instance-identifier " + replica.InputString("identifier") + " --no-deletion-protection",
			"final snapshot of the promoted instance, `" + replica.InputString("finalSnapshotIdentifier") + "`"} {
			assert.True(t, strings.Contains(doc, want), "%s does not say to run %s", exercisesDoc, want)
		}
	})

	t.Run("allowed", func(t *testing.T) {
		allowed := failBack
		allowed.id, allowed.plan, allowed.flags = "fail-back-allowed", "fail-back", []string{"-allow-replace"}
		out, _ := exercisesRun(t, allowed)
		assert.Equal(t, 0, out.status)
	})
}

func TestExercise5PolicyStopsUnsafeChanges(t *testing.T) {
	t.Run("multi-AZ off in production", func(t *testing.T) {
		out, r := exercisesRun(t, exercisesStep{id: "policy-multi-az", stack: "prod", from: "prod", state: "prod",
			edits: []string{"policy-multi-az"}})
		assert.Equal(t, 1, out.status)
		require.Len(t, out.mandatory, 1)
		assert.True(t, strings.HasPrefix(out.mandatory[0], "[mandatory] rds-multi-az: "), out.mandatory[0])
		require.NotNil(t, r)
		assert.Empty(t, r.Blocked(), "the policy, not a replacement, stops it")
	})
	t.Run("flow logs off", func(t *testing.T) {
		out, r := exercisesRun(t, exercisesSandboxStep("policy-flow-logs", exercisesSandbox))
		assert.Equal(t, 1, out.status)
		require.NotEmpty(t, out.mandatory)
		for _, m := range out.mandatory {
			assert.True(t, strings.HasPrefix(m, "[mandatory] vpc-flow-logs: "), m)
		}
		require.NotNil(t, r)
		assert.Empty(t, r.Blocked())
	})
}

func TestExercise6MovesTheDataThroughTheVPNAndCutsOver(t *testing.T) {
	blocks, _ := exercisesBlocks(t)
	t.Run("the migrate stack is prod with the doc's edit", func(t *testing.T) {
		files := exercisesStackFiles(t)
		assert.Equal(t, exercisesParse(t, files["migrate"]).settings(),
			exercisesParse(t, exercisesEdit(t, blocks, "prod", []string{"migrate-connect"})).settings())
	})

	t.Run("connect the data centre and build the pipeline", func(t *testing.T) {
		out, r := exercisesRun(t, exercisesStep{id: "migrate-connect", stack: "prod", from: "prod", state: "prod",
			edits: []string{"migrate-connect"}})
		assert.Equal(t, 0, out.status)
		require.NotNil(t, r)
		for _, c := range r.Changes {
			switch c.Action {
			case plan.Create:
				assert.Contains(t, []string{"", "us-east-1"}, exercisesRegion(r, c), "%s: all in the primary region", c)
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
		_, r := exercisesRun(t, exercisesStep{id: "migrate-start", stack: "migrate", from: "migrate", state: "migrate",
			edits: []string{"migrate-start"}})
		require.NotNil(t, r)
		assert.Equal(t, []plan.Change{{Action: plan.Update, Type: typeDMSTask, Name: "migration",
			Props: []string{"startReplicationTask"}}}, r.Changes, "started in place: the task keeps its identity")
	})

	t.Run("stop the task at cutover", func(t *testing.T) {
		_, r := exercisesRun(t, exercisesStep{id: "migrate-stop", stack: "migrate", from: "migrate", state: "recorded",
			deployed: []string{"migrate-start"}, edits: []string{"migrate-start", "migrate-stop"}})
		require.NotNil(t, r)
		assert.Equal(t, []plan.Change{{Action: plan.Update, Type: typeDMSTask, Name: "migration",
			Props: []string{"startReplicationTask"}}}, r.Changes)
	})

	done := exercisesStep{id: "migrate-done", stack: "migrate", from: "migrate", state: "migrate",
		edits: []string{"migrate-done"}}
	t.Run("tear the migration down, blocked until allowed", func(t *testing.T) {
		out, r := exercisesRun(t, done)
		assert.Equal(t, 1, out.status)
		require.NotNil(t, r)
		var blocked []string
		for _, c := range r.Blocked() {
			blocked = append(blocked, c.Type+" "+c.Name)
		}
		assert.ElementsMatch(t, []string{typeVPNConnection + " datacentre", typeDMSTask + " migration",
			"aws:kms/key:Key migration-key", "aws:kms/key:Key datacentre-alarms"}, blocked,
			"the tunnels' identity, the task's and the keys are what a teardown loses")
		for _, c := range r.Changes {
			if c.Action != plan.Delete {
				assert.Equal(t, "~ update aws:cloudwatch/dashboard:Dashboard ops-dashboard (dashboardBody)", c.String())
			}
		}
	})
	t.Run("allowed", func(t *testing.T) {
		allowed := done
		allowed.id, allowed.plan, allowed.flags = "migrate-done-allowed", "migrate-done", []string{"-allow-replace"}
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
		"fail-back-refused", "fail-back", "policy-multi-az", "policy-flow-logs", "migrate-connect", "migrate-start",
		"migrate-stop", "migrate-done", "release-deployed", "release-version", "release-good", "release-bad",
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
		"plan fail-back", "stderr fail-back", "plan policy-multi-az", "policy policy-multi-az",
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
	base.apply(exercisesParse(t, "# plan: from prod\nconfig:\n  aws:region: us-west-2\n  kit:web:\n    maxSize: 6\n"+
		"    scheduledActions:\n      - name: b\n    desiredCapacity: 2\n  kit:dr:\n    enabled: true\n"))
	assert.Equal(t, "# plan: from prod\n# top\nconfig:\n  aws:region: us-west-2\n  kit:web:\n    # the size\n"+
		"    minSize: 1\n    scheduledActions:\n      - name: b\n    maxSize: 6\n    desiredCapacity: 2\n"+
		"  kit:dr:\n    enabled: true\n", base.String())
}
