package webtier

import (
	"errors"
	"fmt"
	"net/netip"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"
	// Time zones are checked against the embedded database so that validation does not depend on the
	// machine's zoneinfo (absent on many CI images and on Windows).
	_ "time/tzdata"

	"github.com/migration-kit/kit/components/network"
)

var (
	regionPattern      = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-\d$`)
	namePattern        = regexp.MustCompile(`^[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?$`)
	certificatePattern = regexp.MustCompile(`^arn:aws[a-z-]*:acm:([a-z0-9-]+):\d{12}:certificate/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
	matcherPattern     = regexp.MustCompile(`^\d{3}(-\d{3})?(,\d{3}(-\d{3})?)*$`)
	// healthPathPattern keeps to characters that need no escaping in a URL or in the default user data.
	healthPathPattern = regexp.MustCompile(`^/[A-Za-z0-9/._~-]*$`)
	amiPattern        = regexp.MustCompile(`^ami-[0-9a-f]{8}([0-9a-f]{9})?$`)
)

// tls13Policies are the ALB security policies that offer TLS 1.3. Keep them in sync with rules.TLSPolicies
// (policy/rules/loadbalancer.go), whose TLS13 entries must be exactly these: a policy the component accepts
// but the policy pack refuses fails every deployment that picks it. The two cannot share code, as policy
// rules import no component.
var tls13Policies = map[string]bool{
	"ELBSecurityPolicy-TLS13-1-2-2021-06":           true,
	"ELBSecurityPolicy-TLS13-1-2-Res-2021-06":       true,
	"ELBSecurityPolicy-TLS13-1-2-Ext1-2021-06":      true,
	"ELBSecurityPolicy-TLS13-1-2-Ext2-2021-06":      true,
	"ELBSecurityPolicy-TLS13-1-3-2021-06":           true,
	"ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04":      true,
	"ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04":      true,
	"ELBSecurityPolicy-TLS13-1-2-Res-FIPS-2023-04":  true,
	"ELBSecurityPolicy-TLS13-1-2-Ext0-FIPS-2023-04": true,
	"ELBSecurityPolicy-TLS13-1-2-Ext1-FIPS-2023-04": true,
	"ELBSecurityPolicy-TLS13-1-2-Ext2-FIPS-2023-04": true,
	"ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09":    true,
	"ELBSecurityPolicy-TLS13-1-2-PQ-2025-09":        true,
	"ELBSecurityPolicy-TLS13-1-3-PQ-2025-09":        true,
}

var warmPoolStates = map[string]bool{"Stopped": true, "Running": true, "Hibernated": true}

var spotStrategies = map[string]bool{"lowest-price": true, "capacity-optimized": true,
	"capacity-optimized-prioritized": true, "price-capacity-optimized": true}

// problems collects validation failures, each naming the field, the value and the fix.
type problems []error

func (p *problems) addf(format string, args ...any) {
	*p = append(*p, fmt.Errorf("webtier: "+format, args...))
}

// validate checks args and returns a copy with every default filled in. It reports every problem at once.
func validate(name string, args *Args) (*Args, error) {
	if args == nil {
		return nil, errors.New("webtier: Args is nil: pass &webtier.Args{VPCID: ..., PublicSubnets: ..., " +
			"PrivateSubnets: ..., Region: ...}")
	}
	a := *args
	var p problems

	switch {
	case len(name) > maxNameLength:
		p.addf("name %q is %d characters: the load balancer is named %q plus 8 random characters and AWS "+
			"allows 32; use a name of at most %d characters", name, len(name), name+"-alb", maxNameLength)
	case !namePattern.MatchString(name):
		p.addf("name %q is not a valid load balancer name: use letters, digits and hyphens, not starting or "+
			"ending with a hyphen", name)
	case strings.HasPrefix(name, "internal-"):
		p.addf("name %q starts with \"internal-\", which AWS reserves: choose another name", name)
	}
	if a.VPCID == nil {
		p.addf("VPCID is nil: pass the network's VPC id (vpc.VPCID)")
	}
	regionOK := regionPattern.MatchString(a.Region)
	if !regionOK {
		p.addf("Region %q is not an AWS region name: pass the region of the provider, e.g. \"us-east-1\"", a.Region)
	}
	validateSubnets(&p, &a, regionOK)

	defaultInt(&a.AppPort, DefaultAppPort)
	if a.AppPort < 1 || a.AppPort > 65535 {
		p.addf("AppPort %d is outside 1-65535: use the port the application listens on", a.AppPort)
	}
	if len(a.IngressCIDRs) == 0 {
		a.IngressCIDRs = []string{DefaultIngressCIDR}
	}
	for _, c := range a.IngressCIDRs {
		if pr, err := netip.ParsePrefix(c); err != nil || !pr.Addr().Is4() || pr.Masked() != pr {
			p.addf("IngressCIDRs entry %q is not an IPv4 CIDR block: use e.g. \"203.0.113.0/24\"", c)
		}
	}
	if a.CertificateARN != "" {
		m := certificatePattern.FindStringSubmatch(a.CertificateARN)
		switch {
		case m == nil:
			p.addf("CertificateARN %q is not an ACM certificate ARN: use "+
				"arn:aws:acm:<region>:<account>:certificate/<uuid> from the ACM console", a.CertificateARN)
		case regionOK && m[1] != a.Region:
			p.addf("CertificateARN %q is in %s, but the load balancer is in %s: request or import the "+
				"certificate in %s", a.CertificateARN, m[1], a.Region, a.Region)
		}
	}
	defaultString(&a.SSLPolicy, DefaultSSLPolicy)
	if !tls13Policies[a.SSLPolicy] {
		p.addf("SSLPolicy %q is not a TLS 1.3 ALB security policy: use %s or another ELBSecurityPolicy-TLS13-* policy",
			a.SSLPolicy, DefaultSSLPolicy)
	}
	defaultInt(&a.AccessLogsDays, DefaultAccessLogsDays)
	if a.AccessLogsDays < 1 {
		p.addf("AccessLogsDays %d must be at least 1: it is how many days access logs are kept", a.AccessLogsDays)
	}
	if a.ReservedCapacityUnits < 0 {
		p.addf("ReservedCapacityUnits %d is negative: use 0 for no reservation or the LCUs to reserve", a.ReservedCapacityUnits)
	}

	validateHealthCheck(&p, &a)
	defaultString(&a.ReadinessPath, DefaultReadinessPath)
	switch {
	case !healthPathPattern.MatchString(a.ReadinessPath):
		p.addf("ReadinessPath %q is not a plain path: start with / and use letters, digits and /._~- only, e.g. %q",
			a.ReadinessPath, DefaultReadinessPath)
	case a.ReadinessPath == a.HealthCheck.Path:
		p.addf("ReadinessPath %q is HealthCheck.Path too: the load balancer replaces instances that fail its path, "+
			"so that one must not depend on the database, while Route 53 fails over on ReadinessPath, which must; "+
			"use two paths, e.g. %q and %q", a.ReadinessPath, DefaultHealthCheckPath, DefaultReadinessPath)
	}
	if a.DatabaseAddress != nil && (a.DatabasePort < 1 || a.DatabasePort > 65535) {
		p.addf("DatabasePort %d is not a port: give the database's port with DatabaseAddress", a.DatabasePort)
	}
	if a.WarmPool != nil && a.UserData != "" && !strings.HasPrefix(a.UserData, "#!") {
		p.addf("UserData must be a shell script (starting with #!) with WarmPool: it is joined with the warm " +
			"pool's boot scripts into one multi-part user data that runs on every boot")
	}
	defaultInt(&a.DeregistrationDelay, DefaultDeregistrationDelay)
	if a.DeregistrationDelay < 0 || a.DeregistrationDelay > 3600 {
		p.addf("DeregistrationDelay %d is outside 0-3600 seconds: use how long in-flight requests may take", a.DeregistrationDelay)
	}
	if a.SlowStart != 0 && (a.SlowStart < 30 || a.SlowStart > 900) {
		p.addf("SlowStart %d is outside 30-900 seconds: use 0 to turn slow start off", a.SlowStart)
	}

	if a.AMIID != "" && !amiPattern.MatchString(a.AMIID) {
		p.addf("AMIID %q is not an AMI id: use ami- and 8 or 17 hex digits, or leave it empty for Amazon Linux 2023", a.AMIID)
	}
	defaultString(&a.InstanceType, DefaultInstanceType)
	checkInstanceType(&p, "InstanceType", a.InstanceType)
	defaultInt(&a.RootVolumeSizeGiB, DefaultRootVolumeSizeGiB)
	if a.RootVolumeSizeGiB < 8 || a.RootVolumeSizeGiB > 16384 {
		p.addf("RootVolumeSizeGiB %d is outside 8-16384: Amazon Linux 2023 needs at least 8 GiB", a.RootVolumeSizeGiB)
	}

	validateCapacity(&p, &a)
	validateScaling(&p, &a)
	validateSchedules(&p, &a)
	validateWarmPoolAndSpot(&p, &a)
	validateRelease(&p, name, &a)

	if len(p) > 0 {
		return nil, errors.Join(p...)
	}
	return &a, nil
}

// checkInstanceType refuses a type EC2 does not have, with the nearest one it does.
func checkInstanceType(p *problems, field, t string) {
	switch {
	case KnownInstanceType(t) && strings.HasPrefix(t, "mac"):
		p.addf("%s %q is an EC2 Mac type, which runs macOS, not the Amazon Linux the web tier launches: use "+
			"e.g. %q", field, t, DefaultInstanceType)
	case KnownInstanceType(t):
	case nearestInstanceType(t) != "":
		p.addf("%s %q is not an EC2 instance type: did you mean %q?", field, t, nearestInstanceType(t))
	default:
		p.addf("%s %q is not an EC2 instance type: use e.g. %q (t4g.micro for Graviton)", field, t, DefaultInstanceType)
	}
}

func defaultInt(v *int, def int) {
	if *v == 0 {
		*v = def
	}
}

// defaultPtr returns v, or a pointer to def when v is nil; never the caller's pointer, so defaults and
// checks never write through to the caller's Args.
func defaultPtr(v *int, def int) *int {
	if v != nil {
		def = *v
	}
	return &def
}

func defaultString(v *string, def string) {
	if *v == "" {
		*v = def
	}
}

func defaultFloat(v *float64, def float64) {
	if *v == 0 {
		*v = def
	}
}

// azsOf returns the sorted AZs of subnets.
func azsOf(subnets []network.Subnet) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range subnets {
		if !seen[s.AZ] {
			seen[s.AZ] = true
			out = append(out, s.AZ)
		}
	}
	sort.Strings(out)
	return out
}

