package cindex

import (
	"bytes"
	"strings"
)

// notCallee: words followed by "(" that are not calls.
var notCallee = setOf(`if for while switch return sizeof typeof __typeof__ __typeof _Alignof alignof
	__alignof__ __alignof _Generic _Static_assert static_assert asm __asm__ __asm volatile __volatile__
	defined do else case goto default __attribute__ __attribute __builtin_offsetof __builtin_types_compatible_p
	__builtin_choose_expr __extension__ __auto_type`)

// typeWord: words that begin a type, never a function's name.
var typeWord = setOf(`void char short int long float double signed unsigned _Bool _Complex struct union enum
	const static inline __inline __inline__ extern register auto restrict __restrict typedef`)

// attrCall: attribute macros that take arguments, in a function header.
var attrCall = setOf(`__acquires __releases __must_hold __printf __scanf __aligned __section __alloc_size
	__assume_aligned __attribute__ __attribute __alias __copy __cleanup __free __counted_by __cond_acquires
	__cond_releases __diag_ignore __compiletime_error __compiletime_warning __no_sanitize __weakref
	__vector_size __declspec __malloc __nonnull __access __format __diagnose_as __no_sanitize_or_inline`)

func setOf(words string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}

// commonBytes ranks the bytes of C source, the most frequent first, as
// counted over kernel/, fs/, mm/ and net/ of Linux 6.1.
const commonBytes = " \n\tet_rsinoacldfu0p,)(*x;mhbg-kE=>v/yTSANwIR.LOCFD2&P{}UBM14\"zq3G68:#!7+5X9H<KV[]j|%YW'@ZQJ?~^`$"

// byteRank is the higher the more often a byte stands in C source; a byte
// not in commonBytes is rarer than all of them.
var byteRank = func() (r [256]uint8) {
	for i := 0; i < len(commonBytes); i++ {
		r[commonBytes[i]] = uint8(len(commonBytes) - i)
	}
	return r
}()

// indexWord returns where w first stands in src, or -1, as bytes.Index
// does. It looks for w's rarest byte in C source with IndexByte: at the
// first byte of a word, IndexByte stops every few bytes of C text (the
// "n" of "nsproxy"), and bytes.Index over the whole tree for one field
// was a seventh of a check --tree without a cache.
func indexWord(src []byte, w string) int {
	if len(w) == 0 {
		return 0
	}
	k := 0
	for i := 1; i < len(w); i++ {
		if byteRank[w[i]] < byteRank[w[k]] {
			k = i
		}
	}
	// A match starts k bytes before its rare byte, so the rare bytes are
	// met in the order of the starts.
	for off := k; off < len(src); {
		p := bytes.IndexByte(src[off:], w[k])
		if p < 0 {
			return -1
		}
		at := off + p - k
		if at+len(w) <= len(src) && string(src[at:at+len(w)]) == w {
			return at
		}
		off += p + 1
	}
	return -1
}
