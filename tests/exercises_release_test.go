package tests

// Exercise 7 of docs/EXERCISES.md, "Ship a release". Besides the plan's blocks, its steps show the rollout
// section and what cmd/release-status prints while the release runs:
//
//	```rollout <id>     the plan's rollout section of the step (internal/rollout), from the deployed state
//	```status <id>      cmd/release-status -wait against the simulated AWS, then "exit status N"
//
// The status blocks are replayed on the simulated AWS: it walks the refresh the update starts through its
// checkpoints, minute by minute, and puts a rollback alarm in ALARM where the step says one fires.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/migration-kit/kit/awssim"
	"github.com/migration-kit/kit/internal/plan"
	"github.com/migration-kit/kit/internal/release"
	"github.com/migration-kit/kit/internal/rollout"
)

// exercisesReleaseStack is the stack of exercise 7: prod's file with the exercise's edits.
const exercisesReleaseStack = "shop"

// exercisesReleaseGraphs deploys the exercise's stack with the deployed edits (a simulated `pulumi up`), then
// applies edits as an update of it, and returns the state before the change and the account after it: its
// groups carry their prior selves, so the simulated AWS knows the refreshes the update starts.
func exercisesReleaseGraphs(t *testing.T, deployed, edits []string) (before, after *awssim.Graph) {
	t.Helper()
	blocks, _ := exercisesBlocks(t)
	dir := copyProject(t, nil)
	file := filepath.Join(dir, "stacks", "Pulumi."+exercisesReleaseStack+".yaml")
	require.NoError(t, os.WriteFile(file, []byte(exercisesEdit(t, blocks, "prod", deployed)), 0o644))
	rec := exercisesMain(dir, "-update", exercisesReleaseStack)
	require.Equal(t, 0, rec.status, rec.stderr)
	require.NoError(t, os.WriteFile(file, []byte(exercisesEdit(t, blocks, "prod", edits)), 0o644))
	r, err := plan.Build(dir, exercisesReleaseStack)
	require.NoError(t, err)
	require.NoError(t, r.Refusal)
	return r.PriorGraph, r.Applied.Sim.Graph()
}

// exercisesReleaseStatus runs `release-status -wait` on the primary group after the update, polling every
// minute; when alarm is set, that rollback alarm goes to ALARM once the release has run for fireAt.
func exercisesReleaseStatus(t *testing.T, g *awssim.Graph, alarm string, fireAt time.Duration) (string, int) {
	t.Helper()
	api := g.AutoScalingAPI("us-east-1")
	var fire func()
	if alarm != "" {
		name := releaseAlarmName(t, api, alarm)
		fire = func() { require.NoError(t, api.SetAlarm(name)) }
	}
	group := g.Named(webtierASG, "web-asg").ID
	status, out, errOut := releaseMain(releaseEnv(api, fireAt, fire), "-region", "us-east-1", "-group", group, "-wait", "-poll", "1m")
	require.Empty(t, errOut)
	return fmt.Sprintf("%sexit status %d\n", out, status), status
}

// exercisesCheckBlock compares what a step shows with the doc's block of that kind and id.
func exercisesCheckBlock(t *testing.T, kind, id, got string) {
	t.Helper()
	blocks, _ := exercisesBlocks(t)
	if blocks[kind+" "+id] != got {
		t.Errorf("%s does not show the %s of step %s. It shows:\n\n```%s %s\n%s```\n", exercisesDoc, kind, id, kind, id, got)
	}
}

func exercisesReleaseStep(id string, deployed []string) exercisesStep {
	return exercisesStep{id: id, stack: exercisesReleaseStack, from: "prod", deployed: deployed,
		edits: append(append([]string(nil), deployed...), id)}
}

