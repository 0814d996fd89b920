package stacks

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"
)

// Namespace is the project name: stack config keys are "kit:<key>".
const Namespace = "kit"

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
	// Database is kit:database.
	Database DatabaseConfig
	// DR is kit:dr.
	DR DRConfig
}

// NetworkConfig is kit:network, the primary region's VPC.
type NetworkConfig struct {
	CIDR                 string `json:"cidr"`
	AZCount              int    `json:"azCount"`
	NATStrategy          string `json:"natStrategy"`
	FlowLogRetentionDays int    `json:"flowLogRetentionDays"`
	// FlowLogs defaults to true; false saves the CloudWatch Logs cost, and the policy pack refuses it.
	FlowLogs *bool `json:"flowLogs"`
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
	AZCount              int    `json:"azCount"`
	NATStrategy          string `json:"natStrategy"`
	Strategy             string `json:"strategy"`
	RPOSeconds           int    `json:"rpoSeconds"`
	Promote              bool   `json:"promote"`
	ReplicaInstanceClass string `json:"replicaInstanceClass"`
	ReplicateBackups     bool   `json:"replicateBackups"`
	HostedZoneID         string `json:"hostedZoneId"`
	Domain               string `json:"domain"`
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
		{"database", &c.Database},
		{"dr", &c.DR},
	}
	for _, s := range sections {
		if err := decodeStrict(kit.Get(s.key), s.into); err != nil {
			problems = append(problems, fmt.Sprintf("kit:%s: %v", s.key, err))
		}
	}
	if len(problems) > 0 {
		return nil, errors.New("stack configuration is invalid:\n - " + strings.Join(problems, "\n - "))
	}
	return c, nil
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
			return fmt.Errorf("not an object of settings: %v", err)
		}
	}
	return nil
}
