package main

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot"
	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/view"
)

// readiness answers /readyz: the configuration is valid (or the server
// would not run) and, with one configured token, HubSpot is reachable and
// accepts it. The HubSpot check costs one call of the budget and is cached
// for ttl, so probes cannot drain the budget.
type readiness struct {
	a   *app
	ttl time.Duration

	mu      sync.Mutex
	checked time.Time
	err     error
}

func (rd *readiness) serve(w http.ResponseWriter, r *http.Request) {
	if err := rd.check(r.Context()); err != nil {
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "not ready", "reason": err.Error()})
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ready"})
}

func (rd *readiness) check(ctx context.Context) error {
	if rd.a.hs == nil {
		// Per-user tokens: there is no token of our own to check.
		return nil
	}
	rd.mu.Lock()
	defer rd.mu.Unlock()
	if !rd.checked.IsZero() && time.Since(rd.checked) < rd.ttl {
		return rd.err
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	_, err := rd.a.hs.ListInboxes(ctx, &hubspot.ListInboxesOptions{ListOptions: hubspot.ListOptions{Limit: 1}})
	rd.err, rd.checked = explainReadiness(err), time.Now()
	return rd.err
}

// explainReadiness says why HubSpot is not usable, for an operator: only
// what the HubSpot answer says about the token and reachability, without
// any token.
func explainReadiness(err error) error {
	if err == nil {
		return nil
	}
	fail := view.Explain(err)
	switch fail.Kind {
	case view.Unauthorized, view.Forbidden:
		return errors.New("HubSpot refused the access token (" + strings.TrimPrefix(fail.Answered(), "HubSpot answered ") + ")")
	case view.RateLimited, view.DailyLimit, view.BudgetSpent:
		// Rate limited means reachable and accepted.
		return nil
	case view.NotFound, view.Unavailable, view.Rejected:
		return errors.New(fail.Answered())
	}
	return errors.New("HubSpot is unreachable")
}
