package plan

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/blang/semver"
	"github.com/pulumi/pulumi/pkg/v3/engine"
	"github.com/pulumi/pulumi/pkg/v3/pluginstorage"
	"github.com/pulumi/pulumi/pkg/v3/resource/deploy"
	"github.com/pulumi/pulumi/pkg/v3/resource/deploy/deploytest"
	"github.com/pulumi/pulumi/pkg/v3/resource/plugin"
	"github.com/pulumi/pulumi/pkg/v3/util/cancel"
	"github.com/pulumi/pulumi/sdk/v3/go/common/diag"
	"github.com/pulumi/pulumi/sdk/v3/go/common/diag/colors"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/config"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/migration-kit/kit/awssim"
	"github.com/migration-kit/kit/awssim/provider"
)

// Operation is one run of Pulumi's engine, in-process, over a program and the simulated AWS: a preview
// (`pulumi preview`) or an update (`pulumi up`), from a prior state.
type Operation struct {
	Project *workspace.Project
	Stack   string
	// Config is what the engine passes the program: "namespace:key" to string, objects as JSON. aws:* keys
	// configure the default aws provider, as under the CLI.
	Config     map[string]string
	SecretKeys []string
	// Prior is the state the operation starts from; nil for a new stack. It is copied, never changed.
	Prior *deploy.Snapshot
	// Program is the Pulumi program; the kit's is stacks.Run.
	Program pulumi.RunFunc
	// Update applies the changes (pulumi up); otherwise the operation is a preview.
	Update bool
}

// Outcome is what the engine did, or would do in a preview.
type Outcome struct {
	// Events are the engine's events, in the order it sent them: what `pulumi preview --json` prints.
	Events []engine.Event
	// State is the stack's state after an update; nil after a preview.
	State *deploy.Snapshot
	// Sim is the simulated account after the operation: the prior state's resources and every change.
	Sim *awssim.Sim
	// Err is the engine's failure: the program's error, a refusal of the simulated AWS, or a step the
	// engine refuses (a protected resource replaced or deleted). Events hold what happened until then.
	Err error
}