func validateSubnets(p *problems, a *Args, regionOK bool) {
	check := func(field string, subnets []network.Subnet, tier network.Tier) {
		seen := map[string]bool{}
		for i, s := range subnets {
			if s.Tier != tier {
				p.addf("%s[%d] (%s, %s) has tier %q: pass the network's %s subnets", field, i, s.AZ, s.CIDR, s.Tier, tier)
			}
			if regionOK && (!strings.HasPrefix(s.AZ, a.Region) || len(s.AZ) != len(a.Region)+1) {
				p.addf("%s[%d] is in AZ %q, which is not an AZ of Region %s: pass subnets of the region the "+
					"tier is deployed in", field, i, s.AZ, a.Region)
			}
			if seen[s.AZ] {
				p.addf("%s has two subnets in AZ %s: pass one subnet per AZ", field, s.AZ)
			}
			seen[s.AZ] = true
		}
	}
	check("PublicSubnets", a.PublicSubnets, network.Public)
	check("PrivateSubnets", a.PrivateSubnets, network.Private)

	public, private := azsOf(a.PublicSubnets), azsOf(a.PrivateSubnets)
	if len(public) < 2 {
		p.addf("PublicSubnets cover %d AZ(s) %v: an Application Load Balancer needs public subnets in at "+
			"least two AZs; build the network with two or more AZs", len(public), public)
	}
	if len(a.PrivateSubnets) == 0 {
		p.addf("PrivateSubnets is empty: pass the network's private subnets, one per AZ of PublicSubnets")
	}
	inPublic := map[string]bool{}
	for _, az := range public {
		inPublic[az] = true
	}
	inPrivate := map[string]bool{}
	for _, az := range private {
		inPrivate[az] = true
		if !inPublic[az] {
			p.addf("PrivateSubnets has a subnet in AZ %s but PublicSubnets has none: the load balancer sends "+
				"no traffic to targets outside its AZs; add a public subnet in %s or drop that private subnet", az, az)
		}
	}
	for _, az := range public {
		if len(a.PrivateSubnets) > 0 && !inPrivate[az] {
			p.addf("PrivateSubnets do not cover AZ %s of PublicSubnets: add a private subnet in %s so that "+
				"instances run in every AZ the load balancer serves", az, az)
		}
	}
}

