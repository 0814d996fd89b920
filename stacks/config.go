package stacks

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"slices"
	"sort"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"

	"github.com/migration-kit/kit/components/dr"
	"github.com/migration-kit/kit/components/observability"
	"github.com/migration-kit/kit/components/webtier"
)

// Namespace is the project name: stack config keys are "kit:<key>".
const Namespace = "kit"

// knownKeys are the top-level kit:<key> config keys the kit reads, in the README's order.
var knownKeys = []string{"environment", "network", "web", "database", "dr", "monitoring"}

// KnownKeys lists the top-level config keys the kit reads, without the "kit:" namespace. Any other kit:
// key is refused.
func KnownKeys() []string { return slices.Clone(knownKeys) }

// CheckKeys refuses config keys ("namespace:key") in the kit namespace that the kit does not read: a typo
// in a top-level key (kit:networks) would otherwise leave its whole section at the defaults without a word.
// Keys of other namespaces (aws:region, ...) are not the kit's to judge. It returns one problem per
// unknown key, sorted, each naming the key and the known ones.
func CheckKeys(keys []string) []string {
	var problems []string
	for _, k := range keys {
		name, ok := strings.CutPrefix(k, Namespace+":")
		if !ok || slices.Contains(knownKeys, name) {
			continue
		}
		problems = append(problems, fmt.Sprintf("unknown config key %q: check its spelling; the kit reads only %s",
			k, strings.Join(qualified(knownKeys), ", ")))
	}
	sort.Strings(problems)
	return problems
}

func qualified(keys []string) []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = Namespace + ":" + k
	}
	return out
}

// engineConfigKeys returns the keys of the config the Pulumi engine hands the program in PULUMI_CONFIG (a
// JSON object "namespace:key" -> value, which the Go SDK reads in pulumi.RunWithContext's getEnvInfo). The
// SDK gives a program no way to list its config keys, so this is the only place a typo'd top-level key can
// be seen under the real CLI. Under the simulated AWS the config comes through RunInfo and the variable is
// unset: then there is nothing to check here (the offline plan checks the stack file itself).
func engineConfigKeys() ([]string, error) {
	raw, ok := os.LookupEnv(pulumi.EnvConfig)
	if !ok || raw == "" {
		return nil, nil
	}
	var cfg map[string]any
	if err := json.Unmarshal([]byte(raw), &cfg); err != nil {
		return nil, fmt.Errorf("%s is not a JSON object of config values: %w", pulumi.EnvConfig, err)
	}
	keys := make([]string, 0, len(cfg))
	for k := range cfg {
		keys = append(keys, k)
	}
	return keys, nil
}

// Environments a stack can declare. Production turns on every protection the components offer.
const (
	Development = "development"
	Production  = "production"
)

// Config is the whole stack configuration, one section per config key. Every field is optional; the
// defaults are the components' own, written in the README's configuration table.
type Config struct {
	// Region is aws:region, the primary region.
	Region string
	// Environment is kit:environment: "development" (default) or "production".
	Environment string
	// Network is kit:network.
	Network NetworkConfig
	// Web is kit:web.
	Web WebConfig
	// Database is kit:database.
	Database DatabaseConfig
	// DR is kit:dr.
	DR DRConfig
	// Monitoring is kit:monitoring.
	Monitoring MonitoringConfig
}

// NetworkConfig is kit:network, the primary region's VPC.
type NetworkConfig struct {
	CIDR                 string `json:"cidr"`
	AZCount              *int   `json:"azCount"`
	NATStrategy          string `json:"natStrategy"`
	FlowLogRetentionDays int    `json:"flowLogRetentionDays"`
	// FlowLogs defaults to true; false saves the CloudWatch Logs cost, and the policy pack refuses it.
	FlowLogs *bool `json:"flowLogs"`
}

