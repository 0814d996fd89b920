// Package plan is the kit's offline plan: it loads a stack's config through the same loaders the Pulumi CLI
// uses, runs the real stack program under the simulated AWS, judges the result with the policy pack, renders
// a deterministic snapshot for reviewers, and compares it with the committed one to say what would be
// created, updated, replaced or deleted.
package plan

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/diag"
	"github.com/pulumi/pulumi/sdk/v3/go/common/diag/colors"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/config"
	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"

	"github.com/migration-kit/kit/awssim"
	"github.com/migration-kit/kit/stacks"
)

// Stack is one stack's files, loaded and checked as the CLI would.
type Stack struct {
	Name    string
	Project *workspace.Project
	// Config is what the engine passes the program: "namespace:key" to string, objects as JSON.
	Config     map[string]string
	SecretKeys []string
	// File is the stack's config file.
	File string
	// Problems are the file's keys that nothing reads (a typo in a top-level key, configs: for config:).
	Problems []string
	// From names the stack whose state this one updates, from a "# plan: from <stack>" line in the stack
	// file: a failover drill promotes a replica that must exist first, so its plan starts from prod's state.
	From string
}

// LoadStack loads root/Pulumi.yaml and the stack's config file from the project's stackConfigDir, with the
// SDK's own loaders (workspace.LoadProject validates against the project schema), and merges the project's
// config values under the stack's as the engine does.
func LoadStack(root, name string) (*Stack, error) {
	proj, err := workspace.LoadProject(filepath.Join(root, "Pulumi.yaml"))
	if err != nil {
		return nil, fmt.Errorf("loading Pulumi.yaml: %w", err)
	}
	dir := filepath.Join(root, proj.StackConfigDir)
	file := filepath.Join(dir, "Pulumi."+name+".yaml")
	scenario := false
	if _, err := os.Stat(file); err != nil {
		file, scenario = filepath.Join(dir, scenarioDir, name+".yaml"), true
		if _, err := os.Stat(file); err != nil {
			return nil, fmt.Errorf("%q is neither a stack (%s) nor a scenario (%s): the stacks and scenarios are %s",
				name, filepath.Join(dir, "Pulumi."+name+".yaml"), file, strings.Join(Stacks(root), ", "))
		}
	}
	sink := diag.DefaultSink(os.Stderr, os.Stderr, diag.FormatOptions{Color: colors.Never})
	ps, err := workspace.LoadProjectStack(sink, proj, file)
	if err != nil {
		return nil, fmt.Errorf("loading %s: %w", file, err)
	}

	// A typo in a top-level key (kit:networks, aws:regoin, configs:) would leave its setting at the default
	// without a word. Every such problem is kept, and reported with the sections' own (Build).
	var problems []string
	var projKeys []string
	for key := range proj.Config {
		projKeys = append(projKeys, key)
	}
	for _, p := range stacks.CheckKeys(projKeys) {
		problems = append(problems, "Pulumi.yaml: "+p)
	}
	raw, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	problems = append(problems, stacks.CheckStackFile(raw)...)
	var stackKeys []string
	for k := range ps.Config {
		stackKeys = append(stackKeys, k.String())
	}
	problems = append(problems, stacks.CheckKeys(stackKeys)...)

	cfg := map[string]string{}
	for key, ct := range proj.Config {
		if ct.Value != nil {
			cfg[key] = fmt.Sprint(ct.Value)
		}
	}
	// Secrets are blinded: the offline plan never needs, and never prints, a secret's value.
	values, err := ps.Config.Decrypt(config.NewBlindingDecrypter())
	if err != nil {
		return nil, fmt.Errorf("reading the config of %s: %w", file, err)
	}
	for k, v := range values {
		cfg[k.String()] = v
	}
	from := planFrom(string(raw))
	switch {
	case scenario && from == "":
		return nil, fmt.Errorf("%s: a scenario starts from a stack's state: add a line \"# plan: from <stack>\"", file)
	case !scenario && from != "":
		return nil, fmt.Errorf("%s: a stack file plans from its own state, not from %s's: `pulumi stack init %s` would "+
			"deploy it as a stack of its own. Move it to %s, where the plan runs it as a scenario of %s", file, from,
			name, filepath.Join(dir, scenarioDir), from)
	}
	var secrets []string
	for _, k := range ps.Config.SecureKeys() {
		secrets = append(secrets, k.String())
	}
	sort.Strings(secrets)
	return &Stack{
		Name: name, Project: proj, Config: cfg, SecretKeys: secrets,
		File: file, From: from, Problems: problems,
	}, nil
}

// planFrom reads the "# plan: from <stack>" directive of a stack file, if it has one.
func planFrom(text string) string {
	for _, line := range strings.Split(text, "\n") {
		if rest, ok := strings.CutPrefix(strings.TrimSpace(line), "# plan: from "); ok {
			return strings.TrimSpace(rest)
		}
	}
	return ""
}

// scenarioDir holds, under the stack config directory, the scenarios: a config planned as an update of a
// stack's state (a failover drill on prod's), never deployed as a stack of its own. They are named
// <scenario>.yaml, not Pulumi.<stack>.yaml, so that the Pulumi CLI never takes one for a stack.
const scenarioDir = "scenarios"

// Stacks lists the stacks that have a config file under root's stackConfigDir, then the scenarios, sorted.
func Stacks(root string) []string {
	proj, err := workspace.LoadProject(filepath.Join(root, "Pulumi.yaml"))
	if err != nil {
		return nil
	}
	files, _ := filepath.Glob(filepath.Join(root, proj.StackConfigDir, "Pulumi.*.yaml"))
	var out []string
	for _, f := range files {
		b := filepath.Base(f)
		out = append(out, b[len("Pulumi."):len(b)-len(".yaml")])
	}
	scenarios, _ := filepath.Glob(filepath.Join(root, proj.StackConfigDir, scenarioDir, "*.yaml"))
	for _, f := range scenarios {
		out = append(out, strings.TrimSuffix(filepath.Base(f), ".yaml"))
	}
	sort.Strings(out)
	return out
}

// Options returns how to run the stack under the simulated AWS.
func (s *Stack) Options() awssim.Options {
	return awssim.Options{Project: s.Project.Name.String(), Stack: s.Name, Config: s.Config, SecretKeys: s.SecretKeys}
}
