package tests

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/amp"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/kms"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/secretsmanager"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/migration-kit/kit/awssim"
	"github.com/migration-kit/kit/components/network"
	"github.com/migration-kit/kit/internal/cost"
	"github.com/migration-kit/kit/internal/plan"
	"github.com/migration-kit/kit/stacks"
)

// costDay is the day the tests estimate on: inside every bundled price's validity, so only the staleness
// test sees stale prices.
var costDay = time.Date(2026, 12, 3, 0, 0, 0, 0, time.UTC)

// smallStack is a fixed stack for hand-computed figures: a two-AZ network with one NAT gateway and 30 days
// of flow logs, plus a KMS key, a dashboard and a secret outside any component. With region set, the
// network lives there through an explicit provider.
func smallStack(t *testing.T, nat network.NATStrategy, region string, extra func(*pulumi.Context) error) *awssim.Graph {
	t.Helper()
	g, err := awssim.Run(func(ctx *pulumi.Context) error {
		var opts []pulumi.ResourceOption
		if region != "" {
			p, err := aws.NewProvider(ctx, "other", &aws.ProviderArgs{Region: pulumi.String(region)})
			if err != nil {
				return err
			}
			opts = append(opts, pulumi.Provider(p))
		}
		if _, err := network.New(ctx, "small", &network.Args{CIDR: "10.40.0.0/16", AZCount: 2, NATStrategy: nat,
			FlowLogRetentionDays: 30}, opts...); err != nil {
			return err
		}
		if _, err := kms.NewKey(ctx, "key", &kms.KeyArgs{Description: pulumi.String("small stack key"),
			EnableKeyRotation: pulumi.Bool(true)}); err != nil {
			return err
		}
		if _, err := cloudwatch.NewDashboard(ctx, "board", &cloudwatch.DashboardArgs{DashboardName: pulumi.String("small"),
			DashboardBody: pulumi.String(`{"widgets":[]}`)}); err != nil {
			return err
		}
		if _, err := secretsmanager.NewSecret(ctx, "secret", &secretsmanager.SecretArgs{Name: pulumi.String("small")}); err != nil {
			return err
		}
		if extra != nil {
			return extra(ctx)
		}
		return nil
	}, awssim.Options{Project: "kit", Stack: "small", Config: map[string]string{"aws:region": "us-east-1"}})
	require.NoError(t, err)
	return g
}

func bundledTable(t *testing.T) *cost.Table {
	t.Helper()
	table, err := cost.Bundled()
	require.NoError(t, err)
	return table
}

func TestCostOfASmallStackIsItsPriceRowsTimesItsUsage(t *testing.T) {
	usage, err := cost.ParseUsage([]byte("natGatewayGb: 200\nlogGroupGb: 2\n"))
	require.NoError(t, err)
	e, err := cost.Estimate(smallStack(t, network.NATSingle, "", nil), bundledTable(t), usage, costDay)
	require.NoError(t, err)

	// The rows of internal/cost/prices.csv, all us-east-1:
	//   vpc/nat/hour 0.045, vpc/nat/gb 0.045, cloudwatch/logs/ingested 0.5, cloudwatch/logs/stored 0.03,
	//   secretsmanager/secret 0.4 (get-infra-done references/cost-rules.md); vpc/public-ipv4 0.005 (cloudburn);
	//   kms/key 1, cloudwatch/dashboard 3 (factualminds).
	natHours := 730 * 0.045 // 32.85
	natData := 200 * 0.045  // 9.00, usage natGatewayGb 200
	eip := 730 * 0.005      // 3.65
	logs := 2*0.5 + 2*0.03  // 1.06: 2 GB ingested, kept 30 days = 2 GB-months stored
	network := natHours + natData + eip + logs
	stack := 1.0 + 3.0 + 0.4 // key, dashboard, secret
	assert.InDelta(t, network+stack, e.Monthly, 1e-9)
	assert.Equal(t, "$50.96", cost.Money(e.Monthly))
	assert.Equal(t, []cost.Total{{Name: "(stack)", Monthly: stack}, {Name: "kit:network:VPC small", Monthly: network}},
		roundTotals(e.ByComponent))
	assert.Equal(t, []cost.Total{{Name: "us-east-1", Monthly: network + stack}}, roundTotals(e.ByRegion))
	assert.Empty(t, e.Unpriced)
	assert.Empty(t, e.Stale)

	var text bytes.Buffer
	cost.Render(&text, e, nil)
	for _, want := range []string{
		"NAT gateway hours: 730 hour × $0.045 [vpc/nat/hour us-east-1, 2026-02-22] = $32.85",
		"* data processed: 200 GB × $0.045 [vpc/nat/gb us-east-1, 2026-02-22] = $9.00 (usage: natGatewayGb 200)",
		"* log data stored (30 days' retention): 2 GB-month × $0.03",
	} {
		assert.Contains(t, text.String(), want)
	}
}

