package tests

import (
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/migration-kit/kit/components/network"
	"github.com/migration-kit/kit/components/placement"
)

// placementZones runs a raw GetAvailabilityZones invoke in region and returns its answer.
func placementZones(t *testing.T, region string, args *aws.GetAvailabilityZonesArgs) *aws.GetAvailabilityZonesResult {
	t.Helper()
	var got *aws.GetAvailabilityZonesResult
	simulate(t, region, func(ctx *pulumi.Context) error {
		var err error
		got, err = aws.GetAvailabilityZones(ctx, args)
		return err
	})
	return got
}

func TestPlacementSeesOnlyAvailabilityZonesInAnAccountOptedIntoALocalZone(t *testing.T) {
	var where *placement.Placement
	simulate(t, "us-west-2", func(ctx *pulumi.Context) error {
		var err error
		where, err = placement.Lookup(ctx)
		return err
	})
	assert.Equal(t, []string{"us-west-2a", "us-west-2b", "us-west-2c", "us-west-2d"}, where.ZoneNames())
	assert.Equal(t, "usw2-az1", where.Zones[0].ID)
}

func TestNetworkPutsNoSubnetInALocalZone(t *testing.T) {
	g := simulate(t, "us-west-2", networkProgram(&network.Args{AZCount: 3}))
	subnets := g.ByType(typeSubnet)
	require.NotEmpty(t, subnets)
	for _, s := range subnets {
		assert.Regexp(t, `^usw2-az[1-4]$`, s.OutputString("availabilityZoneId"), s.Name)
	}
}

func TestAWSSimListsTheOptedInLocalZoneUnlessZoneTypeExcludesIt(t *testing.T) {
	all := placementZones(t, "us-west-2", &aws.GetAvailabilityZonesArgs{State: pulumi.StringRef("available")})
	assert.Equal(t, []string{"us-west-2-lax-1a", "us-west-2a", "us-west-2b", "us-west-2c", "us-west-2d"}, all.Names,
		"sorted by name, as EC2 lists them: the Local Zone comes first")
	assert.Equal(t, "usw2-lax1-az1", all.ZoneIds[0])
	assert.Equal(t, "us-west-2-lax-1", all.GroupNames[0])

	local := placementZones(t, "us-west-2", &aws.GetAvailabilityZonesArgs{
		Filters: []aws.GetAvailabilityZonesFilter{{Name: "zone-type", Values: []string{"local-zone", "wavelength-zone"}}}})
	assert.Equal(t, []string{"us-west-2-lax-1a"}, local.Names)

	azs := placementZones(t, "us-west-2", &aws.GetAvailabilityZonesArgs{
		Filters:      []aws.GetAvailabilityZonesFilter{{Name: "zone-type", Values: []string{"availability-zone"}}},
		ExcludeNames: []string{"us-west-2d"}, ExcludeZoneIds: []string{"usw2-az1"}})
	assert.Equal(t, []string{"us-west-2b", "us-west-2c"}, azs.Names, "exclusions by name and by id apply too")

	wild := placementZones(t, "us-west-2", &aws.GetAvailabilityZonesArgs{
		Filters: []aws.GetAvailabilityZonesFilter{{Name: "zone-name", Values: []string{"us-west-2?"}}, {Name: "opt-in-status", Values: []string{"opt-in-not-required"}}}})
	assert.Len(t, wild.Names, 4, "filter values take EC2's wildcards, and every filter must match")

	assert.Len(t, placementZones(t, "us-east-1", nil).Names, 6, "a region without an opted-in Local Zone lists its AZs")
}

func TestAWSSimRefusesAZoneFilterItDoesNotModel(t *testing.T) {
	_, err := simulateErr(t, "us-west-2", func(ctx *pulumi.Context) error {
		_, err := aws.GetAvailabilityZones(ctx, &aws.GetAvailabilityZonesArgs{
			Filters: []aws.GetAvailabilityZonesFilter{{Name: "parent-zone-name", Values: []string{"us-west-2a"}}}})
		return err
	})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `filter "parent-zone-name": the simulation does not model it`)

	_, err = simulateErr(t, "us-west-2", func(ctx *pulumi.Context) error {
		_, err := aws.GetAvailabilityZones(ctx, &aws.GetAvailabilityZonesArgs{AllAvailabilityZones: pulumi.BoolRef(true)})
		return err
	})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "allAvailabilityZones")
}

func TestAWSSimAcceptsASubnetInTheOptedInLocalZoneOnly(t *testing.T) {
	subnetIn := func(az string) pulumi.RunFunc {
		return func(ctx *pulumi.Context) error {
			vpc, err := ec2.NewVpc(ctx, "v", &ec2.VpcArgs{CidrBlock: pulumi.String("10.0.0.0/16")})
			if err != nil {
				return err
			}
			_, err = ec2.NewSubnet(ctx, "s", &ec2.SubnetArgs{VpcId: vpc.ID(), CidrBlock: pulumi.String("10.0.1.0/24"),
				AvailabilityZone: pulumi.String(az)})
			return err
		}
	}
	g := simulate(t, "us-west-2", subnetIn("us-west-2-lax-1a"))
	assert.Equal(t, "usw2-lax1-az1", g.ByType(typeSubnet)[0].OutputString("availabilityZoneId"))

	_, err := simulateErr(t, "us-west-2", subnetIn("us-west-2-phx-1a"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "us-west-2-lax-1a, us-west-2a", "the refusal lists the zones the account can use")
}
