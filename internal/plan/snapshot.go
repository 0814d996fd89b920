package plan

import (
	"fmt"
	"sort"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"github.com/migration-kit/kit/awssim"
)

// The snapshot: the resource tree as plain text, one resource per header line and one input per property
// line, in a fixed order, so that a pull request shows an infrastructure change as a readable diff.
//
//	kit:network:VPC primary
//	  aws:ec2/vpc:Vpc primary @us-east-1
//	    cidrBlock = "10.10.0.0/16"
//
// A header is "<type> <name>", then "@<region>" for AWS resources, then the options a reviewer must see
// ([protect], [retainOnDelete], [deleteBeforeReplace]). A property line holds " = ", which a header never
// does.

// Snapshot is a rendered graph: resources in tree order with their flattened inputs.
type Snapshot struct {
	Resources []SnapshotResource
}

// SnapshotResource is one resource of a snapshot.
type SnapshotResource struct {
	Depth   int
	Type    string
	Name    string
	Region  string
	Options []string
	Props   []Prop // sorted by key
}

// Prop is one flattened input: a value on one line, or a document (a JSON policy or dashboard, user data)
// across several, so that a change to one statement is one changed line in a diff.
type Prop struct {
	Key, Value string
	Lines      []string
}

// String is the property's first line: "key = value", or "key =" above a document's lines.
func (p Prop) String() string { return strings.TrimRight(p.Key+" = "+p.Value, " ") }

// FromGraph renders a graph: the tree by parent, children sorted by type then name, providers first.
func FromGraph(g *awssim.Graph) *Snapshot {
	children := map[string][]*awssim.Resource{}
	for _, r := range g.Resources() {
		parent := r.Parent
		if g.Get(parent) == nil {
			parent = "" // the stack itself is not recorded: its children are the roots
		}
		children[parent] = append(children[parent], r)
	}
	for _, list := range children {
		sort.Slice(list, func(i, j int) bool {
			a, b := list[i], list[j]
			if (a.Type == providerType) != (b.Type == providerType) {
				return a.Type == providerType
			}
			if a.Type != b.Type {
				return a.Type < b.Type
			}
			return a.Name < b.Name
		})
	}
	s := &Snapshot{}
	var walk func(parent string, depth int)
	walk = func(parent string, depth int) {
		for _, r := range children[parent] {
			sr := SnapshotResource{Depth: depth, Type: r.Type, Name: r.Name, Region: r.Region, Props: flatten(r.Inputs)}
			if r.Type == providerType {
				sr.Region = r.Region
			}
			if r.Protect {
				sr.Options = append(sr.Options, "protect")
			}
			if r.RetainOnDelete {
				sr.Options = append(sr.Options, "retainOnDelete")
			}
			if r.DeleteBeforeReplace {
				sr.Options = append(sr.Options, "deleteBeforeReplace")
			}
			s.Resources = append(s.Resources, sr)
			walk(r.URN, depth+1)
		}
	}
	walk("", 0)
	return s
}

const providerType = "pulumi:providers:aws"

// String renders the snapshot text.
func (s *Snapshot) String() string {
	var b strings.Builder
	for _, r := range s.Resources {
		indent := strings.Repeat("  ", r.Depth)
		b.WriteString(indent + r.Type + " " + r.Name)
		if r.Region != "" {
			b.WriteString(" @" + r.Region)
		}
		for _, o := range r.Options {
			b.WriteString(" [" + o + "]")
		}
		b.WriteString("\n")
		for _, p := range r.Props {
			b.WriteString(indent + "    " + p.String() + "\n")
			for _, l := range p.Lines {
				b.WriteString(indent + "      " + l + "\n")
			}
		}
	}
	return b.String()
}

// flatten turns inputs into sorted "path = value" pairs: nested objects by dots, arrays of objects by
// index; scalars, arrays of scalars and string maps (tags) on one line each.
func flatten(m resource.PropertyMap) []Prop {
	var out []Prop
	var walk func(prefix string, v resource.PropertyValue)
	walk = func(prefix string, v resource.PropertyValue) {
		switch {
		case v.IsSecret():
			out = append(out, Prop{Key: prefix, Value: "[secret]"})
		case v.IsComputed() || (v.IsOutput() && !v.OutputValue().Known):
			out = append(out, Prop{Key: prefix, Value: "(known after apply)"})
		case v.IsOutput():
			walk(prefix, v.OutputValue().Element)
		case v.IsObject() && !isStringMap(v.ObjectValue()):
			obj := v.ObjectValue()
			for _, k := range obj.StableKeys() {
				walk(prefix+"."+string(k), obj[k])
			}
		case v.IsArray() && hasObjects(v.ArrayValue()):
			for i, e := range v.ArrayValue() {
				walk(fmt.Sprintf("%s[%d]", prefix, i), e)
			}
		case v.IsString() && prefix == "userData":
			if lines, ok := document(prefix, v); ok {
				out = append(out, Prop{Key: prefix, Value: "(base64, decoded)", Lines: lines})
			} else {
				out = append(out, Prop{Key: prefix, Value: oneLine(v)})
			}
		default:
			if lines, ok := document(prefix, v); ok {
				out = append(out, Prop{Key: prefix, Lines: lines})
			} else {
				out = append(out, Prop{Key: prefix, Value: oneLine(v)})
			}
		}
	}
	for _, k := range m.StableKeys() {
		walk(string(k), m[k])
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out
}

func isStringMap(m resource.PropertyMap) bool {
	for _, v := range m {
		if !v.IsString() {
			return false
		}
	}
	return len(m) > 0
}

func hasObjects(a []resource.PropertyValue) bool {
	for _, e := range a {
		if e.IsObject() || e.IsArray() {
			return true
		}
	}
	return false
}
