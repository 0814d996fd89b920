package plan

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/migration-kit/kit/policy/rules"
)

// Exit statuses of the plan command.
const (
	// ExitClean: nothing blocks the change.
	ExitClean = 0
	// ExitBlocked: a mandatory policy violation, or a change that destroys a stateful or protected resource.
	ExitBlocked = 1
	// ExitInvalid: bad usage, an invalid config, or a change AWS (or the engine) would refuse at `pulumi up`.
	ExitInvalid = 2
)

// Main is the plan command: `plan <stack> [-update] [-allow-replace] [-json | -md] [-tree] [-root dir]`,
// flags anywhere on the line. It returns the exit status (ExitClean, ExitBlocked, ExitInvalid).
func Main(args []string, stdout, stderr io.Writer) int {
	status, _ := Command(args, stdout, stderr)
	return status
}

// Command is Main that also gives the plan it printed, nil when there was none (bad usage, an invalid
// config): for callers that read the plan after the command, without planning twice.
func Command(args []string, stdout, stderr io.Writer) (int, *Result) {
	fs := flag.NewFlagSet("plan", flag.ContinueOnError)
	fs.SetOutput(stderr)
	update := fs.Bool("update", false, "apply the plan as a simulated pulumi up: rewrite stacks/<stack>.state.json and its readable stacks/<stack>.snapshot.txt")
	allow := fs.Bool("allow-replace", false, "allow replacing or deleting stateful resources (databases, keys, secrets, VPCs, subnets, buckets, log groups)")
	asJSON := fs.Bool("json", false, "print what pulumi preview --json prints, for tools")
	asMarkdown := fs.Bool("md", false, "print a pull-request comment (markdown)")
	tree := fs.Bool("tree", false, "also print every resource after the update, with its inputs")
	var unprotect urnList
	fs.Var(&unprotect, "unprotect", "lift the protection of this resource (a URN) first, as pulumi state unprotect does; repeatable")
	root := fs.String("root", "", "the project directory, holding Pulumi.yaml (default: the nearest one at or above the current directory)")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: go run ./cmd/plan <stack> [-update] [-allow-replace] [-unprotect urn] [-json | -md] [-tree] [-root dir]\n")
		if *root != "" {
			fmt.Fprintf(stderr, "stacks and scenarios: %s\n", strings.Join(Stacks(*root), ", "))
		}
		fs.PrintDefaults()
	}
	var positional []string
	for rest := args; len(rest) > 0; {
		if err := fs.Parse(rest); err != nil {
			return ExitInvalid, nil
		}
		rest = fs.Args()
		if len(rest) > 0 {
			positional = append(positional, rest[0])
			rest = rest[1:]
		}
	}
	if *root == "" {
		found, err := FindRoot(".")
		if err != nil {
			fmt.Fprintln(stderr, "plan:", err)
			return ExitInvalid, nil
		}
		*root = found
	}
	if len(positional) != 1 || (*asJSON && *asMarkdown) {
		fs.Usage()
		return ExitInvalid, nil
	}

	opts := []Option{Unprotect(unprotect...)}
	if *asJSON {
		opts = append(opts, AlwaysPreview())
	}
	r, err := Build(*root, positional[0], opts...)
	if err != nil {
		fmt.Fprintln(stderr, "plan:", err)
		return ExitInvalid, nil
	}
	switch {
	case *asJSON:
		if err := r.JSON(stdout); err != nil {
			fmt.Fprintln(stderr, "plan:", err)
			return ExitInvalid, r
		}
	case *asMarkdown:
		r.Markdown(stdout, *allow)
	default:
		r.Report(stdout, ReportOptions{AllowReplace: *allow, Tree: *tree})
	}

	status := ExitClean
	if r.Refusal != nil {
		fmt.Fprintf(stderr, "plan: `pulumi up` would fail: %s\n", r.Refusal)
		status = ExitInvalid
	}
	if rules.AnyMandatory(r.Violations) {
		fmt.Fprintln(stderr, "plan: mandatory policy violations: the policy pack would stop this change")
		status = max(status, ExitBlocked)
	}
	if blocked := r.Blocked(*allow); len(blocked) > 0 {
		protected := 0
		for _, s := range blocked {
			if s.Protected {
				protected++
			}
		}
		if protected > 0 {
			fmt.Fprintf(stderr, "plan: %d protected resource(s) would be replaced or deleted: `pulumi up` refuses; "+
				"unprotect them first if this is intended\n", protected)
		}
		if len(blocked) > protected {
			fmt.Fprintf(stderr, "plan: %d stateful resource(s) would be replaced or deleted; if that is intended, "+
				"rerun with -allow-replace\n", len(blocked)-protected)
		}
		status = max(status, ExitBlocked)
	}
	if *update {
		if status != ExitClean {
			fmt.Fprintln(stderr, "plan: -update: nothing written, the change is blocked or refused")
			return status, r
		}
		if err := r.write(); err != nil {
			fmt.Fprintln(stderr, "plan:", err)
			return ExitInvalid, r
		}
		fmt.Fprintf(stderr, "wrote %s and %s\n", r.rel(r.StateFile), r.rel(r.SnapshotFile()))
	}
	return status, r
}

// urnList is a repeatable flag.
type urnList []string

func (l *urnList) String() string     { return strings.Join(*l, ",") }
func (l *urnList) Set(v string) error { *l = append(*l, v); return nil }

// FindRoot finds the project directory as the Pulumi CLI does: the nearest directory at or above dir that
// holds a Pulumi.yaml.
func FindRoot(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for d := abs; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "Pulumi.yaml")); err == nil {
			return d, nil
		}
		if filepath.Dir(d) == d {
			return "", errors.New("no Pulumi.yaml in " + abs + " or any directory above it: run the plan inside the project")
		}
	}
}
