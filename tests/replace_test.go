package tests

import (
	"fmt"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/migration-kit/kit/awssim"
)

// The replacement rules of the simulated AWS, as pulumi-aws v6.83.4 (Terraform AWS provider v5) applies them:
// each case states what a user sees when changing that input.

// replacementCases holds, for every type the simulated AWS models, one input whose change replaces the resource
// and one that updates it in place.
var replacementCases = []struct {
	typ, replaces, inPlace string
}{
	{"aws:amp/workspace:Workspace", "kmsKeyArn", "loggingConfiguration"},
	{"aws:autoscaling/group:Group", "initialLifecycleHooks", "maxSize"},
	{"aws:autoscaling/lifecycleHook:LifecycleHook", "name", "heartbeatTimeout"},
	{"aws:autoscaling/policy:Policy", "autoscalingGroupName", "targetTrackingConfiguration"},
	{"aws:autoscaling/schedule:Schedule", "scheduledActionName", "recurrence"},
	{"aws:cloudwatch/dashboard:Dashboard", "dashboardName", "dashboardBody"},
	{"aws:cloudwatch/logGroup:LogGroup", "logGroupClass", "retentionInDays"},
	{"aws:cloudwatch/metricAlarm:MetricAlarm", "name", "threshold"},
	{"aws:ec2/defaultSecurityGroup:DefaultSecurityGroup", "vpcId", "ingress"},
	{"aws:ec2/eip:Eip", "domain", "customerOwnedIpv4Pool"},
	{"aws:ec2/flowLog:FlowLog", "trafficType", "tags"},
	{"aws:ec2/instance:Instance", "ami", "instanceType"},
	// An internet gateway has nothing that replaces it: vpcId detaches and attaches in place.
	{"aws:ec2/internetGateway:InternetGateway", "", "vpcId"},
	// An attachment, a policy attachment and a backup replication have no input that updates in place.
	{"aws:ec2/internetGatewayAttachment:InternetGatewayAttachment", "vpcId", ""},
	{"aws:ec2/launchTemplate:LaunchTemplate", "name", "blockDeviceMappings"},
	{"aws:ec2/natGateway:NatGateway", "secondaryPrivateIpAddressCount", "secondaryAllocationIds"},
	{"aws:ec2/route:Route", "destinationCidrBlock", "natGatewayId"},
	{"aws:ec2/routeTable:RouteTable", "vpcId", "routes"},
	{"aws:ec2/routeTableAssociation:RouteTableAssociation", "subnetId", "routeTableId"},
	{"aws:ec2/securityGroup:SecurityGroup", "description", "ingress"},
	{"aws:ec2/securityGroupRule:SecurityGroupRule", "cidrBlocks", "description"},
	{"aws:ec2/subnet:Subnet", "availabilityZone", "ipv6CidrBlock"},
	{"aws:ec2/vpc:Vpc", "ipv4IpamPoolId", "enableDnsHostnames"},
	{"aws:ec2/vpcEndpoint:VpcEndpoint", "serviceName", "policy"},
	{"aws:grafana/workspace:Workspace", "authenticationProviders", "accountAccessType"},
	{"aws:iam/instanceProfile:InstanceProfile", "path", "role"},
	{"aws:iam/policy:Policy", "description", "policy"},
	{"aws:iam/role:Role", "path", "assumeRolePolicy"},
	{"aws:iam/rolePolicy:RolePolicy", "role", "policy"},
	{"aws:iam/rolePolicyAttachment:RolePolicyAttachment", "policyArn", ""},
	{"aws:iam/serviceLinkedRole:ServiceLinkedRole", "awsServiceName", "description"},
	{"aws:kms/alias:Alias", "name", "targetKeyId"},
	{"aws:kms/key:Key", "keyUsage", "enableKeyRotation"},
	{"aws:lb/listener:Listener", "loadBalancerArn", "defaultActions"},
	{"aws:lb/loadBalancer:LoadBalancer", "internal", "idleTimeout"},
	{"aws:lb/targetGroup:TargetGroup", "targetType", "healthCheck"},
	{"aws:opensearch/domain:Domain", "domainName", "clusterConfig"},
	{"aws:rds/instance:Instance", "dbName", "identifier"},
	{"aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication", "retentionPeriod", ""},
	{"aws:rds/parameterGroup:ParameterGroup", "family", "parameters"},
	{"aws:rds/subnetGroup:SubnetGroup", "namePrefix", "subnetIds"},
	{"aws:route53/healthCheck:HealthCheck", "referenceName", "failureThreshold"},
	{"aws:route53/record:Record", "zoneId", "type"},
	{"aws:route53/zone:Zone", "delegationSetId", "vpcs"},
	{"aws:s3/bucket:Bucket", "bucket", "versioning"},
	{"aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2", "expectedBucketOwner", "rules"},
	{"aws:s3/bucketOwnershipControls:BucketOwnershipControls", "bucket", "replaceCase"},
	{"aws:s3/bucketPolicy:BucketPolicy", "bucket", "policy"},
	{"aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "bucket", "blockPublicAcls"},
	{"aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2", "bucket", "rules"},
	{"aws:s3/bucketV2:BucketV2", "objectLockEnabled", "tags"},
	{"aws:s3/bucketVersioningV2:BucketVersioningV2", "bucket", "versioningConfiguration"},
	{"aws:secretsmanager/secret:Secret", "name", "kmsKeyId"},
	{"aws:secretsmanager/secretVersion:SecretVersion", "secretString", "versionStages"},
	{"aws:sns/topic:Topic", "fifoTopic", "kmsMasterKeyId"},
	{"aws:sns/topicSubscription:TopicSubscription", "endpoint", "filterPolicy"},
	{"aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule", "securityGroupId", "fromPort"},
	{"aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "securityGroupId", "description"},
	// Every input of a random password makes a new one.
	{"random:index/randomPassword:RandomPassword", "length", ""},
	{"aws:sns/topicPolicy:TopicPolicy", "arn", "policy"},
	{"aws:ec2/customerGateway:CustomerGateway", "ipAddress", "tags"},
	{"aws:ec2/vpnGateway:VpnGateway", "amazonSideAsn", "vpcId"},
	{"aws:ec2/vpnConnection:VpnConnection", "tunnel1InsideCidr", "tunnel1IkeVersions"},
	{"aws:ec2/vpnConnectionRoute:VpnConnectionRoute", "destinationCidrBlock", ""},
	{"aws:ec2/vpnGatewayRoutePropagation:VpnGatewayRoutePropagation", "routeTableId", ""},
	{"aws:dms/replicationSubnetGroup:ReplicationSubnetGroup", "replicationSubnetGroupId", "subnetIds"},
	{"aws:dms/replicationInstance:ReplicationInstance", "kmsKeyArn", "replicationInstanceClass"},
	{"aws:dms/endpoint:Endpoint", "endpointId", "sslMode"},
	{"aws:dms/replicationTask:ReplicationTask", "sourceEndpointArn", "tableMappings"},
	{"aws:dms/eventSubscription:EventSubscription", "name", "eventCategories"},
	{"aws:cloudwatch/logResourcePolicy:LogResourcePolicy", "policyName", "policyDocument"},
	{"aws:ec2/defaultNetworkAcl:DefaultNetworkAcl", "defaultNetworkAclId", "subnetIds"},
	{"aws:opensearch/domainSamlOptions:DomainSamlOptions", "domainName", "samlOptions"},
	{"aws:secretsmanager/secretRotation:SecretRotation", "secretId", "rotationLambdaArn"},
	{"aws:serverlessrepository/cloudFormationStack:CloudFormationStack", "applicationId", "parameters"},
}

func TestEveryModelledTypeHasAuditedReplacementRules(t *testing.T) {
	modelled := awssim.ModelledTypes()
	require.NotEmpty(t, modelled)
	assert.Equal(t, modelled, awssim.ReplacementTypes(),
		"every type the simulated AWS models needs its ForceNew inputs audited in awssim/replace.go, and nothing else")
	cased := map[string]bool{}
	for _, c := range replacementCases {
		cased[c.typ] = true
	}
	for _, typ := range modelled {
		assert.True(t, cased[typ], "%s has no case in replacementCases", typ)
	}
}

func TestEachTypeReplacesOnItsForceNewInputAndUpdatesOtherwise(t *testing.T) {
	for _, c := range replacementCases {
		t.Run(c.typ, func(t *testing.T) {
			var changed []string
			for _, p := range []string{c.replaces, c.inPlace} {
				if p != "" {
					changed = append(changed, p)
				}
			}
			got := awssim.Replaces(c.typ, nil, nil, changed)
			if c.replaces == "" {
				assert.Empty(t, got)
			} else {
				assert.Equal(t, []string{c.replaces}, got)
			}
			if c.inPlace != "" {
				assert.Empty(t, awssim.Replaces(c.typ, nil, nil, []string{c.inPlace}), "%s should update in place", c.inPlace)
				assert.Empty(t, awssim.Replaces(c.typ, inputs(nil), inputs(nil), []string{c.inPlace}))
			}
		})
	}
}

// inputs builds a property map; nested maps and slices become objects and arrays.
func inputs(m map[string]any) resource.PropertyMap { return resource.NewPropertyMapFromMap(m) }

func unknownValue() resource.PropertyValue {
	return resource.MakeComputed(resource.NewStringProperty(""))
}

// typeVPC, typeIngressRule and typeRDSInstance come from the network and database tests.
const (
	typeEC2Instance      = "aws:ec2/instance:Instance"
	typeLoadBalancer     = "aws:lb/loadBalancer:LoadBalancer"
	typeTargetGroup      = "aws:lb/targetGroup:TargetGroup"
	typeOpenSearchDomain = "aws:opensearch/domain:Domain"
	typeEgressRule       = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"
)

func TestReplacementPathsMatchWholeNamesIndexesAndQuotedKeys(t *testing.T) {
	for _, c := range []struct {
		name, typ string
		changed   []string
		want      []string
	}{
		{"a longer name is another input", "aws:cloudwatch/metricAlarm:MetricAlarm", []string{"nameSuffix", "names"}, nil},
		{"name and namePrefix are distinct entries", "aws:iam/role:Role", []string{"namePrefix"}, []string{"namePrefix"}},
		{"under a top-level entry", "aws:ec2/flowLog:FlowLog", []string{"destinationOptions.fileFormat"},
			[]string{"destinationOptions.fileFormat"}},
		{"an element of a primitive list", typeEC2Instance, []string{"securityGroups[2]"}, []string{"securityGroups[2]"}},
		{"a wildcard matches any index", typeEC2Instance, []string{"ebsBlockDevices[0].volumeSize", "ebsBlockDevices[12].encrypted"},
			[]string{"ebsBlockDevices[0].volumeSize", "ebsBlockDevices[12].encrypted"}},
		{"a field not ForceNew inside a list block", typeEC2Instance, []string{"ebsBlockDevices[1].tags"}, nil},
		{"a field not ForceNew inside a single block", typeEC2Instance, []string{"rootBlockDevice.volumeSize"}, nil},
		{"a ForceNew field inside a single block", typeEC2Instance, []string{"rootBlockDevice.kmsKeyId"}, []string{"rootBlockDevice.kmsKeyId"}},
		{"a quoted key", typeVPC, []string{`["ipv4IpamPoolId"]`, `tags["kubernetes.io/role.elb"]`}, []string{`["ipv4IpamPoolId"]`}},
		{"a malformed path matches only itself", typeVPC, []string{"ipv4IpamPoolId[", "ipv4NetmaskLength"}, []string{"ipv4NetmaskLength"}},
		{"an empty path", typeVPC, []string{""}, nil},
		{"order follows the changes, each once", "aws:ec2/subnet:Subnet", []string{"vpcId", "tags", "cidrBlock", "vpcId"},
			[]string{"vpcId", "cidrBlock"}},
		{"an unknown type never replaces", "aws:ec2/unknown:Unknown", []string{"vpcId"}, nil},
		{"the S3 object lock switch", "aws:s3/bucket:Bucket",
			[]string{"objectLockConfiguration.objectLockEnabled", "objectLockConfiguration.replaceCase"},
			[]string{"objectLockConfiguration.objectLockEnabled"}},
		{"RDS S3 import fields", "aws:rds/instance:Instance", []string{"s3Import.bucketName"}, []string{"s3Import.bucketName"}},
		{"OpenSearch at-rest key", typeOpenSearchDomain, []string{"encryptAtRest.kmsKeyId"}, []string{"encryptAtRest.kmsKeyId"}},
		{"launch template devices make a new version", "aws:ec2/launchTemplate:LaunchTemplate",
			[]string{"blockDeviceMappings[0].ebs.encrypted", "imageId"}, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			assert.Equal(t, c.want, awssim.Replaces(c.typ, nil, nil, c.changed))
		})
	}
}

// When the engine reports a whole block or element as changed, the values under it decide.
func TestAChangedBlockReplacesOnlyWhenAForceNewFieldInsideDiffers(t *testing.T) {
	volume := func(size int, encrypted bool) map[string]any {
		return map[string]any{"deviceName": "/dev/sdf", "volumeSize": size, "encrypted": encrypted}
	}
	one := inputs(map[string]any{"ebsBlockDevices": []any{volume(20, true)}})
	for _, c := range []struct {
		name    string
		news    resource.PropertyMap
		changed string
		replace bool
	}{
		{"a volume added", inputs(map[string]any{"ebsBlockDevices": []any{volume(20, true), volume(50, true)}}), "ebsBlockDevices", true},
		{"a new element", inputs(map[string]any{"ebsBlockDevices": []any{volume(20, true), volume(50, true)}}), "ebsBlockDevices[1]", true},
		{"a volume removed", inputs(map[string]any{"ebsBlockDevices": []any{}}), "ebsBlockDevices", true},
		{"encryption turned off", inputs(map[string]any{"ebsBlockDevices": []any{volume(20, false)}}), "ebsBlockDevices[0]", true},
		// volume_size is ForceNew on ebs_block_device (ec2_instance.go).
		{"a volume resized", inputs(map[string]any{"ebsBlockDevices": []any{volume(30, true)}}), "ebsBlockDevices", true},
		{"only tags", inputs(map[string]any{"ebsBlockDevices": []any{
			map[string]any{"deviceName": "/dev/sdf", "volumeSize": 20, "encrypted": true, "tags": map[string]any{"a": "b"}}}}),
			"ebsBlockDevices[0]", false},
		{"the same values as secrets", resource.PropertyMap{"ebsBlockDevices": resource.NewArrayProperty([]resource.PropertyValue{
			resource.MakeSecret(resource.NewObjectProperty(inputs(volume(20, true))))})}, "ebsBlockDevices", false},
		{"an unknown list", resource.PropertyMap{"ebsBlockDevices": unknownValue()}, "ebsBlockDevices", true},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := awssim.Replaces(typeEC2Instance, one, c.news, []string{c.changed})
			if c.replace {
				assert.Equal(t, []string{c.changed}, got)
			} else {
				assert.Empty(t, got)
			}
		})
	}

	root := func(m map[string]any) resource.PropertyMap { return inputs(map[string]any{"rootBlockDevice": m}) }
	assert.Equal(t, []string{"rootBlockDevice"}, awssim.Replaces(typeEC2Instance, root(map[string]any{"encrypted": false}),
		root(map[string]any{"encrypted": true}), []string{"rootBlockDevice"}))
	assert.Empty(t, awssim.Replaces(typeEC2Instance, root(map[string]any{"encrypted": true, "volumeSize": 8}),
		root(map[string]any{"encrypted": true, "volumeSize": 16}), []string{"rootBlockDevice"}))
	// Without values there is nothing to compare: the change stays an update.
	assert.Empty(t, awssim.Replaces(typeEC2Instance, nil, nil, []string{"ebsBlockDevices"}))
}