func validateHealthCheck(p *problems, a *Args) {
	h := &a.HealthCheck
	defaultString(&h.Path, DefaultHealthCheckPath)
	defaultString(&h.Matcher, DefaultHealthCheckMatcher)
	defaultInt(&h.Interval, DefaultHealthCheckInterval)
	defaultInt(&h.Timeout, DefaultHealthCheckTimeout)
	defaultInt(&h.HealthyThreshold, DefaultHealthyThreshold)
	defaultInt(&h.UnhealthyThreshold, DefaultUnhealthyThreshold)
	switch {
	case !strings.HasPrefix(h.Path, "/"):
		p.addf("HealthCheck.Path %q does not start with \"/\": use e.g. %q", h.Path, "/"+h.Path)
	case len(h.Path) > 1024 || !healthPathPattern.MatchString(h.Path):
		p.addf("HealthCheck.Path %q has characters outside letters, digits and /._~-: use a plain path such as %q",
			h.Path, DefaultHealthCheckPath)
	}
	if !matcherPattern.MatchString(h.Matcher) {
		p.addf("HealthCheck.Matcher %q is not an HTTP code list: use \"200\", \"200,202\" or \"200-299\"", h.Matcher)
	}
	if h.Interval < 5 || h.Interval > 300 {
		p.addf("HealthCheck.Interval %d is outside 5-300 seconds", h.Interval)
	}
	if h.Timeout < 2 || h.Timeout > 120 {
		p.addf("HealthCheck.Timeout %d is outside 2-120 seconds", h.Timeout)
	}
	if h.Timeout >= h.Interval {
		p.addf("HealthCheck.Timeout %d is not less than HealthCheck.Interval %d: lower the timeout or raise the interval",
			h.Timeout, h.Interval)
	}
	if h.HealthyThreshold < 2 || h.HealthyThreshold > 10 {
		p.addf("HealthCheck.HealthyThreshold %d is outside 2-10", h.HealthyThreshold)
	}
	if h.UnhealthyThreshold < 2 || h.UnhealthyThreshold > 10 {
		p.addf("HealthCheck.UnhealthyThreshold %d is outside 2-10", h.UnhealthyThreshold)
	}
}

