package plan

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/pulumi/pulumi/pkg/v3/resource/plugin"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"github.com/migration-kit/kit/awssim"
	"github.com/migration-kit/kit/internal/cost"
	"github.com/migration-kit/kit/internal/rollout"
	"github.com/migration-kit/kit/policy/rules"
	"github.com/migration-kit/kit/stacks"
)

// The plan for a person: the summary first (counts, what is blocked, what AWS would refuse, the policy
// verdicts), then each change with its values, then the verdicts in full and the totals. The whole resource
// tree only on request.

// ReportOptions say what the report holds beyond the changes.
type ReportOptions struct {
	// AllowReplace accepts replacing or deleting stateful resources (not protected ones).
	AllowReplace bool
	// Tree adds the whole resource tree after the update, with every input.
	Tree bool
	// NoTotals leaves out the per-type totals (a pull-request comment has no room for them).
	NoTotals bool
}

var marks = map[Op]string{Create: "+ ", Update: "~ ", Replace: "+-", Delete: "- "}

// Report writes the plan.
func (r *Result) Report(w io.Writer, o ReportOptions) {
	from := r.rel(r.StateFile)
	if r.Prior == nil {
		from = "nothing: " + from + " does not exist yet"
	}
	fmt.Fprintf(w, "Offline plan of %s: Pulumi's engine, in-process, against the simulated AWS (no account, no CLI), "+
		"from %s.\n", r.describe(), from)
	common := r.commonTags()

	fmt.Fprintf(w, "\n== Summary\n")
	fmt.Fprintf(w, "%s\n", r.countLine())
	blocked := r.Blocked(o.AllowReplace)
	switch {
	case len(blocked) > 0:
		fmt.Fprintf(w, "BLOCKED: %d change(s) would destroy data or identity, listed below\n", len(blocked))
	case len(r.Blocked(false)) > 0:
		fmt.Fprintf(w, "Stateful replacements or deletions allowed by -allow-replace: %d\n", len(r.Blocked(false)))
	}
	if r.Refusal != nil {
		fmt.Fprintf(w, "`pulumi up` WOULD FAIL: %s\n", firstLine(r.Refusal.Error()))
	}
	fmt.Fprintf(w, "%s\n", r.policyLine())
	if line := r.costLine(); line != "" {
		fmt.Fprintf(w, "%s\n", line)
	}
	if len(common) > 0 {
		fmt.Fprintf(w, "Tags on every tagged resource (left out below): %s\n", formatTags(common))
	}

	if len(blocked) > 0 {
		fmt.Fprintf(w, "\n== Blocked\n")
		for _, s := range blocked {
			fmt.Fprintf(w, "!! %s %s %s%s%s\n", strings.ToUpper(string(s.Op)), s.Type, s.Name, at(s.Region),
				lossOf(s))
			for _, reason := range s.Reasons {
				fmt.Fprintf(w, "     because %s\n", reason)
			}
			if s.Protected {
				fmt.Fprintf(w, "     it is protected: `pulumi up` refuses (%s); if this is intended, run "+
					"`pulumi state unprotect '%s'` first\n", strings.Join(strings.Fields(r.ProtectError), " "), s.URN)
			} else {
				fmt.Fprintf(w, "     if this is intended, rerun with -allow-replace\n")
			}
		}
	}

	if r.Refusal != nil {
		fmt.Fprintf(w, "\n== Refused\n%s\n", indent(r.Refusal.Error(), "  "))
	}

	fmt.Fprintf(w, "\n== Changes\n")
	changes := r.Changes()
	if len(changes) == 0 {
		fmt.Fprintf(w, "none: the stack matches its state\n")
	}
	sort.SliceStable(changes, func(i, j int) bool {
		a, b := changes[i], changes[j]
		if rank[a.Op] != rank[b.Op] {
			return rank[a.Op] > rank[b.Op]
		}
		if a.Type != b.Type {
			return a.Type < b.Type
		}
		return a.Name < b.Name
	})
	for _, s := range changes {
		writeStep(w, s, common)
	}
	if text := rollout.Text(r.Rollouts()); text != "" {
		fmt.Fprintf(w, "\n%s", text)
	}

	if r.Cost != nil {
		fmt.Fprintln(w)
		cost.Render(w, r.Cost, &r.CostDiff)
	}

	mandatory := len(rules.MandatoryOnly(r.Violations))
	fmt.Fprintf(w, "\n== Policies (%s %s, %d rules): %d mandatory, %d advisory violations\n", rules.PackName,
		rules.Version, len(rules.Policies()), mandatory, len(r.Violations)-mandatory)
	if r.Graph == nil {
		fmt.Fprintf(w, "  not judged: the update failed\n")
	}
	for _, v := range r.Violations {
		fmt.Fprintln(w, "  "+v.String())
		if fix := stacks.PolicyFix(v.Policy, v.URN); fix != "" {
			fmt.Fprintln(w, "      in the stack file: "+fix)
		}
	}

	if r.Graph != nil && !o.NoTotals {
		fmt.Fprintf(w, "\n== Totals after the update\n%s", totals(r.Graph))
		if o.Tree {
			fmt.Fprintf(w, "\n== Resources after the update\n%s", FromGraph(r.Graph))
		}
	}
}

func (r *Result) describe() string {
	if r.Stack.From != "" {
		return fmt.Sprintf("scenario %s (%s), planned as an update of stack %s", r.Stack.Name, r.rel(r.Stack.File), r.Stack.From)
	}
	return "stack " + r.Stack.Name
}

