// Package natslogger reduces nats-io/nats-server efa55d592 ("[FIXED]
// SetLoggerV2 deadlock when prev logger errors on close", PR #8430):
// SetLoggerV2 holds s.logging's write lock while it calls s.Errorf, whose
// executeLogCall read-locks s.logging: a deadlock through two calls.
package natslogger

import (
	"io"
	"sync"
)

type Logger interface {
	Errorf(format string, v ...any)
}

type Server struct {
	logging struct {
		sync.RWMutex
		logger Logger
	}
}

func (s *Server) executeLogCall(f func(logger Logger, format string, v ...any), format string, args ...any) {
	s.logging.RLock()
	defer s.logging.RUnlock()
	if s.logging.logger == nil {
		return
	}
	f(s.logging.logger, format, args...)
}

func (s *Server) Errorf(format string, v ...any) { // want Errorf:`takes \$0\.logging\.RWMutex shared`
	s.executeLogCall(func(logger Logger, format string, v ...any) {
		logger.Errorf(format, v...)
	}, format, v...)
}

// Bug.
func (s *Server) SetLoggerBad(logger Logger) { // want SetLoggerBad:`takes \$0\.logging\.RWMutex; takes \$0\.logging\.RWMutex shared`
	s.logging.Lock()
	if s.logging.logger != nil {
		if l, ok := s.logging.logger.(io.Closer); ok {
			if err := l.Close(); err != nil {
				s.Errorf("Error closing logger: %v", err) // want `lockpair/double-acquire: s.Errorf\(.*\) acquires s.logging`
			}
		}
	}
	s.logging.logger = logger
	s.logging.Unlock()
}

// Twin (the fix): log after the unlock.
func (s *Server) SetLoggerGood(logger Logger) { // want SetLoggerGood:`takes \$0\.logging\.RWMutex; takes \$0\.logging\.RWMutex shared`
	var prevErr error
	s.logging.Lock()
	if s.logging.logger != nil {
		if l, ok := s.logging.logger.(io.Closer); ok {
			prevErr = l.Close()
		}
	}
	s.logging.logger = logger
	s.logging.Unlock()
	if prevErr != nil {
		s.Errorf("Error closing logger: %v", prevErr)
	}
}
