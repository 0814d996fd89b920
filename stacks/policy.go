package stacks

import "strings"

// Policy rules judge resources and know nothing of the stack file (they must judge any program). A stack
// user reading a violation needs the key that fixes it, so the stack maps rule names to keys here, for
// whoever reports violations of a stack (the offline plan): PolicyFix.

// policyFixes are the fixes, in the stack file's words, of the rules a stack file can break. Rules the kit's
// components always satisfy (encryption, IMDSv2, no public IPs, tags, ...) have no entry: no key breaks them.
var policyFixes = map[string]string{
	"vpc-flow-logs":        "set kit:network.flowLogs: true, or remove the key (flow logs are on by default)",
	"lb-access-logs":       "set kit:web.accessLogs: true, or remove the key (production turns access logs on)",
	"rds-multi-az":         "set kit:database.multiAz: true",
	"rds-backup-retention": "set kit:database.backupRetentionDays to 7 or more, or remove the key for 7",
	"http-listener-redirects-to-https": "set kit:web.certificateArn to an ACM certificate in aws:region: HTTPS " +
		"then serves on 443 and HTTP only redirects to it",
	"http-listener-redirects-to-https-advisory": "set kit:web.certificateArn to an ACM certificate in aws:region: " +
		"HTTPS then serves on 443 and HTTP only redirects to it",
	"lb-deletion-protection":  "set kit:environment: production, which turns deletion protection on",
	"rds-deletion-protection": "set kit:environment: production, which turns deletion protection on",
	"rds-final-snapshot":      "set kit:environment: production, which keeps a final snapshot",
}

// standbyFixes are the fixes that differ for the warm standby's resources (kit:dr.standby).
var standbyFixes = map[string]string{
	"http-listener-redirects-to-https": "set kit:dr.standby.certificateArn to an ACM certificate in kit:dr.region: " +
		"the standby then serves HTTPS on 443 and HTTP only redirects to it",
	"http-listener-redirects-to-https-advisory": "set kit:dr.standby.certificateArn to an ACM certificate in " +
		"kit:dr.region: the standby then serves HTTPS on 443 and HTTP only redirects to it",
}

// PolicyFix returns the stack-file fix for a violation of rule by the resource urn, or "" when no key
// affects that rule.
func PolicyFix(rule, urn string) string {
	if fix, ok := standbyFixes[rule]; ok && strings.Contains(urn, "::dr-web") {
		return fix
	}
	return policyFixes[rule]
}
