// Package taggedptr defines an Analyzer, and checks over C control-flow
// graphs, for tagged-pointer misuse: code that keeps flag bits in the low
// bits of a pointer field, and the code around it that forgets they are
// there.
//
// # Analyzer taggedptr
//
// taggedptr: report misuse of pointer fields that carry tag bits
//
// A tagged field is a pointer-carrying word — in Go an unsafe.Pointer,
// uintptr, uint64, atomic.Uintptr, atomic.Uint64 or atomic.Pointer[T]
// field — into which the code stores an address with low bits set:
//
//	n.next = uintptr(unsafe.Pointer(succ)) | markBit
//	n.next.Store(n.next.Load() | markBit)
//
// The analyzer learns tagged fields from such stores (a plain assignment,
// atomic.Store*, Swap*, CompareAndSwap*, Or*, or the methods of the atomic
// types), from a directive on the field declaration
//
//	next uintptr //tagcheck:tagged mask=markBit
//
// (an optional accessor=Name names the untag accessor), from rule packs
// (tagged entries with lang: go and struct "pkg/path.Type"; the
// -taggedptr.rules=FILE flag adds packs to the embedded ones), and from
// other packages: a tagged exported field carries a fact to its importers.
// A store teaches a tag when it ORs a constant into an address
// (uintptr(unsafe.Pointer(p)) | M) or into the field's own word, provided
// the word holds a pointer (it is pointer-typed, or the package converts it
// back to one). A function that returns the loaded word with the mask
// cleared (w &^ M, w & ^M) is the field's untag accessor; it also teaches
// the tag when the mask is small (rounding an address down with &^ 4095 is
// not untagging).
//
// It reports:
//
//   - taggedptr/untagged-deref: the raw word of a tagged field converted to
//     *T and dereferenced or passed on without clearing the mask, followed
//     through local variables. The address is off by the tag bits, so the
//     access reads the wrong memory (or faults). Code dominated by a test
//     that the tag is zero, comparisons with nil, and the accessors
//     themselves are not reported. Where the package has an accessor of
//     the right shape, a suggested fix calls it.
//   - taggedptr/racy-rmw: the tag set or cleared by a read followed by a
//     separate store — an atomic Load then a Store, or a plain x.f |= M on
//     a word that is accessed atomically elsewhere in the package. A
//     concurrent CompareAndSwap between the read and the write is silently
//     undone. Use a CompareAndSwap loop, or Or/And (Go 1.23). Not reported:
//     an object the function allocated and has not shared, and updates
//     made under a sync.Mutex or RWMutex Lock when no writer of the word
//     uses CompareAndSwap, Or, And or Swap (the lock serializes writers).
//   - taggedptr/foreign-write: tag bits written into a field of a value the
//     code does not own. Within a method of the type that declares the
//     field, the receiver, and values reached from it only through
//     embedded fields, are owned; writing into the field of another value
//     of that type (a parameter, a value loaded from a map, slice or field)
//     is foreign. Outside the methods of that type every tag write is
//     foreign unless the value was allocated in the same function. A
//     closure inside a method owns what the method owns. The owner may
//     write the field at any moment without expecting anyone else's bits
//     in it. A CompareAndSwap is not reported when every write of the word
//     in the package is atomic: it lands only if the word still holds what
//     the writer read, which is how lock-free structures hand marks
//     between nodes. Against an owner that stores the word plainly it is
//     reported.
//   - taggedptr/gc-hidden: a pointer kept only as an integer — a uintptr
//     (or uint64, or atomic.Uintptr) field or global assigned from
//     uintptr(unsafe.Pointer(p)) — that the package later converts back to
//     a pointer. The garbage collector does not see integers: the object
//     may be freed, or, on the stack, moved. Reported are addresses of
//     objects the function allocated or received as parameters. Pointers
//     that the same function also keeps in a pointer-typed place (or
//     returns), integers that are never converted back (hashes, IDs),
//     stores through overlays such as reflect.SliceHeader, and memory
//     outside the Go heap (the runtime's own, sys.NotInHeap types) are not
//     reported.
//   - taggedptr/mask-alignment: the mask uses bits that the pointee type's
//     alignment does not leave free (mask 0x7 on a 4-byte-aligned type
//     leaves bit 2 in the address). The pointee comes from the (*T)
//     conversions of the field's word, the T of atomic.Pointer[T], or the
//     type of p in the tagging store.
//
// go vet's unsafeptr pass already complains, generically, about
// arithmetic on pointers; taggedptr reports only where the tag itself
// makes the code wrong, and says why in the field's and mask's own names.
// Packages that neither convert between unsafe.Pointer and an integer nor
// have a //tagcheck:tagged directive, and read no field another package
// tagged, are skipped (their SSA form is not even built).
//
// Each diagnostic's Category is the rule name without its family
// ("untagged-deref") and its message begins with the full rule ID
// ("taggedptr/untagged-deref: ..."); related information points at the
// store, directive or accessor that made the field tagged.
//
// # C
//
// The C side (files c_*.go) checks the same rules over the C control-flow
// graphs of package flow, produced from kernel patches and sources: the
// same rule IDs, with tagged fields, accessors, setters and owners from
// the rule packs (current owns its task_struct) and from what the patch
// teaches.
//
// As in Go, a store teaches a tag only when the word holds a pointer: a
// pointer-typed field, or an unsigned long that the store fills from an
// address ((unsigned long)desc | 1) or that the code converts back to a
// pointer; and only when the mask is a constant of low bits below the
// pointee's alignment (1, 0x3, HEAD_BIT, BIT(0)). Bitmaps set by bit
// number (__set_bit(bit, (unsigned long *)&c->intercepts)), registers
// built from halves ((u64)hi << 32 | lo) and high bits of control words
// (clear_bit(10, &b->ctl)) take the same shape and are not tags. A field
// tagged only by static functions is tagged in their files' instances only
// (the ring buffer's list_head.next); one tagged by a function that tags
// its parameter's field, in that file's and its callers' (mm's
// __SetPageMovable tags the pages of zsmalloc and the balloon driver, not
// the page cache's). A setter in a header, or one with no caller in view,
// tags the field everywhere. The raw word of an
// integer field handed to a call as an integer (printed, given to the
// field's own macros) is not a dereference; on the branch where a test
// of constant bits of the word (if ((unsigned long)p & BIT) ... else,
// if (!(x->val & 1))) shows them clear, the word is an address. As in
// Go, a plain read-modify-write of a tag (x->f = x->f | M, |=) is not
// racy-rmw when it is made under a lock (taken before it or dropped after
// it in the function, or so in every caller in view) and no code in view
// updates the word atomically (cmpxchg, xchg, set_bit, atomic_long_*).
package taggedptr
