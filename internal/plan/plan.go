package plan

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/pulumi/pulumi/pkg/v3/resource/deploy"

	"github.com/migration-kit/kit/awssim"
	"github.com/migration-kit/kit/internal/cost"
	"github.com/migration-kit/kit/policy/rules"
	"github.com/migration-kit/kit/stacks"
)

// Result is one offline plan: Pulumi's engine previewing the stack's program against its committed state,
// and applying it (a simulated `pulumi up`) to find what AWS would refuse, to judge the result with the
// policy pack, and to produce the next state.
type Result struct {
	// Root is the project directory; paths the plan prints are relative to it.
	Root  string
	Stack *Stack
	// StateFile is the committed state the plan starts from (a scenario's is its base stack's); Prior is
	// what it holds, nil for a stack never deployed, and PriorGraph the same as a graph.
	StateFile  string
	Prior      *deploy.Snapshot
	PriorGraph *awssim.Graph
	// Steps are the preview's changes, one per resource, sorted by URN (Same included).
	Steps []Step
	// Preview and Applied are the engine's two operations; a stack never deployed has no Preview unless it
	// was asked for (AlwaysPreview): its changes come from the update.
	Preview, Applied *Outcome
	// Graph is the stack after the update, as the simulated AWS holds it; nil when the update failed.
	Graph *awssim.Graph
	// Refusal is why `pulumi up` would fail: AWS refusing a step, or infrastructure the whole-graph checks
	// find would not work.
	Refusal error
	// ProtectError is the engine's own refusal to replace or delete a protected resource, as `pulumi up`
	// prints it; empty when no protected resource is touched.
	ProtectError string
	Violations   []rules.Violation
	// Cost is the monthly estimate after the update, and CostDiff the change from the prior state's.
	Cost     *cost.Breakdown
	CostDiff cost.Diff
}

// Option changes how Build plans.
type Option func(*options)

type options struct {
	unprotect []string
	preview   bool
}

// Unprotect lifts the protection of these resources in the prior state first, as `pulumi state unprotect
// <urn>` does before a deliberate replacement or deletion.
func Unprotect(urns ...string) Option {
	return func(o *options) { o.unprotect = append(o.unprotect, urns...) }
}

// AlwaysPreview runs the engine's preview even for a stack never deployed. Without it, such a stack's plan
// reads its changes (all creations) from the simulated update alone, which knows every value, and saves a
// second run of the engine; `pulumi preview --json` output needs the preview's own events.
func AlwaysPreview() Option { return func(o *options) { o.preview = true } }

