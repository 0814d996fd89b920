// Package awssim is a simulated AWS for Pulumi programs: a pulumi.MockResourceMonitor that answers like the
// AWS provider would, refuses what the AWS API refuses, and records every registration into a Graph.
//
// The Graph is the one record of a run. Tests assert on it, the policy rules judge it, and the offline plan
// renders it, so none of them needs a mock of its own.
//
// Outputs are deterministic: ids and names derive from a hash of the resource's URN, never from a counter,
// because the engine registers resources concurrently and in a different order on every run.
package awssim

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// providerType is the type token of an explicit AWS provider.
const providerType = "pulumi:providers:aws"

// A model simulates one AWS resource type: it checks the inputs as the AWS API would and returns the
// physical id and the outputs. It runs under the simulation's lock and may read s.graph.
type model func(s *Sim, r *Resource) (id string, outputs resource.PropertyMap, err error)

// models maps a resource type token to its model; each service's file adds its own.
var models = map[string]model{}

// An invoke answers one data-source call.
type invoke func(s *Sim, region string, args resource.PropertyMap) (resource.PropertyMap, error)

var invokes = map[string]invoke{}

// Sim is the simulated AWS. Use New, then pass it to pulumi.WithMocks (or use Run).
type Sim struct {
	project, stack string
	defaultRegion  string

	mu    sync.Mutex
	graph *Graph
	prior *Graph
	// existingRoles are IAM roles the account holds before the run; a fresh account holds none.
	existingRoles map[string]bool
}

// New returns a simulated AWS for one run of project/stack. defaultRegion plays the role of the aws:region
// config key: the region of every resource that has no explicit provider.
func New(project, stack, defaultRegion string) *Sim {
	return &Sim{project: project, stack: stack, defaultRegion: defaultRegion, graph: newGraph()}
}

// StartFrom makes the run an update of prior, a graph an earlier run recorded (the deployed state): each
// resource at an address prior has sees its earlier self as Resource.Prior.
func (s *Sim) StartFrom(prior *Graph) { s.prior = prior }

// AccountHasRoles makes IAM roles exist in the simulated account before the run, as roles another stack of
// the account created (DMS's dms-vpc-role, for one): the program may use them, and creating them again is
// refused as IAM refuses it.
func (s *Sim) AccountHasRoles(names ...string) {
	if s.existingRoles == nil {
		s.existingRoles = map[string]bool{}
	}
	for _, n := range names {
		s.existingRoles[n] = true
	}
}

// Graph returns what the run has recorded so far.
func (s *Sim) Graph() *Graph {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.graph
}

