package stacks

import (
	"fmt"
	"reflect"
	"strings"

	"github.com/migration-kit/kit/components/dr"
	"github.com/migration-kit/kit/components/network"
)

// The stack's own checks, in the stack file's words: what the components cannot see because they meet the
// stack only through Go values. A component treats a zero value as "use the default", so a key the file sets
// to a zero the component cannot honour is refused here with the valid range; keys that depend on each other
// are checked together; regions are checked against the ones the kit knows. The components check the rest,
// and the stack translates their messages (translate.go).

// checker collects problems.
type checker struct{ problems []string }

func (c *checker) add(format string, args ...any) {
	c.problems = append(c.problems, fmt.Sprintf(format, args...))
}

// notZero refuses a key set to 0 where 0 has no meaning the component can honour.
func notZero[T int | int64 | float64](c *checker, key string, v *T, valid string) {
	if v != nil && *v == 0 {
		c.add("%s 0 is out of range: %s; or remove the key for the default", key, valid)
	}
}

// notEmpty refuses a key set to "" where the component would take "" for its default.
func notEmpty(c *checker, key string, v *string, example string) {
	if v != nil && strings.TrimSpace(*v) == "" {
		c.add("%s is empty: give a value such as %s, or remove the key for the default", key, example)
	}
}

// check runs the stack's checks on every section that decoded cleanly.
func (cfg *Config) check(d *decoded) []string {
	c := &checker{}
	switch {
	case cfg.Region == "":
		c.add("aws:region is not set: set it in Pulumi.yaml or the stack file, e.g. aws:region: us-east-1")
	case !dr.KnownRegion(cfg.Region):
		c.add("aws:region %q is not an AWS region the kit knows: use one of %s", cfg.Region,
			strings.Join(dr.Regions(), ", "))
	}
	switch cfg.Environment {
	case "":
		cfg.Environment = Development
	case Development, Production:
	default:
		c.add("kit:environment %q is not an environment: use %q or %q", cfg.Environment, Development, Production)
	}
	if !d.bad["network"] {
		cfg.Network.check(c)
	}
	if !d.bad["web"] {
		cfg.Web.check(c, "kit:web")
	}
	if !d.bad["database"] {
		cfg.Database.check(c)
	}
	if !d.bad["dr"] {
		cfg.checkDR(c)
	}
	if !d.bad["monitoring"] {
		cfg.Monitoring.check(c)
	}
	if !d.bad["vpn"] {
		cfg.checkVPN(c)
	}
	if !d.bad["migration"] {
		cfg.checkMigration(c, d.bad["vpn"])
	}
	return append(d.problems, c.problems...)
}

// azCount refuses fewer than two AZs: the load balancer and the database's subnet group each need two.
func azCount(c *checker, key string, n *int) {
	if n != nil && *n < 2 {
		c.add("%s %d: the load balancer and the database need subnets in at least two AZs; use 2 or more "+
			"(3 survives an AZ outage with capacity to spare), or remove the key for 3", key, *n)
	}
}

func (n *NetworkConfig) check(c *checker) {
	notEmpty(c, "kit:network.cidr", n.CIDR, network.DefaultCIDR)
	azCount(c, "kit:network.azCount", n.AZCount)
	notEmpty(c, "kit:network.natStrategy", n.NATStrategy, `"single" or "per-az"`)
	notZero(c, "kit:network.flowLogRetentionDays", n.FlowLogRetentionDays,
		fmt.Sprintf("CloudWatch Logs keeps logs for one of %v days", network.LogRetentionPeriods()))
}

