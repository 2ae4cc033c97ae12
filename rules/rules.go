// Package rules is the rule model shared by the C and Go checks: which
// calls acquire and release what (lock pairs), and which pointer fields
// carry tag bits (tagged fields). Rules come from YAML packs — the binary
// embeds defaults for the kernel's locking families, the nsproxy reader tag
// and Go's sync types — and from what the code under check teaches
// (wrappers and tag setters learned from their bodies).
package rules

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/tagcheck/tagcheck/internal/limits"
)

// Lang says which front end a rule is for.
type Lang string

const (
	C  Lang = "c"
	Go Lang = "go"
)

// Mode is how a lock is held.
type Mode string

const (
	Exclusive Mode = "exclusive"
	Shared    Mode = "shared"
)

// When says on which outcome of a conditional acquire the resource is held.
type When string

const (
	Always  When = ""        // held once the call returns
	NonZero When = "nonzero" // trylock: held when the result is non-zero / true
	Zero    When = "zero"    // mutex_lock_interruptible: held when the result is 0
)

// Pair is a family of acquire functions and the release functions that
// undo them. Resource templates name what is held: "$0" is the first
// argument (with a leading & dropped), "$0->alloc_lock" a field reached
// from it, a template without "$" a global such as "rcu". A template
// beginning with "tag:" names the tag bits of a field ("tag:$0->nsproxy").
type Pair struct {
	Name      string   `yaml:"name,omitempty"`
	Lang      Lang     `yaml:"lang,omitempty"`
	Acquire   []string `yaml:"acquire"`
	Release   []string `yaml:"release"`
	Resource  string   `yaml:"resource,omitempty"`  // shorthand for Resources: [Resource]
	Resources []string `yaml:"resources,omitempty"` // what one acquire holds
	Mode      Mode     `yaml:"mode,omitempty"`
	When      When     `yaml:"when,omitempty"`
	Recursive bool     `yaml:"recursive,omitempty"` // may nest (rcu_read_lock)
	Scoped    bool     `yaml:"scoped,omitempty"`    // guard(): released when the scope ends
	Learned   string   `yaml:"learned,omitempty"`   // where a learned pair came from ("file:line")
	// Maybe marks a release that happens on some paths of the function
	// only (if (inode) spin_unlock(&inode->i_lock)): after the call the
	// caller's hold is unknown, neither held nor released.
	Maybe bool `yaml:"maybe,omitempty"`
	// Field marks a release known only from a __releases(x->f) annotation:
	// it drops the one held lock whose path ends in field f, however the
	// caller names the object (xlog_wait_on_iclog: iclog->ic_log is the
	// caller's log).
	Field string `yaml:"field,omitempty"`
	// Callback marks a function that drops some lock somewhere in its body
	// and is passed as a function pointer: a call it is handed to
	// (kref_put(&x->ref, release_locked)) may drop the locks of the object
	// it is given alongside. Such a pair has only Name.
	Callback bool `yaml:"callback,omitempty"`
	// EnablesIRQ marks a function that turns interrupts on outright
	// (calls spin_unlock_irq or local_irq_enable, or a function that
	// does): called inside a spin_lock_irqsave section it runs interrupts
	// early. Such a pair has only Name.
	EnablesIRQ bool `yaml:"enables_irq,omitempty"`
	// Neutral marks a function that leaves every lock as it found it:
	// what it takes it gives back on every path, it releases nothing it
	// did not take, and so do the functions it calls. Between two
	// releases of a lock a call to it cannot have retaken the lock, so
	// the second release is still a double release. Such a pair has
	// only Name.
	Neutral bool `yaml:"neutral,omitempty"`
	// Needs marks a function that drops Resources and takes them again
	// before it returns (spin_unlock(&d->lock); wait(); spin_lock(&d->lock)):
	// its caller must hold them. Such a pair has Name and Resources, and
	// neither Acquire nor Release.
	Needs bool `yaml:"needs,omitempty"`
	// Takes names functions that acquire Resources and release them
	// before they return: a caller already holding one of them blocks on
	// itself (s.mu.Lock(); s.size() where size takes s.mu.RLock()). Such
	// a pair has neither Acquire nor Release.
	Takes []string `yaml:"takes,omitempty"`
	// Links are the parameter fields the function points at another
	// parameter, as "$1->tree = $0" (hfs_find_init(tree, fd) sets
	// fd->tree = tree): after the call the caller may name the lock it
	// took through either, and a release through fd->tree->tree_lock
	// releases tree->tree_lock.
	Links []string `yaml:"links,omitempty"`
	// TrueFor marks a predicate of its one integer argument: it returns
	// true exactly when the argument is one of these constants, false
	// for any other value (getsockopt_needs_rtnl(optname) is true for
	// IP_MSFILTER and MCAST_MSFILTER). A local set once from it says,
	// on a path that then finds the argument equal to a constant,
	// whether it is true: bool needs_rtnl = ...; if (needs_rtnl)
	// rtnl_lock(); switch (optname) { case IP_MTU: return ...; } never
	// returns holding rtnl. Such a pair has only Name.
	TrueFor []string `yaml:"true_for,omitempty"`
	// Balanced marks a learned release whose function also takes locks
	// of its own (rt_mutex_futex_unlock takes and drops wait_lock around
	// its work): its summary is too coarse to call a second release a
	// bug. Not part of a pack.
	Balanced bool `yaml:"-"`
}

