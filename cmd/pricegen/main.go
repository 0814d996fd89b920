// Command pricegen refreshes the kit's price table (internal/cost/prices.csv) from AWS price list offer
// files, the JSON the Price List bulk API publishes per service and region, for a maintainer who has
// downloaded them. Rows the offer files give replace the table's rows for the same key and region; the
// rest are kept. Nothing goes online.
//
//	go run ./cmd/pricegen -table internal/cost/prices.csv AmazonEC2-us-west-2.json AmazonRDS-us-west-2.json
package main

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/migration-kit/kit/internal/cost"
)

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("pricegen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	table := fs.String("table", "internal/cost/prices.csv", "the price table to refresh, rewritten in place")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: go run ./cmd/pricegen [-table internal/cost/prices.csv] <offer file.json>...")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return 2
	}
	text, err := os.ReadFile(*table)
	if err != nil {
		fmt.Fprintln(stderr, "pricegen:", err)
		return 2
	}
	current, err := cost.ReadTable(bytes.NewReader(text))
	if err != nil {
		fmt.Fprintf(stderr, "pricegen: %s: %v\n", *table, err)
		return 2
	}
	rows := current.Rows()
	for _, path := range fs.Args() {
		f, err := os.Open(path)
		if err != nil {
			fmt.Fprintln(stderr, "pricegen:", err)
			return 2
		}
		offer, err := cost.ReadOffer(f)
		_ = f.Close() // read-only: a close error loses nothing
		if err != nil {
			fmt.Fprintf(stderr, "pricegen: %s: %v\n", path, err)
			return 2
		}
		prices, err := cost.PricesFromOffer(offer, "AWS price list offer file "+filepath.Base(path))
		if err != nil {
			fmt.Fprintln(stderr, "pricegen:", err)
			return 2
		}
		fmt.Fprintf(stdout, "%s: %d prices (%s, version %s)\n", path, len(prices), offer.OfferCode, offer.Version)
		rows = cost.Merge(rows, prices)
	}
	var out bytes.Buffer
	if err := cost.WriteCSV(&out, headerComments(text), rows); err != nil {
		fmt.Fprintln(stderr, "pricegen:", err)
		return 2
	}
	if err := os.WriteFile(*table, out.Bytes(), 0o644); err != nil {
		fmt.Fprintln(stderr, "pricegen:", err)
		return 2
	}
	fmt.Fprintf(stdout, "wrote %s: %d prices\n", *table, len(rows))
	return 0
}

// headerComments keeps the table's leading comment block, which documents its columns.
func headerComments(text []byte) []string {
	var out []string
	sc := bufio.NewScanner(bytes.NewReader(text))
	for sc.Scan() {
		line := sc.Text()
		if !strings.HasPrefix(line, "#") {
			break
		}
		out = append(out, strings.TrimPrefix(strings.TrimPrefix(line, "#"), " "))
	}
	return out
}
