// Package user takes the store's lock twice through its wrapper, which
// only the facts of package store tell.
package user

import "example.com/gomod/store"

func Twice(s *store.S) {
	s.Lock()
	s.Lock()
	s.Unlock()
}
