package awssim

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// Route 53: hosted zones, health checks and records, including the failover routing that a disaster-recovery
// setup relies on. Route 53 is global: the region recorded for these resources is only the region of the
// provider they were registered with.

func init() {
	models["aws:route53/zone:Zone"] = route53ZoneModel
	models["aws:route53/healthCheck:HealthCheck"] = route53HealthCheckModel
	models["aws:route53/record:Record"] = route53RecordModel
}

var (
	route53ZoneID = regexp.MustCompile(`^Z[A-Z0-9]{1,31}$`)
	route53UUID   = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
)

func route53ZoneModel(s *Sim, r *Resource) (string, resource.PropertyMap, error) {
	name := strings.TrimSuffix(stringInput(r.Inputs, "name"), ".")
	if !strings.Contains(name, ".") || len(name) > 253 {
		return "", nil, refuse("InvalidDomainName", "%q is not a valid domain name for a hosted zone", name)
	}
	id := "Z" + rdsUpper(s, r.URN, 20)
	var ns []any
	for i, tld := range []string{"com", "net", "org", "co.uk"} {
		ns = append(ns, fmt.Sprintf("ns-%d.awsdns-%02d.%s", 100+i*500, i*17%64, tld))
	}
	return id, echo(r, map[string]any{"zoneId": id, "arn": "arn:aws:route53:::hostedzone/" + id,
		"nameServers": ns, "primaryNameServer": ns[0]}), nil
}

var route53CheckTypes = map[string]bool{"HTTP": true, "HTTPS": true, "HTTP_STR_MATCH": true,
	"HTTPS_STR_MATCH": true, "TCP": true, "CALCULATED": true, "CLOUDWATCH_METRIC": true, "RECOVERY_CONTROL": true}

func route53HealthCheckModel(s *Sim, r *Resource) (string, resource.PropertyMap, error) {
	in := r.Inputs
	typ := stringInput(in, "type")
	if !route53CheckTypes[typ] {
		return "", nil, refuse("InvalidInput", "Invalid health check type %q", typ)
	}
	endpoint := typ == "HTTP" || typ == "HTTPS" || strings.HasSuffix(typ, "_STR_MATCH") || typ == "TCP"
	if endpoint {
		if !rdsHas(in, "fqdn") && !rdsHas(in, "ipAddress") {
			return "", nil, refuse("InvalidInput", "A %s health check needs an endpoint: set fqdn or ipAddress", typ)
		}
		if p := stringInput(in, "resourcePath"); typ != "TCP" && p != "" && (!strings.HasPrefix(p, "/") || len(p) > 255) {
			return "", nil, refuse("InvalidInput", "ResourcePath %q must begin with / and be at most 255 "+
				"characters", p)
		}
		if strings.HasSuffix(typ, "_STR_MATCH") && stringInput(in, "searchString") == "" {
			return "", nil, refuse("InvalidInput", "A %s health check needs a searchString", typ)
		}
	}
	if f, ok := numberInput(in, "failureThreshold"); ok && (f < 1 || f > 10) {
		return "", nil, refuse("InvalidInput", "FailureThreshold %v must be between 1 and 10", f)
	}
	if i, ok := numberInput(in, "requestInterval"); ok && i != 10 && i != 30 {
		return "", nil, refuse("InvalidInput", "RequestInterval %v must be 10 or 30 (seconds)", i)
	}
	if regions := stringsInput(in, "regions"); len(regions) > 0 && len(regions) < 3 {
		return "", nil, refuse("InvalidInput", "A health check checks from at least 3 regions, got %d", len(regions))
	}
	id := s.uuidFrom(r.URN)
	out := echo(r, map[string]any{"arn": "arn:aws:route53:::healthcheck/" + id})
	if endpoint {
		port := 80
		if strings.HasPrefix(typ, "HTTPS") {
			port = 443
		}
		setDefault(out, "port", port)
		setDefault(out, "failureThreshold", 3)
		setDefault(out, "requestInterval", 30)
	}
	if strings.HasPrefix(typ, "HTTPS") {
		setDefault(out, "enableSni", true)
	}
	return id, out, nil
}

