package sandbox

import (
	"net/http"
	"time"
)

// WithLatency holds every call for d before answering it (and before
// anything else: authentication, rate limits, faults), like the 100–300 ms
// a round trip to HubSpot takes. It makes the wall time of a sequence of
// calls measurable against the sandbox: n sequential calls take at least
// n·d, independent calls made concurrently about d. A caller that gives up
// while held gets no answer. Zero, the default, adds nothing.
func WithLatency(d time.Duration) Option {
	return func(c *config) { c.latency = max(d, 0) }
}

// hold waits out the configured latency; it reports false if the caller
// gave up first.
func (s *Server) hold(r *http.Request) bool {
	if s.cfg.latency <= 0 {
		return true
	}
	t := time.NewTimer(s.cfg.latency)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
		return false
	}
}