// replaceCase is one conditional replacement case: changing inputs from olds to news.
type replaceCase struct {
	name       string
	olds, news map[string]any
	changed    []string
	want       []string
}

func checkReplaceCases(t *testing.T, typ string, cases []replaceCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			assert.Equal(t, c.want, awssim.Replaces(typ, inputs(c.olds), inputs(c.news), c.changed))
		})
	}
}

func TestVPCCIDRAndTenancyReplaceByValue(t *testing.T) {
	checkReplaceCases(t, typeVPC, []replaceCase{
		{"a new CIDR block", map[string]any{"cidrBlock": "10.0.0.0/16"}, map[string]any{"cidrBlock": "10.1.0.0/16"},
			[]string{"cidrBlock"}, []string{"cidrBlock"}},
		{"IPAM chose the block", map[string]any{"cidrBlock": "10.0.0.0/16", "ipv4NetmaskLength": 16},
			map[string]any{"ipv4NetmaskLength": 16}, []string{"cidrBlock"}, nil},
		{"dedicated to default", map[string]any{"instanceTenancy": "dedicated"}, map[string]any{"instanceTenancy": "default"},
			[]string{"instanceTenancy"}, nil},
		{"dedicated to the default by omission", map[string]any{"instanceTenancy": "dedicated"}, nil,
			[]string{"instanceTenancy"}, nil},
		{"default to dedicated", nil, map[string]any{"instanceTenancy": "dedicated"},
			[]string{"instanceTenancy"}, []string{"instanceTenancy"}},
		{"the default written out", nil, map[string]any{"instanceTenancy": "default"}, []string{"instanceTenancy"}, nil},
	})
	assert.Equal(t, []string{"cidrBlock"}, awssim.Replaces(typeVPC, nil,
		resource.PropertyMap{"ipv4NetmaskLength": unknownValue()}, []string{"cidrBlock"}))
}

