package cost

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// Usage holds the assumptions behind every usage-based line: how many hours a month, how many instances,
// how much traffic. Each field's default is written beside it; a stack's usage file overrides them, for
// every resource or for one resource by its logical name. Every line that depends on one of these says so.
type Usage struct {
	// HoursPerMonth is how long an always-on resource runs in a month. Default 730 (365 days × 24 h / 12).
	HoursPerMonth float64 `yaml:"hoursPerMonth"`
	ResourceUsage `yaml:",inline"`
	// Resources overrides the assumptions for one resource, by its logical name (as in the snapshot).
	Resources map[string]ResourceUsage `yaml:"resources"`
}

// ResourceUsage is the per-resource assumptions. A nil field takes the stack-wide value.
type ResourceUsage struct {
	// Instances is how many instances an auto-scaling group runs on average: min, max, desired, or a
	// number between its minimum and maximum. Default desired (the group's desired capacity).
	Instances *Instances `yaml:"instances"`
	// SpotDiscountPercent is how much less than on-demand a Spot instance costs on average. Default 0: Spot
	// capacity is priced as on-demand, an upper bound, until you set the discount you see.
	SpotDiscountPercent *float64 `yaml:"spotDiscountPercent"`
	// NATGatewayGB is the data a NAT gateway processes a month. Default 100.
	NATGatewayGB *float64 `yaml:"natGatewayGb"`
	// LoadBalancerLCU is the average load balancer capacity units an ALB uses each hour. Default 1.
	LoadBalancerLCU *float64 `yaml:"loadBalancerLcu"`
	// LogGroupGB is the log data ingested into a log group a month (flow logs, application logs). Default 5.
	LogGroupGB *float64 `yaml:"logGroupGb"`
	// BucketGB is the data an S3 bucket stores (the ALB access logs). Default 10.
	BucketGB *float64 `yaml:"bucketGb"`
	// InterfaceEndpointGB is the data an interface VPC endpoint processes a month. Default 10.
	InterfaceEndpointGB *float64 `yaml:"interfaceEndpointGb"`
	// ReplicationGB is the data a cross-region replica (or backup replication) receives a month. Default 50.
	ReplicationGB *float64 `yaml:"replicationGb"`
	// BackupGB is a database's backup storage beyond the free amount (its allocated storage). Default 0.
	BackupGB *float64 `yaml:"backupGb"`
}

// Instances is an auto-scaling group's average instance count: a number, or min, max or desired.
type Instances struct {
	Keyword string // min, max or desired; empty when Count is set
	Count   float64
}

// UnmarshalYAML reads a number or one of the words min, max, desired.
func (n *Instances) UnmarshalYAML(node *yaml.Node) error {
	switch node.Value {
	case "min", "max", "desired":
		*n = Instances{Keyword: node.Value}
		return nil
	}
	v, err := strconv.ParseFloat(node.Value, 64)
	if err != nil || v < 0 {
		return fmt.Errorf("line %d: instances %q: use min, max, desired or a number of instances", node.Line, node.Value)
	}
	*n = Instances{Count: v}
	return nil
}

func (n Instances) String() string {
	if n.Keyword != "" {
		return n.Keyword
	}
	return strconv.FormatFloat(n.Count, 'f', -1, 64)
}

// The defaults, one per assumption.
const (
	DefaultHoursPerMonth       = 730.0
	DefaultNATGatewayGB        = 100.0
	DefaultLoadBalancerLCU     = 1.0
	DefaultLogGroupGB          = 5.0
	DefaultBucketGB            = 10.0
	DefaultInterfaceEndpointGB = 10.0
	DefaultReplicationGB       = 50.0
)

// DefaultUsage returns the assumptions a stack without a usage file gets.
func DefaultUsage() Usage { return Usage{HoursPerMonth: DefaultHoursPerMonth} }

// LoadUsage reads a stack's usage file. A missing file gives the defaults; unknown keys are refused, so a
// typo never falls back to a default silently.
func LoadUsage(path string) (Usage, error) {
	text, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return DefaultUsage(), nil
	}
	if err != nil {
		return Usage{}, err
	}
	u, err := ParseUsage(text)
	if err != nil {
		return Usage{}, fmt.Errorf("%s: %w", path, err)
	}
	return u, nil
}

// ParseUsage reads usage assumptions in the usage file's YAML format.
func ParseUsage(text []byte) (Usage, error) {
	u := DefaultUsage()
	dec := yaml.NewDecoder(bytes.NewReader(text))
	dec.KnownFields(true)
	// An empty file is io.EOF: the defaults.
	if err := dec.Decode(&u); err != nil && !errors.Is(err, io.EOF) {
		return Usage{}, fmt.Errorf("%w (the keys are listed in the README, \"Cost estimate\")", err)
	}
	var problems []string
	if u.HoursPerMonth <= 0 || u.HoursPerMonth > 744 {
		problems = append(problems, fmt.Sprintf("hoursPerMonth %v: use the hours a month the resources run, at most 744 (31 days)", u.HoursPerMonth))
	}
	problems = append(problems, u.check("")...)
	names := make([]string, 0, len(u.Resources))
	for name := range u.Resources {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		problems = append(problems, u.Resources[name].check("resources."+name+".")...)
	}
	if len(problems) > 0 {
		return Usage{}, errors.New(strings.Join(problems, "; "))
	}
	return u, nil
}

func (r ResourceUsage) check(prefix string) []string {
	var problems []string
	for name, v := range map[string]*float64{
		"natGatewayGb": r.NATGatewayGB, "loadBalancerLcu": r.LoadBalancerLCU, "logGroupGb": r.LogGroupGB,
		"bucketGb": r.BucketGB, "interfaceEndpointGb": r.InterfaceEndpointGB, "replicationGb": r.ReplicationGB,
		"backupGb": r.BackupGB,
	} {
		if v != nil && *v < 0 {
			problems = append(problems, fmt.Sprintf("%s%s %v: use 0 or more", prefix, name, *v))
		}
	}
	if d := r.SpotDiscountPercent; d != nil && (*d < 0 || *d >= 100) {
		problems = append(problems, fmt.Sprintf("%sspotDiscountPercent %v: use a percentage from 0 to 99", prefix, *d))
	}
	sort.Strings(problems)
	return problems
}

// For returns the assumptions for one resource: its override where it has one, else the stack-wide value.
func (u Usage) For(name string) ResourceUsage {
	r := u.ResourceUsage
	o, ok := u.Resources[name]
	if !ok {
		return r
	}
	if o.Instances != nil {
		r.Instances = o.Instances
	}
	pick := func(dst **float64, src *float64) {
		if src != nil {
			*dst = src
		}
	}
	pick(&r.SpotDiscountPercent, o.SpotDiscountPercent)
	pick(&r.NATGatewayGB, o.NATGatewayGB)
	pick(&r.LoadBalancerLCU, o.LoadBalancerLCU)
	pick(&r.LogGroupGB, o.LogGroupGB)
	pick(&r.BucketGB, o.BucketGB)
	pick(&r.InterfaceEndpointGB, o.InterfaceEndpointGB)
	pick(&r.ReplicationGB, o.ReplicationGB)
	pick(&r.BackupGB, o.BackupGB)
	return r
}

func or(v *float64, def float64) float64 {
	if v == nil {
		return def
	}
	return *v
}

// UsagePath is where a stack's usage assumptions live: beside its stack file, stacks/<stack>.usage.yaml.
func UsagePath(stackDir, stack string) string {
	return filepath.Join(stackDir, stack+".usage.yaml")
}
