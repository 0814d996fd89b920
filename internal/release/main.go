package release

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"
)

// Exit statuses of the command.
const (
	ExitSucceeded = 0 // every group's release succeeded, or none started
	ExitFailed    = 1 // a release failed, was cancelled or rolled back, or was still running at -timeout
	ExitUsage     = 2 // bad flags, or an AWS error
	ExitRunning   = 3 // without -wait: a release is still running
)

// Env is what the command needs from the world: the Auto Scaling API of a region, and a clock.
type Env struct {
	API   func(ctx context.Context, region string) (API, error)
	Now   func() time.Time
	Sleep func(ctx context.Context, d time.Duration) error
}

// groups collects repeated -group flags.
type groups []string

func (g *groups) String() string { return strings.Join(*g, ",") }
func (g *groups) Set(v string) error {
	for _, name := range strings.Split(v, ",") {
		if name = strings.TrimSpace(name); name != "" {
			*g = append(*g, name)
		}
	}
	return nil
}

// Main is `release-status -region <region> -group <name> [-group <name>] [-since <time>] [-wait]
// [-timeout 2h] [-poll 30s]`. It prints each group's latest instance refresh and returns an exit status (see
// the Exit constants); with -wait it polls until every refresh has finished, printing each change.
func Main(args []string, stdout, stderr io.Writer, env Env) int {
	fs := flag.NewFlagSet("release-status", flag.ContinueOnError)
	fs.SetOutput(stderr)
	region := fs.String("region", "", "the AWS region of the groups (pulumi stack output primaryRegion)")
	var names groups
	fs.Var(&names, "group", "an auto-scaling group name (pulumi stack output webAsgName); repeat it or separate names with commas")
	since := fs.String("since", "", "ignore refreshes that started before this time (RFC 3339), e.g. when the deployment began")
	wait := fs.Bool("wait", false, "poll until every refresh has finished")
	timeout := fs.Duration("timeout", 2*time.Hour, "with -wait, give up after this long")
	poll := fs.Duration("poll", 30*time.Second, "with -wait, the time between two reads")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: release-status -region <region> -group <name> [-group <name>] [-since <RFC 3339 time>] [-wait] [-timeout 2h] [-poll 30s]")
		fs.PrintDefaults()
		fmt.Fprintln(stderr, "exit status: 0 succeeded (or no refresh), 1 failed, cancelled, rolled back or timed out, 2 usage or AWS error, 3 still running (without -wait)")
	}
	if err := fs.Parse(args); err != nil {
		return ExitUsage
	}
	var problems []string
	if *region == "" {
		problems = append(problems, "-region is required: the region of the groups, e.g. -region us-east-1")
	}
	if len(names) == 0 {
		problems = append(problems, "-group is required: the auto-scaling group's name, e.g. -group \"$(pulumi stack output webAsgName)\"")
	}
	var from time.Time
	if *since != "" {
		t, err := time.Parse(time.RFC3339, *since)
		if err != nil {
			problems = append(problems, fmt.Sprintf("-since %q is not an RFC 3339 time: use e.g. 2026-12-01T09:00:00Z (date -u +%%Y-%%m-%%dT%%H:%%M:%%SZ)", *since))
		}
		from = t
	}
	if *poll <= 0 || *timeout <= 0 {
		problems = append(problems, "-poll and -timeout must be positive durations, e.g. -poll 30s -timeout 2h")
	}
	if fs.NArg() > 0 {
		problems = append(problems, fmt.Sprintf("unexpected arguments %q: every setting is a flag", fs.Args()))
	}
	if len(problems) > 0 {
		fmt.Fprintln(stderr, "release-status: "+strings.Join(problems, "\nrelease-status: "))
		return ExitUsage
	}

	ctx := context.Background()
	api, err := env.API(ctx, *region)
	if err != nil {
		fmt.Fprintf(stderr, "release-status: %v\n", err)
		return ExitUsage
	}
	w := watcher{api: api, env: env, stdout: stdout, since: from, last: map[string]string{}}
	deadline := env.Now().Add(*timeout)
	for {
		outcomes, err := w.read(ctx, names)
		if err != nil {
			fmt.Fprintf(stderr, "release-status: %v\n", err)
			return ExitUsage
		}
		switch worst(outcomes) {
		case FailedOutcome:
			fmt.Fprintln(stdout, "release failed: the group runs the previous version, or a mix; see the reasons above")
			return ExitFailed
		case Succeeded:
			return ExitSucceeded
		}
		if !*wait {
			return ExitRunning
		}
		if !env.Now().Before(deadline) {
			fmt.Fprintf(stdout, "release still running after %s: giving up (the refresh goes on; run again to keep waiting)\n", *timeout)
			return ExitFailed
		}
		if err := env.Sleep(ctx, min(*poll, deadline.Sub(env.Now()))); err != nil {
			fmt.Fprintf(stderr, "release-status: %v\n", err)
			return ExitUsage
		}
	}
}

// watcher reads the groups' refreshes and prints what changed since the last read.
type watcher struct {
	api    API
	env    Env
	stdout io.Writer
	since  time.Time
	last   map[string]string
}

func (w *watcher) read(ctx context.Context, names []string) ([]Outcome, error) {
	var out []Outcome
	for _, name := range names {
		r, err := Latest(ctx, w.api, name, w.since)
		if err != nil {
			return nil, err
		}
		line := name + ": no instance refresh"
		if !w.since.IsZero() {
			line += " since " + w.since.UTC().Format(time.RFC3339)
		}
		line += ": nothing to wait for"
		outcome := Succeeded
		if r != nil {
			line, outcome = Line(name, r), OutcomeOf(r.Status)
		}
		if w.last[name] != line {
			fmt.Fprintf(w.stdout, "%s %s\n", w.env.Now().UTC().Format(time.TimeOnly), line)
			w.last[name] = line
		}
		out = append(out, outcome)
	}
	return out, nil
}

// worst is the outcome of the whole release: failed if any group failed, running if any still runs.
func worst(outcomes []Outcome) Outcome {
	result := Succeeded
	for _, o := range outcomes {
		switch o {
		case FailedOutcome:
			return FailedOutcome
		case Running:
			result = Running
		}
	}
	return result
}

// SleepContext waits d, or until ctx ends.
func SleepContext(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
