// Package natsfilestore reduces nats-io/nats-server c35ae88bd ("fix:
// release write lock on error in newMsgBlockForWrite", PR #8232): a
// previous write error returns with lmb.mu locked, while the flush error
// just below unlocks.
package natsfilestore

import "sync"

type msgBlock struct {
	mu    sync.Mutex
	index uint32
	werr  error
	qch   chan struct{}
}

func (mb *msgBlock) flushPendingMsgsLocked() (int, error) { return 0, nil }

type fileStore struct {
	lmb *msgBlock
}

func (fs *fileStore) initMsgBlock(index uint32) *msgBlock { return &msgBlock{index: index} }

// Bug.
func (fs *fileStore) newMsgBlockForWriteBad() (*msgBlock, error) {
	index := uint32(1)
	if lmb := fs.lmb; lmb != nil {
		lmb.mu.Lock()
		index = lmb.index + 1
		if lmb.qch != nil {
			close(lmb.qch)
			lmb.qch = nil
		}
		if err := lmb.werr; err != nil {
			return nil, err // want `lockpair/unreleased: lmb.mu acquired by lmb.mu.Lock\(\)`
		}
		if _, err := lmb.flushPendingMsgsLocked(); err != nil {
			lmb.mu.Unlock()
			return nil, err
		}
		lmb.mu.Unlock()
	}
	return fs.initMsgBlock(index), nil
}

// Twin (the fix).
func (fs *fileStore) newMsgBlockForWriteGood() (*msgBlock, error) {
	index := uint32(1)
	if lmb := fs.lmb; lmb != nil {
		lmb.mu.Lock()
		index = lmb.index + 1
		if lmb.qch != nil {
			close(lmb.qch)
			lmb.qch = nil
		}
		if err := lmb.werr; err != nil {
			lmb.mu.Unlock()
			return nil, err
		}
		if _, err := lmb.flushPendingMsgsLocked(); err != nil {
			lmb.mu.Unlock()
			return nil, err
		}
		lmb.mu.Unlock()
	}
	return fs.initMsgBlock(index), nil
}
