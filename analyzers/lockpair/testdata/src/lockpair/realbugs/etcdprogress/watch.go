// Package etcdprogress reduces etcd-io/etcd 8194aa3f0 ("Fixed a missing
// block bug", PR #10866 for issue #10863): RequestProgress returns "no
// stream found" with w.mu locked.
package etcdprogress

import (
	"context"
	"fmt"
	"sync"
)

type watchGrpcStream struct{ reqc chan int }

type watcher struct {
	mu      sync.Mutex
	streams map[string]*watchGrpcStream
}

func streamKeyFromCtx(ctx context.Context) string { return fmt.Sprint(ctx) }

// Bug.
func (w *watcher) RequestProgressBad(ctx context.Context) (err error) { // want RequestProgressBad:`takes \$0\.mu`
	ctxKey := streamKeyFromCtx(ctx)
	w.mu.Lock()
	if w.streams == nil {
		return fmt.Errorf("no stream found for context") // want `lockpair/unreleased: w.mu acquired by w.mu.Lock\(\)`
	}
	wgs := w.streams[ctxKey]
	if wgs == nil {
		wgs = &watchGrpcStream{reqc: make(chan int, 1)}
		w.streams[ctxKey] = wgs
	}
	donec := make(chan struct{})
	w.mu.Unlock()
	select {
	case wgs.reqc <- 1:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	case <-donec:
		return nil
	}
}

// Twin (the fix).
func (w *watcher) RequestProgressGood(ctx context.Context) (err error) { // want RequestProgressGood:`takes \$0\.mu`
	ctxKey := streamKeyFromCtx(ctx)
	w.mu.Lock()
	if w.streams == nil {
		w.mu.Unlock()
		return fmt.Errorf("no stream found for context")
	}
	wgs := w.streams[ctxKey]
	if wgs == nil {
		wgs = &watchGrpcStream{reqc: make(chan int, 1)}
		w.streams[ctxKey] = wgs
	}
	donec := make(chan struct{})
	w.mu.Unlock()
	select {
	case wgs.reqc <- 1:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	case <-donec:
		return nil
	}
}
