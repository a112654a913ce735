package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/httpserver"
	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot"
	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/inbox"
	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/mcpadapt"
	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/view"
)

// serveStdio speaks MCP over stdin and stdout until stdin closes or ctx ends.
func serveStdio(ctx context.Context, a *app, stdin io.Reader, stdout io.Writer) error {
	a.logger.InfoContext(ctx, "serving MCP over stdio", "version", version, "tools", len(a.tools))
	s := server.NewStdioServer(a.mcp)
	s.SetErrorLogger(slog.NewLogLogger(a.logger.Handler(), slog.LevelError))
	err := s.Listen(ctx, stdin, stdout)
	if ctx.Err() != nil {
		return nil
	}
	return err
}

// serveHTTP serves the http or sse transport on cfg.Addr until ctx ends,
// then shuts down gracefully: no new connections, in-flight calls finish
// (up to MCP_SHUTDOWN_TIMEOUT), streams close. It returns nil on a clean
// shutdown.
func serveHTTP(ctx context.Context, a *app) error {
	ln, err := net.Listen("tcp", a.cfg.Addr)
	if err != nil {
		return fmt.Errorf("MCP_ADDR: %w", err)
	}
	hs, err := newHTTPServer(a, ln.Addr())
	if err != nil {
		_ = ln.Close()
		return err
	}
	a.logger.InfoContext(ctx, "serving MCP over HTTP", "transport", a.cfg.Transport, "addr", ln.Addr().String(),
		"endpoint", hs.Endpoint(), "auth", a.cfg.AuthToken != "", "token_source", a.cfg.TokenSource, "version", version)
	return hs.Serve(ctx, ln)
}

// newHTTPServer configures the HTTP transport from the app's configuration.
func newHTTPServer(a *app, bound net.Addr) (*httpserver.Server, error) {
	cfg := a.cfg
	// With one configured token, readiness checks it.
	ready := &readiness{ttl: 30 * time.Second}
	if !a.svc.PerUserTokens() {
		ready.svc = a.svc
	}
	return httpserver.New(a.mcp, a.calls, bound, httpserver.Options{
		SSE:                cfg.Transport == "sse",
		Stateless:          cfg.Stateless,
		AuthToken:          cfg.AuthToken,
		AllowedHosts:       cfg.AllowedHosts,
		AllowedOrigins:     cfg.AllowedOrigins,
		PerUserTokens:      cfg.TokenSource == "header",
		MaxSessions:        cfg.MaxSessions,
		SessionIdleTimeout: cfg.SessionIdleTimeout,
		MaxBodyBytes:       cfg.MaxBodyBytes,
		BodyReadTimeout:    cfg.BodyReadTimeout,
		ShutdownTimeout:    cfg.ShutdownTimeout,
		Ready:              ready.serve,
		Logger:             a.logger.With("component", "http"),
	})
}

// readiness answers /readyz: the configuration is valid (or the server
// would not run) and, with one configured token, HubSpot is reachable and
// accepts it. The HubSpot check costs one call of the budget and is cached
// for ttl, so probes cannot drain the budget.
type readiness struct {
	svc *inbox.Service // nil with per-user tokens
	ttl time.Duration

	mu      sync.Mutex
	checked time.Time
	err     error
}

func (rd *readiness) serve(w http.ResponseWriter, r *http.Request) {
	status, body := http.StatusOK, map[string]string{"status": "ready"}
	if err := rd.check(r.Context()); err != nil {
		status, body = http.StatusServiceUnavailable, map[string]string{"status": "not ready", "reason": err.Error()}
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}

func (rd *readiness) check(ctx context.Context) error {
	if rd.svc == nil {
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
	_, err := rd.svc.ListInboxes(ctx, &hubspot.ListInboxesOptions{ListOptions: hubspot.ListOptions{Limit: 1}})
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
	case view.Unauthorized:
		return errors.New("HubSpot refused the access token (" + strings.TrimPrefix(fail.Answered(), "HubSpot answered ") + "): " + view.FixToken)
	case view.Forbidden:
		return errors.New("HubSpot refused the access token (" + strings.TrimPrefix(fail.Answered(), "HubSpot answered ") + "): it lacks conversations.read; " + view.AddScope("conversations.read"))
	case view.RateLimited, view.DailyLimit, view.BudgetSpent:
		// Rate limited means reachable and accepted.
		return nil
	case view.NotFound, view.Unavailable, view.Rejected:
		return errors.New(fail.Answered())
	}
	return errors.New("HubSpot is unreachable")
}

// healthcheck asks a running HTTP server's /healthz, for container health
// checks: the image has no shell and no curl.
func healthcheck(ctx context.Context, cfg *Config) error {
	if cfg.Transport == "stdio" {
		// Nothing listens: a stdio server is alive while its client holds it.
		return nil
	}
	host, port, err := net.SplitHostPort(cfg.Addr)
	if err != nil {
		return fmt.Errorf("MCP_ADDR %q: %w", cfg.Addr, err)
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "127.0.0.1"
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+net.JoinHostPort(host, port)+"/healthz", nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("healthcheck: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("healthcheck: /healthz answered %d", resp.StatusCode)
	}
	return nil
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

// withBudgetProgress returns ctx with an inbox.WaitObserver sending the
// progress, and a func to call before answering.
func withBudgetProgress(ctx context.Context, meta *mcp.Meta) (context.Context, func()) {
	if meta == nil || meta.ProgressToken == nil {
		return ctx, func() {}
	}
	n := mcpadapt.NewNotifier(ctx)
	if n == nil {
		return ctx, func() {}
	}
	token := meta.ProgressToken
	var sent atomic.Int64
	obs := func(left time.Duration) {
		secs := int(math.Ceil(left.Seconds()))
		_ = n.Notify(mcp.MethodNotificationProgress, map[string]any{
			"progressToken": token,
			"progress":      sent.Add(1),
			"message":       fmt.Sprintf("Waiting for the HubSpot rate budget: this call's turn comes in %ds.", secs),
		})
	}
	return inbox.WithWaitObserver(ctx, obs), n.Settle
}
