package plan

import (
	"fmt"
	"sort"
	"strings"

	"github.com/pulumi/pulumi/pkg/v3/display"
	"github.com/pulumi/pulumi/pkg/v3/engine"
	"github.com/pulumi/pulumi/pkg/v3/resource/deploy"
	"github.com/pulumi/pulumi/pkg/v3/resource/plugin"
	"github.com/pulumi/pulumi/sdk/v3/go/common/providers"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"github.com/migration-kit/kit/awssim"
)

// Op is what a change does to one resource, as the engine decided it.
type Op string

const (
	Create  Op = "create"
	Update  Op = "update"
	Replace Op = "replace"
	Delete  Op = "delete"
	Same    Op = "same"
)

// Step is one resource's change in the engine's preview: the replacement's three engine steps
// (create-replacement, replace, delete-replaced) are one Step.
type Step struct {
	Op   Op
	URN  string
	Type string
	Name string
	// Region is where an AWS resource lives (its provider's region); empty for components.
	Region string
	// Old and New are the inputs before and after; New holds unknowns where a value is known only after apply.
	Old, New resource.PropertyMap
	// Diff is the provider's detailed diff, by property path ("tags.Name", "ingress[0].fromPort").
	Diff map[string]plugin.PropertyDiff
	// ReplaceKeys are the inputs that force the replacement, and Reasons say why in words: a value that
	// changed, or one that comes from a resource that is itself replaced.
	ReplaceKeys []string
	Reasons     []string
	// Stateful says what a replacement or deletion loses ("the database and its data"); empty otherwise.
	Stateful string
	// Protected is set when the resource is protected in the prior state: `pulumi up` refuses to replace or
	// delete it.
	Protected bool
	// dependencies maps each input to the URNs it was computed from (the new state's, else the old one's).
	dependencies map[resource.PropertyKey][]resource.URN
}

// Destroys reports whether the step removes the resource that exists now.
func (s Step) Destroys() bool { return s.Op == Replace || s.Op == Delete }

// stepsOf folds a preview's events into one Step per resource, ordered by URN. The stack itself and the
// default providers are left out: they are the engine's, not the program's. priorProtect are the
// protected resources of the real prior state (the preview may run with protection lifted, so it lists
// every change rather than stopping at the first protected one). regions gives each resource's region.
func stepsOf(events []engine.Event, priorProtect map[string]bool, regions map[string]string) []Step {
	providerRegions := regionsOfProviders(events)
	byURN := map[string]*Step{}
	var order []string
	for _, e := range events {
		if e.Type != engine.ResourcePreEvent {
			continue
		}
		m := e.Payload().(engine.ResourcePreEventPayload).Metadata
		if m.Type == resource.RootStackType || providers.IsDefaultProvider(m.URN) {
			continue
		}
		op, ok := logicalOp(m.Op)
		if !ok {
			continue
		}
		s := byURN[string(m.URN)]
		if s == nil {
			s = &Step{Op: op, URN: string(m.URN), Type: string(m.Type), Name: m.URN.Name(),
				Region: regions[string(m.URN)]}
			if ref, err := providers.ParseReference(m.Provider); err == nil && s.Region == "" &&
				strings.HasPrefix(s.Type, "aws:") {
				s.Region = providerRegions[string(ref.URN())] // a resource the update did not get to
			}
			byURN[s.URN] = s
			order = append(order, s.URN)
		}
		if rank[op] > rank[s.Op] {
			s.Op = op
		}
		if m.Old != nil {
			s.Old = m.Old.Inputs
			if m.Old.State != nil && s.dependencies == nil {
				s.dependencies = m.Old.State.PropertyDependencies
			}
		}
		if m.New != nil {
			s.New = m.New.Inputs
			if m.New.State != nil && len(m.New.State.PropertyDependencies) > 0 {
				s.dependencies = m.New.State.PropertyDependencies
			}
		}
		if len(m.DetailedDiff) > 0 {
			s.Diff = m.DetailedDiff
		}
		for _, k := range m.Keys {
			if !contains(s.ReplaceKeys, string(k)) {
				s.ReplaceKeys = append(s.ReplaceKeys, string(k))
			}
		}
	}
	sort.Strings(order)
	out := make([]Step, 0, len(order))
	for _, urn := range order {
		s := byURN[urn]
		sort.Strings(s.ReplaceKeys)
		if s.Destroys() {
			s.Stateful, _ = awssim.Stateful(s.Type)
			s.Protected = priorProtect[s.URN]
		}
		out = append(out, *s)
	}
	for i := range out {
		if out[i].Op == Replace {
			out[i].Reasons = reasons(out[i], byURN)
		}
	}
	return out
}

