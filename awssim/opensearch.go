package awssim

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// Amazon OpenSearch Service domains, and the service-linked role a VPC domain needs.

func init() {
	models["aws:opensearch/domain:Domain"] = openSearchDomainModel
	models["aws:iam/serviceLinkedRole:ServiceLinkedRole"] = serviceLinkedRoleModel
}

var (
	openSearchDomainName = regexp.MustCompile(`^[a-z][a-z0-9-]{2,27}$`)
	openSearchEngine     = regexp.MustCompile(`^(OpenSearch|Elasticsearch)_(\d+)\.(\d+)$`)
	openSearchTLS        = map[string]bool{"Policy-Min-TLS-1-0-2019-07": true, "Policy-Min-TLS-1-2-2019-07": true,
		"Policy-Min-TLS-1-2-PFS-2023-10": true}
	iamPrincipalARN = regexp.MustCompile(`^arn:aws:iam::\d{12}:(user|role)/[\w+=,.@/-]+$`)
)

// DefaultOpenSearchEngine is the version OpenSearch Service picks when the request names none.
const DefaultOpenSearchEngine = "OpenSearch_2.19"

func openSearchDomainModel(s *Sim, r *Resource) (string, resource.PropertyMap, error) {
	name := stringInput(r.Inputs, "domainName")
	if name == "" {
		name = strings.ToLower(s.autoName(r, "domainName", 28))
	}
	if !openSearchDomainName.MatchString(name) {
		return "", nil, refuse("ValidationException", "Domain name %q is invalid: it must start with a lowercase "+
			"letter and be 3-28 characters of lowercase letters, digits and hyphens", name)
	}
	if err := s.checkLogPublishing(r); err != nil {
		return "", nil, err
	}
	engine := firstNonEmpty(stringInput(r.Inputs, "engineVersion"), DefaultOpenSearchEngine)
	em := openSearchEngine.FindStringSubmatch(engine)
	if em == nil {
		return "", nil, refuse("ValidationException", "Invalid engine version %q: use OpenSearch_X.Y or "+
			"Elasticsearch_X.Y", engine)
	}

	instanceType := firstNonEmpty(stringInput(r.Inputs, "clusterConfig.instanceType"), "m4.large.search")
	if !strings.HasSuffix(instanceType, ".search") {
		return "", nil, refuse("ValidationException", "Invalid instance type %q: OpenSearch instance types end "+
			"in .search", instanceType)
	}
	count := 1.0
	if c, ok := numberInput(r.Inputs, "clusterConfig.instanceCount"); ok {
		count = c
	}
	if count < 1 {
		return "", nil, refuse("ValidationException", "instanceCount %v must be at least 1", count)
	}
	zoneAware := boolInput(r.Inputs, "clusterConfig.zoneAwarenessEnabled", false)
	azCount := 1.0
	if zoneAware {
		azCount = 2
		if c, ok := numberInput(r.Inputs, "clusterConfig.zoneAwarenessConfig.availabilityZoneCount"); ok {
			azCount = c
		}
		if azCount != 2 && azCount != 3 {
			return "", nil, refuse("ValidationException", "availabilityZoneCount %v must be 2 or 3", azCount)
		}
		if int(count)%int(azCount) != 0 {
			return "", nil, refuse("ValidationException", "You must choose a number of data nodes that is a "+
				"multiple of the number of Availability Zones (%v) for a zone-aware domain, got %v", azCount, count)
		}
	}
	if boolInput(r.Inputs, "clusterConfig.dedicatedMasterEnabled", false) {
		if c, ok := numberInput(r.Inputs, "clusterConfig.dedicatedMasterCount"); ok && c != 3 && c != 5 {
			return "", nil, refuse("ValidationException", "dedicatedMasterCount %v must be 3 or 5", c)
		}
	}

	if boolInput(r.Inputs, "ebsOptions.ebsEnabled", false) {
		size, ok := numberInput(r.Inputs, "ebsOptions.volumeSize")
		if !ok {
			return "", nil, refuse("ValidationException", "volumeSize is required when EBS is enabled")
		}
		if size < 10 {
			return "", nil, refuse("ValidationException", "Volume size %v GiB is below the minimum of 10 GiB", size)
		}
	}

	https := boolInput(r.Inputs, "domainEndpointOptions.enforceHttps", false)
	if tls := stringInput(r.Inputs, "domainEndpointOptions.tlsSecurityPolicy"); tls != "" && !openSearchTLS[tls] {
		return "", nil, refuse("ValidationException", "tlsSecurityPolicy %q is not one of "+
			"Policy-Min-TLS-1-0-2019-07, Policy-Min-TLS-1-2-2019-07, Policy-Min-TLS-1-2-PFS-2023-10", tls)
	}
	atRest := boolInput(r.Inputs, "encryptAtRest.enabled", false)
	n2n := boolInput(r.Inputs, "nodeToNodeEncryption.enabled", false)
	if boolInput(r.Inputs, "advancedSecurityOptions.enabled", false) {
		if !https || !atRest || !n2n {
			return "", nil, refuse("ValidationException", "Enable fine-grained access control requires "+
				"enforceHTTPS, node-to-node encryption and encryption at rest (https=%v, n2n=%v, at rest=%v)",
				https, n2n, atRest)
		}
		major, _ := strconv.Atoi(em[2])
		minor, _ := strconv.Atoi(em[3])
		if em[1] == "Elasticsearch" && (major < 6 || (major == 6 && minor < 7)) {
			return "", nil, refuse("ValidationException", "fine-grained access control needs Elasticsearch 6.7 "+
				"or later, or OpenSearch")
		}
		internalDB := boolInput(r.Inputs, "advancedSecurityOptions.internalUserDatabaseEnabled", false)
		master := stringInput(r.Inputs, "advancedSecurityOptions.masterUserOptions.masterUserArn")
		switch {
		case internalDB && (stringInput(r.Inputs, "advancedSecurityOptions.masterUserOptions.masterUserName") == "" ||
			lookup(r.Inputs, "advancedSecurityOptions.masterUserOptions.masterUserPassword").IsNull()):
			return "", nil, refuse("ValidationException", "With the internal user database, the master user "+
				"needs masterUserName and masterUserPassword")
		case !internalDB && master == "" && !r.Inputs.ContainsUnknowns():
			return "", nil, refuse("ValidationException", "Without the internal user database, the master user "+
				"must be an IAM ARN (masterUserArn)")
		case !internalDB && master != "" && !iamPrincipalARN.MatchString(master):
			return "", nil, refuse("ValidationException", "masterUserArn %q is not an IAM user or role ARN", master)
		}
	}
	if known(r.Inputs, "accessPolicies") {
		if err := policyDocument("accessPolicies", stringInput(r.Inputs, "accessPolicies")); err != nil {
			return "", nil, err
		}
	}

	vpcOut, err := s.openSearchVPC(r, zoneAware, azCount)
	if err != nil {
		return "", nil, err
	}
	domainARN := arn("es", r.Region, "domain/"+name)
	host := s.hash(r.URN, 26)
	prefix := "search-"
	if vpcOut != nil {
		prefix = "vpc-"
	}
	endpoint := fmt.Sprintf("%s%s-%s.%s.es.amazonaws.com", prefix, name, host, r.Region)
	out := echo(r, map[string]any{
		"arn": domainARN, "domainName": name, "domainId": AccountID + "/" + name, "engineVersion": engine,
		"endpoint": endpoint, "dashboardEndpoint": endpoint + "/_dashboards",
		"kibanaEndpoint": endpoint + "/_plugin/kibana/",
	})
	if vpcOut != nil {
		out["vpcOptions"] = resource.NewObjectProperty(vpcOut)
	}
	setDefault(out, "ipAddressType", "ipv4")
	return domainARN, out, nil
}

