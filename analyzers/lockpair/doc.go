// Package lockpair checks that every lock acquired is released, by the
// function that pairs with the acquire, on every path — error paths
// included — in Go code (the Analyzer, a go/analysis pass over SSA) and in
// C (the same path walk, CheckFunc, over graphs from package cparse).
//
// # Analyzer lockpair
//
// lockpair: report locks released by the wrong function, not released on
// some path, acquired twice, or released twice
//
// The analyzer lowers each function that calls a known acquire or release
// from SSA into the shared flow form (package goflow) and walks its paths,
// replaying deferred calls at each return. It reports:
//
//	lockpair/mismatched-release  mu.RLock() released by mu.Unlock(), or
//	                             mu.Lock() by mu.RUnlock(); a fix renames
//	                             the release
//	lockpair/unreleased          a lock still held when the function
//	                             returns on some path, typically an early
//	                             error return
//	lockpair/double-acquire      a held lock locked again on a path, by
//	                             the function or by a callee that takes
//	                             it while it runs: the goroutine
//	                             deadlocks (for an RWMutex read-locked
//	                             twice, as soon as a writer waits)
//	lockpair/unheld-release      a release after the same path already
//	                             released it: "fatal error: sync: unlock of
//	                             unlocked mutex"
//
// An unreleased lock is reported at every return that keeps it, so that
// a fix of one return does not hide the others; reaching the same Lock
// again round a loop (a continue that skipped the unlock) is a double
// acquire at that Lock.
//
// None of these is reported by go vet, and staticcheck reports only the
// adjacent Lock-then-Unlock and Lock-then-defer-Lock shapes. A function that
// releases a lock its caller took is not reported: it is a release wrapper.
//
// Branches on the same unmodified value are correlated: after
//
//	locked := false
//	if c { mu.Lock(); locked = true }
//	...
//	if locked { mu.Unlock() }
//
// no path is reported, and mu.TryLock() holds the lock only on the branch
// where it returned true.
//
// A lock that a goroutine started with go releases while it is held is
// handed over to that goroutine at the go statement: "mu.Lock(); go func()
// { ...; mu.Unlock() }()" and "go ac.resetTransportAndUnlock()" leave
// nothing held behind, while what the goroutine locks itself stays its own.
//
// What callees take. Every function that acquires a lock and gives it
// back before it returns "takes" it while it runs; a call to it from a
// path that holds the lock is a double acquire at the call, with the
// callee's acquire as related information:
//
//	func (s *S) size() int { s.mu.RLock(); defer s.mu.RUnlock(); return s.n }
//	func (s *S) Add(k int) int {
//		s.mu.Lock()
//		defer s.mu.Unlock()
//		return s.size() // double acquire
//	}
//
// This follows chains of calls, method values (f := s.size; f()), calls
// through an interface holding a value of known type or implemented by
// one type of the package, and, through facts, callees in other packages.
// A lock reached through more than four selectors from a parameter
// (s.a.b.c.d.mu), or three from a package variable, is not passed on to
// callers: a walk down a linked structure would otherwise add a field at
// every level.
//
// Paths. A branch whose condition is a constant (if false, if debug) is
// not a path, and integers compared with constants are followed: after
// n < 3 went true, n <= 2 cannot go false.
//
// Wrappers and facts. A function or method that returns with a lock held
// on its success paths (func (s *S) ReadLock() { s.mu.RLock() }) is an
// acquire wrapper; one that releases what it did not take is a release
// wrapper. Both are learned from their bodies and exported as a
// WrapperFact on the function, so callers in other packages are checked
// against them: s.ReadLock() followed by s.WriteUnlock() is a mismatched
// release. A wrapper whose body does not show it (a lock built on a
// channel) is declared by a directive in its doc comment, the resource
// named from the parameters:
//
//	//tagcheck:acquires s.mu shared
//	func (s *S) ReadLock() { ... }
//
//	//tagcheck:releases s.mu shared
//	func (s *S) ReadUnlock() { ... }
//
// Acquire and release directives of one package pair when they name the
// same resource (in terms of the receiver or parameters) and mode.
//
// A function that takes its lock inside a loop and leaves the loop holding
// it (a break, a return) is taken for a wrapper only when some caller in
// the package releases the lock after calling it; otherwise, exported or
// not, it is reported unless declared with //tagcheck:acquires.
//
// Rule packs. The embedded rule packs cover package sync. More pairs come
// from YAML packs (see package rules) given with -lockpair.rules=FILE
// (repeatable, or comma-separated).
//
// go vet caches results by the vet tool's build ID and its flags, not by
// the contents of files that flags name: after editing a rule pack, a
// cached package would keep its old results. So under go vet also pass
// the pack's digest, which makes the flag value change with the file:
//
//	go vet -vettool=$(command -v tagcheck) \
//	  -lockpair.rules=locks.yaml \
//	  -lockpair.rules_digest=$(cat locks.yaml | sha256sum | cut -c1-16) ./...
//
// The digest is the SHA-256 of the rule files' contents concatenated in
// flag order (hex; any prefix of 8 or more digits). The analyzer checks it
// and fails the run, naming the right value, when it does not match, so a
// stale digest never passes silently. It is optional outside go vet.
package lockpair
