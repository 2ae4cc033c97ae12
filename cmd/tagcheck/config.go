package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/tagcheck/tagcheck/internal/limits"
	"github.com/tagcheck/tagcheck/report"
)

// configName is the configuration file tagcheck looks for in the working
// directory and each directory above it; the first found is used.
const configName = ".tagcheck.yaml"

// fileConfig is .tagcheck.yaml. Paths in it are relative to its
// directory. A flag on the command line wins over the setting it names:
// --rules over rules, --baseline and --write-baseline over baseline,
// --disable over disable; --no-config ignores the file.
type fileConfig struct {
	Rules    []string `yaml:"rules"`    // rule packs added to the embedded ones (C; Go: -lockpair.rules and -taggedptr.rules)
	Disable  []string `yaml:"disable"`  // rule IDs or families not reported
	Baseline string   `yaml:"baseline"` // the --baseline of every run
	Exclude  []string `yaml:"exclude"`  // paths whose findings are not reported: a glob, dir/** for a directory
	path     string   // the file it was read from
}

// findConfig looks for .tagcheck.yaml in dir and its parents. No file is
// no error: it returns nil.
func findConfig(dir string) (*fileConfig, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	for {
		p := filepath.Join(dir, configName)
		if _, err := os.Stat(p); err == nil {
			return readConfig(p)
		} else if !errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return nil, nil
		}
		dir = parent
	}
}

// readConfig reads a configuration file, up to the input limit; unknown
// keys, bad rule names and a second YAML document (its settings would be
// dropped) are errors naming the file and line.
func readConfig(p string) (*fileConfig, error) {
	data, err := limits.ReadFile(p, "", limits.DefaultInput)
	if tooLarge := (*limits.TooLargeError)(nil); errors.As(err, &tooLarge) {
		return nil, err
	}
	if err != nil {
		return nil, fmt.Errorf("%s: cannot read: %w", p, err)
	}
	var c fileConfig
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&c); err != nil && !errors.Is(err, io.EOF) {
		return nil, configError(p, err)
	}
	var next yaml.Node
	if err := dec.Decode(&next); err == nil {
		return nil, fmt.Errorf("%s:%d: a second YAML document (---); a configuration is one document", p, next.Line)
	} else if !errors.Is(err, io.EOF) {
		return nil, configError(p, err)
	}
	for _, r := range c.Disable {
		if !knownRuleOrFamily(r) {
			return nil, fmt.Errorf("%s:%d: disable: unknown rule %q; known rules: %s", p, lineOf(data, r), r, strings.Join(report.SortedRuleIDs(), ", "))
		}
	}
	for _, e := range c.Exclude {
		if _, err := path.Match(strings.TrimSuffix(e, "/**"), ""); err != nil {
			return nil, fmt.Errorf("%s:%d: exclude: bad pattern %q: %v", p, lineOf(data, e), e, err)
		}
	}
	c.path = p
	dir := filepath.Dir(p)
	for i, r := range c.Rules {
		c.Rules[i] = resolve(dir, r)
	}
	if c.Baseline != "" {
		c.Baseline = resolve(dir, c.Baseline)
	}
	return &c, nil
}

// configError is a YAML error on one line: "FILE:LINE: what", the keys
// there are when the key is unknown.
func configError(p string, err error) error {
	var te *yaml.TypeError
	if !errors.As(err, &te) || len(te.Errors) == 0 {
		return fmt.Errorf("%s: %s", p, strings.TrimPrefix(err.Error(), "yaml: "))
	}
	msg := te.Errors[0] // "line 2: field disabled not found in type main.fileConfig"
	var line int
	var rest string
	if n, _ := fmt.Sscanf(msg, "line %d:", &line); n == 1 {
		_, rest, _ = strings.Cut(msg, ": ")
	} else {
		rest = msg
	}
	var field string
	if n, _ := fmt.Sscanf(rest, "field %s not found", &field); n == 1 {
		rest = fmt.Sprintf("unknown key %q; the keys are rules, disable, baseline and exclude", field)
	}
	return fmt.Errorf("%s:%d: %s", p, line, rest)
}

func resolve(dir, p string) string {
	if filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(dir, p)
}

// lineOf is the line of the first mention of s in data, for messages.
func lineOf(data []byte, s string) int {
	if i := bytes.Index(data, []byte(s)); i >= 0 {
		return 1 + bytes.Count(data[:i], []byte("\n"))
	}
	return 1
}

func knownRuleOrFamily(r string) bool {
	for _, id := range append(report.SortedRuleIDs(), report.BadSuppression) {
		if id == r || strings.HasPrefix(id, r+"/") {
			return true
		}
	}
	return false
}

// policy is what the configuration and --disable drop from the findings.
type policy struct {
	disable []string
	exclude []string
	root    string // the directory exclude patterns are relative to
}

