package report

import (
	"sort"
	"strings"
)

// The rule registry: every rule tagcheck reports is defined once, here —
// its ID, the languages it is checked in, its title, text and severity.
// SARIF's rule table, `tagcheck help`, suppression checking and the
// analyzers' documentation tests read it, and TestReadmeFindings keeps
// README.md's Findings table in step with it.

// Rule IDs. The C and Go checks report the same IDs.
const (
	Unreleased        = "lockpair/unreleased"
	MismatchedRelease = "lockpair/mismatched-release"
	DoubleAcquire     = "lockpair/double-acquire"
	UnheldRelease     = "lockpair/unheld-release"
	IRQReenabled      = "lockpair/irq-reenabled"
	ForeignWrite      = "taggedptr/foreign-write"
	RacyRMW           = "taggedptr/racy-rmw"
	UntaggedDeref     = "taggedptr/untagged-deref"
	GCHidden          = "taggedptr/gc-hidden"
	MaskAlignment     = "taggedptr/mask-alignment"
	BadSuppression    = "tagcheck/suppression"
)

// RuleInfo describes a rule.
type RuleInfo struct {
	ID    string
	Name  string // PascalCase, as SARIF's reportingDescriptor.name
	Short string // the title
	Full  string // what the rule reports and why it matters
	Help  string // what to do about a finding
	Level string // SARIF level: error, warning, note
	C, Go bool   // the languages it is checked in
}

// ruleInfo is the registry: every rule tagcheck reports.
var ruleInfo = map[string]RuleInfo{
	Unreleased: {
		Name:  "Unreleased",
		Short: "Acquired and still held at a function exit",
		Full:  "A lock, or a tag bit used as a reader mark, is acquired and is still held on some path to the function's exit — most often an error path.",
		Help:  "Release it on every path to the exit, usually under the error label the other paths already use.",
		Level: "error",
		C:     true,
		Go:    true,
	},
	MismatchedRelease: {
		Name:  "MismatchedRelease",
		Short: "Released by a function that does not pair with the acquire",
		Full:  "The release on this path is not the one that pairs with the acquire (set_reader_nsproxy -> task_unlock, RLock -> Unlock, spin_lock_irqsave -> spin_unlock).",
		Help:  "Use the release that pairs with the acquire; the fix, where shown, names it.",
		Level: "error",
		C:     true,
		Go:    true,
	},
	DoubleAcquire: {
		Name:  "DoubleAcquire",
		Short: "A held, non-recursive lock acquired again",
		Full:  "A lock that is already held is acquired again on some path; for a non-recursive lock this deadlocks.",
		Help:  "Release before acquiring again, or do not acquire on the path where it is already held.",
		Level: "error",
		C:     true,
		Go:    true,
	},
	UnheldRelease: {
		Name:  "UnheldRelease",
		Short: "Released on a path where it is not held",
		Full:  "A lock is released on a path where it was never acquired or was already released: a second release, a sibling lock released in place of the one held, or a call of a function that drops and retakes a lock its caller must hold, made after the path released it or, in a function entered holding no lock (a system call, or a file-local function every caller calls holding none, down from one), before the path took it.",
		Help:  "Release only on paths that hold the lock; check the error labels a goto jumps to.",
		Level: "error",
		C:     true,
		Go:    true,
	},
	IRQReenabled: {
		Name:  "IRQReenabled",
		Short: "Interrupts enabled inside a section that saved their state",
		Full:  "spin_unlock_irq (or a function that calls it) enables interrupts unconditionally while an outer spin_lock_irqsave or local_irq_save still holds the saved state: interrupts run early, inside the outer critical section, and the later irqrestore may disable them again.",
		Help:  "Inside an irqsave section use the plain spin_lock/spin_unlock (or the irqsave form with flags of its own).",
		Level: "error",
		C:     true,
	},
	ForeignWrite: {
		Name:  "ForeignWrite",
		Short: "Tag bits written into another object's pointer",
		Full:  "Tag bits are written into a field of an object that is not the owner (another task than current; in Go, another value than the method's receiver), while the owner reads the field without masking.",
		Help:  "Only the owner may write the tag bits; use a separate flag or take the owner's lock for the whole access.",
		Level: "error",
		C:     true,
		Go:    true,
	},
	RacyRMW: {
		Name:  "RacyRMW",
		Short: "Tag set or cleared by a non-atomic read-modify-write",
		Full:  "The tag is set or cleared by a plain read followed by a separate store or exchange, or the word is accessed both atomically and plainly; a concurrent update between the two is lost.",
		Help:  "Use one atomic operation (cmpxchg loop, atomic_long_or/andnot, atomic.Uintptr.Or/And).",
		Level: "error",
		C:     true,
		Go:    true,
	},
	UntaggedDeref: {
		Name:  "UntaggedDeref",
		Short: "Tagged pointer dereferenced without untagging",
		Full:  "The raw value of a tagged field is dereferenced, or passed to code that dereferences it, without the untag accessor or mask.",
		Help:  "Read the field through its untag accessor (task_nsproxy()) or mask the tag bits off first.",
		Level: "error",
		C:     true,
		Go:    true,
	},
	GCHidden: {
		Name:  "GCHidden",
		Short: "Pointer kept only as uintptr",
		Full:  "A pointer is kept only as a uintptr; the garbage collector does not see it and may free or move the object.",
		Help:  "Keep an unsafe.Pointer (or the typed pointer) alongside, or store the tagged value as unsafe.Pointer.",
		Level: "warning",
		Go:    true,
	},
	MaskAlignment: {
		Name:  "MaskAlignment",
		Short: "Tag mask uses bits the alignment does not leave free",
		Full:  "The tag mask uses low bits that the pointee's alignment does not guarantee to be zero.",
		Help:  "Use only bits below the pointee's alignment, or raise the alignment.",
		Level: "warning",
		Go:    true,
	},
	BadSuppression: {
		Name:  "BadSuppression",
		Short: "Suppression comment without a rule or a reason",
		Full:  "A tagcheck:ignore comment must name the rule it silences and say why; one that does not silences nothing and is reported.",
		Help:  "Write /* tagcheck:ignore RULE reason */ in C or //tagcheck:ignore RULE reason in Go.",
		Level: "warning",
		C:     true,
		Go:    true,
	},
}

// Info returns what is known about a rule ID; an unknown ID gets a
// generic entry.
func Info(id string) RuleInfo {
	ri, ok := ruleInfo[id]
	if !ok {
		ri = RuleInfo{Short: id, Full: id, Help: "See the tagcheck documentation.", Level: "warning"}
		name := id
		if i := strings.LastIndexByte(name, '/'); i >= 0 {
			name = name[i+1:]
		}
		ri.Name = pascal(name)
	}
	ri.ID = id
	return ri
}

// SortedRuleIDs returns every rule ID tagcheck knows, sorted.
func SortedRuleIDs() []string {
	ids := make([]string, 0, len(ruleInfo))
	for id := range ruleInfo {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}
