package nolint

import "sync"

// Each function releases an RLock with Unlock: lockpair/mismatched-release.

func bare(mu *sync.RWMutex) {
	mu.RLock()
	mu.Unlock() // want `lockpair/mismatched-release`
}

func trailingLockpair(mu *sync.RWMutex) {
	mu.RLock()
	mu.Unlock() //nolint:lockpair // handed over on purpose
}

func trailingTagcheck(mu *sync.RWMutex) {
	mu.RLock()
	mu.Unlock() //nolint:errcheck,tagcheck
}

func trailingAll(mu *sync.RWMutex) {
	mu.RLock()
	mu.Unlock() //nolint
}

// Names of other linters, or of the other analyzer, silence nothing.

func otherLinter(mu *sync.RWMutex) {
	mu.RLock()
	mu.Unlock() //nolint:errcheck // want `lockpair/mismatched-release`
}

func otherAnalyzer(mu *sync.RWMutex) {
	mu.RLock()
	mu.Unlock() //nolint:taggedptr // want `lockpair/mismatched-release`
}

// Not golangci-lint's syntax (a space after //, a word after nolint).

func spaced(mu *sync.RWMutex) {
	mu.RLock()
	mu.Unlock() // nolint:lockpair // want `lockpair/mismatched-release`
}

func nolintWord(mu *sync.RWMutex) {
	mu.RLock()
	mu.Unlock() //nolintlint // want `lockpair/mismatched-release`
}

// Alone on its line: the whole declaration that follows.

//nolint:lockpair // the whole function
func wholeFunc(mu *sync.RWMutex, bad bool) {
	mu.RLock()
	if bad {
		mu.Unlock()
		return
	}
	mu.RUnlock()
}

// Alone before a statement: that statement, not the ones after it.

func oneStatement(mu *sync.RWMutex, bad bool) {
	mu.RLock()
	//nolint:lockpair
	if bad {
		mu.Unlock()
		return
	}
	mu.Unlock() // want `lockpair/mismatched-release`
}

// The suppression on another line than the finding, not alone: nothing.

func elsewhere(mu *sync.RWMutex) {
	mu.RLock()  //nolint:lockpair
	mu.Unlock() // want `lockpair/mismatched-release`
}
