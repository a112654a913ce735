package httpserver

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot"
	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/inbox"
)

const authToken = "test-auth-token-0123456789abcdef"

func bearer(extra map[string]string) map[string]string {
	h := map[string]string{"Authorization": "Bearer " + authToken}
	for k, v := range extra {
		h[k] = v
	}
	return h
}

// TestProtections: the bearer token, the DNS-rebinding check on Host and
// Origin, the body limit and the session cap each refuse what they must;
// health and readiness need no token.
func TestProtections(t *testing.T) {
	t.Parallel()
	s := serve(t, Options{AuthToken: authToken, MaxSessions: 2, MaxBodyBytes: 2048})

	if a := s.post(t, initializeBody, nil); a.status != 401 || !strings.HasPrefix(a.header.Get("WWW-Authenticate"), "Bearer") {
		t.Errorf("no token: %d %q, want 401 with WWW-Authenticate", a.status, a.header.Get("WWW-Authenticate"))
	}
	if a := s.post(t, initializeBody, bearer(map[string]string{"Host": "evil.example"})); a.status != 403 || !strings.Contains(a.body, "MCP_ALLOWED_HOSTS") {
		t.Errorf("foreign Host: %d %s, want 403 naming MCP_ALLOWED_HOSTS", a.status, a.body)
	}
	if a := s.post(t, initializeBody, bearer(map[string]string{"Origin": "https://evil.example"})); a.status != 403 || !strings.Contains(a.body, "MCP_ALLOWED_ORIGINS") {
		t.Errorf("foreign Origin: %d %s, want 403 naming MCP_ALLOWED_ORIGINS", a.status, a.body)
	}
	if a := s.post(t, initializeBody+strings.Repeat(" ", 4096), bearer(nil)); a.status != 413 || !strings.Contains(a.body, "MCP_MAX_BODY_BYTES") {
		t.Errorf("oversized body: %d %s, want 413", a.status, a.body)
	}
	for i := range 2 {
		id, a := s.initialize(t, bearer(nil))
		if a.status != 200 || id == "" {
			t.Fatalf("session %d: %d %s", i+1, a.status, a.body)
		}
		if a := s.callTool(t, id, "echo", bearer(nil)); a.status != 200 {
			t.Fatalf("session %d in use: %d %s", i+1, a.status, a.body)
		}
	}
	// The sessions were used within the reclaim time: none may be taken.
	if _, a := s.initialize(t, bearer(nil)); a.status != 503 || a.header.Get("Retry-After") == "" || !strings.Contains(a.body, "MCP_MAX_SESSIONS") {
		t.Errorf("third session with MCP_MAX_SESSIONS=2: %d %s, want 503 with Retry-After naming MCP_MAX_SESSIONS", a.status, a.body)
	}
	for path, want := range map[string]int{"/healthz": 200, "/readyz": 200} {
		resp, err := http.Get(s.url + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("%s: %d, want %d", path, resp.StatusCode, want)
		}
	}
}

// TestAuthorizationScheme: the scheme is case-insensitive (RFC 9110
// §11.1); anything but the exact token is refused.
func TestAuthorizationScheme(t *testing.T) {
	t.Parallel()
	s := serve(t, Options{AuthToken: authToken})
	for _, h := range []string{"bearer " + authToken, "BEARER " + authToken, "Bearer  " + authToken + " "} {
		if a := s.post(t, initializeBody, map[string]string{"Authorization": h}); a.status != 200 {
			t.Errorf("Authorization %q: %d %s, want 200", strings.Replace(h, authToken, "<token>", 1), a.status, a.body)
		}
	}
	for _, h := range []string{"Basic " + authToken, "Bearer", authToken, "Bearer " + authToken + "x"} {
		if a := s.post(t, initializeBody, map[string]string{"Authorization": h}); a.status != 401 {
			t.Errorf("Authorization %q: %d, want 401", strings.Replace(h, authToken, "<token>", 1), a.status)
		}
	}
}

