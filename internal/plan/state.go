package plan

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/pulumi/pulumi/pkg/v3/resource"
	"github.com/pulumi/pulumi/pkg/v3/resource/deploy"
	"github.com/pulumi/pulumi/pkg/v3/resource/stack"
	"github.com/pulumi/pulumi/pkg/v3/secrets"
	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
	"github.com/pulumi/pulumi/sdk/v3/go/common/providers"
	sdkresource "github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/config"

	"github.com/migration-kit/kit/awssim"
	"github.com/migration-kit/kit/awssim/provider"
)

// A stack's state is committed as a Pulumi deployment in the format `pulumi stack export` writes (and
// `pulumi stack import` reads), produced by a simulated `pulumi up`. It is deterministic: no timestamps, no
// random provider ids, resources in a fixed order that keeps every dependency before its dependents, and
// secrets masked (a digest, never the value).

// maskedSecretsType names the masking secrets manager in a state file.
const maskedSecretsType = "kit-masked"

// LoadState reads a committed state; a missing file is a stack never deployed (nil, nil).
func LoadState(path string) (*deploy.Snapshot, error) {
	text, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var untyped apitype.UntypedDeployment
	if err := json.Unmarshal(text, &untyped); err != nil {
		return nil, fmt.Errorf("%s: not a Pulumi deployment: %w", path, err)
	}
	if untyped.Version != 3 {
		return nil, fmt.Errorf("%s: deployment version %d; the plan reads version 3 (pulumi stack export)", path,
			untyped.Version)
	}
	var d apitype.DeploymentV3
	if err := json.Unmarshal(untyped.Deployment, &d); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	snap, err := stack.DeserializeDeploymentV3(context.Background(), d, maskedSecrets{})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return snap, nil
}

// StateText serializes a state deterministically, as `pulumi stack export` would with its secrets masked.
func StateText(snap *deploy.Snapshot) (string, error) {
	snap = normalize(snap)
	d, err := stack.SerializeDeployment(context.Background(), snap, false)
	if err != nil {
		return "", err
	}
	d.Manifest.Time = time.Time{}
	d.Manifest.Version = ""
	raw, err := json.Marshal(d)
	if err != nil {
		return "", err
	}
	var b bytes.Buffer
	if err := json.Indent(&b, mustJSON(apitype.UntypedDeployment{Version: 3, Deployment: raw}), "", "  "); err != nil {
		return "", err
	}
	return b.String() + "\n", nil
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // UntypedDeployment always marshals
	}
	return b
}

// normalize returns a copy of snap that serializes the same on every run: provider ids derived from their
// URNs (the engine makes up a random UUID), no timestamps, resources in a fixed topological order.
func normalize(snap *deploy.Snapshot) *deploy.Snapshot {
	c := copySnapshot(snap)
	c.SecretsManager = maskedManager{}
	c.Manifest.Time = time.Time{}
	ids := map[string]string{}
	for _, r := range c.Resources {
		if providers.IsProviderType(r.Type) {
			sum := sha256.Sum256([]byte(awssim.Address(string(r.URN))))
			h := hex.EncodeToString(sum[:16])
			id := h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
			ids[string(r.URN)+"::"+string(r.ID)] = string(r.URN) + "::" + id
			r.ID = sdkresource.ID(id)
		}
	}
	for _, r := range c.Resources {
		if ref, ok := ids[r.Provider]; ok {
			r.Provider = ref
		}
		r.Dependencies = sortedURNs(r.Dependencies)
		for k, ds := range r.PropertyDependencies {
			r.PropertyDependencies[k] = sortedURNs(ds)
		}
		r.Created, r.Modified = nil, nil
		r.SourcePosition, r.StackTrace = "", nil
	}
	c.Resources = topoSort(c.Resources)
	return c
}