// Run runs the operation. The error is for a run that could not start; a failed operation reports through
// Outcome.Err, with its events.
func (op Operation) Run() (*Outcome, error) {
	cfg := config.Map{}
	for k, v := range op.Config {
		key, err := config.ParseKey(k)
		if err != nil {
			return nil, fmt.Errorf("config key %q: %w", k, err)
		}
		cfg[key] = config.NewValue(v)
	}
	stackName, err := tokens.ParseStackName(op.Stack)
	if err != nil {
		return nil, err
	}

	sim := awssim.New(op.Project.Name.String(), op.Stack, op.Config["aws:region"])
	prior := copySnapshot(op.Prior)
	if prior != nil {
		sim.Seed(graphOf(prior, op.Config["aws:region"]).Resources())
	}

	sink := diag.DefaultSink(io.Discard, io.Discard, diag.FormatOptions{Color: colors.Never})
	var host plugin.Host
	program := deploytest.NewLanguageRuntime(func(info plugin.RunInfo, _ *deploytest.ResourceMonitor) error {
		pctx, err := pulumi.NewContext(context.Background(), pulumi.RunInfo{
			Project: info.Project, Stack: info.Stack, Config: op.Config, ConfigSecretKeys: op.SecretKeys,
			MonitorAddr: info.MonitorAddress, EngineAddr: host.ServerAddr(), DryRun: info.DryRun, Parallel: 8,
		})
		if err != nil {
			return err
		}
		defer func() { _ = pctx.Close() }() // the run's own error is the one to report
		return pulumi.RunWithContext(pctx, op.Program)
	})
	deps := newDependencies()
	host = &closeOnce{Host: deploytest.NewPluginHost(sink, sink, program, provider.Loaders(sim, deps.of)...)}
	defer func() { _ = host.Close() }() // in-process: nothing is left running to report on

	cancelCtx, cancelSource := cancel.NewContext(context.Background())
	defer cancelSource.Terminate()
	events := make(chan engine.Event)
	collected := make(chan []engine.Event)
	go func() {
		var all []engine.Event
		for e := range events {
			deps.record(e)
			all = append(all, e)
		}
		collected <- all
	}()
	ctx := &engine.Context{Cancel: cancelCtx, Events: events, PluginManager: noPlugins{}}
	var journal *engine.TestJournal
	if op.Update {
		// The journal records each step as the engine completes it; the state is rebuilt from it once at the
		// end, instead of re-serialising the whole checkpoint after every step as a backend does.
		journal = engine.NewTestJournal()
		ctx.SnapshotManager = journal
	}
	info := engine.UpdateInfo{
		Root:    "/",
		Project: op.Project,
		Target:  &deploy.Target{Name: stackName, Config: cfg, Decrypter: config.NopDecrypter, Snapshot: prior},
	}
	opts := engine.UpdateOptions{
		Parallel: 8,
		HostFactory: func(context.Context, diag.Sink, diag.Sink, plugin.DebugContext) (plugin.Host, error) {
			return host, nil
		},
	}
	finished := make(chan error, 1)
	go func() {
		_, _, err := engine.Update(info, ctx, opts, !op.Update)
		finished <- err
	}()
	var runErr error
	select {
	case runErr = <-finished:
	case <-time.After(engineTimeout):
		// A run of the kit's stacks takes well under a second: one that has not finished in minutes is stuck.
		// Say so, with where every goroutine is, rather than hang a CI job until it is killed.
		cancelSource.Terminate()
		return nil, fmt.Errorf("the engine did not finish the %s of stack %s in %s; the goroutines were written "+
			"to %s", map[bool]string{true: "update", false: "preview"}[op.Update], op.Stack, engineTimeout, dumpGoroutines())
	}
	close(events)
	out := &Outcome{Events: <-collected, Sim: sim, Err: runErr}
	if diags := engineErrors(out.Events); diags != nil {
		out.Err = diags // what failed, where the engine's own error only says that something did
	}
	if journal != nil {
		if err := journal.Close(); err != nil {
			return nil, err
		}
		state, err := journal.Entries().Snap(prior)
		if err != nil {
			return nil, fmt.Errorf("rebuilding the state from the engine's journal: %w", err)
		}
		out.State = state
	}
	return out, nil
}

// engineTimeout bounds one engine operation.
const engineTimeout = 3 * time.Minute

// dumpGoroutines writes every goroutine's stack to a temporary file and returns its path.
func dumpGoroutines() string {
	buf := make([]byte, 16<<20)
	buf = buf[:runtime.Stack(buf, true)]
	f, err := os.CreateTemp("", "kit-plan-goroutines-*.txt")
	if err != nil {
		return "(nowhere: " + err.Error() + ")"
	}
	defer func() { _ = f.Close() }()
	if _, err := f.Write(buf); err != nil {
		return "(nowhere: " + err.Error() + ")"
	}
	return f.Name()
}

// dependencies hands the provider each resource's dependencies from the engine's step events: the engine
// announces a step (ResourcePreEvent) before it calls the provider for it, so a provider call waits, at most
// briefly, for the announcement to be read.
type dependencies struct {
	mu    sync.Mutex
	cond  *sync.Cond
	byURN map[string][]string
}

func newDependencies() *dependencies {
	d := &dependencies{byURN: map[string][]string{}}
	d.cond = sync.NewCond(&d.mu)
	return d
}

func (d *dependencies) record(e engine.Event) {
	if e.Type != engine.ResourcePreEvent {
		return
	}
	m := e.Payload().(engine.ResourcePreEventPayload).Metadata
	if m.New == nil || m.New.State == nil {
		return
	}
	var urns []string
	for _, u := range m.New.State.Dependencies {
		urns = append(urns, string(u))
	}
	d.mu.Lock()
	d.byURN[string(m.URN)] = urns
	d.mu.Unlock()
	d.cond.Broadcast()
}

