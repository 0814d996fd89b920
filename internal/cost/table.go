// Package cost estimates what a stack costs a month, offline: a bundled price table (prices.csv), usage
// assumptions per stack (stacks/<stack>.usage.yaml), and a pure function over the simulated AWS's graph.
// An unknown price is never zero: a resource the table cannot price is listed as unpriced.
package cost

import (
	_ "embed"
	"encoding/csv"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Price is one row of the table: what one unit of something costs in one region, and where that was read.
type Price struct {
	Key    string  `json:"key"`    // what is priced, e.g. vpc/nat/hour or ec2/instance/m6i.large
	Region string  `json:"region"` // an AWS region, or AnyRegion
	USD    float64 `json:"usd"`    // per Unit
	Unit   string  `json:"unit"`   // hour, GB, GB-month, month, LCU-hour, AZ-hour
	Date   string  `json:"date"`   // YYYY-MM-DD: when the source gave this figure
	Source string  `json:"source"` // a page's URL, or github.com/<owner>/<repo>/blob/<commit>/<path>
}

// AnyRegion marks a price its source states for every commercial region, or for a global service.
const AnyRegion = "*"

// MaxPriceAge is how old a price may be before an estimate that uses it says its figures may be out of date.
// AWS changes list prices rarely and announces them; a year is long enough that a refresh is due.
const MaxPriceAge = 365 * 24 * time.Hour

// dateLayout is the table's date format.
const dateLayout = "2006-01-02"

// Table is the price table, indexed by key and region.
type Table struct {
	rows  []Price
	index map[string]map[string]int // key -> region -> row
}

//go:embed prices.csv
var bundled string

// Bundled returns the table shipped with the kit (internal/cost/prices.csv).
func Bundled() (*Table, error) {
	t, err := ReadTable(strings.NewReader(bundled))
	if err != nil {
		return nil, fmt.Errorf("internal/cost/prices.csv: %w", err)
	}
	return t, nil
}

// columns is the table's header, in order.
var columns = []string{"key", "region", "usd", "unit", "date", "source"}

// ReadTable reads a price table in the prices.csv format: '#' comment lines, a header, one price a row.
// Every problem is reported, each with its line.
func ReadTable(r io.Reader) (*Table, error) {
	cr := csv.NewReader(r)
	cr.Comment = '#'
	cr.FieldsPerRecord = -1 // checked below, with a message that says which row
	records, err := cr.ReadAll()
	if err != nil {
		return nil, err
	}
	if len(records) == 0 || strings.Join(records[0], ",") != strings.Join(columns, ",") {
		return nil, fmt.Errorf("the header must be %q", strings.Join(columns, ","))
	}
	var rows []Price
	var problems []string
	for i, rec := range records[1:] {
		line := i + 2 // of the records, not of the file: comments are skipped
		if len(rec) != len(columns) {
			problems = append(problems, fmt.Sprintf("row %d: %d fields, want %d (%s)", line, len(rec), len(columns),
				strings.Join(columns, ",")))
			continue
		}
		usd, err := strconv.ParseFloat(rec[2], 64)
		if err != nil || usd < 0 {
			problems = append(problems, fmt.Sprintf("row %d (%s %s): usd %q is not a price", line, rec[0], rec[1], rec[2]))
			continue
		}
		if _, err := time.Parse(dateLayout, rec[4]); err != nil {
			problems = append(problems, fmt.Sprintf("row %d (%s %s): date %q is not YYYY-MM-DD", line, rec[0], rec[1], rec[4]))
			continue
		}
		if rec[0] == "" || rec[1] == "" || rec[3] == "" || rec[5] == "" {
			problems = append(problems, fmt.Sprintf("row %d: key, region, unit and source are required", line))
			continue
		}
		rows = append(rows, Price{Key: rec[0], Region: rec[1], USD: usd, Unit: rec[3], Date: rec[4], Source: rec[5]})
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("%s", strings.Join(problems, "\n"))
	}
	return NewTable(rows)
}

// NewTable indexes rows. Two rows for one key and region are refused: the table would be ambiguous.
func NewTable(rows []Price) (*Table, error) {
	t := &Table{rows: rows, index: map[string]map[string]int{}}
	for i, p := range rows {
		if t.index[p.Key] == nil {
			t.index[p.Key] = map[string]int{}
		}
		if j, dup := t.index[p.Key][p.Region]; dup {
			return nil, fmt.Errorf("%s in %s is priced twice (%v and %v): keep one row", p.Key, p.Region,
				rows[j].USD, p.USD)
		}
		t.index[p.Key][p.Region] = i
	}
	return t, nil
}

// Lookup returns the price of key in region: the region's own row, else a row for every region.
func (t *Table) Lookup(key, region string) (Price, bool) {
	byRegion := t.index[key]
	if i, ok := byRegion[region]; ok {
		return t.rows[i], true
	}
	if i, ok := byRegion[AnyRegion]; ok {
		return t.rows[i], true
	}
	return Price{}, false
}

// Rows returns every price, sorted by key then region.
func (t *Table) Rows() []Price {
	out := append([]Price(nil), t.rows...)
	sort.Slice(out, func(i, j int) bool {
		if out[i].Key != out[j].Key {
			return out[i].Key < out[j].Key
		}
		return out[i].Region < out[j].Region
	})
	return out
}

// Regions returns the regions the table names, AnyRegion included, sorted.
func (t *Table) Regions() []string {
	seen := map[string]bool{}
	for _, p := range t.rows {
		seen[p.Region] = true
	}
	out := make([]string, 0, len(seen))
	for r := range seen {
		out = append(out, r)
	}
	sort.Strings(out)
	return out
}

// WriteCSV writes rows in the prices.csv format, sorted, after the given comment lines.
func WriteCSV(w io.Writer, comments []string, rows []Price) error {
	for _, c := range comments {
		if _, err := fmt.Fprintf(w, "# %s\n", c); err != nil {
			return err
		}
	}
	t, err := NewTable(rows)
	if err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(columns); err != nil {
		return err
	}
	for _, p := range t.Rows() {
		rec := []string{p.Key, p.Region, strconv.FormatFloat(p.USD, 'f', -1, 64), p.Unit, p.Date, p.Source}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
