package inbox

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot"
)

// Planning, dry runs and confirmed writes: a write tool runs once in a dry
// run to learn exactly what it would send (the PlannedRequest), shows it or
// asks the user about it (with a confirmation issued for it, see
// IssueConfirmation), and then runs for real with that confirmation
// (WithConfirmation). The client calls beforeWrite
// (hubspot.WithBeforeWrite) before every write, which is where both are
// enforced: the request about to leave is the one planned, and the one the
// confirmation is checked against and spent for.

// PlannedRequest is a write as the client would send it.
type PlannedRequest struct {
	Method string `json:"method"`
	// Path is the path and query string, relative to the API host.
	Path string `json:"path"`
	// Body is the JSON body; absent when the request has none.
	Body json.RawMessage `json:"body,omitempty"`
}

// ErrDryRun is what a write returns in a dry run (see WithDryRun).
var ErrDryRun = errors.New("dry run: nothing was sent to HubSpot")

type dryRunKey struct{}

// WithDryRun returns a context in which the service sends reads as usual
// (the look-ups a write needs, the inbox allowlist's checks) but no write:
// a write validates its arguments, stores the request it would have sent
// in p, and returns ErrDryRun.
func WithDryRun(ctx context.Context, p *PlannedRequest) context.Context {
	return context.WithValue(ctx, dryRunKey{}, p)
}

type confirmationKey struct{}

// confirmed is the confirmation a write must redeem before it is sent.
type confirmed struct {
	flow  ConfirmFlow
	token string
}

// WithConfirmation returns a context in which the service sends a write
// only if token, a confirmation issued through flow, confirms exactly that
// request for the caller's credential. beforeWrite redeems (spends) it
// just before the request leaves, so of any number of attempts with one
// confirmation at most one is sent; any other write, or the same one
// again, fails with a *ConfirmationRefusal and nothing is sent.
func WithConfirmation(ctx context.Context, flow ConfirmFlow, token string) context.Context {
	return context.WithValue(ctx, confirmationKey{}, confirmed{flow: flow, token: token})
}

// beforeWrite runs before the client sends w for credential cr: the
// allowlist's check of the thread and channel account it concerns, then
// the dry run or the confirmed-write check, then the trace's note.
func (s *Service) beforeWrite(ctx context.Context, cr *credential, w hubspot.Write) error {
	if err := s.checkWrite(ctx, cr, w); err != nil {
		return err
	}
	planned := PlannedRequest(w)
	if p, ok := ctx.Value(dryRunKey{}).(*PlannedRequest); ok && p != nil {
		*p = planned
		return ErrDryRun
	}
	if c, ok := ctx.Value(confirmationKey{}).(confirmed); ok {
		if err := s.confirm.Redeem(ctx, c.token, c.flow, planned.subject(cr.id)); err != nil {
			return err
		}
	}
	if t := traceOf(ctx); t != nil {
		t.writing(w)
	}
	return nil
}
