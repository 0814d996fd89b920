package cost

import (
	"fmt"
	"io"
	"strconv"
)

// Render writes the estimate for a person: the total, by component and by region, every line with its
// arithmetic and the price row it used, the unpriced resources, the change against the prior estimate when
// diff is given, and a warning when the prices are stale.
func Render(w io.Writer, e *Breakdown, diff *Diff) {
	fmt.Fprintf(w, "== Cost estimate (%s a month, on-demand list prices from internal/cost/prices.csv)\n", e.Currency)
	fmt.Fprintf(w, "%s/month", Money(e.Monthly))
	if n := len(e.Unpriced); n > 0 {
		fmt.Fprintf(w, ", plus %d unpriced resource(s) not counted (listed below)", n)
	}
	fmt.Fprintln(w)
	if diff != nil {
		fmt.Fprintf(w, "Change: %s/month (%s -> %s)\n", SignedMoney(diff.Delta()), Money(diff.Past), Money(diff.Current))
		for _, r := range diff.Reasons {
			fmt.Fprintln(w, "  "+r)
		}
		for _, u := range diff.NewlyUnpriced {
			fmt.Fprintf(w, "  ? %s %s @%s added or changed, not priced: %s\n", u.Type, u.Name, u.Region, u.Reason)
		}
	}
	if e.Stale != "" {
		fmt.Fprintln(w, "!! "+e.Stale)
	}
	fmt.Fprintln(w, "By component:")
	for _, t := range e.ByComponent {
		fmt.Fprintf(w, "  %-44s %12s\n", t.Name, Money(t.Monthly))
	}
	fmt.Fprintln(w, "By region:")
	for _, t := range e.ByRegion {
		fmt.Fprintf(w, "  %-44s %12s\n", t.Name, Money(t.Monthly))
	}
	fmt.Fprintln(w, "Lines (quantity a month × price [key region, date] = cost; * depends on usage, see stacks/<stack>.usage.yaml):")
	component := ""
	for _, l := range e.Lines {
		if l.Component != component {
			component = l.Component
			fmt.Fprintf(w, "  %s\n", component)
		}
		fmt.Fprintf(w, "    %s %s @%s  %s\n", l.Type, l.Name, l.Region, Money(l.Monthly()))
		for _, c := range l.Parts {
			fmt.Fprintln(w, "      "+c.String())
		}
	}
	if len(e.Unpriced) > 0 {
		fmt.Fprintln(w, "Unpriced (not counted in the total; an unknown price is never zero):")
		for _, u := range e.Unpriced {
			fmt.Fprintf(w, "  %s %s @%s: %s\n", u.Type, u.Name, u.Region, u.Reason)
		}
	}
}

// String renders a component's arithmetic on one line.
func (c Component) String() string {
	mark := " "
	if c.UsageBased() {
		mark = "*"
	}
	qty := strconv.FormatFloat(round4(c.Quantity), 'f', -1, 64)
	if c.Price == nil {
		where := ""
		if c.Region != "" {
			where = " in " + c.Region
		}
		return fmt.Sprintf("%s %s: %s, no price for %s%s", mark, c.Name, qty, c.Key, where)
	}
	s := fmt.Sprintf("%s %s: %s %s × $%s [%s %s, %s] = %s", mark, c.Name, qty, c.Price.Unit,
		strconv.FormatFloat(c.Price.USD, 'f', -1, 64), c.Price.Key, c.Price.Region, c.Price.Date, Money(c.Monthly))
	if c.UsageBased() {
		s += " (usage: " + c.Assumption + ")"
	}
	return s
}

func round4(v float64) float64 {
	r, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'f', 4, 64), 64)
	return r
}

// Report is the estimate in machine-readable form. Its top-level cost fields are named as Infracost's JSON
// names them (totalMonthlyCost, pastTotalMonthlyCost, diffTotalMonthlyCost, currency), with amounts as
// decimal strings as Infracost writes them; the past and diff fields are null without a prior estimate.
type Report struct {
	Currency             string           `json:"currency"`
	TotalMonthlyCost     string           `json:"totalMonthlyCost"`
	PastTotalMonthlyCost *string          `json:"pastTotalMonthlyCost"`
	DiffTotalMonthlyCost *string          `json:"diffTotalMonthlyCost"`
	DiffReasons          []string         `json:"diffReasons,omitempty"`
	ByComponent          []ReportTotal    `json:"byComponent"`
	ByRegion             []ReportTotal    `json:"byRegion"`
	Resources            []ReportResource `json:"resources"`
	Unpriced             []ReportUnpriced `json:"unpricedResources"`
	// StalePrices is the warning when the oldest price used is older than MaxPriceAge; empty otherwise.
	StalePrices string `json:"stalePrices,omitempty"`
}

