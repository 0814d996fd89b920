package awssim

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// Elastic Load Balancing v2: application load balancers, target groups and listeners. ARNs, ARN suffixes,
// DNS names and hosted zone ids follow AWS's formats exactly, because programs build CloudWatch dimensions,
// scaling-policy resource labels and Route 53 aliases from them.

func init() {
	models["aws:lb/loadBalancer:LoadBalancer"] = loadBalancerModel
	models["aws:lb/targetGroup:TargetGroup"] = targetGroupModel
	models["aws:lb/listener:Listener"] = listenerModel
}

// elbHostedZoneIDs are the canonical hosted zone ids of application (and classic) load balancers per region,
// as the ELB endpoints page of the AWS General Reference lists them (https://docs.aws.amazon.com/general/latest/gr/elb.html;
// the Terraform AWS provider's aws_elb_hosted_zone_id table agrees): what a Route 53 alias record needs.
var elbHostedZoneIDs = map[string]string{
	"us-east-1":      "Z35SXDOTRQ7X7K",
	"us-east-2":      "Z3AADJGX6KTTL2",
	"us-west-1":      "Z368ELLRRE2KJ0",
	"us-west-2":      "Z1H1FL5HABSF5",
	"ca-central-1":   "ZQSVJUPU6J1EY",
	"ca-west-1":      "Z06473681N0SF6OS049SD",
	"mx-central-1":   "Z023552324OKD1BB28BH5",
	"sa-east-1":      "Z2P70J7HTTTPLU",
	"af-south-1":     "Z268VQBMOI5EKX",
	"eu-west-1":      "Z32O12XQLNTSW2",
	"eu-west-2":      "ZHURV8PSTC4K8",
	"eu-west-3":      "Z3Q77PNBQS71R4",
	"eu-central-1":   "Z215JYRZR1TBD5",
	"eu-central-2":   "Z06391101F2ZOEP8P5EB3",
	"eu-north-1":     "Z23TAZ6LKFMNIO",
	"eu-south-1":     "Z3ULH7SSC9OV64",
	"eu-south-2":     "Z0956581394HF5D5LXGAP",
	"il-central-1":   "Z09170902867EHPV2DABU",
	"me-south-1":     "ZS929ML54UICD",
	"me-central-1":   "Z08230872XQRWHG2XF6I",
	"ap-east-1":      "Z3DQVH9N71FHZ0",
	"ap-east-2":      "Z02789141MW7T1WBU19PO",
	"ap-south-1":     "ZP97RAFLXTNZK",
	"ap-south-2":     "Z0173938T07WNTVAEPZN",
	"ap-northeast-1": "Z14GRHDCWA56QT",
	"ap-northeast-2": "ZWKZPGTI48KDX",
	"ap-northeast-3": "Z5LXEXXYW11ES",
	"ap-southeast-1": "Z1LMS91P8CMLE5",
	"ap-southeast-2": "Z1GM3OXH4ZPM65",
	"ap-southeast-3": "Z08888821HLRG5A9ZRTER",
	"ap-southeast-4": "Z09517862IB2WZLPXG76F",
	"ap-southeast-5": "Z06010284QMVVW7WO5J",
	"ap-southeast-6": "Z023301818UFJ50CIO0MV",
	"ap-southeast-7": "Z0390008CMBRTHFGWBCB",
}

// ELBHostedZoneID returns the canonical hosted zone id of application load balancers in region.
func ELBHostedZoneID(region string) string { return elbHostedZoneIDs[region] }

// elbLogAccounts are the Elastic Load Balancing accounts that write access logs in the regions that existed
// before August 2022 ("Enable access logs for your Application Load Balancer", ALB user guide). Newer regions
// use the service principal logdelivery.elasticloadbalancing.amazonaws.com instead.
var elbLogAccounts = map[string]string{
	"us-east-1":      "127311923021",
	"us-east-2":      "033677994240",
	"us-west-1":      "027434742980",
	"us-west-2":      "797873946194",
	"ca-central-1":   "985666609251",
	"eu-west-1":      "156460612806",
	"eu-west-2":      "652711504416",
	"eu-central-1":   "054676820928",
	"eu-north-1":     "897822967062",
	"ap-northeast-1": "582318560864",
	"ap-northeast-2": "600734575887",
	"ap-southeast-1": "114774131450",
	"ap-southeast-2": "783225319266",
	"sa-east-1":      "507241528517",
	"af-south-1":     "098369216593",
	"ap-east-1":      "754344448648",
	"ap-south-1":     "718504428378",
	"ap-northeast-3": "383597477331",
	"ap-southeast-3": "589379963580",
	"eu-west-3":      "009996457667",
	"eu-south-1":     "635631232127",
	"me-south-1":     "076674570225",
}

