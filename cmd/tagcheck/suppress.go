package main

import (
	"fmt"
	"io"

	"github.com/tagcheck/tagcheck/check"
	"github.com/tagcheck/tagcheck/report"
)

// presuppressed marks results whose suppression comments were already
// applied per commit (checkGit): the merged Lines hold only the latest
// commit's text, so they must not be applied again.
var presuppressed = map[*check.Result]bool{}

// filter applies tagcheck:ignore comments, then --write-baseline or
// --baseline, to res.Findings. done is set when the run ends here
// (--write-baseline, or an error) with the exit code in code.
func filter(res *check.Result, out outputFlags, stderr io.Writer) (code int, done bool) {
	src := check.Source(res)
	if !presuppressed[res] {
		res.Findings = check.Suppress(res.Findings, src, res.Files())
	}
	if out.writeBaseline != "" {
		if err := check.WriteBaseline(out.writeBaseline, res.Findings, src, out.readFrom); err != nil {
			return fail(stderr, err), true
		}
		fmt.Fprintf(stderr, "tagcheck: wrote %d finding%s to baseline %s\n", len(res.Findings), plural(len(res.Findings)), out.writeBaseline)
		return 0, true
	}
	if out.baseline != "" {
		b, err := check.ReadBaseline(out.baseline, out.maxInput, "--max-input")
		if err != nil {
			return fail(stderr, err), true
		}
		n := len(res.Findings)
		res.Findings = b.Filter(res.Findings, src)
		if hidden := n - len(res.Findings); hidden > 0 && out.format == "text" {
			fmt.Fprintf(stderr, "tagcheck: note: %d finding%s in baseline %s not shown\n", hidden, plural(hidden), out.baseline)
		}
	}
	return 0, false
}

// sarifOptions give SARIF the source lines (UTF-16 columns, exact fix
// regions) and the baseline key of each finding as its fingerprint.
func sarifOptions(res *check.Result) report.SARIFOptions {
	src := check.Source(res)
	return report.SARIFOptions{ToolVersion: version(), Source: src, Fingerprints: check.Fingerprints(res.Findings, src)}
}
