package rules

import "strings"

// CPUState is a state of the CPU that an acquire may hold beside its lock
// (interrupts or bottom halves disabled): per CPU, not per lock, so it is
// a resource of its own, and a lock hand-over (lock_irq(A); lock(B);
// unlock(A); unlock_irq(B)) passes while an irqsave whose state is never
// restored is still reported. The kernel pack declares the kernel's.
type CPUState struct {
	// Resource is the resource the pairs hold ("irq"); of a saved state,
	// the prefix its pairs put before the variable that saves it
	// ("irqflags:" in "irqflags:$1").
	Resource string `yaml:"resource"`
	// Saved: the acquire saves the previous state in a variable and the
	// release puts it back (irqsave, irqrestore).
	Saved bool `yaml:"saved,omitempty"`
	// Interrupts: the state is interrupts disabled. A release of an
	// unsaved one turns interrupts on outright, early inside a section
	// that saved them.
	Interrupts bool `yaml:"interrupts,omitempty"`
	// Suffix ends the name of a release that also restores this state
	// (spin_unlock_irq): without it the name is the lock's own release.
	Suffix string `yaml:"suffix,omitempty"`
	// Says is how a finding names the state; of a saved state, followed
	// by the variable: "the interrupt state saved in flags".
	Says string `yaml:"says"`
}

// CPUState returns the CPU state res is, or nil when res is a lock.
func (s *Set) CPUState(res string) *CPUState {
	for _, c := range s.cpu {
		if c.Saved && strings.HasPrefix(res, c.Resource) || !c.Saved && res == c.Resource {
			return c
		}
	}
	return nil
}

// IsCPUState reports whether res is a state of the CPU, not a lock.
func (s *Set) IsCPUState(res string) bool { return s.CPUState(res) != nil }

// Describe names a CPU state resource as a finding says it ("disabled
// interrupts", "the interrupt state saved in flags"); ok is false when
// res is a lock.
func (s *Set) DescribeCPUState(res string) (text string, ok bool) {
	c := s.CPUState(res)
	if c == nil {
		return "", false
	}
	if c.Saved {
		return c.Says + " " + res[len(c.Resource):], true
	}
	return c.Says, true
}

// SavedIn returns the variable a saved interrupt state is kept in, and
// whether res is one.
func (s *Set) SavedIn(res string) (string, bool) {
	if c := s.CPUState(res); c != nil && c.Saved && c.Interrupts {
		return res[len(c.Resource):], true
	}
	return "", false
}

// SavesInterrupts reports whether the resource template tmpl holds a
// saved interrupt state ("irqflags:$1").
func (s *Set) SavesInterrupts(tmpl string) bool {
	_, ok := s.SavedIn(tmpl)
	return ok
}

// EnablesInterrupts reports whether res is the unsaved interrupt state,
// whose release turns interrupts on outright (spin_unlock_irq).
func (s *Set) EnablesInterrupts(res string) bool {
	c := s.CPUState(res)
	return c != nil && c.Interrupts && !c.Saved
}

// UnsavedInterrupts returns the suffix of the releases that turn
// interrupts on outright ("_irq"): without it, spin_unlock_irq is
// spin_unlock. "" when no pack declares one.
func (s *Set) UnsavedInterrupts() (suffix string) {
	for _, c := range s.cpu {
		if c.Interrupts && !c.Saved {
			return c.Suffix
		}
	}
	return ""
}

// InterruptsEnabler names the release that turns interrupts on outright
// (spin_unlock_irq), as messages name it: the first release, in load
// order, of a pair that holds the unsaved interrupt state; "" when none
// does.
func (s *Set) InterruptsEnabler() string {
	s.note(readEnabler, "")
	return s.interruptsEnabler()
}

func (s *Set) interruptsEnabler() string {
	for _, p := range s.pairs {
		for _, r := range p.Holds() {
			if s.EnablesInterrupts(r) && len(p.Release) > 0 {
				return p.Release[0]
			}
		}
	}
	return ""
}

// LockFamily strips from a release's name the suffixes of the CPU states
// it restores (spin_unlock_irqrestore -> spin_unlock), in the packs'
// order: releases of one family release the lock alike.
func (s *Set) LockFamily(fn string) string {
	for _, c := range s.cpu {
		if c.Suffix != "" {
			fn = strings.TrimSuffix(fn, c.Suffix)
		}
	}
	return fn
}
