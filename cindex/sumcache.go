package cindex

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"errors"
)

// SummaryCache holds the summaries of a survey between runs, each with
// the stat of its file when it was read: a second check --tree of the
// same tree stats the files instead of reading them, and reads only
// those whose stat changed. The caller stores it (Survey.Encode) and
// keys it by what decides the summaries, the tree and the program.
type SummaryCache struct {
	entries map[string]cacheEntry
}

type cacheEntry struct {
	stat  fileStat
	state fileState
	exact bool
	sum   Summary
}

func (c *SummaryCache) entry(path string) (cacheEntry, bool) {
	if c == nil {
		return cacheEntry{}, false
	}
	e, ok := c.entries[path]
	return e, ok
}

// summaryMagic begins an encoded cache; the version changes with the
// layout.
const summaryMagic = "tagcheck tree summaries 1\n"

var errDamaged = errors.New("damaged summary cache")

// exactFlag marks, in the state byte of an entry, an exact summary.
const exactFlag = 0x80

// Changed reports whether the survey knows what the cache it was made
// with did not: a file it read, a summary Index made exact, or one the
// cache holds that is not among its files. A survey told its fields
// (SurveyOptions.Fields) has nothing to keep: it left most members out.
func (s *Survey) Changed() bool {
	if s.fields != nil {
		return false // the members of most files were not summarized
	}
	return s.Read > 0 || s.sharpened > 0 || s.loaded != s.Cached
}

// Encode writes the survey's summaries, with the stat of each file, for
// DecodeSummaries; a file that could not be read is left out (read again
// next time). The layout: the magic, then per file its path, stat, state
// (with exactFlag) and the two hash sets, and a SHA-256 of all that at the end.
func (s *Survey) Encode() []byte {
	out := make([]byte, 0, s.encodedSize())
	out = append(out, summaryMagic...)
	for i, path := range s.files {
		if !s.encoded(i) {
			continue
		}
		st := s.stats[i]
		out = binary.AppendUvarint(out, uint64(len(path)))
		out = append(out, path...)
		for _, v := range []int64{st.dev, st.ino, st.size, st.mtime, st.ctime} {
			out = binary.AppendUvarint(out, uint64(v))
		}
		flags := byte(s.state[i])
		if s.exact[i] {
			flags |= exactFlag
		}
		out = append(out, flags)
		for _, set := range [][]uint32{s.sums[i].DefNames, s.sums[i].Members} {
			out = binary.AppendUvarint(out, uint64(len(set)))
			for _, h := range set {
				out = binary.LittleEndian.AppendUint32(out, h)
			}
		}
	}
	sum := sha256.Sum256(out)
	return append(out, sum[:]...)
}

// encoded reports whether Encode keeps file i: one read, whose stat can
// tell a later run it has not changed.
func (s *Survey) encoded(i int) bool {
	return s.state[i] != unreadable && s.stats[i].ino != -1
}

// encodedSize bounds the length of what Encode writes, so that it is
// written into one array: grown by appending, the tree's 17 MB were
// copied several times over (0.3 s at the end of a first check --tree).
func (s *Survey) encodedSize() int {
	n := len(summaryMagic) + sha256.Size
	for i, path := range s.files {
		if s.encoded(i) {
			n += 8*binary.MaxVarintLen64 + len(path) + 1 + 4*(len(s.sums[i].DefNames)+len(s.sums[i].Members))
		}
	}
	return n
}

// DecodeSummaries reads what Encode wrote; a damaged or foreign text is
// an error (the caller surveys without it).
func DecodeSummaries(data []byte) (*SummaryCache, error) {
	if len(data) < len(summaryMagic)+sha256.Size || !bytes.HasPrefix(data, []byte(summaryMagic)) {
		return nil, errDamaged
	}
	body := data[:len(data)-sha256.Size]
	if sum := sha256.Sum256(body); !bytes.Equal(sum[:], data[len(body):]) {
		return nil, errDamaged
	}
	d := decoder{b: body[len(summaryMagic):]}
	c := &SummaryCache{entries: map[string]cacheEntry{}}
	for len(d.b) > 0 && d.err == nil {
		path := string(d.bytes(int(d.uvarint())))
		var e cacheEntry
		for _, v := range []*int64{&e.stat.dev, &e.stat.ino, &e.stat.size, &e.stat.mtime, &e.stat.ctime} {
			*v = int64(d.uvarint())
		}
		flags := d.byte()
		e.state, e.exact = fileState(flags&^exactFlag), flags&exactFlag != 0
		e.sum.DefNames = d.hashes()
		e.sum.Members = d.hashes()
		if e.state != summarized && e.state != tooLarge {
			return nil, errDamaged
		}
		c.entries[path] = e
	}
	if d.err != nil {
		return nil, d.err
	}
	return c, nil
}

// decoder reads the fields of an encoded cache; the first short read
// sets err and every later read returns zero.
type decoder struct {
	b   []byte
	err error
}

func (d *decoder) uvarint() uint64 {
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.fail()
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) bytes(n int) []byte {
	if n < 0 || n > len(d.b) {
		d.fail()
		return nil
	}
	v := d.b[:n]
	d.b = d.b[n:]
	return v
}

func (d *decoder) byte() byte {
	if v := d.bytes(1); v != nil {
		return v[0]
	}
	return 0
}

func (d *decoder) hashes() []uint32 {
	n := d.uvarint()
	if n > uint64(len(d.b)/4) {
		d.fail()
		return nil
	}
	raw := d.bytes(int(n) * 4)
	if n == 0 || raw == nil {
		return nil
	}
	out := make([]uint32, n)
	for i := range out {
		out[i] = binary.LittleEndian.Uint32(raw[4*i:])
	}
	return out
}

func (d *decoder) fail() {
	d.err = errDamaged
	d.b = nil
}
