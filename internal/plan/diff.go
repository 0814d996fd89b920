package plan

import (
	"sort"

	"github.com/migration-kit/kit/awssim"
)

// Action is what applying the plan would do to one resource.
type Action string

const (
	Create  Action = "create"
	Update  Action = "update"
	Replace Action = "replace"
	Delete  Action = "delete"
)

// Change is one resource's difference between the committed snapshot and the new plan.
type Change struct {
	Action Action
	Type   string
	Name   string
	// Props lists the inputs that changed; for a replace, Because lists those that force it.
	Props, Because []string
	// Stateful marks a replace or delete that destroys data or identity.
	Stateful bool
}

// Diff compares the committed snapshot (before) with the new one (after). Changes come in after's order,
// deletions last in before's order.
func Diff(before, after *Snapshot) []Change {
	old := map[string]SnapshotResource{}
	for _, r := range before.Resources {
		old[r.Key()] = r
	}
	var out []Change
	seen := map[string]bool{}
	for _, r := range after.Resources {
		seen[r.Key()] = true
		prev, ok := old[r.Key()]
		if !ok {
			out = append(out, Change{Action: Create, Type: r.Type, Name: r.Name})
			continue
		}
		c := Change{Type: r.Type, Name: r.Name, Props: changedProps(prev.Props, r.Props)}
		if prev.Region != r.Region {
			// A resource cannot move between regions: a new provider means a new resource.
			c.Because = append(c.Because, "region "+prev.Region+" -> "+r.Region)
		}
		c.Because = append(c.Because, awssim.Replaces(r.Type, nil, nil, c.Props)...)
		switch {
		case len(c.Because) > 0:
			c.Action = Replace
			_, c.Stateful = awssim.Stateful(r.Type)
		case len(c.Props) > 0 || !equalStrings(prev.Options, r.Options):
			c.Action = Update
		default:
			continue
		}
		out = append(out, c)
	}
	for _, r := range before.Resources {
		if !seen[r.Key()] {
			_, lost := awssim.Stateful(r.Type)
			out = append(out, Change{Action: Delete, Type: r.Type, Name: r.Name, Stateful: lost})
		}
	}
	return out
}

// changedProps lists the keys whose value differs, including keys present on one side only.
func changedProps(before, after []Prop) []string {
	values := map[string]string{}
	for _, p := range before {
		values[p.Key] = p.Value
	}
	var out []string
	for _, p := range after {
		if v, ok := values[p.Key]; !ok || v != p.Value {
			out = append(out, p.Key)
		}
		delete(values, p.Key)
	}
	for k := range values {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