func TestSecurityGroupRuleReplacesWhenTheSourceKindChanges(t *testing.T) {
	for _, typ := range []string{typeIngressRule, typeEgressRule} {
		checkReplaceCases(t, typ, []replaceCase{
			{"another CIDR", map[string]any{"cidrIpv4": "10.0.0.0/8"}, map[string]any{"cidrIpv4": "10.1.0.0/16"},
				[]string{"cidrIpv4"}, nil},
			{"CIDR to security group", map[string]any{"cidrIpv4": "10.0.0.0/8"},
				map[string]any{"referencedSecurityGroupId": "sg-0123456789abcdef0"},
				[]string{"cidrIpv4", "fromPort", "referencedSecurityGroupId"}, []string{"cidrIpv4", "referencedSecurityGroupId"}},
			{"IPv4 to IPv6", map[string]any{"cidrIpv4": "0.0.0.0/0"}, map[string]any{"cidrIpv6": "::/0"},
				[]string{"cidrIpv4", "cidrIpv6"}, []string{"cidrIpv4", "cidrIpv6"}},
		})
	}
}

func TestVPCEndpointPrivateDNSChangesInPlaceOnlyOnInterfaceEndpoints(t *testing.T) {
	checkReplaceCases(t, "aws:ec2/vpcEndpoint:VpcEndpoint", []replaceCase{
		{"interface", map[string]any{"vpcEndpointType": "Interface"},
			map[string]any{"vpcEndpointType": "Interface", "privateDnsEnabled": true}, []string{"privateDnsEnabled"}, nil},
		{"gateway by default", nil, map[string]any{"privateDnsEnabled": true},
			[]string{"privateDnsEnabled"}, []string{"privateDnsEnabled"}},
	})
}

