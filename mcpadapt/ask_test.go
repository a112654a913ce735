package mcpadapt

import (
	"bufio"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

// asked is what a tool handler saw of its connection.
type asked struct {
	err        error  // what RequestElicitation returned
	canAsk     bool   // the session implements SessionWithElicitation
	blockedWhy string // QuestionsBlocked
}

// askingServer serves one tool, "ask", that asks its user a question
// within wait and reports what it saw on seen.
func askingServer(wait time.Duration, seen chan<- asked) *server.MCPServer {
	s := server.NewMCPServer("pinned", "1", server.WithElicitation())
	s.AddTool(mcp.NewTool("ask"), func(ctx context.Context, _ mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		var a asked
		_, a.canAsk = server.ClientSessionFromContext(ctx).(server.SessionWithElicitation)
		a.blockedWhy = QuestionsBlocked(ctx)
		if a.canAsk {
			ctx, cancel := context.WithTimeout(ctx, wait)
			defer cancel()
			_, a.err = server.ServerFromContext(ctx).RequestElicitation(ctx, mcp.ElicitationRequest{Params: mcp.ElicitationParams{
				Mode: mcp.ElicitationModeForm, Message: "Go ahead?", RequestedSchema: map[string]any{"type": "object", "properties": map[string]any{}},
			}})
		}
		seen <- a
		return mcp.NewToolResultText("done"), nil
	})
	return s
}

const askingInit = `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{"elicitation":{"form":{}}},"clientInfo":{"name":"c","version":"1"}}}`

// TestPinned_NonStreamingPOSTQueuesTheQuestion pins that mcp-go v1.2.1,
// asked for elicitation/create while it serves a POST whose answer cannot
// stream (as a batch member's cannot), does not fail: it hands the
// question to the session's GET stream, which nobody opened here, and
// waits until the deadline. When this test fails, mcp-go refuses such a
// question at once, and NoQuestionsBatch can go.
func TestPinned_NonStreamingPOSTQueuesTheQuestion(t *testing.T) {
	t.Parallel()
	seen := make(chan asked, 1)
	h := server.NewStreamableHTTPServer(askingServer(300*time.Millisecond, seen))
	rec := &recorder{h: http.Header{}}
	post := func(body string, header http.Header, ctx context.Context) {
		header.Set("Content-Type", "application/json")
		header.Set("Accept", "application/json, text/event-stream")
		h.Handle(rec, &server.HTTPRequest{Method: http.MethodPost, Header: header, Body: []byte(body), Context: ctx})
	}
	post(askingInit, http.Header{}, context.Background())
	id := rec.h.Get("Mcp-Session-Id")
	if id == "" {
		t.Fatalf("initialize: %d %s", rec.status, rec.body.String())
	}
	post(`{"jsonrpc":"2.0","method":"notifications/initialized"}`, http.Header{"Mcp-Session-Id": {id}, "Mcp-Protocol-Version": {"2025-11-25"}}, context.Background())
	post(`{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"ask"}}`,
		http.Header{"Mcp-Session-Id": {id}, "Mcp-Protocol-Version": {"2025-11-25"}}, WithoutQuestions(context.Background(), NoQuestionsBatch))
	a := <-seen
	if !a.canAsk {
		t.Fatal("the Streamable HTTP session does not implement SessionWithElicitation")
	}
	if !errors.Is(a.err, context.DeadlineExceeded) {
		t.Errorf("RequestElicitation = %v, want it to wait for an answer that cannot come (context.DeadlineExceeded): NoQuestionsBatch may be obsolete", a.err)
	}
	// WithoutQuestions' mark reaches the handler through the request's context.
	if a.blockedWhy != NoQuestionsBatch {
		t.Errorf("QuestionsBlocked in the handler = %q, want %q", a.blockedWhy, NoQuestionsBatch)
	}
}

// TestPinned_SSESessionCannotAsk pins that a tool called over mcp-go
// v1.2.1's legacy SSE transport has a session that cannot carry
// elicitation/create. When this test fails, the SSE session can ask, and
// NoQuestionsSSE can go (check that the answers come back).
func TestPinned_SSESessionCannotAsk(t *testing.T) {
	t.Parallel()
	seen := make(chan asked, 1)
	sse := server.NewSSEServer(askingServer(time.Second, seen))
	srv := httptest.NewServer(sse)
	defer srv.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/sse", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	endpoint := ""
	for endpoint == "" && sc.Scan() {
		if data, ok := strings.CutPrefix(sc.Text(), "data: "); ok && strings.Contains(data, "sessionId=") {
			endpoint = data
		}
	}
	if endpoint == "" {
		t.Fatal("no endpoint event")
	}
	for _, body := range []string{askingInit, `{"jsonrpc":"2.0","method":"notifications/initialized"}`,
		`{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"ask"}}`} {
		r, err := http.Post(srv.URL+endpoint, "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		r.Body.Close()
	}
	a := <-seen
	if a.canAsk {
		t.Errorf("the SSE session implements SessionWithElicitation (RequestElicitation: %v): NoQuestionsSSE may be obsolete", a.err)
	}
}