// openSearchVPC checks a domain's VPC options and returns them with the AZs and VPC filled in; nil for a
// public domain.
func (s *Sim) openSearchVPC(r *Resource, zoneAware bool, azCount float64) (resource.PropertyMap, error) {
	v := lookup(r.Inputs, "vpcOptions")
	if !v.IsObject() {
		return nil, nil
	}
	opts := v.ObjectValue().Copy()
	if v.ContainsUnknowns() {
		return opts, nil
	}
	subnets := stringsInput(opts, "subnetIds")
	want := 1
	if zoneAware {
		want = int(azCount)
	}
	if len(subnets) != want {
		return nil, refuse("ValidationException", "You must specify exactly %d subnet(s) because you've set "+
			"zone count to %d, got %d", want, want, len(subnets))
	}
	var vpcID string
	var azs []any
	seen := map[string]bool{}
	for _, id := range subnets {
		sn, err := s.byIDOfType(id, "aws:ec2/subnet:Subnet", "ValidationException", r.Region)
		if err != nil {
			return nil, refuse("ValidationException", "The subnet %s does not exist in %s", id, r.Region)
		}
		az := stringInput(sn.Outputs, "availabilityZone")
		if seen[az] {
			return nil, refuse("ValidationException", "You must specify subnets in different Availability Zones: "+
				"two are in %s", az)
		}
		seen[az] = true
		azs = append(azs, az)
		if v := stringInput(sn.Inputs, "vpcId"); vpcID == "" {
			vpcID = v
		} else if v != vpcID {
			return nil, refuse("ValidationException", "The subnets must all be in the same VPC")
		}
	}
	for _, id := range stringsInput(opts, "securityGroupIds") {
		sg, err := s.byIDOfType(id, "aws:ec2/securityGroup:SecurityGroup", "ValidationException", r.Region)
		if err != nil {
			return nil, refuse("ValidationException", "The security group %s does not exist in %s", id, r.Region)
		}
		if stringInput(sg.Inputs, "vpcId") != vpcID {
			return nil, refuse("ValidationException", "The security group %s is not in the subnets' VPC %s", id, vpcID)
		}
	}
	opts["availabilityZones"] = resource.NewProperty(resource.NewPropertyValue(azs).ArrayValue())
	opts["vpcId"] = resource.NewProperty(vpcID)
	return opts, nil
}

