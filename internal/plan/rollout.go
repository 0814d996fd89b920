package plan

import (
	"github.com/migration-kit/kit/internal/rollout"
)

// Rollouts say what the update does to the running instances of each auto-scaling group: the instance
// refresh a launch template change starts (steps, checkpoints, bake, healthy capacity, duration, the alarms
// that roll it back), the changes that replace instances without one, and the requests a blue/green listener
// shifts. They compare the state the plan starts from with the stack after the simulated update; a stack
// never deployed, or an update that fails, has none.
func (r *Result) Rollouts() []rollout.Rollout {
	if r.PriorGraph == nil || r.Graph == nil {
		return nil
	}
	return rollout.Describe(r.PriorGraph.Resources(), r.Graph.Resources())
}
