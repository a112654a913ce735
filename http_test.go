package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	gomcp "github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/httpserver"
	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot/sandbox"
	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/internal/mcphttptest"
	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/internal/redistest"
)

const testAuthToken = "test-auth-token-0123456789abcdef"

// serverProc is the server binary running an HTTP transport for one test.
type serverProc struct {
	cmd    *exec.Cmd
	url    string // http://127.0.0.1:port
	mu     sync.Mutex
	stderr strings.Builder
	exited chan error
}

func (p *serverProc) log() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.stderr.String()
}

var servingAddr = regexp.MustCompile(`msg="serving MCP over HTTP".* addr=(\S+)`)

// startServer runs the binary with env on a free loopback port and waits
// until it serves.
func startServer(t *testing.T, env ...string) *serverProc {
	t.Helper()
	p := &serverProc{cmd: exec.Command(binPath), exited: make(chan error, 1)}
	p.cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir(), "MCP_ADDR=127.0.0.1:0", "LOG_LEVEL=info"}, env...)
	stderr, err := p.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			p.mu.Lock()
			p.stderr.WriteString(sc.Text() + "\n")
			p.mu.Unlock()
			if m := servingAddr.FindStringSubmatch(sc.Text()); m != nil {
				addr <- m[1]
			}
		}
		p.exited <- p.cmd.Wait()
	}()
	t.Cleanup(func() {
		_ = p.cmd.Process.Kill()
		if t.Failed() {
			t.Logf("server log:\n%s", p.log())
		}
	})
	select {
	case a := <-addr:
		p.url = "http://" + a
	case err := <-p.exited:
		t.Fatalf("server exited: %v\n%s", err, p.log())
	case <-time.After(20 * time.Second):
		t.Fatalf("server did not start\n%s", p.log())
	}
	return p
}

// headerTransport adds headers to every request of the MCP client.
type headerTransport struct {
	base    http.RoundTripper
	headers map[string]string
}

func (h headerTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	for k, v := range h.headers {
		r.Header.Set(k, v)
	}
	return h.base.RoundTrip(r)
}

// connectHTTP connects the official Go SDK client over Streamable HTTP
// (transport "http") or the legacy SSE transport ("sse").
func connectHTTP(t *testing.T, p *serverProc, transport, protocol string, headers map[string]string) (*gomcp.ClientSession, error) {
	t.Helper()
	hc := &http.Client{Transport: headerTransport{base: http.DefaultTransport, headers: headers}}
	var tr gomcp.Transport = &gomcp.StreamableClientTransport{Endpoint: p.url + "/mcp", HTTPClient: hc}
	if transport == "sse" {
		tr = &gomcp.SSEClientTransport{Endpoint: p.url + "/sse", HTTPClient: hc}
	}
	client := gomcp.NewClient(&gomcp.Implementation{Name: "http-e2e", Version: "1"}, nil)
	cs, err := client.Connect(t.Context(), tr, &gomcp.ClientSessionOptions{ProtocolVersion: protocol})
	if err == nil {
		t.Cleanup(func() { _ = cs.Close() })
	}
	return cs, err
}

func bearer(tok string) map[string]string { return map[string]string{"Authorization": "Bearer " + tok} }

// connectForShutdown connects the go-sdk client for a shutdown test. Over
// SSE, the end of the server's stream reaches the client only once release
// is closed (the test closes it when every call has returned, or at
// cleanup, or 30 s after connecting): go-sdk v1.8.0's SSE client drops the events still queued in it
// when its stream ends (mcp/sse.go, sseClientConn.Read answers io.EOF once
// the stream is done, whatever it has queued; 286 of 300 calls answered
// just before the stream ended failed so in a scratch reproduction), and so
// could not tell whether the server wrote every answer before closing the
// stream, which is what the tests check. An answer the server did not write
// still fails its call with EOF once release is closed.
func connectForShutdown(t *testing.T, p *serverProc, transport string) (*gomcp.ClientSession, func()) {
	t.Helper()
	if transport != "sse" {
		cs, err := connectHTTP(t, p, transport, "", nil)
		if err != nil {
			t.Fatal(err)
		}
		return cs, func() {}
	}
	hc, release := mcphttptest.HoldStreamEnds(t)
	client := gomcp.NewClient(&gomcp.Implementation{Name: "http-e2e", Version: "1"}, nil)
	cs, err := client.Connect(t.Context(), &gomcp.SSEClientTransport{Endpoint: p.url + "/sse", HTTPClient: hc},
		&gomcp.ClientSessionOptions{ProtocolVersion: "2024-11-05"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cs.Close() })
	return cs, release
}