func validateCapacity(p *problems, a *Args) {
	a.MinSize = defaultPtr(a.MinSize, DefaultMinSize)
	defaultInt(&a.MaxSize, DefaultMaxSize)
	sizesOK := true
	if *a.MinSize < 0 {
		p.addf("MinSize %d is negative: use 0 or more", *a.MinSize)
		sizesOK = false
	}
	if a.MaxSize < 1 {
		p.addf("MaxSize %d must be at least 1", a.MaxSize)
		sizesOK = false
	}
	if sizesOK && *a.MinSize > a.MaxSize {
		p.addf("MinSize %d is greater than MaxSize %d: raise MaxSize or lower MinSize", *a.MinSize, a.MaxSize)
		sizesOK = false
	}
	a.DesiredCapacity = defaultPtr(a.DesiredCapacity, *a.MinSize)
	// With the bounds themselves wrong, the desired capacity is not judged against them: that would report
	// the same mistake twice.
	if sizesOK && (*a.DesiredCapacity < *a.MinSize || *a.DesiredCapacity > a.MaxSize) {
		p.addf("DesiredCapacity %d is outside [MinSize %d, MaxSize %d]: pick a value in that range",
			*a.DesiredCapacity, *a.MinSize, a.MaxSize)
	}
	defaultInt(&a.HealthCheckGracePeriod, DefaultHealthCheckGrace)
	if a.HealthCheckGracePeriod < 0 {
		p.addf("HealthCheckGracePeriod %d is negative: use the seconds an instance needs to boot", a.HealthCheckGracePeriod)
	}
	defaultInt(&a.InstanceWarmup, DefaultInstanceWarmup)
	if a.InstanceWarmup < 0 {
		p.addf("InstanceWarmup %d is negative: use the seconds an instance needs before it serves", a.InstanceWarmup)
	}
}

func validateScaling(p *problems, a *Args) {
	defaultFloat(&a.CPUTargetPercent, DefaultCPUTargetPercent)
	if a.CPUTargetPercent <= 0 || a.CPUTargetPercent > 100 {
		p.addf("CPUTargetPercent %g must be greater than 0 and at most 100: use e.g. %d", a.CPUTargetPercent, DefaultCPUTargetPercent)
	}
	defaultFloat(&a.RequestsPerTarget, DefaultRequestsPerTarget)
	if a.RequestsPerTarget <= 0 {
		p.addf("RequestsPerTarget %g must be greater than 0: use the requests per minute one instance handles",
			a.RequestsPerTarget)
	}
}

