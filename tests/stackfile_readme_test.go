package tests

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/migration-kit/kit/stacks"
)

// TestTheREADMEConfigurationTableListsExactlyTheKeysThatExist reads the README's configuration table: every
// top-level key and every key of every section the stack reads is documented, and nothing else is.
func TestTheREADMEConfigurationTableListsExactlyTheKeysThatExist(t *testing.T) {
	text, err := os.ReadFile(filepath.Join(root, "README.md"))
	require.NoError(t, err)
	start := strings.Index(string(text), "## Configuration")
	require.GreaterOrEqual(t, start, 0)
	table := string(text)[start:]
	table = table[:strings.Index(table, "\n## ")]

	row := regexp.MustCompile("(?m)^\\| (\\*\\*)?(`[^|]+)\\|")
	name := regexp.MustCompile("`([^`]+)`")
	documented := map[string][]string{} // section ("" for top level) -> keys
	section := ""
	for _, m := range row.FindAllStringSubmatch(table, -1) {
		for _, k := range name.FindAllStringSubmatch(m[2], -1) {
			key := k[1]
			if m[1] != "" { // a section header: **`kit:web`**
				section = strings.TrimPrefix(key, stacks.Namespace+":")
				documented[""] = append(documented[""], key)
				continue
			}
			if strings.Contains(key, ":") { // aws:region, kit:environment
				documented[""] = append(documented[""], key)
				continue
			}
			// A nested key (release.strategy) documents its group.
			key, _, _ = strings.Cut(key, ".")
			if !contains(documented[section], key) {
				documented[section] = append(documented[section], key)
			}
		}
	}

	var top []string
	for _, k := range stacks.KnownKeys() {
		top = append(top, stacks.Namespace+":"+k)
		if keys := stacks.Keys(k); keys != nil {
			assert.ElementsMatch(t, keys, documented[k], "the README's kit:%s rows and the keys the stack reads", k)
		}
	}
	assert.ElementsMatch(t, append(top, "aws:region"), documented[""], "the README's top-level keys")
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
