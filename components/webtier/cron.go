package webtier

import (
	"fmt"
	"strconv"
	"strings"
)

// cronField is one field of the Unix cron expressions Auto Scaling takes as a scheduled action's recurrence.
type cronField struct {
	name   string
	lo, hi int
	names  []string // names accepted in place of numbers, from lo up
}

var cronFields = []cronField{
	{"minute", 0, 59, nil},
	{"hour", 0, 23, nil},
	{"day-of-month", 1, 31, nil},
	{"month", 1, 12, []string{"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"}},
	// 7 is Sunday as well as 0, as in Unix cron.
	{"day-of-week", 0, 7, []string{"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"}},
}

// checkCron returns why expr is not a five-field cron expression, or nil. Each field is a comma-separated
// list of *, a value, or a range lo-hi, each optionally followed by /step.
func checkCron(expr string) error {
	fields := strings.Fields(expr)
	if len(fields) != 5 {
		return fmt.Errorf("it has %d fields, want 5 (minute hour day-of-month month day-of-week)", len(fields))
	}
	for i, f := range fields {
		spec := cronFields[i]
		for _, part := range strings.Split(f, ",") {
			rng, step, hasStep := strings.Cut(part, "/")
			if hasStep {
				if n, err := strconv.Atoi(step); err != nil || n < 1 || n > spec.hi {
					return fmt.Errorf("%s field %q has step %q; use a number from 1 to %d", spec.name, f, step, spec.hi)
				}
			}
			if rng == "*" {
				continue
			}
			lo, hi, isRange := strings.Cut(rng, "-")
			from, err := spec.value(lo)
			if err != nil {
				return fmt.Errorf("%s field %q: %w", spec.name, f, err)
			}
			if isRange {
				to, err := spec.value(hi)
				if err != nil {
					return fmt.Errorf("%s field %q: %w", spec.name, f, err)
				}
				if from > to {
					return fmt.Errorf("%s field %q: range %s runs backwards", spec.name, f, rng)
				}
			}
		}
	}
	return nil
}

func (c cronField) value(v string) (int, error) {
	for i, n := range c.names {
		if strings.EqualFold(v, n) {
			return c.lo + i, nil
		}
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < c.lo || n > c.hi {
		return 0, fmt.Errorf("%q is not a value from %d to %d", v, c.lo, c.hi)
	}
	return n, nil
}