func (d *dependencies) of(urn string) []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	if urns, ok := d.byURN[urn]; ok {
		return urns
	}
	timeout := time.AfterFunc(5*time.Second, d.cond.Broadcast)
	defer timeout.Stop()
	deadline := time.Now().Add(5 * time.Second)
	for {
		if urns, ok := d.byURN[urn]; ok {
			return urns
		}
		if time.Now().After(deadline) {
			return nil
		}
		d.cond.Wait()
	}
}

// engineErrors collects the errors the engine reported as diagnostics: a failed step reports there, and
// the operation then fails with a summary that does not say why.
func engineErrors(events []engine.Event) error {
	var msgs []string
	for _, e := range events {
		if e.Type != engine.DiagEvent {
			continue
		}
		d := e.Payload().(engine.DiagEventPayload)
		msg := programError(colors.Never.Colorize(d.Message))
		if d.Severity == diag.Error && msg != "update failed" && msg != "preview failed" {
			msgs = append(msgs, msg) // the engine's closing summary says nothing the step's error did not
		}
	}
	if len(msgs) == 0 {
		return nil
	}
	return errors.New(strings.Join(msgs, "\n"))
}

// programError is a program's error as the user should read it: the SDK wraps what the program returns in
// "an unhandled error occurred: 1 error occurred:\n\t* ...", and adds blank lines after it.
func programError(msg string) string {
	msg = strings.TrimSpace(msg)
	msg = strings.TrimPrefix(msg, "an unhandled error occurred: ")
	if _, rest, ok := strings.Cut(msg, " occurred:\n\t* "); ok && strings.HasPrefix(msg, "1 error") {
		msg = rest
	} else if ok {
		msg = strings.ReplaceAll(rest, "\n\t* ", "\n")
	}
	return strings.TrimSpace(msg)
}

// copySnapshot gives the engine a copy: it changes the snapshot it starts from, even in a preview.
func copySnapshot(s *deploy.Snapshot) *deploy.Snapshot {
	if s == nil {
		return nil
	}
	c := *s
	c.Resources = nil
	for _, r := range s.Resources {
		c.Resources = append(c.Resources, r.Copy())
	}
	return &c
}

// closeOnce is a plugin host that closes once. The engine closes the host it was given when its cancel
// source terminates, and so does Run, for a run that failed before the engine took the host: the test
// host's Close is not safe to call twice at once (the second waits forever to stop a server already stopped).
type closeOnce struct {
	plugin.Host
	once sync.Once
	err  error
}

func (h *closeOnce) Close() error {
	h.once.Do(func() { h.err = h.Host.Close() })
	return h.err
}

// noPlugins is a plugin manager with nothing to install: every plugin the program needs is in-process.
type noPlugins struct{}

var _ engine.PluginManager = noPlugins{}

func (noPlugins) GetPluginPath(context.Context, diag.Sink, workspace.PluginDescriptor, []workspace.ProjectPlugin) (string, error) {
	return "in-process", nil
}

func (noPlugins) HasPlugin(context.Context, workspace.PluginDescriptor) pluginstorage.InstallState {
	return pluginstorage.PluginInstalled
}

func (noPlugins) HasPluginGTE(context.Context, workspace.PluginDescriptor) (bool, *semver.Version, error) {
	return true, nil, nil
}

func (noPlugins) GetLatestVersion(context.Context, workspace.PluginDescriptor) (*semver.Version, error) {
	return &provider.Version, nil
}

func (noPlugins) DownloadPlugin(context.Context, workspace.PluginDescriptor, func(io.ReadCloser, int64) io.ReadCloser,
	func(error, int, int, time.Duration)) (io.ReadCloser, int64, error) {
	return nil, 0, errors.New("the offline plan downloads no plugin")
}

func (noPlugins) InstallPlugin(context.Context, workspace.PluginDescriptor, pluginstorage.Content, bool) error {
	return errors.New("the offline plan installs no plugin")
}

func (noPlugins) GetPlugins(context.Context) ([]workspace.PluginInfo, error) { return nil, nil }
