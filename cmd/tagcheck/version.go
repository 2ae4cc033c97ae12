package main

import (
	"fmt"
	"io"
	"runtime/debug"
)

func runVersion(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("version", stderr, "tagcheck version")
	if code, ok := parseNoArgs(fs, args, stdout, stderr); !ok {
		return code
	}
	fmt.Fprintf(stdout, "tagcheck %s\n", version())
	return 0
}

// version is what `tagcheck version` prints and SARIF's
// tool.driver.version carries.
func version() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "devel"
	}
	return versionOf(bi)
}

// versionOf is the module version when the build has one (a tag, or a
// pseudo-version, which already names the commit); otherwise "devel" and
// the first 12 digits of the VCS revision, "+dirty" when the work tree had
// changes, as far as the build recorded them (-buildvcs=false records
// nothing).
func versionOf(bi *debug.BuildInfo) string {
	if v := bi.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	v := "devel"
	var rev string
	var dirty bool
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if len(rev) >= 12 {
		v += " " + rev[:12]
		if dirty {
			v += "+dirty"
		}
	}
	return v
}
