// Package tun2socks reduces xjasonlyu/tun2socks c834bec ("Fix(engine):
// mutex never unlocked on error", PR #456): start() returns on a missing
// key and on each failing step with _engineMu held.
package tun2socks

import (
	"errors"
	"sync"
)

type Key struct{ Device string }

var (
	engineMu   sync.Mutex
	defaultKey *Key
)

func general(*Key) error  { return nil }
func restAPI(*Key) error  { return nil }
func netstack(*Key) error { return nil }

// Bug: three exits keep the lock.
func startBad() error {
	engineMu.Lock()
	if defaultKey == nil {
		return errors.New("empty key") // want `lockpair/unreleased: engineMu acquired by engineMu.Lock\(\)`
	}
	for _, f := range []func(*Key) error{general, restAPI, netstack} {
		if err := f(defaultKey); err != nil {
			return err // want `lockpair/unreleased: engineMu acquired by engineMu.Lock\(\)`
		}
	}
	engineMu.Unlock()
	return nil
}

// Twin (the fix).
func startGood() error {
	engineMu.Lock()
	defer engineMu.Unlock()
	if defaultKey == nil {
		return errors.New("empty key")
	}
	for _, f := range []func(*Key) error{general, restAPI, netstack} {
		if err := f(defaultKey); err != nil {
			return err
		}
	}
	return nil
}
