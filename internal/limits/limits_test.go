package limits

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestReadRange: a range of a regular file is read; a range past its
// end (the file changed since it was indexed) is not ok, without error;
// a FIFO and a file over the limit are refused as ReadRegular refuses
// them.
func TestReadRange(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "a.c")
	if err := os.WriteFile(p, []byte("int a;\nint f(void) { return 0; }\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	b, ok, err := ReadRange(p, "--max-file", 1<<20, 7, 25)
	if err != nil || !ok || string(b) != "int f(void) { return 0; }" {
		t.Errorf("ReadRange = %q, %v, %v", b, ok, err)
	}
	if b, ok, err := ReadRange(p, "--max-file", 1<<20, 30, 10); err != nil || ok || b != nil {
		t.Errorf("past the end: %q, %v, %v; want not ok, no error", b, ok, err)
	}
	var tooLarge *TooLargeError
	if _, _, err := ReadRange(p, "--max-file", 8, 0, 4); !errors.As(err, &tooLarge) {
		t.Errorf("over the limit: %v, want a TooLargeError", err)
	}
	fifo := filepath.Join(dir, "fifo.c")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skip(err)
	}
	if _, _, err := ReadRange(fifo, "--max-file", 1<<20, 0, 4); err == nil {
		t.Errorf("FIFO: no error")
	}
}
