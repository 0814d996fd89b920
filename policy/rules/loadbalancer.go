package rules

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/policyx"
)

// Load balancers and listeners: AWS Config's alb-http-to-https-redirection-check, elb-tls-https-listeners-only,
// elb-predefined-security-policy-ssl-check, alb-http-drop-invalid-header-enabled,
// elb-deletion-protection-enabled and elb-logging-enabled.

// TLSPolicies are the ELB security policies that refuse anything older than TLS 1.2. Without sslPolicy an
// HTTPS listener created through the API gets ELBSecurityPolicy-2016-08, which still accepts TLS 1.0.
// Keep its ELBSecurityPolicy-TLS13-* entries in sync with tls13Policies in components/webtier/validate.go,
// the policies the web tier accepts: policy rules import no component, so the lists cannot be shared.
var TLSPolicies = []string{
	"ELBSecurityPolicy-TLS13-1-2-2021-06",
	"ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
	"ELBSecurityPolicy-TLS13-1-2-Ext1-2021-06",
	"ELBSecurityPolicy-TLS13-1-2-Ext2-2021-06",
	"ELBSecurityPolicy-TLS13-1-3-2021-06",
	"ELBSecurityPolicy-TLS13-1-2-PQ-2025-09",
	"ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09",
	"ELBSecurityPolicy-TLS13-1-3-PQ-2025-09",
	"ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04",
	"ELBSecurityPolicy-TLS13-1-2-Res-FIPS-2023-04",
	"ELBSecurityPolicy-TLS13-1-2-Ext0-FIPS-2023-04",
	"ELBSecurityPolicy-TLS13-1-2-Ext1-FIPS-2023-04",
	"ELBSecurityPolicy-TLS13-1-2-Ext2-FIPS-2023-04",
	"ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04",
	"ELBSecurityPolicy-TLS-1-2-2017-01",
	"ELBSecurityPolicy-TLS-1-2-Ext-2018-06",
	"ELBSecurityPolicy-FS-1-2-2019-08",
	"ELBSecurityPolicy-FS-1-2-Res-2019-08",
	"ELBSecurityPolicy-FS-1-2-Res-2020-10",
}

func loadBalancerRules() []Rule {
	listeners := []string{typeListener, typeALBListener}
	lbs := []string{typeLB, typeALB}
	return []Rule{
		{
			Name:          "http-listener-redirects-to-https",
			Controls:      []string{"ELB.1"},
			Description:   "In production an HTTP listener only redirects to HTTPS: every default action is a redirect with protocol HTTPS.",
			Level:         Mandatory,
			Scope:         ProductionOnly,
			Types:         listeners,
			CheckResource: httpListenerRedirects,
		},
		{
			Name:          "http-listener-redirects-to-https-advisory",
			Controls:      []string{"ELB.1"},
			Description:   "Outside production an HTTP listener should only redirect to HTTPS too; plain HTTP is tolerated for a dev stack without a certificate.",
			Level:         Advisory,
			Scope:         OutsideProduction,
			Types:         listeners,
			CheckResource: httpListenerRedirects,
		},
		{
			Name:          "https-listener-tls12-policy",
			Description:   "HTTPS and TLS listeners name an ELB security policy that refuses TLS below 1.2 (sslPolicy in the kit's allow-list).",
			Level:         Mandatory,
			Types:         listeners,
			CheckResource: httpsListenerTLSPolicy,
		},
		{
			Name:          "alb-drop-invalid-headers",
			Controls:      []string{"ELB.4"},
			Description:   "Application load balancers drop HTTP headers that are not valid (dropInvalidHeaderFields), closing a request-smuggling path.",
			Level:         Mandatory,
			Types:         lbs,
			CheckResource: albDropsInvalidHeaders,
		},
		{
			Name:          "lb-deletion-protection",
			Controls:      []string{"ELB.6"},
			Description:   "In production load balancers have deletion protection on (enableDeletionProtection).",
			Level:         Mandatory,
			Scope:         ProductionOnly,
			Types:         lbs,
			CheckResource: lbDeletionProtection,
		},
		{
			Name:          "lb-access-logs",
			Controls:      []string{"ELB.5"},
			Description:   "In production load balancers write access logs to S3 (accessLogs.enabled with a bucket).",
			Level:         Mandatory,
			Scope:         ProductionOnly,
			Types:         lbs,
			CheckResource: lbAccessLogs,
		},
	}
}

