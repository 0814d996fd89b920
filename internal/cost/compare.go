package cost

import (
	"fmt"
	"math"
	"sort"
	"strings"
)

// Diff is what a change does to the monthly cost: prior against current.
type Diff struct {
	Past, Current float64 // priced totals
	// Reasons explain the delta by kind of resource, largest first: "+$32.85/month: 1 NAT gateway added".
	Reasons []string
	// NewlyUnpriced are resources unpriced now that were not before: the delta leaves them out.
	NewlyUnpriced []Unpriced
}

// Delta is Current minus Past.
func (d Diff) Delta() float64 { return d.Current - d.Past }

// Compare explains the cost of a change: current against prior (nil for a stack created from nothing).
// Resources are matched by address, so a change between two stacks of one project (prod and its drill)
// compares like with like.
func Compare(prior, current *Breakdown) Diff {
	if prior == nil {
		prior = &Breakdown{}
	}
	before, after := byAddress(prior), byAddress(current)
	type group struct {
		kind, change string
		count        int
		delta        float64
	}
	groups := map[string]*group{}
	note := func(typ, change string, delta float64) {
		k := typ + "|" + change
		if groups[k] == nil {
			groups[k] = &group{kind: typ, change: change}
		}
		groups[k].count++
		groups[k].delta += delta
	}
	for addr, a := range after {
		b, existed := before[addr]
		switch {
		case !existed:
			note(a.Type, "added", a.Monthly())
		case cents(a.Monthly()) != cents(b.Monthly()):
			note(a.Type, "changed", a.Monthly()-b.Monthly())
		}
	}
	for addr, b := range before {
		if _, kept := after[addr]; !kept {
			note(b.Type, "removed", -b.Monthly())
		}
	}
	list := make([]*group, 0, len(groups))
	for _, g := range groups {
		if cents(g.delta) != 0 {
			list = append(list, g)
		}
	}
	sort.Slice(list, func(i, j int) bool {
		if ai, aj := math.Abs(list[i].delta), math.Abs(list[j].delta); cents(ai) != cents(aj) {
			return ai > aj
		}
		return list[i].kind+list[i].change < list[j].kind+list[j].change
	})
	d := Diff{Past: prior.Monthly, Current: current.Monthly}
	for _, g := range list {
		d.Reasons = append(d.Reasons, fmt.Sprintf("%s/month: %d %s %s", SignedMoney(g.delta), g.count,
			noun(g.kind, g.count), g.change))
	}
	wasUnpriced := map[string]bool{}
	for _, u := range prior.Unpriced {
		wasUnpriced[u.Address] = true
	}
	for _, u := range current.Unpriced {
		if !wasUnpriced[u.Address] {
			d.NewlyUnpriced = append(d.NewlyUnpriced, u)
		}
	}
	return d
}

func byAddress(e *Breakdown) map[string]Line {
	out := map[string]Line{}
	for _, l := range e.Lines {
		out[l.Address] = l
	}
	return out
}

// nouns name resource types as a reviewer says them, singular and plural.
var nouns = map[string][2]string{
	"aws:autoscaling/group:Group":            {"auto-scaling group", "auto-scaling groups"},
	"aws:ec2/instance:Instance":              {"EC2 instance", "EC2 instances"},
	"aws:ec2/natGateway:NatGateway":          {"NAT gateway", "NAT gateways"},
	"aws:ec2/eip:Eip":                        {"Elastic IP address", "Elastic IP addresses"},
	"aws:lb/loadBalancer:LoadBalancer":       {"load balancer", "load balancers"},
	"aws:rds/instance:Instance":              {"database instance", "database instances"},
	"aws:kms/key:Key":                        {"KMS key", "KMS keys"},
	"aws:cloudwatch/metricAlarm:MetricAlarm": {"alarm", "alarms"},
	"aws:cloudwatch/dashboard:Dashboard":     {"dashboard", "dashboards"},
	"aws:cloudwatch/logGroup:LogGroup":       {"log group", "log groups"},
	"aws:secretsmanager/secret:Secret":       {"secret", "secrets"},
	"aws:route53/healthCheck:HealthCheck":    {"health check", "health checks"},
	"aws:ec2/vpcEndpoint:VpcEndpoint":        {"VPC endpoint", "VPC endpoints"},
	"aws:ec2/vpnConnection:VpnConnection":    {"VPN connection", "VPN connections"},
	"aws:s3/bucketV2:BucketV2":               {"S3 bucket", "S3 buckets"},
	"aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication": {
		"backup replication", "backup replications"},
	"aws:dms/replicationInstance:ReplicationInstance": {"DMS replication instance", "DMS replication instances"},
}

// noun names count resources of type typ; an unnamed type falls back to its token's last part.
func noun(typ string, count int) string {
	if n, ok := nouns[typ]; ok {
		if count == 1 {
			return n[0]
		}
		return n[1]
	}
	return typ[strings.LastIndex(typ, ":")+1:]
}

func cents(v float64) int64 { return int64(math.Round(v * 100)) }

// Money renders dollars with cents and thousands separators: $1,234.56.
func Money(v float64) string {
	c := cents(math.Abs(v))
	whole, frac := c/100, c%100
	digits := fmt.Sprint(whole)
	var b strings.Builder
	for i, ch := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(ch)
	}
	s := fmt.Sprintf("$%s.%02d", b.String(), frac)
	if v < 0 && c != 0 {
		return "-" + s
	}
	return s
}

// SignedMoney renders a delta with its sign: +$32.85, -$3.65, $0.00.
func SignedMoney(v float64) string {
	if cents(v) > 0 {
		return "+" + Money(v)
	}
	return Money(v)
}