func validateSchedules(p *problems, a *Args) {
	names := map[string]bool{}
	actions := make([]ScheduledAction, len(a.ScheduledActions))
	for i, s := range a.ScheduledActions {
		field := fmt.Sprintf("ScheduledActions[%d]", i)
		if s.Name == "" {
			p.addf("%s.Name is empty: name the action, e.g. \"weekday-morning\"", field)
		} else if names[s.Name] {
			p.addf("%s.Name %q is used twice: give each action its own name", field, s.Name)
		}
		names[s.Name] = true
		if err := checkCron(s.Recurrence); err != nil {
			p.addf("%s.Recurrence %q is not a cron expression: %v; use five fields, e.g. \"0 8 * * MON-FRI\"",
				field, s.Recurrence, err)
		}
		defaultString(&s.TimeZone, DefaultScheduleTimeZone)
		if _, err := time.LoadLocation(s.TimeZone); err != nil || s.TimeZone == "Local" {
			p.addf("%s.TimeZone %q is not an IANA time zone: use e.g. \"Europe/Paris\" or \"Etc/UTC\"", field, s.TimeZone)
		}
		if s.MinSize == nil && s.MaxSize == nil && s.DesiredCapacity == nil {
			p.addf("%s sets no size: set MinSize, MaxSize or DesiredCapacity", field)
		}
		for _, v := range []struct {
			name string
			v    *int
		}{{"MinSize", s.MinSize}, {"MaxSize", s.MaxSize}, {"DesiredCapacity", s.DesiredCapacity}} {
			if v.v != nil && *v.v < 0 {
				p.addf("%s.%s %d is negative: use 0 or more", field, v.name, *v.v)
			}
		}
		if s.MinSize != nil && s.MaxSize != nil && *s.MinSize > *s.MaxSize {
			p.addf("%s.MinSize %d is greater than its MaxSize %d: raise MaxSize or lower MinSize", field, *s.MinSize, *s.MaxSize)
		}
		if d := s.DesiredCapacity; d != nil && ((s.MinSize != nil && *d < *s.MinSize) || (s.MaxSize != nil && *d > *s.MaxSize)) {
			p.addf("%s.DesiredCapacity %d is outside its [MinSize, MaxSize]: pick a value in that range", field, *d)
		}
		actions[i] = s
	}
	a.ScheduledActions = actions
}

func validateWarmPoolAndSpot(p *problems, a *Args) {
	if a.WarmPool != nil && a.Spot != nil {
		p.addf("WarmPool and Spot are both set: AWS does not allow a warm pool on a group with a mixed " +
			"instances policy; drop one of them")
	}
	if a.WarmPool != nil {
		w := *a.WarmPool
		defaultString(&w.State, DefaultWarmPoolState)
		if w.MinSize < 0 {
			p.addf("WarmPool.MinSize %d is negative: use 0 or more, the instances the pool keeps prepared", w.MinSize)
		}
		if w.MaxPreparedCapacity != 0 && w.MaxPreparedCapacity < w.MinSize {
			p.addf("WarmPool.MaxPreparedCapacity %d is less than WarmPool.MinSize %d: raise it or use 0 for MaxSize",
				w.MaxPreparedCapacity, w.MinSize)
		}
		if !warmPoolStates[w.State] {
			p.addf("WarmPool.State %q is not Stopped, Running or Hibernated", w.State)
		}
		a.WarmPool = &w
	}
	if a.Spot != nil {
		s := *a.Spot
		if s.Percentage < 0 || s.Percentage > 100 {
			p.addf("Spot.Percentage %d is outside 0-100: it is the share of capacity above Spot.OnDemandBase "+
				"that runs on Spot", s.Percentage)
		}
		if s.OnDemandBase < 0 {
			p.addf("Spot.OnDemandBase %d is negative: use 0 or more, the instances that always run On-Demand", s.OnDemandBase)
		}
		if len(s.InstanceTypes) == 0 {
			s.InstanceTypes = []string{a.InstanceType}
		}
		arch := map[string][]string{}
		for _, t := range append([]string{a.InstanceType}, s.InstanceTypes...) {
			if !slices.Contains(arch[Architecture(t)], t) {
				arch[Architecture(t)] = append(arch[Architecture(t)], t)
			}
		}
		for _, t := range s.InstanceTypes {
			checkInstanceType(p, "Spot.InstanceTypes entry", t)
		}
		// One launch template, one image: every type the group may launch must run its architecture.
		if len(arch) > 1 {
			p.addf("Spot.InstanceTypes mixes architectures with InstanceType %q (x86_64: %s; arm64: %s): the "+
				"group launches one image, which runs on one architecture; list types of one architecture only",
				a.InstanceType, strings.Join(arch[X86], ", "), strings.Join(arch[ARM], ", "))
		}
		defaultString(&s.AllocationStrategy, DefaultSpotAllocation)
		if !spotStrategies[s.AllocationStrategy] {
			p.addf("Spot.AllocationStrategy %q is not one of price-capacity-optimized, capacity-optimized, "+
				"capacity-optimized-prioritized, lowest-price", s.AllocationStrategy)
		}
		a.Spot = &s
	}
}