// listenerProtocol is a listener's protocol, HTTP when absent (the ALB default); known is false when unknown.
func listenerProtocol(r policyx.AnalyzerResource) (string, bool) {
	p, known := str(prop(r, "protocol"))
	if p == "" {
		p = "HTTP"
	}
	return strings.ToUpper(p), known
}

func httpListenerRedirects(_ Env, r policyx.AnalyzerResource) []string {
	if p, known := listenerProtocol(r); !known || p != "HTTP" {
		return nil
	}
	actions := prop(r, "defaultActions")
	if actions.IsComputed() {
		return nil
	}
	var out []string
	for i, a := range items(actions) {
		if !a.IsMap() {
			continue
		}
		t, tKnown := str(get(a.AsMap(), "type"))
		proto, pKnown := str(get(a.AsMap(), "redirect.protocol"))
		if !tKnown || !pKnown {
			continue
		}
		if t != "redirect" || !strings.EqualFold(proto, "HTTPS") {
			out = append(out, fmt.Sprintf("defaultActions[%d] is %q, not a redirect to HTTPS: serve the application on an "+
				"HTTPS listener and make this one redirect (type redirect, redirect.protocol HTTPS, statusCode HTTP_301)", i, t))
		}
	}
	if len(items(actions)) == 0 {
		out = append(out, "the HTTP listener has no default action: make it redirect to HTTPS")
	}
	return out
}

func httpsListenerTLSPolicy(_ Env, r policyx.AnalyzerResource) []string {
	if p, known := listenerProtocol(r); !known || (p != "HTTPS" && p != "TLS") {
		return nil
	}
	policy, known := str(prop(r, "sslPolicy"))
	if !known || slices.Contains(TLSPolicies, policy) {
		return nil
	}
	if policy == "" {
		return []string{"sslPolicy is absent, so AWS applies ELBSecurityPolicy-2016-08 (TLS 1.0): set it to " +
			"ELBSecurityPolicy-TLS13-1-2-2021-06 or another TLS 1.2+ policy"}
	}
	return []string{fmt.Sprintf("sslPolicy %q accepts TLS below 1.2 or is not in the allow-list: use "+
		"ELBSecurityPolicy-TLS13-1-2-2021-06 or another TLS 1.2+ policy", policy)}
}

// application reports whether a load balancer is an ALB (the default type).
func application(r policyx.AnalyzerResource) bool {
	t, known := str(prop(r, "loadBalancerType"))
	return known && (t == "" || t == "application")
}

func albDropsInvalidHeaders(_ Env, r policyx.AnalyzerResource) []string {
	if application(r) && knownFalse(prop(r, "dropInvalidHeaderFields")) {
		return []string{"dropInvalidHeaderFields is not true: set it to true"}
	}
	return nil
}

func lbDeletionProtection(_ Env, r policyx.AnalyzerResource) []string {
	if knownFalse(prop(r, "enableDeletionProtection")) {
		return []string{"enableDeletionProtection is not true in production: set it to true"}
	}
	return nil
}

func lbAccessLogs(_ Env, r policyx.AnalyzerResource) []string {
	if knownFalse(prop(r, "accessLogs.enabled")) || !set(prop(r, "accessLogs.bucket")) {
		return []string{"access logs are off in production: set accessLogs with enabled = true and an S3 bucket " +
			"that grants the ELB log delivery service write access"}
	}
	return nil
}
