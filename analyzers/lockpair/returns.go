package lockpair

import (
	"strings"

	"github.com/tagcheck/tagcheck/flow"
	"github.com/tagcheck/tagcheck/rules"
)

// retClass sorts return values into success and failure, as smatch does,
// so that a function returning held on purpose on its success paths is
// understood as a wrapper and a failure path that keeps a lock is a bug.
type retClass uint8

const (
	retUnknown retClass = iota
	retSuccess
	retFailure
	retZero    // 0, NULL, false: success for int, failure for pointers and bool
	retNonZero // tested non-zero, value unknown
)

// classify sorts an expression's value, using what the path knows of
// variables.
func classify(rs *rules.Set, e *flow.Expr, result string, s *state) retClass {
	e = flow.Strip(e)
	if e == nil {
		return retUnknown
	}
	switch e.Op {
	case flow.OpNumber:
		if isZero(e) {
			return retZero
		}
		if strings.HasPrefix(e.Name, "-") {
			return retFailure // a negative literal: -5 as much as -EIO
		}
		return retSuccess
	case flow.OpUnary:
		if e.Name == "-" {
			if a := flow.Strip(e.Arg(0)); a != nil && (a.Op == flow.OpNumber || a.Op == flow.OpIdent && isErrno(a.Name)) {
				return retFailure
			}
		}
		if e.Name == "&" {
			return retSuccess
		}
	case flow.OpIdent:
		switch e.Name {
		case "NULL", "false", "nil":
			return retZero
		case "true":
			return retSuccess
		}
		if s != nil {
			if c, ok := s.consts[e.Name]; ok {
				return c
			}
		}
	case flow.OpCall:
		if rs.ErrorValue(e.Name) {
			return retFailure
		}
	}
	return retUnknown
}

func isErrno(name string) bool {
	return len(name) > 1 && name[0] == 'E' && strings.ToUpper(name) == name
}

// returnsError reports whether a function of this result type says its
// failure by a non-nil error (the dialect's errorResults).
func (w *walker) returnsError(result string) bool {
	return w.d.errorResults && (result == "error" || strings.HasSuffix(result, ", error)"))
}

// returnClass classifies the exit at b: its return value under the
// function's result type.
func (w *walker) returnClass(s *state, b *flow.Block) retClass {
	result := strings.TrimSpace(w.f.Result)
	if result == "void" || result == "" { // C's void or no type written; Go's no results

		return retSuccess
	}
	var x *flow.Expr
	if n := len(b.Events); n > 0 && b.Events[n-1].Kind == flow.EvReturn {
		x = b.Events[n-1].X
	}
	if x == nil {
		return retSuccess
	}
	if w.returnsError(result) {
		return goErrorClass(x, s)
	}
	c := classify(w.rs, x, result, s)
	if result == flow.UnknownResult {
		return unknownResultClass(x, c)
	}
	pointerish := strings.Contains(result, "*") || result == "bool" || result == "_Bool"
	switch c {
	case retZero:
		if pointerish {
			return retFailure
		}
		return retSuccess
	case retNonZero:
		if pointerish {
			return retSuccess
		}
		return retFailure // an int tested non-zero is, in kernel style, an error
	}
	return c
}

// unknownResultClass sorts a return of a function whose result type is
// not in view: NULL and false only a pointer or a bool returns, and they
// mean failure there; a literal 0 may be an int's success.
func unknownResultClass(x *flow.Expr, c retClass) retClass {
	switch c {
	case retZero:
		if v := flow.Strip(x); v != nil && v.Op == flow.OpIdent && (v.Name == "NULL" || v.Name == "false") {
			return retFailure
		}
		return retUnknown
	case retNonZero:
		return retUnknown
	}
	return c
}

// goErrorClass sorts a Go return by its last result of type error: nil is
// success, anything else (errX, fmt.Errorf(...), err after err != nil) a
// failure, as Go callers read it.
func goErrorClass(x *flow.Expr, s *state) retClass {
	x = flow.Strip(x)
	if x != nil && x.Op == flow.OpComma && len(x.Args) > 0 {
		x = flow.Strip(x.Args[len(x.Args)-1])
	}
	if x != nil && x.Op == flow.OpIdent && (x.Name == "nil" || s != nil && s.consts[x.Name] == retZero) {
		return retSuccess // nil, or a result slot the path set to nil
	}
	return retFailure
}
