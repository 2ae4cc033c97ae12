package main

import (
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"sync"
	"syscall"
)

// scratch is the run's temporary directory for git pre-images. It holds
// source files, so it is removed at the end of the run and also when the
// run is interrupted (SIGINT, SIGTERM, SIGHUP): a Ctrl-C during
// `check --git` must not leave /tmp/tagcheck-git-* behind.
type scratch struct {
	mu   sync.Mutex // held while something is written, and by the signal handler until exit
	dir  string     // "" until first used
	stop func()
}

// newScratch starts watching for signals; close must be called.
func newScratch(stderr io.Writer) *scratch {
	s := &scratch{}
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	done := make(chan struct{})
	go func() {
		select {
		case sig := <-sigs:
			s.mu.Lock() // never released: nothing more is written
			if s.dir != "" {
				os.RemoveAll(s.dir)
			}
			fmt.Fprintf(stderr, "tagcheck: interrupted (%v)\n", sig)
			code := 130
			if n, ok := sig.(syscall.Signal); ok {
				code = 128 + int(n)
			}
			os.Exit(code)
		case <-done:
		}
	}()
	s.stop = func() {
		signal.Stop(sigs)
		close(done)
	}
	return s
}

// mkdir makes a new directory under the scratch directory.
func (s *scratch) mkdir() (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.dir == "" {
		d, err := os.MkdirTemp("", "tagcheck-git-")
		if err != nil {
			return "", err
		}
		s.dir = d
	}
	return os.MkdirTemp(s.dir, "pre-")
}

// writeFile writes data at path (inside the scratch directory), making
// its directories.
func (s *scratch) writeFile(path string, data []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, data, 0o644)
}

// close stops watching for signals and removes everything.
func (s *scratch) close() {
	s.stop()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.dir != "" {
		os.RemoveAll(s.dir)
	}
}