func roundTotals(ts []cost.Total) []cost.Total {
	out := make([]cost.Total, len(ts))
	for i, t := range ts {
		out[i] = cost.Total{Name: t.Name, Monthly: float64(int64(t.Monthly*100+0.5)) / 100}
	}
	return out
}

func TestCostListsWhatItCannotPriceAndNeverCountsItAsZero(t *testing.T) {
	g := smallStack(t, network.NATSingle, "eu-north-1", func(ctx *pulumi.Context) error {
		_, err := amp.NewWorkspace(ctx, "metrics", &amp.WorkspaceArgs{Alias: pulumi.String("small")})
		return err
	})
	e, err := cost.Estimate(g, bundledTable(t), cost.DefaultUsage(), costDay)
	require.NoError(t, err)

	unpriced := map[string]string{}
	for _, u := range e.Unpriced {
		unpriced[u.Type+" "+u.Name] = u.Reason
	}
	assert.Equal(t, map[string]string{
		"aws:ec2/natGateway:NatGateway small-eu-north-1a": "NAT gateway hours: no price for vpc/nat/hour in eu-north-1; " +
			"data processed: no price for vpc/nat/gb in eu-north-1",
		"aws:cloudwatch/logGroup:LogGroup small-flow-logs": "log data ingested: no price for cloudwatch/logs/ingested in " +
			"eu-north-1; log data stored (30 days' retention): no price for cloudwatch/logs/stored in eu-north-1",
		"aws:amp/workspace:Workspace metrics": "Managed Prometheus is billed per metric sample ingested and stored; " +
			"there is no usage assumption for it",
	}, unpriced)
	// The address is priced in every region (the table's * row): one price AWS states for all regions.
	assert.InDelta(t, 730*0.005+1+3+0.4, e.Monthly, 1e-9)
	for _, l := range e.Lines {
		for _, p := range l.Missing() {
			assert.Zero(t, p.Monthly, "an unpriced part adds nothing: %s", p.Name)
			assert.Contains(t, unpriced, l.Type+" "+l.Name, "every unpriced part is listed")
		}
	}
	var text bytes.Buffer
	cost.Render(&text, e, nil)
	assert.Contains(t, text.String(), "plus 3 unpriced resource(s) not counted")
}

func TestCostSaysWhenItsPricesAreStale(t *testing.T) {
	g := smallStack(t, network.NATSingle, "", nil)
	fresh, err := cost.Estimate(g, bundledTable(t), cost.DefaultUsage(), costDay)
	require.NoError(t, err)
	require.Empty(t, fresh.Stale)
	require.NotNil(t, fresh.Oldest)
	oldest, err := time.Parse("2006-01-02", fresh.Oldest.Date)
	require.NoError(t, err)

	atLimit, err := cost.Estimate(g, bundledTable(t), cost.DefaultUsage(), oldest.Add(cost.MaxPriceAge))
	require.NoError(t, err)
	assert.Empty(t, atLimit.Stale, "a price exactly MaxPriceAge old is still fresh")

	later := oldest.Add(cost.MaxPriceAge + 24*time.Hour)
	stale, err := cost.Estimate(g, bundledTable(t), cost.DefaultUsage(), later)
	require.NoError(t, err)
	assert.Equal(t, fmt.Sprintf("prices may be out of date: the oldest price used (%s in %s, %s) is 366 days old, "+
		"more than 365; refresh internal/cost/prices.csv with go run ./cmd/pricegen (README, \"Cost estimate\")",
		fresh.Oldest.Key, fresh.Oldest.Region, fresh.Oldest.Date), stale.Stale)
	var text bytes.Buffer
	cost.Render(&text, stale, nil)
	assert.Contains(t, text.String(), "!! prices may be out of date")
	assert.Equal(t, stale.Stale, cost.ToReport(stale, nil).StalePrices)
}

