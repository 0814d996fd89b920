package awssim

import (
	"fmt"
	"path"
	"sort"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// al2023Parameters are the public SSM parameters that name the latest Amazon Linux 2023 AMI.
var al2023Parameters = map[string]string{
	"/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64": "x86_64",
	"/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64":  "arm64",
	"/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-6.1-x86_64":     "x86_64",
	"/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-6.1-arm64":      "arm64",
}

func init() {
	invokes["aws:index/getAvailabilityZones:getAvailabilityZones"] = getAvailabilityZones
	invokes["aws:index/getCallerIdentity:getCallerIdentity"] = func(s *Sim, region string, _ resource.PropertyMap) (resource.PropertyMap, error) {
		return resource.NewPropertyMapFromMap(map[string]any{
			"id": AccountID, "accountId": AccountID, "userId": "AIDACKCEVSQ6C2EXAMPLE",
			"arn": fmt.Sprintf("arn:aws:iam::%s:user/kit-deployer", AccountID),
		}), nil
	}
	invokes["aws:index/getRegion:getRegion"] = func(s *Sim, region string, args resource.PropertyMap) (resource.PropertyMap, error) {
		if n := stringInput(args, "name"); n != "" && n != region {
			region = n
		}
		return resource.NewPropertyMapFromMap(map[string]any{
			"id": region, "name": region, "region": region, "endpoint": "ec2." + region + ".amazonaws.com",
			"description": region,
		}), nil
	}
	invokes["aws:index/getPartition:getPartition"] = func(s *Sim, region string, _ resource.PropertyMap) (resource.PropertyMap, error) {
		return resource.NewPropertyMapFromMap(map[string]any{
			"id": "aws", "partition": "aws", "dnsSuffix": "amazonaws.com", "reverseDnsPrefix": "com.amazonaws",
		}), nil
	}
	invokes["aws:ssm/getParameter:getParameter"] = func(s *Sim, region string, args resource.PropertyMap) (resource.PropertyMap, error) {
		name := stringInput(args, "name")
		if _, ok := al2023Parameters[name]; !ok {
			return nil, refuse("ParameterNotFound", "parameter %s does not exist in %s (the simulation knows the "+
				"Amazon Linux 2023 AMI parameters)", name, region)
		}
		return resource.NewPropertyMapFromMap(map[string]any{
			"id": name, "name": name, "type": "String", "value": AMI(region, name), "version": 112,
			"arn":            arn("ssm", region, "parameter"+name),
			"insecureValue":  AMI(region, name),
			"withDecryption": true,
		}), nil
	}
}

// zoneFilters are the DescribeAvailabilityZones filters the simulation models, each reading one field of a
// zone. AWS knows a few more (message, parent-zone-name, ...); a program using one of those gets a loud
// refusal here rather than an answer that silently ignores the filter.
var zoneFilters = map[string]func(accountZone, string) string{
	"zone-type":     func(z accountZone, _ string) string { return z.Type },
	"zone-name":     func(z accountZone, _ string) string { return z.Name },
	"zone-id":       func(z accountZone, _ string) string { return z.ID },
	"opt-in-status": func(z accountZone, _ string) string { return z.OptIn },
	"group-name":    func(z accountZone, _ string) string { return z.Group },
	"region-name":   func(_ accountZone, region string) string { return region },
	"state":         func(accountZone, string) string { return "available" },
}

// getAvailabilityZones answers aws.GetAvailabilityZones as DescribeAvailabilityZones would for the simulated
// account: the region's availability zones and the Local Zones it opted into, narrowed by state, filters and
// exclusions. Every zone is available.
func getAvailabilityZones(_ *Sim, region string, args resource.PropertyMap) (resource.PropertyMap, error) {
	if st := stringInput(args, "state"); st != "" && st != "available" {
		return nil, refuse("InvalidParameterValue", "state %q: the simulation only models available zones", st)
	}
	if boolInput(args, "allAvailabilityZones", false) {
		return nil, refuse("InvalidParameterValue", "allAvailabilityZones: the simulation does not model the "+
			"zones the account has not opted into, so it cannot list them all")
	}
	type filter struct {
		field  func(accountZone, string) string
		values []string
	}
	var filters []filter
	for _, f := range objectsInput(args, "filters") {
		name := stringInput(f, "name")
		field, ok := zoneFilters[name]
		if !ok {
			known := make([]string, 0, len(zoneFilters))
			for k := range zoneFilters {
				known = append(known, k)
			}
			sort.Strings(known)
			return nil, refuse("InvalidParameterValue", "filter %q: the simulation does not model it (it models %s); "+
				"add it to awssim/invokes.go rather than have it ignored", name, strings.Join(known, ", "))
		}
		filters = append(filters, filter{field, stringsInput(f, "values")})
	}
	excluded := map[string]bool{}
	for _, n := range append(stringsInput(args, "excludeNames"), stringsInput(args, "excludeZoneIds")...) {
		excluded[n] = true
	}
	var names, ids, groups []any
zones:
	for _, z := range accountZones(region) {
		if excluded[z.Name] || excluded[z.ID] {
			continue
		}
		for _, f := range filters {
			if !matchesAny(f.field(z, region), f.values) {
				continue zones
			}
		}
		names, ids, groups = append(names, z.Name), append(ids, z.ID), append(groups, z.Group)
	}
	return resource.NewPropertyMapFromMap(map[string]any{
		"id": region, "names": names, "zoneIds": ids, "groupNames": groups, "state": "available",
	}), nil
}

// matchesAny reports whether value matches one of an EC2 filter's values, which take * and ? wildcards.
func matchesAny(value string, patterns []string) bool {
	for _, p := range patterns {
		if ok, err := path.Match(p, value); err == nil && ok {
			return true
		}
	}
	return false
}

// AMI is the image id the simulation's SSM parameter gives for region: different per region, as real AMIs are.
func AMI(region, parameter string) string {
	return "ami-0" + (&Sim{}).hash(region+parameter, 16)
}
