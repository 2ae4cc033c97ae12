package cindex

import "testing"

func TestNamesIn(t *testing.T) {
	n := NewNames([]string{"grab_lock", "sys_open", "x"})
	for _, c := range []struct {
		src  string
		want bool
	}{
		{"void f(void) { grab_lock(w); }", true},
		{"/* grab_lock */", true},
		{"grab_lock", true},
		{"void f(void) { grab_locked(w); }", false},
		{"void f(void) { do_grab_lock(w); }", false},
		{"SYSCALL_DEFINE3(open, const char __user *, filename)", true},
		{"int reopen(void);", false},
		{"int y = x1 + 1x;", false},
		{"int y = 1 + x;", true},
		{"", false},
	} {
		if got := n.In([]byte(c.src)); got != c.want {
			t.Errorf("In(%q) = %v, want %v", c.src, got, c.want)
		}
	}
	if NewNames(nil).In([]byte("anything")) {
		t.Error("the empty set is in a text")
	}
}