// Holds returns the resource templates the pair's acquire holds.
func (p *Pair) Holds() []string {
	if len(p.Resources) > 0 {
		return p.Resources
	}
	if p.Resource != "" {
		return []string{p.Resource}
	}
	return []string{"$0"}
}

// ReleasedBy reports whether fn is one of the pair's releases.
func (p *Pair) ReleasedBy(fn string) bool {
	for _, r := range p.Release {
		if r == fn {
			return true
		}
	}
	return false
}

// TaggedField is a pointer field whose low bits carry a tag.
type TaggedField struct {
	Lang      Lang     `yaml:"lang,omitempty"`
	Struct    string   `yaml:"struct"` // "task_struct"; Go: "pkg/path.Type"
	Field     string   `yaml:"field"`
	Mask      string   `yaml:"mask"`                // as written: "NSPROXY_READER", "1UL", "0x3"
	Accessors []string `yaml:"accessors,omitempty"` // return the field with the tag cleared
	Setters   []string `yaml:"setters,omitempty"`   // set the tag (reader mark)
	Clearers  []string `yaml:"clearers,omitempty"`  // clear the tag
	Owner     []string `yaml:"owner,omitempty"`     // expressions that may write the tag: "current", "get_current()"
	Learned   string   `yaml:"learned,omitempty"`
	// Scope, when set, lists the files whose code sees the tagged
	// instances: the files of static setters (the ring buffer tags its own
	// list_head.next, not every list's), and of the callers of a setter
	// that tags its parameter's field. Readers elsewhere read untagged
	// instances.
	Scope []string `yaml:"scope,omitempty"`
}

// Pack is one YAML rule pack.
type Pack struct {
	Name     string         `yaml:"name"`
	Pairs    []*Pair        `yaml:"pairs,omitempty"`
	Tagged   []*TaggedField `yaml:"tagged,omitempty"`
	NoReturn []string       `yaml:"noreturn,omitempty"` // calls that do not return (BUG, panic)
	Owners   []OwnerRule    `yaml:"owners,omitempty"`
	// CPUStates are the states of the CPU the pairs' resources may
	// name beside their locks (see CPUState).
	CPUStates []*CPUState `yaml:"cpu_states,omitempty"`
	// Conventions name calls and labels the lock engine reads meaning
	// from (see Conventions).
	Conventions *Conventions `yaml:"conventions,omitempty"`
}

// OwnerRule says which expressions own the objects of a struct type: only
// they may write tag bits into its fields (the kernel: current owns its
// task_struct).
type OwnerRule struct {
	Struct string   `yaml:"struct"`
	Owner  []string `yaml:"owner"`
}

//go:embed packs/*.yaml
var embedded embed.FS

