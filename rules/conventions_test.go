package rules

import "testing"

// TestConventions: the kernel pack's conventions as the lock engine asks
// about them, and a clone that learns more leaves its source alone.
func TestConventions(t *testing.T) {
	s, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	if !s.BranchHint("unlikely") || s.BranchHint("mutex_lock") {
		t.Error("BranchHint: want unlikely only")
	}
	for fn, want := range map[string][2]bool{"IS_ERR": {false, true}, "IS_ERR_OR_NULL": {true, true}, "PTR_ERR": {false, false}} {
		if orNull, ok := s.ErrorTest(fn); orNull != want[0] || ok != want[1] {
			t.Errorf("ErrorTest(%s) = %v, %v; want %v", fn, orNull, ok, want)
		}
	}
	if !s.ErrorValue("ERR_PTR") || s.ErrorValue("IS_ERR") {
		t.Error("ErrorValue: want ERR_PTR, not IS_ERR")
	}
	for label, want := range map[string]bool{"out_unlock": true, "err": true, "put_ref": true, "again": false, "retry": false} {
		if got := s.ErrorLabel(label); got != want {
			t.Errorf("ErrorLabel(%s) = %v", label, got)
		}
	}
	checks := []struct {
		name string
		got  bool
	}{
		{"ReleaseHelper(wake_forget_and_unlock)", s.ReleaseHelper("wake_forget_and_unlock")},
		{"!ReleaseHelper(wake_up)", !s.ReleaseHelper("wake_up")},
		{"Maker(kzAlloc)", s.Maker("kzAlloc")},
		{"!Maker(nlk_sk)", !s.Maker("nlk_sk")},
		{"TakesSubclass(mutex_lock_nested)", s.TakesSubclass("mutex_lock_nested")},
		{"AnnotatedGlobal(RCU)", s.AnnotatedGlobal("RCU") == "rcu" && s.AnnotatedGlobal("x->lock") == ""},
		{"BitTest(test_and_set_bit)", s.BitTest("test_and_set_bit") && !s.FlagTest("test_and_set_bit")},
		{"FlagTest(test_bit)", s.FlagTest("test_bit")},
		{"BitSet(set_bit)", s.BitSet("set_bit") && s.BitSet("__set_bit") && !s.BitSet("test_and_set_bit")},
		{"NoReturn(reiserfs_panic)", s.NoReturn("reiserfs_panic") && !s.NoReturn("is_kernel_panic") && !s.NoReturn("check_panic") && !s.NoReturn("panic_notify")},
	}
	for _, c := range checks {
		if !c.got {
			t.Errorf("%s: wrong", c.name)
		}
	}
	c := s.Clone()
	c.AddPack(&Pack{Name: "more", Conventions: &Conventions{BranchHints: []string{"__builtin_expect"}, ErrorLabels: []string{"again"}}})
	if !c.BranchHint("__builtin_expect") || !c.ErrorLabel("again") || s.BranchHint("__builtin_expect") || s.ErrorLabel("again") {
		t.Error("a clone's conventions are not its own")
	}
	if newSet().BranchHint("likely") || newSet().ErrorLabel("err") || newSet().NoReturn("reiserfs_panic") {
		t.Error("a set without conventions has some")
	}
}
