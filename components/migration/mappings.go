package migration

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// Table mappings: which schemas and tables the task copies. The rules are DMS's selection rules (DMS user
// guide, "Selection rules and actions", CHAP_Tasks.CustomizingTasks.TableMapping.SelectionTransformation.
// Selections): rule-type "selection", a unique numeric rule-id, a unique rule-name, a rule-action of
// include, exclude or explicit, and an object-locator naming a schema and a table. "%" is a wildcard for
// include and exclude; explicit names exactly one table, without wildcards. At least one selection rule is
// required, and without one that includes something the task copies nothing.

// Actions of a selection rule.
const (
	Include  = "include"
	Exclude  = "exclude"
	Explicit = "explicit"
)

// TableRule selects tables: Action on the tables of Schema matching Table.
type TableRule struct {
	// Action is include, exclude or explicit. Required.
	Action string `json:"action"`
	// Schema is the schema name (the database name for MySQL and MariaDB); "%" matches any characters with
	// include and exclude. Required.
	Schema string `json:"schema"`
	// Table is the table name, with "%" as for Schema. Required.
	Table string `json:"table"`
}

// DefaultTables copies every table of every schema DMS can see; DMS leaves the engines' system schemas out.
var DefaultTables = []TableRule{{Action: Include, Schema: "%", Table: "%"}}

// tableRuleProblems checks rules as DMS would check the mappings they render to, field by field.
func tableRuleProblems(field string, rules []TableRule) []string {
	var out []string
	includes := false
	for i, r := range rules {
		at := fmt.Sprintf("%s[%d]", field, i)
		switch r.Action {
		case Include, Explicit:
			includes = true
		case Exclude:
		default:
			out = append(out, fmt.Sprintf("%s.Action %q is not a selection action: use %s, %s or %s", at, r.Action,
				Include, Exclude, Explicit))
		}
		if r.Schema == "" || r.Table == "" {
			out = append(out, fmt.Sprintf("%s needs both Schema and Table (use %q for any)", at, "%"))
		}
		if r.Action == Explicit && (strings.Contains(r.Schema, "%") || strings.Contains(r.Table, "%")) {
			out = append(out, fmt.Sprintf("%s is explicit but names %s.%s: explicit selects one table by its exact "+
				"name; use include for a pattern", at, r.Schema, r.Table))
		}
	}
	if len(rules) > 0 && !includes {
		out = append(out, fmt.Sprintf("%s only excludes: add an include rule, or the task copies nothing", field))
	}
	return out
}

// selectionRule is one rule of the document DMS reads.
type selectionRule struct {
	Type    string            `json:"rule-type"`
	ID      string            `json:"rule-id"`
	Name    string            `json:"rule-name"`
	Action  string            `json:"rule-action"`
	Locator map[string]string `json:"object-locator"`
}

// RenderTableMappings turns rules into the table mappings document, rule ids and names numbered in order.
func RenderTableMappings(rules []TableRule) (string, error) {
	doc := struct {
		Rules []selectionRule `json:"rules"`
	}{}
	for i, r := range rules {
		n := strconv.Itoa(i + 1)
		doc.Rules = append(doc.Rules, selectionRule{Type: "selection", ID: n, Name: n, Action: r.Action,
			Locator: map[string]string{"schema-name": r.Schema, "table-name": r.Table}})
	}
	b, err := json.Marshal(doc)
	return string(b), err
}

// CheckTableMappings returns what DMS would refuse in a table mappings document written by hand: it must be
// JSON with a "rules" list, selection rules as described above, numeric and unique rule ids, unique rule
// names, and at least one selection rule that includes tables. Transformation and table-settings rules are
// passed through; DMS checks their details itself.
func CheckTableMappings(doc string) []string {
	var parsed struct {
		Rules []map[string]any `json:"rules"`
	}
	if err := json.Unmarshal([]byte(doc), &parsed); err != nil {
		return []string{fmt.Sprintf("is not valid JSON: %v", err)}
	}
	if len(parsed.Rules) == 0 {
		return []string{`has no "rules": write {"rules": [{"rule-type": "selection", ...}]}`}
	}
	var out []string
	ids, names := map[string]int{}, map[string]int{}
	includes := false
	for i, rule := range parsed.Rules {
		at := fmt.Sprintf("rule %d", i+1)
		typ, _ := rule["rule-type"].(string)
		id := fmt.Sprint(rule["rule-id"])
		name, _ := rule["rule-name"].(string)
		if _, err := strconv.ParseUint(id, 10, 64); err != nil || rule["rule-id"] == nil {
			out = append(out, fmt.Sprintf("%s: rule-id %v is not a number", at, rule["rule-id"]))
		} else if j, dup := ids[id]; dup {
			out = append(out, fmt.Sprintf("%s: rule-id %s is also rule %d's", at, id, j))
		} else {
			ids[id] = i + 1
		}
		if name == "" {
			out = append(out, fmt.Sprintf("%s: rule-name is missing", at))
		} else if j, dup := names[name]; dup {
			out = append(out, fmt.Sprintf("%s: rule-name %q is also rule %d's", at, name, j))
		} else {
			names[name] = i + 1
		}
		switch typ {
		case "selection":
			action, _ := rule["rule-action"].(string)
			locator, _ := rule["object-locator"].(map[string]any)
			schema, _ := locator["schema-name"].(string)
			table, _ := locator["table-name"].(string)
			switch action {
			case Include, Explicit:
				includes = true
			case Exclude:
			default:
				out = append(out, fmt.Sprintf("%s: rule-action %q is not include, exclude or explicit", at, action))
			}
			if schema == "" || table == "" {
				out = append(out, fmt.Sprintf("%s: object-locator needs schema-name and table-name", at))
			}
			if action == Explicit && (strings.Contains(schema, "%") || strings.Contains(table, "%")) {
				out = append(out, fmt.Sprintf("%s: an explicit rule takes exact names, not %s.%s", at, schema, table))
			}
		case "transformation", "table-settings":
		default:
			out = append(out, fmt.Sprintf("%s: rule-type %q is not selection, transformation or table-settings", at, typ))
		}
	}
	if !includes {
		out = append(out, "has no selection rule that includes tables: the task would copy nothing")
	}
	return out
}
