package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot"
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

// explainReadiness says why HubSpot is not usable, without any token.
func explainReadiness(err error) error {
	if err == nil {
		return nil
	}
	var apiErr *hubspot.Error
	var budget *hubspot.BudgetError
	switch {
	case errors.As(err, &apiErr) && (apiErr.StatusCode == 401 || apiErr.StatusCode == 403):
		return fmt.Errorf("HubSpot refused the access token (%d %s)", apiErr.StatusCode, apiErr.Category)
	case errors.As(err, &apiErr) && apiErr.StatusCode == 429:
		// Rate limited means reachable and accepted.
		return nil
	case errors.As(err, &budget):
		return nil
	case errors.As(err, &apiErr):
		return fmt.Errorf("HubSpot answered %d", apiErr.StatusCode)
	default:
		return errors.New("HubSpot is unreachable")
	}
}
