// Package lazyssa is buildssa built when first asked for. go vet runs
// the vet tool on every dependency of the packages it checks, the
// standard library's included (for facts), and lockpair and taggedptr
// have nothing to learn or report in most of them: building the SSA form
// of every one was the largest part of what tagcheck adds to go vet's
// time on a small module. The two analyzers share one build, made when
// the first of them finds work in the package.
package lazyssa

import (
	"fmt"
	"reflect"
	"sync"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/buildssa"
)

// Analyzer hands each package's analyzers an *SSA that builds the
// package's SSA form (as buildssa does, with buildssa's requirements)
// on the first call of its Get.
var Analyzer = &analysis.Analyzer{
	Name:       "lazyssa",
	Doc:        "build SSA for the package when an analyzer asks for it",
	URL:        "https://pkg.go.dev/github.com/tagcheck/tagcheck/internal/lazyssa",
	Requires:   buildssa.Analyzer.Requires,
	Run:        run,
	ResultType: reflect.TypeOf(new(SSA)),
}

// SSA is a package's SSA form, built on the first Get.
type SSA struct {
	pass *analysis.Pass
	once sync.Once
	ssa  *buildssa.SSA
	err  error
}

func run(pass *analysis.Pass) (any, error) {
	return &SSA{pass: pass}, nil
}

// Get builds the SSA form, once; the analyzers of a package may call it
// concurrently.
func (s *SSA) Get() (*buildssa.SSA, error) {
	s.once.Do(func() {
		// The pass has what buildssa's reads: the package's syntax, types
		// and the results of buildssa's requirements.
		res, err := buildssa.Analyzer.Run(s.pass)
		if err != nil {
			s.err = fmt.Errorf("building SSA of %s: %w", s.pass.Pkg.Path(), err)
			return
		}
		s.ssa = res.(*buildssa.SSA)
	})
	return s.ssa, s.err
}
