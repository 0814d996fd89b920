package plan

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/migration-kit/kit/awssim"
	"github.com/migration-kit/kit/policy/rules"
	"github.com/migration-kit/kit/stacks"
)

// Result is one offline plan of a stack.
type Result struct {
	Stack      *Stack
	Graph      *awssim.Graph
	Snapshot   *Snapshot
	Violations []rules.Violation
	// Committed is the snapshot on disk, nil when there is none yet; Changes compares it with Snapshot.
	Committed *Snapshot
	Changes   []Change
}

// Build loads the stack under root, runs the real stack program under the simulated AWS, judges the
// graph with the policy pack and compares it with the committed snapshot.
func Build(root, stack string) (*Result, error) {
	s, err := LoadStack(root, stack)
	if err != nil {
		return nil, err
	}
	g, err := simulate(root, s, map[string]bool{})
	if err != nil {
		return nil, err
	}
	// The policy pack judges the stack by its own name: a drill is production whatever state it starts from.
	violations, err := rules.Evaluate(stack, g.AnalyzerResources())
	if err != nil {
		return nil, fmt.Errorf("stack %s: running the policy pack: %w", stack, err)
	}
	r := &Result{Stack: s, Graph: g, Snapshot: FromGraph(g), Violations: violations}
	if text, err := os.ReadFile(s.SnapshotFile); err == nil {
		if r.Committed, err = ParseSnapshot(string(text)); err != nil {
			return nil, fmt.Errorf("%s: %w", s.SnapshotFile, err)
		}
		r.Changes = Diff(r.Committed, r.Snapshot)
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	return r, nil
}

// simulate runs a stack under the simulated AWS. A stack that starts from another ("# plan: from prod") is
// an update of that stack: it runs as that stack, from the state that stack's own run leaves.
func simulate(root string, s *Stack, seen map[string]bool) (*awssim.Graph, error) {
	g, _, err := simulateAs(root, s, seen)
	return g, err
}

func simulateAs(root string, s *Stack, seen map[string]bool) (*awssim.Graph, string, error) {
	if seen[s.Name] {
		return nil, "", fmt.Errorf("stack %s: its \"# plan: from\" lines form a cycle", s.Name)
	}
	seen[s.Name] = true
	opts := s.Options()
	if s.From != "" {
		base, err := LoadStack(root, s.From)
		if err != nil {
			return nil, "", fmt.Errorf("stack %s starts from stack %s: %w", s.Name, s.From, err)
		}
		if opts.Prior, opts.Stack, err = simulateAs(root, base, seen); err != nil {
			return nil, "", err
		}
	}
	g, err := awssim.Run(stacks.Run, opts)
	if err != nil {
		return nil, "", fmt.Errorf("stack %s: %w", s.Name, err)
	}
	return g, opts.Stack, nil
}

// SnapshotText is the committed file's content: a header that says how to refresh it, then the tree.
func (r *Result) SnapshotText() string {
	return fmt.Sprintf("# Offline plan of stack %q: every resource and its inputs, as the simulated AWS recorded them.\n"+
		"# Generated; do not edit. Refresh with: %s\n\n%s", r.Stack.Name, RefreshCommand(r.Stack.Name), r.Snapshot)
}

// RefreshCommand is the one command that rewrites a stack's snapshot.
func RefreshCommand(stack string) string { return "go run ./cmd/plan -update " + stack }

// Blocked lists the changes that need -allow-replace: replacing or deleting a stateful resource.
func (r *Result) Blocked() []Change {
	var out []Change
	for _, c := range r.Changes {
		if c.Stateful {
			out = append(out, c)
		}
	}
	return out
}

// Main is the plan command: `plan [-update] [-allow-replace] [-root dir] <stack>`. It returns the exit
// status: 0 when the plan is clean, 1 on a mandatory policy violation or a blocked stateful replacement,
// 2 on an invalid config or usage.
func Main(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("plan", flag.ContinueOnError)
	fs.SetOutput(stderr)
	update := fs.Bool("update", false, "rewrite the stack's committed snapshot (stacks/<stack>.snapshot.txt)")
	allow := fs.Bool("allow-replace", false, "allow replacing or deleting stateful resources (databases, keys, VPCs, subnets, buckets)")
	root := fs.String("root", ".", "the project directory, holding Pulumi.yaml")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: go run ./cmd/plan [-update] [-allow-replace] [-root dir] <stack>\nstacks: %s\n",
			strings.Join(Stacks(*root), ", "))
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return 2
	}
	r, err := Build(*root, fs.Arg(0))
	if err != nil {
		fmt.Fprintln(stderr, "plan:", err)
		return 2
	}
	r.Report(stdout)
	status := 0
	if rules.AnyMandatory(r.Violations) {
		fmt.Fprintln(stderr, "plan: mandatory policy violations: this change would be stopped by the policy pack")
		status = 1
	}
	if blocked := r.Blocked(); len(blocked) > 0 && !*allow {
		fmt.Fprintf(stderr, "plan: %d stateful resource(s) would be replaced or deleted; if that is intended, "+
			"rerun with -allow-replace\n", len(blocked))
		status = 1
	}
	if *update {
		if err := os.WriteFile(r.Stack.SnapshotFile, []byte(r.SnapshotText()), 0o644); err != nil {
			fmt.Fprintln(stderr, "plan:", err)
			return 2
		}
		fmt.Fprintln(stdout, "wrote", r.Stack.SnapshotFile)
	}
	return status
}