// ELBLogDeliveryAccount returns the account ELB writes access logs from in region, or "" where the service
// principal logdelivery.elasticloadbalancing.amazonaws.com does.
func ELBLogDeliveryAccount(region string) string { return elbLogAccounts[region] }

// elbSSLPolicies are the predefined security policies of HTTPS listeners on application load balancers.
var elbSSLPolicies = map[string]bool{
	"ELBSecurityPolicy-TLS13-1-2-2021-06":           true,
	"ELBSecurityPolicy-TLS13-1-2-Res-2021-06":       true,
	"ELBSecurityPolicy-TLS13-1-2-Ext1-2021-06":      true,
	"ELBSecurityPolicy-TLS13-1-2-Ext2-2021-06":      true,
	"ELBSecurityPolicy-TLS13-1-1-2021-06":           true,
	"ELBSecurityPolicy-TLS13-1-0-2021-06":           true,
	"ELBSecurityPolicy-TLS13-1-3-2021-06":           true,
	"ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04":      true,
	"ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04":      true,
	"ELBSecurityPolicy-TLS13-1-2-Res-FIPS-2023-04":  true,
	"ELBSecurityPolicy-TLS13-1-2-Ext0-FIPS-2023-04": true,
	"ELBSecurityPolicy-TLS13-1-2-Ext1-FIPS-2023-04": true,
	"ELBSecurityPolicy-TLS13-1-2-Ext2-FIPS-2023-04": true,
	"ELBSecurityPolicy-TLS13-1-1-FIPS-2023-04":      true,
	"ELBSecurityPolicy-TLS13-1-0-FIPS-2023-04":      true,
	"ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09":    true,
	"ELBSecurityPolicy-TLS13-1-2-PQ-2025-09":        true,
	"ELBSecurityPolicy-TLS13-1-3-PQ-2025-09":        true,
	"ELBSecurityPolicy-2016-08":                     true,
	"ELBSecurityPolicy-2015-05":                     true,
	"ELBSecurityPolicy-TLS-1-0-2015-04":             true,
	"ELBSecurityPolicy-TLS-1-1-2017-01":             true,
	"ELBSecurityPolicy-TLS-1-2-2017-01":             true,
	"ELBSecurityPolicy-TLS-1-2-Ext-2018-06":         true,
	"ELBSecurityPolicy-FS-2018-06":                  true,
	"ELBSecurityPolicy-FS-1-1-2019-08":              true,
	"ELBSecurityPolicy-FS-1-2-2019-08":              true,
	"ELBSecurityPolicy-FS-1-2-Res-2019-08":          true,
	"ELBSecurityPolicy-FS-1-2-Res-2020-10":          true,
}

// elbName is ELB's rule for load balancer and target group names.
var elbName = regexp.MustCompile(`^[a-zA-Z0-9]([a-zA-Z0-9-]{0,30}[a-zA-Z0-9])?$`)

// elbAutoName names a load balancer or target group the way the provider does: the program's name, or the
// logical name, a dash and seven random characters. Unlike most autonames the provider does not shorten a
// long logical name: it fails, and so does the simulation.
func (s *Sim) elbAutoName(r *Resource) (string, error) {
	if n := stringInput(r.Inputs, "name"); n != "" {
		return n, nil
	}
	if p := stringInput(r.Inputs, "namePrefix"); p != "" {
		if len(p) > 6 {
			return "", refuse("ValidationError", "namePrefix %q cannot be longer than 6 characters", p)
		}
		return p + s.hash(r.URN, 26), nil
	}
	prefix := r.Name + "-"
	if len(prefix)+7 > 32 {
		return "", fmt.Errorf("name '%s' plus 7 random chars is longer than maximum length 32: give the "+
			"resource a shorter logical name", prefix)
	}
	return prefix + s.hash(r.URN, 7), nil
}