func (w *WebConfig) check(c *checker, key string) {
	notEmpty(c, key+".instanceType", w.InstanceType, "t3.micro")
	notZero(c, key+".maxSize", w.MaxSize, "the group needs room for at least 1 instance")
	notZero(c, key+".appPort", w.AppPort, "use the port the application listens on, 1-65535")
	if w.IngressCIDRs != nil && len(w.IngressCIDRs) == 0 {
		c.add("%s.ingressCidrs is an empty list: nobody could reach the load balancer; list the CIDR blocks "+
			"that may, or remove the key for 0.0.0.0/0", key)
	}
	if h := w.HealthCheck; h != nil {
		notEmpty(c, key+".healthCheck.path", h.Path, "/health")
		notEmpty(c, key+".healthCheck.matcher", h.Matcher, `"200"`)
		notZero(c, key+".healthCheck.interval", h.Interval, "use 5-300 seconds, more than the timeout")
		notZero(c, key+".healthCheck.timeout", h.Timeout, "use 2-120 seconds, less than the interval")
		notZero(c, key+".healthCheck.healthyThreshold", h.HealthyThreshold, "use 2-10 checks")
		notZero(c, key+".healthCheck.unhealthyThreshold", h.UnhealthyThreshold, "use 2-10 checks")
	}
	notZero(c, key+".cpuTargetPercent", w.CPUTargetPercent, "target tracking holds a CPU above 0 and at most 100 percent")
	notZero(c, key+".requestsPerTarget", w.RequestsPerTarget, "use the requests per minute one instance handles, above 0")
	notZero(c, key+".accessLogsDays", w.AccessLogsDays, "keep access logs 1 day or more")
	notEmpty(c, key+".amiId", w.AMIID, "ami-0123456789abcdef0")
	for i, s := range w.ScheduledActions {
		notEmpty(c, fmt.Sprintf("%s.scheduledActions[%d].timeZone", key, i), s.TimeZone, "Europe/Paris")
	}
	if p := w.WarmPool; p != nil {
		notEmpty(c, key+".warmPool.state", p.State, "Stopped")
	}
	notEmpty(c, key+".appVersion", w.AppVersion, `"1.4.2"`)
	if r := w.Release; r != nil {
		notEmpty(c, key+".release.strategy", r.Strategy, `"rolling" or "blue-green"`)
		notZero(c, key+".release.maxHealthyPercentage", r.MaxHealthyPercentage,
			"use 100-200, at most 100 above minHealthyPercentage")
		if a := r.RollbackAlarms; a != nil {
			notZero(c, key+".release.rollbackAlarms.target5xxPerMinute", a.Target5XXPerMinute,
				"a release rolls back above this many target 5XX a minute; use a number above 0")
			notZero(c, key+".release.rollbackAlarms.targetResponseTimeP99Seconds", a.TargetResponseTimeP99Seconds,
				"a release rolls back when its p99 latency exceeds this; use seconds above 0")
		}
		if g := r.Green; g != nil {
			notEmpty(c, key+".release.green.appVersion", g.AppVersion, `"1.5.0"`)
			notEmpty(c, key+".release.green.amiId", g.AMIID, "ami-0123456789abcdef0")
		}
	}
	if s := w.Spot; s != nil {
		if s.Percentage == nil {
			c.add("%s.spot.percentage is not set: give the share of capacity above onDemandBase that runs on "+
				"Spot, 0-100", key)
		}
		if s.InstanceTypes != nil && len(s.InstanceTypes) == 0 {
			c.add("%s.spot.instanceTypes is an empty list: list the types Spot may choose from, or remove the "+
				"key for the instance type alone", key)
		}
		notEmpty(c, key+".spot.allocationStrategy", s.AllocationStrategy, "price-capacity-optimized")
	}
}

