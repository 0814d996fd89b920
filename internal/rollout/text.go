package rollout

import (
	"fmt"
	"strings"
	"time"
)

// Text is the rollout section of a plan: one paragraph per group, "" when no group's instances change.
func Text(rs []Rollout) string {
	if len(rs) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString("== Rollout\n")
	for _, r := range rs {
		r.write(&b)
	}
	return b.String()
}

func (r Rollout) write(b *strings.Builder) {
	where := fmt.Sprintf("%s (%s)", r.Group, r.Region)
	why := strings.Join(r.Why, ", ")
	switch r.Kind {
	case Replace:
		fmt.Fprintf(b, "!! %s: %d %s replaced without an instance refresh: %s. No checkpoints, no "+
			"minimum healthy capacity, no rollback.\n", where, r.Instances, plural(r.Instances, "instance is", "instances are"), why)
		return
	case Shift:
		var moves []string
		for _, s := range r.Shares {
			moves = append(moves, fmt.Sprintf("%s %d%% -> %d%%", s.TargetGroup, s.From, s.To))
		}
		fmt.Fprintf(b, "%s: requests shift: %s. No instance is launched or replaced; setting the weights back "+
			"reverts it.\n", where, strings.Join(moves, ", "))
		return
	case Stale:
		fmt.Fprintf(b, "!! %s: %s changes, but no instance refresh starts: the %d running %s keep the old "+
			"template until scaling or a health check replaces them.\n", where, why, r.Instances,
			plural(r.Instances, "instance", "instances"))
		return
	}
	p, pr := r.Plan, r.Preferences
	fmt.Fprintf(b, "%s: instance refresh of %d %s, because %s changes\n", where, r.Instances,
		plural(r.Instances, "instance", "instances"), why)
	if p.Instances == 0 {
		b.WriteString("  no instance runs: the refresh ends at once\n")
		return
	}
	fmt.Fprintf(b, "  %d at a time, keeping at least %d in service and healthy, at most %d running "+
		"(minimum healthy %d%%, maximum %d%% of the desired capacity)\n", p.BatchSize, p.MinInService,
		p.MaxRunning, pr.MinHealthyPercentage, pr.MaxHealthyPercentage)
	for i, s := range p.Steps {
		line := fmt.Sprintf("  step %d: %d of %d replaced", i+1, s.Replaced, p.Instances)
		if s.Checkpoint > 0 {
			line += fmt.Sprintf(" (checkpoint %d%%)", s.Checkpoint)
		}
		if s.Pause > 0 {
			line += ", then a bake of " + Duration(s.Pause)
		} else {
			line += ": done"
		}
		b.WriteString(line + "\n")
	}
	var bakes time.Duration
	pauses := 0
	for _, s := range p.Steps {
		if s.Pause > 0 {
			bakes += s.Pause
			pauses++
		}
	}
	fmt.Fprintf(b, "  estimated %s: %d %s of %s warmup", Duration(p.Duration), len(p.Batches),
		plural(len(p.Batches), "batch", "batches"), Duration(pr.InstanceWarmup))
	if pauses > 0 {
		fmt.Fprintf(b, " and %d %s of %s", pauses, plural(pauses, "bake", "bakes"), Duration(pr.CheckpointDelay))
	}
	b.WriteString("; each launch and health check adds to it\n")
	if pr.SkipMatching {
		b.WriteString("  instances already on the new launch template are skipped\n")
	}
	switch {
	case len(r.Alarms) == 0 && pr.AutoRollback:
		b.WriteString("  rolled back by Auto Scaling if it fails; no alarm watches it\n")
	case len(r.Alarms) == 0:
		b.WriteString("!! no alarm watches it and nothing rolls it back: a bad release replaces every instance\n")
	default:
		verb := "rolled back by Auto Scaling"
		if !pr.AutoRollback {
			verb = "stopped (not rolled back: auto rollback is off)"
		}
		fmt.Fprintf(b, "  %s if it fails, or when one of these alarms goes to ALARM before the last batch "+
			"has warmed up:\n", verb)
		for _, a := range r.Alarms {
			fmt.Fprintf(b, "    %s: %s\n", a.Name, a.Condition)
		}
	}
	if r.GroupName != "" {
		fmt.Fprintf(b, "  pulumi up returns once the refresh has started; wait for its outcome with\n"+
			"    %s\n", StatusCommand(r.Region, r.GroupName))
	}
}

// StatusCommand is the command that waits for a group's refresh and fails when it fails or rolls back.
func StatusCommand(region, group string) string {
	return fmt.Sprintf("go run ./cmd/release-status -region %s -group %s -wait", region, group)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
