package taggedptr

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"go/version"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/tagcheck/tagcheck/report"
)

// taggedptr/racy-rmw in Go: the tag set or cleared by a read and a
// separate store.

// racyRMWs reports tag updates made of a read and a separate write.
func (s *state) racyRMWs() {
	for _, st := range s.stores {
		fi := s.fields[st.field]
		if !fi.tagged || !st.hasOp || st.op.mask&fi.mask == 0 {
			continue
		}
		switch st.kind {
		case casStore, orStore, andStore:
			continue
		}
		ld, ok := loadOf(st.op.word)
		if !ok || ld.field != st.field || !sameBase(ld.base, st.base) {
			continue
		}
		// An object this function allocated is not shared yet.
		if a, ok := resolve(st.base).(*ssa.Alloc); ok && topFunc(a.Parent()) == topFunc(st.fn) {
			continue
		}
		// Writers serialized by a mutex, readers atomic: fine, unless some
		// writer of the word goes without the lock (CAS, Or, And, Swap).
		if underLock(st.instr) && !s.lockFreeWriter(st.field) {
			continue
		}
		verb := "sets"
		if !st.op.set {
			verb = "clears"
		}
		name := s.exprText(st.sel, fi)
		var msg string
		switch {
		case ld.atomic || st.kind != plainStore:
			read, write := "a plain read", "an atomic "+st.name
			if strings.HasPrefix(st.name, "atomic.") {
				write = st.name
			}
			if ld.atomic {
				read = "an atomic Load"
			}
			if st.kind == plainStore {
				write = "a plain store"
			}
			msg = fmt.Sprintf("%s: %s the tag %s of %s with %s followed by %s: a concurrent CompareAndSwap between the two is silently undone; %s",
				report.RacyRMW, verb, fi.maskText, name, read, write, s.rmwAdvice(st, fi))
		case fi.atomicPos.IsValid():
			msg = fmt.Sprintf("%s: %s the tag %s of %s with a plain read-modify-write, but %s is accessed atomically at %s: the update races with those accesses and can lose them; %s",
				report.RacyRMW, verb, fi.maskText, name, fieldName(fi), s.where(fi.atomicPos), s.rmwAdvice(st, fi))
		default:
			continue
		}
		d := analysis.Diagnostic{Pos: st.at, Category: short(report.RacyRMW), Message: msg, Related: s.related(fi)}
		if fix := s.rmwFix(st); fix != nil {
			d.SuggestedFixes = []analysis.SuggestedFix{*fix}
		}
		s.report(d)
	}
}

// underLock reports whether a sync.Mutex or sync.RWMutex Lock call comes
// before instr on every path through its function.
func underLock(instr ssa.Instruction) bool {
	blk := instr.Block()
	for _, b := range instr.Parent().Blocks {
		if !b.Dominates(blk) {
			continue
		}
		for _, i := range b.Instrs {
			if b == blk && i == instr {
				break
			}
			c, ok := i.(*ssa.Call)
			if !ok {
				continue
			}
			fn := c.Call.StaticCallee()
			if fn == nil {
				continue
			}
			if obj, ok := fn.Object().(*types.Func); ok && (obj.FullName() == "(*sync.Mutex).Lock" || obj.FullName() == "(*sync.RWMutex).Lock") {
				return true
			}
		}
	}
	return false
}

// lockFreeWriter reports whether the package writes the word with an
// atomic read-modify-write (CompareAndSwap, Or, And, Swap) anywhere.
func (s *state) lockFreeWriter(f *types.Var) bool {
	for _, st := range s.stores {
		if st.field == f {
			switch st.kind {
			case casStore, orStore, andStore, swapStore:
				return true
			}
		}
	}
	return false
}

// plainWriter returns the first plain store of the word in the package.
func (s *state) plainWriter(f *types.Var) token.Pos {
	for _, st := range s.stores {
		if st.field == f && st.kind == plainStore {
			return st.at
		}
	}
	return token.NoPos
}

// orAndSuffix returns the sync/atomic type suffix ("Uintptr") for a word
// type that has Or and And, or "".
func orAndSuffix(t types.Type) string {
	switch a := atomicType(t); a {
	case "Uintptr", "Uint64", "Uint32", "Int64", "Int32":
		return a
	case "":
	default:
		return ""
	}
	if b, ok := t.Underlying().(*types.Basic); ok {
		switch b.Kind() {
		case types.Uintptr:
			return "Uintptr"
		case types.Uint64:
			return "Uint64"
		}
	}
	return ""
}

