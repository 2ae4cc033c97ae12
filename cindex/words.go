package cindex

import "strings"

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
