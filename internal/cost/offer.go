package cost

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Offer is an AWS price list offer file (the Price List bulk API's JSON), as the AWS Billing user guide
// describes it in "Reading the service price list file for an AWS service": products keyed by SKU with a
// product family and attributes, and terms (OnDemand, Reserved) keyed by SKU then by offer term, each with
// price dimensions (unit, pricePerUnit by currency, beginRange/endRange).
// https://docs.aws.amazon.com/awsaccountbilling/latest/aboutv2/reading-service-price-list-file-for-services.html
type Offer struct {
	FormatVersion   string                                     `json:"formatVersion"`
	OfferCode       string                                     `json:"offerCode"`
	Version         string                                     `json:"version"`
	PublicationDate string                                     `json:"publicationDate"`
	Products        map[string]OfferProduct                    `json:"products"`
	Terms           map[string]map[string]map[string]OfferTerm `json:"terms"`
}

// OfferProduct is one SKU.
type OfferProduct struct {
	SKU           string            `json:"sku"`
	ProductFamily string            `json:"productFamily"`
	Attributes    map[string]string `json:"attributes"`
}

// OfferTerm is one way of buying a SKU.
type OfferTerm struct {
	OfferTermCode   string                    `json:"offerTermCode"`
	SKU             string                    `json:"sku"`
	EffectiveDate   string                    `json:"effectiveDate"`
	PriceDimensions map[string]OfferDimension `json:"priceDimensions"`
}

// OfferDimension is one rate of a term.
type OfferDimension struct {
	Description  string            `json:"description"`
	Unit         string            `json:"unit"`
	BeginRange   string            `json:"beginRange"`
	EndRange     string            `json:"endRange"`
	PricePerUnit map[string]string `json:"pricePerUnit"`
}

// ReadOffer decodes an offer file.
func ReadOffer(r io.Reader) (*Offer, error) {
	var o Offer
	if err := json.NewDecoder(r).Decode(&o); err != nil {
		return nil, fmt.Errorf("not an AWS price list offer file: %w", err)
	}
	if o.OfferCode == "" || o.Products == nil {
		return nil, fmt.Errorf("not an AWS price list offer file: no offerCode or products")
	}
	return &o, nil
}

// offerRule maps the SKUs of one kind to a table key, and the offer's unit to the table's.
type offerRule struct {
	family string                           // productFamily
	match  func(a map[string]string) bool   // the product's attributes
	key    func(a map[string]string) string // the table key
	unit   string
}

func usageEndsWith(suffix string) func(map[string]string) bool {
	return func(a map[string]string) bool { return strings.HasSuffix(a["usagetype"], suffix) }
}

// offerRules are the price list products the kit's table holds. A SKU matching none is skipped.
var offerRules = []offerRule{
	{ // Shared-tenancy Linux on-demand instances, without pre-installed software or a capacity reservation.
		family: "Compute Instance",
		match: func(a map[string]string) bool {
			return a["operatingSystem"] == "Linux" && a["tenancy"] == "Shared" && a["preInstalledSw"] == "NA" &&
				a["capacitystatus"] == "Used"
		},
		key:  func(a map[string]string) string { return "ec2/instance/" + a["instanceType"] },
		unit: "hour",
	},
	{
		family: "NAT Gateway", match: usageEndsWith("NatGateway-Hours"),
		key: func(map[string]string) string { return "vpc/nat/hour" }, unit: "hour",
	},
	{
		family: "NAT Gateway", match: usageEndsWith("NatGateway-Bytes"),
		key: func(map[string]string) string { return "vpc/nat/gb" }, unit: "GB",
	},
	{ // Open-source engines: no licence in the price.
		family: "Database Instance",
		match: func(a map[string]string) bool {
			return rdsEngines[a["databaseEngine"]] != "" && a["licenseModel"] == "No license required" &&
				rdsDeployments[a["deploymentOption"]] != ""
		},
		key: func(a map[string]string) string {
			return fmt.Sprintf("rds/%s/%s/%s", rdsEngines[a["databaseEngine"]], rdsDeployments[a["deploymentOption"]],
				a["instanceType"])
		},
		unit: "hour",
	},
	{
		family: "Database Storage",
		match: func(a map[string]string) bool {
			return strings.HasSuffix(a["usagetype"], "GP3-Storage") && rdsDeployments[a["deploymentOption"]] != ""
		},
		key:  func(a map[string]string) string { return "rds/gp3/" + rdsDeployments[a["deploymentOption"]] },
		unit: "GB-month",
	},
}

var rdsEngines = map[string]string{"PostgreSQL": "postgres", "MySQL": "mysql"}
var rdsDeployments = map[string]string{"Single-AZ": "single-az", "Multi-AZ": "multi-az"}

// PricesFromOffer turns an offer file's on-demand prices into table rows: one per matching SKU, its first
// non-zero rate (the first paid tier), dated by the term's effective date, with source naming the offer.
// Two SKUs giving different prices for one key and region are refused: the rules would be ambiguous.
func PricesFromOffer(o *Offer, source string) ([]Price, error) {
	byKey := map[string]Price{}
	var problems []string
	skus := make([]string, 0, len(o.Products))
	for sku := range o.Products {
		skus = append(skus, sku)
	}
	sort.Strings(skus)
	for _, sku := range skus {
		p := o.Products[sku]
		region := p.Attributes["regionCode"]
		if region == "" {
			continue
		}
		for _, rule := range offerRules {
			if p.ProductFamily != rule.family || !rule.match(p.Attributes) {
				continue
			}
			usd, date, ok := onDemandRate(o, sku)
			if !ok {
				continue
			}
			price := Price{Key: rule.key(p.Attributes), Region: region, USD: usd, Unit: rule.unit, Date: date,
				Source: fmt.Sprintf("%s (AWS price list %s, version %s, SKU %s)", source, o.OfferCode, o.Version, sku)}
			id := price.Key + " " + region
			if prev, dup := byKey[id]; dup && prev.USD != usd {
				problems = append(problems, fmt.Sprintf("%s: SKUs give %v and %v", id, prev.USD, usd))
				continue
			}
			byKey[id] = price
		}
	}
	if len(problems) > 0 {
		sort.Strings(problems)
		return nil, fmt.Errorf("%s: ambiguous prices:\n  %s", source, strings.Join(problems, "\n  "))
	}
	out := make([]Price, 0, len(byKey))
	for _, p := range byKey {
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key+out[i].Region < out[j].Key+out[j].Region })
	return out, nil
}