func TestCostCompareExplainsTheDeltaOfAChange(t *testing.T) {
	table := bundledTable(t)
	single, err := cost.Estimate(smallStack(t, network.NATSingle, "", nil), table, cost.DefaultUsage(), costDay)
	require.NoError(t, err)
	perAZ, err := cost.Estimate(smallStack(t, network.NATPerAZ, "", nil), table, cost.DefaultUsage(), costDay)
	require.NoError(t, err)

	d := cost.Compare(single, perAZ)
	// A second NAT gateway: 730 h × $0.045 + 100 GB (default natGatewayGb) × $0.045 = $37.35, and its address
	// 730 h × $0.005 = $3.65.
	assert.InDelta(t, 37.35+3.65, d.Delta(), 1e-9)
	assert.Equal(t, []string{
		"+$37.35/month: 1 NAT gateway added",
		"+$3.65/month: 1 Elastic IP address added",
	}, d.Reasons)
	back := cost.Compare(perAZ, single)
	assert.Equal(t, []string{
		"-$37.35/month: 1 NAT gateway removed",
		"-$3.65/month: 1 Elastic IP address removed",
	}, back.Reasons)
	assert.Empty(t, cost.Compare(perAZ, perAZ).Reasons)

	var text bytes.Buffer
	cost.Render(&text, perAZ, &d)
	assert.Contains(t, text.String(), "Change: +$41.00/month ($48.05 -> $89.05)\n  +$37.35/month: 1 NAT gateway added\n")

	report, err := json.Marshal(cost.ToReport(perAZ, &d))
	require.NoError(t, err)
	var fields map[string]any
	require.NoError(t, json.Unmarshal(report, &fields))
	assert.Equal(t, "USD", fields["currency"])
	assert.Equal(t, "89.05", fields["totalMonthlyCost"])
	assert.Equal(t, "48.05", fields["pastTotalMonthlyCost"])
	assert.Equal(t, "41.00", fields["diffTotalMonthlyCost"])
	noPrior, err := json.Marshal(cost.ToReport(perAZ, nil))
	require.NoError(t, err)
	assert.Contains(t, string(noPrior), `"pastTotalMonthlyCost":null,"diffTotalMonthlyCost":null`)
}

func TestCostUsageFileOverridesDefaultsAndRefusesTypos(t *testing.T) {
	u, err := cost.ParseUsage([]byte("natGatewayGb: 5\nresources:\n  web-asg:\n    instances: max\n    natGatewayGb: 7\n"))
	require.NoError(t, err)
	assert.Equal(t, 730.0, u.HoursPerMonth)
	assert.Equal(t, 5.0, *u.For("other").NATGatewayGB)
	assert.Equal(t, 7.0, *u.For("web-asg").NATGatewayGB)
	assert.Equal(t, "max", u.For("web-asg").Instances.String())
	assert.Nil(t, u.For("other").Instances)

	empty, err := cost.ParseUsage(nil)
	require.NoError(t, err)
	assert.Equal(t, cost.DefaultUsage(), empty)

	for text, want := range map[string]string{
		"natGatewayGB: 5\n":                        "field natGatewayGB not found",
		"instances: lots\n":                        `instances "lots": use min, max, desired or a number`,
		"hoursPerMonth: 800\n":                     "hoursPerMonth 800: use the hours a month the resources run, at most 744",
		"resources:\n  web:\n    logGroupGb: -1\n": "resources.web.logGroupGb -1: use 0 or more",
		"spotDiscountPercent: 100\n":               "spotDiscountPercent 100: use a percentage from 0 to 99",
	} {
		_, err := cost.ParseUsage([]byte(text))
		require.Error(t, err, text)
		assert.Contains(t, err.Error(), want, text)
	}
}

// stackGraph runs a shipped stack file under the simulated AWS, with the config changed by edit.
func stackGraph(t *testing.T, name string, edit func(map[string]string)) *awssim.Graph {
	t.Helper()
	s, err := plan.LoadStack(root, name)
	require.NoError(t, err)
	opts := s.Options()
	opts.Config = maps.Clone(opts.Config)
	if edit != nil {
		edit(opts.Config)
	}
	g, err := awssim.Run(stacks.Run, opts)
	require.NoError(t, err)
	return g
}

func TestCostTableFollowsTheModelledRegions(t *testing.T) {
	table := bundledTable(t)
	regions := awssim.Regions()
	for _, r := range table.Regions() {
		if r != cost.AnyRegion {
			assert.Contains(t, regions, r, "a price for a region the offline plan does not model")
		}
	}
	// In every region the plan models, each resource of the dev stack is priced or listed with the region it
	// lacks a price for: never counted as zero.
	for _, region := range regions {
		g := stackGraph(t, "dev", func(c map[string]string) { c["aws:region"] = region })
		e, err := cost.Estimate(g, table, cost.DefaultUsage(), costDay)
		require.NoError(t, err)
		listed := map[string]string{}
		for _, u := range e.Unpriced {
			listed[u.Address] = u.Reason
		}
		for _, l := range e.Lines {
			for _, p := range l.Missing() {
				assert.Contains(t, listed[l.Address], "no price for "+p.Key+" in "+region, region)
			}
		}
		if region == "us-east-1" {
			assert.Empty(t, e.Unpriced, "dev lives in us-east-1: the bundled table prices all of it")
		}
	}
}

