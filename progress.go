package main

import (
	"context"
	"fmt"
	"math"
	"sync"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot"
)

// progressSettle is how long a call that just sent progress waits before
// answering: mcp-go v1.2.1 over Streamable HTTP can drop a notification
// sent right before the response (mark3labs/mcp-go#969).
const progressSettle = 25 * time.Millisecond

// settleListenAck delays the answer of a subscriptions/listen stream that
// ends at once (nothing asked for is served, so mcp-go acknowledges an empty
// filter and answers): over Streamable HTTP the acknowledgement, queued as a
// notification, could otherwise reach the client after the answer or not at
// all (mark3labs/mcp-go#969), and it must be the stream's first message.
// A stream that stays open is unaffected: its answer comes when it ends.
func settleListenAck(h *server.Hooks) {
	h.AddAfterSubscriptionsListen(func(ctx context.Context, _ any, _ *mcp.SubscriptionsListenRequest, _ *mcp.SubscriptionsListenResult) {
		if ctx.Err() != nil {
			return // the stream was held and has ended: the ack went long ago
		}
		t := time.NewTimer(progressSettle)
		defer t.Stop()
		select {
		case <-t.C:
		case <-ctx.Done():
		}
	})
}

// budgetProgress tells a client that gave a progressToken why its call is
// slow: while the call waits for the HubSpot rate budget for more than a
// second, it sends notifications/progress every second with the time until
// its turn. A notifications/cancelled for the call cancels its context, so
// it leaves the queue and nothing is sent to HubSpot.
func budgetProgress() []server.ServerOption {
	tools := func(next server.ToolHandlerFunc) server.ToolHandlerFunc {
		return func(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
			ctx, settle := withBudgetProgress(ctx, req.Params.Meta)
			defer settle()
			return next(ctx, req)
		}
	}
	resources := func(next server.ResourceHandlerFunc) server.ResourceHandlerFunc {
		return func(ctx context.Context, req mcp.ReadResourceRequest) ([]mcp.ResourceContents, error) {
			ctx, settle := withBudgetProgress(ctx, req.Params.Meta)
			defer settle()
			return next(ctx, req)
		}
	}
	return []server.ServerOption{server.WithToolHandlerMiddleware(tools), server.WithResourceHandlerMiddleware(resources)}
}

// withBudgetProgress returns ctx with a hubspot.WaitObserver sending the
// progress, and a func to call before answering.
func withBudgetProgress(ctx context.Context, meta *mcp.Meta) (context.Context, func()) {
	srv := server.ServerFromContext(ctx)
	if meta == nil || meta.ProgressToken == nil || srv == nil {
		return ctx, func() {}
	}
	token := meta.ProgressToken
	var (
		mu   sync.Mutex
		n    int
		last time.Time
	)
	obs := func(left time.Duration) {
		mu.Lock()
		n++
		progress := n
		last = time.Now()
		mu.Unlock()
		secs := int(math.Ceil(left.Seconds()))
		_ = srv.SendNotificationToClient(ctx, string(mcp.MethodNotificationProgress), map[string]any{
			"progressToken": token,
			"progress":      progress,
			"message":       fmt.Sprintf("Waiting for the HubSpot rate budget: this call's turn comes in %ds.", secs),
		})
	}
	settle := func() {
		mu.Lock()
		since := time.Since(last)
		sent := n > 0
		mu.Unlock()
		if sent && since < progressSettle {
			t := time.NewTimer(progressSettle - since)
			defer t.Stop()
			select {
			case <-t.C:
			case <-ctx.Done():
			}
		}
	}
	return hubspot.WithWaitObserver(ctx, obs), settle
}