func TestInstanceConditionalReplacements(t *testing.T) {
	checkReplaceCases(t, typeEC2Instance, []replaceCase{
		{"user data replaced on request", map[string]any{"userData": "a"},
			map[string]any{"userData": "b", "userDataReplaceOnChange": true}, []string{"userData"}, []string{"userData"}},
		{"user data updated by default", map[string]any{"userData": "a"}, map[string]any{"userData": "b"},
			[]string{"userData"}, nil},
		{"base64 user data replaced on request", nil, map[string]any{"userDataBase64": "Yg==", "userDataReplaceOnChange": true},
			[]string{"userDataBase64"}, []string{"userDataBase64"}},
		{"SEV-SNP written as disabled", nil, map[string]any{"cpuOptions": map[string]any{"amdSevSnp": "disabled"}},
			[]string{"cpuOptions.amdSevSnp"}, nil},
		{"SEV-SNP enabled", nil, map[string]any{"cpuOptions": map[string]any{"amdSevSnp": "enabled"}},
			[]string{"cpuOptions.amdSevSnp"}, []string{"cpuOptions.amdSevSnp"}},
		{"SEV-SNP enabled with the block", nil, map[string]any{"cpuOptions": map[string]any{"amdSevSnp": "enabled"}},
			[]string{"cpuOptions"}, []string{"cpuOptions"}},
		{"SEV-SNP turned off", map[string]any{"cpuOptions": map[string]any{"amdSevSnp": "enabled"}},
			map[string]any{"cpuOptions": map[string]any{"amdSevSnp": "disabled"}},
			[]string{"cpuOptions.amdSevSnp"}, []string{"cpuOptions.amdSevSnp"}},
		{"an ephemeral volume added", map[string]any{"ephemeralBlockDevices": []any{map[string]any{"deviceName": "/dev/sdb", "virtualName": "ephemeral0"}}},
			map[string]any{"ephemeralBlockDevices": []any{map[string]any{"deviceName": "/dev/sdb", "virtualName": "ephemeral0"},
				map[string]any{"deviceName": "/dev/sdc", "virtualName": "ephemeral1"}}},
			[]string{"ephemeralBlockDevices"}, []string{"ephemeralBlockDevices"}},
		{"an ephemeral volume renamed", map[string]any{"ephemeralBlockDevices": []any{map[string]any{"deviceName": "/dev/sdb", "virtualName": "ephemeral0"}}},
			map[string]any{"ephemeralBlockDevices": []any{map[string]any{"deviceName": "/dev/sdb", "virtualName": "ephemeral1"}}},
			[]string{"ephemeralBlockDevices[0].virtualName"}, nil},
		{"a launch template added", nil, map[string]any{"launchTemplate": map[string]any{"id": "lt-0123456789abcdef0"}},
			[]string{"launchTemplate"}, []string{"launchTemplate"}},
		{"another launch template version", map[string]any{"launchTemplate": map[string]any{"id": "lt-1", "version": "1"}},
			map[string]any{"launchTemplate": map[string]any{"id": "lt-1", "version": "2"}},
			[]string{"launchTemplate.version"}, []string{"launchTemplate.version"}},
		{"private DNS options changed", map[string]any{"privateDnsNameOptions": map[string]any{"hostnameType": "ip-name"}},
			map[string]any{"privateDnsNameOptions": map[string]any{"hostnameType": "resource-name"}},
			[]string{"privateDnsNameOptions.hostnameType"}, nil},
		{"private DNS options added", nil, map[string]any{"privateDnsNameOptions": map[string]any{"hostnameType": "resource-name"}},
			[]string{"privateDnsNameOptions"}, []string{"privateDnsNameOptions"}},
	})
}

