// Package httpserver serves an MCP server over HTTP: the Streamable HTTP
// transport at /mcp or the legacy HTTP+SSE transport at /sse and /message,
// behind the protections every request goes through (DNS-rebinding check,
// bearer token, body limits, per-user HubSpot tokens, session caps,
// JSON-RPC batches, logged refusals), with /healthz and a graceful
// shutdown that waits for the calls in flight and answers those it must
// cut off.
//
// It knows the MCP server only through mcp-go: it imports nothing of the
// tools, resources or prompts.
package httpserver

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
	"sync"
	"sync/atomic"
	"time"

	"github.com/mark3labs/mcp-go/server"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot"
	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/inbox"
	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/mcpadapt"
)

// cutOffGrace is how long calls cut off at the shutdown timeout have to
// write their JSON-RPC errors, and SSE streams to write what is queued,
// before the connections close.
const cutOffGrace = 2 * time.Second

// TokenHeader carries a user's HubSpot token when each request brings its
// own (Options.PerUserTokens).
const TokenHeader = "X-HubSpot-Access-Token"

// Options configure a Server; the environment variable behind each is
// named in the messages that refer to it.
type Options struct {
	// SSE serves the legacy HTTP+SSE transport instead of Streamable HTTP.
	SSE bool
	// Stateless serves Streamable HTTP without sessions (MCP_STATELESS).
	Stateless bool
	// AuthToken, when set, is the bearer token every client must send.
	AuthToken string
	// AllowedHosts and AllowedOrigins extend the DNS-rebinding check.
	AllowedHosts, AllowedOrigins []string
	// PerUserTokens makes every request bring its user's HubSpot token in
	// TokenHeader (HUBSPOT_TOKEN_SOURCE=header).
	PerUserTokens bool
	// MaxSessions caps sessions and listen streams (MCP_MAX_SESSIONS).
	MaxSessions int
	// SessionIdleTimeout ends idle Streamable HTTP sessions.
	SessionIdleTimeout time.Duration
	// MaxBodyBytes and BodyReadTimeout bound a request body.
	MaxBodyBytes    int64
	BodyReadTimeout time.Duration
	// ReclaimIdle is how long a session must have been idle before a
	// newcomer may take its slot at MaxSessions; zero means a minute, or
	// SessionIdleTimeout if shorter.
	ReclaimIdle time.Duration
	// ShutdownTimeout bounds how long calls in flight may finish.
	ShutdownTimeout time.Duration
	// Ready answers /readyz; nil answers 200.
	Ready  http.HandlerFunc
	Logger *slog.Logger
}

// Server is the HTTP side of an MCP server.
type Server struct {
	opts   Options
	logger *slog.Logger
	calls  *Calls
	bound  net.Addr
	// refusals logs the requests the protections refuse.
	refusals *refusalLog
	// sessions counts the open MCP sessions, from mcp-go's hooks.
	sessions atomic.Int64

	streamable *server.StreamableHTTPServer
	ids        *sessionIDs  // stateful Streamable HTTP and SSE
	sseCancels sync.Map     // SSE session ID → func ending its stream
	listens    atomic.Int64 // open subscriptions/listen streams
	sse        *server.SSEServer
	sseStreams *mcpadapt.SSEStreams
}

