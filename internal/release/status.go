// Package release waits for the outcome of a release. `pulumi up` returns as soon as the provider has
// started an instance refresh ("This resource does not wait for the instance refresh to complete", pulumi-aws
// autoscaling.Group instanceRefresh), so a refresh that Auto Scaling later fails or rolls back looks like a
// successful deployment. The release-status command reads the refresh with DescribeInstanceRefreshes and
// turns its status into an exit status a CI job can fail on.
//
// The one AWS call sits behind API, which the SDK's client satisfies and the simulated AWS answers offline
// (awssim.AutoScalingAPI).
package release

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling/types"
)

// API is the Auto Scaling call the watcher makes: *autoscaling.Client satisfies it.
type API = autoscaling.DescribeInstanceRefreshesAPIClient

// Outcome is where a refresh stands, for a CI job.
type Outcome int

const (
	// Running: Pending, InProgress, Baking, Cancelling or RollbackInProgress; wait.
	Running Outcome = iota
	// Succeeded: the new version runs on every instance the refresh was to replace.
	Succeeded
	// FailedOutcome: Failed, Cancelled, RollbackSuccessful or RollbackFailed: the release did not happen.
	FailedOutcome
)

// OutcomeOf classifies a status of DescribeInstanceRefreshes (Amazon EC2 Auto Scaling API Reference,
// InstanceRefresh.Status). A rollback that succeeded is still a failed release: the group runs the old
// version.
func OutcomeOf(s types.InstanceRefreshStatus) Outcome {
	switch s {
	case types.InstanceRefreshStatusSuccessful:
		return Succeeded
	case types.InstanceRefreshStatusFailed, types.InstanceRefreshStatusCancelled,
		types.InstanceRefreshStatusRollbackSuccessful, types.InstanceRefreshStatusRollbackFailed:
		return FailedOutcome
	default:
		return Running
	}
}

// Latest returns the group's newest refresh that started at or after since (any, when since is zero), or
// nil when there is none.
func Latest(ctx context.Context, api API, group string, since time.Time) (*types.InstanceRefresh, error) {
	out, err := api.DescribeInstanceRefreshes(ctx, &autoscaling.DescribeInstanceRefreshesInput{
		AutoScalingGroupName: aws.String(group),
	})
	if err != nil {
		return nil, fmt.Errorf("describing the instance refreshes of %s: %w", group, err)
	}
	// AWS sorts them "by creation timestamp in descending order"; the start time decides anyway.
	var latest *types.InstanceRefresh
	for i := range out.InstanceRefreshes {
		r := &out.InstanceRefreshes[i]
		start := aws.ToTime(r.StartTime)
		if start.Before(since) {
			continue
		}
		if latest == nil || start.After(aws.ToTime(latest.StartTime)) {
			latest = r
		}
	}
	return latest, nil
}

// Line says where a refresh stands, in one line, and why when AWS says.
func Line(group string, r *types.InstanceRefresh) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: instance refresh %s %s, %d%% complete, %d %s to update, started %s",
		group, aws.ToString(r.InstanceRefreshId), r.Status, aws.ToInt32(r.PercentageComplete),
		aws.ToInt32(r.InstancesToUpdate), plural(int(aws.ToInt32(r.InstancesToUpdate)), "instance", "instances"),
		aws.ToTime(r.StartTime).UTC().Format(time.RFC3339))
	if r.EndTime != nil {
		fmt.Fprintf(&b, ", ended %s", r.EndTime.UTC().Format(time.RFC3339))
	}
	if reason := aws.ToString(r.StatusReason); reason != "" {
		b.WriteString("\n  " + reason)
	}
	if d := r.RollbackDetails; d != nil {
		fmt.Fprintf(&b, "\n  rollback started %s at %d%% complete: %s",
			aws.ToTime(d.RollbackStartTime).UTC().Format(time.RFC3339), aws.ToInt32(d.PercentageCompleteOnRollback),
			aws.ToString(d.RollbackReason))
	}
	return b.String()
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