func (b *DatabaseConfig) check(c *checker) {
	notEmpty(c, "kit:database.engine", b.Engine, `"postgres" or "mysql"`)
	notEmpty(c, "kit:database.engineVersion", b.EngineVersion, `"17"`)
	notEmpty(c, "kit:database.instanceClass", b.InstanceClass, "db.t4g.medium")
	notZero(c, "kit:database.allocatedStorageGb", b.AllocatedStorageGB, "gp3 storage is 20 to 65536 GiB")
	notZero(c, "kit:database.backupRetentionDays", b.BackupRetentionDays,
		"use 1 to 35 days: the kit keeps automated backups on, as point-in-time recovery and the DR replica need them")
	notEmpty(c, "kit:database.backupWindow", b.BackupWindow, "03:00-04:00")
	notEmpty(c, "kit:database.maintenanceWindow", b.MaintenanceWindow, "sun:05:00-sun:06:00")
	notEmpty(c, "kit:database.databaseName", b.DatabaseName, "app")
}

// settings lists the keys of a section that the file sets.
func settings(section any) []string {
	v := reflect.ValueOf(section)
	var out []string
	for i := 0; i < v.NumField(); i++ {
		f := v.Field(i)
		if (f.Kind() == reflect.Pointer || f.Kind() == reflect.Slice) && !f.IsNil() {
			out = append(out, keyOf(v.Type().Field(i)))
		}
	}
	return out
}

func (cfg *Config) checkDR(c *checker) {
	d := &cfg.DR
	set := settings(*d)
	if d.Enabled == nil {
		if len(set) > 0 {
			c.add("kit:dr sets %s but not enabled: add enabled: true to build the DR region, or enabled: false "+
				"to keep the settings with DR off", strings.Join(set, ", "))
		}
		return
	}
	azCount(c, "kit:dr.azCount", d.AZCount)
	notEmpty(c, "kit:dr.natStrategy", d.NATStrategy, `"single" or "per-az"`)
	notEmpty(c, "kit:dr.strategy", d.Strategy, `"pilot-light" or "warm-standby"`)
	notEmpty(c, "kit:dr.replicaInstanceClass", d.ReplicaInstanceClass, "db.t4g.medium")
	if g := d.ReplicaGeneration; g != nil && *g < 1 {
		c.add("kit:dr.replicaGeneration %d must be 1 or more: remove it for the first replica, and raise it "+
			"by one to fail back after a promotion", *g)
	}
	if s := d.Standby; s != nil {
		notEmpty(c, "kit:dr.standby.instanceType", s.InstanceType, "t3.micro")
		notZero(c, "kit:dr.standby.maxSize", s.MaxSize, "the standby needs room for at least 1 instance")
	}
	if val(d.Strategy) != string(dr.WarmStandby) {
		for _, k := range []struct {
			key string
			set bool
		}{{"standby", d.Standby != nil}, {"domain", d.Domain != nil}, {"hostedZoneId", d.HostedZoneID != nil}} {
			if k.set {
				c.add("kit:dr.%s is set, but kit:dr.strategy is %q: only a warm standby runs a web tier to fail "+
					"over to; set strategy: %s, or remove %s", k.key, firstNonEmpty(val(d.Strategy), string(dr.PilotLight)),
					dr.WarmStandby, k.key)
			}
		}
	}
	if !*d.Enabled {
		return
	}
	switch {
	case d.Region == nil || *d.Region == "":
		c.add("kit:dr.region is not set: DR is enabled, so name the second region (e.g. us-west-2)")
	case *d.Region == cfg.Region:
		c.add("kit:dr.region %q is the primary region (aws:region): a DR copy must survive the loss of the "+
			"primary region, so pick another, e.g. %s", *d.Region, otherRegion(cfg.Region))
	case !dr.KnownRegion(*d.Region):
		c.add("kit:dr.region %q is not an AWS region the kit knows: use one of %s", *d.Region,
			strings.Join(dr.Regions(), ", "))
	}
	if d.CIDR == nil || *d.CIDR == "" {
		c.add("kit:dr.cidr is not set: DR is enabled, so give the DR VPC its own block, disjoint from "+
			"kit:network.cidr (e.g. %s)", suggestDRCIDR(val(cfg.Network.CIDR)))
	}
	if d.RPOSeconds == nil || *d.RPOSeconds <= 0 {
		written := "is not set"
		if d.RPOSeconds != nil {
			written = fmt.Sprintf("%d is out of range", *d.RPOSeconds)
		}
		c.add("kit:dr.rpoSeconds %s: DR is enabled, so give the recovery point objective, the seconds of "+
			"writes you accept to lose (e.g. 300); it is the replica lag alarm's threshold", written)
	}
}