func TestHTTP_GoSDKOnBothTransports(t *testing.T) {
	t.Parallel()
	for _, transport := range []string{"http", "sse"} {
		t.Run(transport, func(t *testing.T) {
			t.Parallel()
			p := startServer(t, "HUBSPOT_SANDBOX=true", "MCP_TRANSPORT="+transport, "MCP_AUTH_TOKEN="+testAuthToken)
			protocols := []string{"", "2025-11-25", "2025-03-26"}
			if transport == "sse" {
				protocols = []string{"2024-11-05", "2025-11-25"}
			}
			for _, protocol := range protocols {
				t.Run("protocol "+orLatest(protocol), func(t *testing.T) {
					if _, err := connectHTTP(t, p, transport, protocol, nil); err == nil {
						t.Error("connected without the bearer token")
					}
					if _, err := connectHTTP(t, p, transport, protocol, bearer("wrong-token-0123456789abcdef")); err == nil {
						t.Error("connected with a wrong bearer token")
					}
					cs, err := connectHTTP(t, p, transport, protocol, bearer(testAuthToken))
					if err != nil {
						t.Fatalf("connect: %v", err)
					}
					res, err := cs.ListTools(t.Context(), nil)
					if err != nil {
						t.Fatal(err)
					}
					if len(res.Tools) != len(wantTools) {
						t.Errorf("%d tools listed, want %d", len(res.Tools), len(wantTools))
					}
					th := callOK(t, cs, "get_thread", map[string]any{"threadId": sandbox.EmailThreadID})
					if th["id"] != sandbox.EmailThreadID {
						t.Errorf("get_thread = %v", th)
					}
				})
			}
		})
	}
}