func TestCostPricesOrDeclaresEveryTypeTheStacksCreate(t *testing.T) {
	// drill registers what prod does (it is prod's update), so dev and prod cover the shipped stacks.
	for _, name := range []string{"dev", "prod"} {
		for typ := range stackGraph(t, name, nil).CountByType() {
			if strings.HasPrefix(typ, "aws:") {
				assert.True(t, cost.Covers(typ), "%s: %s has neither a pricing rule nor a no-charge entry", name, typ)
			}
		}
	}
	for _, typ := range []string{"aws:ec2/vpnConnection:VpnConnection", "aws:dms/replicationInstance:ReplicationInstance",
		"aws:ec2/vpcEndpoint:VpcEndpoint", "aws:opensearch/domain:Domain", "aws:grafana/workspace:Workspace"} {
		assert.True(t, cost.Covers(typ), typ)
	}
}

// The README states the dev and prod figures; they must be what the estimate gives.
func TestCostREADMEFiguresAreTheEstimates(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	require.NoError(t, err)
	for _, name := range []string{"dev", "prod"} {
		usage, err := cost.LoadUsage(cost.UsagePath(filepath.Join(root, "stacks"), name))
		require.NoError(t, err)
		e, err := cost.Estimate(stackGraph(t, name, nil), bundledTable(t), usage, costDay)
		require.NoError(t, err)
		want := fmt.Sprintf("| `%s` | %s | %d |", name, cost.Money(e.Monthly), len(e.Unpriced))
		assert.True(t, strings.Contains(string(readme), want),
			"the README's cost table must have the row %q: update it (README, \"Cost estimate\")", want)
	}
}

func TestPriceGeneratorReadsOfferFiles(t *testing.T) {
	var rows []cost.Price
	for _, file := range []string{"AmazonEC2-sample.json", "AmazonRDS-sample.json"} {
		f, err := os.Open(filepath.Join("testdata", "offers", file))
		require.NoError(t, err)
		offer, err := cost.ReadOffer(f)
		require.NoError(t, f.Close())
		require.NoError(t, err)
		prices, err := cost.PricesFromOffer(offer, "offer "+file)
		require.NoError(t, err)
		rows = append(rows, prices...)
	}
	got := map[string]string{}
	for _, p := range rows {
		got[p.Key+" "+p.Region] = fmt.Sprintf("%v %s %s", p.USD, p.Unit, p.Date)
	}
	// The samples hold priced SKUs the rules must skip: Windows, a capacity reservation, a licence-included
	// engine, a free tier before the paid rate.
	assert.Equal(t, map[string]string{
		"ec2/instance/m6i.large us-west-2":             "0.1111 hour 2026-11-01",
		"vpc/nat/hour us-west-2":                       "0.0222 hour 2026-11-01",
		"vpc/nat/gb us-west-2":                         "0.0333 GB 2026-11-01",
		"rds/postgres/multi-az/db.m7g.large us-west-2": "0.4444 hour 2026-10-15",
		"rds/mysql/single-az/db.t4g.micro us-west-2":   "0.0555 hour 2026-10-15",
		"rds/gp3/multi-az us-west-2":                   "0.6666 GB-month 2026-10-15",
	}, got)
	for _, p := range rows {
		assert.Contains(t, p.Source, "(AWS price list ")
	}

	// A refresh replaces the rows it covers and keeps the rest, and the written table reads back.
	base := []cost.Price{
		{Key: "vpc/nat/hour", Region: "us-west-2", USD: 9, Unit: "hour", Date: "2020-01-01", Source: "old"},
		{Key: "kms/key", Region: "us-west-2", USD: 1, Unit: "month", Date: "2026-01-01", Source: "kept"},
	}
	merged := cost.Merge(base, rows)
	var out bytes.Buffer
	require.NoError(t, cost.WriteCSV(&out, []string{"refreshed"}, merged))
	back, err := cost.ReadTable(&out)
	require.NoError(t, err)
	nat, ok := back.Lookup("vpc/nat/hour", "us-west-2")
	require.True(t, ok)
	assert.Equal(t, 0.0222, nat.USD)
	kept, ok := back.Lookup("kms/key", "us-west-2")
	require.True(t, ok)
	assert.Equal(t, "kept", kept.Source)
	assert.Len(t, back.Rows(), 7)
}

func TestPriceTableRefusesAmbiguousOrMalformedRows(t *testing.T) {
	header := "key,region,usd,unit,date,source\n"
	for text, want := range map[string]string{
		header + "a,us-east-1,1,hour,2026-01-01,s\na,us-east-1,2,hour,2026-01-01,s\n": "a in us-east-1 is priced twice",
		header + "a,us-east-1,cheap,hour,2026-01-01,s\n":                              `usd "cheap" is not a price`,
		header + "a,us-east-1,1,hour,01/02/2026,s\n":                                  `date "01/02/2026" is not YYYY-MM-DD`,
		"key,region,usd\n": "the header must be",
	} {
		_, err := cost.ReadTable(strings.NewReader(text))
		require.Error(t, err)
		assert.Contains(t, err.Error(), want)
	}
}
