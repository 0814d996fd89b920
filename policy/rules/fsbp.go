package rules

import (
	"slices"
)

// FSBPControl is one control of Security Hub's AWS Foundational Security Best Practices standard on a
// resource type the kit creates (or that its resources create: the instances of its Auto Scaling groups and
// their volumes, the rotation function of its secrets). The list is the standard's own ("Controls that apply
// to FSBP", Security Hub user guide), restricted to those types.
//
// A control is enforced by the rules whose Controls name it. One that no rule enforces says why: it finds
// nothing to check in the kit's stacks (NotApplicable), or prod does not meet it on purpose (Exception). The
// README's table is rendered from this list and the policy verdicts on prod by a test, so it cannot go stale.
type FSBPControl struct {
	ID, Title                string
	NotApplicable, Exception string
}

// FSBPControls are the FSBP controls for the kit's resource types, in the standard's order.
var FSBPControls = []FSBPControl{
	{ID: "AutoScaling.1", Title: "Auto Scaling groups associated with a load balancer should use ELB health checks"},
	{ID: "AutoScaling.2", Title: "Auto Scaling groups should cover multiple Availability Zones",
		NotApplicable: "no rule needed: the web tier refuses private subnets in fewer than two AZs, and the simulated AWS refuses a load balancer in fewer than two"},
	{ID: "AutoScaling.3", Title: "Launch configurations should require IMDSv2",
		NotApplicable: "launch configurations only; the kit's launch templates require IMDSv2 (EC2.8)"},
	{ID: "AutoScaling.4", Title: "Launch configurations should not have a metadata hop limit above 1",
		NotApplicable: "launch configurations only; the kit's launch templates set a hop limit of 1"},
	{ID: "AutoScaling.5", Title: "Instances launched from launch configurations should not have public IPs",
		NotApplicable: "launch configurations only; see EC2.25 for launch templates"},
	{ID: "AutoScaling.6", Title: "Auto Scaling groups should use multiple instance types in multiple AZs",
		Exception: "prod runs one instance type on purpose (one price, one behaviour under load); kit:web.spot.instanceTypes adds more"},
	{ID: "AutoScaling.9", Title: "Auto Scaling groups should use launch templates"},
	{ID: "DMS.1", Title: "Database Migration Service replication instances should not be public"},
	{ID: "EC2.2", Title: "The VPC default security group should not allow inbound and outbound traffic"},
	{ID: "EC2.3", Title: "Attached EBS volumes should be encrypted at rest"},
	{ID: "EC2.4", Title: "Stopped EC2 instances should be removed after a specified time period",
		NotApplicable: "an operational check of running accounts; prod has no warm pool, whose stopped instances are stopped by design"},
	{ID: "EC2.6", Title: "VPC flow logging should be enabled in all VPCs"},
	{ID: "EC2.7", Title: "EBS default encryption should be enabled",
		Exception: "an account setting, not a resource of a stack: turn it on per region (aws ec2 enable-ebs-encryption-by-default); every volume the kit creates is encrypted explicitly (EC2.3)"},
	{ID: "EC2.8", Title: "EC2 instances should use IMDSv2"},
	{ID: "EC2.9", Title: "EC2 instances should not have a public IPv4 address"},
	{ID: "EC2.10", Title: "EC2 should be configured to use VPC endpoints created for the EC2 service",
		Exception: "the instances do not call the EC2 API; an interface endpoint costs per AZ-hour for no traffic"},
	{ID: "EC2.15", Title: "Subnets should not automatically assign public IP addresses"},
	{ID: "EC2.16", Title: "Unused network ACLs should be removed",
		NotApplicable: "the kit creates no network ACL of its own; the default ACL it adopts serves every subnet"},
	{ID: "EC2.17", Title: "EC2 instances should not use multiple ENIs",
		NotApplicable: "no rule needed: the web tier's launch template declares one network interface"},
	{ID: "EC2.18", Title: "Security groups should only allow unrestricted incoming traffic for authorized ports"},
	{ID: "EC2.19", Title: "Security groups should not allow unrestricted access to ports with high risk"},
	{ID: "EC2.20", Title: "Both VPN tunnels for an AWS Site-to-Site VPN connection should be up",
		NotApplicable: "an operational check of a running connection's tunnels; prod has no VPN (kit:vpn)"},
	{ID: "EC2.21", Title: "Network ACLs should not allow ingress from 0.0.0.0/0 to port 22 or port 3389"},
	{ID: "EC2.22", Title: "Unused EC2 security groups should be removed",
		NotApplicable: "an operational check; every security group the kit creates is attached to its load balancer, instances, database or domain"},
	{ID: "EC2.25", Title: "EC2 launch templates should not assign public IPs to network interfaces"},
	{ID: "ELB.1", Title: "Application Load Balancer should redirect all HTTP requests to HTTPS"},
	{ID: "ELB.4", Title: "Application Load Balancer should be configured to drop HTTP headers"},
	{ID: "ELB.5", Title: "Application and Classic Load Balancers logging should be enabled"},
	{ID: "ELB.6", Title: "Application Load Balancer deletion protection should be enabled"},
	{ID: "ELB.12", Title: "Application Load Balancer should be configured with defensive or strictest desync mitigation mode"},
	{ID: "ELB.13", Title: "Application, Network and Gateway Load Balancers should span multiple AZs",
		NotApplicable: "no rule needed: the web tier refuses public subnets in fewer than two AZs, and the simulated AWS refuses the load balancer like ELB does"},
	{ID: "IAM.1", Title: "IAM policies should not allow full \"*\" administrative privileges"},
	{ID: "IAM.21", Title: "IAM customer managed policies should not allow wildcard actions for services",
		NotApplicable: "the kit creates no customer managed policy (its permissions are inline role policies naming actions)"},
	{ID: "KMS.1", Title: "IAM customer managed policies should not allow decryption on all KMS keys",
		NotApplicable: "the kit creates no customer managed policy"},
	{ID: "KMS.2", Title: "IAM principals should not have inline policies that allow decryption on all KMS keys",
		NotApplicable: "no rule needed: no inline policy of the kit grants kms:Decrypt (keys grant their users in key policies)"},
	{ID: "KMS.3", Title: "KMS keys should not be deleted unintentionally",
		NotApplicable: "an operational check of scheduled deletions; prod protects its keys (Pulumi protect) and keeps the 30-day deletion window"},
	{ID: "Opensearch.1", Title: "OpenSearch domains should have encryption at rest enabled"},
	{ID: "Opensearch.2", Title: "OpenSearch domains should be in a VPC"},
	{ID: "Opensearch.3", Title: "OpenSearch domains should encrypt data sent between nodes"},
	{ID: "Opensearch.4", Title: "OpenSearch domain error logging to CloudWatch Logs should be enabled"},
	{ID: "Opensearch.5", Title: "OpenSearch domains should have audit logging enabled"},
	{ID: "Opensearch.6", Title: "OpenSearch domains should have at least three data nodes"},
	{ID: "Opensearch.7", Title: "OpenSearch domains should have fine-grained access control enabled"},
	{ID: "Opensearch.8", Title: "Connections to OpenSearch domains should be encrypted using TLS 1.2"},
	{ID: "RDS.1", Title: "RDS snapshot should be private",
		NotApplicable: "the kit shares no snapshot"},
	{ID: "RDS.2", Title: "RDS DB instances should prohibit public access"},
	{ID: "RDS.3", Title: "RDS DB instances should have encryption at rest enabled"},
	{ID: "RDS.4", Title: "RDS cluster snapshots and database snapshots should be encrypted at rest"},
	{ID: "RDS.5", Title: "RDS DB instances should be configured with multiple Availability Zones"},
	{ID: "RDS.6", Title: "Enhanced monitoring should be configured for RDS DB instances"},
	{ID: "RDS.8", Title: "RDS DB instances should have deletion protection enabled"},
	{ID: "RDS.9", Title: "Database logging should be enabled"},
	{ID: "RDS.10", Title: "IAM authentication should be configured for RDS instances"},
	{ID: "RDS.11", Title: "RDS instances should have automatic backups enabled"},
	{ID: "RDS.13", Title: "RDS automatic minor version upgrades should be enabled"},
	{ID: "RDS.17", Title: "RDS DB instances should be configured to copy tags to snapshots"},
	{ID: "RDS.18", Title: "RDS instances should be deployed in a VPC",
		NotApplicable: "no rule needed: every instance has a DB subnet group of the kit's data subnets (workloads-in-private-subnets follows it)"},
	{ID: "RDS.19", Title: "An RDS event notification subscription should be configured for critical cluster events",
		NotApplicable: "judges existing event subscriptions; the kit creates none (CloudWatch alarms watch the database)"},
	{ID: "RDS.20", Title: "An RDS event notification subscription should be configured for critical database instance events",
		NotApplicable: "judges existing event subscriptions; the kit creates none (CloudWatch alarms watch the database)"},
	{ID: "RDS.21", Title: "An RDS event notification subscription should be configured for critical parameter group events",
		NotApplicable: "judges existing event subscriptions; the kit creates none"},
	{ID: "RDS.22", Title: "An RDS event notification subscription should be configured for critical security group events",
		NotApplicable: "judges existing event subscriptions; the kit creates none"},
	{ID: "RDS.23", Title: "RDS instances should not use a database engine default port",
		Exception: "the engine's default port (5432, 3306) stays: another port hides nothing from a scan, and the database accepts connections from its clients' security groups only"},
	{ID: "RDS.25", Title: "RDS database instances should use a custom administrator username",
		NotApplicable: "no rule needed: the master user is dbadmin, not the engine's default name"},
	{ID: "S3.1", Title: "S3 Block Public Access setting should be enabled",
		Exception: "an account setting, not a resource of a stack: turn it on for the account; every bucket the kit creates blocks public access itself (S3.8)"},
	{ID: "S3.2", Title: "S3 buckets should prohibit public read access"},
	{ID: "S3.3", Title: "S3 buckets should prohibit public write access"},
	{ID: "S3.4", Title: "S3 buckets should have server-side encryption enabled"},
	{ID: "S3.5", Title: "S3 buckets should require requests to use Secure Socket Layer",
		NotApplicable: "no rule needed: the access-log bucket's policy denies any request without aws:SecureTransport"},
	{ID: "S3.6", Title: "S3 permissions granted to other AWS accounts in bucket policies should be restricted",
		NotApplicable: "no rule needed: the only other account is ELB's log delivery, allowed s3:PutObject under the log prefix only"},
	{ID: "S3.8", Title: "S3 Block Public Access setting should be enabled at the bucket level"},
	{ID: "S3.9", Title: "S3 bucket server access logging should be enabled",
		Exception: "the only bucket holds the load balancer's access logs; logging access to it would need another log bucket, and so on"},
	{ID: "S3.10", Title: "S3 buckets with versioning enabled should have lifecycle policies configured",
		NotApplicable: "the access-log bucket is not versioned"},
	{ID: "S3.11", Title: "S3 buckets should have event notifications enabled",
		Exception: "nothing consumes events of the access-log bucket"},
	{ID: "S3.12", Title: "S3 access control lists (ACLs) should not be used to manage user access to buckets",
		NotApplicable: "no rule needed: the access-log bucket enforces bucket-owner object ownership (BucketOwnerEnforced), which turns ACLs off"},
	{ID: "S3.13", Title: "S3 buckets should have lifecycle policies configured",
		NotApplicable: "no rule needed: the access-log bucket expires its objects (kit:web.accessLogsDays)"},
	{ID: "SecretsManager.1", Title: "Secrets Manager secrets should have automatic rotation enabled"},
	{ID: "SecretsManager.2", Title: "Secrets Manager secrets configured with automatic rotation should rotate successfully",
		NotApplicable: "an operational check of past rotations: watch the rotation function's errors"},
	{ID: "SecretsManager.3", Title: "Remove unused Secrets Manager secrets",
		NotApplicable: "an operational check of secret use; the kit's secret is the database's credentials"},
	{ID: "SecretsManager.4", Title: "Secrets Manager secrets should be rotated within a specified number of days"},
	{ID: "SNS.1", Title: "SNS topics should be encrypted at rest using AWS KMS"},
	{ID: "SNS.2", Title: "Logging of delivery status should be enabled for notification messages sent to a topic",
		Exception: "not configured: the alarm topics deliver to email addresses; configure delivery status logging when an HTTPS, SQS or Lambda subscriber is added"},
	{ID: "SSM.1", Title: "EC2 instances should be managed by AWS Systems Manager",
		NotApplicable: "no rule needed: the web tier's instance role always carries AmazonSSMManagedInstanceCore"},
}

// RulesFor returns the names of the rules that enforce a control, in the pack's order.
func RulesFor(control string) []string {
	var out []string
	for _, r := range Policies() {
		if slices.Contains(r.Controls, control) {
			out = append(out, r.Name)
		}
	}
	return out
}
