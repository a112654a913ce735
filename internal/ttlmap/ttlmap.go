// Package ttlmap is a bounded map whose entries expire: the HubSpot
// client's cache (package hubspot) and the service's record of which inbox
// a thread or channel account belongs to (package inbox). It imports
// nothing of the project.
package ttlmap

import (
	"maps"
	"sync"
	"time"
)

// MaxEntries bounds a Map; when it is full, a new key first drops the
// expired entries, then, if still full, every entry.
const MaxEntries = 10_000

// Map holds values by key for its TTL after they were put. A nil *Map
// holds nothing. It is safe for concurrent use.
type Map[V any] struct {
	ttl time.Duration

	mu      sync.Mutex
	entries map[string]entry[V]
}

type entry[V any] struct {
	val     V
	expires time.Time
}

// New returns an empty Map whose entries live for ttl.
func New[V any](ttl time.Duration) *Map[V] {
	return &Map[V]{ttl: ttl, entries: map[string]entry[V]{}}
}

// TTL is how long an entry lives; 0 for a nil Map.
func (m *Map[V]) TTL() time.Duration {
	if m == nil {
		return 0
	}
	return m.ttl
}

// Get returns the value under key, if it has not expired.
func (m *Map[V]) Get(key string) (V, bool) {
	var zero V
	if m == nil {
		return zero, false
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	e, ok := m.entries[key]
	if !ok {
		return zero, false
	}
	if time.Now().After(e.expires) {
		delete(m.entries, key)
		return zero, false
	}
	return e.val, true
}

// Put keeps val under key for the TTL.
func (m *Map[V]) Put(key string, val V) {
	if m == nil {
		return
	}
	now := time.Now()
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.entries[key]; !ok && len(m.entries) >= MaxEntries {
		maps.DeleteFunc(m.entries, func(_ string, e entry[V]) bool { return now.After(e.expires) })
		if len(m.entries) >= MaxEntries {
			clear(m.entries)
		}
	}
	m.entries[key] = entry[V]{val: val, expires: now.Add(m.ttl)}
}

// Drop forgets key.
func (m *Map[V]) Drop(key string) {
	if m == nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.entries, key)
}