// TestBodyLimits: a body over MCP_MAX_BODY_BYTES gets 413 whether its size
// is announced or it comes chunked.
func TestBodyLimits(t *testing.T) {
	t.Parallel()
	s := serve(t, Options{MaxBodyBytes: 2048})
	chunked := io.MultiReader(strings.NewReader(initializeBody), strings.NewReader(strings.Repeat(" ", 4096)))
	if a := s.send(t, http.MethodPost, chunked, nil); a.status != 413 || !strings.Contains(a.body, "MCP_MAX_BODY_BYTES") {
		t.Errorf("chunked oversized body: %d %s, want 413", a.status, a.body)
	}
	if a := s.post(t, initializeBody+strings.Repeat(" ", 1024), nil); a.status != 200 {
		t.Errorf("a body within the limit: %d %s", a.status, a.body)
	}
}

// TestSlowBodyIsCutOff: a client that drips its body gets 408 and its
// connection closed once MCP_BODY_READ_TIMEOUT passes; a body that arrives
// in time, in pieces, is served; and the deadline covers the body only: a
// call that runs past it still gets its answer.
func TestSlowBodyIsCutOff(t *testing.T) {
	t.Parallel()
	s := serve(t, Options{AuthToken: authToken, BodyReadTimeout: 200 * time.Millisecond})
	host := strings.TrimPrefix(s.url, "http://")
	conn, err := net.Dial("tcp", host)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	// Headers and one byte of a 100-byte body, then nothing.
	_, err = io.WriteString(conn, "POST /mcp HTTP/1.1\r\nHost: "+host+"\r\nAuthorization: Bearer "+authToken+
		"\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\nContent-Length: 100\r\n\r\n{")
	if err != nil {
		t.Fatal(err)
	}
	// Far longer than the server's deadline; without one the read fails here.
	_ = conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("no answer to a stalled body: %v", err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestTimeout || !strings.Contains(string(body), "MCP_BODY_READ_TIMEOUT") {
		t.Errorf("stalled body: %d %s, want 408 naming MCP_BODY_READ_TIMEOUT", resp.StatusCode, body)
	}
	if _, err := conn.Read(make([]byte, 1)); err == nil {
		t.Error("the connection stayed open after the cut-off")
	}
	waitFor(t, "the refusal's log line", func() bool { return strings.Contains(s.log.String(), "request body not received in time") })

	pr, pw := io.Pipe()
	go func() {
		for i := 0; i < len(initializeBody); i += 16 {
			_, _ = io.WriteString(pw, initializeBody[i:min(i+16, len(initializeBody))])
		}
		pw.Close()
	}()
	if a := s.send(t, http.MethodPost, pr, bearer(nil)); a.status != 200 {
		t.Errorf("chunked body in time: %d %s", a.status, a.body)
	}

	cs, err := s.connect(t, "2025-11-25", bearer(nil))
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		<-s.kit.started
		time.Sleep(600 * time.Millisecond) // three deadlines
		s.kit.releaseAll()
	}()
	if text, err := toolText(t.Context(), cs, "slow", nil); err != nil || text != "done" {
		t.Errorf("a call longer than MCP_BODY_READ_TIMEOUT: %q, %v", text, err)
	}
}

// TestUserTokens: with HUBSPOT_TOKEN_SOURCE=header every request needs
// its user's token, which reaches the handlers; a token over
// hubspot.MaxTokenLength gets 431, naming the header and the limit, and
// never the token.
func TestUserTokens(t *testing.T) {
	t.Parallel()
	s := serve(t, Options{PerUserTokens: true})
	if a := s.post(t, initializeBody, nil); a.status != 401 || !strings.Contains(a.body, TokenHeader) {
		t.Errorf("no token: %d %s, want 401 naming %s", a.status, a.body, TokenHeader)
	}
	for _, tc := range []struct {
		token string
		want  int
	}{
		{strings.Repeat("x", hubspot.MaxTokenLength), http.StatusOK},
		{strings.Repeat("x", hubspot.MaxTokenLength+1), http.StatusRequestHeaderFieldsTooLarge},
		{"Bearer " + strings.Repeat("x", 30<<10), http.StatusRequestHeaderFieldsTooLarge},
	} {
		a := s.post(t, initializeBody, map[string]string{TokenHeader: tc.token})
		if a.status != tc.want {
			t.Errorf("a %d-byte token: HTTP %d %s, want %d", len(tc.token), a.status, a.body, tc.want)
		}
		if tc.want != http.StatusOK && (!strings.Contains(a.body, TokenHeader) || !strings.Contains(a.body, "4096") || strings.Contains(a.body, "xxxx")) {
			t.Errorf("refusal %s: want the header and the limit named, and no token", a.body)
		}
	}
	cs, err := s.connect(t, "2025-11-25", map[string]string{TokenHeader: "user-token-1"})
	if err != nil {
		t.Fatal(err)
	}
	if text, err := toolText(t.Context(), cs, "token", nil); err != nil || text != inbox.CredentialID("user-token-1") {
		t.Errorf("the tool saw credential %q (%v), want the header's", text, err)
	}
}

