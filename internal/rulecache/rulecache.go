// Package rulecache loads the rule sets of the Go analyzers once per
// process. go vet starts one process per package, and lockpair and
// taggedptr both read the embedded packs: parsing their YAML twice was a
// tenth of what tagcheck spends on a small package.
package rulecache

import (
	"strings"
	"sync"

	"github.com/tagcheck/tagcheck/rules"
)

var cache struct {
	sync.Mutex
	sets map[string]result
}

type result struct {
	set *rules.Set
	err error
}

// Load returns rules.Load(files...), the same set to every caller with
// the same files: callers read it, or Clone it to add to it.
func Load(files []string) (*rules.Set, error) {
	key := strings.Join(files, "\x00")
	cache.Lock()
	defer cache.Unlock()
	if r, ok := cache.sets[key]; ok {
		return r.set, r.err
	}
	set, err := rules.Load(files...)
	if cache.sets == nil {
		cache.sets = map[string]result{}
	}
	cache.sets[key] = result{set, err}
	return set, err
}
