package basic

import (
	"errors"
	"sync"
)

var errBad = errors.New("bad")

type Store struct {
	mu    sync.RWMutex
	plain sync.Mutex
	data  map[string]int
}

func check(k string) bool { return k != "" }
func work()               {}
