package cindex

import (
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"sync"
)

// Names is a set of identifiers to look for in C texts, as whole words:
// the lazy lookup of a few definitions in a large tree reads each file
// once for all the names it wants, and indexes only the files that hold
// one of them (IndexContaining), instead of indexing the whole tree.
type Names struct {
	set      map[string]bool
	min, max int
	// first marks the (first byte, second byte) pairs the names begin
	// with, so that most identifiers of a text are turned down by one
	// bit test before any hashing.
	first [1 << 16 / 64]uint64
}

// NewNames returns the set of the identifiers a definition named by one of
// names is written with. The defining macros build some names
// (SYSCALL_DEFINE3(open, ...) defines sys_open), so for those the word
// looked for is the macro's argument.
func NewNames(names []string) *Names {
	n := &Names{set: map[string]bool{}}
	for _, name := range names {
		w := written(name)
		if w == "" || n.set[w] {
			continue
		}
		n.set[w] = true
		if n.min == 0 || len(w) < n.min {
			n.min = len(w)
		}
		n.max = max(n.max, len(w))
		k := pairKey(w)
		n.first[k/64] |= 1 << (k % 64)
	}
	return n
}

// written returns the identifier a definition of name is spelled with in
// the source: name itself, or the argument of the defining macro that
// syscallName prefixes (a superset: "open" is in every file that writes
// "sys_open").
func written(name string) string {
	for _, prefix := range []string{"compat_sys_", "sys32_", "sys_"} {
		if rest, ok := strings.CutPrefix(name, prefix); ok && rest != "" {
			return rest
		}
	}
	return name
}

// pairKey packs the first two bytes of an identifier (the first alone,
// for a one-byte identifier).
func pairKey(w string) uint {
	if len(w) == 1 {
		return uint(w[0]) << 8
	}
	return uint(w[0])<<8 | uint(w[1])
}

// Len is the number of distinct words looked for.
func (n *Names) Len() int { return len(n.set) }

// In reports whether src holds one of the words as a whole identifier
// (in code, comments or literals alike: a superset of the files that
// define one).
func (n *Names) In(src []byte) bool {
	if len(n.set) == 0 {
		return false
	}
	for i := 0; i < len(src); {
		if !isIdentByte(src[i]) {
			i++
			continue
		}
		j := i + 1
		for j < len(src) && isIdentByte(src[j]) {
			j++
		}
		if l := j - i; l >= n.min && l <= n.max && isIdentStart(src[i]) && n.mayHold(src[i:j]) && n.set[string(src[i:j])] {
			return true
		}
		i = j
	}
	return false
}

func (n *Names) mayHold(w []byte) bool {
	k := uint(w[0]) << 8
	if len(w) > 1 {
		k |= uint(w[1])
	}
	return n.first[k/64]&(1<<(k%64)) != 0
}

// IndexContaining indexes, among files, those that hold one of names (see
// Names.In), reading each file once on workers goroutines (0: every
// core). want, when not nil, says which files to read at all (false:
// already indexed). The index's Files counts the files indexed, Bytes the
// bytes read.
func IndexContaining(files []string, want []bool, names *Names, workers int) (*Index, []bool, error) {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	defs := make([][]named, len(files))
	errs := make([]error, len(files))
	sizes := make([]int64, workers)
	var wg sync.WaitGroup
	next := make(chan int, 64)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			var buf []byte
			for i := range next {
				var err error
				buf, err = readInto(files[i], buf)
				if err != nil {
					errs[i] = err
					continue
				}
				sizes[w] += int64(len(buf))
				if names.In(buf) {
					defs[i] = namedDefs(files[i], Funcs(buf))
				}
			}
		}(w)
	}
	for i := range files {
		if want == nil || want[i] {
			next <- i
		}
	}
	close(next)
	wg.Wait()
	x := &Index{defs: map[string][]Def{}}
	hit := make([]bool, len(files))
	for i, err := range errs {
		if err != nil {
			return nil, nil, err
		}
		if defs[i] != nil {
			hit[i] = true
			x.Files++
			x.add(defs[i])
		}
	}
	for _, s := range sizes {
		x.Bytes += s
	}
	return x, hit, nil
}

// readInto reads the file at path into buf, grown as needed: a search over
// a whole tree keeps nothing of most files, so one buffer per reader
// spares the allocations.
func readInto(path string, buf []byte) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return buf, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return buf, fmt.Errorf("%s: %w", path, err)
	}
	size := int(fi.Size()) + 1 // one more, to see the end in one read
	if cap(buf) < size {
		buf = make([]byte, 0, size+size/4)
	}
	buf = buf[:0]
	for {
		n, err := f.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return buf, fmt.Errorf("%s: %w", path, err)
		}
		if len(buf) == cap(buf) { // the file grew while read
			buf = append(buf, 0)[:len(buf)]
		}
	}
}