func (s *state) rmwAdvice(st storeEv, fi *fieldInfo) string {
	suffix := orAndSuffix(fi.obj.Type())
	if suffix == "" || !s.go123(st.pos) {
		return "use a CompareAndSwap loop"
	}
	op := "Or"
	if !st.op.set {
		op = "And"
	}
	if atomicType(fi.obj.Type()) != "" {
		return fmt.Sprintf("use %s.%s (Go 1.23) or a CompareAndSwap loop", s.exprText(st.sel, fi), op)
	}
	return fmt.Sprintf("use atomic.%s%s (Go 1.23) or a CompareAndSwap loop", op, suffix)
}

// go123 reports whether the file at pos may use Go 1.23's Or and And.
func (s *state) go123(pos token.Pos) bool {
	v := s.pass.Pkg.GoVersion()
	if f := s.files[s.pass.Fset.File(pos)]; f != nil {
		if fv := s.pass.TypesInfo.FileVersions[f]; fv != "" {
			v = fv
		}
	}
	return v == "" || version.Compare(v, "go1.23") >= 0
}

// rmwFix rewrites x.f.Store(x.f.Load() | M) as x.f.Or(M), the
// package-function form likewise, and a plain x.f |= M as
// atomic.OrUintptr(&x.f, M), when the whole update is that one statement
// or expression.
func (s *state) rmwFix(st storeEv) *analysis.SuggestedFix {
	fi := s.fields[st.field]
	suffix := orAndSuffix(fi.obj.Type())
	if suffix == "" || !s.go123(st.pos) {
		return nil
	}
	op, mask := "Or", st.op.maskText
	if !st.op.set {
		op, mask = "And", "^"+strings.ToLower(suffix)+"("+mask+")"
	}
	var repl string
	var from, to token.Pos
	switch st.kind {
	case atomicStore:
		call := s.calls[st.pos]
		if call == nil || len(call.Args) == 0 {
			return nil
		}
		bin, ok := ast.Unparen(call.Args[len(call.Args)-1]).(*ast.BinaryExpr)
		if !ok || bin.OpPos != st.op.pos {
			return nil
		}
		fun, ok := call.Fun.(*ast.SelectorExpr)
		if !ok {
			return nil
		}
		if atomicType(fi.obj.Type()) != "" {
			repl = fmt.Sprintf("%s.%s(%s)", types.ExprString(fun.X), op, mask)
		} else {
			repl = fmt.Sprintf("%s.%s%s(%s, %s)", types.ExprString(fun.X), op, suffix, types.ExprString(call.Args[0]), mask)
		}
		from, to = call.Pos(), call.End()
	case plainStore:
		as := s.assigns[st.op.pos]
		if as == nil || atomicType(fi.obj.Type()) != "" || (as.Tok != token.OR_ASSIGN && as.Tok != token.AND_NOT_ASSIGN) {
			return nil
		}
		pkg := s.importName(as.Pos(), "sync/atomic")
		if pkg == "" {
			return nil
		}
		repl = fmt.Sprintf("%s.%s%s(&%s, %s)", pkg, op, suffix, types.ExprString(as.Lhs[0]), mask)
		from, to = as.Pos(), as.End()
	default:
		return nil
	}
	return &analysis.SuggestedFix{
		Message:   "Use " + repl,
		TextEdits: []analysis.TextEdit{{Pos: from, End: to, NewText: []byte(repl)}},
	}
}

// importName is the name under which the file at pos imports path, or "".
func (s *state) importName(pos token.Pos, path string) string {
	f := s.files[s.pass.Fset.File(pos)]
	if f == nil {
		return ""
	}
	for _, imp := range f.Imports {
		if strings.Trim(imp.Path.Value, `"`) != path {
			continue
		}
		if imp.Name != nil {
			if imp.Name.Name == "_" || imp.Name.Name == "." {
				return ""
			}
			return imp.Name.Name
		}
		return path[strings.LastIndex(path, "/")+1:]
	}
	return ""
}
