package awssim

import (
	"fmt"
	"sort"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/policyx"
)

// Resource is one registration as the engine saw it.
type Resource struct {
	URN    string
	Type   string // type token, e.g. aws:ec2/vpc:Vpc
	Name   string // logical name
	Parent string // parent URN; the stack's own URN for top-level resources
	// ProviderURN is the explicit provider the resource was registered with; empty for the default provider.
	ProviderURN string
	// Region is where an AWS resource lives; empty for components and non-AWS resources.
	Region string
	Custom bool
	ID     string

	Inputs  resource.PropertyMap
	Outputs resource.PropertyMap
	// Prior is the same resource in the state the run started from (Options.Prior), nil when it is new:
	// models use it to tell an update (a replica's promotion) from a create.
	Prior *Resource

	// The options a reviewer cares about.
	Protect             bool
	RetainOnDelete      bool
	DeleteBeforeReplace bool
	IgnoreChanges       []string
	DependsOn           []string
	// PropertyDependencies maps an input to the URNs it was computed from: how a rule or a check follows a
	// reference (a subnet's VPC, an instance's subnets) even where the value itself is unknown in a preview.
	PropertyDependencies map[string][]string
}

// Graph is every resource of a run, addressable by URN, type and physical id.
type Graph struct {
	byURN map[string]*Resource
	// byID: EC2's physical ids are unique across types (vpc-…, subnet-…); services whose ids are names (DMS)
	// are looked up by type and id instead.
	byID map[string]*Resource
}

func newGraph() *Graph {
	return &Graph{byURN: map[string]*Resource{}, byID: map[string]*Resource{}}
}

func (g *Graph) add(r *Resource) {
	g.byURN[r.URN] = r
	if r.ID != "" {
		g.byID[r.ID] = r
	}
}

// Address is a URN without its stack and project: the same resource in two stacks of one project (prod and
// its drill) has the same address.
func Address(urn string) string {
	if !strings.HasPrefix(urn, "urn:pulumi:") {
		return urn
	}
	parts := strings.SplitN(urn, "::", 3)
	if len(parts) < 3 {
		return urn
	}
	return parts[2]
}

// ByAddress returns the resource at this address (see Address), or nil.
func (g *Graph) ByAddress(address string) *Resource {
	for _, r := range g.byURN {
		if Address(r.URN) == address {
			return r
		}
	}
	return nil
}

// Resources returns every resource sorted by URN: the same order whatever order they were registered in.
func (g *Graph) Resources() []*Resource {
	out := make([]*Resource, 0, len(g.byURN))
	for _, r := range g.byURN {
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].URN < out[j].URN })
	return out
}

// Len is the number of resources, components and providers included.
func (g *Graph) Len() int { return len(g.byURN) }

// Get returns the resource with this URN, or nil.
func (g *Graph) Get(urn string) *Resource { return g.byURN[urn] }

// ByID returns the resource with this physical id, or nil.
func (g *Graph) ByID(id string) *Resource { return g.byID[id] }

// ByType returns the resources of one type token, sorted by URN.
func (g *Graph) ByType(typ string) []*Resource {
	var out []*Resource
	for _, r := range g.Resources() {
		if r.Type == typ {
			out = append(out, r)
		}
	}
	return out
}

// Named returns the resource of this type and logical name (the first by URN when two parents reuse a
// name), or nil.
func (g *Graph) Named(typ, name string) *Resource {
	for _, r := range g.Resources() {
		if r.Type == typ && r.Name == name {
			return r
		}
	}
	return nil
}

// Children returns the direct children of urn, sorted by URN.
func (g *Graph) Children(urn string) []*Resource {
	var out []*Resource
	for _, r := range g.Resources() {
		if r.Parent == urn {
			out = append(out, r)
		}
	}
	return out
}

// Descendants returns every resource below urn in the parent tree, sorted by URN.
func (g *Graph) Descendants(urn string) []*Resource {
	var out []*Resource
	for _, r := range g.Resources() {
		for p := g.byURN[r.Parent]; p != nil; p = g.byURN[p.Parent] {
			if p.URN == urn {
				out = append(out, r)
				break
			}
		}
	}
	return out
}

// CountByType counts resources per type token.
func (g *Graph) CountByType() map[string]int {
	out := map[string]int{}
	for _, r := range g.byURN {
		out[r.Type]++
	}
	return out
}

// Input returns an input value by dotted path ("metadataOptions.httpTokens"), unwrapping secrets.
func (r *Resource) Input(path string) resource.PropertyValue { return lookup(r.Inputs, path) }

// Output returns an output value by dotted path, unwrapping secrets.
func (r *Resource) Output(path string) resource.PropertyValue { return lookup(r.Outputs, path) }

// InputString returns a string input by dotted path, or "" when it is absent or not a string.
func (r *Resource) InputString(path string) string { return asString(r.Input(path)) }

// OutputString returns a string output by dotted path, or "".
func (r *Resource) OutputString(path string) string { return asString(r.Output(path)) }

// Tags returns the resource's tags input as a plain map.
func (r *Resource) Tags() map[string]string {
	out := map[string]string{}
	v := r.Input("tags")
	if v.IsObject() {
		for k, t := range v.ObjectValue() {
			out[string(k)] = asString(unwrap(t))
		}
	}
	return out
}

// AnalyzerResources converts the graph into what a policy pack receives from the engine during a preview:
// each resource's inputs as its properties, its provider and its dependencies.
func (g *Graph) AnalyzerResources() []policyx.AnalyzerResource {
	var out []policyx.AnalyzerResource
	for _, r := range g.Resources() {
		a := policyx.AnalyzerResource{
			Type:                 r.Type,
			Properties:           resource.FromResourcePropertyMap(r.Inputs),
			URN:                  r.URN,
			Name:                 r.Name,
			Parent:               r.Parent,
			Dependencies:         r.DependsOn,
			PropertyDependencies: r.PropertyDependencies,
			Options: pulumi.ResourceOptions{
				Protect:             r.Protect,
				RetainOnDelete:      r.RetainOnDelete,
				DeleteBeforeReplace: r.DeleteBeforeReplace,
				IgnoreChanges:       r.IgnoreChanges,
			},
		}
		if r.Custom && strings.HasPrefix(r.Type, "aws:") {
			// The default provider's properties carry the region just as an explicit one's do.
			props := resource.PropertyMap{"region": resource.NewProperty(r.Region)}
			name := "default"
			if p := g.byURN[r.ProviderURN]; p != nil {
				props, name = p.Inputs, p.Name
			}
			a.Provider = policyx.AnalyzerProviderResource{
				Type: providerType, URN: r.ProviderURN, Name: name,
				Properties: resource.FromResourcePropertyMap(props),
			}
		}
		out = append(out, a)
	}
	return out
}

// lookup follows a dotted path through objects; a numeric segment indexes an array.
func lookup(m resource.PropertyMap, path string) resource.PropertyValue {
	v := resource.NewObjectProperty(m)
	for _, part := range strings.Split(path, ".") {
		v = unwrap(v)
		switch {
		case v.IsObject():
			v = v.ObjectValue()[resource.PropertyKey(part)]
		case v.IsArray():
			var i int
			if _, err := fmt.Sscanf(part, "%d", &i); err != nil || i < 0 || i >= len(v.ArrayValue()) {
				return resource.NewNullProperty()
			}
			v = v.ArrayValue()[i]
		default:
			return resource.NewNullProperty()
		}
	}
	return unwrap(v)
}

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

func asString(v resource.PropertyValue) string {
	if v.IsString() {
		return v.StringValue()
	}
	return ""
}
