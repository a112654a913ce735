package mcpadapt

import (
	"context"
	"sync"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

// Settle is how long an answer waits behind a notification sent just before
// it, so that mcp-go v1.2.1's Streamable HTTP transport writes the
// notification first instead of dropping it.
//
// The misbehaviour (TestPinned_NotificationBeforeAnswerIsDropped): over
// Streamable HTTP, the goroutine forwarding a request's notifications takes
// one off the session's channel and then waits for the response lock; when
// the handler's answer takes the lock first, it finds the channel empty,
// ends the stream, and the forwarder drops the notification it holds. The
// event store (server.WithEventStore) avoids it for 2025 sessions only,
// never for 2026-07-28 requests, and keeps every event of every session in
// memory.
//
// Delete Settle, SettleListenAck and Notifier (calling
// SendNotificationToClient directly) when mark3labs/mcp-go#969 ("exactly one
// consumer, always") is released and the pinned test fails.
const Settle = 25 * time.Millisecond

// SettleListenAck delays the answer of a subscriptions/listen stream that
// ends at once (nothing it asked for is served, so mcp-go acknowledges an
// empty filter and answers): the acknowledgement, queued as a notification,
// must be the stream's first message and would otherwise reach the client
// after the answer or not at all. A stream that stays open is unaffected:
// its answer comes when it ends.
func SettleListenAck(h *server.Hooks) {
	h.AddAfterSubscriptionsListen(func(ctx context.Context, _ any, _ *mcp.SubscriptionsListenRequest, _ *mcp.SubscriptionsListenResult) {
		if ctx.Err() != nil {
			return // the stream was held and has ended: the ack went long ago
		}
		wait(ctx, Settle)
	})
}

// Notifier sends one call's notifications (progress, say) to its client
// and lets the call wait, before answering, until the last one has had
// Settle to leave. Safe for concurrent use; a nil *Notifier sends nothing.
type Notifier struct {
	ctx context.Context
	srv *server.MCPServer

	mu   sync.Mutex
	last time.Time // when the latest notification was sent; zero if none
}

// NewNotifier returns the notifier of the call whose handler context is ctx,
// or nil when ctx belongs to no MCP server.
func NewNotifier(ctx context.Context) *Notifier {
	srv := server.ServerFromContext(ctx)
	if srv == nil {
		return nil
	}
	return &Notifier{ctx: ctx, srv: srv}
}

// Notify sends a notification to the call's client.
func (n *Notifier) Notify(method mcp.MCPMethod, params map[string]any) error {
	if n == nil {
		return nil
	}
	err := n.srv.SendNotificationToClient(n.ctx, string(method), params)
	if err == nil {
		n.mu.Lock()
		n.last = time.Now()
		n.mu.Unlock()
	}
	return err
}

// Settle waits, before the call answers, until Settle has passed since its
// last notification, or the call's context ends. Without a notification it
// returns at once.
func (n *Notifier) Settle() {
	if n == nil {
		return
	}
	n.mu.Lock()
	last := n.last
	n.mu.Unlock()
	if last.IsZero() {
		return
	}
	wait(n.ctx, Settle-time.Since(last))
}

// wait sleeps for d, or until ctx ends.
func wait(ctx context.Context, d time.Duration) {
	if d <= 0 {
		return
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	}
}
