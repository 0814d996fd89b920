package tests

import (
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/migration-kit/kit/components/database"
	"github.com/migration-kit/kit/components/dr"
	"github.com/migration-kit/kit/components/migration"
	"github.com/migration-kit/kit/components/network"
	"github.com/migration-kit/kit/components/observability"
	"github.com/migration-kit/kit/components/vpn"
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
	for _, a := range []any{network.Args{}, webtier.Args{}, database.Args{}, dr.Args{}, observability.Args{},
		vpn.Args{}, migration.Args{}} {
		walk(reflect.TypeOf(a))
	}
	return names
}

var word = regexp.MustCompile(`[A-Za-z][A-Za-z0-9]*`)

// TestEveryComponentCheckAStackFileReachesSpeaksTheStackFile drives each component validation that a stack
// file can reach and checks the message a user sees: it names the key as the file spells it, and no Go field.
func TestEveryComponentCheckAStackFileReachesSpeaksTheStackFile(t *testing.T) {
	t.Parallel() // plans through the engine: it shares the cores with the other slow tests
	const dr = "  kit:dr:\n    enabled: true\n    region: us-west-2\n    cidr: 10.1.0.0/16\n    rpoSeconds: 300\n"
	const standby = dr + "    strategy: warm-standby\n"
	const link = "  kit:vpn:\n    enabled: true\n    customerGatewayIp: 198.51.100.10\n    onPremCidrs: [192.168.0.0/16]\n"
	const move = link + "  kit:migration:\n    enabled: true\n    source:\n      engine: postgres\n      host: 192.168.10.20\n" +
		"      port: 5432\n      databaseName: orders\n"
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
		// vpn
		{"vpn private customer address", strings.Replace(link, "198.51.100.10", "10.1.2.3", 1),
			`kit:vpn.customerGatewayIp "10.1.2.3" is a private (RFC 1918) address, not a public one`},
		{"vpn no networks", "  kit:vpn:\n    enabled: true\n    customerGatewayIp: 198.51.100.10\n", "kit:vpn.onPremCidrs is empty"},
		{"vpn networks overlap the vpc", strings.Replace(link, "192.168.0.0/16", "10.0.0.0/8", 1),
			"kit:vpn.onPremCidrs[0] 10.0.0.0/8 overlaps the VPC's 10.0.0.0/16"},
		{"vpn networks overlap the dr vpc", dr + strings.Replace(link, "192.168.0.0/16", "10.1.0.0/16", 1),
			"kit:vpn.onPremCidrs[0] 10.1.0.0/16 overlaps kit:dr.cidr 10.1.0.0/16, a network the VPC already reaches"},
		{"vpn network host bits", strings.Replace(link, "192.168.0.0/16", "192.168.1.1/16", 1),
			`kit:vpn.onPremCidrs[0] "192.168.1.1/16" has host bits set`},
		{"vpn routing", link + "    routing: ospf\n", `kit:vpn.routing "ospf" is not a routing mode`},
		{"vpn bgp without asn", link + "    routing: bgp\n", "kit:vpn.customerAsn is unset: with BGP routing"},
		{"vpn public asn", link + "    customerAsn: 3356\n", "kit:vpn.customerAsn 3356 is a public ASN: use a private one " +
			"(64512-65534 or 4200000000-4294967294), or set kit:vpn.publicAsnReason"},
		{"vpn four-byte asn", link + "    customerAsn: 4294967295\n", "kit:vpn.customerAsn 4294967295 is a public ASN"},
		{"vpn reserved asn", link + "    customerAsn: 7224\n", "kit:vpn.customerAsn 7224 is reserved by AWS in every region"},
		{"vpn amazon asn", link + "    amazonAsn: 100\n", "kit:vpn.amazonAsn 100 is not a private ASN"},
		{"vpn amazon asn with a transit gateway", link + "    transitGatewayId: tgw-0123456789abcdef0\n    amazonAsn: 64512\n",
			"kit:vpn.amazonAsn 64512 is set with kit:vpn.transitGatewayId"},
		{"vpn transit gateway id", link + "    transitGatewayId: transit\n", `kit:vpn.transitGatewayId "transit" is not a transit gateway id`},
		{"vpn reserved inside cidr", link + "    tunnelInsideCidrs: [169.254.0.0/30, 169.254.10.0/30]\n",
			`kit:vpn.tunnelInsideCidrs[0] "169.254.0.0/30" is reserved by AWS`},
		{"vpn one inside cidr", link + "    tunnelInsideCidrs: [169.254.10.0/30]\n",
			"kit:vpn.tunnelInsideCidrs has 1 blocks: give one /30 per tunnel (2), or remove the key and AWS picks them"},
		{"vpn dpd", link + "    dpdTimeoutSeconds: 10\n", "kit:vpn.dpdTimeoutSeconds 10 is too short"},
		{"vpn phase 1", link + "    phase1LifetimeSeconds: 100\n", "kit:vpn.phase1LifetimeSeconds 100 is out of range: AWS accepts 900 to 28800"},
		{"vpn rekey margin", link + "    phase2LifetimeSeconds: 1800\n    rekeyMarginSeconds: 1000\n",
			"kit:vpn.rekeyMarginSeconds 1000 is out of range: AWS accepts 60 to half of kit:vpn.phase2LifetimeSeconds (900)"},
		{"vpn startup action", link + "    startupAction: now\n", `kit:vpn.startupAction "now" is not an action`},
		{"vpn log retention", link + "    logRetentionDays: 10\n", "kit:vpn.logRetentionDays 10 is not a period"},
		// migration
		{"migration source engine", strings.Replace(move, "engine: postgres", "engine: mongodb", 1), `kit:migration.source.engine "mongodb"`},
		{"migration source port", strings.Replace(move, "port: 5432", "port: 0", 1), "kit:migration.source.port 0 is not a port"},
		{"migration source database for mysql", strings.Replace(move, "engine: postgres", "engine: mysql", 1),
			`kit:migration.source.databaseName "orders" is set for mysql: DMS would load every table into that one database; ` +
				"remove the key and name the database as the schema of kit:migration.tables"},
		{"migration source outside the vpn", strings.Replace(move, "192.168.10.20", "172.16.0.5", 1),
			"kit:migration.source.host 172.16.0.5 is outside the data centre's networks the VPN reaches (192.168.0.0/16): " +
				"DMS could not reach it; add its network to kit:vpn.onPremCidrs"},
		{"migration source host", strings.Replace(move, "192.168.10.20", "db_01", 1), `kit:migration.source.host "db_01" is neither`},
		{"migration source secret region", move + "      secretArn: arn:aws:secretsmanager:eu-west-1:123456789012:secret:orders-AbCdEf\n",
			`kit:migration.source.secretArn "arn:aws:secretsmanager:eu-west-1:123456789012:secret:orders-AbCdEf" is in eu-west-1`},
		{"migration tables only exclude", move + "    tables:\n      - action: exclude\n        schema: audit\n        table: \"%\"\n",
			"kit:migration.tables only excludes: add an include rule"},
		{"migration tables action", move + "    tables:\n      - action: copy\n        schema: public\n        table: \"%\"\n",
			`kit:migration.tables[0].action "copy" is not a selection action`},
		{"migration tables need a table", move + "    tables:\n      - action: include\n        schema: public\n",
			"kit:migration.tables[0] needs both kit:migration.tables[0].schema and kit:migration.tables[0].table"},
		{"migration tables explicit pattern", move + "    tables:\n      - action: explicit\n        schema: public\n        table: \"o%\"\n",
			"kit:migration.tables[0] is explicit but names public.o%"},
		{"migration tables and mappings", move + "    tables:\n      - action: include\n        schema: public\n        table: \"%\"\n" +
			"    tableMappings: '{\"rules\": []}'\n", "kit:migration.tables and kit:migration.tableMappings are both set"},
		{"migration mappings not json", move + "    tableMappings: 'rules: all'\n", "kit:migration.tableMappings "},
		{"migration type", move + "    migrationType: copy\n", `kit:migration.migrationType "copy" is not a migration type`},
		{"migration instance class", move + "    instanceClass: dms.huge\n", `kit:migration.instanceClass "dms.huge" is not a DMS replication instance class`},
		{"migration storage", move + "    allocatedStorageGb: 2\n", "kit:migration.allocatedStorageGb 2 is out of range: DMS takes 5 to 6144 GiB"},
		{"migration engine version", move + "    engineVersion: \"3.4.6\"\n", `kit:migration.engineVersion "3.4.6" is older than 3.4.7`},
		{"migration latency alarm", move + "    cdcLatencyAlarmSeconds: -5\n", "kit:migration.cdcLatencyAlarmSeconds -5 must be positive"},
		{"migration log retention", move + "    logRetentionDays: 10\n", "kit:migration.logRetentionDays 10 is not a period"},
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

func TestAProblemWithADefaultSaysTheFileDidNotSetIt(t *testing.T) {
	status, _, stderr := planMain(t, copyProject(t, map[string]string{"s": "config:\n  aws:region: us-west-1\n"}), "s")
	assert.Equal(t, 2, status)
	assert.Contains(t, stderr, "kit:network.azCount 3 is out of range: us-west-1 has 2 available zones")
	assert.Contains(t, stderr, "(kit:network.azCount is not set in the stack file: the value is its default)")

	status, _, stderr = planFile(t, "  kit:network:\n    azCount: 4\n  kit:web:\n    healthCheck:\n      timeout: 20\n")
	assert.Equal(t, 2, status)
	assert.Contains(t, stderr, "kit:web.healthCheck.timeout 20 is not less than kit:web.healthCheck.interval 15")
	assert.NotContains(t, stderr, "kit:web.healthCheck.timeout is not set", "a key the file sets is its own value")
}