func checkELBName(kind, name string) error {
	if len(name) > 32 {
		return refuse("ValidationError", "%s name '%s' cannot be longer than 32 characters", kind, name)
	}
	if !elbName.MatchString(name) {
		return refuse("ValidationError", "%s name '%s' can contain only alphanumeric characters and hyphens, "+
			"and must not begin or end with a hyphen", kind, name)
	}
	return nil
}

// elbDigits is the decimal part of a load balancer's DNS name (web-alb-1234567890.us-east-1.elb...).
func (s *Sim) elbDigits(r *Resource) string {
	n, _ := strconv.ParseUint(s.hash(r.URN+"/dns", 8), 16, 64)
	return strconv.FormatUint(1000000000+n%1000000000, 10)
}

func loadBalancerModel(s *Sim, r *Resource) (string, resource.PropertyMap, error) {
	name, err := s.elbAutoName(r)
	if err != nil {
		return "", nil, err
	}
	if err := checkELBName("Load balancer", name); err != nil {
		return "", nil, err
	}
	if strings.HasPrefix(name, "internal-") {
		return "", nil, refuse("ValidationError", "Load balancer name '%s' cannot begin with 'internal-'", name)
	}
	typ := stringInput(r.Inputs, "loadBalancerType")
	if typ == "" {
		typ = "application"
	}
	if typ != "application" && typ != "network" && typ != "gateway" {
		return "", nil, refuse("ValidationError", "Load balancer type '%s' must be application, network or gateway", typ)
	}
	internal := boolInput(r.Inputs, "internal", false)
	for _, other := range s.graph.byURN {
		if other.Type == r.Type && other.Region == r.Region && stringInput(other.Outputs, "name") == name {
			return "", nil, refuse("DuplicateLoadBalancerName", "A load balancer with the name '%s' already exists", name)
		}
	}

	subnetIDs := stringsInput(r.Inputs, "subnets")
	for _, m := range objectsInput(r.Inputs, "subnetMappings") {
		subnetIDs = append(subnetIDs, stringInput(m, "subnetId"))
	}
	var vpcID string
	if known(r.Inputs, "subnets") || known(r.Inputs, "subnetMappings") {
		azs := map[string]bool{}
		for _, id := range subnetIDs {
			sn, err := s.byIDOfType(id, "aws:ec2/subnet:Subnet", "SubnetNotFound", r.Region)
			if err != nil {
				return "", nil, err
			}
			v := stringInput(sn.Inputs, "vpcId")
			if vpcID != "" && v != vpcID {
				return "", nil, refuse("InvalidConfigurationRequest", "The subnets of a load balancer must belong "+
					"to one VPC: subnet %s is in %s, another in %s", id, v, vpcID)
			}
			vpcID = v
			az := stringInput(sn.Outputs, "availabilityZone")
			if azs[az] {
				return "", nil, refuse("InvalidConfigurationRequest", "A load balancer cannot be attached to "+
					"multiple subnets in the same Availability Zone (%s)", az)
			}
			azs[az] = true
		}
		if typ == "application" && len(azs) < 2 {
			return "", nil, refuse("ValidationError", "At least two subnets in two different Availability "+
				"Zones must be specified")
		}
	}
	if known(r.Inputs, "securityGroups") {
		for _, id := range stringsInput(r.Inputs, "securityGroups") {
			sg, err := s.byIDOfType(id, "aws:ec2/securityGroup:SecurityGroup", "SecurityGroupNotFound", r.Region)
			if err != nil {
				return "", nil, err
			}
			if v := stringInput(sg.Inputs, "vpcId"); vpcID != "" && v != vpcID {
				return "", nil, refuse("InvalidConfigurationRequest", "Security group %s is in %s, not in the "+
					"load balancer's VPC %s", id, v, vpcID)
			}
		}
	}
	if t, ok := numberInput(r.Inputs, "idleTimeout"); ok && (t < 1 || t > 4000) {
		return "", nil, refuse("ValidationError", "idle_timeout.timeout_seconds %v must be between 1 and 4000", t)
	}
	if u, ok := numberInput(r.Inputs, "minimumLoadBalancerCapacity.capacityUnits"); ok && u <= 0 {
		return "", nil, refuse("ValidationError", "Capacity units %v must be a positive number", u)
	}
	if boolInput(r.Inputs, "accessLogs.enabled", false) && typ == "application" {
		if err := s.checkAccessLogBucket(r, stringInput(r.Inputs, "accessLogs.bucket")); err != nil {
			return "", nil, err
		}
	}

	suffix := fmt.Sprintf("%s/%s/%s", typ[:3], name, s.hash(r.URN, 16))
	if typ == "application" {
		suffix = "app/" + name + "/" + s.hash(r.URN, 16)
	}
	a := arn("elasticloadbalancing", r.Region, "loadbalancer/"+suffix)
	dns := fmt.Sprintf("%s-%s.%s.elb.amazonaws.com", name, s.elbDigits(r), r.Region)
	if internal {
		dns = "internal-" + dns
	}
	scheme := "internet-facing"
	if internal {
		scheme = "internal"
	}
	out := echo(r, map[string]any{
		"arn": a, "arnSuffix": suffix, "name": name, "dnsName": dns, "zoneId": ELBHostedZoneID(r.Region),
		"loadBalancerType": typ, "internal": internal, "scheme": scheme,
	})
	if vpcID != "" {
		out["vpcId"] = resource.NewProperty(vpcID)
	}
	setDefault(out, "ipAddressType", "ipv4")
	setDefault(out, "idleTimeout", 60)
	setDefault(out, "enableHttp2", true)
	setDefault(out, "enableDeletionProtection", false)
	setDefault(out, "dropInvalidHeaderFields", false)
	return a, out, nil
}

