package main

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/mark3labs/mcp-go/server"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot"
)

// cutOffGrace is how long calls cut off at MCP_SHUTDOWN_TIMEOUT have to
// write their JSON-RPC errors, and SSE streams to write what is queued,
// before the connections close.
const cutOffGrace = 2 * time.Second

// tokenHeader carries a user's HubSpot token with HUBSPOT_TOKEN_SOURCE=header.
const tokenHeader = "X-HubSpot-Access-Token"

// httpServer is the HTTP side of the app: the MCP endpoint(s), health and
// readiness, behind the protections every request goes through.
type httpServer struct {
	a     *app
	bound net.Addr
	ready *readiness
	// refusals logs the requests the protections refuse.
	refusals *refusalLog

	streamable *server.StreamableHTTPServer
	ids        *sessionIDs  // stateful Streamable HTTP only
	listens    atomic.Int64 // open subscriptions/listen streams
	sse        *server.SSEServer
	sseStreams *sseStreams
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
	hs := newHTTPServer(a, ln.Addr())
	srv := &http.Server{
		Handler:           hs.handler(),
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(a.logger.Handler(), slog.LevelWarn),
		// No WriteTimeout: responses stream.
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	a.logger.InfoContext(ctx, "serving MCP over HTTP", "transport", a.cfg.Transport, "addr", ln.Addr().String(),
		"endpoint", hs.endpoint(), "auth", a.cfg.AuthToken != "", "token_source", a.cfg.TokenSource, "version", version)
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	return hs.shutdown(srv, errc)
}

func newHTTPServer(a *app, bound net.Addr) *httpServer {
	hs := &httpServer{a: a, bound: bound, refusals: newRefusalLog(a.logger.With("component", "http"))}
	hs.ready = &readiness{a: a, ttl: 30 * time.Second}
	switch a.cfg.Transport {
	case "sse":
		hs.sseStreams = newSSEStreams(a.hooks)
		hs.sse = server.NewSSEServer(a.mcp,
			server.WithSSEEndpoint("/sse"),
			server.WithMessageEndpoint("/message"),
			server.WithKeepAliveInterval(25*time.Second),
			// checkHost does the DNS-rebinding check, MCP_ALLOWED_HOSTS
			// included, and logs its refusals.
			server.WithSSEDisableLocalhostProtection(true),
		)
	default:
		opts := []server.StreamableHTTPOption{
			server.WithStreamableHTTPLogger(a.logger.With("component", "http")),
			server.WithSessionIdleTTL(a.cfg.SessionIdleTimeout),
			server.WithDisableLocalhostProtection(true), // checkHost does it

		}
		if a.cfg.Stateless {
			opts = append(opts, server.WithStateLess(true))
		} else {
			hs.ids = newSessionIDs(a.cfg.MaxSessions)
			opts = append(opts, server.WithSessionIdManagerResolver(hs.ids))
		}
		hs.streamable = server.NewStreamableHTTPServer(a.mcp, opts...)
	}
	return hs
}

func (hs *httpServer) endpoint() string {
	if hs.sse != nil {
		return "/sse"
	}
	return "/mcp"
}

// handler routes the MCP endpoints through the protections, and health
// and readiness around them (no auth: they reveal nothing).
func (hs *httpServer) handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	mux.HandleFunc("GET /readyz", hs.ready.serve)
	protect := func(h http.Handler) http.Handler {
		return hs.checkHost(hs.authenticate(hs.limitBody(hs.userToken(hs.capSessions(h)))))
	}
	if hs.sse != nil {
		mux.Handle("/sse", protect(hs.sseStreams.stream(hs.sse.SSEHandler())))
		mux.Handle("/message", protect(hs.batches(hs.sse.MessageHandler())))
	} else {
		mux.Handle("/mcp", protect(hs.batches(hs.streamable)))
	}
	return mux
}