// New serves mcp, whose calls calls counts (see NewCalls), for a listener
// bound to bound. mcp must have been built with server.WithHooks: the
// server adds its session hooks there.
func New(mcp *server.MCPServer, calls *Calls, bound net.Addr, opts Options) (*Server, error) {
	hooks := mcp.GetHooks()
	if hooks == nil {
		return nil, errors.New("httpserver: the MCP server has no hooks (server.WithHooks)")
	}
	hs := &Server{opts: opts, logger: opts.Logger, calls: calls, bound: bound, refusals: newRefusalLog(opts.Logger)}
	hooks.AddOnRegisterSession(func(context.Context, server.ClientSession) { hs.sessions.Add(1) })
	hooks.AddOnUnregisterSession(func(context.Context, server.ClientSession) { hs.sessions.Add(-1) })
	reclaim := opts.ReclaimIdle
	if reclaim == 0 {
		reclaim = min(reclaimIdle, max(opts.SessionIdleTimeout, time.Second))
	}
	if opts.SSE {
		hs.ids = newSessionIDs(opts.MaxSessions, reclaim)
		hs.ids.end = hs.endSSEStream
		calls.sessions = hs.ids
		hs.sseStreams = mcpadapt.NewSSEStreams(hooks)
		hs.sse = server.NewSSEServer(mcp,
			server.WithSSEEndpoint("/sse"),
			server.WithSessionIDGenerator(hs.sseSessionID),
			server.WithMessageEndpoint("/message"),
			server.WithKeepAliveInterval(25*time.Second),
			// checkHost does the DNS-rebinding check, MCP_ALLOWED_HOSTS
			// included, and logs its refusals.
			server.WithSSEDisableLocalhostProtection(true),
		)
		return hs, nil
	}
	sopts := []server.StreamableHTTPOption{
		server.WithStreamableHTTPLogger(opts.Logger),
		server.WithSessionIdleTTL(opts.SessionIdleTimeout),
		server.WithDisableLocalhostProtection(true), // checkHost does it
	}
	if opts.Stateless {
		sopts = append(sopts, server.WithStateLess(true))
	} else {
		hs.ids = newSessionIDs(opts.MaxSessions, reclaim)
		calls.sessions = hs.ids
		sopts = append(sopts, server.WithSessionIdManager(hs.ids))
		hooks.AddOnRegisterSession(hs.forgetUnknown)
	}
	hs.streamable = server.NewStreamableHTTPServer(mcp, sopts...)
	if hs.ids != nil {
		hs.ids.end = hs.endSession
	}
	return hs, nil
}

// Serve serves on ln until ctx ends, then shuts down gracefully (see
// shutdown). It returns nil on a clean shutdown.
func (hs *Server) Serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{
		Handler:           hs.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(hs.logger.Handler(), slog.LevelWarn),
		// No WriteTimeout: responses stream.
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	return hs.shutdown(srv, errc)
}

// Sessions returns how many MCP sessions are open.
func (hs *Server) Sessions() int { return int(hs.sessions.Load()) }

// Endpoint is the path clients connect to.
func (hs *Server) Endpoint() string {
	if hs.sse != nil {
		return "/sse"
	}
	return "/mcp"
}

// Handler routes the MCP endpoints through the protections, and health
// and readiness around them (no auth: they reveal nothing).
func (hs *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	if hs.opts.Ready != nil {
		mux.HandleFunc("GET /readyz", hs.opts.Ready)
	} else {
		mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, http.StatusOK, map[string]string{"status": "ready"})
		})
	}
	protect := func(h http.Handler) http.Handler {
		return hs.checkHost(hs.authenticate(hs.limitBody(hs.userToken(hs.capSessions(h)))))
	}
	if hs.sse != nil {
		mux.Handle("/sse", protect(hs.sseStreams.Stream(hs.sse.SSEHandler())))
		mux.Handle("/message", protect(hs.batches(withoutQuestions(hs.sse.MessageHandler(), mcpadapt.NoQuestionsSSE))))
	} else {
		var h http.Handler = hs.streamable
		if hs.opts.Stateless {
			h = withoutQuestions(h, mcpadapt.NoQuestionsStateless)
		}
		mux.Handle("/mcp", protect(hs.batches(h)))
	}
	return mux
}

// withoutQuestions marks requests that cannot carry a question to the
// client, for the reason why: those of the legacy SSE transport and of
// Streamable HTTP without sessions (see mcpadapt.WithoutQuestions).
func withoutQuestions(next http.Handler, why string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r.WithContext(mcpadapt.WithoutQuestions(r.Context(), why)))
	})
}

