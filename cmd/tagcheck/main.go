// Command tagcheck finds tagged-pointer and lock-pairing misuse in
// Linux-kernel C patches and in Go code.
//
//	tagcheck check [--tree DIR] [--format text|json|sarif] [--rules FILE]... PATCH|EMAIL|MBOX|-...
//	tagcheck scan [--format ...] [--rules FILE]... [--stats] PATH...
//	tagcheck rules [--learned PATCH]
//	tagcheck go [analysis flags] PACKAGES
//	go vet -vettool=$(command -v tagcheck) ./...
//
// Exit codes for check and scan: 0 no findings, 1 findings, 2 the input
// could not be read or understood. Go mode keeps the exit codes of the
// go/analysis drivers (see README.md).
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/tagcheck/tagcheck/report"
)

// usageError is bad command-line use: exit 2 with the usage line.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// command is one subcommand of ours. Everything that is not one of them
// goes to the go/analysis drivers untouched: they own -V=full, -flags and
// a lone *.cfg argument (go vet's protocol).
type command struct {
	name    string
	summary string
	run     func(args []string, stdout, stderr io.Writer) int
}

func commands() []command {
	return []command{
		{"check", "check patches, e-mails and mboxes (or a git range with --git)", runCheck},
		{"scan", "check whole C files and trees", runScan},
		{"cc", "check one C file given a compiler's arguments: make C=1 CHECK=\"tagcheck cc\"", runCC},
		{"rules", "list the rules in force, embedded and learned", runRules},
		{"config", "print the configuration (.tagcheck.yaml) in force here", runConfig},
		{"go", "run the Go analyzers on packages (multichecker flags)", nil},
		{"hook", "install a git pre-commit hook (tagcheck hook install)", runHook},
		{"version", "print the version", runVersion},
		{"help", "print this help", runHelp},
	}
}

func main() {
	os.Exit(dispatch(os.Args, os.Stdout, os.Stderr))
}

func dispatch(argv []string, stdout, stderr io.Writer) int {
	if len(argv) == 1 {
		runHelp(nil, stderr, stderr)
		return 2
	}
	arg := argv[1]
	for _, c := range commands() {
		if arg != c.name {
			continue
		}
		if c.name == "go" {
			runGo(append([]string{argv[0]}, argv[2:]...))
			return 0 // not reached: the driver exits
		}
		return c.run(argv[2:], stdout, stderr)
	}
	switch arg {
	case "-h", "--help", "-help":
		return runHelp(nil, stdout, stderr)
	case "--version", "-version":
		return runVersion(nil, stdout, stderr)
	}
	if err := notForTheDriver(arg); err != nil {
		return fail(stderr, err)
	}
	// go vet -vettool (-V=full, -flags, a *.cfg), or `tagcheck ./...`.
	runGo(argv)
	return 0
}

// notForTheDriver returns the error for a first argument that is neither
// one of our commands nor something the go/analysis driver takes: a flag,
// a package pattern, a go vet .cfg file. A bare word is a mistyped
// command; a patch or a C file is a missing command.
func notForTheDriver(arg string) error {
	if strings.HasPrefix(arg, "-") {
		return nil
	}
	switch filepath.Ext(arg) {
	case ".patch", ".diff", ".eml", ".mbox", ".mbx":
		return usageError{fmt.Sprintf("%s: to check a patch or an e-mail, run tagcheck check %s", arg, arg)}
	case ".c", ".h":
		return usageError{fmt.Sprintf("%s: to check a C file, run tagcheck scan %s", arg, arg)}
	}
	if strings.ContainsAny(arg, "./") {
		return nil // a package pattern or a .cfg file
	}
	var names []string
	for _, c := range commands() {
		names = append(names, c.name)
	}
	msg := fmt.Sprintf("unknown command %q", arg)
	if near, ok := closest(arg, names); ok {
		msg += fmt.Sprintf("; did you mean %q?", near)
	}
	return usageError{msg + " (run tagcheck help; Go packages: tagcheck go PATTERN...)"}
}

func runHelp(_ []string, stdout, _ io.Writer) int {
	fmt.Fprintln(stdout, "tagcheck finds tagged-pointer and lock-pairing misuse in kernel C patches and Go code.")
	fmt.Fprintln(stdout)
	fmt.Fprintln(stdout, "usage:")
	for _, c := range commands() {
		fmt.Fprintf(stdout, "  tagcheck %-8s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(stdout, "  go vet -vettool=$(command -v tagcheck) ./...")
	fmt.Fprintln(stdout)
	fmt.Fprintln(stdout, "rules reported:")
	for _, id := range report.SortedRuleIDs() {
		fmt.Fprintf(stdout, "  %-28s %s\n", id, report.Info(id).Short)
	}
	fmt.Fprintln(stdout)
	fmt.Fprintln(stdout, "Run 'tagcheck COMMAND -h' for a command's flags; flags may also follow the files.")
	fmt.Fprintln(stdout)
	fmt.Fprintln(stdout, "Exit codes:")
	fmt.Fprintln(stdout, "  check, scan: 0 no findings, 1 findings, 2 bad input or usage")
	fmt.Fprintln(stdout, "  go:          0 no findings, 3 findings, 1 a package did not build or an analyzer failed, 2 bad flags or packages")
	return 0
}

// fail prints err as one line on stderr and returns exit code 2.
func fail(stderr io.Writer, err error) int {
	var ue usageError
	if errors.As(err, &ue) {
		fmt.Fprintf(stderr, "tagcheck: %s\n", report.OneLine(ue.msg))
		return 2
	}
	// One line whatever the error quotes: a newline in a file name must
	// not forge a second one.
	fmt.Fprintf(stderr, "tagcheck: %s\n", report.OneLine(err.Error()))
	return 2
}
