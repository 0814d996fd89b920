// Package rules is the kit's policy rule set: every rule is a plain Go value (a Rule) with a name, a
// description, an enforcement level and a check.
//
// The same values run in two places. Pack turns them into a policyx.PolicyPack, which `pulumi preview
// --policy-pack policy` loads through policy/main.go; Evaluate runs them directly over any list of
// policyx.AnalyzerResource, which is how the tests and the offline plan judge the graph the simulated AWS
// recorded. The package imports no component and no simulation: rules read resource types and input
// properties only, so they judge any Pulumi program.
//
// # What a rule sees
//
// During a preview the engine sends each resource's inputs, with Pulumi's camelCase property names. A value
// computed from another resource (an id, an ARN) is unknown then, so every check treats an unknown value as
// "cannot tell" and stays silent rather than report a false violation. References between resources are
// followed through PropertyDependencies (the URNs an input was computed from), which the engine sends to stack
// rules even when the values themselves are unknown. Resource rules never need them: per-resource analysis
// receives none.
//
// # How production is detected
//
// A rule with Scope ProductionOnly judges a resource only when it is production, and one with Scope
// OutsideProduction only when it is not. A resource is production when either
//   - its Environment tag (its own tags, or the provider's defaultTags) is "production", or
//   - the stack is named "prod", "production", "drill", or starts with "prod-" (case-insensitive).
//
// The stack name comes from the engine (pulumi.Context.Stack) when the pack runs under the CLI, and from the
// caller of Evaluate otherwise.
package rules

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/blang/semver"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/policyx"
)

// PackName is the policy pack's name as the engine reports it.
const PackName = "migration-kit"

// Version is the pack's version; PulumiPolicy.yaml carries the same one.
const Version = "0.1.0"

// Level is how hard a rule enforces: an advisory violation is shown, a mandatory one stops the update.
type Level int

const (
	// Advisory violations are reported but do not block a deployment.
	Advisory Level = iota
	// Mandatory violations block a deployment.
	Mandatory
)

func (l Level) String() string {
	if l == Mandatory {
		return "mandatory"
	}
	return "advisory"
}

// EnforcementLevel is the level as policyx expresses it.
func (l Level) EnforcementLevel() policyx.EnforcementLevel {
	if l == Mandatory {
		return policyx.EnforcementLevelMandatory
	}
	return policyx.EnforcementLevelAdvisory
}

// Scope says which resources a resource rule judges.
type Scope int

const (
	// Everywhere judges every resource of the rule's types.
	Everywhere Scope = iota
	// ProductionOnly judges only production resources (see Env.Production).
	ProductionOnly
	// OutsideProduction judges only resources that are not production: the advisory twin of a rule that is
	// mandatory in production.
	OutsideProduction
)

func (s Scope) String() string {
	switch s {
	case ProductionOnly:
		return "production only"
	case OutsideProduction:
		return "outside production"
	default:
		return "everywhere"
	}
}

// Env is what a check knows beyond the resources: the stack being previewed.
type Env struct {
	Stack string
}

// ProductionStack reports whether a stack name is a production one: prod, production, drill (the failover
// drill runs on production infrastructure), or anything starting with prod-.
func ProductionStack(stack string) bool {
	s := strings.ToLower(stack)
	return s == "prod" || s == "production" || s == "drill" || strings.HasPrefix(s, "prod-")
}

// Production reports whether a resource is production: by the stack's name, or by its Environment tag.
func (e Env) Production(r policyx.AnalyzerResource) bool {
	return ProductionStack(e.Stack) || tagsOf(r)["Environment"] == "production"
}

// Finding is one violation a stack check found, on the resource it names.
type Finding struct {
	URN     string
	Message string
}

// Rule is one policy. Exactly one of CheckResource and CheckStack is set.
type Rule struct {
	// Name is unique in the pack, lower-case words joined by dashes.
	Name string
	// Description says what the rule requires, in one sentence.
	Description string
	Level       Level
	// Scope limits a resource rule to production or non-production resources; stack rules are Everywhere.
	Scope Scope
	// Types are the type tokens a resource rule judges; its check sees no other resource.
	Types []string
	// Controls are the Security Hub controls the rule enforces: FSBP control ids ("RDS.6"), or a CIS AWS
	// Foundations Benchmark item ("CIS 3.8") where no FSBP control exists. Empty for the kit's own rules.
	Controls []string
	// CheckResource judges one resource and returns one message per problem.
	CheckResource func(env Env, r policyx.AnalyzerResource) []string
	// CheckStack judges every resource of the stack at once.
	CheckStack func(env Env, rs []policyx.AnalyzerResource) []Finding
}

// Stack reports whether the rule judges the whole stack rather than one resource.
func (r Rule) Stack() bool { return r.CheckStack != nil }

// applies reports whether a resource rule judges r in env.
func (r Rule) applies(env Env, res policyx.AnalyzerResource) bool {
	if !slices.Contains(r.Types, res.Type) {
		return false
	}
	switch r.Scope {
	case ProductionOnly:
		return env.Production(res)
	case OutsideProduction:
		return !env.Production(res)
	}
	return true
}

// Policies returns every rule, in the order the pack lists them.
func Policies() []Rule {
	var out []Rule
	out = append(out, computeRules()...)
	out = append(out, networkRules()...)
	out = append(out, loadBalancerRules()...)
	out = append(out, databaseRules()...)
	out = append(out, storageRules()...)
	out = append(out, placementRules()...)
	out = append(out, monitoringRules()...)
	out = append(out, securityHubRules()...)
	out = append(out, migrationRules()...)
	return out
}