// drop returns the findings of fs that no disabled rule and no excluded
// path names, and how many it dropped.
func (p policy) drop(fs []report.Finding) []report.Finding {
	if len(p.disable) == 0 && len(p.exclude) == 0 {
		return fs
	}
	wd, _ := os.Getwd()
	var out []report.Finding
	for _, f := range fs {
		if !p.disabled(f.Rule) && !p.excluded(wd, f.File) {
			out = append(out, f)
		}
	}
	return out
}

func (p policy) disabled(rule string) bool {
	for _, d := range p.disable {
		if rule == d || strings.HasPrefix(rule, d+"/") {
			return true
		}
	}
	return false
}

// excluded matches file (as findings name it: relative to the working
// directory, or absolute) against the patterns, relative to the
// configuration's directory: "dir/**" is everything under dir, a
// pattern without a slash matches the base name, others the whole path.
func (p policy) excluded(wd, file string) bool {
	if len(p.exclude) == 0 {
		return false
	}
	abs := file
	if !filepath.IsAbs(abs) {
		abs = filepath.Join(wd, file)
	}
	rel, err := filepath.Rel(p.root, abs)
	if err != nil || strings.HasPrefix(rel, "..") {
		rel = file
	}
	rel = filepath.ToSlash(rel)
	for _, e := range p.exclude {
		switch {
		case strings.HasSuffix(e, "/**"):
			if d := strings.TrimSuffix(e, "/**"); rel == d || strings.HasPrefix(rel, d+"/") {
				return true
			}
		case !strings.Contains(e, "/"):
			if ok, _ := path.Match(e, path.Base(rel)); ok {
				return true
			}
		default:
			if ok, _ := path.Match(e, rel); ok {
				return true
			}
		}
	}
	return false
}

// configFlags are the configuration flags of every command that reports.
type configFlags struct {
	file     string
	none     bool
	disable  listFlag
	loaded   *fileConfig
	explicit map[string]bool // flags given on the command line
}

func (c *configFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&c.file, "config", "", "read this configuration file instead of the "+configName+" found from the working directory upwards")
	fs.BoolVar(&c.none, "no-config", false, "read no configuration file")
	fs.Var(&c.disable, "disable", "a rule ID or family not to report (repeatable; replaces the configuration's disable)")
}

// load reads the configuration once the flags are parsed.
func (c *configFlags) load(fs *flag.FlagSet) error {
	c.explicit = map[string]bool{}
	fs.Visit(func(f *flag.Flag) { c.explicit[f.Name] = true })
	for _, d := range c.disable {
		if !knownRuleOrFamily(d) {
			return usageError{fmt.Sprintf("--disable %s: unknown rule; known rules: %s", d, strings.Join(report.SortedRuleIDs(), ", "))}
		}
	}
	var err error
	switch {
	case c.none:
	case c.file != "":
		c.loaded, err = readConfig(c.file)
	default:
		c.loaded, err = findConfig(".")
	}
	return err
}

// policy is the configuration's disable and exclude, with --disable
// winning.
func (c *configFlags) policy() policy {
	var p policy
	if c.loaded != nil {
		p = policy{disable: c.loaded.Disable, exclude: c.loaded.Exclude, root: filepath.Dir(c.loaded.path)}
	}
	if c.explicit["disable"] {
		p.disable = c.disable
	}
	return p
}

// rules are the rule packs: --rules when given, else the configuration's.
func (c *configFlags) rules(flagRules []string) []string {
	if c.explicit["rules"] || c.loaded == nil {
		return flagRules
	}
	return c.loaded.Rules
}

// baseline is --baseline when given, else the configuration's unless
// --write-baseline is writing one.
func (c *configFlags) baseline(flagBaseline string) string {
	if c.explicit["baseline"] || c.explicit["write-baseline"] || c.loaded == nil {
		return flagBaseline
	}
	return c.loaded.Baseline
}

// runConfig prints the configuration in force in the working directory.
func runConfig(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("config", stderr, "tagcheck config [--config FILE]: print the configuration "+configName+" gives, found from the working directory upwards")
	var c configFlags
	c.register(fs)
	if code, ok := parseNoArgs(fs, args, stdout, stderr); !ok {
		return code
	}
	if err := c.load(fs); err != nil {
		return fail(stderr, err)
	}
	if c.loaded == nil {
		wd, _ := os.Getwd()
		fmt.Fprintf(stdout, "# no %s in %s or above it: the embedded rules, no baseline, nothing disabled or excluded\n", configName, wd)
		return 0
	}
	fmt.Fprintf(stdout, "# %s (paths resolved; flags on the command line win over each setting)\n", c.loaded.path)
	p := c.policy()
	out := struct {
		Rules    []string `yaml:"rules"`
		Disable  []string `yaml:"disable"`
		Baseline string   `yaml:"baseline"`
		Exclude  []string `yaml:"exclude"`
	}{c.rules(nil), p.disable, c.baseline(""), p.exclude}
	enc := yaml.NewEncoder(stdout)
	enc.SetIndent(2)
	if err := enc.Encode(out); err != nil {
		return fail(stderr, err)
	}
	return 0
}