func TestServiceLinkedRoleSuffixIsIgnoredOnlyWhenEmptyForApplicationAutoScaling(t *testing.T) {
	const ecs = "ecs.application-autoscaling.amazonaws.com"
	checkReplaceCases(t, "aws:iam/serviceLinkedRole:ServiceLinkedRole", []replaceCase{
		{"suffix dropped on an autoscaling role", map[string]any{"awsServiceName": ecs, "customSuffix": "x"},
			map[string]any{"awsServiceName": ecs}, []string{"customSuffix"}, nil},
		{"suffix changed", map[string]any{"awsServiceName": ecs, "customSuffix": "x"},
			map[string]any{"awsServiceName": ecs, "customSuffix": "y"}, []string{"customSuffix"}, []string{"customSuffix"}},
		{"suffix dropped on another role", map[string]any{"awsServiceName": "elasticbeanstalk.amazonaws.com", "customSuffix": "x"},
			map[string]any{"awsServiceName": "elasticbeanstalk.amazonaws.com"}, []string{"customSuffix"}, []string{"customSuffix"}},
	})
}

func TestLoadBalancerSubnetsAndSecurityGroupsReplaceByLoadBalancerType(t *testing.T) {
	subnets := func(typ string, ids ...string) map[string]any {
		list := []any{}
		for _, id := range ids {
			list = append(list, id)
		}
		return map[string]any{"loadBalancerType": typ, "subnets": list}
	}
	mappings := func(typ string, ids ...string) map[string]any {
		list := []any{}
		for _, id := range ids {
			list = append(list, map[string]any{"subnetId": id})
		}
		return map[string]any{"loadBalancerType": typ, "subnetMappings": list}
	}
	groups := func(typ string, ids ...string) map[string]any {
		m := subnets(typ)
		list := []any{}
		for _, id := range ids {
			list = append(list, id)
		}
		m["securityGroups"] = list
		return m
	}
	sub, sm, sg := []string{"subnets"}, []string{"subnetMappings"}, []string{"securityGroups"}
	checkReplaceCases(t, typeLoadBalancer, []replaceCase{
		{"network: a subnet added", subnets("network", "a", "b"), subnets("network", "a", "b", "c"), sub, nil},
		{"network: a subnet removed", subnets("network", "a", "b"), subnets("network", "a"), sub, sub},
		{"network: a subnet swapped", subnets("network", "a", "b"), subnets("network", "a", "c"), sub, sub},
		{"network: the same subnets reordered", subnets("network", "a", "b"), subnets("network", "b", "a"), sub, nil},
		{"application: a subnet removed", subnets("application", "a", "b"), subnets("application", "a"), sub, nil},
		{"application by default: a subnet removed", map[string]any{"subnets": []any{"a", "b"}}, map[string]any{"subnets": []any{"a"}}, sub, nil},
		{"network: a mapping added", mappings("network", "a"), mappings("network", "a", "b"), sm, nil},
		{"network: a mapping added and one changed", mappings("network", "a"), mappings("network", "c", "b"), sm, sm},
		{"network: a mapping removed", mappings("network", "a", "b"), mappings("network", "a"), sm, sm},
		{"network: a mapping changed", mappings("network", "a"), mappings("network", "b"), sm, sm},
		{"application: a mapping removed", mappings("application", "a", "b"), mappings("application", "a"), sm, nil},
		{"application: a mapping removed and one changed", mappings("application", "a", "b"), mappings("application", "c"), sm, sm},
		{"application: a mapping changed", mappings("application", "a"), mappings("application", "b"), sm, sm},
		{"gateway: a mapping changed", mappings("gateway", "a"), mappings("gateway", "b"), sm, nil},
		{"network: first security group", groups("network"), groups("network", "sg-1"), sg, sg},
		{"network: every security group removed", groups("network", "sg-1"), groups("network"), sg, sg},
		{"network: another security group", groups("network", "sg-1"), groups("network", "sg-2"), sg, nil},
		{"application: first security group", groups("application"), groups("application", "sg-1"), sg, nil},
	})
	// A subnet ID passed as a secret is still the same subnet.
	assert.Empty(t, awssim.Replaces(typeLoadBalancer, inputs(subnets("network", "a", "b")),
		resource.PropertyMap{"loadBalancerType": resource.NewStringProperty("network"),
			"subnets": resource.NewArrayProperty([]resource.PropertyValue{
				resource.NewStringProperty("b"), resource.MakeSecret(resource.NewStringProperty("a"))})}, sub))
	// Subnets not known until another resource is created: the provider skips the check.
	assert.Empty(t, awssim.Replaces(typeLoadBalancer, inputs(subnets("network", "a", "b")),
		resource.PropertyMap{"loadBalancerType": resource.NewStringProperty("network"),
			"subnets": resource.NewArrayProperty([]resource.PropertyValue{unknownValue()})}, sub))
}

