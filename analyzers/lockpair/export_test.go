package lockpair

import "github.com/tagcheck/tagcheck/rules"

// BaseRulesForTest exposes the flag-driven rule loading.
func BaseRulesForTest() (*rules.Set, error) { return baseRules() }

// ResetRulesForTest clears the -lockpair.rules list.
func ResetRulesForTest() { ruleFiles = nil; rulesDigest = "" }
