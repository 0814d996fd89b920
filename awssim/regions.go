package awssim

import "sort"

// AccountID is the AWS account every simulated ARN and identity belongs to.
const AccountID = "123456789012"

// Zone is one availability zone as DescribeAvailabilityZones reports it.
type Zone struct {
	Name string // us-east-1a
	ID   string // use1-az1: the physical zone, the same for every account
}

// zones lists the default (non-opt-in) availability zones of the regions the kit supports, with zone IDs as
// AWS documents them. Name-to-ID mappings differ between accounts in the oldest regions; the ones here are a
// real, fixed mapping so that runs are deterministic.
var zones = map[string][]Zone{
	"us-east-1":      {{"us-east-1a", "use1-az1"}, {"us-east-1b", "use1-az2"}, {"us-east-1c", "use1-az4"}, {"us-east-1d", "use1-az6"}, {"us-east-1e", "use1-az3"}, {"us-east-1f", "use1-az5"}},
	"us-east-2":      {{"us-east-2a", "use2-az1"}, {"us-east-2b", "use2-az2"}, {"us-east-2c", "use2-az3"}},
	"us-west-1":      {{"us-west-1a", "usw1-az1"}, {"us-west-1c", "usw1-az3"}},
	"us-west-2":      {{"us-west-2a", "usw2-az1"}, {"us-west-2b", "usw2-az2"}, {"us-west-2c", "usw2-az3"}, {"us-west-2d", "usw2-az4"}},
	"ca-central-1":   {{"ca-central-1a", "cac1-az1"}, {"ca-central-1b", "cac1-az2"}, {"ca-central-1d", "cac1-az4"}},
	"eu-west-1":      {{"eu-west-1a", "euw1-az1"}, {"eu-west-1b", "euw1-az2"}, {"eu-west-1c", "euw1-az3"}},
	"eu-west-2":      {{"eu-west-2a", "euw2-az2"}, {"eu-west-2b", "euw2-az3"}, {"eu-west-2c", "euw2-az1"}},
	"eu-central-1":   {{"eu-central-1a", "euc1-az2"}, {"eu-central-1b", "euc1-az3"}, {"eu-central-1c", "euc1-az1"}},
	"eu-north-1":     {{"eu-north-1a", "eun1-az1"}, {"eu-north-1b", "eun1-az2"}, {"eu-north-1c", "eun1-az3"}},
	"ap-northeast-1": {{"ap-northeast-1a", "apne1-az4"}, {"ap-northeast-1c", "apne1-az1"}, {"ap-northeast-1d", "apne1-az2"}},
	"ap-northeast-2": {{"ap-northeast-2a", "apne2-az1"}, {"ap-northeast-2b", "apne2-az2"}, {"ap-northeast-2c", "apne2-az3"}, {"ap-northeast-2d", "apne2-az4"}},
	"ap-southeast-1": {{"ap-southeast-1a", "apse1-az1"}, {"ap-southeast-1b", "apse1-az2"}, {"ap-southeast-1c", "apse1-az3"}},
	"ap-southeast-2": {{"ap-southeast-2a", "apse2-az1"}, {"ap-southeast-2b", "apse2-az3"}, {"ap-southeast-2c", "apse2-az2"}},
	"sa-east-1":      {{"sa-east-1a", "sae1-az1"}, {"sa-east-1b", "sae1-az2"}, {"sa-east-1c", "sae1-az3"}},
}

// localZones are the opt-in zones the simulated account has opted into: Local Zones and Wavelength Zones
// hang off a parent region, and once an account opts in, DescribeAvailabilityZones lists them beside the
// region's availability zones (as zone type local-zone or wavelength-zone). One is modelled, so that code
// asking for "the region's AZs" must filter on zone-type to get only availability zones.
var localZones = map[string][]accountZone{
	"us-west-2": {{Zone: Zone{"us-west-2-lax-1a", "usw2-lax1-az1"}, Type: "local-zone", OptIn: "opted-in", Group: "us-west-2-lax-1"}},
}

// accountZone is a zone as DescribeAvailabilityZones lists it to the simulated account.
type accountZone struct {
	Zone
	Type  string // availability-zone, local-zone or wavelength-zone
	OptIn string // opt-in-not-required for availability zones; opted-in for the Local Zones above
	Group string // the zone group: the region for availability zones, e.g. us-west-2-lax-1 for a Local Zone
}

// accountZones lists every zone of region the simulated account can use, the availability zones and the
// Local Zones it has opted into, sorted by name as DescribeAvailabilityZones returns them: us-west-2-lax-1a
// comes before us-west-2a, so an unfiltered lookup makes the Local Zone zone index 0.
func accountZones(region string) []accountZone {
	var out []accountZone
	for _, z := range zones[region] {
		out = append(out, accountZone{Zone: z, Type: "availability-zone", OptIn: "opt-in-not-required", Group: region})
	}
	out = append(out, localZones[region]...)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Zones returns the availability zones of region, or nil for a region the simulation does not know. Local
// Zones are not among them: they are not availability zones, and the multi-AZ checks of every model (an ALB's
// two zones, a DB subnet group's coverage) count availability zones only.
func Zones(region string) []Zone { return zones[region] }

// Regions returns every region the simulation knows, sorted.
func Regions() []string {
	out := make([]string, 0, len(zones))
	for r := range zones {
		out = append(out, r)
	}
	sort.Strings(out)
	return out
}
