package inbox

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"strconv"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot"
)

// Planning, dry runs and confirmed writes: a write tool runs once in a dry
// run to learn exactly what it would send (the PlannedRequest), shows it or
// asks the user about it, and then runs for real allowing only that
// request. The client calls beforeWrite (hubspot.WithBeforeWrite) before
// every write, which is where both are enforced.

// PlannedRequest is a write as the client would send it.
type PlannedRequest struct {
	Method string `json:"method"`
	// Path is the path and query string, relative to the API host.
	Path string `json:"path"`
	// Body is the JSON body; absent when the request has none.
	Body json.RawMessage `json:"body,omitempty"`
}

// Digest identifies the request: equal requests, and only they, have
// equal digests.
func (p PlannedRequest) Digest() string {
	h := sha256.New()
	for _, part := range [][]byte{[]byte(p.Method), []byte(p.Path), p.Body} {
		h.Write([]byte(strconv.Itoa(len(part)) + ":"))
		h.Write(part)
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
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

// ErrWriteChanged is returned by a write whose request differs from the
// one a WithExpectedWrite context allows; nothing was sent.
var ErrWriteChanged = errors.New("the request differs from the one that was confirmed; nothing was sent")

type expectedWriteKey struct{}

// WithExpectedWrite returns a context in which the service sends a write
// only if it is exactly the request whose Digest is digest, such as the
// request a user confirmed; any other write fails with ErrWriteChanged.
func WithExpectedWrite(ctx context.Context, digest string) context.Context {
	return context.WithValue(ctx, expectedWriteKey{}, digest)
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
	if digest, ok := ctx.Value(expectedWriteKey{}).(string); ok && planned.Digest() != digest {
		return ErrWriteChanged
	}
	if t := traceOf(ctx); t != nil {
		t.writing(w)
	}
	return nil
}