// checkAccessLogBucket refuses access logs to a bucket ELB cannot write to: AWS tests the bucket when the
// attribute is set and answers "Access Denied for bucket".
func (s *Sim) checkAccessLogBucket(r *Resource, bucket string) error {
	if !known(r.Inputs, "accessLogs") {
		return nil
	}
	b := s.bucketByName(bucket)
	if b == nil {
		return refuse("InvalidConfigurationRequest", "The specified bucket does not exist: %s", bucket)
	}
	if b.Region != r.Region {
		return refuse("InvalidConfigurationRequest", "Access logs bucket %s is in %s: it must be in the load "+
			"balancer's region %s", bucket, b.Region, r.Region)
	}
	policy := s.bucketPolicyOf(bucket)
	principal := "logdelivery.elasticloadbalancing.amazonaws.com"
	if acct := ELBLogDeliveryAccount(r.Region); acct != "" {
		principal = "arn:aws:iam::" + acct + ":root"
	}
	if !strings.Contains(policy, principal) || !strings.Contains(policy, "s3:PutObject") {
		return refuse("InvalidConfigurationRequest", "Access Denied for bucket: %s. Please check S3bucket "+
			"permission: its policy must let %s put objects (register the bucket policy before the load "+
			"balancer)", bucket, principal)
	}
	return nil
}

var (
	httpMatcher       = regexp.MustCompile(`^\d{3}(-\d{3})?(,\d{3}(-\d{3})?)*$`)
	healthCheckProtos = map[string]bool{"HTTP": true, "HTTPS": true, "TCP": true}
	tgProtocols       = map[string]bool{"HTTP": true, "HTTPS": true, "TCP": true, "TLS": true, "UDP": true, "TCP_UDP": true, "GENEVE": true}
)

// inRange refuses a number outside [lo, hi] with ELB's wording.
func inRange(m resource.PropertyMap, key, field string, lo, hi float64) error {
	if v, ok := numberInput(m, key); ok && (v < lo || v > hi) {
		return refuse("ValidationError", "%s %v must be between %v and %v", field, v, lo, hi)
	}
	return nil
}