// NewResource implements pulumi.MockResourceMonitor.
func (s *Sim) NewResource(args pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	s.mu.Lock()
	defer s.mu.Unlock()

	r := &Resource{
		Type:   args.TypeToken,
		Name:   args.Name,
		Custom: args.Custom,
		Inputs: args.Inputs,
	}
	if rpc := args.RegisterRPC; rpc != nil {
		r.Parent = rpc.GetParent()
		r.Protect = rpc.GetProtect()
		r.RetainOnDelete = rpc.GetRetainOnDelete()
		r.DeleteBeforeReplace = rpc.GetDeleteBeforeReplace()
		r.IgnoreChanges = sortedCopy(rpc.GetIgnoreChanges())
		r.DependsOn = sortedCopy(rpc.GetDependencies())
		if deps := rpc.GetPropertyDependencies(); len(deps) > 0 {
			r.PropertyDependencies = map[string][]string{}
			for k, v := range deps {
				r.PropertyDependencies[k] = sortedCopy(v.GetUrns())
			}
		}
	}
	r.URN = s.urn(r.Parent, r.Type, r.Name)
	if s.prior != nil {
		r.Prior = s.prior.ByAddress(Address(r.URN))
	}
	if _, dup := s.graph.byURN[r.URN]; dup {
		return "", nil, fmt.Errorf("awssim: duplicate resource URN %s: two resources share a name and parent", r.URN)
	}
	if r.Type == providerType {
		r.Region = stringInput(r.Inputs, "region")
		if r.Region == "" {
			r.Region = s.defaultRegion
		}
	} else {
		r.ProviderURN = providerURN(args.Provider)
		region, err := s.regionOf(r.ProviderURN)
		if err != nil {
			return "", nil, err
		}
		if r.Custom && strings.HasPrefix(r.Type, "aws:") {
			r.Region = region
		}
	}

	var id string
	outputs := resource.PropertyMap{}
	switch {
	case !r.Custom:
		// Component resources have no physical id; their outputs come later through RegisterResourceOutputs.
	case r.Type == providerType:
		id = "provider-" + s.hash(r.URN, 8)
		outputs = r.Inputs.Copy()
	default:
		m, ok := models[r.Type]
		if !ok {
			return "", nil, fmt.Errorf("awssim: no model for resource type %q (%s); add one to awssim "+
				"so that tests see what AWS would answer", r.Type, r.Name)
		}
		var err error
		id, outputs, err = m(s, r)
		if err != nil {
			return "", nil, fmt.Errorf("%s %q: %w", r.Type, r.Name, err)
		}
	}
	r.ID = id
	r.Outputs = outputs
	s.graph.add(r)
	return id, outputs, nil
}

// Call implements pulumi.MockResourceMonitor for invokes (data sources).
func (s *Sim) Call(args pulumi.MockCallArgs) (resource.PropertyMap, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f, ok := invokes[args.Token]
	if !ok {
		return nil, fmt.Errorf("awssim: no model for invoke %q; add one to awssim rather than "+
			"answering with an empty value", args.Token)
	}
	region, err := s.regionOf(providerURN(args.Provider))
	if err != nil {
		return nil, err
	}
	return f(s, region, args.Args)
}

// regionOf resolves the region of a resource from its provider: an explicit provider's region input, or
// the default region.
func (s *Sim) regionOf(provider string) (string, error) {
	region := s.defaultRegion
	if provider != "" {
		p, ok := s.graph.byURN[provider]
		if !ok {
			return "", fmt.Errorf("awssim: provider %s is not registered", provider)
		}
		region = p.Region
	}
	if region == "" {
		return "", errors.New("awssim: missing required configuration key aws:region: set it in the stack " +
			"config or on an explicit aws.Provider")
	}
	if Zones(region) == nil {
		return "", fmt.Errorf("awssim: invalid AWS Region %q: the simulation knows %s",
			region, strings.Join(Regions(), ", "))
	}
	return region, nil
}

// providerURN strips the id from a provider reference ("urn::id").
func providerURN(ref string) string {
	if i := strings.LastIndex(ref, "::"); i >= 0 && strings.Count(ref, "::") > 3 {
		return ref[:i]
	}
	return ref
}

// urn builds a resource's URN exactly as the mock monitor does, so the graph and the program agree.
func (s *Sim) urn(parent, typ, name string) string {
	parentType := tokens.Type("")
	if p := resource.URN(parent); p != "" && p.QualifiedType() != resource.RootStackType {
		parentType = p.QualifiedType()
	}
	return string(resource.NewURN(tokens.QName(s.stack), tokens.PackageName(s.project), parentType,
		tokens.Type(typ), name))
}

// hash returns n hex digits derived from key: the deterministic source of every generated id. A URN counts
// by its address, so a resource keeps its ids in every stack of the project, as it keeps them across updates.
func (s *Sim) hash(key string, n int) string {
	sum := sha256.Sum256([]byte(Address(key)))
	return hex.EncodeToString(sum[:])[:n]
}

func sortedCopy(in []string) []string {
	if len(in) == 0 {
		return nil
	}
	out := append([]string(nil), in...)
	sort.Strings(out)
	return out
}