func TestTargetGroupPortProtocolAndVPCReplaceUnlessLambda(t *testing.T) {
	checkReplaceCases(t, typeTargetGroup, []replaceCase{
		{"instance targets, another port", map[string]any{"port": 80}, map[string]any{"port": 8080}, []string{"port"}, []string{"port"}},
		{"ip targets, another VPC", map[string]any{"targetType": "ip", "vpcId": "vpc-1"}, map[string]any{"targetType": "ip", "vpcId": "vpc-2"},
			[]string{"vpcId"}, []string{"vpcId"}},
		{"lambda targets ignore them", map[string]any{"targetType": "lambda"},
			map[string]any{"targetType": "lambda", "port": 80, "protocol": "HTTP", "vpcId": "vpc-1"},
			[]string{"port", "protocol", "vpcId"}, nil},
		{"HTTP protocol version", map[string]any{"protocol": "HTTP", "protocolVersion": "HTTP1"},
			map[string]any{"protocol": "HTTP", "protocolVersion": "HTTP2"}, []string{"protocolVersion"}, []string{"protocolVersion"}},
		{"protocol version written in lower case", map[string]any{"protocol": "https"},
			map[string]any{"protocol": "https", "protocolVersion": "GRPC"}, []string{"protocolVersion"}, []string{"protocolVersion"}},
		{"TCP has no protocol version", map[string]any{"protocol": "TCP"},
			map[string]any{"protocol": "TCP", "protocolVersion": "HTTP2"}, []string{"protocolVersion"}, nil},
	})
}