// onDemandRate returns the SKU's first paid on-demand rate in USD and the term's effective date.
func onDemandRate(o *Offer, sku string) (float64, string, bool) {
	terms := o.Terms["OnDemand"][sku]
	codes := make([]string, 0, len(terms))
	for code := range terms {
		codes = append(codes, code)
	}
	sort.Strings(codes)
	for _, code := range codes {
		t := terms[code]
		dims := make([]OfferDimension, 0, len(t.PriceDimensions))
		for _, d := range t.PriceDimensions {
			dims = append(dims, d)
		}
		sort.Slice(dims, func(i, j int) bool { return rangeStart(dims[i]) < rangeStart(dims[j]) })
		for _, d := range dims {
			usd, err := strconv.ParseFloat(d.PricePerUnit["USD"], 64)
			if err != nil || usd == 0 {
				continue // a free tier, or another currency
			}
			date := t.EffectiveDate
			if ts, err := time.Parse(time.RFC3339, date); err == nil {
				date = ts.Format(dateLayout)
			} else if ts, err := time.Parse(time.RFC3339, o.PublicationDate); err == nil {
				date = ts.Format(dateLayout)
			}
			return usd, date, true
		}
	}
	return 0, "", false
}

func rangeStart(d OfferDimension) float64 {
	v, err := strconv.ParseFloat(d.BeginRange, 64)
	if err != nil {
		return 0
	}
	return v
}

// Merge returns base with every row of updates in place of base's row for the same key and region: a
// refresh from offer files replaces what they cover and keeps the rest.
func Merge(base, updates []Price) []Price {
	seen := map[string]int{}
	out := append([]Price(nil), base...)
	for i, p := range out {
		seen[p.Key+" "+p.Region] = i
	}
	for _, p := range updates {
		if i, ok := seen[p.Key+" "+p.Region]; ok {
			out[i] = p
			continue
		}
		seen[p.Key+" "+p.Region] = len(out)
		out = append(out, p)
	}
	return out
}