// topoSort orders resources so that each comes after its parent, provider and dependencies, and otherwise
// by URN: the engine's own order depends on how its parallel steps finished.
func topoSort(states []*resource.State) []*resource.State {
	byURN := map[sdkresource.URN]*resource.State{}
	for _, s := range states {
		if !s.Delete {
			byURN[s.URN] = s
		}
	}
	needs := func(s *resource.State) []sdkresource.URN {
		deps := append([]sdkresource.URN{s.Parent}, s.Dependencies...)
		if ref, err := providers.ParseReference(s.Provider); err == nil {
			deps = append(deps, ref.URN())
		}
		for _, ds := range s.PropertyDependencies {
			deps = append(deps, ds...)
		}
		return deps
	}
	var out []*resource.State
	done := map[*resource.State]bool{}
	var visit func(s *resource.State)
	visit = func(s *resource.State) {
		if done[s] {
			return
		}
		done[s] = true
		deps := needs(s)
		sort.Slice(deps, func(i, j int) bool { return deps[i] < deps[j] })
		for _, d := range deps {
			if dep := byURN[d]; dep != nil {
				visit(dep)
			}
		}
		out = append(out, s)
	}
	sorted := append([]*resource.State(nil), states...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].URN < sorted[j].URN })
	for _, s := range sorted {
		visit(s)
	}
	return out
}

// graphOf turns a state into the simulated AWS's graph, so the policy rules, the snapshot text and the
// tests read the engine's result as they read a run under mocks. Default providers stay out of the graph,
// as under mocks; a resource on one lives in its region (aws:region).
func graphOf(snap *deploy.Snapshot, defaultRegion string) *awssim.Graph {
	regions := map[string]string{}
	for _, s := range snap.Resources {
		if providers.IsProviderType(s.Type) {
			region := defaultRegion
			if v := s.Inputs["region"]; v.IsString() {
				region = v.StringValue()
			}
			regions[string(s.URN)] = region
		}
	}
	var out []*awssim.Resource
	for _, s := range snap.Resources {
		if s.Delete || s.Type == sdkresource.RootStackType {
			continue // the stack itself is the engine's: mocks never record it either
		}
		r := &awssim.Resource{
			URN: string(s.URN), Type: string(s.Type), Name: s.URN.Name(), Parent: string(s.Parent),
			Custom: s.Custom, ID: string(s.ID), Inputs: s.Inputs, Outputs: s.Outputs,
			Protect: s.Protect, RetainOnDelete: s.RetainOnDelete, IgnoreChanges: sortedCopy(s.IgnoreChanges),
		}
		for _, d := range s.Dependencies {
			r.DependsOn = append(r.DependsOn, string(d))
		}
		sort.Strings(r.DependsOn)
		if len(s.PropertyDependencies) > 0 {
			r.PropertyDependencies = map[string][]string{}
			for k, ds := range s.PropertyDependencies {
				for _, d := range ds {
					r.PropertyDependencies[string(k)] = append(r.PropertyDependencies[string(k)], string(d))
				}
				sort.Strings(r.PropertyDependencies[string(k)])
			}
		}
		switch {
		case providers.IsDefaultProvider(s.URN):
			continue
		case providers.IsProviderType(s.Type):
			r.Region = regions[string(s.URN)]
		case s.Custom:
			if ref, err := providers.ParseReference(s.Provider); err == nil {
				r.Region = regions[string(ref.URN())]
				if !providers.IsDefaultProvider(ref.URN()) {
					r.ProviderURN = string(ref.URN())
				}
			}
			if !strings.HasPrefix(r.Type, "aws:") {
				r.Region = ""
			}
		}
		out = append(out, r)
	}
	return awssim.NewGraph(out)
}

// sortedURNs sorts and dedupes: the SDK sends dependencies in the order its goroutines resolved them.
func sortedURNs(in []sdkresource.URN) []sdkresource.URN {
	if len(in) == 0 {
		return in
	}
	out := append([]sdkresource.URN(nil), in...)
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return slices.Compact(out)
}

func sortedCopy(in []string) []string {
	if len(in) == 0 {
		return nil
	}
	out := append([]string(nil), in...)
	sort.Strings(out)
	return out
}

// maskedManager is the secrets manager of a committed state: provider.Masker keeps a digest of each secret.
type maskedManager struct{}

func (maskedManager) Type() string                { return maskedSecretsType }
func (maskedManager) State() json.RawMessage      { return json.RawMessage(`{}`) }
func (maskedManager) Encrypter() config.Encrypter { return provider.Masker{} }
func (maskedManager) Decrypter() config.Decrypter { return provider.Masker{} }

// maskedSecrets reads back the state files the plan writes.
type maskedSecrets struct{}

func (maskedSecrets) OfType(_ context.Context, ty string, _ json.RawMessage) (secrets.Manager, error) {
	if ty != maskedSecretsType {
		return nil, fmt.Errorf("secrets provider %q: a committed state uses %q (secrets masked)", ty,
			maskedSecretsType)
	}
	return maskedManager{}, nil
}
