package tests

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/migration-kit/kit/internal/plan"
	"github.com/migration-kit/kit/policy/rules"
	"github.com/migration-kit/kit/stacks"
)

// TestPolicyViolationsOnAStackNameTheKeyThatFixesThem breaks each rule a stack file can break, and checks
// that every violation has a fix in the stack file's words, and that applying it clears the violation.
func TestPolicyViolationsOnAStackNameTheKeyThatFixesThem(t *testing.T) {
	t.Parallel() // plans through the engine: it shares the cores with the other slow tests
	const prod = "  kit:environment: production\n  kit:database:\n    multiAz: true\n"
	const cert = "arn:aws:acm:us-east-1:123456789012:certificate/6f1e2d3c-4b5a-4978-8e1d-2c3b4a596877"
	const drCert = "arn:aws:acm:us-west-2:123456789012:certificate/0a9b8c7d-6e5f-4a3b-9c2d-1e0f9a8b7c6d"
	const standby = "  kit:dr:\n    enabled: true\n    region: us-west-2\n    cidr: 10.1.0.0/16\n    rpoSeconds: 300\n    strategy: warm-standby\n    replicaMultiAz: true\n"
	for _, tc := range []struct {
		name, broken, fixed, rule, key string
	}{
		{"flow logs", "  kit:network:\n    flowLogs: false\n", "  kit:network:\n    flowLogs: true\n", "vpc-flow-logs", "kit:network.flowLogs"},
		{"https in production", prod, prod + "  kit:web:\n    certificateArn: " + cert + "\n",
			"http-listener-redirects-to-https", "kit:web.certificateArn"},
		{"https on the standby", prod + "  kit:web:\n    certificateArn: " + cert + "\n" + standby,
			prod + "  kit:web:\n    certificateArn: " + cert + "\n" + standby + "    standby:\n      certificateArn: " + drCert + "\n",
			"http-listener-redirects-to-https", "kit:dr.standby.certificateArn"},
		{"multi-AZ in production", "  kit:environment: production\n  kit:web:\n    certificateArn: " + cert + "\n",
			"  kit:environment: production\n  kit:web:\n    certificateArn: " + cert + "\n  kit:database:\n    multiAz: true\n",
			"rds-multi-az", "kit:database.multiAz"},
		{"access logs in production", prod + "  kit:web:\n    certificateArn: " + cert + "\n    accessLogs: false\n",
			prod + "  kit:web:\n    certificateArn: " + cert + "\n    accessLogs: true\n", "lb-access-logs", "kit:web.accessLogs"},
		{"backup retention", "  kit:database:\n    backupRetentionDays: 3\n", "  kit:database:\n    backupRetentionDays: 7\n",
			"rds-backup-retention", "kit:database.backupRetentionDays"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			broken := violationsOf(t, tc.broken)
			found := false
			for _, v := range broken {
				fix := stacks.PolicyFix(v.Policy, v.URN)
				assert.Contains(t, fix, "kit:", "%s has no fix a stack file can express", v)
				if v.Policy == tc.rule && assert.Contains(t, fix, tc.key, v.String()) {
					found = true
				}
			}
			require.True(t, found, "the config breaks %s: %v", tc.rule, broken)
			for _, v := range violationsOf(t, tc.fixed) {
				assert.NotEqual(t, tc.rule, v.Policy, "applying the fix clears the violation: %s", v)
			}
		})
	}
}

// violationsOf plans a stack file and returns its policy violations, advisory ones included.
func violationsOf(t *testing.T, config string) []rules.Violation {
	t.Helper()
	dir := copyProject(t, map[string]string{"s": "config:\n  aws:region: us-east-1\n" + config})
	r, err := plan.Build(dir, "s")
	require.NoError(t, err)
	return r.Violations
}
