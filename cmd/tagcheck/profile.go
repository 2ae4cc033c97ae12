package main

import (
	"bytes"
	"fmt"
	"runtime/pprof"

	"github.com/tagcheck/tagcheck/internal/safefile"
)

// cpuProfile is --cpuprofile FILE: where a run's time goes (go tool pprof).
type cpuProfile struct {
	path string
	buf  bytes.Buffer
}

// start begins profiling when a file was named.
func (p *cpuProfile) start() error {
	if p.path == "" {
		return nil
	}
	if err := pprof.StartCPUProfile(&p.buf); err != nil {
		return fmt.Errorf("--cpuprofile %s: %w", p.path, err)
	}
	return nil
}

// stop ends profiling and writes the profile, atomically and never over
// one of the run's inputs.
func (p *cpuProfile) stop(inputs []string) error {
	if p.path == "" {
		return nil
	}
	pprof.StopCPUProfile()
	if err := safefile.WriteFile(p.path, p.buf.Bytes(), 0o644, inputs); err != nil {
		return fmt.Errorf("--cpuprofile %s: %w", p.path, err)
	}
	return nil
}
