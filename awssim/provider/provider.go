// Package provider puts the simulated AWS behind Pulumi's provider interface, so that Pulumi's own engine,
// run in-process, can plan and apply a program against it: the engine decides create, update, replace,
// delete and same, cascades, ignoreChanges, aliases and protect, exactly as under `pulumi preview`; the
// simulated AWS answers each step as the aws provider and the AWS API would.
package provider

import (
	"context"
	"fmt"

	"github.com/blang/semver"
	"github.com/pulumi/pulumi/pkg/v3/resource/deploy/deploytest"
	"github.com/pulumi/pulumi/pkg/v3/resource/plugin"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/property"

	"github.com/migration-kit/kit/awssim"
)

// Version is the aws provider version the kit's SDK asks the engine for (pulumi-aws sdk/v6 v6.83.4).
var Version = semver.MustParse("6.83.4")

// Loaders give the engine providers that answer from sim: the aws package at the version the kit's SDK asks
// for, and any other package a program registers resources of (the random provider's RandomPassword) at any
// version; the simulated AWS refuses, loudly, every type it has no model for. The engine starts one instance
// per provider resource (the default provider, and each explicit aws.Provider), and configures each once
// with its own inputs: an aws instance is one region of the same account.
//
// dependsOn gives a resource's dependencies as the engine holds them (the provider protocol does not carry
// them), so that a model can tell a resource that waits for another from one created alongside it.
func Loaders(sim *awssim.Sim, dependsOn func(urn string) []string) []*deploytest.ProviderLoader {
	load := func() (plugin.Provider, error) { return New(sim, dependsOn), nil }
	return []*deploytest.ProviderLoader{
		deploytest.NewProviderLoader("aws", Version, load),
		deploytest.NewProviderLoader("*", Version, load),
	}
}

// New returns one provider instance over sim.
func New(sim *awssim.Sim, dependsOn func(urn string) []string) plugin.Provider {
	var region string
	return &deploytest.Provider{
		Name:    "aws",
		Package: "aws",
		Version: Version,
		ConfigureF: func(_ context.Context, req plugin.ConfigureRequest) (plugin.ConfigureResponse, error) {
			if v, ok := req.Inputs.GetOk("region"); ok && v.IsString() {
				region = v.AsString()
			}
			if req.Type != nil && *req.Type != "pulumi:providers:aws" {
				return plugin.ConfigureResponse{}, nil // not AWS: no region to check
			}
			return plugin.ConfigureResponse{}, awssim.CheckRegion(region)
		},
		DiffConfigF: func(_ context.Context, req plugin.DiffConfigRequest) (plugin.DiffConfigResponse, error) {
			// A provider in another region manages other resources: every resource on it is replaced.
			return Diff("pulumi:providers:aws", toMap(req.OldInputs), toMap(req.NewInputs), "region"), nil
		},
		CheckF: func(_ context.Context, req plugin.CheckRequest) (plugin.CheckResponse, error) {
			return plugin.CheckResponse{Properties: req.NewInputs}, nil
		},
		DiffF: func(_ context.Context, req plugin.DiffRequest) (plugin.DiffResponse, error) {
			return Diff(string(req.Type), toMap(req.OldInputs), toMap(req.NewInputs)), nil
		},
		CreateF: func(_ context.Context, req plugin.CreateRequest) (plugin.CreateResponse, error) {
			if req.Preview {
				// Like the real provider in a preview: the inputs as planned, every computed output unknown
				// (absent), so whatever reads them is unknown too and the engine sees the cascade.
				return plugin.CreateResponse{Properties: req.Properties}, nil
			}
			r := &awssim.Resource{URN: string(req.URN), Type: string(req.Type), Name: req.Name, Custom: true,
				Region: region, Inputs: toMap(req.Properties), DependsOn: dependsOn(string(req.URN))}
			id, outputs, err := sim.Create(r)
			if err != nil {
				return plugin.CreateResponse{Status: resource.StatusUnknown}, err
			}
			return plugin.CreateResponse{ID: resource.ID(id), Properties: fromMap(outputs), Status: resource.StatusOK}, nil
		},
		UpdateF: func(_ context.Context, req plugin.UpdateRequest) (plugin.UpdateResponse, error) {
			old := sim.Read(string(req.ID))
			if old == nil {
				return plugin.UpdateResponse{}, fmt.Errorf("awssim: %s %q: no resource with id %s in the account "+
					"to update", req.Type, req.Name, req.ID)
			}
			r := &awssim.Resource{URN: string(req.URN), Type: string(req.Type), Name: req.Name, Custom: true,
				Region: old.Region, Inputs: toMap(req.NewInputs)}
			if req.Preview {
				return plugin.UpdateResponse{Properties: fromMap(planUpdate(sim, old, r)), Status: resource.StatusOK}, nil
			}
			r.DependsOn = dependsOn(string(req.URN))
			outputs, err := sim.Update(old, r)
			if err != nil {
				return plugin.UpdateResponse{Status: resource.StatusUnknown}, err
			}
			return plugin.UpdateResponse{Properties: fromMap(outputs), Status: resource.StatusOK}, nil
		},
		DeleteF: func(_ context.Context, req plugin.DeleteRequest) (plugin.DeleteResponse, error) {
			if err := sim.Delete(string(req.ID)); err != nil {
				return plugin.DeleteResponse{Status: resource.StatusUnknown}, err
			}
			return plugin.DeleteResponse{Status: resource.StatusOK}, nil
		},
		ReadF: func(_ context.Context, req plugin.ReadRequest) (plugin.ReadResponse, error) {
			live := sim.Read(string(req.ID))
			if live == nil {
				return plugin.ReadResponse{Status: resource.StatusOK}, nil // gone: the engine drops it
			}
			inputs, outputs := fromMap(live.Inputs), fromMap(live.Outputs)
			return plugin.ReadResponse{ReadResult: plugin.ReadResult{ID: req.ID, Inputs: &inputs, Outputs: &outputs},
				Status: resource.StatusOK}, nil
		},
		InvokeF: func(_ context.Context, req plugin.InvokeRequest) (plugin.InvokeResponse, error) {
			out, err := sim.Invoke(string(req.Tok), region, toMap(req.Args))
			if err != nil {
				return plugin.InvokeResponse{}, err
			}
			return plugin.InvokeResponse{Properties: fromMap(out)}, nil
		},
	}
}

// planUpdate is what the provider plans for an in-place update: the old state with the new inputs over it,
// and unknown every computed output the update will change (a launch template's latest version), so that
// what reads it is updated too, as in a real preview.
func planUpdate(sim *awssim.Sim, old, r *awssim.Resource) resource.PropertyMap {
	planned := old.Outputs.Copy()
	for k, v := range r.Inputs {
		planned[k] = v
	}
	after, err := sim.PlanUpdate(old, r)
	if err != nil {
		return planned // the update run reports the refusal; a preview does not
	}
	for k, v := range after {
		if _, input := r.Inputs[k]; !input && !v.DeepEquals(old.Outputs[k]) {
			planned[k] = resource.MakeComputed(resource.NewProperty(""))
		}
	}
	return planned
}

func toMap(m property.Map) resource.PropertyMap { return resource.ToResourcePropertyMap(m) }

func fromMap(m resource.PropertyMap) property.Map { return resource.FromResourcePropertyMap(m) }