func TestRDSInstanceRenamesAndPromotesInPlace(t *testing.T) {
	checkReplaceCases(t, typeRDSInstance, []replaceCase{
		{"another database name", map[string]any{"dbName": "app"}, map[string]any{"dbName": "shop"}, []string{"dbName"}, []string{"dbName"}},
		{"another identifier", map[string]any{"identifier": "primary"}, map[string]any{"identifier": "main"}, []string{"identifier"}, nil},
		{"another identifier prefix", nil, map[string]any{"identifierPrefix": "main-"}, []string{"identifierPrefix"}, nil},
		{"a replica promoted", map[string]any{"replicateSourceDb": "primary"}, nil, []string{"replicateSourceDb"}, nil},
		{"a point-in-time restore added", nil, map[string]any{"restoreToPointInTime": map[string]any{"useLatestRestorableTime": true}},
			[]string{"restoreToPointInTime"}, []string{"restoreToPointInTime"}},
		{"a point-in-time restore changed", map[string]any{"restoreToPointInTime": map[string]any{"useLatestRestorableTime": true}},
			map[string]any{"restoreToPointInTime": map[string]any{"restoreTime": "2025-01-01T00:00:00Z"}},
			[]string{"restoreToPointInTime"}, nil},
		{"encryption turned on", nil, map[string]any{"storageEncrypted": true}, []string{"storageEncrypted"}, []string{"storageEncrypted"}},
	})
}