// serviceLinkedRoles maps the services the kit uses to their service-linked role's name.
var serviceLinkedRoles = map[string]string{
	"opensearchservice.amazonaws.com":    "AWSServiceRoleForAmazonOpenSearchService",
	"es.amazonaws.com":                   "AWSServiceRoleForAmazonElasticsearchService",
	"autoscaling.amazonaws.com":          "AWSServiceRoleForAutoScaling",
	"elasticloadbalancing.amazonaws.com": "AWSServiceRoleForElasticLoadBalancing",
	"rds.amazonaws.com":                  "AWSServiceRoleForRDS",
}

func serviceLinkedRoleModel(s *Sim, r *Resource) (string, resource.PropertyMap, error) {
	service := stringInput(r.Inputs, "awsServiceName")
	roleName, ok := serviceLinkedRoles[service]
	if !ok {
		return "", nil, refuse("InvalidInput", "Service %s has no service-linked role the simulation knows "+
			"(it knows %d services)", service, len(serviceLinkedRoles))
	}
	if suffix := stringInput(r.Inputs, "customSuffix"); suffix != "" {
		roleName += "_" + suffix
	}
	for _, other := range s.graph.byURN {
		if other.Type == r.Type && other.ID == roleName {
			return "", nil, refuse("InvalidInput", "Service role name %s has been taken in this account, please "+
				"try a different suffix.", roleName)
		}
	}
	path := "/aws-service-role/" + service + "/"
	out := echo(r, map[string]any{
		"name": roleName, "path": path, "uniqueId": "AROA" + s.hash(r.URN, 17),
		"arn":        fmt.Sprintf("arn:aws:iam::%s:role%s%s", AccountID, path, roleName),
		"createDate": "2026-01-01T00:00:00Z",
	})
	return roleName, out, nil
}