var route53RecordTypes = map[string]bool{"A": true, "AAAA": true, "CAA": true, "CNAME": true, "DS": true,
	"MX": true, "NAPTR": true, "NS": true, "PTR": true, "SOA": true, "SPF": true, "SRV": true, "TXT": true}

func route53RecordModel(s *Sim, r *Resource) (string, resource.PropertyMap, error) {
	in := r.Inputs
	zoneID := stringInput(in, "zoneId")
	name := strings.TrimSuffix(strings.ToLower(stringInput(in, "name")), ".")
	typ := stringInput(in, "type")
	setID := stringInput(in, "setIdentifier")
	if known(in, "zoneId") && !route53ZoneID.MatchString(zoneID) {
		return "", nil, refuse("NoSuchHostedZone", "No hosted zone found with ID: %s", zoneID)
	}
	if name == "" {
		return "", nil, refuse("InvalidInput", "A record needs a name")
	}
	if !route53RecordTypes[typ] {
		return "", nil, refuse("InvalidInput", "Invalid record type %q", typ)
	}
	fqdn := name
	for _, z := range s.graph.byURN {
		if z.Type == "aws:route53/zone:Zone" && z.ID == zoneID {
			domain := strings.TrimSuffix(strings.ToLower(stringInput(z.Inputs, "name")), ".")
			if !strings.Contains(name, ".") {
				fqdn = name + "." + domain
			} else if name != domain && !strings.HasSuffix(name, "."+domain) {
				return "", nil, refuse("InvalidChangeBatch", "RRSet with DNS name %s is not permitted in zone %s",
					name, domain)
			}
		}
	}

	aliases := objectsInput(in, "aliases")
	hasRecords := rdsHas(in, "records")
	switch {
	case len(aliases) > 0 && (hasRecords || rdsHas(in, "ttl")):
		return "", nil, refuse("InvalidChangeBatch", "An alias record %s cannot also have records or a ttl", name)
	case len(aliases) == 0 && !hasRecords:
		return "", nil, refuse("InvalidChangeBatch", "Record %s needs records (and a ttl) or an alias", name)
	case len(aliases) == 0 && !rdsHas(in, "ttl"):
		return "", nil, refuse("InvalidChangeBatch", "Record %s of type %s needs a ttl", name, typ)
	case len(aliases) > 1:
		return "", nil, refuse("InvalidChangeBatch", "A record has at most one alias target")
	}
	evaluate := false
	for _, a := range aliases {
		if stringInput(a, "name") == "" && !rdsHas(a, "name") {
			return "", nil, refuse("InvalidChangeBatch", "Alias target of %s needs a DNS name", name)
		}
		if !rdsHas(a, "zoneId") || (known(a, "zoneId") && !route53ZoneID.MatchString(stringInput(a, "zoneId"))) {
			return "", nil, refuse("InvalidChangeBatch", "Alias target of %s needs the hosted zone id of the "+
				"target (an ELB's zoneId, e.g. Z1H1FL5HABSF5), got %q", name, stringInput(a, "zoneId"))
		}
		evaluate = boolInput(a, "evaluateTargetHealth", false)
	}

	policies := 0
	for _, k := range []string{"failoverRoutingPolicies", "weightedRoutingPolicies", "latencyRoutingPolicies",
		"geolocationRoutingPolicies", "geoproximityRoutingPolicy", "cidrRoutingPolicy"} {
		if rdsHas(in, k) {
			policies++
		}
	}
	if boolInput(in, "multivalueAnswerRoutingPolicy", false) {
		policies++
	}
	switch {
	case policies > 1:
		return "", nil, refuse("InvalidInput", "Record %s has more than one routing policy", name)
	case policies == 1 && setID == "" && !rdsHas(in, "setIdentifier"):
		return "", nil, refuse("InvalidInput", "Record %s has a routing policy and needs a setIdentifier to "+
			"tell its record sets apart", name)
	case policies == 0 && setID != "":
		return "", nil, refuse("InvalidInput", "Record %s has a setIdentifier but no routing policy", name)
	case len(setID) > 128:
		return "", nil, refuse("InvalidInput", "setIdentifier of %s is longer than 128 characters", name)
	}

	hc := stringInput(in, "healthCheckId")
	if known(in, "healthCheckId") && !route53UUID.MatchString(hc) {
		return "", nil, refuse("NoSuchHealthCheck", "A health check with id %s does not exist", hc)
	}
	failover := ""
	for _, p := range objectsInput(in, "failoverRoutingPolicies") {
		failover = stringInput(p, "type")
	}
	if rdsHas(in, "failoverRoutingPolicies") {
		switch failover {
		case "PRIMARY":
			// Route 53 would accept a PRIMARY without a health check, but then treats it as always healthy
			// and never fails over: refused here because a failover record set that cannot fail over is a bug.
			if !rdsHas(in, "healthCheckId") && !evaluate {
				return "", nil, refuse("InvalidInput", "The PRIMARY failover record %s has no health check and "+
					"does not evaluate its alias target's health, so Route 53 would never fail over: set "+
					"healthCheckId", name)
			}
		case "SECONDARY":
		default:
			return "", nil, refuse("InvalidInput", "Failover type %q must be PRIMARY or SECONDARY", failover)
		}
	}

	for _, other := range s.graph.byURN {
		if other.Type != r.Type || stringInput(other.Inputs, "zoneId") != zoneID || stringInput(other.Inputs, "type") != typ ||
			stringInput(other.Outputs, "fqdn") != fqdn {
			continue
		}
		if stringInput(other.Inputs, "setIdentifier") == setID {
			return "", nil, refuse("InvalidChangeBatch", "Tried to create resource record set [name='%s.', "+
				"type='%s', set-identifier='%s'] but it already exists", fqdn, typ, setID)
		}
		for _, p := range objectsInput(other.Inputs, "failoverRoutingPolicies") {
			if failover != "" && stringInput(p, "type") == failover {
				return "", nil, refuse("InvalidChangeBatch", "A %s failover record for %s already exists "+
					"(set-identifier %s)", failover, fqdn, stringInput(other.Inputs, "setIdentifier"))
			}
		}
	}

	id := strings.Join([]string{zoneID, name, typ}, "_")
	if setID != "" {
		id += "_" + setID
	}
	return id, echo(r, map[string]any{"fqdn": fqdn}), nil
}

