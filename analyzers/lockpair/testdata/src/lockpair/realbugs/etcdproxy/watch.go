// Package etcdproxy reduces etcd-io/etcd e8a60d735 ("grpcproxy: Add an
// Unlock before continue to prevent double lock"): recvLoop's continue on
// an invalid range keeps wps.mu, and the next create request locks it
// again.
package etcdproxy

import (
	"errors"
	"sync"
)

type watchRange struct{ key, end string }

func (wr watchRange) valid() bool { return wr.end == "" || wr.end > wr.key }

type watcher struct {
	wr watchRange
	id int64
}

func (w *watcher) post(canceled bool) {}

type request struct {
	create *watchRange
	cancel int64
}

type watchProxyStream struct {
	mu            sync.Mutex
	watchers      map[int64]*watcher
	nextWatcherID int64
	recv          func() (*request, error)
}

func (wps *watchProxyStream) checkPermission(wr *watchRange) error {
	if wr.key == "" {
		return errors.New("denied")
	}
	return nil
}

// Bug.
func (wps *watchProxyStream) recvLoopBad() error {
	for {
		req, err := wps.recv()
		if err != nil {
			return err
		}
		if cr := req.create; cr != nil {
			if err := wps.checkPermission(cr); err != nil {
				continue
			}
			wps.mu.Lock() // want `lockpair/double-acquire: wps.mu.Lock\(\) acquires wps.mu, already held`
			w := &watcher{wr: *cr, id: wps.nextWatcherID}
			if !w.wr.valid() {
				w.post(true)
				continue
			}
			wps.nextWatcherID++
			wps.watchers[w.id] = w
			wps.mu.Unlock()
		}
	}
}

// Twin (the fix).
func (wps *watchProxyStream) recvLoopGood() error {
	for {
		req, err := wps.recv()
		if err != nil {
			return err
		}
		if cr := req.create; cr != nil {
			if err := wps.checkPermission(cr); err != nil {
				continue
			}
			wps.mu.Lock()
			w := &watcher{wr: *cr, id: wps.nextWatcherID}
			if !w.wr.valid() {
				w.post(true)
				wps.mu.Unlock()
				continue
			}
			wps.nextWatcherID++
			wps.watchers[w.id] = w
			wps.mu.Unlock()
		}
	}
}
