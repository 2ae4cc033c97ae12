package main

import (
	"fmt"
	"io"
	"sync"
	"time"
)

// progress shows how far a long scan is, on one rewritten stderr line:
//
//	tagcheck: 1200/4211 files (29%), 850 files/s
//
// only when stderr is a terminal; elsewhere (pipes, CI logs, hooks) it is
// silent. It redraws at most every interval and clears its line when done.
//
// runScan hands Update to check.Options.Progress and calls Done before
// the findings are written.
type progress struct {
	w        io.Writer
	enabled  bool
	interval time.Duration
	now      func() time.Time

	mu    sync.Mutex
	start time.Time
	last  time.Time
	shown bool
	width int
}

func newProgress(w io.Writer, enabled bool) *progress {
	return &progress{w: w, enabled: enabled, interval: 100 * time.Millisecond, now: time.Now}
}

// Update records that done of total files are finished. Safe for
// concurrent use.
func (p *progress) Update(done, total int) {
	if p == nil || !p.enabled {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	t := p.now()
	if p.start.IsZero() {
		p.start = t
	}
	if p.shown && t.Sub(p.last) < p.interval && done < total {
		return
	}
	p.last = t
	line := fmt.Sprintf("tagcheck: %d/%d files", done, total)
	if total > 0 {
		line += fmt.Sprintf(" (%d%%)", done*100/total)
	}
	if el := t.Sub(p.start).Seconds(); el >= 0.05 {
		line += fmt.Sprintf(", %.0f files/s", float64(done)/el)
	}
	pad := max(p.width-len(line), 0)
	p.width = len(line)
	fmt.Fprintf(p.w, "\r%s%*s", line, pad, "")
	p.shown = true
}

// Done clears the progress line.
func (p *progress) Done() {
	if p == nil || !p.enabled {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.shown {
		fmt.Fprintf(p.w, "\r%*s\r", p.width, "")
		p.shown = false
	}
}
