package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/tagcheck/tagcheck/check"
)

// tagcheck as the kernel build's source checker, in sparse's place:
//
//	make C=1 CHECK="tagcheck cc"                    # files being recompiled
//	make C=2 CHECK="tagcheck scan --sparse-compat"  # every file
//
// Kbuild runs $(CHECK) $(CHECKFLAGS) $(c_flags) FILE.c: compiler options
// (-D, -I, -W, -m, -f, -include FILE, ...) and the source file last. cc
// skips the options, scans the file as `tagcheck scan FILE` does, and
// prints the findings on stderr like a compiler's warnings. As sparse, it
// exits 0 with findings so that the build goes on (--fail-on-findings: 1);
// 2 when the file cannot be read.

// ccValueOptions are the compiler options whose value is the next
// argument (when not joined to them).
var ccValueOptions = map[string]bool{
	"-D": true, "-U": true, "-I": true, "-o": true, "-x": true,
	"-include": true, "-imacros": true, "-isystem": true, "-idirafter": true, "-iquote": true,
	"-iprefix": true, "-iwithprefix": true, "-iwithprefixbefore": true, "-isysroot": true,
	"-MF": true, "-MT": true, "-MQ": true, "--param": true, "-Xpreprocessor": true, "-Xassembler": true, "-Xlinker": true,
	"-aux-info": true, "--sysroot": true, "-target": true, "--target": true,
}

// ccArgs splits a compiler command line into tagcheck's own flags
// (--fail-on-findings, and the output flags of scan: --format, --rules,
// -q, ...) and the C files to check; every other option is skipped.
func ccArgs(args []string) (own, files []string, err error) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--fail-on-findings" || a == "--sparse-compat":
			own = append(own, a)
		case ownValueFlag(a):
			if !strings.Contains(a, "=") {
				if i+1 == len(args) {
					return nil, nil, usageError{fmt.Sprintf("cc: %s needs a value", a)}
				}
				own = append(own, a, args[i+1])
				i++
				continue
			}
			own = append(own, a)
		case a == "-q" || a == "--terse" || a == "-terse":
			own = append(own, a)
		case ccValueOptions[a]:
			i++ // the option's value
		case strings.HasPrefix(a, "-"):
			// -DX, -I./include, -Wall, -m64, -fno-strict-aliasing, -Wp,-MMD,x.d, -nostdinc, -std=gnu11, -O2, ...
		case isCPath(a):
			files = append(files, a)
		default:
			return nil, nil, usageError{fmt.Sprintf("cc: %q is neither an option nor a C file (.c or .h)", a)}
		}
	}
	if len(files) == 0 {
		return nil, nil, usageError{"cc: no C file on the command line (kbuild passes it last)"}
	}
	return own, files, nil
}

// ownValueFlag reports whether a is one of tagcheck's flags that take a
// value, written --name, -name, or with =value.
func ownValueFlag(a string) bool {
	name, _, _ := strings.Cut(strings.TrimLeft(a, "-"), "=")
	switch name {
	case "format", "rules", "baseline", "color":
		return strings.HasPrefix(a, "--") // -format is not a gcc option, but keep gcc's one-dash space free
	}
	return false
}

func runCC(args []string, stdout, stderr io.Writer) int {
	own, files, err := ccArgs(args)
	if err != nil {
		return fail(stderr, err)
	}
	fs := newFlagSet("cc", stderr, "tagcheck cc [--fail-on-findings] [--format ...] [compiler options] FILE.c")
	var out outputFlags
	out.register(fs)
	failOn := fs.Bool("fail-on-findings", false, "exit 1 when there are findings (by default 0, as sparse, so that the build goes on)")
	fs.Bool("sparse-compat", true, "accept and skip compiler options (always on in cc)")
	if _, code, ok := parseFlags(fs, own, stdout, stderr); !ok {
		return code
	}
	if err := out.finish(fs); err != nil {
		return fail(stderr, err)
	}
	rs, err := out.scanInputs(files)
	if err != nil {
		return fail(stderr, err)
	}
	res, err := check.Scan(files, check.Options{Rules: rs})
	if err != nil {
		return fail(stderr, err)
	}
	// A compiler's warnings go to stderr, where make shows them beside
	// the file's CHECK line; JSON and SARIF stay on stdout for tools.
	w := stdout
	if out.format == "text" {
		w = stderr
	}
	code := emit(res, out, w, stderr)
	if code == 1 && !*failOn {
		return 0
	}
	return code
}