// Build plans a stack (or a scenario) under root.
func Build(root, name string, opts ...Option) (*Result, error) {
	var o options
	for _, f := range opts {
		f(&o)
	}
	s, err := LoadStack(root, name)
	if err != nil {
		return nil, err
	}
	base := s.Name
	if s.From != "" {
		base = s.From
	}
	r := &Result{Root: root, Stack: s, StateFile: filepath.Join(root, s.Project.StackConfigDir, base+".state.json")}
	if r.Prior, err = LoadState(r.StateFile); err != nil {
		return nil, err
	}
	for _, urn := range o.unprotect {
		if err := lift(r.Prior, urn); err != nil {
			return nil, err
		}
	}
	region := s.Config["aws:region"]
	if r.Prior != nil {
		r.PriorGraph = graphOf(r.Prior, region)
	}

	// Protection is lifted for both operations, so they go past a protected resource and show every
	// change; the steps then mark what the real protection refuses.
	unprotected := copySnapshot(r.Prior)
	if unprotected != nil {
		for _, res := range unprotected.Resources {
			res.Protect = false
		}
	}
	op := Operation{Project: s.Project, Stack: base, Config: s.Config, SecretKeys: s.SecretKeys,
		Prior: unprotected, Program: stacks.Run}
	update := op
	update.Update = true
	// A stack never deployed needs no preview besides the update, unless it is asked for, or the update
	// fails and the preview must tell a refusal from a configuration the program rejects.
	preview := o.preview || r.Prior != nil
	var wg sync.WaitGroup
	var previewErr, updateErr error
	wg.Add(1)
	if preview {
		wg.Add(1)
		go func() { defer wg.Done(); r.Preview, previewErr = op.Run() }()
	}
	go func() { defer wg.Done(); r.Applied, updateErr = update.Run() }()
	wg.Wait()
	if updateErr == nil && r.Applied.Err != nil && !preview && !invalidConfig(r.Applied.Err) {
		r.Preview, previewErr = op.Run()
	}
	if err := errors.Join(previewErr, updateErr); err != nil {
		return nil, fmt.Errorf("stack %s: %w", s.Name, err)
	}
	planned := r.Applied
	if r.Preview != nil {
		planned = r.Preview
	}
	if err := configErrors(r, planned.Err); err != nil {
		return nil, err
	}

	if r.Applied.Err != nil {
		r.Refusal = r.Applied.Err
	} else {
		r.Graph = graphOf(r.Applied.State, region)
		if problems := r.Applied.Sim.Graph().Problems(); len(problems) > 0 {
			r.Refusal = errors.New("the infrastructure would not work once deployed:\n  " + strings.Join(problems, "\n  "))
		}
	}
	r.Steps = stepsOf(planned.Events, protectedURNs(r.Prior), r.regions())

	for _, st := range r.Steps {
		if st.Protected && st.Destroys() {
			faithful := op
			faithful.Prior = r.Prior
			out, err := faithful.Run()
			if err != nil {
				return nil, err
			}
			if out.Err != nil {
				r.ProtectError = out.Err.Error()
			}
			break
		}
	}

	if r.Graph != nil {
		if err := r.estimate(now()); err != nil {
			return nil, fmt.Errorf("stack %s: the cost estimate: %w", s.Name, err)
		}
		// The policy pack judges the stack by its own name: a drill is production whatever state it starts from.
		if r.Violations, err = rules.Evaluate(s.Name, r.Graph.AnalyzerResources()); err != nil {
			return nil, fmt.Errorf("stack %s: running the policy pack: %w", s.Name, err)
		}
	}
	return r, nil
}

// now is the day prices are judged stale against; a variable so that tests can fix it.
var now = time.Now

// estimate prices the stack after the update and before it, with the stack's usage assumptions
// (stacks/<stack>.usage.yaml, or the defaults).
func (r *Result) estimate(day time.Time) error {
	table, err := cost.Bundled()
	if err != nil {
		return err
	}
	usage, err := cost.LoadUsage(cost.UsagePath(filepath.Join(r.Root, r.Stack.Project.StackConfigDir), r.Stack.Name))
	if err != nil {
		return err
	}
	if r.Cost, err = cost.Estimate(r.Graph, table, usage, day); err != nil {
		return err
	}
	var prior *cost.Breakdown
	if r.PriorGraph != nil {
		if prior, err = cost.Estimate(r.PriorGraph, table, usage, day); err != nil {
			return err
		}
	}
	r.CostDiff = cost.Compare(prior, r.Cost)
	return nil
}

// invalidConfig reports whether the program refused its configuration (stacks.LoadConfig's error), rather
// than a step failing.
func invalidConfig(err error) bool {
	return strings.HasPrefix(err.Error(), "stack configuration is invalid:")
}

// configErrors reports every problem of the stack file at once: its keys that nothing reads, and what the
// program refused (the sections' values), in one list.
func configErrors(r *Result, programErr error) error {
	problems := r.Stack.Problems
	if programErr != nil {
		msg := programErr.Error()
		if rest, ok := strings.CutPrefix(msg, "stack configuration is invalid:\n - "); ok && invalidConfig(programErr) {
			problems = append(problems, strings.Split(rest, "\n - ")...)
		} else if len(problems) == 0 {
			return fmt.Errorf("stack %s: %w", r.Stack.Name, programErr)
		} else {
			problems = append(problems, msg)
		}
	}
	if len(problems) == 0 {
		return nil
	}
	return fmt.Errorf("%s: the stack configuration is invalid:\n - %s", r.rel(r.Stack.File),
		strings.Join(problems, "\n - "))
}

