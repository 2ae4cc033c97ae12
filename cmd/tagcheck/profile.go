package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"sync"
	"time"

	"github.com/tagcheck/tagcheck/check"
	"github.com/tagcheck/tagcheck/internal/safefile"
)

// profiles are --cpuprofile FILE and --memprofile FILE: where a run's
// time and memory go (go tool pprof).
type profiles struct {
	cpu, mem string
	cpuBuf   bytes.Buffer
	peak     peakHeap
}

// register adds both flags; what names the run in their help.
func (p *profiles) register(fs *flag.FlagSet, what string) {
	fs.StringVar(&p.cpu, "cpuprofile", "", "write a CPU profile of the "+what+" to `FILE` (go tool pprof)")
	fs.StringVar(&p.mem, "memprofile", "", "write a heap profile of the "+what+", taken when its heap was largest, to `FILE` (go tool pprof)")
}

// start begins profiling what was asked for.
func (p *profiles) start() error {
	if p.cpu != "" {
		if err := pprof.StartCPUProfile(&p.cpuBuf); err != nil {
			return fmt.Errorf("--cpuprofile %s: %w", p.cpu, err)
		}
	}
	if p.mem != "" {
		p.peak.start()
	}
	return nil
}

// stop ends profiling and writes the profiles, atomically and never over
// one of the run's inputs.
func (p *profiles) stop(inputs []string) error {
	if p.cpu != "" {
		pprof.StopCPUProfile()
		if err := safefile.WriteFile(p.cpu, p.cpuBuf.Bytes(), 0o644, inputs); err != nil {
			return fmt.Errorf("--cpuprofile %s: %w", p.cpu, err)
		}
	}
	if p.mem != "" {
		if err := safefile.WriteFile(p.mem, p.peak.stop(), 0o644, inputs); err != nil {
			return fmt.Errorf("--memprofile %s: %w", p.mem, err)
		}
	}
	return nil
}

// peakHeap keeps the heap profile of the moment the live heap was
// largest: what a run holds at its end is not what made its peak RSS.
// The heap is sampled a few times a second; a profile is taken again
// only when the heap grew by a tenth over the last one.
type peakHeap struct {
	done chan struct{}
	wg   sync.WaitGroup
	prof []byte
}

func (h *peakHeap) start() {
	runtime.MemProfileRate = 512 << 10
	h.done = make(chan struct{})
	h.wg.Add(1)
	go func() {
		defer h.wg.Done()
		tick := time.NewTicker(250 * time.Millisecond)
		defer tick.Stop()
		var largest uint64
		for {
			select {
			case <-h.done:
				return
			case <-tick.C:
			}
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			if ms.HeapAlloc > largest+largest/10 {
				largest = ms.HeapAlloc
				runtime.GC() // the profile's in-use figures are those of the last GC
				h.take()
			}
		}
	}()
}

func (h *peakHeap) take() {
	var buf bytes.Buffer
	if err := pprof.Lookup("heap").WriteTo(&buf, 0); err == nil {
		h.prof = buf.Bytes()
	}
}

// stop returns the profile of the largest heap seen (the current one if
// the run ended before the first sample).
func (h *peakHeap) stop() []byte {
	close(h.done)
	h.wg.Wait()
	if h.prof == nil {
		runtime.GC()
		h.take()
	}
	return h.prof
}

// scanHeapLimit is the soft limit of the Go heap during a scan. Past it
// the collector runs more often instead of letting the heap double over
// what is live: a scan of the whole kernel keeps ~350 MB live at its
// largest, and without a limit its peak RSS passed 1 GB.
const scanHeapLimit = 640 << 20

// scanGCPercent lets a scan's heap grow to five times what is live
// before the collector runs, the heap limit above bounding it: a scan is
// a batch job whose heap is mostly short-lived syntax trees and walk
// states, and at the default of 100 the collector took a fifth of its
// CPU. On fs/ (alternated, same JSON) 39 s of CPU instead of 44-46 s, at
// a peak of 710 MB instead of 400 MB (bench/README.md); GOGC set in the
// environment is kept.
const scanGCPercent = 400

// limitHeap sets scanHeapLimit unless GOMEMLIMIT already set one, and
// scanGCPercent unless GOGC did.
func limitHeap() {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(scanHeapLimit)
	}
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(scanGCPercent)
	}
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