// ReportTotal is a sum over a component or a region.
type ReportTotal struct {
	Name             string `json:"name"`
	TotalMonthlyCost string `json:"totalMonthlyCost"`
}

// ReportResource is one resource, as Infracost's breakdown.resources.
type ReportResource struct {
	Name           string            `json:"name"`
	ResourceType   string            `json:"resourceType"`
	Address        string            `json:"address"`
	Component      string            `json:"component"`
	Region         string            `json:"region"`
	MonthlyCost    string            `json:"monthlyCost"`
	CostComponents []ReportComponent `json:"costComponents"`
}

// ReportComponent is one priced quantity, as Infracost's costComponents; price and monthlyCost are null when
// the table has no price.
type ReportComponent struct {
	Name            string  `json:"name"`
	Unit            string  `json:"unit"`
	MonthlyQuantity string  `json:"monthlyQuantity"`
	Price           *string `json:"price"`
	MonthlyCost     *string `json:"monthlyCost"`
	UsageBased      bool    `json:"usageBased"`
	Assumption      string  `json:"assumption,omitempty"`
	PriceKey        string  `json:"priceKey"`
	PriceRegion     string  `json:"priceRegion,omitempty"`
	PriceDate       string  `json:"priceDate,omitempty"`
	PriceSource     string  `json:"priceSource,omitempty"`
}

// ReportUnpriced is a resource the estimate could not price, with why.
type ReportUnpriced struct {
	Name         string `json:"name"`
	ResourceType string `json:"resourceType"`
	Address      string `json:"address"`
	Region       string `json:"region"`
	Reason       string `json:"reason"`
}

// ToReport converts an estimate (and the change's diff, or nil) into its JSON form.
func ToReport(e *Breakdown, diff *Diff) Report {
	r := Report{Currency: e.Currency, TotalMonthlyCost: amount(e.Monthly), StalePrices: e.Stale,
		ByComponent: []ReportTotal{}, ByRegion: []ReportTotal{}, Resources: []ReportResource{}, Unpriced: []ReportUnpriced{}}
	if diff != nil {
		past, delta := amount(diff.Past), amount(diff.Delta())
		r.PastTotalMonthlyCost, r.DiffTotalMonthlyCost, r.DiffReasons = &past, &delta, diff.Reasons
	}
	for _, t := range e.ByComponent {
		r.ByComponent = append(r.ByComponent, ReportTotal{Name: t.Name, TotalMonthlyCost: amount(t.Monthly)})
	}
	for _, t := range e.ByRegion {
		r.ByRegion = append(r.ByRegion, ReportTotal{Name: t.Name, TotalMonthlyCost: amount(t.Monthly)})
	}
	for _, l := range e.Lines {
		res := ReportResource{Name: l.Name, ResourceType: l.Type, Address: l.Address, Component: l.Component,
			Region: l.Region, MonthlyCost: amount(l.Monthly()), CostComponents: []ReportComponent{}}
		for _, c := range l.Parts {
			rc := ReportComponent{Name: c.Name, Unit: c.Unit, MonthlyQuantity: decimal(c.Quantity),
				UsageBased: c.UsageBased(), Assumption: c.Assumption, PriceKey: c.Key}
			if c.Price != nil {
				price, cost := strconv.FormatFloat(c.Price.USD, 'f', -1, 64), amount(c.Monthly)
				rc.Price, rc.MonthlyCost = &price, &cost
				rc.PriceRegion, rc.PriceDate, rc.PriceSource = c.Price.Region, c.Price.Date, c.Price.Source
			}
			res.CostComponents = append(res.CostComponents, rc)
		}
		r.Resources = append(r.Resources, res)
	}
	for _, u := range e.Unpriced {
		r.Unpriced = append(r.Unpriced, ReportUnpriced{Name: u.Name, ResourceType: u.Type, Address: u.Address,
			Region: u.Region, Reason: u.Reason})
	}
	return r
}

// amount renders a monthly amount in dollars and cents, as a decimal string.
func amount(v float64) string {
	c := cents(v)
	if c == 0 {
		return "0.00" // never "-0.00"
	}
	return strconv.FormatFloat(float64(c)/100, 'f', 2, 64)
}

func decimal(v float64) string { return strconv.FormatFloat(round4(v), 'f', -1, 64) }