func TestHTTP_ReadinessReportsARefusedToken(t *testing.T) {
	t.Parallel()
	_, url := startTestSandbox(t)
	p := startServer(t, "MCP_TRANSPORT=http", "HUBSPOT_BASE_URL="+url, "HUBSPOT_ACCESS_TOKEN=pat-na1-not-the-right-one")
	resp, err := http.Get(p.url + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 503 || !strings.Contains(string(body), "401") || strings.Contains(string(body), "not-the-right-one") {
		t.Errorf("/readyz = %d %s; want 503 naming the 401 without the token", resp.StatusCode, body)
	}
	if resp, _ := http.Get(p.url + "/healthz"); resp == nil || resp.StatusCode != 200 {
		t.Error("/healthz must stay 200: the process is alive")
	}
}

func TestHTTP_RefusesAnUnauthenticatedPublicAddress(t *testing.T) {
	t.Parallel()
	_, stderr, code := runMain(t, map[string]string{"HUBSPOT_SANDBOX": "true", "MCP_TRANSPORT": "http", "MCP_ADDR": "0.0.0.0:0"})
	if code != 1 || !strings.Contains(stderr, "MCP_AUTH_TOKEN") {
		t.Errorf("exit %d, stderr %q; want a refusal naming MCP_AUTH_TOKEN", code, stderr)
	}
}

// TestHTTP_UsersAreIsolated runs one server for two users who bring their
// own HubSpot tokens: each sees only their own account and spends only
// their own budget.
func TestHTTP_UsersAreIsolated(t *testing.T) {
	t.Parallel()
	sb, url := startTestSandbox(t)
	const acmeToken = "acme-trails-token"
	sb.AddAccount(acmeToken, "Acme Trails Ltd")
	p := startServer(t, "MCP_TRANSPORT=http", "HUBSPOT_TOKEN_SOURCE=header", "HUBSPOT_BASE_URL="+url,
		"HUBSPOT_RATE_LIMIT=4/60s", "HUBSPOT_MAX_WAIT=1s")

	if _, err := connectHTTP(t, p, "http", "", nil); err == nil {
		// The handshake needs no HubSpot call, but the token header is required on every request.
		t.Error("a client without X-HubSpot-Access-Token connected")
	}
	users := map[string]string{sandbox.DefaultToken: sandbox.DefaultCompany, acmeToken: "Acme Trails Ltd"}
	var wg sync.WaitGroup
	for token, company := range users {
		wg.Go(func() {
			cs, err := connectHTTP(t, p, "http", "", map[string]string{httpserver.TokenHeader: token})
			if err != nil {
				t.Errorf("%s: %v", company, err)
				return
			}
			out := callOK(t, cs, "list_inboxes", map[string]any{})
			for _, r := range out["results"].([]any) {
				name := r.(map[string]any)["name"].(string)
				other := slices.ContainsFunc([]string{sandbox.DefaultCompany, "Acme Trails Ltd"}, func(c string) bool {
					return c != company && strings.Contains(name, c)
				})
				if other {
					t.Errorf("%s sees the other account's inbox %q", company, name)
				}
			}
			// Messages are never cached, and list_messages reads no names,
			// so each call is one HubSpot call.
			for range 3 {
				callOK(t, cs, "list_messages", map[string]any{"threadId": sandbox.EmailThreadID})
			}
			text := callError(t, cs, "list_messages", map[string]any{"threadId": sandbox.EmailThreadID})
			if !strings.Contains(text, "budget") {
				t.Errorf("%s: fifth call = %q, want the budget error", company, text)
			}
		})
	}
	wg.Wait()
	perAccount := map[string]int{}
	for _, r := range sb.Requests() {
		perAccount[r.Account]++
	}
	if perAccount[sandbox.DefaultCompany] != 4 || perAccount["Acme Trails Ltd"] != 4 {
		t.Errorf("HubSpot calls per account = %v, want 4 each (each user's own budget of 4)", perAccount)
	}
}

// TestHTTP_ReplicasShareOneBudgetThroughRedis runs two server processes
// with one HubSpot token and one Redis, and counts at the sandbox, as
// HubSpot would, the requests arriving in every window.
func TestHTTP_ReplicasShareOneBudgetThroughRedis(t *testing.T) {
	t.Parallel()
	redisURL := "unix://" + redistest.Start(t)
	sb, url := startTestSandbox(t)
	const budget, window = 5, 1500 * time.Millisecond
	env := []string{"MCP_TRANSPORT=http", "MCP_STATELESS=true", "HUBSPOT_BASE_URL=" + url, "HUBSPOT_ACCESS_TOKEN=" + sandbox.DefaultToken,
		fmt.Sprintf("HUBSPOT_RATE_LIMIT=%d/%s", budget, window), "HUBSPOT_RATE_LIMIT_REDIS_URL=" + redisURL, "MCP_CONFIRM_SECRET=" + testConfirmSecret}
	replicas := []*serverProc{startServer(t, env...), startServer(t, env...)}

	start := time.Now()
	var wg sync.WaitGroup
	for _, p := range replicas {
		cs, err := connectHTTP(t, p, "http", "", nil)
		if err != nil {
			t.Fatal(err)
		}
		// Nine different reads of messages: never cached, one HubSpot call
		// each (no names to look up), and no two alike (identical reads at
		// the same moment share one request). A first call opens the
		// replica's Redis and HubSpot connections.
		threads := []string{sandbox.EmailThreadID, sandbox.AllTypesThreadID, sandbox.ClosedThreadID, sandbox.AssignedThreadID, sandbox.HostileThreadID}
		read := func(i int) {
			callOK(t, cs, "list_messages", map[string]any{"threadId": threads[i/2], "limit": 1 + i%2})
		}
		read(0)
		for i := 1; i <= 8; i++ {
			wg.Go(func() { read(i) })
		}
	}
	wg.Wait()
	var arrivals []time.Time
	for _, r := range sb.Requests() {
		arrivals = append(arrivals, r.Time)
	}
	if len(arrivals) != 18 {
		t.Fatalf("sandbox saw %d requests, want 18", len(arrivals))
	}
	if most := maxInWindow(arrivals, window); most > budget {
		t.Errorf("the two replicas sent %d requests within %s; the shared budget is %d", most, window, budget)
	}
	// 18 calls at 5 per 1.5 s need at least three full windows.
	if elapsed := time.Since(start); elapsed < 3*window {
		t.Errorf("18 calls took %s; the budget was not shared", elapsed)
	}
}

func maxInWindow(times []time.Time, per time.Duration) int {
	slices.SortFunc(times, func(a, b time.Time) int { return a.Compare(b) })
	most, lo := 0, 0
	for hi := range times {
		for times[hi].Sub(times[lo]) >= per {
			lo++
		}
		most = max(most, hi-lo+1)
	}
	return most
}

// TestHTTP_ShutdownLosesNoCallInFlight sends SIGTERM while slow calls are
// running on each transport: every call completes, the process exits 0.
func TestHTTP_ShutdownLosesNoCallInFlight(t *testing.T) {
	t.Parallel()
	for _, transport := range []string{"http", "sse"} {
		t.Run(transport, func(t *testing.T) {
			t.Parallel()
			sb := sandbox.New()
			var arrived atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				arrived.Add(1)
				sb.ServeHTTP(w, r)
			}))
			t.Cleanup(srv.Close)
			sb.InjectFault(sandbox.Fault{Delay: 1500 * time.Millisecond, Times: -1})
			p := startServer(t, "MCP_TRANSPORT="+transport, "HUBSPOT_BASE_URL="+srv.URL, "HUBSPOT_ACCESS_TOKEN="+sandbox.DefaultToken)
			cs, release := connectForShutdown(t, p, transport)
			// Six different reads: identical ones would share one request.
			const calls = 6
			results := make(chan error, calls)
			threads := []string{sandbox.EmailThreadID, sandbox.AllTypesThreadID, sandbox.ClosedThreadID}
			for i := range calls {
				go func() {
					tool := []string{"get_thread", "list_messages"}[i%2]
					res, err := cs.CallTool(context.Background(), &gomcp.CallToolParams{Name: tool, Arguments: map[string]any{"threadId": threads[i/2]}})
					if err == nil && res.IsError {
						err = fmt.Errorf("tool error: %s", contentText(res))
					}
					results <- err
				}()
			}
			deadline := time.Now().Add(10 * time.Second)
			for arrived.Load() < calls {
				if time.Now().After(deadline) {
					t.Fatalf("only %d calls reached HubSpot", arrived.Load())
				}
				time.Sleep(5 * time.Millisecond)
			}
			if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
				t.Fatal(err)
			}
			for range calls {
				if err := <-results; err != nil {
					t.Errorf("a call in flight at shutdown failed: %v", err)
				}
			}
			release()
			select {
			case err := <-p.exited:
				if err != nil {
					t.Errorf("server exit: %v, want status 0", err)
				}
			case <-time.After(15 * time.Second):
				t.Fatal("server did not exit")
			}
			if !strings.Contains(p.log(), "shut down cleanly") {
				t.Errorf("no clean shutdown in the log")
			}
		})
	}
}

