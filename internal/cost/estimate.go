package cost

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/migration-kit/kit/awssim"
)

// Currency is the table's currency: AWS list prices in US dollars.
const Currency = "USD"

// Component is one priced quantity of a resource, as Infracost calls it: instance hours, GB processed.
type Component struct {
	Name     string  // what is counted, e.g. "instance hours (m6i.large, on-demand)"
	Quantity float64 // per month
	Unit     string  // the price's unit
	Key      string  // the price table key it needs
	// Price is the row used; nil when the table has no price for Key in the resource's region.
	Price   *Price
	Monthly float64 // Quantity × Price.USD; 0 when Price is nil
	// Assumption names the usage assumption the quantity rests on ("natGatewayGb 100"); empty for a quantity
	// the graph fixes (one key, 730 hours of a NAT gateway).
	Assumption string
	// Region is where the component is billed when it is not the resource's own (a secret's replica).
	Region string
}

// UsageBased reports whether the quantity is an assumption rather than something the graph states.
func (c Component) UsageBased() bool { return c.Assumption != "" }

// Line is one resource's estimate.
type Line struct {
	Address   string // the resource's address, the same across stacks (awssim.Address)
	Type      string
	Name      string
	Component string // the top-level component it belongs to, e.g. "kit:network:VPC primary"
	Region    string
	Parts     []Component
}

// Monthly is the line's priced total.
func (l Line) Monthly() float64 {
	total := 0.0
	for _, c := range l.Parts {
		total += c.Monthly
	}
	return total
}

// Missing lists the parts the table could not price.
func (l Line) Missing() []Component {
	var out []Component
	for _, c := range l.Parts {
		if c.Price == nil {
			out = append(out, c)
		}
	}
	return out
}

// Unpriced is a resource the estimate could not price, wholly or in part: it is not counted as zero but
// listed, with why.
type Unpriced struct {
	Address, Type, Name, Region string
	Reason                      string
}

// Total is a sum over a group: a component or a region.
type Total struct {
	Name    string
	Monthly float64
}

// Breakdown is a stack's estimated monthly cost, resource by resource.
type Breakdown struct {
	Currency string
	Lines    []Line // priced or partly priced resources, sorted by component then address
	Monthly  float64
	// ByComponent and ByRegion sum the lines, sorted by name.
	ByComponent []Total
	ByRegion    []Total
	Unpriced    []Unpriced // sorted by address
	// Oldest is the oldest price the estimate used; Stale says so when it is older than MaxPriceAge.
	Oldest *Price
	Stale  string
}

