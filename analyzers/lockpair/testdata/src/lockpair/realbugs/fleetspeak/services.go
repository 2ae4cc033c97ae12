// Package fleetspeak reduces google/fleetspeak 7c4f4df ("Fix locking in
// RestartService", PR #231): the error return for an unknown service
// leaves c.lock locked.
package fleetspeak

import (
	"fmt"
	"sync"
)

type serviceData struct{ name string }

func (s *serviceData) stop() {}

type serviceConfiguration struct {
	lock     sync.Mutex
	services map[string]*serviceData
}

func validateServiceName(n string) error {
	if n == "" {
		return fmt.Errorf("empty name")
	}
	return nil
}

// Bug.
func (c *serviceConfiguration) RestartServiceBad(sname string) error { // want RestartServiceBad:`takes \$0\.lock`
	if err := validateServiceName(sname); err != nil {
		return fmt.Errorf("can't restart service: %v", err)
	}
	c.lock.Lock()
	srv := c.services[sname]
	if srv == nil {
		return fmt.Errorf("service doesn't exist: %v", sname) // want `lockpair/unreleased: c.lock acquired by c.lock.Lock\(\)`
	}
	delete(c.services, sname)
	c.lock.Unlock()
	srv.stop()
	return nil
}

// Twin (the fix): the removal in a function of its own, with a deferred
// unlock.
func (c *serviceConfiguration) removeService(sname string) (*serviceData, error) {
	c.lock.Lock()
	defer c.lock.Unlock()
	srv := c.services[sname]
	if srv == nil {
		return nil, fmt.Errorf("failed to remove non-existent service: %v", sname)
	}
	delete(c.services, sname)
	return srv, nil
}

func (c *serviceConfiguration) RestartServiceGood(sname string) error { // want RestartServiceGood:`takes \$0\.lock`
	if err := validateServiceName(sname); err != nil {
		return fmt.Errorf("can't restart service: %v", err)
	}
	srv, err := c.removeService(sname)
	if err != nil {
		return err
	}
	srv.stop()
	return nil
}