// WebConfig is kit:web, the load-balanced auto-scaling web tier. The nested objects take the web tier
// component's own field names (healthCheck.path, scheduledActions[].recurrence, spot.percentage, ...).
type WebConfig struct {
	InstanceType          string                    `json:"instanceType"`
	MinSize               int                       `json:"minSize"`
	MaxSize               int                       `json:"maxSize"`
	DesiredCapacity       int                       `json:"desiredCapacity"`
	AppPort               int                       `json:"appPort"`
	IngressCIDRs          []string                  `json:"ingressCidrs"`
	CertificateARN        string                    `json:"certificateArn"`
	HealthCheck           webtier.HealthCheck       `json:"healthCheck"`
	CPUTargetPercent      float64                   `json:"cpuTargetPercent"`
	RequestsPerTarget     float64                   `json:"requestsPerTarget"`
	ScheduledActions      []webtier.ScheduledAction `json:"scheduledActions"`
	WarmPool              *webtier.WarmPool         `json:"warmPool"`
	Spot                  *webtier.Spot             `json:"spot"`
	AccessLogs            *bool                     `json:"accessLogs"`
	AccessLogsDays        int                       `json:"accessLogsDays"`
	ReservedCapacityUnits int                       `json:"reservedCapacityUnits"`
	AMIID                 string                    `json:"amiId"`
}

// DatabaseConfig is kit:database, the primary database.
type DatabaseConfig struct {
	Engine                string `json:"engine"`
	EngineVersion         string `json:"engineVersion"`
	InstanceClass         string `json:"instanceClass"`
	AllocatedStorageGB    int    `json:"allocatedStorageGb"`
	MaxAllocatedStorageGB int    `json:"maxAllocatedStorageGb"`
	MultiAZ               bool   `json:"multiAz"`
	BackupRetentionDays   int    `json:"backupRetentionDays"`
	BackupWindow          string `json:"backupWindow"`
	MaintenanceWindow     string `json:"maintenanceWindow"`
	DatabaseName          string `json:"databaseName"`
}

// DRConfig is kit:dr, the disaster-recovery region.
type DRConfig struct {
	Enabled              bool   `json:"enabled"`
	Region               string `json:"region"`
	CIDR                 string `json:"cidr"`
	AZCount              *int   `json:"azCount"`
	NATStrategy          string `json:"natStrategy"`
	Strategy             string `json:"strategy"`
	RPOSeconds           int    `json:"rpoSeconds"`
	Promote              bool   `json:"promote"`
	ReplicaInstanceClass string `json:"replicaInstanceClass"`
	ReplicaMultiAZ       bool   `json:"replicaMultiAz"`
	ReplicateBackups     bool   `json:"replicateBackups"`
	HostedZoneID         string `json:"hostedZoneId"`
	Domain               string `json:"domain"`
	// Standby is the warm standby's web tier: kit:web at reduced capacity, overridden here.
	Standby StandbyConfig `json:"standby"`
	// ReplicaGeneration is raised by one to fail back after a promotion: a new replica replaces the promoted
	// instance (see dr.Args.ReplicaGeneration). Unset means 1.
	ReplicaGeneration *int `json:"replicaGeneration"`
}

// StandbyConfig is kit:dr.standby: how the DR region's web tier differs from the primary's.
type StandbyConfig struct {
	InstanceType    string `json:"instanceType"`
	MinSize         int    `json:"minSize"`
	MaxSize         int    `json:"maxSize"`
	DesiredCapacity int    `json:"desiredCapacity"`
	// CertificateARN is an ACM certificate in the DR region: certificates are regional.
	CertificateARN string `json:"certificateArn"`
}

// MonitoringConfig is kit:monitoring.
type MonitoringConfig struct {
	AlarmEmails []string                 `json:"alarmEmails"`
	Thresholds  observability.Thresholds `json:"thresholds"`
	Prometheus  bool                     `json:"prometheus"`
	Grafana     bool                     `json:"grafana"`
	OpenSearch  *OpenSearchConfig        `json:"openSearch"`
}

// OpenSearchConfig is kit:monitoring.openSearch: a logs domain in the private subnets.
type OpenSearchConfig struct {
	MasterUserARN string `json:"masterUserArn"`
	InstanceType  string `json:"instanceType"`
	InstanceCount int    `json:"instanceCount"`
	AZCount       int    `json:"azCount"`
	VolumeSizeGiB int    `json:"volumeSizeGib"`
}

