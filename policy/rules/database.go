package rules

import (
	"fmt"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/policyx"
)

// RDS instances: AWS Config's rds-instance-public-access-check, rds-storage-encrypted (with a customer
// managed key, as Security Hub's RDS.x controls ask), db-instance-backup-enabled, rds-multi-az-support,
// rds-instance-deletion-protection-enabled, rds-automatic-minor-version-upgrade-enabled.

// MinBackupRetentionDays is the shortest automated-backup retention a primary may keep.
const MinBackupRetentionDays = 7

func databaseRules() []Rule {
	db := []string{typeDBInstance}
	return []Rule{
		{
			Name:          "rds-not-public",
			Controls:      []string{"RDS.2"},
			Description:   "Databases are not publicly accessible (publiclyAccessible is not true).",
			Level:         Mandatory,
			Types:         db,
			CheckResource: rdsNotPublic,
		},
		{
			Name:          "rds-encrypted-customer-key",
			Controls:      []string{"RDS.3", "RDS.4"},
			Description:   "Databases encrypt storage with a customer-managed KMS key (storageEncrypted and kmsKeyId; a replica names the key of its own region).",
			Level:         Mandatory,
			Types:         db,
			CheckResource: rdsEncryptedCustomerKey,
		},
		{
			Name:          "rds-backup-retention",
			Controls:      []string{"RDS.11"},
			Description:   fmt.Sprintf("Primary databases keep automated backups for at least %d days (backupRetentionPeriod); replicas are exempt.", MinBackupRetentionDays),
			Level:         Mandatory,
			Types:         db,
			CheckResource: rdsBackupRetention,
		},
		{
			Name:          "rds-multi-az",
			Controls:      []string{"RDS.5"},
			Description:   "In production primary databases run Multi-AZ (multiAz); the cross-region replica is the DR copy and is exempt.",
			Level:         Mandatory,
			Scope:         ProductionOnly,
			Types:         db,
			CheckResource: rdsMultiAZ,
		},
		{
			Name:          "rds-deletion-protection",
			Controls:      []string{"RDS.8"},
			Description:   "In production databases and replicas have deletion protection on (deletionProtection).",
			Level:         Mandatory,
			Scope:         ProductionOnly,
			Types:         db,
			CheckResource: rdsDeletionProtection,
		},
		{
			Name:          "rds-final-snapshot",
			Description:   "In production deleting a primary database takes a final snapshot (skipFinalSnapshot is not true).",
			Level:         Advisory,
			Scope:         ProductionOnly,
			Types:         db,
			CheckResource: rdsFinalSnapshot,
		},
		{
			Name:          "rds-auto-minor-version-upgrade",
			Controls:      []string{"RDS.13"},
			Description:   "Databases take minor engine upgrades, which carry security fixes (autoMinorVersionUpgrade is not false).",
			Level:         Advisory,
			Types:         db,
			CheckResource: rdsAutoMinorUpgrade,
		},
	}
}

// replica reports whether a database is a read replica; an unknown source still makes one.
func replica(r policyx.AnalyzerResource) bool { return set(prop(r, "replicateSourceDb")) }

func rdsNotPublic(_ Env, r policyx.AnalyzerResource) []string {
	if isTrue(prop(r, "publiclyAccessible")) {
		return []string{"publiclyAccessible is true: set it to false; the application reaches the database inside the VPC"}
	}
	return nil
}

func rdsEncryptedCustomerKey(_ Env, r policyx.AnalyzerResource) []string {
	var out []string
	// A cross-region replica ignores storageEncrypted: its kmsKeyId alone decides.
	if !replica(r) && knownFalse(prop(r, "storageEncrypted")) {
		out = append(out, "storageEncrypted is not true: set it to true")
	}
	key := prop(r, "kmsKeyId")
	if s, known := str(key); known {
		switch {
		case s == "":
			out = append(out, "kmsKeyId is absent, so RDS uses the AWS-managed key aws/rds: pass a customer-managed "+
				"KMS key's ARN (in the database's own region)")
		case strings.HasPrefix(s, "alias/aws/") || strings.Contains(s, ":alias/aws/"):
			out = append(out, fmt.Sprintf("kmsKeyId %q is an AWS-managed key: pass a customer-managed key you can "+
				"rotate, audit and share", s))
		}
	}
	return out
}

func rdsBackupRetention(_ Env, r policyx.AnalyzerResource) []string {
	if replica(r) {
		return nil
	}
	days, present, known := num(prop(r, "backupRetentionPeriod"))
	if !known || (present && days >= MinBackupRetentionDays) {
		return nil
	}
	if !present {
		return []string{fmt.Sprintf("backupRetentionPeriod is absent (AWS keeps 1 day): set it to %d or more", MinBackupRetentionDays)}
	}
	return []string{fmt.Sprintf("backupRetentionPeriod is %g days: set it to %d or more", days, MinBackupRetentionDays)}
}

func rdsMultiAZ(_ Env, r policyx.AnalyzerResource) []string {
	if !replica(r) && knownFalse(prop(r, "multiAz")) {
		return []string{"multiAz is not true in production: set it to true so an AZ failure fails over in minutes"}
	}
	return nil
}

func rdsDeletionProtection(_ Env, r policyx.AnalyzerResource) []string {
	if knownFalse(prop(r, "deletionProtection")) {
		return []string{"deletionProtection is not true in production: set it to true"}
	}
	return nil
}

func rdsFinalSnapshot(_ Env, r policyx.AnalyzerResource) []string {
	if !replica(r) && isTrue(prop(r, "skipFinalSnapshot")) {
		return []string{"skipFinalSnapshot is true in production: set it to false and name a finalSnapshotIdentifier"}
	}
	return nil
}

func rdsAutoMinorUpgrade(_ Env, r policyx.AnalyzerResource) []string {
	if v := prop(r, "autoMinorVersionUpgrade"); !v.IsNull() && knownFalse(v) {
		return []string{"autoMinorVersionUpgrade is false: leave it on so security fixes arrive in the maintenance window"}
	}
	return nil
}
