// Command scanstat runs cparse.Scan over files and directories and prints
// what a scan costs: files, MB, functions, degraded functions, seconds,
// MB/s and peak RSS. With -raw it only runs tree-sitter on one core (no
// pre-pass, no lowering) for comparison; with -dump it prints the
// control-flow graphs of one file; with -worst it lists degraded
// functions.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"time"

	sitter "github.com/smacker/go-tree-sitter"
	tsc "github.com/smacker/go-tree-sitter/c"

	"github.com/tagcheck/tagcheck/cparse"
)

func main() {
	workers := flag.Int("workers", 0, "parallel workers (0: GOMAXPROCS)")
	raw := flag.Bool("raw", false, "raw tree-sitter parse only, one core")
	dump := flag.Bool("dump", false, "print the control-flow graphs of the given files")
	worst := flag.Int("worst", 0, "list up to N degraded functions")
	contains := flag.String("contains", "", "skip files not containing this string")
	flag.Parse()
	noret := func(s string) bool { return s == "BUG" || s == "panic" || s == "do_exit" }
	if *dump {
		for _, p := range flag.Args() {
			src, err := os.ReadFile(p)
			if err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(2)
			}
			cf, err := cparse.ParseC(p, src, cparse.ParseOptions{NoReturn: noret})
			if err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(2)
			}
			for _, fn := range cf.Funcs {
				fmt.Print(cparse.FormatCFG(fn))
			}
		}
		return
	}
	start := time.Now()
	var files, funcs, degraded, errs int
	var bytes int64
	var bad []string
	if *raw {
		p := sitter.NewParser()
		p.SetLanguage(tsc.GetLanguage())
		var paths []string
		for _, root := range flag.Args() {
			filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
				if err != nil {
					return nil
				}
				if d.IsDir() && d.Name() == ".git" {
					return filepath.SkipDir
				}
				if !d.IsDir() && (strings.HasSuffix(path, ".c") || strings.HasSuffix(path, ".h")) {
					paths = append(paths, path)
				}
				return nil
			})
		}
		sort.Strings(paths)
		start = time.Now()
		for _, path := range paths {
			src, err := os.ReadFile(path)
			if err != nil {
				errs++
				continue
			}
			if *contains != "" && !strings.Contains(string(src), *contains) {
				continue
			}
			t := p.Parse(nil, src)
			t.Close()
			files++
			bytes += int64(len(src))
		}
		p.Close()
	} else {
		opt := cparse.ScanOptions{ParseOptions: cparse.ParseOptions{NoReturn: noret}, Workers: *workers}
		if *contains != "" {
			opt.Contains = []byte(*contains)
		}
		err := cparse.Scan(flag.Args(), opt, func(cf *cparse.CFile, err error) {
			if err != nil {
				errs++
				fmt.Fprintln(os.Stderr, err)
				return
			}
			files++
			if fi, e := os.Stat(cf.Path); e == nil {
				bytes += fi.Size()
			}
			funcs += len(cf.Funcs)
			degraded += cf.Degraded
			if *worst > 0 {
				for _, fn := range cf.Funcs {
					if fn.Degraded && len(bad) < *worst {
						bad = append(bad, fmt.Sprintf("%s:%d %s", cf.Path, fn.Pos.Line, fn.Name))
					}
				}
			}
		})
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
	}
	secs := time.Since(start).Seconds()
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	mb := float64(bytes) / 1e6
	mode := "scan"
	if *raw {
		mode = "raw-parse-1core"
	}
	pct := 0.0
	if funcs > 0 {
		pct = 100 * float64(degraded) / float64(funcs)
	}
	cpu := float64(ru.Utime.Sec+ru.Stime.Sec) + float64(ru.Utime.Usec+ru.Stime.Usec)/1e6
	fmt.Printf("%s: files %d  MB %.1f  functions %d  degraded %d (%.3f%%)  errors %d  seconds %.2f  MB/s %.1f  cpu-seconds %.1f  MB/cpu-s %.2f  peakRSS %d MB\n",
		mode, files, mb, funcs, degraded, pct, errs, secs, mb/secs, cpu, mb/cpu, ru.Maxrss/1024)
	for _, b := range bad {
		fmt.Println("degraded:", b)
	}
}