// failoverOnShallowHealth finds PRIMARY failover records whose health check requests, on the load balancer
// they alias, the very path that load balancer's target group checks on its instances. That path is the one
// an instance must answer to stay in service, so it cannot depend on the application's database: AWS
// accepts the health check, but an application or database failure behind the load balancer never fails
// over (Route 53 DNS failover acts on what the health check sees: Route 53 developer guide, "How Amazon
// Route 53 determines whether a health check is healthy").
func (g *Graph) failoverOnShallowHealth() []string {
	sim := &Sim{graph: g}
	var out []string
	for _, rec := range g.byURN {
		if rec.Type != "aws:route53/record:Record" || stringInput(rec.Inputs, "failoverRoutingPolicies.0.type") != "PRIMARY" {
			continue
		}
		check := g.byID[stringInput(rec.Inputs, "healthCheckId")]
		if check == nil || check.Type != "aws:route53/healthCheck:HealthCheck" || !known(check.Inputs, "fqdn") {
			continue
		}
		path := firstNonEmpty(stringInput(check.Inputs, "resourcePath"), "/")
		for _, lb := range g.byURN {
			if lb.Type != "aws:lb/loadBalancer:LoadBalancer" || stringInput(lb.Outputs, "dnsName") != stringInput(check.Inputs, "fqdn") {
				continue
			}
			for _, tg := range g.byURN {
				if tg.Type == "aws:lb/targetGroup:TargetGroup" && sim.loadBalancerOfTargetGroup(tg.ID) == lb.ID &&
					firstNonEmpty(stringInput(tg.Inputs, "healthCheck.path"), "/") == path {
					out = append(out, fmt.Sprintf("%s: PRIMARY failover record's health check %s requests %s, the "+
						"path the load balancer's target group checks to keep instances in service: AWS accepts it, "+
						"but that path cannot depend on the database, so an application or database failure never "+
						"fails over. Check a readiness path that answers only when the application reaches its "+
						"database.", rec.URN, check.ID, path))
				}
			}
		}
	}
	return out
}
