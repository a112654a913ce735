package main

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/sethvargo/go-envconfig"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/httpserver"
	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot"
)

// rawInitialize posts a 2025-11-25 initialize, with an Mcp-Session-Id
// header when sessionID is not empty, and returns the status and the
// session ID the server minted.
func rawInitialize(t *testing.T, url, sessionID string) (int, string) {
	t.Helper()
	body := `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"raw","version":"1"}}}`
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, url+"/mcp", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json, text/event-stream")
	if sessionID != "" {
		req.Header.Set("Mcp-Session-Id", sessionID)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode, resp.Header.Get("Mcp-Session-Id")
}

// initialized sends notifications/initialized in a session.
func initialized(t *testing.T, url, sessionID string) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, url+"/mcp", strings.NewReader(`{"jsonrpc":"2.0","method":"notifications/initialized"}`))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json, text/event-stream")
	req.Header.Set("MCP-Protocol-Version", "2025-11-25")
	req.Header.Set("Mcp-Session-Id", sessionID)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusAccepted {
		t.Fatalf("notifications/initialized: HTTP %d", resp.StatusCode)
	}
}

// rawStream opens a GET stream; it stays open until the test ends or
// close is called.
func rawStream(t *testing.T, url, sessionID string) (status int, body string, close func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url+"/mcp", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Accept", "text/event-stream")
	req.Header.Set("MCP-Protocol-Version", "2025-11-25")
	if sessionID != "" {
		req.Header.Set("Mcp-Session-Id", sessionID)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		cancel()
		return resp.StatusCode, string(b), func() {}
	}
	t.Cleanup(func() { cancel(); resp.Body.Close() })
	return resp.StatusCode, "", func() { cancel(); resp.Body.Close() }
}

// TestHTTP_SessionCapCountsEverySession: an initialize takes a session
// slot whatever headers it carries, GET streams need an open session and
// are capped per session, and a DELETE frees a slot.
func TestHTTP_SessionCapCountsEverySession(t *testing.T) {
	t.Parallel()
	_, url := startTestSandbox(t)
	p := startServer(t, "MCP_TRANSPORT=http", "HUBSPOT_BASE_URL="+url, "HUBSPOT_ACCESS_TOKEN=tok", "MCP_MAX_SESSIONS=3")

	bogus := "mcp-session-00000000-0000-0000-0000-000000000000"
	var sessions []string
	for i := range 3 {
		status, id := rawInitialize(t, p.url, bogus)
		if status != http.StatusOK || id == "" || id == bogus {
			t.Fatalf("initialize %d with an Mcp-Session-Id header: HTTP %d, session %q", i, status, id)
		}
		sessions = append(sessions, id)
		initialized(t, p.url, id) // in use: no newcomer may take its slot
	}
	for _, header := range []string{bogus, ""} {
		if status, _ := rawInitialize(t, p.url, header); status != http.StatusServiceUnavailable {
			t.Errorf("initialize over MCP_MAX_SESSIONS (header %q): HTTP %d, want 503", header, status)
		}
	}
	if _, err := connectHTTP(t, p, "http", "2025-11-25", nil); err == nil {
		t.Error("a client connected over MCP_MAX_SESSIONS")
	}

	// GET streams create no sessions and are capped per session.
	if status, body, _ := rawStream(t, p.url, ""); status != http.StatusBadRequest {
		t.Errorf("GET without a session: HTTP %d %s, want 400", status, body)
	}
	if status, body, _ := rawStream(t, p.url, bogus); status != http.StatusNotFound {
		t.Errorf("GET with an unknown session: HTTP %d %s, want 404", status, body)
	}
	var closeFirst func()
	for i := range httpserver.MaxStreamsPerSession {
		status, body, closeStream := rawStream(t, p.url, sessions[0])
		if status != http.StatusOK {
			t.Fatalf("GET stream %d: HTTP %d %s", i, status, body)
		}
		if i == 0 {
			closeFirst = closeStream
		}
	}
	if status, body, _ := rawStream(t, p.url, sessions[0]); status != http.StatusConflict || !strings.Contains(body, "GET streams") {
		t.Errorf("GET stream over the cap: HTTP %d %s, want 409", status, body)
	}
	closeFirst()
	// The server sees the stream end when its handler returns; retry
	// until then, a bounded number of times.
	reopened := false
	for range 200 {
		if status, _, _ := rawStream(t, p.url, sessions[0]); status == http.StatusOK {
			reopened = true
			break
		}
	}
	if !reopened {
		t.Error("a closed GET stream's place was not freed")
	}

	// Ending a session frees its slot.
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodDelete, p.url+"/mcp", nil)
	req.Header.Set("Mcp-Session-Id", sessions[1])
	req.Header.Set("MCP-Protocol-Version", "2025-11-25")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("DELETE: HTTP %d", resp.StatusCode)
	}
	if _, err := connectHTTP(t, p, "http", "2025-11-25", nil); err != nil {
		t.Errorf("a client could not connect after a session ended: %v", err)
	}
}