func TestExercise7ShipsAReleaseBehindCheckpointsAndRollsBackABadOne(t *testing.T) {
	t.Parallel() // plans through the engine: it shares the cores with the other slow tests
	deployed := []string{"release-deployed"}
	t.Run("the plan: new template versions, nothing replaced", func(t *testing.T) {
		_, r := exercisesRun(t, exercisesReleaseStep("release-version", deployed))
		require.NotNil(t, r)
		for _, c := range r.Changes() {
			assert.Equal(t, plan.Update, c.Op, "a new version replaces nothing: %s", c)
		}
		exercisesCheckBlock(t, "rollout", "release-version", rollout.Text(r.Rollouts()))

		// The section is in each of the plan's outputs: the report, the pull-request comment and -json.
		var report, comment, doc bytes.Buffer
		r.Report(&report, plan.ReportOptions{})
		assert.Contains(t, report.String(), "\n== Rollout\nweb-asg (us-east-1): instance refresh of 3 instances")
		r.Markdown(&comment, false)
		assert.Contains(t, comment.String(), "#### Rollout\n\n```\nweb-asg (us-east-1): instance refresh of 3 instances")
		require.NoError(t, r.JSON(&doc))
		var parsed struct {
			OfflinePlan struct{ Rollout string } `json:"offlinePlan"`
		}
		require.NoError(t, json.Unmarshal(doc.Bytes(), &parsed))
		assert.Equal(t, rollout.Text(r.Rollouts()), parsed.OfflinePlan.Rollout)
	})

	before, after := exercisesReleaseGraphs(t, deployed, []string{"release-deployed", "release-version"})
	rs := rollout.Describe(before.Resources(), after.Resources())
	t.Run("the rollout", func(t *testing.T) {
		require.Len(t, rs, 2, "the primary and the warm standby")
		for _, r := range rs {
			assert.Equal(t, rollout.Refresh, r.Kind)
			assert.True(t, r.Preferences.AutoRollback)
			assert.Len(t, r.Alarms, 3)
		}
		exercisesCheckBlock(t, "rollout", "release-version", rollout.Text(rs))
	})

	t.Run("a good release", func(t *testing.T) {
		out, status := exercisesReleaseStatus(t, after, "", 0)
		assert.Equal(t, release.ExitSucceeded, status)
		assert.Contains(t, out, "Successful, 100% complete")
		exercisesCheckBlock(t, "status", "release-good", out)
	})

	t.Run("a bad release", func(t *testing.T) {
		out, status := exercisesReleaseStatus(t, after, "web-release-5xx", 5*time.Minute)
		assert.Equal(t, release.ExitFailed, status)
		assert.Contains(t, out, "RollbackSuccessful")
		exercisesCheckBlock(t, "status", "release-bad", out)
	})
}

func TestExercise7BlueGreenMovesUsersWithTheListenerAlone(t *testing.T) {
	t.Parallel() // plans through the engine: it shares the cores with the other slow tests
	deployed := []string{"release-deployed"}
	t.Run("turning blue/green on", func(t *testing.T) {
		_, r := exercisesRun(t, exercisesReleaseStep("release-blue-green", deployed))
		require.NotNil(t, r)
		for _, c := range r.Changes() {
			switch c.Op {
			case plan.Create:
				assert.True(t, strings.Contains(c.Name, "green"), "only green's resources are new: %s", c)
			case plan.Update:
				// The listeners forward to both colors; the dashboards list green's alarms.
				assert.Contains(t, []string{"aws:lb/listener:Listener", "aws:cloudwatch/dashboard:Dashboard"}, c.Type,
					"blue keeps running as it is: %s", c)
			default:
				t.Errorf("nothing is replaced or deleted: %s", c)
			}
		}
	})
	t.Run("the canary", func(t *testing.T) {
		_, r := exercisesRun(t, exercisesReleaseStep("release-canary", append(deployed, "release-blue-green")))
		require.NotNil(t, r)
		require.NotEmpty(t, r.Changes())
		for _, c := range r.Changes() {
			assert.Equal(t, plan.Update, c.Op, c.String())
			assert.Equal(t, "aws:lb/listener:Listener", c.Type, "moving users is a listener update: %s", c)
		}
		exercisesCheckBlock(t, "rollout", "release-canary", rollout.Text(r.Rollouts()))
		before, after := exercisesReleaseGraphs(t, append(deployed, "release-blue-green"),
			append(deployed, "release-blue-green", "release-canary"))
		rs := rollout.Describe(before.Resources(), after.Resources())
		for _, r := range rs {
			assert.Equal(t, rollout.Shift, r.Kind, "no instance is replaced: %+v", r)
		}
		exercisesCheckBlock(t, "rollout", "release-canary", rollout.Text(rs))
	})
}
