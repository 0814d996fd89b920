package awssim

import (
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// What the AWS provider replaces instead of updating. The simulated provider's Diff asks Replaces, so the
// engine decides replacements, and their cascades, exactly as it would with pulumi-aws.
//
// pulumi-aws v6.83.4 is bridged from the Terraform AWS provider (hashicorp/terraform-provider-aws v5, with
// Pulumi's patches in pulumi/terraform-provider-aws), so the rules below were read in that provider's resource
// schemas: an argument marked ForceNew, and the CustomizeDiff (or, for plugin-framework resources, the plan
// modifier) that forces a replacement depending on values. Each entry names the file it was checked in, under
// internal/service/; where the stored source was older or newer than v5.100, the entry says so.
//
// How Terraform applies ForceNew (terraform-plugin-sdk v2 helper/schema/schema.go, diffList/diffSet/diffString):
//   - a ForceNew primitive, or list/set of primitives, replaces on any change of its value;
//   - a ForceNew nested block (a list or set of objects, a single object in Pulumi when MaxItems is 1)
//     replaces only when a block is added or removed: the element count is what carries ForceNew, and a field
//     inside the block replaces only if it is ForceNew itself;
//   - an unknown new value (computed from another resource during a preview) counts as a change.

// forcesReplacement lists, for each resource type with a model in the simulated AWS, the input paths whose
// change makes the provider delete the resource and create a new one. A path names a top-level input
// ("cidrBlock") or a nested one, with [*] for any element of a list ("ebsBlockDevices[*].encrypted"); a change
// at or under the path replaces, and so does a change of an enclosing value ("ebsBlockDevices[1]", a whole new
// element) when the value at the path differs. An empty list records a type audited with nothing that forces a
// replacement. Value-dependent replacements are in conditional.
var forcesReplacement = map[string][]string{
	// ec2/vpc_.go: ipv4_ipam_pool_id, ipv4_netmask_length ForceNew; cidr_block and instance_tenancy are
	// decided in resourceVPCCustomizeDiff (conditional).
	"aws:ec2/vpc:Vpc": {"ipv4IpamPoolId", "ipv4NetmaskLength"},
	// ec2/vpc_subnet.go: availability_zone, availability_zone_id, cidr_block, ipv6_native, outpost_arn, vpc_id
	// ForceNew. ipv6_cidr_block is re-associated in place (the v5 CustomizeDiff only sets tags).
	"aws:ec2/subnet:Subnet": {"availabilityZone", "availabilityZoneId", "cidrBlock", "ipv6Native", "outpostArn", "vpcId"},
	// ec2/ec2_eip.go: address, domain, ipam_pool_id, network_border_group, public_ipv4_pool ForceNew;
	// customer_owned_ipv4_pool is not.
	"aws:ec2/eip:Eip": {"address", "domain", "ipamPoolId", "networkBorderGroup", "publicIpv4Pool"},
	// ec2/vpc_nat_gateway.go: allocation_id, connectivity_type, private_ip, secondary_private_ip_address_count,
	// subnet_id ForceNew (secondary allocation ids and addresses update in place).
	"aws:ec2/natGateway:NatGateway": {"allocationId", "connectivityType", "privateIp", "secondaryPrivateIpAddressCount",
		"subnetId"},
	// ec2/vpc_route_table.go: vpc_id ForceNew; routes and propagating gateways update in place.
	"aws:ec2/routeTable:RouteTable": {"vpcId"},
	// ec2/vpc_route.go: route_table_id and the three destinations ForceNew; targets are replaced in place.
	"aws:ec2/route:Route": {"destinationCidrBlock", "destinationIpv6CidrBlock", "destinationPrefixListId", "routeTableId"},
	// ec2/vpc_route_table_association.go: gateway_id, subnet_id ForceNew; route_table_id is re-associated.
	"aws:ec2/routeTableAssociation:RouteTableAssociation": {"gatewayId", "subnetId"},
	// ec2/vpc_internet_gateway.go: nothing ForceNew; vpc_id detaches and attaches in place.
	"aws:ec2/internetGateway:InternetGateway": {},
	// ec2/vpc_internet_gateway_attachment.go: internet_gateway_id, vpc_id ForceNew.
	"aws:ec2/internetGatewayAttachment:InternetGatewayAttachment": {"internetGatewayId", "vpcId"},
	// ec2/vpc_security_group.go: description, name, name_prefix, vpc_id ForceNew (EC2 cannot change them).
	"aws:ec2/securityGroup:SecurityGroup": {"description", "name", "namePrefix", "vpcId"},
	// ec2/vpc_default_security_group.go: vpc_id ForceNew.
	"aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": {"vpcId"},
	// ec2/vpc_security_group_rule.go: every argument but description ForceNew.
	"aws:ec2/securityGroupRule:SecurityGroupRule": {"cidrBlocks", "fromPort", "ipv6CidrBlocks", "prefixListIds",
		"protocol", "securityGroupId", "self", "sourceSecurityGroupId", "toPort", "type"},
	// ec2/vpc_security_group_ingress_rule.go (the egress rule embeds the same resource): security_group_id
	// RequiresReplace; a change of source kind is decided in ModifyPlan (conditional).
	"aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": {"securityGroupId"},
	"aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule":   {"securityGroupId"},
	// ec2/vpc_endpoint.go: resource_configuration_arn, service_name, service_network_arn, service_region,
	// vpc_endpoint_type, vpc_id ForceNew; private_dns_enabled is conditional.
	"aws:ec2/vpcEndpoint:VpcEndpoint": {"resourceConfigurationArn", "serviceName", "serviceNetworkArn", "serviceRegion",
		"vpcEndpointType", "vpcId"},
	// ec2/vpc_flow_log.go: every argument but tags ForceNew, destination_options and its fields included
	// (flow logs cannot be modified).
	"aws:ec2/flowLog:FlowLog": {"deliverCrossAccountRole", "destinationOptions", "eniId", "iamRoleArn", "logDestination",
		"logDestinationType", "logFormat", "maxAggregationInterval", "subnetId", "trafficType", "transitGatewayAttachmentId",
		"transitGatewayId", "vpcId"},
	// ec2/ec2_launch_template.go: name, name_prefix ForceNew; every other change, block device mappings
	// included, creates a new template version in place.
	"aws:ec2/launchTemplate:LaunchTemplate": {"name", "namePrefix"},
	// ec2/ec2_instance.go: the ForceNew arguments and nested fields below. launch_template.0.version is
	// ForceNewIf in the resource's CustomizeDiff: it replaces when the instance does not run the version the
	// new value resolves to, which the provider asks EC2; a changed version is taken to be such a one.
	// user_data, cpu_options.amd_sev_snp and the blocks that replace only when added or removed are
	// conditional. Checked in a v5 source older than v5.100: enable_primary_ipv6, instance_market_options
	// and host_resource_group_arn were not in it.
	"aws:ec2/instance:Instance": {"ami", "associatePublicIpAddress", "availabilityZone", "cpuCoreCount",
		"cpuOptions.coreCount", "cpuOptions.threadsPerCore", "cpuThreadsPerCore",
		"ebsBlockDevices[*].deleteOnTermination", "ebsBlockDevices[*].deviceName", "ebsBlockDevices[*].encrypted",
		"ebsBlockDevices[*].iops", "ebsBlockDevices[*].kmsKeyId", "ebsBlockDevices[*].snapshotId",
		"ebsBlockDevices[*].throughput", "ebsBlockDevices[*].volumeSize", "ebsBlockDevices[*].volumeType",
		"ebsOptimized", "enclaveOptions.enabled", "hibernation", "hostId", "ipv6AddressCount", "ipv6Addresses", "keyName",
		"launchTemplate.id", "launchTemplate.name", "launchTemplate.version",
		"networkInterfaces[*].deleteOnTermination", "networkInterfaces[*].deviceIndex",
		"networkInterfaces[*].networkCardIndex", "networkInterfaces[*].networkInterfaceId", "placementGroup",
		"placementPartitionNumber", "privateIp", "rootBlockDevice.encrypted", "rootBlockDevice.kmsKeyId", "securityGroups",
		"subnetId", "tenancy"},
	// autoscaling/group.go: initial_lifecycle_hook (a ForceNew set whose fields are all ForceNew), name,
	// name_prefix replace; everything else updates the group.
	"aws:autoscaling/group:Group": {"initialLifecycleHooks", "name", "namePrefix"},
	// autoscaling/policy.go: autoscaling_group_name, name ForceNew.
	"aws:autoscaling/policy:Policy": {"autoscalingGroupName", "name"},
	// autoscaling/schedule.go: autoscaling_group_name, scheduled_action_name ForceNew.
	"aws:autoscaling/schedule:Schedule": {"autoscalingGroupName", "scheduledActionName"},
	// logs/group.go: log_group_class, name, name_prefix ForceNew; kms_key_id and retention update in place.
	"aws:cloudwatch/logGroup:LogGroup": {"logGroupClass", "name", "namePrefix"},
	// cloudwatch/metric_alarm.go: alarm_name ForceNew.
	"aws:cloudwatch/metricAlarm:MetricAlarm": {"name"},
	// cloudwatch/dashboard.go: dashboard_name ForceNew.
	"aws:cloudwatch/dashboard:Dashboard": {"dashboardName"},
	// iam/role.go: name, name_prefix, path ForceNew.
	"aws:iam/role:Role": {"name", "namePrefix", "path"},
	// iam/role_policy.go: name, name_prefix, role ForceNew.
	"aws:iam/rolePolicy:RolePolicy": {"name", "namePrefix", "role"},
	// iam/role_policy_attachment.go: policy_arn, role ForceNew.
	"aws:iam/rolePolicyAttachment:RolePolicyAttachment": {"policyArn", "role"},
	// iam/instance_profile.go: name, name_prefix, path ForceNew; role updates in place.
	"aws:iam/instanceProfile:InstanceProfile": {"name", "namePrefix", "path"},
	// iam/policy.go: description, name, name_prefix, path ForceNew; the document gets a new version.
	"aws:iam/policy:Policy": {"description", "name", "namePrefix", "path"},
	// iam/service_linked_role.go: aws_service_name ForceNew; custom_suffix is conditional.
	"aws:iam/serviceLinkedRole:ServiceLinkedRole": {"awsServiceName"},
	// kms/key.go: custom_key_store_id, customer_master_key_spec, key_usage, multi_region, xks_key_id ForceNew.
	"aws:kms/key:Key": {"customKeyStoreId", "customerMasterKeySpec", "keyUsage", "multiRegion", "xksKeyId"},
	// kms/alias.go: name, name_prefix ForceNew; target_key_id updates in place.
	"aws:kms/alias:Alias": {"name", "namePrefix"},
	// elbv2/load_balancer.go: customer_owned_ipv4_pool, internal, load_balancer_type, name, name_prefix
	// ForceNew; subnets, subnet mappings and security groups are decided in customizeDiffLoadBalancerNLB/ALB.
	"aws:lb/loadBalancer:LoadBalancer": {"customerOwnedIpv4Pool", "internal", "loadBalancerType", "name", "namePrefix"},
	// elbv2/target_group.go: ip_address_type, name, name_prefix, target_type ForceNew; port, protocol,
	// protocol_version and vpc_id are ForceNew with a DiffSuppressFunc (conditional).
	"aws:lb/targetGroup:TargetGroup": {"ipAddressType", "name", "namePrefix", "targetType"},
	// elbv2/listener.go: load_balancer_arn ForceNew.
	"aws:lb/listener:Listener": {"loadBalancerArn"},
	// rds/instance.go (pulumi/terraform-provider-aws, v5): availability_zone, backup_target,
	// character_set_name, custom_iam_instance_profile, db_name (and its deprecated alias name), engine,
	// kms_key_id, nchar_character_set_name, snapshot_identifier, storage_encrypted, timezone, username and the
	// s3_import fields ForceNew. identifier and identifier_prefix are not: the provider renames the instance in
	// place. Removing replicate_source_db promotes the replica in place. restore_to_point_in_time is conditional.
	"aws:rds/instance:Instance": {"availabilityZone", "backupTarget", "characterSetName", "customIamInstanceProfile",
		"dbName", "engine", "kmsKeyId", "name", "ncharCharacterSetName", "s3Import.bucketName", "s3Import.bucketPrefix",
		"s3Import.ingestionRole", "s3Import.sourceEngine", "s3Import.sourceEngineVersion", "snapshotIdentifier",
		"storageEncrypted", "timezone", "username"},
	// rds/subnet_group.go (pulumi fork): name, name_prefix ForceNew.
	"aws:rds/subnetGroup:SubnetGroup": {"name", "namePrefix"},
	// rds/parameter_group.go (pulumi fork): description, family, name, name_prefix ForceNew.
	"aws:rds/parameterGroup:ParameterGroup": {"description", "family", "name", "namePrefix"},
	// rds/instance_automated_backups_replication.go: every argument ForceNew.
	"aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication": {"kmsKeyId", "preSignedUrl",
		"retentionPeriod", "sourceDbInstanceArn"},
	// opensearch/domain.go: domain_name, encrypt_at_rest.kms_key_id ForceNew; engine_version, the encryption
	// switches, advanced security, ip_address_type and the vpc_options block are conditional.
	"aws:opensearch/domain:Domain": {"domainName", "encryptAtRest.kmsKeyId"},
	// route53/record.go: name, zone_id ForceNew; type and set_identifier are changed in place (a
	// ChangeResourceRecordSets DELETE and CREATE in one batch).
	"aws:route53/record:Record": {"name", "zoneId"},
	// route53/health_check.go: measure_latency, reference_name, request_interval, routing_control_arn, type
	// ForceNew.
	"aws:route53/healthCheck:HealthCheck": {"measureLatency", "referenceName", "requestInterval", "routingControlArn",
		"type"},
	// route53/zone.go: delegation_set_id, name ForceNew; vpc associations change in place.
	"aws:route53/zone:Zone": {"delegationSetId", "name"},
	// s3legacy/bucket_legacy.go (pulumi fork): bucket, bucket_prefix,
	// object_lock_configuration.object_lock_enabled ForceNew.
	"aws:s3/bucket:Bucket": {"bucket", "bucketPrefix", "objectLockConfiguration.objectLockEnabled"},
	// s3/bucket.go (pulumi fork): bucket, bucket_prefix, object_lock_enabled and the deprecated
	// object_lock_configuration.object_lock_enabled ForceNew.
	"aws:s3/bucketV2:BucketV2": {"bucket", "bucketPrefix", "objectLockConfiguration.objectLockEnabled",
		"objectLockEnabled"},
	// s3/bucket_lifecycle_configuration.go (plugin framework): bucket, expected_bucket_owner RequiresReplace.
	"aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2": {"bucket", "expectedBucketOwner"},
	// s3/bucket_ownership_controls.go: bucket ForceNew.
	"aws:s3/bucketOwnershipControls:BucketOwnershipControls": {"bucket"},
	// s3/bucket_policy.go: bucket ForceNew.
	"aws:s3/bucketPolicy:BucketPolicy": {"bucket"},
	// s3/bucket_public_access_block.go: bucket ForceNew.
	"aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": {"bucket"},
	// s3/bucket_server_side_encryption_configuration.go: bucket, expected_bucket_owner ForceNew.
	"aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2": {"bucket",
		"expectedBucketOwner"},
	// s3/bucket_versioning.go: bucket, expected_bucket_owner ForceNew.
	"aws:s3/bucketVersioningV2:BucketVersioningV2": {"bucket", "expectedBucketOwner"},
	// secretsmanager/secret.go: name, name_prefix ForceNew.
	"aws:secretsmanager/secret:Secret": {"name", "namePrefix"},
	// secretsmanager/secret_version.go: secret_binary, secret_id, secret_string ForceNew (a new value is a new
	// version); version_stages update in place.
	"aws:secretsmanager/secretVersion:SecretVersion": {"secretBinary", "secretId", "secretString"},
	// sns/topic.go: fifo_topic, name, name_prefix ForceNew.
	"aws:sns/topic:Topic": {"fifoTopic", "name", "namePrefix"},
	// sns/topic_subscription.go: endpoint, protocol, topic_arn ForceNew.
	"aws:sns/topicSubscription:TopicSubscription": {"endpoint", "protocol", "topic"},
	// amp/workspace.go: kms_key_arn ForceNew; removing the alias is conditional.
	"aws:amp/workspace:Workspace": {"kmsKeyArn"},
	// grafana/workspace.go: authentication_providers ForceNew; account_access_type updates in place.
	"aws:grafana/workspace:Workspace": {"authenticationProviders"},
	// random/randomPassword (pulumi-random, not AWS; entry from main, not re-audited here): every argument
	// RequiresReplace, as the model in random.go says.
	randomPasswordType: {"keepers", "length", "lower", "minLower", "minNumeric", "minSpecial", "minUpper", "number",
		"numeric", "overrideSpecial", "special", "upper"},
	// autoscaling/lifecycle_hook.go: name ForceNew; the group, transition, timeout, default result and
	// notification target are put again in place (PutLifecycleHook).
	"aws:autoscaling/lifecycleHook:LifecycleHook": {"name"},
	// sns/topic_policy.go: arn ForceNew; the policy is set again in place.
	"aws:sns/topicPolicy:TopicPolicy": {"arn"},
	// logs/resource_policy.go: policy_name ForceNew; the document is put again in place.
	"aws:cloudwatch/logResourcePolicy:LogResourcePolicy": {"policyName"},
	// ec2/vpc_default_network_acl.go: default_network_acl_id ForceNew; rules and subnets change in place.
	"aws:ec2/defaultNetworkAcl:DefaultNetworkAcl": {"defaultNetworkAclId"},
	// opensearch/domain_saml_options.go: domain_name ForceNew; the SAML options are updated in place.
	"aws:opensearch/domainSamlOptions:DomainSamlOptions": {"domainName"},
	// secretsmanager/secret_rotation.go: secret_id ForceNew; the function and the rules change in place.
	"aws:secretsmanager/secretRotation:SecretRotation": {"secretId"},
	// serverlessrepo/cloudformation_stack.go: name and application_id ForceNew; capabilities, parameters and
	// semantic_version update the stack in place.
	"aws:serverlessrepository/cloudFormationStack:CloudFormationStack": {"applicationId", "name"},
	// ec2/customergateway: EC2 has no action that modifies a customer gateway, only tags.
	"aws:ec2/customerGateway:CustomerGateway": {"bgpAsn", "bgpAsnExtended", "ipAddress", "type", "deviceName",
		"certificateArn"},
	// ec2/vpngateway: the Amazon-side ASN is set at creation; the VPC is attached and detached in place.
	"aws:ec2/vpnGateway:VpnGateway": {"amazonSideAsn", "availabilityZone"},
	// ec2/vpnconnection: the provider's schema marks these ForceNew (tunnel inside CIDRs among them,
	// terraform-aws-vpn-gateway #18, hashicorp/terraform-provider-aws #45663); the gateways and every other
	// tunnel option are modified in place (ModifyVpnConnection, ModifyVpnTunnelOptions).
	"aws:ec2/vpnConnection:VpnConnection": {"staticRoutesOnly", "enableAcceleration", "tunnelInsideIpVersion",
		"tunnel1InsideCidr", "tunnel2InsideCidr", "tunnel1InsideIpv6Cidr", "tunnel2InsideIpv6Cidr"},
	// ec2/vpnconnectionroute, ec2/vpngatewayroutepropagation: no update actions.
	"aws:ec2/vpnConnectionRoute:VpnConnectionRoute":                 {"destinationCidrBlock", "vpnConnectionId"},
	"aws:ec2/vpnGatewayRoutePropagation:VpnGatewayRoutePropagation": {"vpnGatewayId", "routeTableId"},
	// dms/replicationsubnetgroup
	"aws:dms/replicationSubnetGroup:ReplicationSubnetGroup": {"replicationSubnetGroupId"},
	// dms/replicationinstance: the provider's schema marks these ForceNew; class, storage, Multi-AZ, version
	// and security groups change in place (ModifyReplicationInstance).
	"aws:dms/replicationInstance:ReplicationInstance": {"replicationInstanceId", "replicationSubnetGroupId",
		"publiclyAccessible", "kmsKeyArn", "availabilityZone"},
	// dms/endpoint
	"aws:dms/endpoint:Endpoint": {"endpointId", "kmsKeyArn"},
	// dms/replicationtask: ModifyReplicationTask changes mappings, settings and the migration type, not the
	// instance or the endpoints.
	"aws:dms/replicationTask:ReplicationTask": {"replicationTaskId", "replicationInstanceArn", "sourceEndpointArn",
		"targetEndpointArn"},
	// dms/eventsubscription
	"aws:dms/eventSubscription:EventSubscription": {"name"},
}

// replacementRule returns those changed paths that force a replacement given the old and new inputs.
type replacementRule func(olds, news resource.PropertyMap, changed []string) []string

// conditional holds the replacements the provider decides from values, not from the path alone. Unknown new
// values read as the provider's CustomizeDiff reads them: an empty string, false, zero.
var conditional = map[string][]replacementRule{
	"aws:ec2/vpc:Vpc": {
		// ec2/vpc_.go resourceVPCCustomizeDiff: a changed cidr_block forces new unless ipv4_netmask_length is
		// set, in which case IPAM chose the block and the change is ignored.
		replaceIf("cidrBlock", func(_, news resource.PropertyMap) bool { return diffNumber(news, "ipv4NetmaskLength") == 0 }),
		// ec2/vpc_.go resourceVPCCustomizeDiff: instance_tenancy (default "default") changes in place only from
		// dedicated to default.
		replaceIf("instanceTenancy", func(olds, news resource.PropertyMap) bool {
			from, to := diffString(olds, "instanceTenancy", "default"), diffString(news, "instanceTenancy", "default")
			return from != to && (from != "dedicated" || to != "default")
		}),
	},
	"aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": {sourceKindChanged},
	"aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule":   {sourceKindChanged},
	"aws:ec2/vpcEndpoint:VpcEndpoint": {
		// ec2/vpc_endpoint.go CustomizeDiff: private_dns_enabled changes in place only on Interface endpoints
		// (vpc_endpoint_type defaults to Gateway). Checked in the newest stored source.
		replaceIf("privateDnsEnabled", func(_, news resource.PropertyMap) bool {
			return diffString(news, "vpcEndpointType", "Gateway") != "Interface"
		}),
	},
	"aws:ec2/instance:Instance": {
		// ec2/ec2_instance.go: user_data and user_data_base64 are ForceNewIf user_data_replace_on_change.
		replaceIf("userData", replaceUserDataOnChange),
		replaceIf("userDataBase64", replaceUserDataOnChange),
		// ec2/ec2_instance.go: cpu_options.amd_sev_snp is ForceNewIf, except from unset to "disabled".
		replaceIf("cpuOptions.amdSevSnp", func(olds, news resource.PropertyMap) bool {
			return diffString(olds, "cpuOptions.amdSevSnp", "") != "" || diffString(news, "cpuOptions.amdSevSnp", "") != "disabled"
		}),
		// ec2/ec2_instance.go: ephemeral_block_device, launch_template and private_dns_name_options are ForceNew
		// blocks whose other fields update in place.
		blockAddedOrRemoved("ephemeralBlockDevices"),
		blockAddedOrRemoved("launchTemplate"),
		blockAddedOrRemoved("privateDnsNameOptions"),
	},
	"aws:iam/serviceLinkedRole:ServiceLinkedRole": {
		// iam/service_linked_role.go: custom_suffix is ForceNew, but its DiffSuppressFunc ignores an empty one
		// for Application Auto Scaling roles, which do not take a suffix.
		replaceIf("customSuffix", func(_, news resource.PropertyMap) bool {
			return diffString(news, "customSuffix", "") != "" ||
				!strings.Contains(diffString(news, "awsServiceName", ""), ".application-autoscaling.")
		}),
	},
	"aws:lb/loadBalancer:LoadBalancer": {
		// elbv2/load_balancer.go customizeDiffLoadBalancerNLB: a network load balancer's subnets may only grow.
		replaceIf("subnets", func(olds, news resource.PropertyMap) bool {
			from, _ := setInput(olds, "subnets")
			to, known := setInput(news, "subnets")
			return loadBalancerType(news) == "network" && known && !sameSet(from, to) && len(to) <= len(from)
		}),
		// elbv2/load_balancer.go customizeDiffLoadBalancerNLB and ALB: subnet mappings may be added without
		// changing the others; an application load balancer may also drop some, a network one may not.
		replaceIf("subnetMappings", func(olds, news resource.PropertyMap) bool {
			typ := loadBalancerType(news)
			from, _ := setInput(olds, "subnetMappings")
			to, known := setInput(news, "subnetMappings")
			switch {
			case typ != "network" && typ != "application", !known, sameSet(from, to):
				return false
			case len(to) > len(from):
				return !subsetOf(from, to)
			case len(to) < len(from) && typ == "application":
				return !subsetOf(to, from)
			}
			return true
		}),
		// elbv2/load_balancer.go customizeDiffLoadBalancerNLB: a network load balancer cannot gain security
		// groups if it has none, nor lose them all.
		replaceIf("securityGroups", func(olds, news resource.PropertyMap) bool {
			from, _ := setInput(olds, "securityGroups")
			to, known := setInput(news, "securityGroups")
			return loadBalancerType(news) == "network" && known && (len(from) == 0) != (len(to) == 0)
		}),
	},
	"aws:lb/targetGroup:TargetGroup": {
		// elbv2/target_group.go: port, protocol and vpc_id are ForceNew, suppressed for Lambda targets
		// (suppressIfTargetType); target_type defaults to instance.
		replaceIf("port", notLambdaTargets),
		replaceIf("protocol", notLambdaTargets),
		replaceIf("vpcId", notLambdaTargets),
		// elbv2/target_group.go: protocol_version is ForceNew, suppressed for Lambda targets and for protocols
		// other than HTTP and HTTPS.
		replaceIf("protocolVersion", func(olds, news resource.PropertyMap) bool {
			protocol := strings.ToUpper(diffString(news, "protocol", ""))
			return notLambdaTargets(olds, news) && (protocol == "HTTP" || protocol == "HTTPS")
		}),
	},
	"aws:rds/instance:Instance": {
		// rds/instance.go (pulumi fork): restore_to_point_in_time is a ForceNew block whose fields are not.
		blockAddedOrRemoved("restoreToPointInTime"),
	},
	"aws:opensearch/domain:Domain": {
		// opensearch/domain.go: vpc_options is a ForceNew block; its subnets and security groups update in place.
		blockAddedOrRemoved("vpcOptions"),
		// opensearch/domain.go CustomizeDiff: encryption at rest and node-to-node encryption are ForceNewIf they
		// are turned off, or turned on where the engine cannot do it in place (inPlaceEncryptionEnableVersion).
		replaceIf("encryptAtRest.enabled", encryptionNeedsNewDomain("encryptAtRest.enabled")),
		replaceIf("nodeToNodeEncryption.enabled", encryptionNeedsNewDomain("nodeToNodeEncryption.enabled")),
		// opensearch/domain.go CustomizeDiff: advanced security options cannot be turned off.
		replaceIf("advancedSecurityOptions.enabled", func(olds, news resource.PropertyMap) bool {
			return diffBool(olds, "advancedSecurityOptions.enabled") && !diffBool(news, "advancedSecurityOptions.enabled")
		}),
		// opensearch/domain.go CustomizeDiff: ip_address_type cannot go back from dualstack.
		replaceIf("ipAddressType", func(olds, news resource.PropertyMap) bool {
			return diffString(olds, "ipAddressType", "") == "dualstack" && diffString(news, "ipAddressType", "") != "dualstack"
		}),
		// opensearch/domain.go CustomizeDiff: engine_version is ForceNewIf the new version is not among those
		// GetCompatibleVersions lists for the domain, "the versions you can upgrade them to"
		// (https://docs.aws.amazon.com/opensearch-service/latest/APIReference/API_GetCompatibleVersions.html).
		// Without asking AWS, an upgrade is taken to be compatible and anything else replaces.
		replaceIf("engineVersion", func(olds, news resource.PropertyMap) bool {
			if isUnknown(inputAt(news, "engineVersion")) {
				return true
			}
			from, to := diffString(olds, "engineVersion", ""), diffString(news, "engineVersion", "")
			return from != "" && to != "" && !isEngineUpgrade(from, to)
		}),
	},
	"aws:amp/workspace:Workspace": {
		// amp/workspace.go CustomizeDiff: ForceNewIfChange("alias") when an alias is removed.
		replaceIf("alias", func(olds, news resource.PropertyMap) bool {
			return diffString(olds, "alias", "") != "" && diffString(news, "alias", "") == ""
		}),
	},
}

// stateful lists the types whose replacement or deletion loses data or identity, and what is lost.
var stateful = map[string]string{
	"aws:rds/instance:Instance": "the database and its data (a primary or a read replica alike); a new instance " +
		"starts empty unless restored from a snapshot",
	"aws:kms/key:Key": "the key material: once the key is deleted, everything it encrypted (volumes, databases, " +
		"secrets, backups) can no longer be decrypted",
	"aws:secretsmanager/secret:Secret": "the secret's stored values and versions, and its ARN with the random " +
		"suffix that clients and policies reference",
	"aws:s3/bucket:Bucket":             "the bucket and every object in it",
	"aws:s3/bucketV2:BucketV2":         "the bucket and every object in it",
	"aws:cloudwatch/logGroup:LogGroup": "the stored log events, audit and flow logs included",
	"aws:ec2/vpc:Vpc": "the network and its ID: every subnet, route table, gateway and interface in it " +
		"goes with it, and peers, VPN and allow-lists that name it break",
	"aws:ec2/subnet:Subnet": "the subnet's ID and addresses, and the instances and network interfaces in it",
	"aws:ec2/eip:Eip": "the public IPv4 address, which partners and DNS may have allow-listed or pinned; " +
		"a new one is a different address",
	"aws:opensearch/domain:Domain": "the indices and their documents, and the domain endpoint clients use",
	"aws:route53/zone:Zone": "the hosted zone's name servers (the registrar's delegation must be redone) and " +
		"any record not managed here",
	"aws:amp/workspace:Workspace": "the stored metrics and the workspace ID writers and dashboards use",
	"aws:grafana/workspace:Workspace": "the dashboards, data sources and users configured inside Grafana, and " +
		"its URL",
	"aws:ec2/instance:Instance": "the instance's ID and private address, and the data on its volumes that are " +
		"deleted on termination",
	"aws:lb/loadBalancer:LoadBalancer": "the load balancer's DNS name, which records and partners' CNAMEs point " +
		"at",
	// A new connection has new tunnel addresses and pre-shared keys: the data centre's device must be
	// configured again before anything flows.
	"aws:ec2/vpnConnection:VpnConnection": "the tunnels' addresses and keys the data centre's device is configured with",
	// A new task starts from nothing: the full load runs again, and changes made meanwhile are lost.
	"aws:dms/replicationTask:ReplicationTask": "the task's progress: the full load starts again",
}

// autonamed lists, for the types whose physical name the kit sets itself, the input the provider fills with a
// generated name when the program leaves it out: rds.Instance's identifier, "if omitted, this provider will
// assign a random, unique identifier" (pulumi-aws registry).
var autonamed = map[string]string{
	"aws:rds/instance:Instance": "identifier",
}

// DeletedBeforeReplaced reports whether the provider replaces a resource with these inputs by deleting it
// first: the bridged provider does so when the program gives the name its autonaming would have chosen
// (pulumi-terraform-bridge, tfbridge.nameRequiresDeleteBeforeReplace), since the old resource and its
// replacement cannot hold one name at once.
func DeletedBeforeReplaced(typ string, news resource.PropertyMap) bool {
	key, ok := autonamed[typ]
	if !ok {
		return false
	}
	v, given := news[resource.PropertyKey(key)]
	return given && !v.IsNull()
}

// Replaces returns the changed paths that make the provider replace a resource of type typ, in the order
// given. changed are property paths as the engine prints them ("cidrBlock", "ebsBlockDevices[0].encrypted",
// `tags["a.b"]`): inputs whose value differs between olds and news, or is unknown in news. olds and news may
// be nil; rules that need values then find nothing to compare and do not replace. A path that neither the
// table nor a rule covers never replaces.
func Replaces(typ string, olds, news resource.PropertyMap, changed []string) []string {
	replaced := map[string]bool{}
	for _, path := range changed {
		for _, attr := range forcesReplacement[typ] {
			if touches(attr, path, olds, news) {
				replaced[path] = true
				break
			}
		}
	}
	for _, rule := range conditional[typ] {
		for _, path := range rule(olds, news, changed) {
			replaced[path] = true
		}
	}
	var out []string
	for _, path := range changed {
		if replaced[path] {
			out = append(out, path)
			delete(replaced, path)
		}
	}
	return out
}

// Stateful reports whether replacing or deleting a resource of this type loses data or identity, and what.
func Stateful(typ string) (lost string, ok bool) {
	lost, ok = stateful[typ]
	return lost, ok
}

// ReplacementTypes lists, sorted, the types whose replacement rules were audited.
func ReplacementTypes() []string {
	out := make([]string, 0, len(forcesReplacement))
	for typ := range forcesReplacement {
		out = append(out, typ)
	}
	sort.Strings(out)
	return out
}

// ModelledTypes lists, sorted, the resource types the simulated AWS has a model for: each needs its
// replacement rules audited.
func ModelledTypes() []string {
	out := make([]string, 0, len(models))
	for typ := range models {
		out = append(out, typ)
	}
	sort.Strings(out)
	return out
}

// replaceIf makes a rule: the changes that touch attr replace when cond holds for the old and new inputs.
func replaceIf(attr string, cond func(olds, news resource.PropertyMap) bool) replacementRule {
	return func(olds, news resource.PropertyMap, changed []string) []string {
		var hits []string
		for _, path := range changed {
			if touches(attr, path, olds, news) {
				hits = append(hits, path)
			}
		}
		if len(hits) == 0 || !cond(olds, news) {
			return nil
		}
		return hits
	}
}

// blockAddedOrRemoved makes the rule of a ForceNew block whose fields are not ForceNew: it replaces when the
// block appears, disappears, or its element count changes.
func blockAddedOrRemoved(block string) replacementRule {
	return replaceIf(block, func(olds, news resource.PropertyMap) bool {
		to := inputAt(news, block)
		return isUnknown(to) || blockCount(inputAt(olds, block)) != blockCount(to)
	})
}

func blockCount(v resource.PropertyValue) int {
	switch {
	case v.IsNull():
		return 0
	case v.IsArray():
		return len(v.ArrayValue())
	}
	return 1
}

// sourceKindChanged: ec2/vpc_security_group_ingress_rule.go ModifyPlan requires replacement when the kind of
// source changes (cidr_ipv4, cidr_ipv6, prefix_list_id, referenced_security_group_id); a new value of the same
// kind updates the rule in place.
func sourceKindChanged(olds, news resource.PropertyMap, changed []string) []string {
	sources := []string{"cidrIpv4", "cidrIpv6", "prefixListId", "referencedSecurityGroupId"}
	kind := func(m resource.PropertyMap) (set []bool) {
		for _, s := range sources {
			set = append(set, !inputAt(m, s).IsNull())
		}
		return set
	}
	if slices.Equal(kind(olds), kind(news)) {
		return nil
	}
	var hits []string
	for _, path := range changed {
		if slices.ContainsFunc(sources, func(s string) bool { return touches(s, path, olds, news) }) {
			hits = append(hits, path)
		}
	}
	return hits
}

func replaceUserDataOnChange(_, news resource.PropertyMap) bool {
	return diffBool(news, "userDataReplaceOnChange")
}

func loadBalancerType(news resource.PropertyMap) string {
	return diffString(news, "loadBalancerType", "application")
}

func notLambdaTargets(_, news resource.PropertyMap) bool {
	return diffString(news, "targetType", "instance") != "lambda"
}

// encryptionNeedsNewDomain: turning encryption off replaces; turning it on replaces unless the engine can do
// it in place (opensearch/domain.go inPlaceEncryptionEnableVersion: any OpenSearch, Elasticsearch 6.7 and
// later). An engine version left out keeps the domain's, and a new domain's default engine is OpenSearch.
func encryptionNeedsNewDomain(path string) func(olds, news resource.PropertyMap) bool {
	return func(olds, news resource.PropertyMap) bool {
		from, to := diffBool(olds, path), diffBool(news, path)
		switch {
		case from && !to:
			return true
		case from == to && !isUnknown(inputAt(news, path)):
			return false
		}
		version := diffString(news, "engineVersion", diffString(olds, "engineVersion", "OpenSearch_"))
		family, major, minor, ok := parseEngineVersion(version)
		switch {
		case family == "OpenSearch":
			return false
		case family == "Elasticsearch" && ok:
			return major < 6 || major == 6 && minor < 7
		}
		return true
	}
}

// isEngineUpgrade reports whether an OpenSearch domain's engine version moves forward: a later version of the
// same engine, or from Elasticsearch to OpenSearch.
func isEngineUpgrade(from, to string) bool {
	fromFamily, fromMajor, fromMinor, fromOK := parseEngineVersion(from)
	toFamily, toMajor, toMinor, toOK := parseEngineVersion(to)
	switch {
	case !fromOK || !toOK:
		return false
	case fromFamily == toFamily:
		return toMajor > fromMajor || toMajor == fromMajor && toMinor > fromMinor
	}
	return fromFamily == "Elasticsearch" && toFamily == "OpenSearch"
}

// parseEngineVersion splits "OpenSearch_2.11" or "Elasticsearch_7.10"; ok is false without a number.
func parseEngineVersion(v string) (family string, major, minor int, ok bool) {
	family, number, _ := strings.Cut(v, "_")
	majorText, minorText, _ := strings.Cut(number, ".")
	major, err := strconv.Atoi(majorText)
	if err != nil {
		return family, 0, 0, false
	}
	minor, _ = strconv.Atoi(minorText)
	return family, major, minor, true
}

// touches reports whether a change at path touches attr: path is attr or lies under it, or path encloses attr
// (a whole block or element changed) and the value at attr differs between olds and news.
func touches(attr, path string, olds, news resource.PropertyMap) bool {
	pattern, errA := resource.ParsePropertyPath(attr)
	changed, errP := resource.ParsePropertyPath(path)
	if errA != nil || errP != nil || len(changed) == 0 {
		return attr == path
	}
	if pattern.Contains(changed) {
		return true
	}
	if len(changed) >= len(pattern) {
		return false
	}
	for i, key := range changed {
		if pattern[i] != "*" && pattern[i] != key {
			return false
		}
	}
	under := append(append(resource.PropertyPath{}, changed...), pattern[len(changed):]...)
	return differs(resource.NewObjectProperty(olds), resource.NewObjectProperty(news), under)
}

// differs compares the values at path in from and to; "*" stands for every element or key. An unknown new
// value differs; absent and null are the same.
func differs(from, to resource.PropertyValue, path resource.PropertyPath) bool {
	from, to = unwrap(from), unwrap(to)
	if isUnknown(to) {
		return true
	}
	if len(path) == 0 {
		return !plain(from).DeepEquals(plain(to))
	}
	if key, ok := path[0].(int); ok {
		return differs(element(from, key), element(to, key), path[1:])
	}
	key, _ := path[0].(string)
	if key != "*" {
		return differs(field(from, key), field(to, key), path[1:])
	}
	for i := 0; i < len(arrayOf(from)) || i < len(arrayOf(to)); i++ {
		if differs(element(from, i), element(to, i), path[1:]) {
			return true
		}
	}
	keys := map[resource.PropertyKey]bool{}
	for _, v := range []resource.PropertyValue{from, to} {
		if v.IsObject() {
			for k := range v.ObjectValue() {
				keys[k] = true
			}
		}
	}
	for k := range keys {
		if differs(field(from, string(k)), field(to, string(k)), path[1:]) {
			return true
		}
	}
	return false
}

// inputAt reads the value at a property path; an unknown value on the way is returned as is.
func inputAt(m resource.PropertyMap, path string) resource.PropertyValue {
	keys, err := resource.ParsePropertyPath(path)
	if err != nil {
		return resource.NewNullProperty()
	}
	v := resource.NewObjectProperty(m)
	for _, key := range keys {
		if v = unwrap(v); isUnknown(v) {
			return v
		}
		switch key := key.(type) {
		case int:
			v = element(v, key)
		case string:
			v = field(v, key)
		}
	}
	return unwrap(v)
}

// diffString reads a string input as the provider's diff does: def when absent, "" when unknown.
func diffString(m resource.PropertyMap, path, def string) string {
	switch v := inputAt(m, path); {
	case v.IsString():
		return v.StringValue()
	case v.IsNull():
		return def
	}
	return ""
}

// diffBool reads a bool input as the provider's diff does: false when absent or unknown.
func diffBool(m resource.PropertyMap, path string) bool {
	v := inputAt(m, path)
	return v.IsBool() && v.BoolValue()
}

// diffNumber reads a number input as the provider's diff does: 0 when absent or unknown.
func diffNumber(m resource.PropertyMap, path string) float64 {
	if v := inputAt(m, path); v.IsNumber() {
		return v.NumberValue()
	}
	return 0
}

// setInput reads a list input the provider keeps as a set: its distinct elements, and whether all are known.
func setInput(m resource.PropertyMap, path string) (set []resource.PropertyValue, known bool) {
	v := inputAt(m, path)
	if v.ContainsUnknowns() {
		return nil, false
	}
	for _, e := range arrayOf(v) {
		if e = plain(e); !subsetOf([]resource.PropertyValue{e}, set) {
			set = append(set, e)
		}
	}
	return set, true
}

// subsetOf reports whether every element of a is in b.
func subsetOf(a, b []resource.PropertyValue) bool {
	for _, x := range a {
		found := false
		for _, y := range b {
			if found = x.DeepEquals(y); found {
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

func sameSet(a, b []resource.PropertyValue) bool {
	return len(a) == len(b) && subsetOf(a, b)
}

func isUnknown(v resource.PropertyValue) bool {
	return v.IsComputed() || v.IsOutput() && !v.OutputValue().Known
}

// plain strips secrets and known outputs all the way down, and null object fields, so values compare by content.
func plain(v resource.PropertyValue) resource.PropertyValue {
	v = unwrap(v)
	switch {
	case v.IsArray():
		out := make([]resource.PropertyValue, len(v.ArrayValue()))
		for i, e := range v.ArrayValue() {
			out[i] = plain(e)
		}
		return resource.NewArrayProperty(out)
	case v.IsObject():
		out := resource.PropertyMap{}
		for k, e := range v.ObjectValue() {
			if e = plain(e); !e.IsNull() {
				out[k] = e
			}
		}
		return resource.NewObjectProperty(out)
	}
	return v
}

func arrayOf(v resource.PropertyValue) []resource.PropertyValue {
	if v = unwrap(v); v.IsArray() {
		return v.ArrayValue()
	}
	return nil
}

func element(v resource.PropertyValue, i int) resource.PropertyValue {
	if a := arrayOf(v); i >= 0 && i < len(a) {
		return a[i]
	}
	return resource.NewNullProperty()
}

func field(v resource.PropertyValue, key string) resource.PropertyValue {
	if v = unwrap(v); v.IsObject() {
		if f, ok := v.ObjectValue()[resource.PropertyKey(key)]; ok {
			return f
		}
	}
	return resource.NewNullProperty()
}

// DocsURL is the pulumi-aws registry page of a type token, where its replacement rules are documented:
// aws:ec2/routeTableAssociation:RouteTableAssociation -> .../api-docs/ec2/routetableassociation/.
func DocsURL(typ string) string {
	parts := strings.Split(strings.TrimPrefix(typ, "aws:"), ":")
	if len(parts) != 2 || !strings.HasPrefix(typ, "aws:") {
		return ""
	}
	module, _, _ := strings.Cut(parts[0], "/")
	return "https://www.pulumi.com/registry/packages/aws/api-docs/" + module + "/" + strings.ToLower(parts[1]) + "/"
}

// contains is kept for access.go, which used the helper this file had before.
func contains(list []string, s string) bool { return slices.Contains(list, s) }
