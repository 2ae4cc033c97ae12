package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"runtime/pprof"

	"github.com/tagcheck/tagcheck/check"
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

// scanCacheLimit bounds the scan cache on disk.
const scanCacheLimit = 256 << 20

// scanCache opens the scan cache: os.UserCacheDir()/tagcheck/scan, or
// TAGCHECK_CACHE when it names a directory; nil when --no-cache or
// TAGCHECK_CACHE=off says so, or when it cannot be opened (said on
// stderr: the scan runs without it).
func scanCache(off bool, stderr io.Writer) *check.Cache {
	env := os.Getenv("TAGCHECK_CACHE")
	if off || env == "off" {
		return nil
	}
	dir := env
	if dir == "" {
		d, err := check.DefaultCacheDir()
		if err != nil {
			fmt.Fprintf(stderr, "tagcheck: scan cache not used: %v\n", err)
			return nil
		}
		dir = d
	}
	c, err := check.OpenCache(dir, scanCacheLimit)
	if err != nil {
		fmt.Fprintf(stderr, "tagcheck: scan cache not used: %v\n", err)
		return nil
	}
	return c
}
