package provider

import (
	"sort"

	"github.com/pulumi/pulumi/pkg/v3/resource/plugin"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"github.com/migration-kit/kit/awssim"
)

// Diff compares a resource's old and new inputs as the aws provider does: every changed path, as a
// detailed diff the engine displays, and the replacement the change forces (awssim.Replaces, from the
// provider's ForceNew rules). A value unknown in a preview counts as changed: when it forces a replacement,
// the engine replaces, which is how a replaced VPC replaces everything whose vpcId it feeds. alwaysReplace
// names top-level keys that replace whatever the type (a provider's region).
func Diff(typ string, olds, news resource.PropertyMap, alwaysReplace ...string) plugin.DiffResult {
	changed := map[string]plugin.PropertyDiff{}
	var paths []string
	for _, k := range unionKeys(olds, news) {
		diffValue(resource.PropertyPath{string(k)}, olds[k], news[k], changed)
	}
	for p := range changed {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	if len(paths) == 0 {
		return plugin.DiffResult{Changes: plugin.DiffNone}
	}

	replacing := awssim.Replaces(typ, olds, news, paths)
	for _, p := range paths {
		for _, k := range alwaysReplace {
			if topKey(p) == k {
				replacing = append(replacing, p)
			}
		}
	}
	result := plugin.DiffResult{Changes: plugin.DiffSome, DetailedDiff: changed}
	replaceKeys := map[resource.PropertyKey]bool{}
	for _, p := range replacing {
		changed[p] = changed[p].ToReplace()
		replaceKeys[resource.PropertyKey(topKey(p))] = true
	}
	changedKeys := map[resource.PropertyKey]bool{}
	for _, p := range paths {
		changedKeys[resource.PropertyKey(topKey(p))] = true
	}
	result.ReplaceKeys = sortedKeys(replaceKeys)
	result.DeleteBeforeReplace = len(replaceKeys) > 0 && awssim.DeletedBeforeReplaced(typ, news)
	result.ChangedKeys = sortedKeys(changedKeys)
	return result
}

// diffValue records the differences between old and new at path: leaves that differ, whole values that
// appear or go, and values unknown in a preview.
func diffValue(path resource.PropertyPath, old, new resource.PropertyValue, out map[string]plugin.PropertyDiff) {
	oldPlain, newPlain := unwrap(old), unwrap(new)
	switch {
	case new.ContainsUnknowns() && !newPlain.IsObject() && !newPlain.IsArray():
		out[path.String()] = plugin.PropertyDiff{Kind: plugin.DiffUpdate, InputDiff: true}
	case isAbsent(oldPlain) && isAbsent(newPlain):
	case isAbsent(oldPlain):
		out[path.String()] = plugin.PropertyDiff{Kind: plugin.DiffAdd, InputDiff: true}
	case isAbsent(newPlain):
		out[path.String()] = plugin.PropertyDiff{Kind: plugin.DiffDelete, InputDiff: true}
	case oldPlain.IsObject() && newPlain.IsObject():
		o, n := oldPlain.ObjectValue(), newPlain.ObjectValue()
		for _, k := range unionKeys(o, n) {
			diffValue(append(copyPath(path), string(k)), o[k], n[k], out)
		}
	case oldPlain.IsArray() && newPlain.IsArray():
		o, n := oldPlain.ArrayValue(), newPlain.ArrayValue()
		for i := 0; i < len(o) || i < len(n); i++ {
			var ov, nv resource.PropertyValue
			if i < len(o) {
				ov = o[i]
			}
			if i < len(n) {
				nv = n[i]
			}
			diffValue(append(copyPath(path), i), ov, nv, out)
		}
	case !sameSecret(old, new) && !oldPlain.DeepEquals(newPlain):
		out[path.String()] = plugin.PropertyDiff{Kind: plugin.DiffUpdate, InputDiff: true}
	}
}

// isAbsent treats a missing input and a null one alike, as the provider does.
func isAbsent(v resource.PropertyValue) bool { return v.V == nil || v.IsNull() }

func unwrap(v resource.PropertyValue) resource.PropertyValue {
	for {
		switch {
		case v.IsSecret():
			v = v.SecretValue().Element
		case v.IsOutput() && v.OutputValue().Known:
			v = v.OutputValue().Element
		default:
			return v
		}
	}
}

func unionKeys(a, b resource.PropertyMap) []resource.PropertyKey {
	seen := map[resource.PropertyKey]bool{}
	for k := range a {
		seen[k] = true
	}
	for k := range b {
		seen[k] = true
	}
	return sortedKeys(seen)
}

func sortedKeys(m map[resource.PropertyKey]bool) []resource.PropertyKey {
	out := make([]resource.PropertyKey, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

func copyPath(p resource.PropertyPath) resource.PropertyPath {
	return append(resource.PropertyPath(nil), p...)
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