// Estimate prices every resource of g with table and the usage assumptions, on the day now (which only
// decides whether the prices used are stale). It is a pure function of its arguments.
func Estimate(g *awssim.Graph, table *Table, usage Usage, now time.Time) (*Breakdown, error) {
	if g == nil || table == nil {
		return nil, fmt.Errorf("cost: a graph and a price table are required")
	}
	e := &Breakdown{Currency: Currency}
	for _, r := range g.Resources() {
		if !r.Custom || !strings.HasPrefix(r.Type, "aws:") {
			continue // components and providers cost nothing themselves
		}
		line := Line{Address: awssim.Address(r.URN), Type: r.Type, Name: r.Name, Component: componentOf(g, r),
			Region: r.Region}
		rule, known := rules[r.Type]
		if !known {
			if !noStandingCharge[r.Type] {
				e.Unpriced = append(e.Unpriced, Unpriced{Address: line.Address, Type: r.Type, Name: r.Name,
					Region: r.Region, Reason: "the estimate has no pricing rule for this type"})
			}
			continue
		}
		c := &calc{g: g, table: table, usage: usage, resource: r, ru: usage.For(r.Name)}
		rule(c)
		line.Parts = c.parts
		if c.problem != "" {
			e.Unpriced = append(e.Unpriced, Unpriced{Address: line.Address, Type: r.Type, Name: r.Name,
				Region: r.Region, Reason: c.problem})
		}
		if missing := line.Missing(); len(missing) > 0 {
			var why []string
			for _, m := range missing {
				region := r.Region
				if m.Region != "" {
					region = m.Region
				}
				why = append(why, fmt.Sprintf("%s: no price for %s in %s", m.Name, m.Key, region))
			}
			e.Unpriced = append(e.Unpriced, Unpriced{Address: line.Address, Type: r.Type, Name: r.Name,
				Region: r.Region, Reason: strings.Join(why, "; ")})
		}
		if len(line.Parts) > 0 {
			e.Lines = append(e.Lines, line)
		}
	}
	sort.SliceStable(e.Lines, func(i, j int) bool {
		if e.Lines[i].Component != e.Lines[j].Component {
			return e.Lines[i].Component < e.Lines[j].Component
		}
		return e.Lines[i].Address < e.Lines[j].Address
	})
	sort.SliceStable(e.Unpriced, func(i, j int) bool { return e.Unpriced[i].Address < e.Unpriced[j].Address })
	byComponent, byRegion := map[string]float64{}, map[string]float64{}
	for _, l := range e.Lines {
		for _, p := range l.Parts {
			if p.Price == nil {
				continue
			}
			region := l.Region
			if p.Region != "" {
				region = p.Region
			}
			byComponent[l.Component] += p.Monthly
			byRegion[region] += p.Monthly
			e.Monthly += p.Monthly
			if e.Oldest == nil || p.Price.Date < e.Oldest.Date {
				oldest := *p.Price
				e.Oldest = &oldest
			}
		}
	}
	e.ByComponent, e.ByRegion = totals(byComponent), totals(byRegion)
	e.Stale = staleness(e.Oldest, now)
	return e, nil
}

// staleness says when the oldest price used is older than MaxPriceAge, and how to refresh.
func staleness(oldest *Price, now time.Time) string {
	if oldest == nil {
		return ""
	}
	d, err := time.Parse(dateLayout, oldest.Date)
	if err != nil || now.Sub(d) <= MaxPriceAge {
		return ""
	}
	return fmt.Sprintf("prices may be out of date: the oldest price used (%s in %s, %s) is %d days old, more "+
		"than %d; refresh internal/cost/prices.csv with go run ./cmd/pricegen (README, \"Cost estimate\")",
		oldest.Key, oldest.Region, oldest.Date, int(now.Sub(d).Hours()/24), int(MaxPriceAge.Hours()/24))
}

func totals(m map[string]float64) []Total {
	out := make([]Total, 0, len(m))
	for k, v := range m {
		out = append(out, Total{Name: k, Monthly: v})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// componentOf names the top-level component a resource belongs to, following Resource.Parent: the kit's
// components are the unit a reviewer thinks in. A resource outside any component belongs to "(stack)".
func componentOf(g *awssim.Graph, r *awssim.Resource) string {
	top := ""
	for p := g.Get(r.Parent); p != nil; p = g.Get(p.Parent) {
		if !p.Custom {
			top = p.Type + " " + p.Name
		}
	}
	if top == "" {
		return "(stack)"
	}
	return top
}

// calc collects one resource's components.
type calc struct {
	g        *awssim.Graph
	table    *Table
	usage    Usage
	resource *awssim.Resource
	ru       ResourceUsage
	parts    []Component
	problem  string // why the resource could not be priced at all (its instance type is unknown, ...)
}

// add prices quantity units of key in the resource's region (or in region, when given).
func (c *calc) add(name, key string, quantity float64, assumption, region string) {
	where := c.resource.Region
	if region != "" {
		where = region
	}
	comp := Component{Name: name, Quantity: quantity, Key: key, Assumption: assumption, Region: region}
	if p, ok := c.table.Lookup(key, where); ok {
		comp.Price, comp.Unit = &p, p.Unit
		comp.Monthly = quantity * p.USD
	}
	c.parts = append(c.parts, comp)
}

// hours is the month the usage assumptions give.
func (c *calc) hours() float64 { return c.usage.HoursPerMonth }
