package awssim

import (
	"fmt"
	"sort"
	"strings"
)

// Checks over the whole graph, run when the program ends: things AWS accepts at the API but that would not
// work once deployed. Each returns one problem per offending resource.

// Problems runs every whole-graph check and returns what it found, sorted.
func (g *Graph) Problems() []string {
	var out []string
	out = append(out, g.natWithoutInternetRoute()...)
	out = append(out, g.internetFacingLBInPrivateSubnets()...)
	out = append(out, g.replicasThatCannotBeDeleted()...)
	out = append(out, g.alarmActionsUndeliverable()...)
	out = append(out, g.architectureMismatches()...)
	out = append(out, g.vpnRoutesIntoTheVPC()...)
	out = append(out, g.dmsSecretsUnreadable()...)
	out = append(out, g.dmsEventsUndeliverable()...)
	out = append(out, g.grafanaCloudWatchUnreadable()...)
	out = append(out, g.replicaLagAlarmsThatPageWhenIdle()...)
	out = append(out, g.failoverOnShallowHealth()...)
	out = append(out, g.warmPoolsThatDoNotWait()...)
	out = append(out, g.openSearchUnusable()...)
	out = append(out, g.refreshAlarmsMissing()...)
	sort.Strings(out)
	return out
}

// defaultRouteToIGW reports whether a subnet's route table sends 0.0.0.0/0 to an internet gateway. A subnet
// without an explicit association uses the VPC's main route table, which only routes inside the VPC.
func (g *Graph) defaultRouteToIGW(subnetID string) bool {
	var tableID string
	for _, r := range g.byURN {
		if r.Type == "aws:ec2/routeTableAssociation:RouteTableAssociation" && stringInput(r.Inputs, "subnetId") == subnetID {
			tableID = stringInput(r.Inputs, "routeTableId")
		}
	}
	if tableID == "" {
		return false
	}
	sim := &Sim{graph: g}
	for _, rt := range sim.routesOf(tableID) {
		if rt.dest != "0.0.0.0/0" {
			continue
		}
		if t := g.byID[rt.gatewayID]; t != nil && t.Type == "aws:ec2/internetGateway:InternetGateway" {
			return true
		}
	}
	return false
}

func (g *Graph) natWithoutInternetRoute() []string {
	var out []string
	for _, r := range g.byURN {
		if r.Type != "aws:ec2/natGateway:NatGateway" || stringInput(r.Outputs, "connectivityType") != "public" {
			continue
		}
		subnet := stringInput(r.Inputs, "subnetId")
		if !g.defaultRouteToIGW(subnet) {
			out = append(out, fmt.Sprintf("%s: public NAT gateway %s is in subnet %s, whose route table has no "+
				"0.0.0.0/0 route to an internet gateway: AWS accepts it, but nothing behind it reaches the "+
				"internet. Put it in a public subnet.", r.URN, r.ID, subnet))
		}
	}
	return out
}

func (g *Graph) internetFacingLBInPrivateSubnets() []string {
	var out []string
	for _, r := range g.byURN {
		if r.Type != "aws:lb/loadBalancer:LoadBalancer" || boolInput(r.Inputs, "internal", false) {
			continue
		}
		subnets := stringsInput(r.Inputs, "subnets")
		for _, m := range objectsInput(r.Inputs, "subnetMappings") {
			subnets = append(subnets, stringInput(m, "subnetId"))
		}
		var private []string
		for _, sn := range subnets {
			if !g.defaultRouteToIGW(sn) {
				private = append(private, sn)
			}
		}
		if len(private) > 0 {
			out = append(out, fmt.Sprintf("%s: internet-facing load balancer is in subnets without a 0.0.0.0/0 "+
				"route to an internet gateway (%s): AWS accepts it, but clients cannot reach those nodes. Use "+
				"public subnets or make it internal.", r.URN, strings.Join(private, ", ")))
		}
	}
	return out
}

// replicasThatCannotBeDeleted finds read replicas set to take a final snapshot when deleted: RDS refuses
// that ("FinalDBSnapshotIdentifier can not be specified when deleting a replica instance"), so removing the
// replica, or turning DR off, would fail half-way.
func (g *Graph) replicasThatCannotBeDeleted() []string {
	var out []string
	for _, r := range g.byURN {
		if r.Type == "aws:rds/instance:Instance" && rdsHas(r.Inputs, "replicateSourceDb") &&
			!boolInput(r.Inputs, "skipFinalSnapshot", false) {
			out = append(out, fmt.Sprintf("%s: read replica with skipFinalSnapshot false: AWS accepts it, but "+
				"refuses the final snapshot when the replica is deleted, so deleting it fails. Skip the final "+
				"snapshot until the replica is promoted.", r.URN))
		}
	}
	return out
}