func targetGroupModel(s *Sim, r *Resource) (string, resource.PropertyMap, error) {
	name, err := s.elbAutoName(r)
	if err != nil {
		return "", nil, err
	}
	if err := checkELBName("Target group", name); err != nil {
		return "", nil, err
	}
	targetType := stringInput(r.Inputs, "targetType")
	if targetType == "" {
		targetType = "instance"
	}
	protocol := stringInput(r.Inputs, "protocol")
	if targetType != "lambda" {
		if protocol == "" || !tgProtocols[protocol] {
			return "", nil, refuse("ValidationError", "A target group of type %s needs a protocol (HTTP, HTTPS, "+
				"TCP, ...), got %q", targetType, protocol)
		}
		if _, ok := numberInput(r.Inputs, "port"); !ok {
			return "", nil, refuse("ValidationError", "A port must be specified for a target group of type %s", targetType)
		}
		if !known(r.Inputs, "vpcId") && !r.Inputs.ContainsUnknowns() {
			return "", nil, refuse("ValidationError", "A VPC ID must be specified for a target group of type %s", targetType)
		}
	}
	checks := []error{
		inRange(r.Inputs, "port", "Port", 1, 65535),
		inRange(r.Inputs, "deregistrationDelay", "Deregistration delay", 0, 3600),
		inRange(r.Inputs, "healthCheck.healthyThreshold", "Healthy threshold count", 2, 10),
		inRange(r.Inputs, "healthCheck.unhealthyThreshold", "Unhealthy threshold count", 2, 10),
		inRange(r.Inputs, "healthCheck.interval", "Health check interval", 5, 300),
		inRange(r.Inputs, "healthCheck.timeout", "Health check timeout", 2, 120),
	}
	for _, err := range checks {
		if err != nil {
			return "", nil, err
		}
	}
	if v, ok := numberInput(r.Inputs, "slowStart"); ok && v != 0 && (v < 30 || v > 900) {
		return "", nil, refuse("ValidationError", "Slow start duration %v must be 0 (off) or between 30 and 900 seconds", v)
	}
	if known(r.Inputs, "vpcId") {
		if _, err := s.vpcByID(r); err != nil {
			return "", nil, err
		}
	}
	hc := r.Input("healthCheck")
	hcProtocol := stringInput(r.Inputs, "healthCheck.protocol")
	if hcProtocol == "" {
		hcProtocol = protocol
	}
	if hc.IsObject() {
		if hcProtocol != "" && !healthCheckProtos[hcProtocol] {
			return "", nil, refuse("ValidationError", "Health check protocol '%s' must be HTTP, HTTPS or TCP", hcProtocol)
		}
		path := stringInput(r.Inputs, "healthCheck.path")
		if path != "" && !strings.HasPrefix(path, "/") {
			return "", nil, refuse("ValidationError", "Health check path '%s' must begin with a '/' character", path)
		}
		if len(path) > 1024 {
			return "", nil, refuse("ValidationError", "Health check path cannot be longer than 1024 characters")
		}
		if m := stringInput(r.Inputs, "healthCheck.matcher"); m != "" && hcProtocol != "TCP" && !httpMatcher.MatchString(m) {
			return "", nil, refuse("ValidationError", "Health check matcher HTTP code '%s' must be a code (200), "+
				"a list (200,202) or a range (200-299)", m)
		}
		interval, hasInterval := numberInput(r.Inputs, "healthCheck.interval")
		timeout, hasTimeout := numberInput(r.Inputs, "healthCheck.timeout")
		if hasInterval && hasTimeout && interval <= timeout {
			return "", nil, refuse("ValidationError", "Health check interval (%v) must be greater than the "+
				"timeout (%v)", interval, timeout)
		}
		if p := stringInput(r.Inputs, "healthCheck.port"); p != "" && p != "traffic-port" {
			if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
				return "", nil, refuse("ValidationError", "Health check port '%s' must be traffic-port or 1-65535", p)
			}
		}
	}
	for _, other := range s.graph.byURN {
		if other.Type == r.Type && other.Region == r.Region && stringInput(other.Outputs, "name") == name {
			return "", nil, refuse("DuplicateTargetGroupName", "A target group with the same name '%s' exists, "+
				"but with different settings", name)
		}
	}
	suffix := "targetgroup/" + name + "/" + s.hash(r.URN, 16)
	a := arn("elasticloadbalancing", r.Region, suffix)
	out := echo(r, map[string]any{"arn": a, "arnSuffix": suffix, "name": name, "targetType": targetType})
	setDefault(out, "deregistrationDelay", 300)
	setDefault(out, "slowStart", 0)
	setDefault(out, "loadBalancingAlgorithmType", "round_robin")
	return a, out, nil
}

var (
	acmOrIAMCertificate = regexp.MustCompile(`^arn:aws[a-z-]*:(acm:([a-z0-9-]+):\d{12}:certificate/[0-9a-f-]{36}|iam::\d{12}:server-certificate/.+)$`)
	redirectStatus      = map[string]bool{"HTTP_301": true, "HTTP_302": true}
)

