package rules

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/policyx"
)

// Where workloads land, judged across the stack by following references between resources.

func placementRules() []Rule {
	return []Rule{
		{
			Name: "workloads-in-private-subnets",
			Description: "Instances, auto-scaling groups, databases and OpenSearch domains sit only in private or data subnets " +
				"(a subnet is public when its Tier tag is public or it maps public IPs on launch), never in the default VPC.",
			Level:      Mandatory,
			CheckStack: workloadsInPrivateSubnets,
		},
		{
			Name:        "dr-replica-in-another-region",
			Description: "A database replica (replicateSourceDb) lives in a region other than its source, so a regional outage cannot take both.",
			Level:       Mandatory,
			CheckStack:  drReplicaInAnotherRegion,
		},
		{
			Name:          "asg-elb-health-check",
			Controls:      []string{"AutoScaling.1"},
			Description:   "Auto-scaling groups behind a load balancer replace instances the load balancer finds unhealthy (healthCheckType ELB).",
			Level:         Advisory,
			Types:         []string{typeASG},
			CheckResource: asgELBHealthCheck,
		},
	}
}

// publicSubnet reports whether a subnet is public: tagged Tier=public, or handing out public IPs.
func publicSubnet(s policyx.AnalyzerResource) bool {
	return tagsOf(s)["Tier"] == "public" || isTrue(prop(s, "mapPublicIpOnLaunch"))
}

// subnetsOf returns the URNs of the subnets a workload is placed in, and whether it names any placement at all
// (false means AWS picks the default VPC). Only references the stack can follow are returned.
func subnetsOf(r policyx.AnalyzerResource, all []policyx.AnalyzerResource, idx map[string]policyx.AnalyzerResource) (urns []string, placed bool) {
	isSubnet := func(u string) bool { return idx[u].Type == typeSubnet }
	keep := func(us []string) []string {
		var out []string
		for _, u := range us {
			if isSubnet(u) {
				out = append(out, u)
			}
		}
		return out
	}
	switch r.Type {
	case typeInstance:
		return keep(deps(r, "subnetId")), set(prop(r, "subnetId")) || set(prop(r, "networkInterfaces"))
	case typeASG:
		return keep(deps(r, "vpcZoneIdentifiers")), set(prop(r, "vpcZoneIdentifiers"))
	case typeOpenSearchDomain:
		return keep(deps(r, "vpcOptions")), true // opensearch-in-vpc judges a domain without subnets
	case typeDBInstance:
		if !set(prop(r, "dbSubnetGroupName")) {
			// A replica in its source's region inherits the source's subnet group.
			return nil, replica(r)
		}
		groups := deps(r, "dbSubnetGroupName")
		if name, known := str(prop(r, "dbSubnetGroupName")); known {
			for _, g := range ofType(all, typeDBSubnetGroup) {
				if n, _ := str(prop(g, "name")); n != "" && strings.EqualFold(n, name) {
					groups = append(groups, g.URN)
				}
			}
		}
		for _, g := range groups {
			if idx[g].Type == typeDBSubnetGroup {
				urns = append(urns, keep(deps(idx[g], "subnetIds"))...)
			}
		}
		slices.Sort(urns)
		return slices.Compact(urns), true
	}
	return nil, true
}

func workloadsInPrivateSubnets(_ Env, rs []policyx.AnalyzerResource) []Finding {
	idx := byURN(rs)
	var out []Finding
	for _, r := range ofType(rs, typeInstance, typeASG, typeDBInstance, typeOpenSearchDomain) {
		urns, placed := subnetsOf(r, rs, idx)
		if !placed {
			out = append(out, Finding{URN: r.URN, Message: "no subnets given, so AWS places it in the default VPC's " +
				"public subnets: place it in the private (or, for databases, data) subnets of the kit's VPC"})
			continue
		}
		var public []string
		for _, u := range urns {
			if publicSubnet(idx[u]) {
				public = append(public, idx[u].Name)
			}
		}
		if len(public) > 0 {
			out = append(out, Finding{URN: r.URN, Message: fmt.Sprintf("placed in public subnet(s) %s: use the private "+
				"subnets for compute and the data subnets for databases", strings.Join(public, ", "))})
		}
	}
	return out
}

// arnRegion returns the region field of an ARN ("arn:aws:rds:eu-west-1:123456789012:db:x"), or "".
func arnRegion(s string) string {
	parts := strings.SplitN(s, ":", 6)
	if len(parts) < 6 || parts[0] != "arn" {
		return ""
	}
	return parts[3]
}

func drReplicaInAnotherRegion(_ Env, rs []policyx.AnalyzerResource) []Finding {
	idx := byURN(rs)
	var out []Finding
	for _, r := range ofType(rs, typeDBInstance) {
		if !replica(r) {
			continue
		}
		here := region(r)
		if here == "" {
			continue
		}
		var source, there string
		for _, u := range deps(r, "replicateSourceDb") {
			if idx[u].Type == typeDBInstance {
				source, there = idx[u].Name, region(idx[u])
				break
			}
		}
		if there == "" {
			ref, known := str(prop(r, "replicateSourceDb"))
			if !known {
				continue
			}
			source = ref
			if there = arnRegion(ref); there == "" {
				// AWS reads a bare identifier as a source in the replica's own region.
				there = here
			}
		}
		if there == here {
			out = append(out, Finding{URN: r.URN, Message: fmt.Sprintf("the replica and its source %s are both in %s: "+
				"create the replica through a provider for the DR region and name the source by its ARN", source, here)})
		}
	}
	return out
}

func asgELBHealthCheck(_ Env, r policyx.AnalyzerResource) []string {
	if !set(prop(r, "targetGroupArns")) {
		return nil
	}
	if t, known := str(prop(r, "healthCheckType")); known && t != "ELB" {
		return []string{"the group is behind a load balancer but healthCheckType is not ELB: set it to ELB so instances " +
			"that fail the target group's health check are replaced"}
	}
	return nil
}
