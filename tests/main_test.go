package tests

import (
	"os"
	"runtime/debug"
	"sync"
	"testing"

	"github.com/migration-kit/kit/internal/plan"
)

func TestMain(m *testing.M) {
	// Pulumi's engine allocates heavily (it deep-copies every event it emits): a larger heap between
	// collections saves the suite a good part of its garbage collection. The plan command keeps Go's default.
	debug.SetGCPercent(400)
	os.Exit(m.Run())
}

// committed plans are the plans of the committed stacks and scenarios, planned once for every test that reads
// them: a plan is deterministic, and tests only read it.
var committed sync.Map // name -> func() (*plan.Result, error)

// committedPlan is plan.Build of a committed stack or scenario, shared between tests.
func committedPlan(name string) (*plan.Result, error) {
	f, _ := committed.LoadOrStore(name, sync.OnceValues(func() (*plan.Result, error) { return plan.Build(root, name) }))
	return f.(func() (*plan.Result, error))()
}