// TestHTTP_ShutdownCutsOffCallsWithAnError: calls still running when
// MCP_SHUTDOWN_TIMEOUT ends get a JSON-RPC error saying so, on each
// transport, instead of a dropped connection.
func TestHTTP_ShutdownCutsOffCallsWithAnError(t *testing.T) {
	t.Parallel()
	for _, transport := range []string{"http", "sse"} {
		t.Run(transport, func(t *testing.T) {
			t.Parallel()
			sb := sandbox.New()
			var arrived atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				arrived.Add(1)
				sb.ServeHTTP(w, r)
			}))
			t.Cleanup(srv.Close)
			// HubSpot answers long after the shutdown timeout.
			sb.InjectFault(sandbox.Fault{Delay: time.Minute, Times: -1})
			p := startServer(t, "MCP_TRANSPORT="+transport, "HUBSPOT_BASE_URL="+srv.URL, "HUBSPOT_ACCESS_TOKEN="+sandbox.DefaultToken,
				"MCP_SHUTDOWN_TIMEOUT=300ms")
			cs, release := connectForShutdown(t, p, transport)
			const calls = 3
			results := make(chan error, calls)
			// Different reads: identical ones would share one request.
			threads := []string{sandbox.EmailThreadID, sandbox.AllTypesThreadID, sandbox.ClosedThreadID}
			for i := range calls {
				go func() {
					_, err := cs.CallTool(context.Background(), &gomcp.CallToolParams{Name: "list_messages", Arguments: map[string]any{"threadId": threads[i]}})
					results <- err
				}()
			}
			deadline := time.Now().Add(10 * time.Second)
			for arrived.Load() < calls {
				if time.Now().After(deadline) {
					t.Fatalf("only %d calls reached HubSpot", arrived.Load())
				}
				time.Sleep(5 * time.Millisecond)
			}
			if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
				t.Fatal(err)
			}
			for range calls {
				err := <-results
				if err == nil || !strings.Contains(err.Error(), "shut down before this call finished") {
					t.Errorf("a call cut off at shutdown got %v, want the JSON-RPC error saying so", err)
				}
			}
			release()
			select {
			case err := <-p.exited:
				if err != nil {
					t.Errorf("server exit: %v, want status 0", err)
				}
			case <-time.After(15 * time.Second):
				t.Fatal("server did not exit")
			}
		})
	}
}

// TestHTTP_ListenAckComesFirst: a subscriptions/listen stream for
// notifications the server does not serve ends at once, and its
// acknowledgement must still be the stream's first message (mcp-go v1.2.1
// could write the answer first, or drop the acknowledgement, about one time
// in three).
func TestHTTP_ListenAckComesFirst(t *testing.T) {
	t.Parallel()
	p := startServer(t, "MCP_TRANSPORT=http", "HUBSPOT_SANDBOX=true")
	body := `{"jsonrpc":"2.0","id":7,"method":"subscriptions/listen","params":{"_meta":{` +
		`"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{}},` +
		`"notifications":{"toolsListChanged":true}}}`
	for i := range 30 {
		resp := mcphttptest.PostModern(t, p.url+"/mcp", "subscriptions/listen", "", body)
		var first string
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			if data, ok := strings.CutPrefix(sc.Text(), "data:"); ok {
				first = strings.TrimSpace(data)
				break
			}
		}
		resp.Body.Close()
		var m struct {
			Method string `json:"method"`
		}
		if err := json.Unmarshal([]byte(first), &m); err != nil || m.Method != "notifications/subscriptions/acknowledged" {
			t.Fatalf("stream %d: first message %q, want notifications/subscriptions/acknowledged", i, first)
		}
	}
}