func listenerModel(s *Sim, r *Resource) (string, resource.PropertyMap, error) {
	var lb *Resource
	if known(r.Inputs, "loadBalancerArn") {
		var err error
		lb, err = s.byIDOfType(stringInput(r.Inputs, "loadBalancerArn"), "aws:lb/loadBalancer:LoadBalancer", "LoadBalancerNotFound", r.Region)
		if err != nil {
			return "", nil, err
		}
	}
	protocol := stringInput(r.Inputs, "protocol")
	if protocol == "" {
		protocol = "HTTP"
	}
	if lb != nil && stringInput(lb.Outputs, "loadBalancerType") == "application" && protocol != "HTTP" && protocol != "HTTPS" {
		return "", nil, refuse("ValidationError", "Listener protocol '%s' must be HTTP or HTTPS for an "+
			"application load balancer", protocol)
	}
	port, hasPort := numberInput(r.Inputs, "port")
	if !hasPort {
		return "", nil, refuse("ValidationError", "A listener port must be specified")
	}
	if err := inRange(r.Inputs, "port", "Listener port", 1, 65535); err != nil {
		return "", nil, err
	}
	cert := stringInput(r.Inputs, "certificateArn")
	policy := stringInput(r.Inputs, "sslPolicy")
	if protocol == "HTTPS" || protocol == "TLS" {
		if cert == "" && !r.Inputs.ContainsUnknowns() {
			return "", nil, refuse("ValidationError", "A certificate must be specified for %s listeners", protocol)
		}
		if policy != "" && !elbSSLPolicies[policy] {
			return "", nil, refuse("SSLPolicyNotFound", "SSL policy '%s' not found", policy)
		}
	} else if cert != "" || policy != "" {
		return "", nil, refuse("ValidationError", "A certificate and an SSL policy cannot be specified for %s listeners", protocol)
	}
	if cert != "" && known(r.Inputs, "certificateArn") {
		m := acmOrIAMCertificate.FindStringSubmatch(cert)
		if m == nil {
			return "", nil, refuse("CertificateNotFound", "Certificate '%s' not found: not an ACM or IAM "+
				"certificate ARN", cert)
		}
		if m[2] != "" && m[2] != r.Region {
			return "", nil, refuse("CertificateNotFound", "Certificate '%s' not found: it is in %s, and a "+
				"listener can only use an ACM certificate of its own region (%s)", cert, m[2], r.Region)
		}
	}
	if lb != nil {
		for _, other := range s.graph.byURN {
			if other.Type == r.Type && stringInput(other.Inputs, "loadBalancerArn") == lb.ID {
				if p, _ := numberInput(other.Inputs, "port"); p == port {
					return "", nil, refuse("DuplicateListener", "A listener already exists on this port (%v) for "+
						"load balancer '%s'", port, lb.ID)
				}
			}
		}
	}
	actions := objectsInput(r.Inputs, "defaultActions")
	if len(actions) == 0 && known(r.Inputs, "defaultActions") {
		return "", nil, refuse("ValidationError", "A listener needs at least one default action")
	}
	for _, a := range actions {
		if err := s.checkListenerAction(r, lb, protocol, port, a); err != nil {
			return "", nil, err
		}
	}
	lbSuffix := "app/unknown/0000000000000000"
	if lb != nil {
		lbSuffix = stringInput(lb.Outputs, "arnSuffix")
	}
	a := arn("elasticloadbalancing", r.Region, "listener/"+lbSuffix+"/"+s.hash(r.URN, 16))
	out := echo(r, map[string]any{"arn": a, "protocol": protocol})
	if protocol == "HTTPS" && policy == "" {
		out["sslPolicy"] = resource.NewProperty("ELBSecurityPolicy-2016-08")
	}
	return a, out, nil
}

// ForwardTargetGroups returns the target group ARNs a listener action forwards to, in either form the
// provider accepts (targetGroupArn, or forward.targetGroups).
func forwardTargetGroups(action resource.PropertyMap) []string {
	var out []string
	if a := stringInput(action, "targetGroupArn"); a != "" {
		out = append(out, a)
	}
	for _, tg := range objectsInput(action, "forward.targetGroups") {
		out = append(out, stringInput(tg, "arn"))
	}
	return out
}

