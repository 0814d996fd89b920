package webtier

import (
	"encoding/json"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// elbLogAccounts are the Elastic Load Balancing accounts that deliver access logs in the regions that
// existed before August 2022 (ALB user guide, "Enable access logs"). Later regions grant the service
// principal elbLogService instead.
var elbLogAccounts = map[string]string{
	"us-east-1": "127311923021", "us-east-2": "033677994240", "us-west-1": "027434742980",
	"us-west-2": "797873946194", "af-south-1": "098369216593", "ap-east-1": "754344448648",
	"ap-southeast-3": "589379963580", "ap-south-1": "718504428378", "ap-northeast-3": "383597477331",
	"ap-northeast-2": "600734575887", "ap-southeast-1": "114774131450", "ap-southeast-2": "783225319266",
	"ap-northeast-1": "582318560864", "ca-central-1": "985666609251", "eu-central-1": "054676820928",
	"eu-west-1": "156460612806", "eu-west-2": "652711504416", "eu-south-1": "635631232127",
	"eu-west-3": "009996457667", "eu-north-1": "897822967062", "me-south-1": "076674570225",
	"sa-east-1": "507241528517",
}

const elbLogService = "logdelivery.elasticloadbalancing.amazonaws.com"

// logDeliveryPrincipal is the principal that writes ELB access logs in region.
func logDeliveryPrincipal(region string) map[string]string {
	if acct, ok := elbLogAccounts[region]; ok {
		return map[string]string{"AWS": "arn:aws:iam::" + acct + ":root"}
	}
	return map[string]string{"Service": elbLogService}
}

// accessLogsPolicy lets ELB write under AWSLogs/<account>/ and refuses any request not made over TLS.
func accessLogsPolicy(region, bucket, account string) (string, error) {
	bucketARN := "arn:aws:s3:::" + bucket
	doc := map[string]any{
		"Version": "2012-10-17",
		"Statement": []map[string]any{
			{
				"Sid":       "ELBAccessLogDelivery",
				"Effect":    "Allow",
				"Principal": logDeliveryPrincipal(region),
				"Action":    "s3:PutObject",
				"Resource":  bucketARN + "/AWSLogs/" + account + "/*",
			},
			{
				"Sid":       "DenyInsecureTransport",
				"Effect":    "Deny",
				"Principal": "*",
				"Action":    "s3:*",
				"Resource":  []string{bucketARN, bucketARN + "/*"},
				"Condition": map[string]any{"Bool": map[string]string{"aws:SecureTransport": "false"}},
			},
		},
	}
	out, err := json.Marshal(doc)
	return string(out), err
}

// accessLogs creates the bucket the load balancer writes its access logs to, when asked for.
func (b *builder) accessLogs() error {
	b.tier.AccessLogsBucket = pulumi.String("").ToStringOutput()
	if !b.args.AccessLogs {
		return nil
	}
	caller, err := aws.GetCallerIdentity(b.ctx, nil, b.parent)
	if err != nil {
		return err
	}
	bucket, err := s3.NewBucketV2(b.ctx, b.child("access-logs"), &s3.BucketV2Args{
		// Without deletion protection the tier is disposable, logs included; with it, destroying the stack
		// stops at a non-empty log bucket rather than deleting evidence.
		ForceDestroy: pulumi.Bool(!b.args.DeletionProtection),
		Tags:         b.tags(b.child("access-logs")),
	}, b.parent)
	if err != nil {
		return err
	}
	pab, err := s3.NewBucketPublicAccessBlock(b.ctx, b.child("access-logs"), &s3.BucketPublicAccessBlockArgs{
		Bucket:                bucket.ID(),
		BlockPublicAcls:       pulumi.Bool(true),
		BlockPublicPolicy:     pulumi.Bool(true),
		IgnorePublicAcls:      pulumi.Bool(true),
		RestrictPublicBuckets: pulumi.Bool(true),
	}, b.parent)
	if err != nil {
		return err
	}
	ownership, err := s3.NewBucketOwnershipControls(b.ctx, b.child("access-logs"), &s3.BucketOwnershipControlsArgs{
		Bucket: bucket.ID(),
		Rule:   &s3.BucketOwnershipControlsRuleArgs{ObjectOwnership: pulumi.String("BucketOwnerEnforced")},
	}, b.parent)
	if err != nil {
		return err
	}
	// ELB access logs support SSE-S3 only: a KMS key would make every delivery fail.
	encryption, err := s3.NewBucketServerSideEncryptionConfigurationV2(b.ctx, b.child("access-logs"), &s3.BucketServerSideEncryptionConfigurationV2Args{
		Bucket: bucket.ID(),
		Rules: s3.BucketServerSideEncryptionConfigurationV2RuleArray{&s3.BucketServerSideEncryptionConfigurationV2RuleArgs{
			ApplyServerSideEncryptionByDefault: &s3.BucketServerSideEncryptionConfigurationV2RuleApplyServerSideEncryptionByDefaultArgs{
				SseAlgorithm: pulumi.String("AES256"),
			},
		}},
	}, b.parent)
	if err != nil {
		return err
	}
	if _, err := s3.NewBucketLifecycleConfigurationV2(b.ctx, b.child("access-logs"), &s3.BucketLifecycleConfigurationV2Args{
		Bucket: bucket.ID(),
		Rules: s3.BucketLifecycleConfigurationV2RuleArray{&s3.BucketLifecycleConfigurationV2RuleArgs{
			Id:         pulumi.String("expire-access-logs"),
			Status:     pulumi.String("Enabled"),
			Filter:     &s3.BucketLifecycleConfigurationV2RuleFilterArgs{Prefix: pulumi.String("")},
			Expiration: &s3.BucketLifecycleConfigurationV2RuleExpirationArgs{Days: pulumi.Int(b.args.AccessLogsDays)},
		}},
	}, b.parent); err != nil {
		return err
	}
	policyDoc := bucket.Bucket.ApplyT(func(name string) (string, error) {
		return accessLogsPolicy(b.args.Region, name, caller.AccountId)
	}).(pulumi.StringOutput)
	// The public access block must exist first: S3 evaluates a new policy against it.
	policy, err := s3.NewBucketPolicy(b.ctx, b.child("access-logs"), &s3.BucketPolicyArgs{
		Bucket: bucket.ID(),
		Policy: policyDoc,
	}, b.parent, pulumi.DependsOn([]pulumi.Resource{pab}))
	if err != nil {
		return err
	}
	b.logsBucket = bucket.Bucket
	b.logsReady = []pulumi.Resource{policy, ownership, encryption}
	b.tier.AccessLogsBucket = bucket.Bucket
	return nil
}