// rel is a path as the user sees it: relative to the project directory.
func (r *Result) rel(path string) string {
	if p, err := filepath.Rel(r.Root, path); err == nil && !strings.HasPrefix(p, "..") {
		return p
	}
	return path
}

// regions maps each resource to its region, from the new state and then the prior one.
func (r *Result) regions() map[string]string {
	out := map[string]string{}
	for _, g := range []*awssim.Graph{r.PriorGraph, r.Graph} {
		if g == nil {
			continue
		}
		for _, res := range g.Resources() {
			out[res.URN] = res.Region
		}
	}
	return out
}

// lift unprotects one resource of a state, as `pulumi state unprotect` does.
func lift(snap *deploy.Snapshot, urn string) error {
	if snap != nil {
		for _, r := range snap.Resources {
			if string(r.URN) == urn {
				r.Protect = false
				return nil
			}
		}
	}
	return fmt.Errorf("-unprotect %s: no such resource in the stack's state", urn)
}

func protectedURNs(snap *deploy.Snapshot) map[string]bool {
	out := map[string]bool{}
	if snap != nil {
		for _, r := range snap.Resources {
			if r.Protect {
				out[string(r.URN)] = true
			}
		}
	}
	return out
}

// Changes are the steps that change something.
func (r *Result) Changes() []Step {
	var out []Step
	for _, s := range r.Steps {
		if s.Op != Same {
			out = append(out, s)
		}
	}
	return out
}

// Blocked lists the changes that stop the plan: a protected resource replaced or deleted (the engine
// refuses it), and, unless allowed, a stateful one.
func (r *Result) Blocked(allowReplace bool) []Step {
	var out []Step
	for _, s := range r.Changes() {
		if s.Destroys() && (s.Protected || (s.Stateful != "" && !allowReplace)) {
			out = append(out, s)
		}
	}
	return out
}

// Counts counts the changes per op.
func (r *Result) Counts() map[Op]int {
	out := map[Op]int{}
	for _, s := range r.Steps {
		out[s.Op]++
	}
	return out
}

// StateText is the state file -update writes: the state after the simulated update.
func (r *Result) StateText() (string, error) {
	if r.Applied == nil || r.Applied.State == nil || r.Refusal != nil {
		return "", errors.New("the update failed: there is no state to write")
	}
	return StateText(r.Applied.State)
}

// SnapshotFile is the readable snapshot beside the state file.
func (r *Result) SnapshotFile() string {
	return strings.TrimSuffix(r.StateFile, ".state.json") + ".snapshot.txt"
}

// SnapshotText is the readable snapshot of the state after the update, derived from it.
func (r *Result) SnapshotText() string {
	return fmt.Sprintf("# Stack %q as the simulated `pulumi up` leaves it: every resource and its inputs, read from "+
		"%s.\n# Generated; do not edit. Refresh both with: %s\n\n%s", r.Stack.Name, filepath.Base(r.StateFile),
		RefreshCommand(r.Stack.Name), FromGraph(r.Graph))
}

// RefreshCommand is the one command that rewrites a stack's state and snapshot.
func RefreshCommand(stack string) string { return "go run ./cmd/plan -update " + stack }

// write writes the new state and its snapshot: the simulated `pulumi up` of -update.
func (r *Result) write() error {
	if r.Stack.From != "" {
		return fmt.Errorf("%s is a scenario planned from %s's state: it has no state of its own to write", r.Stack.Name,
			r.Stack.From)
	}
	text, err := r.StateText()
	if err != nil {
		return err
	}
	if err := os.WriteFile(r.StateFile, []byte(text), 0o644); err != nil {
		return err
	}
	return os.WriteFile(r.SnapshotFile(), []byte(r.SnapshotText()), 0o644)
}

func sortedKeys(m map[string]int) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
