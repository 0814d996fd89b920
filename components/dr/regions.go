package dr

import (
	"sort"
	"strings"
)

// regions are the commercial AWS regions. A DR region outside this list is far more likely a typo than a
// region launched since; extend the list when AWS opens one.
var regions = map[string]bool{
	"us-east-1": true, "us-east-2": true, "us-west-1": true, "us-west-2": true,
	"af-south-1": true, "ap-east-1": true, "ap-east-2": true, "ap-south-1": true, "ap-south-2": true,
	"ap-northeast-1": true, "ap-northeast-2": true, "ap-northeast-3": true,
	"ap-southeast-1": true, "ap-southeast-2": true, "ap-southeast-3": true, "ap-southeast-4": true,
	"ap-southeast-5": true, "ap-southeast-6": true, "ap-southeast-7": true,
	"ca-central-1": true, "ca-west-1": true,
	"eu-central-1": true, "eu-central-2": true, "eu-west-1": true, "eu-west-2": true, "eu-west-3": true,
	"eu-south-1": true, "eu-south-2": true, "eu-north-1": true,
	"il-central-1": true, "me-south-1": true, "me-central-1": true, "mx-central-1": true, "sa-east-1": true,
}

// KnownRegion reports whether region is a commercial AWS region.
func KnownRegion(region string) bool { return regions[region] }

// Regions returns the known regions, sorted.
func Regions() []string {
	out := make([]string, 0, len(regions))
	for r := range regions {
		out = append(out, r)
	}
	sort.Strings(out)
	return out
}

// suggestRegion proposes another region of the same geography for error messages.
func suggestRegion(primary string) string {
	geo, _, _ := strings.Cut(primary, "-")
	for _, r := range Regions() {
		if r != primary && strings.HasPrefix(r, geo+"-") {
			return r
		}
	}
	return "us-west-2"
}
