package main

import (
	"fmt"
	"io"

	"github.com/tagcheck/tagcheck/check"
	"github.com/tagcheck/tagcheck/report"
)

// filter applies tagcheck:ignore comments, then --write-baseline or
// --baseline, to res.Findings. done is set when the run ends here
// (--write-baseline, or an error) with the exit code in code.
func filter(res *check.Result, out outputFlags, stderr io.Writer) (code int, done bool) {
	src := check.Source(res)
	if !res.Suppressed {
		res.Findings = check.Suppress(res.Findings, src, res.Files())
	}
	res.Findings, code, done = applyBaseline(res.Findings, src, out, stderr)
	return code, done
}

// applyBaseline does --write-baseline (done, exit 0) or --baseline (the
// findings it does not hold) for C and Go findings alike.
func applyBaseline(fs []report.Finding, src func(string) report.Lines, out outputFlags, stderr io.Writer) (kept []report.Finding, code int, done bool) {
	fs = out.pol.drop(fs) // disabled rules and excluded paths are never recorded either
	if out.writeBaseline != "" {
		if err := check.WriteBaseline(out.writeBaseline, fs, src, out.readFrom); err != nil {
			return nil, fail(stderr, err), true
		}
		fmt.Fprintf(stderr, "tagcheck: wrote %d finding%s to baseline %s\n", len(fs), plural(len(fs)), out.writeBaseline)
		return nil, 0, true
	}
	if out.baseline == "" {
		return fs, 0, false
	}
	b, err := check.ReadBaseline(out.baseline, out.maxInput, "--max-input")
	if err != nil {
		return nil, fail(stderr, err), true
	}
	kept = b.Filter(fs, src)
	if hidden := len(fs) - len(kept); hidden > 0 && out.showNotes() {
		fmt.Fprintf(stderr, "tagcheck: note: %d finding%s in baseline %s not shown\n", hidden, plural(hidden), out.baseline)
	}
	return kept, 0, false
}

// sarifOptions give SARIF the source lines (UTF-16 columns, exact fix
// regions) and the baseline key of each finding as its fingerprint.
func sarifOptions(res *check.Result) report.SARIFOptions {
	src := check.Source(res)
	return report.SARIFOptions{ToolVersion: version(), Source: src, Fingerprints: check.Fingerprints(res.Findings, src)}
}
