package plan

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/pulumi/pulumi/pkg/v3/backend/display"
	"github.com/pulumi/pulumi/pkg/v3/engine"
	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
	"github.com/pulumi/pulumi/sdk/v3/go/common/diag/colors"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"

	"github.com/migration-kit/kit/internal/cost"
	"github.com/migration-kit/kit/internal/rollout"
	"github.com/migration-kit/kit/policy/rules"
	"github.com/migration-kit/kit/stacks"
)

// The plan for machines and pull requests.

// JSON writes what `pulumi preview --json` prints, made by the engine's own display code from the preview's
// events, so tools that read it work unchanged; the offline plan's own findings (blocked changes, what AWS
// would refuse, the policy verdicts) are added under "offlinePlan", which such tools ignore.
func (r *Result) JSON(w io.Writer) error {
	if r.Preview == nil {
		return errors.New("no preview to print: plan with AlwaysPreview")
	}
	digest, err := previewDigest(r)
	if err != nil {
		return err
	}
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(digest, &doc); err != nil {
		return fmt.Errorf("reading the engine's preview digest: %w", err)
	}
	extra, err := json.Marshal(r.findings())
	if err != nil {
		return err
	}
	doc["offlinePlan"] = extra
	out, err := json.MarshalIndent(doc, "", "    ")
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "%s\n", out)
	return err
}

// previewDigest runs the engine's JSON display over the preview's events. That code prints to the process's
// standard output, so it is captured there.
func previewDigest(r *Result) ([]byte, error) {
	read, write, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	saved := os.Stdout
	os.Stdout = write
	var captured bytes.Buffer
	copied := make(chan error)
	go func() {
		_, err := io.Copy(&captured, read)
		copied <- err
	}()
	events := make(chan engine.Event)
	done := make(chan bool)
	stack, err := tokens.ParseStackName(r.Stack.Name)
	if err == nil {
		go display.ShowEvents("preview", apitype.PreviewUpdate, stack, r.Stack.Project.Name, "", events, done,
			display.Options{JSONDisplay: true, Color: colors.Never, ShowSameResources: false}, true)
		for _, e := range r.Preview.Events {
			events <- e
		}
		close(events)
		<-done
	}
	os.Stdout = saved
	if cerr := write.Close(); err == nil {
		err = cerr
	}
	if cerr := <-copied; err == nil {
		err = cerr
	}
	return captured.Bytes(), err
}

// Findings are the offline plan's own conclusions, beside the engine's digest.
type Findings struct {
	Stack     string          `json:"stack"`
	StateFile string          `json:"stateFile"`
	Blocked   []FindingChange `json:"blocked"`
	// Refusal is why `pulumi up` would fail, empty when it would not.
	Refusal    string             `json:"refusal,omitempty"`
	Violations []FindingViolation `json:"policyViolations"`
	// Cost is the monthly estimate, with the fields Infracost's JSON uses where they map.
	Cost *cost.Report `json:"cost,omitempty"`
	// Rollout is the rollout section: what the update does to running instances, empty when nothing.
	Rollout string `json:"rollout,omitempty"`
}

// FindingChange is one blocked change.
type FindingChange struct {
	URN       string   `json:"urn"`
	Op        Op       `json:"op"`
	Lost      string   `json:"lost"`
	Protected bool     `json:"protected"`
	Reasons   []string `json:"reasons,omitempty"`
}

// FindingViolation is one policy verdict, with the stack-file change that fixes it where one does.
type FindingViolation struct {
	Policy  string `json:"policy"`
	Level   string `json:"level"`
	URN     string `json:"urn,omitempty"`
	Message string `json:"message"`
	Fix     string `json:"fix,omitempty"`
}

func (r *Result) findings() Findings {
	f := Findings{Stack: r.Stack.Name, StateFile: r.rel(r.StateFile), Blocked: []FindingChange{},
		Violations: []FindingViolation{}}
	for _, s := range r.Blocked(false) {
		f.Blocked = append(f.Blocked, FindingChange{URN: s.URN, Op: s.Op, Lost: s.Stateful, Protected: s.Protected,
			Reasons: s.Reasons})
	}
	if r.Refusal != nil {
		f.Refusal = r.Refusal.Error()
	}
	if r.Cost != nil {
		report := cost.ToReport(r.Cost, &r.CostDiff)
		f.Cost = &report
	}
	f.Rollout = rollout.Text(r.Rollouts())
	for _, v := range r.Violations {
		f.Violations = append(f.Violations, FindingViolation{Policy: v.Policy, Level: v.Level.String(), URN: v.URN,
			Message: v.Message, Fix: stacks.PolicyFix(v.Policy, v.URN)})
	}
	return f
}

