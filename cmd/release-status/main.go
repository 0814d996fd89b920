// Command release-status reports, and with -wait waits for, the instance refresh a release started on the
// web tier's auto-scaling groups, and exits non-zero when it failed or rolled back: the CI step after
// `pulumi up`, which returns before the refresh ends. It reads AWS with the usual credentials (AWS_PROFILE,
// the AWS_* variables, SSO or an assumed role), and links the AWS SDK's Auto Scaling client only.
//
//	release-status -region us-east-1 -group "$(pulumi stack output webAsgName)" -since "$started" -wait
//
// Exit status: 0 succeeded (or no refresh), 1 failed, cancelled, rolled back or timed out, 2 usage or AWS
// error, 3 still running (without -wait). `go run` turns every non-zero status into 1; build the command to
// see the others.
package main

import (
	"context"
	"os"
	"time"

	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"

	"github.com/migration-kit/kit/internal/release"
)

func main() {
	os.Exit(release.Main(os.Args[1:], os.Stdout, os.Stderr, release.Env{
		API: func(ctx context.Context, region string) (release.API, error) {
			cfg, err := config.LoadDefaultConfig(ctx, config.WithRegion(region))
			if err != nil {
				return nil, err
			}
			return autoscaling.NewFromConfig(cfg), nil
		},
		Now:   time.Now,
		Sleep: release.SleepContext,
	}))
}