// TestBatchesOn2025_03_26: a 2025-03-26 session's batches are answered,
// one response per request, as that version requires, even for a call
// that sends a notification on the way; other versions and the SSE
// transport refuse batches as invalid requests.
func TestBatchesOn2025_03_26(t *testing.T) {
	t.Parallel()
	s := serve(t, Options{})
	init := strings.Replace(initializeBody, "2025-11-25", "2025-03-26", 1)
	a := s.post(t, init, nil)
	session := a.header.Get("Mcp-Session-Id")
	if a.status != 200 || session == "" {
		t.Fatalf("initialize: %d, session %q", a.status, session)
	}
	headers := map[string]string{"Mcp-Session-Id": session}
	batch := `[{"jsonrpc":"2.0","method":"notifications/initialized"},
		{"jsonrpc":"2.0","id":2,"method":"tools/list"},
		{"jsonrpc":"2.0","id":"three","method":"tools/call","params":{"name":"echo","arguments":{"text":"hello"}}},
		{"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"fail","arguments":{}}},
		{"jsonrpc":"2.0","id":5,"method":"no/such/method"},
		{"jsonrpc":"2.0","id":6,"method":"initialize","params":{}},
		{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"progress","arguments":{},"_meta":{"progressToken":"p"}}}]`
	a = s.post(t, batch, headers)
	if a.status != 200 || !strings.HasPrefix(a.header.Get("Content-Type"), "application/json") {
		t.Fatalf("batch: %d %s %s", a.status, a.header.Get("Content-Type"), a.body)
	}
	var answers []struct {
		ID     any             `json:"id"`
		Result json.RawMessage `json:"result"`
		Error  *struct {
			Code int `json:"code"`
		} `json:"error"`
	}
	if err := json.Unmarshal([]byte(a.body), &answers); err != nil {
		t.Fatalf("batch answer is not an array: %v\n%s", err, a.body)
	}
	if len(answers) != 6 {
		t.Errorf("%d answers, want one per request (6):\n%s", len(answers), a.body)
	}
	byID := map[string]int{}
	for i, ans := range answers {
		byID[fmt.Sprint(ans.ID)] = i
	}
	result := func(id string) string {
		if i, ok := byID[id]; ok && answers[i].Error == nil {
			return string(answers[i].Result)
		}
		return ""
	}
	code := func(id string) int {
		if i, ok := byID[id]; ok && answers[i].Error != nil {
			return answers[i].Error.Code
		}
		return 0
	}
	if !strings.Contains(result("2"), `"name":"echo"`) {
		t.Errorf("request 2 (tools/list): no tool list")
	}
	if !strings.Contains(result("three"), `"text":"hello"`) {
		t.Errorf("request three (echo): %s", result("three"))
	}
	if !strings.Contains(result("4"), `"isError":true`) {
		t.Errorf("request 4 (fail): no isError result")
	}
	if code("5") != -32601 || code("6") != -32600 {
		t.Errorf("unknown method: %d, want -32601; initialize in a batch: %d, want -32600", code("5"), code("6"))
	}
	if !strings.Contains(result("7"), "progressed") {
		t.Errorf("request 7 (a call that sends progress): %s", result("7"))
	}

	if a := s.post(t, `[{"jsonrpc":"2.0","method":"notifications/initialized"}]`, headers); a.status != 202 {
		t.Errorf("batch of notifications: %d %s, want 202", a.status, a.body)
	}
	if a := s.post(t, `[]`, headers); a.status != 400 || a.rpcCode() != -32600 {
		t.Errorf("empty batch: %d %s, want 400 -32600", a.status, a.body)
	}
	over := "[" + strings.TrimSuffix(strings.Repeat(`{"jsonrpc":"2.0","method":"notifications/initialized"},`, MaxBatch+1), ",") + "]"
	if a := s.post(t, over, headers); a.status != 400 || a.rpcCode() != -32600 {
		t.Errorf("batch over %d: %d %s, want 400 -32600", MaxBatch, a.status, a.body)
	}
	if a := s.post(t, `[{"jsonrpc":"2.0","id":1,"method":"ping"}]`, map[string]string{"Mcp-Session-Id": "no-such-session"}); a.status != 404 {
		t.Errorf("batch on an unknown session: %d %s, want mcp-go's 404", a.status, a.body)
	}
	if a := s.post(t, `[{"jsonrpc":"2.0","id":1,"method":"ping"}]`, map[string]string{"Mcp-Session-Id": session, "Mcp-Protocol-Version": "2025-11-25"}); a.status != 400 || a.rpcCode() != -32600 || !strings.Contains(a.body, "batch") {
		t.Errorf("batch at 2025-11-25: %d %s, want 400 with -32600 naming batches", a.status, a.body)
	}

	sse := serve(t, Options{SSE: true})
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, sse.url+"/message?sessionId=x", strings.NewReader(`[{"jsonrpc":"2.0","id":1,"method":"ping"}]`))
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 400 || (answer{body: string(b)}).rpcCode() != -32600 {
		t.Errorf("batch on SSE: %d %s, want 400 -32600", resp.StatusCode, b)
	}
}

