// Package placement answers where a component's resources will land: the region and availability zones of
// the AWS provider its resource options select, asked before the component registers anything so that
// arguments can be checked against the real region first.
package placement

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Zone is one availability zone of the region.
type Zone struct {
	Name string // us-east-1a
	ID   string // use1-az1
}

// Placement is the region and zones behind a set of resource options.
type Placement struct {
	Region string
	Zones  []Zone
}

// ZoneNames returns the zones' names in the region's order.
func (p *Placement) ZoneNames() []string {
	out := make([]string, len(p.Zones))
	for i, z := range p.Zones {
		out[i] = z.Name
	}
	return out
}

// InvokeOptions turns a component's resource options into invoke options that reach the same provider: the
// explicit provider if one is given, else the parent's, which the invoke inherits as a child would.
func InvokeOptions(opts ...pulumi.ResourceOption) ([]pulumi.InvokeOption, error) {
	ro, err := pulumi.NewResourceOptions(opts...)
	if err != nil {
		return nil, err
	}
	var out []pulumi.InvokeOption
	if ro.Provider != nil {
		out = append(out, pulumi.Provider(ro.Provider))
	}
	if ro.Parent != nil {
		out = append(out, pulumi.Parent(ro.Parent))
	}
	return out, nil
}

// Lookup asks the provider selected by opts for its region and available availability zones (Local and
// Wavelength Zones excluded).
func Lookup(ctx *pulumi.Context, opts ...pulumi.ResourceOption) (*Placement, error) {
	invokeOpts, err := InvokeOptions(opts...)
	if err != nil {
		return nil, err
	}
	region, err := aws.GetRegion(ctx, nil, invokeOpts...)
	if err != nil {
		return nil, fmt.Errorf("looking up the provider's region: %w", err)
	}
	// Only availability zones: an account opted into Local Zones or Wavelength Zones gets those listed too,
	// and one of them could become zone index 0, where subnets, NAT gateways and load balancers of a
	// "multi-AZ" layout would land without the services or the independence an AZ gives.
	zones, err := aws.GetAvailabilityZones(ctx, &aws.GetAvailabilityZonesArgs{
		State:   pulumi.StringRef("available"),
		Filters: []aws.GetAvailabilityZonesFilter{{Name: "zone-type", Values: []string{"availability-zone"}}},
	}, invokeOpts...)
	if err != nil {
		return nil, fmt.Errorf("looking up the availability zones of %s: %w", region.Name, err)
	}
	p := &Placement{Region: region.Name}
	for i, name := range zones.Names {
		z := Zone{Name: name}
		if i < len(zones.ZoneIds) {
			z.ID = zones.ZoneIds[i]
		}
		p.Zones = append(p.Zones, z)
	}
	return p, nil
}