// checkHost rejects requests whose Host or Origin is not allowed, against
// DNS rebinding: on a loopback address (the server's, or the one a request
// arrived on, as behind a reverse proxy on the same machine), Host must be
// a loopback name unless MCP_ALLOWED_HOSTS lists it; a browser Origin must
// be loopback (on a loopback address) or listed in MCP_ALLOWED_ORIGINS.
// It is the only such check (mcp-go's own is off), so every refusal is
// logged.
func (hs *httpServer) checkHost(next http.Handler) http.Handler {
	boundLoopback := isLoopbackAddr(hs.bound)
	allowedHost := func(host string, loopback bool) bool {
		name := host
		if h, _, err := net.SplitHostPort(host); err == nil {
			name = h
		}
		if slices.ContainsFunc(hs.a.cfg.AllowedHosts, func(a string) bool { return strings.EqualFold(a, name) || strings.EqualFold(a, host) }) {
			return true
		}
		if len(hs.a.cfg.AllowedHosts) > 0 && !loopback {
			return false
		}
		return !loopback || isLoopback(strings.Trim(name, "[]"))
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		local, _ := r.Context().Value(http.LocalAddrContextKey).(net.Addr)
		loopback := boundLoopback || (local != nil && isLoopbackAddr(local))
		if !allowedHost(r.Host, loopback) {
			hs.refusals.log(r, "Host not allowed (MCP_ALLOWED_HOSTS)", "status", http.StatusForbidden)
			rejectRequest(w, http.StatusForbidden, fmt.Sprintf("Host %q is not allowed: list it in MCP_ALLOWED_HOSTS", r.Host))
			return
		}
		if origin := r.Header.Get("Origin"); origin != "" && !hs.allowedOrigin(origin, loopback) {
			hs.refusals.log(r, "Origin not allowed (MCP_ALLOWED_ORIGINS)", "status", http.StatusForbidden)
			rejectRequest(w, http.StatusForbidden, fmt.Sprintf("Origin %q is not allowed: list it in MCP_ALLOWED_ORIGINS", origin))
			return
		}
		next.ServeHTTP(w, r)
	})
}

func (hs *httpServer) allowedOrigin(origin string, loopback bool) bool {
	if slices.ContainsFunc(hs.a.cfg.AllowedOrigins, func(a string) bool { return strings.EqualFold(strings.TrimRight(a, "/"), origin) }) {
		return true
	}
	u, err := url.Parse(origin)
	return err == nil && loopback && isLoopback(strings.Trim(u.Hostname(), "[]"))
}

// authenticate requires Authorization: Bearer <MCP_AUTH_TOKEN> when set,
// compared in constant time. The scheme is case-insensitive (RFC 9110).
func (hs *httpServer) authenticate(next http.Handler) http.Handler {
	if hs.a.cfg.AuthToken == "" {
		return next
	}
	want := sha256.Sum256([]byte(hs.a.cfg.AuthToken))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		scheme, got, _ := strings.Cut(strings.TrimSpace(r.Header.Get("Authorization")), " ")
		sum := sha256.Sum256([]byte(strings.TrimSpace(got)))
		if !strings.EqualFold(scheme, "Bearer") || subtle.ConstantTimeCompare(sum[:], want[:]) != 1 {
			reason := "wrong bearer token"
			switch {
			case scheme == "":
				reason = "no Authorization header"
			case !strings.EqualFold(scheme, "Bearer"):
				reason = "Authorization scheme is not Bearer"
			}
			hs.refusals.log(r, reason, "status", http.StatusUnauthorized)
			w.Header().Set("WWW-Authenticate", `Bearer realm="hubspot-conversations-mcp"`)
			rejectRequest(w, http.StatusUnauthorized, "missing or wrong bearer token: send Authorization: Bearer <MCP_AUTH_TOKEN>")
			return
		}
		next.ServeHTTP(w, r)
	})
}

