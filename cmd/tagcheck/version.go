package main

import (
	"fmt"
	"io"
	"runtime/debug"
)

func runVersion(_ []string, stdout, _ io.Writer) int {
	fmt.Fprintf(stdout, "tagcheck %s\n", version())
	return 0
}

// version is the module version of the binary ("(devel)" for a local
// build) followed by the first 12 digits of the VCS revision when the
// build recorded one; SARIF's tool.driver.version carries it.
func version() string {
	v := "(devel)"
	if bi, ok := debug.ReadBuildInfo(); ok {
		if bi.Main.Version != "" {
			v = bi.Main.Version
		}
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				v += " " + s.Value[:12]
			}
		}
	}
	return v
}
