package tests

import (
	"fmt"
	"testing"

	"github.com/migration-kit/kit/awssim"
	"github.com/migration-kit/kit/internal/plan"
	"github.com/migration-kit/kit/stacks"
)

// BenchmarkPlan measures the offline plan of each stack as the plan command does it: load the stack files,
// run the program under the simulated AWS, judge the graph with the policy pack, render and diff.
//
//	go test ./tests -run '^$' -bench Plan -benchmem
func BenchmarkPlan(b *testing.B) {
	for _, stack := range plan.Stacks(root) {
		b.Run(stack, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if _, err := plan.Build(root, stack); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkStackGraph measures the stack program alone under the simulated AWS: the graph, nothing else.
func BenchmarkStackGraph(b *testing.B) {
	for _, stack := range plan.Stacks(root) {
		s, err := plan.LoadStack(root, stack)
		if err != nil {
			b.Fatal(err)
		}
		if s.From != "" {
			continue // an update needs its base state: BenchmarkPlan covers it
		}
		b.Run(stack, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if _, err := awssim.Run(stacks.Run, s.Options()); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkStackGraphByAZs shows how the prod-like graph grows with the number of AZs (us-east-1 has six).
func BenchmarkStackGraphByAZs(b *testing.B) {
	s, err := plan.LoadStack(root, "dev")
	if err != nil {
		b.Fatal(err)
	}
	for _, azs := range []int{2, 3, 4, 6} {
		opts := s.Options()
		cfg := map[string]string{}
		for k, v := range opts.Config {
			cfg[k] = v
		}
		cfg["kit:network"] = fmt.Sprintf(`{"azCount": %d, "natStrategy": "per-az"}`, azs)
		opts.Config = cfg
		b.Run(fmt.Sprintf("azs=%d", azs), func(b *testing.B) {
			b.ReportAllocs()
			var n int
			for i := 0; i < b.N; i++ {
				g, err := awssim.Run(stacks.Run, opts)
				if err != nil {
					b.Fatal(err)
				}
				n = g.Len()
			}
			b.ReportMetric(float64(n), "resources")
		})
	}
}