// TestHTTP_RefusesAnOverlongToken: an X-HubSpot-Access-Token over
// hubspot.MaxTokenLength gets 431, naming the header and the limit, and
// never reaches a HubSpot client.
func TestHTTP_RefusesAnOverlongToken(t *testing.T) {
	t.Parallel()
	_, url := startTestSandbox(t)
	p := startServer(t, "MCP_TRANSPORT=http", "HUBSPOT_TOKEN_SOURCE=header", "HUBSPOT_BASE_URL="+url)
	for _, tc := range []struct {
		token string
		want  int
	}{
		{strings.Repeat("x", hubspot.MaxTokenLength), http.StatusOK},
		{strings.Repeat("x", hubspot.MaxTokenLength+1), http.StatusRequestHeaderFieldsTooLarge},
		{"Bearer " + strings.Repeat("x", 30<<10), http.StatusRequestHeaderFieldsTooLarge},
	} {
		body := `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"raw","version":"1"}}}`
		req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, p.url+"/mcp", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "application/json, text/event-stream")
		req.Header.Set(httpserver.TokenHeader, tc.token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tc.want {
			t.Errorf("a %d-byte token: HTTP %d %s, want %d", len(tc.token), resp.StatusCode, b, tc.want)
		}
		if tc.want != http.StatusOK && (!strings.Contains(string(b), httpserver.TokenHeader) || !strings.Contains(string(b), "4096") || strings.Contains(string(b), "xxxx")) {
			t.Errorf("refusal %s: want the header and the limit named, and no token", b)
		}
	}
}

// TestHTTP_BareInitializesLockNoClientOut: when MCP_MAX_SESSIONS are open
// and some made no request after their initialize, a new client takes the
// oldest one's slot, and mcp-go forgets it; a session in use is never
// taken.
func TestHTTP_BareInitializesLockNoClientOut(t *testing.T) {
	t.Parallel()
	env := map[string]string{"MCP_TRANSPORT": "http", "HUBSPOT_SANDBOX": "true", "MCP_MAX_SESSIONS": "3"}
	cfg, _, err := loadConfig(t.Context(), nil, envconfig.MapLookuper(env), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	a, err := newApp(t.Context(), cfg, slog.New(slog.DiscardHandler), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(a.Close)
	hs, err := httpserver.New(a.mcp, a.calls, &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1)}, httpserver.Options{
		MaxSessions: 3, SessionIdleTimeout: time.Minute, MaxBodyBytes: 1 << 20, BodyReadTimeout: 10 * time.Second,
		ShutdownTimeout: time.Second, Logger: slog.New(slog.DiscardHandler),
		HalfOpenGrace: time.Nanosecond, // no waiting in a test
	})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(hs.Handler())
	t.Cleanup(srv.Close) // after the client's cleanup closes its stream
	p := &serverProc{url: srv.URL}

	var bare []string
	for range 3 {
		status, id := rawInitialize(t, srv.URL, "")
		if status != http.StatusOK {
			t.Fatalf("initialize: HTTP %d", status)
		}
		bare = append(bare, id)
	}
	cs, err := connectHTTP(t, p, "http", "2025-11-25", nil)
	if err != nil {
		t.Fatalf("a client was locked out by bare initializes: %v", err)
	}
	if n := hs.Sessions(); n != 3 {
		t.Errorf("%d sessions open, want 3", n)
	}
	// The oldest bare session is gone, for mcp-go too.
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, srv.URL+"/mcp", strings.NewReader(`{"jsonrpc":"2.0","id":2,"method":"ping"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json, text/event-stream")
	req.Header.Set("Mcp-Session-Id", bare[0])
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("the evicted session: HTTP %d, want 404", resp.StatusCode)
	}
	if n := hs.Sessions(); n != 3 {
		t.Errorf("mcp-go holds %d sessions, want 3", n)
	}
	// More bare initializes take each other's slots, never the client's.
	for range 10 {
		if status, _ := rawInitialize(t, srv.URL, ""); status != http.StatusOK {
			t.Fatalf("initialize: HTTP %d", status)
		}
	}
	if _, err := cs.ListTools(t.Context(), nil); err != nil {
		t.Errorf("the client lost its session: %v", err)
	}
}

// TestHTTP_StatelessOffersNoGETStream: without sessions a GET gets 405,
// as the specification allows, instead of a stream every client shares.
func TestHTTP_StatelessOffersNoGETStream(t *testing.T) {
	t.Parallel()
	_, url := startTestSandbox(t)
	p := startServer(t, "MCP_TRANSPORT=http", "HUBSPOT_BASE_URL="+url, "HUBSPOT_ACCESS_TOKEN=tok", "MCP_STATELESS=true", "MCP_CONFIRM_SECRET="+testConfirmSecret)
	if status, body, _ := rawStream(t, p.url, ""); status != http.StatusMethodNotAllowed || !strings.Contains(body, "MCP_STATELESS") {
		t.Errorf("GET on a stateless server: HTTP %d %s, want 405", status, body)
	}
}