// userToken puts the request's HubSpot token in its context when each user
// brings their own (HUBSPOT_TOKEN_SOURCE=header).
func (hs *httpServer) userToken(next http.Handler) http.Handler {
	if hs.a.cfg.TokenSource != "header" {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tok := strings.TrimSpace(r.Header.Get(tokenHeader))
		if tok == "" {
			// The SSE stream itself makes no HubSpot calls; the messages do.
			if hs.sse != nil && r.Method == http.MethodGet {
				next.ServeHTTP(w, r)
				return
			}
			hs.refusals.log(r, "no "+tokenHeader+" header", "status", http.StatusUnauthorized)
			rejectRequest(w, http.StatusUnauthorized, "missing "+tokenHeader+" header: each request must carry its user's HubSpot access token")
			return
		}
		if _, err := hubspot.NormalizeToken(tok); err != nil {
			status := http.StatusUnauthorized
			if errors.Is(err, hubspot.ErrTokenTooLong) {
				status = http.StatusRequestHeaderFieldsTooLarge
			}
			hs.refusals.log(r, "malformed "+tokenHeader+" header", "status", status)
			rejectRequest(w, status, tokenHeader+": "+err.Error())
			return
		}
		next.ServeHTTP(w, r.WithContext(hubspot.ContextWithToken(r.Context(), tok)))
	})
}

// capSessions holds MCP_MAX_SESSIONS: on Streamable HTTP through its
// session IDs and listen streams (admitStreamable), on SSE by refusing a
// new stream while the cap's sessions are open.
func (hs *httpServer) capSessions(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if hs.sse == nil {
			hs.admitStreamable(w, r, next)
			return
		}
		if r.Method == http.MethodGet && r.URL.Path == "/sse" && hs.a.sessions.Load() >= int64(hs.a.cfg.MaxSessions) {
			tooManySessions(w, hs.a.cfg.MaxSessions)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// isInitialize peeks at a POST body for an initialize request and restores it.
func isInitialize(r *http.Request) bool {
	body, err := readAndRestore(r)
	if err != nil {
		return false
	}
	var msg struct {
		Method string `json:"method"`
	}
	return json.Unmarshal(body, &msg) == nil && msg.Method == "initialize"
}

// rejectRequest answers with a JSON-RPC error body and an HTTP status.
func rejectRequest(w http.ResponseWriter, status int, message string) {
	writeJSON(w, status, map[string]any{
		"jsonrpc": "2.0", "id": nil,
		"error": map[string]any{"code": -32001, "message": message},
	})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func isLoopbackAddr(a net.Addr) bool {
	if tcp, ok := a.(*net.TCPAddr); ok {
		return tcp.IP.IsLoopback()
	}
	return false
}

// shutdown stops accepting connections, waits for the calls in flight
// (counted from mcp-go's hooks) up to MCP_SHUTDOWN_TIMEOUT, cuts off those
// still running (each answers a JSON-RPC error), lets the answers reach
// their clients (http.Server.Shutdown waits for the POSTs; SSE streams
// write what is queued), then closes the streams.
func (hs *httpServer) shutdown(srv *http.Server, errc <-chan error) error {
	a := hs.a
	calls := a.inflight
	a.logger.Info("shutting down: refusing new connections, letting in-flight calls finish",
		"in_flight", calls.count(), "timeout", a.cfg.ShutdownTimeout)
	ctx, cancel := context.WithTimeout(context.Background(), a.cfg.ShutdownTimeout)
	defer cancel()
	// The server waits for its POST handlers, cut-off ones included.
	srvCtx, srvCancel := context.WithTimeout(context.Background(), a.cfg.ShutdownTimeout+cutOffGrace)
	defer srvCancel()
	done := make(chan error, 1)
	go func() { done <- srv.Shutdown(srvCtx) }()
	finished := calls.wait(ctx)
	grace, graceCancel := context.WithTimeout(context.Background(), cutOffGrace)
	defer graceCancel()
	if !finished {
		calls.cutOff()
		calls.wait(grace)
	}
	if hs.sse != nil {
		hs.sseStreams.flush(grace, hs.sse)
		hs.sse.CloseSessions()
	}
	if hs.streamable != nil {
		hs.streamable.CloseSessions(grace)
	}
	err := <-done
	if errors.Is(err, context.DeadlineExceeded) {
		_ = srv.Close()
	}
	<-errc
	if !finished {
		a.logger.Warn("shutdown timed out; calls still running were cut off with a JSON-RPC error", "in_flight", calls.count())
		return nil
	}
	a.logger.Info("shut down cleanly")
	return nil
}