// Set is the rules in force: packs merged, indexed by function name.
type Set struct {
	Packs     []string // names, in load order
	pairs     []*Pair
	byAcquire map[string][]*Pair
	byRelease map[string][]*Pair
	byTakes   map[string][]*Pair
	callbacks map[string]bool
	irqOn     map[string]bool
	neutral   map[string]bool
	needs     map[string][]*Pair
	preds     map[string][]string // predicate -> the constants it is true for
	tagged    []*TaggedField
	noReturn  map[string]bool
	owners    map[string][]string
	cpu       []*CPUState
	conv      conventions
	digest    []byte
	reads     *Reads // see Traced; nil: not recording
}

// Default returns the embedded packs.
func Default() (*Set, error) {
	s := newSet()
	names, err := fs.Glob(embedded, "packs/*.yaml")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	for _, n := range names {
		data, err := embedded.ReadFile(n)
		if err != nil {
			return nil, err
		}
		if packs, ok := compiledPacks(n, data); ok {
			s.addPacks(n, data, packs)
			continue
		}
		if err := s.AddYAML(n, data); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// Load returns the embedded packs plus the packs in files, each read
// with the default input cap.
func Load(files ...string) (*Set, error) {
	return LoadMax(limits.DefaultInput, "", files...)
}

// LoadMax is Load with a cap of max bytes on each file; flag names the
// flag that raises it, for the error.
func LoadMax(max int64, flag string, files ...string) (*Set, error) {
	s, err := Default()
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		data, err := limits.ReadFile(f, flag, max)
		if err != nil {
			return nil, fmt.Errorf("rules: %w", err)
		}
		if err := s.AddYAML(f, data); err != nil {
			return nil, err
		}
	}
	return s, nil
}

func newSet() *Set {
	return &Set{
		byAcquire: map[string][]*Pair{},
		byRelease: map[string][]*Pair{},
		byTakes:   map[string][]*Pair{},
		callbacks: map[string]bool{},
		irqOn:     map[string]bool{},
		neutral:   map[string]bool{},
		needs:     map[string][]*Pair{},
		preds:     map[string][]string{},
		noReturn:  map[string]bool{},
		owners:    map[string][]string{},
	}
}

// AddYAML parses the packs of a file (one per YAML document) and adds
// them. Unknown keys are errors, reported with the file and line, so a
// typo does not silently disable a rule; nothing is added unless every
// document reads.
func (s *Set) AddYAML(name string, data []byte) error {
	packs, err := decodePacks(name, data)
	if err != nil {
		return err
	}
	s.addPacks(name, data, packs)
	return nil
}

// addPacks adds the packs decoded from the file name, whose contents are
// data: a pack without a name is named after the file.
func (s *Set) addPacks(name string, data []byte, packs []*Pack) {
	for i, p := range packs {
		if p.Name == "" {
			p.Name = name
			if len(packs) > 1 {
				p.Name += "#" + strconv.Itoa(i+1)
			}
		}
		s.AddPack(p)
	}
	h := sha256.New()
	h.Write(s.digest)
	h.Write(data)
	s.digest = h.Sum(nil)
}

// validate returns the path of the first entry that is wrong and what is
// wrong with it; msg is "" when the pack is right.
func (p *Pack) validate() (path, msg string) {
	for i, pr := range p.Pairs {
		if pr == nil {
			return pairPath(i), "an empty entry"
		}
		// A pair without acquire is a release helper: it drops a lock its
		// caller took (what `tagcheck rules --learned` prints for one).
		if pr.Needs {
			if pr.Name == "" || len(pr.Acquire)+len(pr.Release) > 0 || len(pr.Holds()) == 0 {
				return pairPath(i), "needs names one function and the resources it drops and retakes"
			}
			continue
		}
		if pr.Callback || pr.EnablesIRQ || pr.Neutral || len(pr.TrueFor) > 0 {
			if pr.Name == "" || len(pr.Acquire)+len(pr.Release) > 0 {
				return pairPath(i), "callback, enables_irq, neutral and true_for name one function and nothing else"
			}
			continue
		}
		if len(pr.Release) == 0 {
			return pairPath(i), "needs release"
		}
		if (pr.Maybe || pr.Field != "") && len(pr.Acquire) > 0 {
			return pairPath(i), "maybe and field describe a release helper; drop acquire"
		}
		switch pr.Mode {
		case "", Exclusive, Shared:
		default:
			return pairPath(i) + ".mode", fmt.Sprintf("%q: want exclusive or shared", pr.Mode)
		}
		switch pr.When {
		case Always, NonZero, Zero:
		default:
			return pairPath(i) + ".when", fmt.Sprintf("%q: want nonzero or zero", pr.When)
		}
	}
	for i, c := range p.CPUStates {
		if c == nil || c.Resource == "" || c.Says == "" {
			return fmt.Sprintf("cpu_states[%d]", i), "needs resource and says"
		}
	}
	for i, t := range p.Tagged {
		if t == nil {
			return fmt.Sprintf("tagged[%d]", i), "an empty entry"
		}
		if t.Struct == "" || t.Field == "" || t.Mask == "" {
			return fmt.Sprintf("tagged[%d]", i), "needs struct, field and mask"
		}
	}
	return "", ""
}

func pairPath(i int) string { return fmt.Sprintf("pairs[%d]", i) }

// AddPack adds the rules of p (also used for learned rules).
func (s *Set) AddPack(p *Pack) {
	s.Packs = append(s.Packs, p.Name)
	for _, pr := range p.Pairs {
		s.AddPair(pr)
	}
	s.tagged = append(s.tagged, p.Tagged...)
	for _, n := range p.NoReturn {
		s.noReturn[n] = true
	}
	for _, o := range p.Owners {
		s.owners[o.Struct] = append(s.owners[o.Struct], o.Owner...)
	}
	s.cpu = append(s.cpu, p.CPUStates...)
	s.conv.add(p.Conventions)
}

// AddPair adds one pair.
func (s *Set) AddPair(p *Pair) {
	if p.Mode == "" {
		p.Mode = Exclusive
	}
	if p.Name == "" && len(p.Acquire) > 0 {
		p.Name = p.Acquire[0]
	}
	s.pairs = append(s.pairs, p)
	if p.Callback {
		s.callbacks[p.Name] = true
		return
	}
	if p.EnablesIRQ {
		s.irqOn[p.Name] = true
		return
	}
	if p.Neutral {
		s.neutral[p.Name] = true
		return
	}
	if p.Needs {
		s.needs[p.Name] = append(s.needs[p.Name], p)
		return
	}
	if len(p.TrueFor) > 0 {
		s.preds[p.Name] = p.TrueFor
		return
	}
	for _, a := range p.Acquire {
		s.byAcquire[a] = append(s.byAcquire[a], p)
	}
	for _, r := range p.Release {
		s.byRelease[r] = append(s.byRelease[r], p)
	}
	for _, t := range p.Takes {
		s.byTakes[t] = append(s.byTakes[t], p)
	}
}

// Clone returns a copy of p that shares no list with it.
func (p *Pair) Clone() *Pair {
	c := *p
	c.Acquire = slices.Clone(p.Acquire)
	c.Release = slices.Clone(p.Release)
	c.Resources = slices.Clone(p.Resources)
	c.Takes = slices.Clone(p.Takes)
	c.Links = slices.Clone(p.Links)
	return &c
}

// AddTagged adds a tagged field.
func (s *Set) AddTagged(t *TaggedField) { s.tagged = append(s.tagged, t) }

// Clone returns a copy that can learn without changing s.
func (s *Set) Clone() *Set {
	c := newSet()
	c.Packs = append(c.Packs, s.Packs...)
	for _, p := range s.pairs {
		c.AddPair(p)
	}
	c.tagged = append(c.tagged, s.tagged...)
	for k := range s.noReturn {
		c.noReturn[k] = true
	}
	for k, v := range s.owners {
		c.owners[k] = append([]string(nil), v...)
	}
	c.cpu = append(c.cpu, s.cpu...)
	c.conv = s.conv.clone()
	c.digest = append([]byte(nil), s.digest...)
	return c
}

// Acquires returns the pairs fn acquires for, in load order.
func (s *Set) Acquires(fn string) []*Pair { s.note(readAcquires, fn); return s.byAcquire[fn] }

// Releases returns the pairs fn releases for.
func (s *Set) Releases(fn string) []*Pair { s.note(readReleases, fn); return s.byRelease[fn] }

// Takes returns the pairs of resources fn takes and gives back while it
// runs.
func (s *Set) Takes(fn string) []*Pair { s.note(readTakes, fn); return s.byTakes[fn] }

// Callback reports whether fn, passed as a function pointer, may drop a
// lock of the object handed over with it.
func (s *Set) Callback(fn string) bool { s.note(readCallback, fn); return s.callbacks[fn] }

// TrueFor returns the constants for which the predicate fn returns true
// (Pair.TrueFor), and whether fn is such a predicate.
func (s *Set) TrueFor(fn string) ([]string, bool) {
	s.note(readPreds, fn)
	v, ok := s.preds[fn]
	return v, ok
}

// EnablesIRQ reports whether calling fn turns interrupts on outright.
func (s *Set) EnablesIRQ(fn string) bool { s.note(readEnablesIRQ, fn); return s.irqOn[fn] }

// Neutral reports whether fn leaves every lock as it found it.
func (s *Set) Neutral(fn string) bool { s.note(readNeutral, fn); return s.neutral[fn] }

// Needs returns the pairs that say fn's caller must hold their resources.
func (s *Set) Needs(fn string) []*Pair { s.note(readNeeds, fn); return s.needs[fn] }

// Pairs returns every pair in load order.
func (s *Set) Pairs() []*Pair { s.note(readPairs, ""); return s.pairs }

// Tagged returns every tagged field.
func (s *Set) Tagged() []*TaggedField { s.note(readTagged, ""); return s.tagged }

// TaggedField returns the rule for struct.field, or nil.
func (s *Set) TaggedField(structName, field string) *TaggedField {
	for _, t := range s.Tagged() {
		if t.Field == field && (t.Struct == structName || structName == "") {
			return t
		}
	}
	return nil
}

// NoReturn reports whether a call to fn does not return: the packs' list,
// and the names their conventions say do not (the kernel's *_panic
// helpers, declared noreturn in headers a patch does not show).
func (s *Set) NoReturn(fn string) bool {
	return s.noReturn[fn] || s.conv.noReturnByName(fn)
}

// Owners returns the owner expressions declared for a struct type.
func (s *Set) Owners(structName string) []string { return s.owners[structName] }

// Digest identifies the packs' contents: it changes when any loaded file
// changes, so caches keyed on it (go vet's) notice a changed rule file.
func (s *Set) Digest() string { return hex.EncodeToString(s.digest[:8]) }

// Result stands in a resource template for the object the function
// returns: "$ret->sem" is the semaphore of what get_foo_desc() returns.
const Result = "$ret"

// Instantiate replaces $N in a resource template with the keys of the
// call's arguments. It returns "" when the template names an argument the
// call does not have.
func Instantiate(template string, args []string) string {
	if !strings.Contains(template, "$") {
		return template
	}
	var b strings.Builder
	for i := 0; i < len(template); i++ {
		c := template[i]
		if c != '$' || i+1 >= len(template) || template[i+1] < '0' || template[i+1] > '9' {
			b.WriteByte(c)
			continue
		}
		n := int(template[i+1] - '0')
		i++
		if n >= len(args) || args[n] == "" {
			return ""
		}
		a := args[n]
		rest := template[i+1:]
		// "$0->f" on an argument written "&x" is "x.f": keep the spelling
		// the code would use so keys match what front ends produce.
		if strings.HasPrefix(a, "&") && strings.HasPrefix(rest, "->") {
			a = a[1:]
			b.WriteString(a)
			b.WriteString(".")
			i += 2
			continue
		}
		b.WriteString(a)
	}
	// "*$1" on an argument written "&flags" is flags: the key the code
	// itself uses (unary * and & bind looser than -> and ., so *&a->b is
	// a->b too).
	return strings.ReplaceAll(b.String(), "*&", "")
}
