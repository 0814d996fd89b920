package tests

import (
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/migration-kit/kit/components/database"
	"github.com/migration-kit/kit/components/dr"
	"github.com/migration-kit/kit/components/network"
	"github.com/migration-kit/kit/components/observability"
	"github.com/migration-kit/kit/components/webtier"
)

// goFieldNames are the field names of every component's arguments, nested types included: words a stack
// user must never meet, since no stack key is spelled that way.
func goFieldNames() map[string]bool {
	names := map[string]bool{}
	var walk func(t reflect.Type)
	walk = func(t reflect.Type) {
		for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct || t.PkgPath() == "" || !strings.Contains(t.PkgPath(), "migration-kit") {
			return
		}
		for i := 0; i < t.NumField(); i++ {
			if f := t.Field(i); f.IsExported() {
				names[f.Name] = true
				walk(f.Type)
			}
		}
	}
	for _, a := range []any{network.Args{}, webtier.Args{}, database.Args{}, dr.Args{}, observability.Args{}} {
		walk(reflect.TypeOf(a))
	}
	return names
}

var word = regexp.MustCompile(`[A-Za-z][A-Za-z0-9]*`)

// TestEveryComponentCheckAStackFileReachesSpeaksTheStackFile drives each component validation that a stack
// file can reach and checks the message a user sees: it names the key as the file spells it, and no Go field.
func TestEveryComponentCheckAStackFileReachesSpeaksTheStackFile(t *testing.T) {
	const dr = "  kit:dr:\n    enabled: true\n    region: us-west-2\n    cidr: 10.1.0.0/16\n    rpoSeconds: 300\n"
	const standby = dr + "    strategy: warm-standby\n"
	fields := goFieldNames()
	for _, tc := range []struct{ name, config, want string }{
		// network
		{"vpc cidr not a cidr", "  kit:network:\n    cidr: 10.0.0/16\n", `kit:network.cidr "10.0.0/16" is not an IPv4 CIDR block`},
		{"vpc cidr host bits", "  kit:network:\n    cidr: 10.0.0.1/16\n", `kit:network.cidr "10.0.0.1/16" has host bits set`},
		{"vpc cidr too large", "  kit:network:\n    cidr: 10.0.0.0/8\n", `kit:network.cidr "10.0.0.0/8" is a /8`},
		{"more AZs than the region", "  kit:network:\n    azCount: 7\n", "kit:network.azCount 7 is out of range: us-east-1 has 6"},
		{"nat strategy", "  kit:network:\n    natStrategy: sometimes\n", `kit:network.natStrategy "sometimes" is not a strategy`},
		{"flow log retention", "  kit:network:\n    flowLogRetentionDays: 10\n", "kit:network.flowLogRetentionDays 10 is not a period"},
		// web tier
		{"app port", "  kit:web:\n    appPort: 70000\n", "kit:web.appPort 70000 is outside 1-65535"},
		{"ingress cidr", "  kit:web:\n    ingressCidrs: [everyone]\n", `kit:web.ingressCidrs entry "everyone" is not an IPv4 CIDR block`},
		{"certificate arn", "  kit:web:\n    certificateArn: my-cert\n", `kit:web.certificateArn "my-cert" is not an ACM certificate ARN`},
		{"certificate region", "  kit:web:\n    certificateArn: arn:aws:acm:eu-west-1:123456789012:certificate/0b3c9d2e-1f4a-4b5c-8d6e-7f8091a2b3c4\n",
			"kit:web.certificateArn \"arn:aws:acm:eu-west-1"},
		{"access logs days", "  kit:web:\n    accessLogsDays: -1\n", "kit:web.accessLogsDays -1 must be at least 1"},
		{"reserved capacity", "  kit:web:\n    reservedCapacityUnits: -2\n", "kit:web.reservedCapacityUnits -2 is negative"},
		{"health path", "  kit:web:\n    healthCheck:\n      path: health\n", `kit:web.healthCheck.path "health" does not start with "/"`},
		{"health matcher", "  kit:web:\n    healthCheck:\n      matcher: ok\n", `kit:web.healthCheck.matcher "ok" is not an HTTP code list`},
		{"health timeout vs interval", "  kit:web:\n    healthCheck:\n      interval: 10\n      timeout: 20\n",
			"kit:web.healthCheck.timeout 20 is not less than kit:web.healthCheck.interval 10"},
		{"health thresholds", "  kit:web:\n    healthCheck:\n      healthyThreshold: 11\n", "kit:web.healthCheck.healthyThreshold 11 is outside 2-10"},
		{"ami id", "  kit:web:\n    amiId: ubuntu\n", `kit:web.amiId "ubuntu" is not an AMI id`},
		{"instance type", "  kit:web:\n    instanceType: large\n", `kit:web.instanceType "large" is not an EC2 instance type`},
		{"min above max", "  kit:web:\n    minSize: 5\n    maxSize: 3\n", "kit:web.minSize 5 is greater than kit:web.maxSize 3: raise kit:web.maxSize or lower kit:web.minSize"},
		{"desired outside", "  kit:web:\n    desiredCapacity: 9\n", "kit:web.desiredCapacity 9 is outside [kit:web.minSize 2, kit:web.maxSize 6]"},
		{"negative min", "  kit:web:\n    minSize: -1\n", "kit:web.minSize -1 is negative"},
		{"cpu target", "  kit:web:\n    cpuTargetPercent: 150\n", "kit:web.cpuTargetPercent 150 must be greater than 0 and at most 100"},
		{"requests per target", "  kit:web:\n    requestsPerTarget: -5\n", "kit:web.requestsPerTarget -5 must be greater than 0"},
		{"schedule name and cron", "  kit:web:\n    scheduledActions:\n      - recurrence: every day\n        minSize: 2\n",
			"kit:web.scheduledActions[0].name is empty"},
		{"schedule cron", "  kit:web:\n    scheduledActions:\n      - name: a\n        recurrence: every day\n        minSize: 2\n",
			`kit:web.scheduledActions[0].recurrence "every day" is not a cron expression`},
		{"schedule time zone", "  kit:web:\n    scheduledActions:\n      - name: a\n        recurrence: \"0 8 * * *\"\n        timeZone: Mars/Olympus\n        minSize: 2\n",
			`kit:web.scheduledActions[0].timeZone "Mars/Olympus" is not an IANA time zone`},
		{"schedule no size", "  kit:web:\n    scheduledActions:\n      - name: a\n        recurrence: \"0 8 * * *\"\n",
			"kit:web.scheduledActions[0] sets no size: set kit:web.scheduledActions[0].minSize"},
		{"schedule min above max", "  kit:web:\n    scheduledActions:\n      - name: a\n        recurrence: \"0 8 * * *\"\n        minSize: 5\n        maxSize: 2\n",
			"kit:web.scheduledActions[0].minSize 5 is greater than its kit:web.scheduledActions[0].maxSize 2"},
		{"warm pool with spot", "  kit:web:\n    warmPool:\n      minSize: 1\n    spot:\n      percentage: 50\n",
			"kit:web.warmPool and kit:web.spot are both set"},
		{"warm pool prepared", "  kit:web:\n    warmPool:\n      minSize: 3\n      maxPreparedCapacity: 2\n",
			"kit:web.warmPool.maxPreparedCapacity 2 is less than kit:web.warmPool.minSize 3: raise it or use 0 for kit:web.maxSize"},
		{"warm pool state", "  kit:web:\n    warmPool:\n      state: Frozen\n", `kit:web.warmPool.state "Frozen" is not Stopped`},
		{"spot percentage", "  kit:web:\n    spot:\n      percentage: 101\n", "kit:web.spot.percentage 101 is outside 0-100"},
		{"spot types", "  kit:web:\n    spot:\n      percentage: 50\n      instanceTypes: [big]\n", `kit:web.spot.instanceTypes entry "big"`},
		{"spot strategy", "  kit:web:\n    spot:\n      percentage: 50\n      allocationStrategy: cheapest\n", `kit:web.spot.allocationStrategy "cheapest"`},
		// database
		{"engine", "  kit:database:\n    engine: oracle\n", `kit:database.engine "oracle" is not supported`},
		{"engine version", "  kit:database:\n    engineVersion: \"9\"\n", `kit:database.engineVersion "9" is not offered for postgres`},
		{"instance class", "  kit:database:\n    instanceClass: db.huge\n", `kit:database.instanceClass "db.huge" is not an RDS class`},
		{"mysql without performance insights", "  kit:database:\n    engine: mysql\n    instanceClass: db.t4g.micro\n",
			`kit:database.instanceClass "db.t4g.micro" has no Performance Insights for mysql: use db.t4g.medium or larger`},
		{"storage", "  kit:database:\n    allocatedStorageGb: 10\n", "kit:database.allocatedStorageGb 10 is out of range"},
		{"max storage", "  kit:database:\n    maxAllocatedStorageGb: 10\n", "kit:database.maxAllocatedStorageGb 10 is not greater than kit:database.allocatedStorageGb 20"},
		{"retention", "  kit:database:\n    backupRetentionDays: 40\n", "kit:database.backupRetentionDays 40 is out of range"},
		{"backup window", "  kit:database:\n    backupWindow: night\n", `kit:database.backupWindow "night" is invalid`},
		{"windows overlap", "  kit:database:\n    backupWindow: \"05:00-06:00\"\n    maintenanceWindow: sun:05:00-sun:06:00\n",
			`kit:database.backupWindow "05:00-06:00" overlaps kit:database.maintenanceWindow`},
		{"database name", "  kit:database:\n    databaseName: 1app\n", `kit:database.databaseName "1app" is invalid`},
		// dr
		{"dr overlaps", "  kit:network:\n    cidr: 10.1.0.0/16\n" + dr, "kit:dr.cidr 10.1.0.0/16 overlaps the primary VPC's 10.1.0.0/16"},
		{"dr cidr", strings.Replace(dr, "10.1.0.0/16", "10.1.0/16", 1), `kit:dr.cidr "10.1.0/16" is not an IPv4 CIDR block`},
		{"dr strategy", dr + "    strategy: hot\n", `kit:dr.strategy "hot" is not a strategy`},
		{"dr more AZs than the region", dr + "    azCount: 5\n", "kit:dr.azCount 5 is out of range: us-west-2 has 4"},
		{"dr replica class", dr + "    replicaInstanceClass: db.huge\n", `kit:dr.replicaInstanceClass "db.huge" is not an RDS class`},
		{"dr inherited mysql class", "  kit:database:\n    engine: mysql\n    instanceClass: db.t4g.medium\n" +
			strings.Replace(dr, "    rpoSeconds: 300\n", "    rpoSeconds: 300\n    replicaInstanceClass: db.t4g.small\n", 1),
			`kit:dr.replicaInstanceClass "db.t4g.small" has no Performance Insights for mysql`},
		{"failover without zone", standby + "    domain: app.example.com\n", `kit:dr.domain "app.example.com" has no kit:dr.hostedZoneId`},
		{"failover without domain", standby + "    hostedZoneId: Z123\n", `kit:dr.hostedZoneId "Z123" has no kit:dr.domain`},
		{"standby sizes", standby + "    standby:\n      minSize: 4\n      maxSize: 2\n",
			"kit:dr.standby.minSize 4 is greater than kit:dr.standby.maxSize 2"},
		{"standby certificate region", standby + "    standby:\n      certificateArn: arn:aws:acm:us-east-1:123456789012:certificate/0b3c9d2e-1f4a-4b5c-8d6e-7f8091a2b3c4\n",
			`kit:dr.standby.certificateArn "arn:aws:acm:us-east-1`},
		{"standby inherits the web maximum", standby + "    standby:\n      minSize: 8\n", "kit:dr.standby.minSize 8 is greater than kit:web.maxSize 6"},
		// monitoring
		{"alarm email", "  kit:monitoring:\n    alarmEmails: [ops]\n", `kit:monitoring.alarmEmails: "ops" is not an email address`},
		{"threshold negative", "  kit:monitoring:\n    thresholds:\n      alb5xxPerMinute: -1\n",
			"kit:monitoring.thresholds.alb5xxPerMinute -1 is negative: use a positive count, or remove the key for the default"},
		{"threshold cpu", "  kit:monitoring:\n    thresholds:\n      dbCpuPercent: 100\n", "kit:monitoring.thresholds.dbCpuPercent 100 is out of range"},
		{"threshold minutes", "  kit:monitoring:\n    thresholds:\n      asgAtMaxMinutes: 7\n", "kit:monitoring.thresholds.asgAtMaxMinutes 7 must be a multiple of 5"},
		{"opensearch arn", "  kit:monitoring:\n    openSearch:\n      masterUserArn: admin\n", `kit:monitoring.openSearch.masterUserArn "admin" is not an IAM ARN`},
		{"opensearch type", "  kit:monitoring:\n    openSearch:\n      masterUserArn: arn:aws:iam::123456789012:role/a\n      instanceType: r6g.large\n",
			`kit:monitoring.openSearch.instanceType "r6g.large" is not an OpenSearch instance type`},
		{"opensearch count", "  kit:monitoring:\n    openSearch:\n      masterUserArn: arn:aws:iam::123456789012:role/a\n      instanceCount: 3\n",
			"kit:monitoring.openSearch.instanceCount 3 is not a multiple of kit:monitoring.openSearch.azCount 2"},
		{"opensearch azs beyond the network", "  kit:network:\n    azCount: 2\n  kit:monitoring:\n    openSearch:\n      masterUserArn: arn:aws:iam::123456789012:role/a\n      azCount: 3\n",
			"kit:monitoring.openSearch.azCount 3 is more than the 2 AZ(s) the network spans (us-east-1a, us-east-1b): lower it, or raise kit:network.azCount"},
		{"opensearch volume", "  kit:monitoring:\n    openSearch:\n      masterUserArn: arn:aws:iam::123456789012:role/a\n      volumeSizeGib: 5\n",
			"kit:monitoring.openSearch.volumeSizeGib 5 is below"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, _, stderr := planFile(t, tc.config)
			assert.Equal(t, 2, status)
			assert.Contains(t, stderr, tc.want)
			msg := stderr[strings.Index(stderr, "stack configuration is invalid"):]
			for _, w := range word.FindAllString(msg, -1) {
				// Initialisms (CIDR, ARN) and the names of AWS features are ordinary words too.
				if strings.ToUpper(w) == w || map[string]bool{"Spot": true, "OpenSearch": true}[w] {
					continue
				}
				assert.False(t, fields[w], "the message names the Go field %s: %s", w, msg)
			}
		})
	}
}