// Report prints the plan for a person: the tree with inputs, the changes, the policy verdicts, the totals.
func (r *Result) Report(w io.Writer) {
	fmt.Fprintf(w, "Offline plan of stack %s (project %s), run under the simulated AWS: no account, no CLI.\n\n",
		r.Stack.Name, r.Stack.Project.Name)
	fmt.Fprintf(w, "== Resources\n%s\n", r.Snapshot)

	fmt.Fprintf(w, "== Changes against %s\n", r.Stack.SnapshotFile)
	if r.Committed == nil {
		fmt.Fprintf(w, "no committed snapshot yet: create it with %s\n", RefreshCommand(r.Stack.Name))
	} else {
		counts := map[Action]int{}
		for _, c := range r.Changes {
			counts[c.Action]++
		}
		fmt.Fprintf(w, "%d to create, %d to update, %d to replace, %d to delete\n",
			counts[Create], counts[Update], counts[Replace], counts[Delete])
		for _, c := range r.Changes {
			fmt.Fprintln(w, "  "+c.String())
		}
	}

	mandatory := len(rules.MandatoryOnly(r.Violations))
	fmt.Fprintf(w, "\n== Policies (%s %s, %d rules): %d mandatory, %d advisory violations\n", rules.PackName,
		rules.Version, len(rules.Policies()), mandatory, len(r.Violations)-mandatory)
	for _, v := range r.Violations {
		fmt.Fprintln(w, "  "+v.String())
	}

	fmt.Fprintf(w, "\n== Totals\n%s", r.Totals())
}

// String renders a change on one line; stateful replacements and deletions shout.
func (c Change) String() string {
	mark := map[Action]string{Create: "+", Update: "~", Replace: "+-", Delete: "-"}[c.Action]
	s := fmt.Sprintf("%s %s %s %s", mark, c.Action, c.Type, c.Name)
	if c.Stateful {
		s = fmt.Sprintf("!! %s OF A STATEFUL RESOURCE: %s %s (its data or identity is lost)",
			strings.ToUpper(string(c.Action)), c.Type, c.Name)
	}
	if len(c.Because) > 0 {
		s += " because " + strings.Join(c.Because, ", ") + " changed"
		if url := awssim.DocsURL(c.Type); url != "" && c.Action == Replace {
			s += " (see " + url + ")"
		}
	} else if len(c.Props) > 0 {
		s += " (" + strings.Join(c.Props, ", ") + ")"
	}
	return s
}

// Totals counts resources per region and per type.
func (r *Result) Totals() string {
	var b strings.Builder
	regions := map[string]int{}
	components, providers, aws, state := 0, 0, 0, 0
	for _, res := range r.Graph.Resources() {
		switch {
		case !res.Custom:
			components++
		case res.Type == providerType:
			providers++
		case !strings.HasPrefix(res.Type, "aws:"):
			state++ // another provider's resource (the random provider's password): it lives in the state only
		default:
			aws++
			regions[res.Region]++
		}
	}
	fmt.Fprintf(&b, "%d resources: %d in AWS, %d in the state only, %d components, %d providers\n", r.Graph.Len(),
		aws, state, components, providers)
	for _, region := range sortedKeys(regions) {
		fmt.Fprintf(&b, "  %-16s %d\n", region, regions[region])
	}
	types := r.Graph.CountByType()
	for _, t := range sortedKeys(types) {
		fmt.Fprintf(&b, "  %4d  %s\n", types[t], t)
	}
	return b.String()
}

func sortedKeys(m map[string]int) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
