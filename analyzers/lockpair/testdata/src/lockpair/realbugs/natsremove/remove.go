// Package natsremove reduces nats-io/nats-server 68f3d9595 ("[FIXED]
// Filestore unlock when message erase fails", PR #7431): in removeMsg's
// secure-erase branch, both error returns leave mb.mu locked while every
// earlier error return unlocks it. (The store-wide fs.mu, taken through
// conditional closures, is left out of the reduction.)
package natsremove

import (
	"errors"
	"sync"
)

var errDeletedMsg = errors.New("deleted")

type msgBlock struct {
	mu     sync.Mutex
	closed bool
	msgs   uint64
}

func (mb *msgBlock) lookup(seq uint64) (int, error)       { return 0, nil }
func (mb *msgBlock) slotInfo(seq uint64) (uint32, error)  { return 0, nil }
func (mb *msgBlock) eraseMsg(seq uint64, ri uint32) error { return nil }
func (mb *msgBlock) finishedWithCache()                   {}

type fileStore struct{ blk *msgBlock }

// Bug.
func (fs *fileStore) removeMsgBad(seq uint64, secure bool) (bool, error) {
	mb := fs.blk
	if mb == nil {
		return false, errors.New("eof")
	}
	mb.mu.Lock()
	if mb.closed {
		mb.mu.Unlock()
		return false, nil
	}
	if _, err := mb.lookup(seq); err != nil {
		mb.finishedWithCache()
		mb.mu.Unlock()
		if err == errDeletedMsg {
			err = nil
		}
		return false, err
	}
	mb.msgs--
	if secure && mb.msgs > 0 {
		ri, err := mb.slotInfo(seq)
		if err != nil {
			return false, err // want `lockpair/unreleased: mb.mu acquired by mb.mu.Lock\(\)`
		}
		if err := mb.eraseMsg(seq, ri); err != nil {
			mb.finishedWithCache()
			return false, err // want `lockpair/unreleased: mb.mu acquired by mb.mu.Lock\(\)`
		}
	}
	mb.finishedWithCache()
	mb.mu.Unlock()
	return true, nil
}

// Twin (the fix).
func (fs *fileStore) removeMsgGood(seq uint64, secure bool) (bool, error) {
	mb := fs.blk
	if mb == nil {
		return false, errors.New("eof")
	}
	mb.mu.Lock()
	if mb.closed {
		mb.mu.Unlock()
		return false, nil
	}
	if _, err := mb.lookup(seq); err != nil {
		mb.finishedWithCache()
		mb.mu.Unlock()
		if err == errDeletedMsg {
			err = nil
		}
		return false, err
	}
	mb.msgs--
	if secure && mb.msgs > 0 {
		ri, err := mb.slotInfo(seq)
		if err != nil {
			mb.finishedWithCache()
			mb.mu.Unlock()
			return false, err
		}
		if err := mb.eraseMsg(seq, ri); err != nil {
			mb.finishedWithCache()
			mb.mu.Unlock()
			return false, err
		}
	}
	mb.finishedWithCache()
	mb.mu.Unlock()
	return true, nil
}
