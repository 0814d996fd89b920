package tests

import (
	"strings"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/migration-kit/kit/awssim"
)

func TestAWSSimRefusesBucketNamesS3Refuses(t *testing.T) {
	for _, name := range []string{"ab", strings.Repeat("a", 64), "My-Bucket", "logs_bucket", "-logs", "logs-",
		"a..b", "192.168.1.1", "xn--logs", "logs-s3alias"} {
		assert.Error(t, awssim.CheckBucketName(name), name)
	}
	for _, name := range []string{"abc", strings.Repeat("a", 63), "web-access-logs-1a2b3c4", "logs.example.com"} {
		assert.NoError(t, awssim.CheckBucketName(name), name)
	}
	_, err := simulateErr(t, "us-east-1", func(ctx *pulumi.Context) error {
		_, err := s3.NewBucketV2(ctx, "b", &s3.BucketV2Args{Bucket: pulumi.String("Logs_Bucket")})
		return err
	})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "InvalidBucketName")
}

func TestAWSSimAutonamesBucketsInLowercaseWithinTheLimit(t *testing.T) {
	g := simulate(t, "eu-west-1", func(ctx *pulumi.Context) error {
		_, err := s3.NewBucketV2(ctx, "Web-Access-Logs", &s3.BucketV2Args{})
		return err
	})
	b := g.Named("aws:s3/bucketV2:BucketV2", "Web-Access-Logs")
	assert.Regexp(t, `^web-access-logs-[0-9a-f]{7}$`, b.ID)
	assert.Equal(t, "arn:aws:s3:::"+b.ID, b.OutputString("arn"))
	assert.Equal(t, b.ID+".s3.eu-west-1.amazonaws.com", b.OutputString("bucketRegionalDomainName"))

	_, err := simulateErr(t, "us-east-1", func(ctx *pulumi.Context) error {
		_, err := s3.NewBucketV2(ctx, strings.Repeat("l", 60), &s3.BucketV2Args{})
		return err
	})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "plus 7 random chars is longer than maximum length 63")
}

func TestAWSSimRefusesWhatTheS3APIRefuses(t *testing.T) {
	for _, tc := range []struct {
		name string
		add  func(ctx *pulumi.Context, b *s3.BucketV2) error
		want []string
	}{
		{"policy that is not JSON", func(ctx *pulumi.Context, b *s3.BucketV2) error {
			_, err := s3.NewBucketPolicy(ctx, "p", &s3.BucketPolicyArgs{Bucket: b.ID(), Policy: pulumi.String("{not json")})
			return err
		}, []string{"MalformedPolicy", "not valid JSON"}},
		{"policy statement without a principal", func(ctx *pulumi.Context, b *s3.BucketV2) error {
			_, err := s3.NewBucketPolicy(ctx, "p", &s3.BucketPolicyArgs{Bucket: b.ID(), Policy: pulumi.String(
				`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`)})
			return err
		}, []string{"MalformedPolicy", "Statement 0 has no Principal"}},
		{"policy on a bucket that does not exist", func(ctx *pulumi.Context, _ *s3.BucketV2) error {
			_, err := s3.NewBucketPolicy(ctx, "p", &s3.BucketPolicyArgs{Bucket: pulumi.String("nobody-owns-this"), Policy: pulumi.String(
				`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*"}]}`)})
			return err
		}, []string{"NoSuchBucket"}},
		{"unknown encryption algorithm", func(ctx *pulumi.Context, b *s3.BucketV2) error {
			_, err := s3.NewBucketServerSideEncryptionConfigurationV2(ctx, "e", &s3.BucketServerSideEncryptionConfigurationV2Args{Bucket: b.ID(),
				Rules: s3.BucketServerSideEncryptionConfigurationV2RuleArray{&s3.BucketServerSideEncryptionConfigurationV2RuleArgs{
					ApplyServerSideEncryptionByDefault: &s3.BucketServerSideEncryptionConfigurationV2RuleApplyServerSideEncryptionByDefaultArgs{SseAlgorithm: pulumi.String("AES128")}}}})
			return err
		}, []string{"MalformedXML", `SSEAlgorithm "AES128"`}},
		{"lifecycle expiring after 0 days", func(ctx *pulumi.Context, b *s3.BucketV2) error {
			_, err := s3.NewBucketLifecycleConfigurationV2(ctx, "l", &s3.BucketLifecycleConfigurationV2Args{Bucket: b.ID(),
				Rules: s3.BucketLifecycleConfigurationV2RuleArray{&s3.BucketLifecycleConfigurationV2RuleArgs{Id: pulumi.String("x"), Status: pulumi.String("Enabled"),
					Expiration: &s3.BucketLifecycleConfigurationV2RuleExpirationArgs{Days: pulumi.Int(0)}}}})
			return err
		}, []string{"InvalidArgument", "Expiration days 0 must be a positive integer"}},
		{"lifecycle rule with a bad status", func(ctx *pulumi.Context, b *s3.BucketV2) error {
			_, err := s3.NewBucketLifecycleConfigurationV2(ctx, "l", &s3.BucketLifecycleConfigurationV2Args{Bucket: b.ID(),
				Rules: s3.BucketLifecycleConfigurationV2RuleArray{&s3.BucketLifecycleConfigurationV2RuleArgs{Id: pulumi.String("x"), Status: pulumi.String("On")}}})
			return err
		}, []string{"MalformedXML", `Status "On"`}},
		{"unknown object ownership", func(ctx *pulumi.Context, b *s3.BucketV2) error {
			_, err := s3.NewBucketOwnershipControls(ctx, "o", &s3.BucketOwnershipControlsArgs{Bucket: b.ID(),
				Rule: &s3.BucketOwnershipControlsRuleArgs{ObjectOwnership: pulumi.String("Everyone")}})
			return err
		}, []string{"MalformedXML", `ObjectOwnership "Everyone"`}},
		{"two buckets with one name", func(ctx *pulumi.Context, b *s3.BucketV2) error {
			_, err := s3.NewBucketV2(ctx, "again", &s3.BucketV2Args{Bucket: b.Bucket})
			return err
		}, []string{"BucketAlreadyOwnedByYou"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := simulateErr(t, "us-east-1", func(ctx *pulumi.Context) error {
				b, err := s3.NewBucketV2(ctx, "logs", &s3.BucketV2Args{})
				if err != nil {
					return err
				}
				return tc.add(ctx, b)
			})
			require.Error(t, err)
			for _, w := range tc.want {
				assert.Contains(t, err.Error(), w)
			}
		})
	}
}
