package rules

// The type tokens the rules judge. The lb and alb modules are aliases of one another in pulumi-aws: a
// program may register either token, so rules list both.
const (
	typeInstance             = "aws:ec2/instance:Instance"
	typeLaunchTemplate       = "aws:ec2/launchTemplate:LaunchTemplate"
	typeSecurityGroup        = "aws:ec2/securityGroup:SecurityGroup"
	typeSecurityGroupRule    = "aws:ec2/securityGroupRule:SecurityGroupRule"
	typeIngressRule          = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
	typeDefaultSecurityGroup = "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup"
	typeVPC                  = "aws:ec2/vpc:Vpc"
	typeSubnet               = "aws:ec2/subnet:Subnet"
	typeFlowLog              = "aws:ec2/flowLog:FlowLog"
	typeLB                   = "aws:lb/loadBalancer:LoadBalancer"
	typeALB                  = "aws:alb/loadBalancer:LoadBalancer"
	typeListener             = "aws:lb/listener:Listener"
	typeALBListener          = "aws:alb/listener:Listener"
	typeASG                  = "aws:autoscaling/group:Group"
	typeDBInstance           = "aws:rds/instance:Instance"
	typeDBSubnetGroup        = "aws:rds/subnetGroup:SubnetGroup"
	typeBucket               = "aws:s3/bucket:Bucket"
	typeBucketV2             = "aws:s3/bucketV2:BucketV2"
	typeBucketPAB            = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"
	typeBucketSSEV2          = "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2"
	// The V1 token is what pulumi-aws v7 registers; v6 programs use V2. Either encrypts the bucket.
	typeBucketSSE               = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
	typeKMSKey                  = "aws:kms/key:Key"
	typeMetricAlarm             = "aws:cloudwatch/metricAlarm:MetricAlarm"
	typeLogGroup                = "aws:cloudwatch/logGroup:LogGroup"
	typeSNSTopic                = "aws:sns/topic:Topic"
	typeOpenSearchDomain        = "aws:opensearch/domain:Domain"
	typeIAMRolePolicy           = "aws:iam/rolePolicy:RolePolicy"
	typeIAMPolicy               = "aws:iam/policy:Policy"
	typeIAMRolePolicyAttachment = "aws:iam/rolePolicyAttachment:RolePolicyAttachment"
	typeRouteTable              = "aws:ec2/routeTable:RouteTable"
	typeRoute                   = "aws:ec2/route:Route"
	typeInternetGateway         = "aws:ec2/internetGateway:InternetGateway"
	typeVPNGateway              = "aws:ec2/vpnGateway:VpnGateway"
	typeVPNConnection           = "aws:ec2/vpnConnection:VpnConnection"
	typeVPNPropagation          = "aws:ec2/vpnGatewayRoutePropagation:VpnGatewayRoutePropagation"
	typeDMSInstance             = "aws:dms/replicationInstance:ReplicationInstance"
	typeDMSEndpoint             = "aws:dms/endpoint:Endpoint"
	typeDMSTask                 = "aws:dms/replicationTask:ReplicationTask"
)

// TaggableTypes are the resource types the kit uses that take a tags input, so the required-tags rule can
// ask them for tags. Types without tags (rules, associations, attachments, policies attached inline, public
// access blocks, encryption configurations, dashboards) are left out on purpose: AWS has nowhere to put them.
var TaggableTypes = []string{
	"aws:amp/workspace:Workspace",
	"aws:autoscaling/group:Group",
	"aws:cloudwatch/logGroup:LogGroup",
	"aws:cloudwatch/metricAlarm:MetricAlarm",
	"aws:dms/endpoint:Endpoint",
	"aws:dms/eventSubscription:EventSubscription",
	"aws:dms/replicationInstance:ReplicationInstance",
	"aws:dms/replicationSubnetGroup:ReplicationSubnetGroup",
	"aws:dms/replicationTask:ReplicationTask",
	"aws:ec2/customerGateway:CustomerGateway",
	"aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
	"aws:ec2/eip:Eip",
	"aws:ec2/flowLog:FlowLog",
	"aws:ec2/instance:Instance",
	"aws:ec2/internetGateway:InternetGateway",
	"aws:ec2/launchTemplate:LaunchTemplate",
	"aws:ec2/natGateway:NatGateway",
	"aws:ec2/routeTable:RouteTable",
	"aws:ec2/securityGroup:SecurityGroup",
	"aws:ec2/subnet:Subnet",
	"aws:ec2/vpc:Vpc",
	"aws:ec2/vpcEndpoint:VpcEndpoint",
	"aws:ec2/vpnConnection:VpnConnection",
	"aws:ec2/vpnGateway:VpnGateway",
	"aws:grafana/workspace:Workspace",
	"aws:iam/policy:Policy",
	"aws:iam/role:Role",
	"aws:iam/instanceProfile:InstanceProfile",
	"aws:kms/key:Key",
	"aws:alb/loadBalancer:LoadBalancer",
	"aws:alb/listener:Listener",
	"aws:alb/targetGroup:TargetGroup",
	"aws:lb/listener:Listener",
	"aws:lb/loadBalancer:LoadBalancer",
	"aws:lb/targetGroup:TargetGroup",
	"aws:opensearch/domain:Domain",
	"aws:rds/instance:Instance",
	"aws:rds/parameterGroup:ParameterGroup",
	"aws:rds/subnetGroup:SubnetGroup",
	"aws:s3/bucket:Bucket",
	"aws:s3/bucketV2:BucketV2",
	"aws:secretsmanager/secret:Secret",
	"aws:sns/topic:Topic",
	"aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
	"aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
}

// RequiredTags are the tags every taggable resource carries: who owns it, which environment, what manages it.
var RequiredTags = []string{"Project", "Environment", "ManagedBy"}