// commentLimit is GitHub's limit on a comment's length.
const commentLimit = 65536

// Markdown writes a pull-request comment: the summary, what is blocked, the policy verdicts, and the
// changes in a collapsed section, cut to fit GitHub's limit on a comment.
func (r *Result) Markdown(w io.Writer, allowReplace bool) {
	var b strings.Builder
	fmt.Fprintf(&b, "<!-- kit-offline-plan:%s -->\n", r.Stack.Name)
	fmt.Fprintf(&b, "### Offline plan of `%s`\n\n", r.Stack.Name)
	fmt.Fprintf(&b, "Pulumi's engine previewed this change against the simulated AWS, from `%s` (no credentials).\n\n",
		r.rel(r.StateFile))
	fmt.Fprintf(&b, "| | |\n|---|---|\n| changes | %s |\n", r.countLine())
	blocked := r.Blocked(allowReplace)
	fmt.Fprintf(&b, "| blocked | %d |\n", len(blocked))
	if r.Refusal != nil {
		fmt.Fprintf(&b, "| `pulumi up` | **would fail**: %s |\n", escapeCell(firstLine(r.Refusal.Error())))
	} else {
		fmt.Fprintf(&b, "| `pulumi up` | the simulated AWS accepts every step |\n")
	}
	fmt.Fprintf(&b, "| policies | %s |\n", strings.TrimPrefix(r.policyLine(), "Policies: "))
	if line := r.costLine(); line != "" {
		fmt.Fprintf(&b, "| cost | %s |\n", strings.TrimPrefix(line, "Cost: "))
	}
	b.WriteString("\n")

	if len(blocked) > 0 {
		fmt.Fprintf(&b, "#### :no_entry: Blocked\n\n")
		for _, s := range blocked {
			fmt.Fprintf(&b, "- **%s** `%s` `%s`%s", s.Op, s.Type, s.Name, lossOf(s))
			if len(s.Reasons) > 0 {
				fmt.Fprintf(&b, ", because %s", strings.Join(s.Reasons, "; "))
			}
			if s.Protected {
				fmt.Fprintf(&b, ". It is protected: `pulumi up` refuses until `pulumi state unprotect` is run")
			}
			b.WriteString("\n")
		}
		b.WriteString("\n")
	}
	if text := rollout.Text(r.Rollouts()); text != "" {
		// What the release will do to running instances is what a reviewer of a release must read first.
		fmt.Fprintf(&b, "#### Rollout\n\n```\n%s```\n\n", strings.TrimPrefix(text, "== Rollout\n"))
	}
	if len(r.Violations) > 0 {
		fmt.Fprintf(&b, "#### Policy violations\n\n")
		for _, v := range r.Violations {
			icon := ":warning:"
			if v.Level == rules.Mandatory {
				icon = ":no_entry:"
			}
			fmt.Fprintf(&b, "- %s `%s` (%s): %s", icon, v.Policy, v.Level, escapeCell(v.Message))
			if fix := stacks.PolicyFix(v.Policy, v.URN); fix != "" {
				fmt.Fprintf(&b, " **In the stack file:** %s", fix)
			}
			b.WriteString("\n")
		}
		b.WriteString("\n")
	}

	var details bytes.Buffer
	r.Report(&details, ReportOptions{AllowReplace: allowReplace, NoTotals: true})
	head := b.String()
	const open, close = "<details><summary>The whole plan</summary>\n\n```diff\n", "```\n</details>\n"
	text := diffMarks(details.String())
	room := commentLimit - len(head) - len(open) - len(close) - 200
	if len(text) > room {
		text = text[:room]
		text = text[:strings.LastIndex(text, "\n")+1] +
			" ... cut to fit a GitHub comment: run `go run ./cmd/plan " + r.Stack.Name + "` for the rest\n"
	}
	fmt.Fprint(w, head+open+text+close)
}

// diffMarks turns the report's change marks into diff-highlighted lines: creations green, deletions and
// replacements red.
func diffMarks(text string) string {
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		switch {
		case strings.HasPrefix(l, "+-") || strings.HasPrefix(l, "!!") || strings.HasPrefix(l, "- "):
			lines[i] = "-" + l
		case strings.HasPrefix(l, "+ "):
			lines[i] = "+" + l
		default:
			lines[i] = " " + l
		}
	}
	return strings.Join(lines, "\n")
}

func escapeCell(s string) string { return strings.ReplaceAll(s, "|", `\|`) }