// Pack builds the policy pack for one stack.
func Pack(stack string) (policyx.PolicyPack, error) {
	env := Env{Stack: stack}
	rules := Policies()
	if err := check(rules); err != nil {
		return nil, err
	}
	policies := make([]policyx.Policy, 0, len(rules))
	for _, rule := range rules {
		policies = append(policies, rule.policy(env))
	}
	return policyx.NewPolicyPack(PackName, semver.MustParse(Version), policyx.EnforcementLevelAdvisory, policies)
}

// check refuses a malformed rule set before the engine sees it.
func check(rules []Rule) error {
	var problems []string
	seen := map[string]bool{}
	for _, r := range rules {
		if seen[r.Name] {
			problems = append(problems, fmt.Sprintf("rule name %q is used twice: rename one", r.Name))
		}
		seen[r.Name] = true
		if (r.CheckResource == nil) == (r.CheckStack == nil) {
			problems = append(problems, fmt.Sprintf("rule %q must set exactly one of CheckResource and CheckStack", r.Name))
		}
		if r.CheckResource != nil && len(r.Types) == 0 {
			problems = append(problems, fmt.Sprintf("rule %q checks resources but lists no Types", r.Name))
		}
		if r.CheckStack != nil && r.Scope != Everywhere {
			problems = append(problems, fmt.Sprintf("stack rule %q has Scope %s: stack rules judge production themselves", r.Name, r.Scope))
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("rules: invalid rule set:\n  %s", strings.Join(problems, "\n  "))
	}
	return nil
}

// policy wraps a rule in the policyx value the engine calls.
func (r Rule) policy(env Env) policyx.Policy {
	if r.Stack() {
		return policyx.NewStackValidationPolicy(r.Name, policyx.StackValidationPolicyArgs{
			Description:      r.Description,
			EnforcementLevel: r.Level.EnforcementLevel(),
			ValidateStack: func(_ context.Context, args policyx.StackValidationArgs) error {
				for _, f := range r.CheckStack(env, args.Resources) {
					args.Manager.ReportViolation(f.Message, f.URN)
				}
				return nil
			},
		})
	}
	return policyx.NewResourceValidationPolicy(r.Name, policyx.ResourceValidationPolicyArgs{
		Description:      r.Description,
		EnforcementLevel: r.Level.EnforcementLevel(),
		ValidateResource: func(_ context.Context, args policyx.ResourceValidationArgs) error {
			if !r.applies(env, args.Resource) {
				return nil
			}
			for _, msg := range r.CheckResource(env, args.Resource) {
				args.Manager.ReportViolation(msg, args.Resource.URN)
			}
			return nil
		},
	})
}

// Violation is one rule broken by one resource.
type Violation struct {
	Policy  string
	Level   Level
	Message string
	URN     string
}

func (v Violation) String() string {
	return fmt.Sprintf("[%s] %s: %s (%s)", v.Level, v.Policy, v.Message, v.URN)
}

// collector is a policyx.PolicyManager that keeps what it is told.
type collector struct {
	policy string
	level  Level
	out    *[]Violation
}

func (c collector) ReportViolation(message, urn string) {
	*c.out = append(*c.out, Violation{Policy: c.policy, Level: c.level, Message: message, URN: urn})
}

// Evaluate runs the pack for stack over resources as the engine would: every resource rule on every resource,
// every stack rule once over all of them. Violations come back sorted by URN, policy and message, so the
// same resources always give the same list.
func Evaluate(stack string, resources []policyx.AnalyzerResource) ([]Violation, error) {
	pack, err := Pack(stack)
	if err != nil {
		return nil, err
	}
	levels := map[string]Level{}
	for _, r := range Policies() {
		levels[r.Name] = r.Level
	}
	var out []Violation
	ctx := context.Background()
	for _, p := range pack.Policies() {
		m := collector{policy: p.Name(), level: levels[p.Name()], out: &out}
		switch p := p.(type) {
		case policyx.StackValidationPolicy:
			if err := p.Validate(ctx, policyx.StackValidationArgs{Manager: m, Resources: resources}); err != nil {
				return nil, fmt.Errorf("rules: %s: %w", p.Name(), err)
			}
		case policyx.ResourceValidationPolicy:
			for _, res := range resources {
				if err := p.Validate(ctx, policyx.ResourceValidationArgs{Manager: m, Resource: res}); err != nil {
					return nil, fmt.Errorf("rules: %s on %s: %w", p.Name(), res.URN, err)
				}
			}
		}
	}
	slices.SortFunc(out, func(a, b Violation) int {
		return cmp.Or(cmp.Compare(a.URN, b.URN), cmp.Compare(a.Policy, b.Policy), cmp.Compare(a.Message, b.Message))
	})
	return out, nil
}

// AnyMandatory reports whether any violation blocks a deployment.
func AnyMandatory(vs []Violation) bool {
	return slices.ContainsFunc(vs, func(v Violation) bool { return v.Level == Mandatory })
}

// MandatoryOnly returns the violations that block a deployment.
func MandatoryOnly(vs []Violation) []Violation {
	var out []Violation
	for _, v := range vs {
		if v.Level == Mandatory {
			out = append(out, v)
		}
	}
	return out
}
