package inbox

import (
	"slices"
	"time"
)

// Methods only the tests call.

// Open tells how many FlowElicitation questions this process has open.
func (c *Confirmations) Open() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sweepAsked(time.Now())
	return len(c.asked)
}

// Len tells how many IDs the record holds, expired ones not yet dropped
// included.
func (u *MemoryUsed) Len() int {
	u.mu.Lock()
	defer u.mu.Unlock()
	return len(u.m)
}

// Calls returns the requests recorded so far, oldest first.
func (t *Trace) Calls() []TracedCall {
	t.mu.Lock()
	defer t.mu.Unlock()
	return append([]TracedCall(nil), t.calls...)
}

// InboxAllowlist returns the inboxes the service is confined to, or nil.
func (s *Service) InboxAllowlist() []string {
	if s.guard == nil {
		return nil
	}
	return slices.Clone(s.guard.inboxes)
}
