package main

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

	gomcp "github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/httpserver"
	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot/sandbox"
)

const initializeBody = `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-03-26","capabilities":{},"clientInfo":{"name":"c","version":"1"}}}`

// postMCP posts body to /mcp with headers and returns the status and body.
func postMCP(t *testing.T, p *serverProc, body io.Reader, headers map[string]string) (int, string) {
	t.Helper()
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, p.url+"/mcp", body)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json, text/event-stream")
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	if h, ok := headers["Host"]; ok {
		req.Host = h
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// rpcErrorCode decodes a JSON-RPC error response's code (0 if none).
func rpcErrorCode(t *testing.T, body string) int {
	t.Helper()
	var msg struct {
		Error *struct {
			Code int `json:"code"`
		} `json:"error"`
	}
	if err := json.Unmarshal([]byte(body), &msg); err != nil || msg.Error == nil {
		return 0
	}
	return msg.Error.Code
}

// waitLog waits until the server's log contains every one of subs.
func waitLog(t *testing.T, p *serverProc, subs ...string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		log := p.log()
		missing := ""
		for _, s := range subs {
			if !strings.Contains(log, s) {
				missing = s
				break
			}
		}
		if missing == "" {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the server log has no %q", missing)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestHTTP_SlowBodyIsCutOff: an authenticated client that drips its body
// gets 408 and its connection closed once MCP_BODY_READ_TIMEOUT passes.
func TestHTTP_SlowBodyIsCutOff(t *testing.T) {
	t.Parallel()
	sb, url := startTestSandbox(t)
	p := startServer(t, "HUBSPOT_BASE_URL="+url, "HUBSPOT_ACCESS_TOKEN="+sandbox.DefaultToken, "MCP_TRANSPORT=http",
		"MCP_AUTH_TOKEN="+testAuthToken, "MCP_BODY_READ_TIMEOUT=200ms")
	conn, err := net.Dial("tcp", strings.TrimPrefix(p.url, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	// Headers and one byte of a 100-byte body, then nothing: the client
	// holds the connection as a byte-every-5-s client would.
	_, err = io.WriteString(conn, "POST /mcp HTTP/1.1\r\nHost: "+strings.TrimPrefix(p.url, "http://")+"\r\n"+
		"Authorization: Bearer "+testAuthToken+"\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\n"+
		"Content-Length: 100\r\n\r\n{")
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

	// A body that arrives in time, in pieces, is served.
	pr, pw := io.Pipe()
	go func() {
		for i := 0; i < len(initializeBody); i += 16 {
			_, _ = io.WriteString(pw, initializeBody[i:min(i+16, len(initializeBody))])
		}
		pw.Close()
	}()
	if status, body := postMCP(t, p, pr, bearer(testAuthToken)); status != 200 {
		t.Errorf("chunked body in time: %d %s", status, body)
	}

	// The deadline covers the body only: a call that runs well past it
	// (HubSpot answers after three deadlines) still gets its answer.
	cs, err := connectHTTP(t, p, "http", "", bearer(testAuthToken))
	if err != nil {
		t.Fatal(err)
	}
	sb.InjectFault(sandbox.Fault{Delay: 600 * time.Millisecond})
	res, err := cs.CallTool(t.Context(), &gomcp.CallToolParams{Name: "get_inbox", Arguments: map[string]any{"inboxId": sandbox.InboxID}})
	if err != nil || res.IsError {
		t.Errorf("a call longer than MCP_BODY_READ_TIMEOUT failed: %v %v", err, res)
	}
}

func TestHTTP_RequestShapes(t *testing.T) {
	t.Parallel()
	p := startServer(t, "HUBSPOT_SANDBOX=true", "MCP_TRANSPORT=http", "MCP_AUTH_TOKEN="+testAuthToken, "MCP_MAX_BODY_BYTES=2048")
	auth := bearer(testAuthToken)

	// A chunked body (no Content-Length) over the limit: 413, as with one.
	chunked := io.MultiReader(strings.NewReader(initializeBody), strings.NewReader(strings.Repeat(" ", 4096)))
	if status, body := postMCP(t, p, chunked, auth); status != http.StatusRequestEntityTooLarge || !strings.Contains(body, "MCP_MAX_BODY_BYTES") {
		t.Errorf("chunked oversized body: %d %s, want 413", status, body)
	}

	// The scheme of Authorization is case-insensitive (RFC 9110 §11.1).
	for _, h := range []string{"bearer " + testAuthToken, "BEARER " + testAuthToken, "Bearer  " + testAuthToken + " "} {
		if status, body := postMCP(t, p, strings.NewReader(initializeBody), map[string]string{"Authorization": h}); status != 200 {
			t.Errorf("Authorization %q: %d %s, want 200", strings.Replace(h, testAuthToken, "<token>", 1), status, body)
		}
	}
	for _, h := range []string{"Basic " + testAuthToken, "Bearer", testAuthToken, "Bearer " + testAuthToken + "x"} {
		if status, _ := postMCP(t, p, strings.NewReader(initializeBody), map[string]string{"Authorization": h}); status != 401 {
			t.Errorf("Authorization %q: %d, want 401", strings.Replace(h, testAuthToken, "<token>", 1), status)
		}
	}

	// A JSON-RPC batch outside 2025-03-26 is refused as an invalid request,
	// not as invalid JSON.
	status, body := postMCP(t, p, strings.NewReader("[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}]"),
		map[string]string{"Authorization": auth["Authorization"], "Mcp-Protocol-Version": "2025-11-25"})
	if status != 400 || rpcErrorCode(t, body) != -32600 || !strings.Contains(body, "batch") {
		t.Errorf("batch at 2025-11-25: %d %s, want 400 with -32600 naming batches", status, body)
	}
}

// TestHTTP_BatchesOn2025_03_26: a 2025-03-26 session's batches are
// answered, one response per request, as that version requires.
func TestHTTP_BatchesOn2025_03_26(t *testing.T) {
	t.Parallel()
	p := startServer(t, "HUBSPOT_SANDBOX=true", "MCP_TRANSPORT=http", "MCP_AUTH_TOKEN="+testAuthToken)
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, p.url+"/mcp", strings.NewReader(initializeBody))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json, text/event-stream")
	req.Header.Set("Authorization", "Bearer "+testAuthToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	session := resp.Header.Get("Mcp-Session-Id")
	if resp.StatusCode != 200 || session == "" {
		t.Fatalf("initialize: %d, session %q", resp.StatusCode, session)
	}
	headers := map[string]string{"Authorization": "Bearer " + testAuthToken, "Mcp-Session-Id": session}
	batch := `[{"jsonrpc":"2.0","method":"notifications/initialized"},
		{"jsonrpc":"2.0","id":2,"method":"tools/list"},
		{"jsonrpc":"2.0","id":"three","method":"tools/call","params":{"name":"list_inboxes","arguments":{}}},
		{"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"get_thread","arguments":{"threadId":"x/../1"}}},
		{"jsonrpc":"2.0","id":5,"method":"no/such/method"},
		{"jsonrpc":"2.0","id":6,"method":"initialize","params":{}}]`
	status, body := postMCP(t, p, strings.NewReader(batch), headers)
	if status != 200 {
		t.Fatalf("batch: %d %s", status, body)
	}
	var answers []struct {
		ID     any             `json:"id"`
		Result json.RawMessage `json:"result"`
		Error  *struct {
			Code    int    `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}
	if err := json.Unmarshal([]byte(body), &answers); err != nil {
		t.Fatalf("batch answer is not an array: %v\n%s", err, body)
	}
	byID := map[string]int{}
	for i, a := range answers {
		byID[fmt.Sprint(a.ID)] = i
	}
	if len(answers) != 5 {
		t.Errorf("%d answers, want one per request (5):\n%s", len(answers), body)
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
	if !strings.Contains(result("2"), `"name":"list_threads"`) {
		t.Errorf("request 2 (tools/list): no tool list")
	}
	if !strings.Contains(result("three"), `"structuredContent":{"results":[`) {
		t.Errorf("request three (list_inboxes): no inboxes")
	}
	if !strings.Contains(result("4"), `"isError":true`) {
		t.Errorf("request 4 (bad threadId): no isError result")
	}
	if code("5") != -32601 || code("6") != -32600 {
		t.Errorf("unknown method: %d, want -32601; initialize in a batch: %d, want -32600", code("5"), code("6"))
	}

	if status, body := postMCP(t, p, strings.NewReader(`[{"jsonrpc":"2.0","method":"notifications/initialized"}]`), headers); status != 202 {
		t.Errorf("batch of notifications: %d %s, want 202", status, body)
	}
	if status, body := postMCP(t, p, strings.NewReader(`[]`), headers); status != 400 || rpcErrorCode(t, body) != -32600 {
		t.Errorf("empty batch: %d %s, want 400 -32600", status, body)
	}
	if status, body := postMCP(t, p, strings.NewReader(fmt.Sprintf("[%s]", strings.TrimSuffix(strings.Repeat(`{"jsonrpc":"2.0","method":"notifications/initialized"},`, httpserver.MaxBatch+1), ","))), headers); status != 400 || rpcErrorCode(t, body) != -32600 {
		t.Errorf("batch over %d: %d %s, want 400 -32600", httpserver.MaxBatch, status, body)
	}
	unknown := map[string]string{"Authorization": "Bearer " + testAuthToken, "Mcp-Session-Id": "mcp-session-00000000-0000-0000-0000-000000000000"}
	if status, body := postMCP(t, p, strings.NewReader(`[{"jsonrpc":"2.0","id":1,"method":"ping"}]`), unknown); status != 404 {
		t.Errorf("batch on an unknown session: %d %s, want mcp-go's 404", status, body)
	}

	// The legacy SSE transport (2024-11-05) has no batches.
	sse := startServer(t, "HUBSPOT_SANDBOX=true", "MCP_TRANSPORT=sse")
	req, _ = http.NewRequestWithContext(t.Context(), http.MethodPost, sse.url+"/message?sessionId=x", strings.NewReader(`[{"jsonrpc":"2.0","id":1,"method":"ping"}]`))
	req.Header.Set("Content-Type", "application/json")
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 400 || rpcErrorCode(t, string(b)) != -32600 {
		t.Errorf("batch on SSE: %d %s, want 400 -32600", resp.StatusCode, b)
	}
}

// TestHTTP_RefusalsAreLogged: each 401 and 403 leaves a warning with its
// reason and the offending Host or Origin, never a credential.
func TestHTTP_RefusalsAreLogged(t *testing.T) {
	t.Parallel()
	p := startServer(t, "HUBSPOT_SANDBOX=true", "MCP_TRANSPORT=http", "MCP_AUTH_TOKEN="+testAuthToken)
	const wrong = "wrong-secret-0123456789abcdef"
	for _, h := range []map[string]string{
		{"Authorization": "Bearer " + testAuthToken, "Host": "evil.example"},
		{"Authorization": "Bearer " + testAuthToken, "Origin": "https://evil.example"},
		{"Authorization": "Bearer " + wrong},
		{},
	} {
		if status, _ := postMCP(t, p, strings.NewReader(initializeBody), h); status != 401 && status != 403 {
			t.Errorf("%v: %d, want a refusal", h, status)
		}
	}
	waitLog(t, p,
		`level=WARN msg="refused HTTP request" component=http reason="Host not allowed (MCP_ALLOWED_HOSTS)"`, `host=evil.example`,
		`reason="Origin not allowed (MCP_ALLOWED_ORIGINS)"`, `origin=https://evil.example`,
		`reason="wrong bearer token"`, `reason="no Authorization header"`, `status=401`)
	if log := p.log(); strings.Contains(log, wrong) || strings.Contains(log, testAuthToken) {
		t.Errorf("a credential reached the log:\n%s", log)
	}
}

// TestHTTP_ProxiedHostNeedsListing: a server on all interfaces, reached
// through loopback (a reverse proxy on the same machine) with a public
// Host, refuses it with a logged 403 naming MCP_ALLOWED_HOSTS, and serves
// it once listed.
func TestHTTP_ProxiedHostNeedsListing(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		allowed string
		want    int
	}{{"", 403}, {"mcp.example.com", 200}} {
		p := startServer(t, "HUBSPOT_SANDBOX=true", "MCP_TRANSPORT=http", "MCP_AUTH_TOKEN="+testAuthToken,
			"MCP_ADDR=0.0.0.0:0", "MCP_ALLOWED_HOSTS="+tc.allowed)
		_, port, _ := net.SplitHostPort(strings.TrimPrefix(p.url, "http://"))
		p.url = "http://127.0.0.1:" + port
		status, body := postMCP(t, p, strings.NewReader(initializeBody), map[string]string{"Authorization": "Bearer " + testAuthToken, "Host": "mcp.example.com"})
		if status != tc.want {
			t.Errorf("MCP_ALLOWED_HOSTS=%q: %d %s, want %d", tc.allowed, status, body, tc.want)
		}
		if tc.want == 403 {
			if !strings.Contains(body, "MCP_ALLOWED_HOSTS") {
				t.Errorf("the refusal does not name MCP_ALLOWED_HOSTS: %s", body)
			}
			waitLog(t, p, `reason="Host not allowed (MCP_ALLOWED_HOSTS)"`, `host=mcp.example.com`)
		}
	}
}
