package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"
)

// parseFlags parses args with fs and returns the positional arguments.
// Flags may follow them, as go vet and git users expect (`check X.patch
// --format json`); "--" ends the flags. On -h it prints the usage on
// stdout and returns code 0; on a bad flag, the error and the usage on
// stderr and code 2. ok is false in both cases: the command ends there.
func parseFlags(fs *flag.FlagSet, args []string, stdout, stderr io.Writer) (pos []string, code int, ok bool) {
	var msg bytes.Buffer
	fs.SetOutput(&msg)
	for {
		err := fs.Parse(args)
		if errors.Is(err, flag.ErrHelp) {
			stdout.Write(msg.Bytes())
			return nil, 0, false
		}
		if err != nil {
			first, rest, _ := strings.Cut(msg.String(), "\n")
			fmt.Fprintf(stderr, "tagcheck: %s: %s\n%s", fs.Name(), first, rest)
			return nil, 2, false
		}
		rest := fs.Args()
		if n := len(args) - len(rest); n > 0 && args[n-1] == "--" {
			return append(pos, rest...), 0, true
		}
		if len(rest) == 0 {
			return pos, 0, true
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// parseNoArgs is parseFlags for a command that takes flags only: a
// positional argument is a usage error (exit 2).
func parseNoArgs(fs *flag.FlagSet, args []string, stdout, stderr io.Writer) (code int, ok bool) {
	pos, code, ok := parseFlags(fs, args, stdout, stderr)
	if !ok {
		return code, false
	}
	if len(pos) > 0 {
		return fail(stderr, usageError{fmt.Sprintf("%s: unexpected argument %q", fs.Name(), pos[0])}), false
	}
	return 0, true
}

// newFlagSet is a subcommand's flag set; usage is its synopsis. Parse it
// with parseFlags.
func newFlagSet(name string, stderr io.Writer, usage string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: %s\n", usage)
		fs.PrintDefaults()
	}
	return fs
}

// colorFlag is --color=auto|always|never.
type colorFlag string

func (c *colorFlag) String() string { return string(*c) }
func (c *colorFlag) Set(v string) error {
	switch v {
	case "auto", "always", "never":
		*c = colorFlag(v)
		return nil
	}
	return fmt.Errorf("want auto, always or never, not %q", v)
}

// enabled decides colour for output on w: always and never are obeyed;
// auto wants a terminal, no NO_COLOR (https://no-color.org) and a TERM
// other than dumb.
func (c colorFlag) enabled(w io.Writer, getenv func(string) string) bool {
	switch c {
	case "always":
		return true
	case "never":
		return false
	}
	return getenv("NO_COLOR") == "" && isInteractive(w, getenv)
}

// isInteractive reports whether w is a terminal that can redraw a line
// (progress): a real terminal, not /dev/null or a pipe, and not
// TERM=dumb.
func isInteractive(w io.Writer, getenv func(string) string) bool {
	f, ok := w.(*os.File)
	if !ok || getenv("TERM") == "dumb" {
		return false
	}
	return term.IsTerminal(int(f.Fd()))
}

// closest returns the name in names nearest to s by edit distance, when
// it is near enough to be a likely typo.
func closest(s string, names []string) (string, bool) {
	best, bestD := "", 0
	for _, n := range names {
		d := editDistance(s, n)
		if d <= max(1, len(n)/2) && (best == "" || d < bestD) {
			best, bestD = n, d
		}
	}
	return best, best != ""
}

// editDistance is the Levenshtein distance, with an adjacent
// transposition counting as one edit ("chekc").
func editDistance(a, b string) int {
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}