// StepsOf gives an operation's steps, for a program planned outside Build (no protection, regions unknown).
func StepsOf(o *Outcome) []Step { return stepsOf(o.Events, nil, nil) }

// regionsOfProviders reads each aws provider's region from the steps' inputs.
func regionsOfProviders(events []engine.Event) map[string]string {
	out := map[string]string{}
	for _, e := range events {
		if e.Type != engine.ResourcePreEvent {
			continue
		}
		m := e.Payload().(engine.ResourcePreEventPayload).Metadata
		if !providers.IsProviderType(m.Type) {
			continue
		}
		for _, st := range []*engine.StepEventStateMetadata{m.New, m.Old} {
			if st != nil && st.Inputs["region"].IsString() {
				out[string(m.URN)] = st.Inputs["region"].StringValue()
				break
			}
		}
	}
	return out
}

// rank orders the ops a resource's steps can carry: the most consequential wins.
var rank = map[Op]int{Same: 0, Update: 1, Create: 2, Delete: 3, Replace: 4}

func logicalOp(op display.StepOp) (Op, bool) {
	switch op {
	case deploy.OpSame, deploy.OpRead, deploy.OpRefresh:
		return Same, true
	case deploy.OpCreate, deploy.OpImport:
		return Create, true
	case deploy.OpUpdate:
		return Update, true
	case deploy.OpDelete:
		return Delete, true
	case deploy.OpReplace, deploy.OpCreateReplacement, deploy.OpDeleteReplaced, deploy.OpImportReplacement,
		deploy.OpReadReplacement:
		return Replace, true
	}
	return "", false
}

// reasons says why each replacing input changes: its value, or the replaced resource it comes from.
func reasons(s Step, all map[string]*Step) []string {
	var out []string
	for _, k := range s.ReplaceKeys {
		key := resource.PropertyKey(k)
		newValue := s.New[key]
		if newValue.ContainsUnknowns() {
			var from []string
			for _, dep := range s.dependencies[key] {
				if d := all[string(dep)]; d != nil && (d.Op == Replace || d.Op == Create) {
					from = append(from, fmt.Sprintf("%s %s", shortType(d.Type), d.Name))
				}
			}
			if len(from) > 0 {
				out = append(out, fmt.Sprintf("%s comes from %s, which is replaced", k, strings.Join(from, ", ")))
			} else {
				out = append(out, k+" is known only after apply")
			}
			continue
		}
		out = append(out, fmt.Sprintf("%s changes: %s => %s", k, short(s.Old[key]), short(newValue)))
	}
	if len(out) == 0 {
		out = append(out, "its provider is replaced")
	}
	return out
}

// shortType is the last part of a type token: aws:ec2/vpc:Vpc -> Vpc, kit:network:VPC -> VPC.
func shortType(typ string) string {
	if i := strings.LastIndex(typ, ":"); i >= 0 {
		return typ[i+1:]
	}
	return typ
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Keys are the top-level inputs the step changes, sorted.
func (s Step) Keys() []string {
	seen := map[string]bool{}
	for p := range s.Diff {
		seen[topKey(p)] = true
	}
	out := make([]string, 0, len(seen))
	for k := range seen {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// String is the step on one line: "~ update aws:autoscaling/group:Group web-asg (maxSize)".
func (s Step) String() string {
	line := fmt.Sprintf("%s %s %s %s", strings.TrimSpace(marks[s.Op]), s.Op, s.Type, s.Name)
	if keys := s.Keys(); len(keys) > 0 && s.Op != Create {
		line += " (" + strings.Join(keys, ", ") + ")"
	}
	return line
}

// topKey is the top-level input of a property path as the engine prints it ("tags.Name" -> "tags").
func topKey(path string) string {
	p, err := resource.ParsePropertyPath(path)
	if err != nil || len(p) == 0 {
		return path
	}
	if k, ok := p[0].(string); ok {
		return k
	}
	return path
}
