package awssim

import (
	"cmp"
	"fmt"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// The provider's side of the simulated AWS: what Pulumi's engine asks the aws provider to do (create, update,
// delete, read, invoke), against one account that lives across operations. Under pulumi.WithMocks the program
// registers resources and NewResource answers; under the engine, the engine decides each step (create, update,
// replace, delete, same) and only then calls these. Both run the same models.

// Seed puts resources that already exist into the account: the custom resources of a stack's prior state.
// The engine makes no call for an unchanged resource, so models must find it here.
func (s *Sim) Seed(resources []*Resource) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, r := range resources {
		if r.Custom && r.ID != "" {
			s.graph.add(r)
		}
	}
}

// Create creates r (URN, Type, Name, Region and Inputs set) as the AWS API would, or refuses it. When a live
// resource already has r's address (a replacement created before its predecessor is deleted), r is another
// generation: its ids and generated names differ from its predecessor's, as a new AWS resource's do. A
// replacement that keeps its predecessor's physical name is refused as AWS refuses a duplicate name.
func (s *Sim) Create(r *Resource) (string, resource.PropertyMap, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if strings.HasPrefix(r.Type, "aws:") {
		if err := CheckRegion(r.Region); err != nil {
			return "", nil, err
		}
	}
	predecessor := s.graph.byURN[r.URN] != nil
	var firstErr error
	for gen := 0; gen < 4; gen++ {
		s.generation = gen
		id, outputs, err := s.model(r)
		s.generation = 0
		switch {
		case err != nil && !predecessor:
			return "", nil, err
		case err != nil:
			// The predecessor may hold this generation's generated name: the next one does not.
			firstErr = cmp.Or(firstErr, err)
			continue
		case predecessor && s.graph.byID[id] != nil && s.graph.byID[id].URN == r.URN:
			firstErr = cmp.Or(firstErr, fmt.Errorf("%s %q: %w", r.Type, r.Name, refuse("AlreadyExists",
				"a resource with the id %s already exists: the replacement is created before its predecessor is "+
					"deleted, and keeps its physical name. Give the replacement another name, or delete the old one "+
					"first (the deleteBeforeReplace resource option)", id)))
			continue
		}
		r.ID, r.Outputs, r.Generation = id, outputs, gen
		s.graph.add(r)
		return id, outputs, nil
	}
	return "", nil, firstErr
}

// Update changes the live resource old into r in place. r.Prior is set to old, so a model tells an update
// (a replica's promotion) from a create; old leaves the account while the model runs, so it never conflicts
// with itself. The physical id stays the same, and so does the generation: a state file does not record
// it, so it is the one whose model gives old's id.
func (s *Sim) Update(old, r *Resource) (resource.PropertyMap, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.graph.remove(old)
	r.Prior, r.ID = old, old.ID
	var outputs resource.PropertyMap
	for gen := 0; gen < 4; gen++ {
		s.generation = gen
		id, out, err := s.model(r)
		s.generation = 0
		if err != nil {
			s.graph.add(old)
			return nil, err
		}
		if gen == 0 || id == old.ID {
			outputs, r.Generation = out, gen
		}
		if id == old.ID {
			break
		}
	}
	r.Outputs = outputs
	s.graph.add(r)
	return outputs, nil
}

// PlanUpdate answers what Update would return for the same change, and changes nothing: a provider's preview
// of an update, which knows which computed outputs the update will change (a launch template's latest
// version number). The error is what Update would refuse, when the model can tell already.
func (s *Sim) PlanUpdate(old, r *Resource) (resource.PropertyMap, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.graph.remove(old)
	defer s.graph.add(old)
	r.Prior, r.ID = old, old.ID
	var outputs resource.PropertyMap
	for gen := 0; gen < 4; gen++ {
		s.generation = gen
		id, out, err := s.model(r)
		s.generation = 0
		if err != nil {
			return nil, err
		}
		if gen == 0 || id == old.ID {
			outputs = out
		}
		if id == old.ID {
			break
		}
	}
	return outputs, nil
}

// Delete deletes the live resource with this id, or refuses as AWS would (a deleter of its type decides).
func (s *Sim) Delete(id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.graph.byID[id]
	if r == nil {
		return nil // already gone: the provider treats a missing resource as deleted
	}
	if d := deleters[r.Type]; d != nil {
		if err := d(s, r); err != nil {
			return fmt.Errorf("%s %q: %w", r.Type, r.Name, err)
		}
	}
	s.graph.remove(r)
	return nil
}

// Read returns the live resource with this id, or nil when it does not exist.
func (s *Sim) Read(id string) *Resource {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.graph.byID[id]
}

// Invoke answers a data-source call in region.
func (s *Sim) Invoke(token, region string, args resource.PropertyMap) (resource.PropertyMap, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := CheckRegion(region); err != nil {
		return nil, err
	}
	return s.invoke(token, region, args)
}

// deleters refuse the deletions AWS refuses, per type; a type without one is always deletable.
var deleters = map[string]func(s *Sim, r *Resource) error{}