// checkHost rejects requests whose Host or Origin is not allowed, against
// DNS rebinding: on a loopback address (the server's, or the one a request
// arrived on, as behind a reverse proxy on the same machine), Host must be
// a loopback name unless MCP_ALLOWED_HOSTS lists it; a browser Origin must
// be loopback (on a loopback address) or listed in MCP_ALLOWED_ORIGINS.
// It is the only such check (mcp-go's own is off), so every refusal is
// logged.
func (hs *Server) checkHost(next http.Handler) http.Handler {
	boundLoopback := isLoopbackAddr(hs.bound)
	allowedHost := func(host string, loopback bool) bool {
		name := host
		if h, _, err := net.SplitHostPort(host); err == nil {
			name = h
		}
		if slices.ContainsFunc(hs.opts.AllowedHosts, func(a string) bool { return strings.EqualFold(a, name) || strings.EqualFold(a, host) }) {
			return true
		}
		if len(hs.opts.AllowedHosts) > 0 && !loopback {
			return false
		}
		return !loopback || IsLoopback(strings.Trim(name, "[]"))
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

func (hs *Server) allowedOrigin(origin string, loopback bool) bool {
	if slices.ContainsFunc(hs.opts.AllowedOrigins, func(a string) bool { return strings.EqualFold(strings.TrimRight(a, "/"), origin) }) {
		return true
	}
	u, err := url.Parse(origin)
	return err == nil && loopback && IsLoopback(strings.Trim(u.Hostname(), "[]"))
}

// authenticate requires Authorization: Bearer <MCP_AUTH_TOKEN> when set,
// compared in constant time. The scheme is case-insensitive (RFC 9110).
func (hs *Server) authenticate(next http.Handler) http.Handler {
	if hs.opts.AuthToken == "" {
		return next
	}
	want := sha256.Sum256([]byte(hs.opts.AuthToken))
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
func (hs *Server) userToken(next http.Handler) http.Handler {
	if !hs.opts.PerUserTokens {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tok := strings.TrimSpace(r.Header.Get(TokenHeader))
		if tok == "" {
			// The SSE stream itself makes no HubSpot calls; the messages do.
			if hs.sse != nil && r.Method == http.MethodGet {
				next.ServeHTTP(w, r)
				return
			}
			hs.refusals.log(r, "no "+TokenHeader+" header", "status", http.StatusUnauthorized)
			rejectRequest(w, http.StatusUnauthorized, "missing "+TokenHeader+" header: each request must carry its user's HubSpot access token")
			return
		}
		if _, err := hubspot.NormalizeToken(tok); err != nil {
			status := http.StatusUnauthorized
			if errors.Is(err, hubspot.ErrTokenTooLong) {
				status = http.StatusRequestHeaderFieldsTooLarge
			}
			hs.refusals.log(r, "malformed "+TokenHeader+" header", "status", status)
			rejectRequest(w, status, TokenHeader+": "+err.Error())
			return
		}
		next.ServeHTTP(w, r.WithContext(inbox.ContextWithToken(r.Context(), tok)))
	})
}

// capSessions holds MCP_MAX_SESSIONS through sessionIDs: on Streamable
// HTTP (admitStreamable, which caps listen streams too) and on SSE
// (admitSSE).
func (hs *Server) capSessions(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if hs.sse == nil {
			hs.admitStreamable(w, r, next)
			return
		}
		hs.admitSSE(w, r, next)
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
// (counted by Calls' handler middleware) up to the shutdown timeout, cuts
// off those still running (each answers a JSON-RPC error), lets the
// answers reach their clients (http.Server.Shutdown waits for the POSTs;
// SSE streams write what is queued), then closes the streams.
func (hs *Server) shutdown(srv *http.Server, errc <-chan error) error {
	calls := hs.calls
	hs.logger.Info("shutting down: refusing new connections, letting in-flight calls finish",
		"in_flight", calls.count(), "sessions", hs.Sessions(), "timeout", hs.opts.ShutdownTimeout)
	ctx, cancel := context.WithTimeout(context.Background(), hs.opts.ShutdownTimeout)
	defer cancel()
	// The server waits for its POST handlers, cut-off ones included.
	srvCtx, srvCancel := context.WithTimeout(context.Background(), hs.opts.ShutdownTimeout+cutOffGrace)
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
		hs.sseStreams.Drain(grace, hs.sse)
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
		hs.logger.Warn("shutdown timed out; calls still running were cut off with a JSON-RPC error", "in_flight", calls.count())
		return nil
	}
	hs.logger.Info("shut down cleanly")
	return nil
}

// IsLoopback tells whether a listen host is a loopback address. An empty
// host (":8080") listens on every interface.
func IsLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(strings.Trim(host, "[]"))
	return ip != nil && ip.IsLoopback()
}