// Production reports whether the stack is a production one.
func (c *Config) Production() bool { return c.Environment == Production }

// LoadConfig reads and checks the stack configuration. Every problem is reported at once, each naming its key.
func LoadConfig(ctx *pulumi.Context) (*Config, error) {
	kit := config.New(ctx, Namespace)
	c := &Config{
		Region:      config.New(ctx, "aws").Get("region"),
		Environment: kit.Get("environment"),
	}
	var problems []string
	if keys, err := engineConfigKeys(); err != nil {
		problems = append(problems, err.Error())
	} else {
		problems = append(problems, CheckKeys(keys)...)
	}
	if c.Region == "" {
		problems = append(problems, "aws:region is not set: set it in Pulumi.yaml or the stack file (e.g. us-east-1)")
	}
	switch c.Environment {
	case "":
		c.Environment = Development
	case Development, Production:
	default:
		problems = append(problems, fmt.Sprintf("kit:environment %q is not an environment: use %q or %q",
			c.Environment, Development, Production))
	}
	sections := []struct {
		key  string
		into any
	}{
		{"network", &c.Network},
		{"web", &c.Web},
		{"database", &c.Database},
		{"dr", &c.DR},
		{"monitoring", &c.Monitoring},
	}
	for _, s := range sections {
		if err := decodeStrict(kit.Get(s.key), s.into); err != nil {
			problems = append(problems, fmt.Sprintf("kit:%s: %v", s.key, err))
		}
	}
	if c.DR.Enabled {
		switch {
		case c.DR.Region == "":
			problems = append(problems, "kit:dr.region is not set: DR is enabled, so name the second region (e.g. us-west-2)")
		case c.DR.Region == c.Region:
			problems = append(problems, fmt.Sprintf("kit:dr.region %q is the primary region: a DR copy must survive "+
				"the loss of the primary region, so pick another", c.DR.Region))
		case !dr.KnownRegion(c.DR.Region):
			problems = append(problems, fmt.Sprintf("kit:dr.region %q is not a region the kit supports: use one of %v",
				c.DR.Region, dr.Regions()))
		}
	}
	for _, az := range []struct {
		key string
		n   *int
	}{{"kit:network.azCount", c.Network.AZCount}, {"kit:dr.azCount", c.DR.AZCount}} {
		if az.n != nil && *az.n < 1 {
			problems = append(problems, fmt.Sprintf("%s %d: a network needs at least one AZ; use 2 or more for "+
				"anything that must survive an AZ outage, or leave it unset for 3", az.key, *az.n))
		}
	}
	if g := c.DR.ReplicaGeneration; g != nil && *g < 1 {
		problems = append(problems, fmt.Sprintf("kit:dr.replicaGeneration %d must be 1 or more: leave it unset "+
			"for the first replica, and raise it by one to fail back after a promotion", *g))
	}
	if len(problems) > 0 {
		return nil, errors.New("stack configuration is invalid:\n - " + strings.Join(problems, "\n - "))
	}
	return c, nil
}

// intOr returns *p, or 0 (the component's default) when the key is unset.
func intOr(p *int) int {
	if p == nil {
		return 0
	}
	return *p
}

// decodeStrict decodes a config object, refusing keys the kit does not know: a typo must not silently fall
// back to a default.
func decodeStrict(raw string, into any) error {
	if raw == "" {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader([]byte(raw)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(into); err != nil {
		var typeErr *json.UnmarshalTypeError
		switch {
		case errors.As(err, &typeErr):
			return fmt.Errorf("%s should be a %s, not a %s", typeErr.Field, typeErr.Type, typeErr.Value)
		case strings.HasPrefix(err.Error(), "json: unknown field "):
			return fmt.Errorf("unknown key %s: check the spelling against the README's configuration table",
				strings.TrimPrefix(err.Error(), "json: unknown field "))
		default:
			return fmt.Errorf("not an object of settings: %w", err)
		}
	}
	return nil
}