// TestRefusalsAreLogged: each 401 and 403 leaves a warning with its
// reason and the offending Host or Origin, never a credential.
func TestRefusalsAreLogged(t *testing.T) {
	t.Parallel()
	s := serve(t, Options{AuthToken: authToken})
	const wrong = "wrong-secret-0123456789abcdef"
	for _, h := range []map[string]string{
		bearer(map[string]string{"Host": "evil.example"}),
		bearer(map[string]string{"Origin": "https://evil.example"}),
		{"Authorization": "Bearer " + wrong},
		{},
	} {
		if a := s.post(t, initializeBody, h); a.status != 401 && a.status != 403 {
			t.Errorf("%v: %d, want a refusal", h, a.status)
		}
	}
	log := s.log.String()
	for _, want := range []string{
		`level=WARN msg="refused HTTP request" reason="Host not allowed (MCP_ALLOWED_HOSTS)"`, `host=evil.example`,
		`reason="Origin not allowed (MCP_ALLOWED_ORIGINS)"`, `origin=https://evil.example`,
		`reason="wrong bearer token"`, `reason="no Authorization header"`, `status=401`,
	} {
		if !strings.Contains(log, want) {
			t.Errorf("the log has no %q", want)
		}
	}
	if strings.Contains(log, wrong) || strings.Contains(log, authToken) {
		t.Errorf("a credential reached the log:\n%s", log)
	}
}

// TestProxiedHostNeedsListing: a server on all interfaces, reached through
// loopback (a reverse proxy on the same machine) with a public Host,
// refuses it with a 403 naming MCP_ALLOWED_HOSTS, and serves it once
// listed.
func TestProxiedHostNeedsListing(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		allowed []string
		want    int
	}{{nil, 403}, {[]string{"mcp.example.com"}, 200}} {
		s := serve(t, Options{AllowedHosts: tc.allowed}, "0.0.0.0:0")
		a := s.post(t, initializeBody, map[string]string{"Host": "mcp.example.com"})
		if a.status != tc.want {
			t.Errorf("MCP_ALLOWED_HOSTS=%q: %d %s, want %d", tc.allowed, a.status, a.body, tc.want)
		}
		if tc.want == 403 && !strings.Contains(a.body, "MCP_ALLOWED_HOSTS") {
			t.Errorf("the refusal does not name MCP_ALLOWED_HOSTS: %s", a.body)
		}
	}
}

// TestStatelessOffersNoGETStream: without sessions a GET gets 405, as the
// specification allows, instead of a stream every client shares.
func TestStatelessOffersNoGETStream(t *testing.T) {
	t.Parallel()
	s := serve(t, Options{Stateless: true})
	if a, _ := s.stream(t, ""); a.status != http.StatusMethodNotAllowed || !strings.Contains(a.body, "MCP_STATELESS") {
		t.Errorf("GET on a stateless server: HTTP %d %s, want 405", a.status, a.body)
	}
}