func (m *MonitoringConfig) check(c *checker) {
	if t := m.Thresholds; t != nil {
		const key = "kit:monitoring.thresholds."
		notZero(c, key+"alb5xxPerMinute", t.ALB5XXPerMinute,
			"the alarm fires above the threshold, so use 1 or more 5XX a minute")
		notZero(c, key+"target5xxPerMinute", t.Target5XXPerMinute,
			"the alarm fires above the threshold, so use 1 or more 5XX a minute")
		notZero(c, key+"targetResponseTimeP99Seconds", t.TargetResponseTimeP99Seconds,
			"use seconds above 0 and at most 4000")
		notZero(c, key+"asgAtMaxMinutes", t.ASGAtMaxMinutes, "use a multiple of 5 from 5 to 1440")
		notZero(c, key+"instanceCpuPercent", t.InstanceCPUPercent, "use a percentage above 0 and below 100")
		notZero(c, key+"dbCpuPercent", t.DBCPUPercent, "use a percentage above 0 and below 100")
		notZero(c, key+"dbFreeStorageGib", t.DBFreeStorageGiB, "the alarm fires below the threshold, so use more than 0 GiB")
		notZero(c, key+"dbConnections", t.DBConnections,
			"use about 80% of the instance class's max_connections, more than 0")
	}
	if o := m.OpenSearch; o != nil {
		const key = "kit:monitoring.openSearch."
		if o.MasterUserARN == nil || *o.MasterUserARN == "" {
			c.add("%smasterUserArn is not set: fine-grained access control needs the ARN of the IAM role or user "+
				"that administers the domain, e.g. arn:aws:iam::123456789012:role/logs-admin", key)
		}
		notEmpty(c, key+"instanceType", o.InstanceType, "r6g.large.search")
		notZero(c, key+"instanceCount", o.InstanceCount, "use a multiple of azCount, 1 or more")
		notZero(c, key+"azCount", o.AZCount, "OpenSearch spreads over 1, 2 or 3 AZs")
		notZero(c, key+"volumeSizeGib", o.VolumeSizeGiB, "OpenSearch's gp3 volumes start at 10 GiB")
	}
}

// enabledOrRefused refuses settings of an optional section (kit:vpn, kit:migration) that does not say
// whether it is on, as kit:dr does; it reports whether the section says so.
func enabledOrRefused(c *checker, section string, enabled *bool, set []string, what string) bool {
	if enabled == nil {
		if len(set) > 0 {
			c.add("%s sets %s but not enabled: add enabled: true to %s, or enabled: false to keep the settings "+
				"with it off", section, strings.Join(set, ", "), what)
		}
		return false
	}
	return true
}

// emptyList refuses a list key set to [] where the component would take "none" for its default.
func emptyList(c *checker, key string, l []string, fix string) {
	if l != nil && len(l) == 0 {
		c.add("%s is an empty list: %s", key, fix)
	}
}