func (s *Sim) checkListenerAction(r, lb *Resource, protocol string, port float64, a resource.PropertyMap) error {
	switch typ := stringInput(a, "type"); typ {
	case "forward":
		tgs := forwardTargetGroups(a)
		if len(tgs) == 0 && !a.ContainsUnknowns() {
			return refuse("ValidationError", "A forward action needs a target group")
		}
		// Elastic Load Balancing API Reference, TargetGroupTuple: "Weight: The weight. The range is 0 to 999."
		for _, tg := range objectsInput(a, "forward.targetGroups") {
			if w, ok := numberInput(tg, "weight"); ok && (w < 0 || w > 999) {
				return refuse("ValidationError", "Target group weight %v is out of range: the range is 0 to 999", w)
			}
		}
		for _, arn := range tgs {
			tg, err := s.byIDOfType(arn, "aws:lb/targetGroup:TargetGroup", "TargetGroupNotFound", r.Region)
			if err != nil {
				return err
			}
			if lb == nil {
				continue
			}
			if v := stringInput(lb.Outputs, "vpcId"); v != "" && stringInput(tg.Inputs, "vpcId") != v {
				return refuse("ValidationError", "Target group '%s' is in VPC %s and the load balancer in %s: "+
					"they must be in the same VPC", arn, stringInput(tg.Inputs, "vpcId"), v)
			}
			if other := s.loadBalancerOfTargetGroup(arn); other != "" && other != lb.ID {
				return refuse("TargetGroupAssociationLimit", "The following target groups cannot be associated "+
					"with more than one load balancer: %s", arn)
			}
		}
	case "redirect":
		if !lookup(a, "redirect").IsObject() {
			return refuse("ValidationError", "A redirect action needs a redirect configuration")
		}
		status := stringInput(a, "redirect.statusCode")
		if !redirectStatus[status] {
			return refuse("ValidationError", "Redirect status code '%s' must be HTTP_301 or HTTP_302", status)
		}
		toProtocol := stringInput(a, "redirect.protocol")
		if toProtocol != "" && toProtocol != "HTTP" && toProtocol != "HTTPS" && toProtocol != "#{protocol}" {
			return refuse("ValidationError", "Redirect protocol '%s' must be HTTP, HTTPS or #{protocol}", toProtocol)
		}
		toPort := stringInput(a, "redirect.port")
		if toPort != "" && toPort != "#{port}" {
			if n, err := strconv.Atoi(toPort); err != nil || n < 1 || n > 65535 {
				return refuse("ValidationError", "Redirect port '%s' must be 1-65535 or #{port}", toPort)
			}
		}
		if p := stringInput(a, "redirect.path"); p != "" && p != "#{path}" && !strings.HasPrefix(p, "/") {
			return refuse("ValidationError", "Redirect path '%s' must start with a '/'", p)
		}
		sameProtocol := toProtocol == "" || toProtocol == "#{protocol}" || toProtocol == protocol
		samePort := toPort == "" || toPort == "#{port}" || toPort == strconv.Itoa(int(port))
		sameRest := true
		for _, k := range []string{"host", "path", "query"} {
			if v := stringInput(a, "redirect."+k); v != "" && v != "#{"+k+"}" {
				sameRest = false
			}
		}
		if sameProtocol && samePort && sameRest {
			return refuse("ValidationError", "The redirect configuration is not valid: it redirects to the "+
				"same protocol, port, host, path and query, a loop")
		}
	case "fixed-response":
		code := stringInput(a, "fixedResponse.statusCode")
		if n, err := strconv.Atoi(code); err != nil || n < 200 || n > 599 {
			return refuse("ValidationError", "Fixed response status code '%s' must be 2XX, 4XX or 5XX", code)
		}
	case "authenticate-cognito", "authenticate-oidc":
		if protocol != "HTTPS" {
			return refuse("InvalidLoadBalancerAction", "Authenticate actions are only supported on HTTPS listeners")
		}
	default:
		return refuse("ValidationError", "Action type '%s' must be one of forward, redirect, fixed-response, "+
			"authenticate-cognito, authenticate-oidc", typ)
	}
	return nil
}

// loadBalancerOfTargetGroup returns the load balancer some listener already forwards tgARN from, or "".
func (s *Sim) loadBalancerOfTargetGroup(tgARN string) string {
	for _, l := range s.graph.byURN {
		if l.Type != "aws:lb/listener:Listener" {
			continue
		}
		for _, a := range objectsInput(l.Inputs, "defaultActions") {
			for _, tg := range forwardTargetGroups(a) {
				if tg == tgARN {
					return stringInput(l.Inputs, "loadBalancerArn")
				}
			}
		}
	}
	return ""
}
