// Package plugin registers tagcheck's Go analyzers with golangci-lint's
// module plugin system (github.com/golangci/plugin-module-register), so
// that a custom golangci-lint built with `golangci-lint custom` runs them
// as the linter "tagcheck":
//
//	# .custom-gcl.yml
//	version: v2.15.0
//	plugins:
//	  - module: github.com/tagcheck/tagcheck
//	    import: github.com/tagcheck/tagcheck/plugin
//	    path: /path/to/a/clone/of/tagcheck
//
//	# .golangci.yml
//	version: "2"
//	linters:
//	  enable: [tagcheck]
//	  settings:
//	    custom:
//	      tagcheck:
//	        type: module
//	        description: lock pairing and tagged pointers
//	        settings:
//	          lockpair-rules: [tagcheck-rules.yaml]   # optional rule packs
//	          taggedptr-rules: []
//
// golangci-lint applies its own //nolint:tagcheck; //tagcheck:ignore RULE
// reason works as it does under tagcheck go.
package plugin

import (
	"fmt"
	"strings"

	"github.com/golangci/plugin-module-register/register"
	"golang.org/x/tools/go/analysis"

	"github.com/tagcheck/tagcheck/analyzers/lockpair"
	"github.com/tagcheck/tagcheck/analyzers/taggedptr"
	"github.com/tagcheck/tagcheck/check"
)

func init() {
	register.Plugin("tagcheck", New)
}

// Settings are the plugin's settings in .golangci.yml.
type Settings struct {
	LockpairRules  []string `json:"lockpair-rules"`
	TaggedptrRules []string `json:"taggedptr-rules"`
}

type tagcheck struct{ settings Settings }

// New is the plugin's constructor, called by golangci-lint with the
// settings of .golangci.yml.
func New(conf any) (register.LinterPlugin, error) {
	s, err := register.DecodeSettings[Settings](conf)
	if err != nil {
		return nil, fmt.Errorf("tagcheck plugin: %w", err)
	}
	return &tagcheck{s}, nil
}

// BuildAnalyzers returns lockpair and taggedptr, with the rule packs of
// the settings set as their -rules flags would set them.
func (t *tagcheck) BuildAnalyzers() ([]*analysis.Analyzer, error) {
	if len(t.settings.LockpairRules) > 0 {
		if err := lockpair.Analyzer.Flags.Set("rules", strings.Join(t.settings.LockpairRules, ",")); err != nil {
			return nil, fmt.Errorf("tagcheck plugin: lockpair-rules: %w", err)
		}
	}
	if len(t.settings.TaggedptrRules) > 0 {
		if err := taggedptr.Analyzer.Flags.Set("rules", strings.Join(t.settings.TaggedptrRules, ",")); err != nil {
			return nil, fmt.Errorf("tagcheck plugin: taggedptr-rules: %w", err)
		}
	}
	return []*analysis.Analyzer{check.SuppressGo(lockpair.Analyzer, true), check.SuppressGo(taggedptr.Analyzer, false)}, nil
}

// GetLoadMode asks for type information: both analyzers build SSA.
func (t *tagcheck) GetLoadMode() string { return register.LoadModeTypesInfo }