func (cfg *Config) checkVPN(c *checker) {
	v := &cfg.VPN
	if !enabledOrRefused(c, "kit:vpn", v.Enabled, settings(*v), "connect the data centre") {
		return
	}
	const key = "kit:vpn."
	notEmpty(c, key+"routing", v.Routing, `"static" or "bgp"`)
	notEmpty(c, key+"transitGatewayId", v.TransitGatewayID, "tgw-0123456789abcdef0")
	notEmpty(c, key+"startupAction", v.StartupAction, `"add" or "start"`)
	notZero(c, key+"customerAsn", v.CustomerASN, "use the data centre's private ASN, 64512-65534 or 4200000000-4294967294")
	notZero(c, key+"amazonAsn", v.AmazonASN, "use a private ASN, 64512-65534 or 4200000000-4294967294")
	notZero(c, key+"dpdTimeoutSeconds", v.DPDTimeoutSeconds, "AWS accepts 30 seconds or more")
	notZero(c, key+"phase1LifetimeSeconds", v.Phase1LifetimeSeconds, "AWS accepts 900 to 28800 seconds")
	notZero(c, key+"phase2LifetimeSeconds", v.Phase2LifetimeSeconds, "AWS accepts 900 to 3600 seconds")
	notZero(c, key+"rekeyMarginSeconds", v.RekeyMarginSeconds, "AWS accepts 60 seconds to half the phase 2 lifetime")
	notZero(c, key+"logRetentionDays", v.LogRetentionDays,
		fmt.Sprintf("CloudWatch Logs keeps logs for one of %v days", network.LogRetentionPeriods()))
	emptyList(c, key+"tunnelInsideCidrs", v.TunnelInsideCIDRs,
		"give one /30 of 169.254.0.0/16 per tunnel, or remove the key and AWS picks them")
}

func (cfg *Config) checkMigration(c *checker, vpnBad bool) {
	m := &cfg.Migration
	if !enabledOrRefused(c, "kit:migration", m.Enabled, settings(*m), "build the migration") {
		return
	}
	const key = "kit:migration."
	if *m.Enabled && !cfg.VPNEnabled() && !vpnBad {
		c.add("kit:migration is enabled but kit:vpn is not: the replication instance sits in the data subnets, " +
			"whose only way to the data centre's database is the VPN; add kit:vpn with enabled: true, or set " +
			"kit:migration.enabled to false")
	}
	if s := m.Source; s != nil && s.SecretARN != nil && strings.TrimSpace(*s.SecretARN) == "" {
		c.add("%ssource.secretArn is empty: give the ARN of a Secrets Manager secret holding the source's "+
			"credentials, or remove the key and the kit creates one for you to fill", key)
	}
	if m.Tables != nil && len(m.Tables) == 0 {
		c.add("%stables is an empty list: the task would copy nothing; list include rules, or remove the key to "+
			"copy every table", key)
	}
	if m.TableMappings != nil && strings.TrimSpace(*m.TableMappings) == "" {
		c.add("%stableMappings is empty: give a table mappings JSON document, or remove the key and list tables", key)
	}
	notEmpty(c, key+"migrationType", m.MigrationType, "full-load-and-cdc")
	notEmpty(c, key+"instanceClass", m.InstanceClass, "dms.t3.medium")
	notEmpty(c, key+"engineVersion", m.EngineVersion, `"3.5.4"`)
	notZero(c, key+"allocatedStorageGb", m.AllocatedStorageGB, "DMS takes 5 to 6144 GiB")
	notZero(c, key+"cdcLatencyAlarmSeconds", m.CDCLatencyAlarmSeconds, "give the seconds of lag that page, above 0")
	notZero(c, key+"logRetentionDays", m.LogRetentionDays,
		fmt.Sprintf("CloudWatch Logs keeps logs for one of %v days", network.LogRetentionPeriods()))
}

// otherRegion proposes a region of the same geography as primary, for messages.
func otherRegion(primary string) string {
	geo, _, _ := strings.Cut(primary, "-")
	for _, r := range dr.Regions() {
		if r != primary && strings.HasPrefix(r, geo+"-") {
			return r
		}
	}
	return "us-west-2"
}

// suggestDRCIDR proposes a /16 beside the primary's block, for messages.
func suggestDRCIDR(primary string) string {
	if primary == "" {
		primary = network.DefaultCIDR
	}
	var a, b int
	if _, err := fmt.Sscanf(primary, "%d.%d.", &a, &b); err != nil {
		return "10.1.0.0/16"
	}
	return fmt.Sprintf("%d.%d.0.0/16", a, (b+1)%256)
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
