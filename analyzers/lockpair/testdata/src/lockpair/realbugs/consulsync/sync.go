// Package consulsync reduces tczekajlo/kube-consul-register d72f0f7
// (":fire: fix Sync() return error without unlock", PR #65): two error
// returns inside the loop of Sync leave c.mutex locked; the earlier
// returns unlock.
package consulsync

import (
	"errors"
	"sync"
)

type Service struct {
	UID     string
	Enabled bool
}

type Controller struct {
	mutex    sync.Mutex
	services []Service
}

func (c *Controller) cacheAgents() error { return nil }
func (c *Controller) added() (map[string]bool, map[string][]string, error) {
	return nil, nil, nil
}
func (c *Controller) list() ([]Service, error)      { return nil, nil }
func (c *Controller) eventAddFunc(s *Service) error { return errors.New(s.UID) }

// Bug: each return in the loop keeps c.mutex.
func (c *Controller) SyncBad() error { // want SyncBad:`takes \$0\.mutex`
	c.mutex.Lock()
	if err := c.cacheAgents(); err != nil {
		c.mutex.Unlock()
		return err
	}
	addedServices, registered, err := c.added()
	if err != nil {
		c.mutex.Unlock()
		return err
	}
	all, err := c.list()
	if err != nil {
		c.mutex.Unlock()
		return err
	}
	for _, service := range all {
		if !service.Enabled {
			continue
		}
		if ids, ok := registered[service.UID]; ok {
			for _, id := range ids {
				if !addedServices[id] {
					err := c.eventAddFunc(&service)
					if err != nil {
						return err // want `lockpair/unreleased: c.mutex acquired by c.mutex.Lock\(\)`
					}
				}
			}
		} else {
			err := c.eventAddFunc(&service)
			if err != nil {
				return err // want `lockpair/unreleased: c.mutex acquired by c.mutex.Lock\(\)`
			}
		}
	}
	c.mutex.Unlock()
	return nil
}

// Twin (the fix).
func (c *Controller) SyncGood() error { // want SyncGood:`takes \$0\.mutex`
	c.mutex.Lock()
	if err := c.cacheAgents(); err != nil {
		c.mutex.Unlock()
		return err
	}
	addedServices, registered, err := c.added()
	if err != nil {
		c.mutex.Unlock()
		return err
	}
	all, err := c.list()
	if err != nil {
		c.mutex.Unlock()
		return err
	}
	for _, service := range all {
		if !service.Enabled {
			continue
		}
		if ids, ok := registered[service.UID]; ok {
			for _, id := range ids {
				if !addedServices[id] {
					err := c.eventAddFunc(&service)
					if err != nil {
						c.mutex.Unlock()
						return err
					}
				}
			}
		} else {
			err := c.eventAddFunc(&service)
			if err != nil {
				c.mutex.Unlock()
				return err
			}
		}
	}
	c.mutex.Unlock()
	return nil
}