func TestOpenSearchDomainReplacesByValue(t *testing.T) {
	encrypted := func(version string, from, to bool) replaceCase {
		return replaceCase{fmt.Sprintf("%s encryption %v to %v", version, from, to), map[string]any{"engineVersion": version, "encryptAtRest": map[string]any{"enabled": from}},
			map[string]any{"engineVersion": version, "encryptAtRest": map[string]any{"enabled": to}}, []string{"encryptAtRest.enabled"}, nil}
	}
	replaced := func(r replaceCase) replaceCase { r.want = r.changed; return r }
	version := func(from, to string) replaceCase {
		return replaceCase{from + " to " + to, map[string]any{"engineVersion": from}, map[string]any{"engineVersion": to}, []string{"engineVersion"}, nil}
	}
	checkReplaceCases(t, typeOpenSearchDomain, []replaceCase{
		{"VPC access added", nil, map[string]any{"vpcOptions": map[string]any{"subnetIds": []any{"subnet-1"}}}, []string{"vpcOptions"}, []string{"vpcOptions"}},
		{"VPC subnets changed", map[string]any{"vpcOptions": map[string]any{"subnetIds": []any{"subnet-1"}}},
			map[string]any{"vpcOptions": map[string]any{"subnetIds": []any{"subnet-2"}}}, []string{"vpcOptions.subnetIds[0]"}, nil},
		encrypted("OpenSearch_2.11", false, true),
		encrypted("Elasticsearch_7.10", false, true),
		encrypted("Elasticsearch_6.7", false, true),
		replaced(encrypted("Elasticsearch_6.5", false, true)),
		replaced(encrypted("OpenSearch_2.11", true, false)),
		{"encryption on with the default engine", map[string]any{"encryptAtRest": map[string]any{"enabled": false}},
			map[string]any{"encryptAtRest": map[string]any{"enabled": true}}, []string{"encryptAtRest"}, nil},
		{"node-to-node encryption on an old engine", map[string]any{"engineVersion": "Elasticsearch_5.6"},
			map[string]any{"engineVersion": "Elasticsearch_5.6", "nodeToNodeEncryption": map[string]any{"enabled": true}},
			[]string{"nodeToNodeEncryption.enabled"}, []string{"nodeToNodeEncryption.enabled"}},
		{"fine-grained access control turned off", map[string]any{"advancedSecurityOptions": map[string]any{"enabled": true}},
			map[string]any{"advancedSecurityOptions": map[string]any{"enabled": false}},
			[]string{"advancedSecurityOptions.enabled"}, []string{"advancedSecurityOptions.enabled"}},
		{"fine-grained access control turned on", nil, map[string]any{"advancedSecurityOptions": map[string]any{"enabled": true}},
			[]string{"advancedSecurityOptions.enabled"}, nil},
		{"back from dual-stack", map[string]any{"ipAddressType": "dualstack"}, map[string]any{"ipAddressType": "ipv4"},
			[]string{"ipAddressType"}, []string{"ipAddressType"}},
		{"to dual-stack", map[string]any{"ipAddressType": "ipv4"}, map[string]any{"ipAddressType": "dualstack"}, []string{"ipAddressType"}, nil},
		version("OpenSearch_2.11", "OpenSearch_2.13"),
		version("Elasticsearch_7.10", "OpenSearch_1.3"),
		replaced(version("OpenSearch_2.13", "OpenSearch_2.11")),
		replaced(version("OpenSearch_1.3", "Elasticsearch_7.10")),
		replaced(version("OpenSearch_2.11", "OpenSearch_latest")),
	})
	assert.Equal(t, []string{"engineVersion"}, awssim.Replaces(typeOpenSearchDomain, inputs(map[string]any{"engineVersion": "OpenSearch_2.11"}),
		resource.PropertyMap{"engineVersion": unknownValue()}, []string{"engineVersion"}))
}

func TestPrometheusWorkspaceReplacesWhenItsAliasIsRemoved(t *testing.T) {
	checkReplaceCases(t, "aws:amp/workspace:Workspace", []replaceCase{
		{"alias removed", map[string]any{"alias": "prod"}, nil, []string{"alias"}, []string{"alias"}},
		{"alias changed", map[string]any{"alias": "prod"}, map[string]any{"alias": "production"}, []string{"alias"}, nil},
		{"alias added", nil, map[string]any{"alias": "prod"}, []string{"alias"}, nil},
	})
}

func TestStatefulTypesSayWhatIsLost(t *testing.T) {
	for _, typ := range []string{
		"aws:rds/instance:Instance", "aws:kms/key:Key", "aws:secretsmanager/secret:Secret", "aws:s3/bucket:Bucket",
		"aws:s3/bucketV2:BucketV2", "aws:cloudwatch/logGroup:LogGroup", "aws:ec2/vpc:Vpc", "aws:ec2/subnet:Subnet",
		"aws:opensearch/domain:Domain", "aws:ec2/eip:Eip", "aws:route53/zone:Zone", "aws:amp/workspace:Workspace",
		"aws:grafana/workspace:Workspace", typeEC2Instance, typeLoadBalancer,
	} {
		lost, ok := awssim.Stateful(typ)
		assert.True(t, ok, typ)
		assert.NotEmpty(t, lost, typ)
	}
	for _, typ := range []string{"aws:ec2/securityGroup:SecurityGroup", "aws:iam/role:Role", "aws:lb/targetGroup:TargetGroup",
		"aws:kms/alias:Alias", "aws:s3/bucketPolicy:BucketPolicy"} {
		_, ok := awssim.Stateful(typ)
		assert.False(t, ok, typ)
	}
	lost, _ := awssim.Stateful(typeRDSInstance)
	assert.Contains(t, lost, "replica", "a reviewer should read that replicas lose their data too")
}
