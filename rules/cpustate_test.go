package rules

import (
	"strings"
	"testing"
)

// TestCPUStates: the kernel pack's CPU states, as the lock engine asks
// about them.
func TestCPUStates(t *testing.T) {
	s, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	for res, want := range map[string]string{
		"irqflags:flags": "the interrupt state saved in flags",
		"irq":            "disabled interrupts",
		"bh":             "disabled bottom halves",
		"l->lock":        "",
		"irqflags":       "",
	} {
		got, ok := s.DescribeCPUState(res)
		if got != want || ok != (want != "") || s.IsCPUState(res) != ok {
			t.Errorf("DescribeCPUState(%q) = %q, %v; want %q", res, got, ok, want)
		}
	}
	if v, ok := s.SavedIn("irqflags:f"); v != "f" || !ok || !s.SavesInterrupts("irqflags:$1") || s.SavesInterrupts("irq") {
		t.Errorf("SavedIn(irqflags:f) = %q, %v; SavesInterrupts wrong", v, ok)
	}
	if !s.EnablesInterrupts("irq") || s.EnablesInterrupts("bh") || s.EnablesInterrupts("irqflags:f") {
		t.Error("EnablesInterrupts: want irq only")
	}
	for fn, want := range map[string]string{
		"spin_unlock_irqrestore": "spin_unlock",
		"spin_unlock_irq":        "spin_unlock",
		"read_unlock_bh":         "read_unlock",
		"mutex_unlock":           "mutex_unlock",
	} {
		if got := s.LockFamily(fn); got != want {
			t.Errorf("LockFamily(%s) = %s, want %s", fn, got, want)
		}
	}
	if got := s.InterruptsEnabler(); got != "spin_unlock_irq" {
		t.Errorf("InterruptsEnabler() = %q", got)
	}
	if got := s.UnsavedInterrupts(); got != "_irq" {
		t.Errorf("UnsavedInterrupts() = %q", got)
	}
	// a set without CPU states knows none
	empty := newSet()
	if empty.IsCPUState("irq") || empty.LockFamily("spin_unlock_irq") != "spin_unlock_irq" || empty.UnsavedInterrupts() != "" {
		t.Error("a set without cpu_states treats irq as a CPU state")
	}
}

// TestCPUStateNeedsSays: an entry that does not say how findings name
// the state is an error naming its line.
func TestCPUStateNeedsSays(t *testing.T) {
	err := newSet().AddYAML("p.yaml", []byte("name: p\ncpu_states:\n  - {resource: irq}\n"))
	if err == nil || !strings.Contains(err.Error(), "p.yaml:3: cpu_states[0]: needs resource and says") {
		t.Errorf("err = %v", err)
	}
}