// countLine is pulumi preview's count of changes.
func (r *Result) countLine() string {
	n := r.Counts()
	var parts []string
	for _, op := range []Op{Create, Update, Replace, Delete} {
		if n[op] > 0 {
			parts = append(parts, fmt.Sprintf("%d to %s", n[op], op))
		}
	}
	if len(parts) == 0 {
		parts = append(parts, "no changes")
	}
	return strings.Join(parts, ", ") + fmt.Sprintf(", %d unchanged", n[Same])
}

// costLine is the estimate in one line: the monthly total and what the change does to it.
func (r *Result) costLine() string {
	if r.Cost == nil {
		return ""
	}
	line := fmt.Sprintf("Cost: %s/month after the change", cost.Money(r.Cost.Monthly))
	if d := r.CostDiff.Delta(); d != 0 {
		line += fmt.Sprintf(" (%s/month)", cost.SignedMoney(d))
	}
	if n := len(r.Cost.Unpriced); n > 0 {
		line += fmt.Sprintf(", %d resource(s) unpriced", n)
	}
	return line
}

func (r *Result) policyLine() string {
	if r.Graph == nil {
		return "Policies: not judged, the update failed"
	}
	mandatory := len(rules.MandatoryOnly(r.Violations))
	return fmt.Sprintf("Policies: %d mandatory, %d advisory violations", mandatory, len(r.Violations)-mandatory)
}

// commonTags are the tags shared by every tagged resource of the plan, before and after.
func (r *Result) commonTags() map[string]string {
	var inputs []resource.PropertyMap
	for _, s := range r.Steps {
		for _, m := range []resource.PropertyMap{s.Old, s.New} {
			if _, ok := m["tags"]; ok {
				inputs = append(inputs, m)
			}
		}
	}
	return commonTags(inputs)
}

// writeStep writes one change: its header, why it is replaced, and its values.
func writeStep(w io.Writer, s Step, common map[string]string) {
	fmt.Fprintf(w, "%s %s %s %s%s\n", marks[s.Op], s.Op, s.Type, s.Name, at(s.Region))
	switch s.Op {
	case Replace:
		for _, reason := range s.Reasons {
			fmt.Fprintf(w, "     because %s\n", reason)
		}
		if s.Stateful != "" {
			fmt.Fprintf(w, "     !! loses %s\n", s.Stateful)
		}
		writeDiff(w, s, withoutTags(s.Old, common), withoutTags(s.New, common))
	case Update:
		writeDiff(w, s, withoutTags(s.Old, common), withoutTags(s.New, common))
	case Create:
		writeInputs(w, withoutTags(s.New, common))
	case Delete:
		if s.Stateful != "" {
			fmt.Fprintf(w, "     !! loses %s\n", s.Stateful)
		}
	}
}

// writeDiff writes each changed path: old => new, or a document diffed line by line.
func writeDiff(w io.Writer, s Step, old, new resource.PropertyMap) {
	paths := make([]string, 0, len(s.Diff))
	for p := range s.Diff {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		if strings.HasPrefix(p, "tags.") || p == "tags" {
			// Compare what is left once the common tags are out.
			if valueAt(old, p).DeepEquals(valueAt(new, p)) {
				continue
			}
		}
		forces := ""
		if isReplace(s.Diff[p]) {
			forces = "  (forces replacement)"
		}
		ov, nv := valueAt(old, p), valueAt(new, p)
		od, oDoc := document(p, ov)
		nd, nDoc := document(p, nv)
		if oDoc && nDoc {
			fmt.Fprintf(w, "     %s:%s\n", p, forces)
			for _, l := range lineDiff(od, nd, 3) {
				fmt.Fprintf(w, "       %s\n", l)
			}
			continue
		}
		fmt.Fprintf(w, "     %s: %s => %s%s\n", p, short(ov), short(nv), forces)
	}
}

func isReplace(d plugin.PropertyDiff) bool {
	switch d.Kind {
	case plugin.DiffAddReplace, plugin.DiffDeleteReplace, plugin.DiffUpdateReplace:
		return true
	}
	return false
}

// writeInputs writes a new resource's inputs, one leaf per line as in the snapshot, documents across lines.
func writeInputs(w io.Writer, m resource.PropertyMap) {
	for _, p := range flatten(m) {
		fmt.Fprintf(w, "     %s\n", p)
		for _, l := range p.Lines {
			fmt.Fprintf(w, "         %s\n", l)
		}
	}
}

// lossOf says what a blocked change loses, or that the resource is protected.
func lossOf(s Step) string {
	if s.Stateful == "" {
		return ": protected"
	}
	return " loses " + s.Stateful
}

func at(region string) string {
	if region == "" {
		return ""
	}
	return " @" + region
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(strings.TrimSpace(s), "\n")
	return line
}

func indent(s, prefix string) string {
	return prefix + strings.ReplaceAll(strings.TrimRight(s, "\n"), "\n", "\n"+prefix)
}

// totals counts resources per region and per type.
func totals(g *awssim.Graph) string {
	var b strings.Builder
	regions := map[string]int{}
	components, providers, aws, state := 0, 0, 0, 0
	for _, res := range g.Resources() {
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
	fmt.Fprintf(&b, "%d resources: %d in AWS, %d in the state only, %d components, %d providers\n", g.Len(), aws,
		state, components, providers)
	for _, region := range sortedKeys(regions) {
		fmt.Fprintf(&b, "  %-16s %d\n", region, regions[region])
	}
	types := g.CountByType()
	for _, t := range sortedKeys(types) {
		fmt.Fprintf(&b, "  %4d  %s\n", types[t], t)
	}
	return b.String()
}
