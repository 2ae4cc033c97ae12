// Package limits bounds what tagcheck reads from one input, so that a
// hostile or broken input (/dev/zero as a patch, an endless pipe, a
// generated 50 MB source file) ends in a clear error or a skipped file
// instead of the machine running out of memory.
package limits

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"syscall"
)

// DefaultInput is the default cap on one patch, e-mail, mbox, rule pack
// or baseline (--max-input): far above any real patch series, far below
// what exhausts a CI runner.
const DefaultInput int64 = 64 << 20

// DefaultSource is the default cap on one C source file of a scan or a
// --tree (--max-file): the largest hand-written files of Linux are under
// 1 MiB; what lies above 8 MiB is generated register tables, whose
// parse costs gigabytes and holds no locks.
const DefaultSource int64 = 8 << 20

// TooLargeError says that an input is over its cap.
type TooLargeError struct {
	Name  string // the input, as named to the user
	Limit int64
	Flag  string // the flag that raises the cap, if the command has one
}

func (e *TooLargeError) Error() string {
	msg := fmt.Sprintf("%s: larger than the input limit of %s; refusing to read it", e.Name, FormatSize(e.Limit))
	if e.Flag != "" {
		msg += " (raise it with " + e.Flag + ")"
	}
	return msg
}

// maxChunk bounds the pieces ReadAll reads in: an endless input costs at
// most the limit plus one piece, never the doubling of a growing slice.
const maxChunk = 4 << 20

// ReadAll reads r to its end, refusing more than max bytes (max <= 0:
// no cap) with a *TooLargeError naming name and flag.
func ReadAll(r io.Reader, name, flag string, max int64) ([]byte, error) {
	return readChunks(r, name, flag, max, 64<<10)
}

func readChunks(r io.Reader, name, flag string, max int64, size int) ([]byte, error) {
	var parts [][]byte
	var total int64
	for {
		buf := make([]byte, size)
		n, err := io.ReadFull(r, buf)
		total += int64(n)
		if max > 0 && total > max {
			return nil, &TooLargeError{Name: name, Limit: max, Flag: flag}
		}
		if n > 0 {
			parts = append(parts, buf[:n])
		}
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		size = min(2*size, maxChunk)
	}
	if len(parts) == 1 {
		return parts[0], nil
	}
	out := make([]byte, 0, total)
	for _, p := range parts {
		out = append(out, p...)
	}
	return out, nil
}

// ReadFile reads the file at path with ReadAll's cap. A regular file
// over the cap is refused from its size, before a byte is read.
func ReadFile(path, flag string, max int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return readOpened(f, path, flag, max, false)
}

// ReadRegular reads the regular file at path as ReadFile does, and
// refuses anything else (a FIFO, a device) without waiting on it: a
// source file of a tree is never a pipe, and opening a FIFO blocks until
// someone writes to it.
func ReadRegular(path, flag string, max int64) ([]byte, error) {
	f, err := openNonBlocking(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return readOpened(f, path, flag, max, true)
}

// ReadRange reads the n bytes at off of the regular file at path, under
// ReadRegular's refusals and its size limit. ok is false, with no error,
// when the file now ends before off+n: it changed since its offsets were
// taken. A definition fetched from a large file costs its own bytes, not
// the file's.
func ReadRange(path, flag string, max, off int64, n int) (b []byte, ok bool, err error) {
	f, err := openNonBlocking(path)
	if err != nil {
		return nil, false, err
	}
	defer f.Close()
	st, err := statRefusing(f, path, flag, max, true)
	if err != nil {
		return nil, false, err
	}
	if off < 0 || n < 0 || off+int64(n) > st.Size() {
		return nil, false, nil
	}
	b = make([]byte, n)
	if _, err := f.ReadAt(b, off); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, false, nil
		}
		return nil, false, err
	}
	return b, true, nil
}

// openNonBlocking opens path for reading without waiting on a FIFO.
func openNonBlocking(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
}

// statRefusing returns f's FileInfo, or why f is not read: a directory,
// a regular file over max, or (regularOnly) anything but a regular file.
func statRefusing(f *os.File, path, flag string, max int64, regularOnly bool) (os.FileInfo, error) {
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	switch {
	case st.IsDir():
		return nil, fmt.Errorf("%s: is a directory", path)
	case st.Mode().IsRegular():
		if max > 0 && st.Size() > max {
			return nil, &TooLargeError{Name: path, Limit: max, Flag: flag}
		}
	case regularOnly:
		return nil, fmt.Errorf("%s: not a regular file", path)
	}
	return st, nil
}

func readOpened(f *os.File, path, flag string, max int64, regularOnly bool) ([]byte, error) {
	st, err := statRefusing(f, path, flag, max, regularOnly)
	if err != nil {
		return nil, err
	}
	size := 64 << 10
	if st.Mode().IsRegular() {
		// One read of the whole file, plus one to see its end.
		size = int(min(st.Size()+1, maxChunk))
	}
	return readChunks(f, path, flag, max, size)
}

// ParseSize reads a size flag: a number of bytes with an optional unit
// (K, M, G with or without "iB"; binary multiples). 0 means no limit.
func ParseSize(s string) (int64, error) {
	t := strings.TrimSpace(s)
	mult := int64(1)
	upper := strings.ToUpper(t)
	for _, u := range []struct {
		suffix string
		mult   int64
	}{{"KIB", 1 << 10}, {"MIB", 1 << 20}, {"GIB", 1 << 30}, {"K", 1 << 10}, {"M", 1 << 20}, {"G", 1 << 30}, {"B", 1}} {
		if strings.HasSuffix(upper, u.suffix) {
			t, mult = t[:len(t)-len(u.suffix)], u.mult
			break
		}
	}
	n, err := strconv.ParseInt(strings.TrimSpace(t), 10, 64)
	if err != nil || n < 0 || n > (1<<62)/mult {
		return 0, fmt.Errorf("size %q: want a number of bytes, optionally with K, M or G (e.g. 64M)", s)
	}
	return n * mult, nil
}

// FormatSize prints a size the way ParseSize reads it.
func FormatSize(n int64) string {
	switch {
	case n >= 1<<30 && n%(1<<30) == 0:
		return fmt.Sprintf("%d GiB", n>>30)
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// SizeFlag is a flag.Value for a size.
type SizeFlag struct{ N *int64 }

func (f SizeFlag) String() string {
	if f.N == nil {
		return ""
	}
	return FormatSize(*f.N)
}

func (f SizeFlag) Set(s string) error {
	n, err := ParseSize(s)
	if err != nil {
		return err
	}
	*f.N = n
	return nil
}
