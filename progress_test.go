package main

import (
	"context"
	"errors"
	"strings"
	"testing"

	gomcp "github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot/sandbox"
)

// budgetEnv points the server at sb with a budget of one call per two
// seconds, so the second call in a row waits about two seconds.
func budgetEnv(url string) []string {
	return []string{"HUBSPOT_BASE_URL=" + url, "HUBSPOT_ACCESS_TOKEN=" + sandbox.DefaultToken, "HUBSPOT_RATE_LIMIT=1/2s"}
}

func TestStdio_WaitingForTheBudgetSendsProgress(t *testing.T) {
	t.Parallel()
	_, url := startTestSandbox(t)
	progress := make(chan *gomcp.ProgressNotificationParams, 100)
	cs := connectWith(t, "2025-11-25", &gomcp.ClientOptions{
		ProgressNotificationHandler: func(_ context.Context, r *gomcp.ProgressNotificationClientRequest) {
			progress <- r.Params
		},
	}, budgetEnv(url))
	callOK(t, cs, "get_thread", map[string]any{"threadId": sandbox.EmailThreadID})
	p := &gomcp.CallToolParams{Name: "get_thread", Arguments: map[string]any{"threadId": sandbox.ClosedThreadID}}
	p.SetProgressToken("budget-1")
	res, err := cs.CallTool(t.Context(), p)
	if err != nil || res.IsError {
		t.Fatalf("call: %v %s", err, contentText(res))
	}
	// stdio delivers in order: every notification came before the answer.
	if len(progress) == 0 {
		t.Fatal("no progress while waiting about two seconds for the budget")
	}
	first := <-progress
	if first.ProgressToken != "budget-1" || !strings.Contains(first.Message, "HubSpot rate budget") || !strings.Contains(first.Message, "s.") {
		t.Errorf("progress %+v: want the token and how long until the call's turn", first)
	}
}

func TestStdio_CancelledWhileWaitingSendsNothing(t *testing.T) {
	t.Parallel()
	sb, url := startTestSandbox(t)
	progress := make(chan struct{}, 100)
	cs := connectWith(t, "2025-11-25", &gomcp.ClientOptions{
		ProgressNotificationHandler: func(context.Context, *gomcp.ProgressNotificationClientRequest) { progress <- struct{}{} },
	}, budgetEnv(url))
	callOK(t, cs, "get_thread", map[string]any{"threadId": sandbox.EmailThreadID})
	sb.ResetRequests()

	ctx, cancel := context.WithCancel(t.Context())
	go func() {
		<-progress // waiting in the queue: the user gives up
		cancel()
	}()
	p := &gomcp.CallToolParams{Name: "send_message", Arguments: map[string]any{
		"threadId": sandbox.EmailThreadID, "type": "COMMENT", "text": "never sent"}}
	p.SetProgressToken("budget-2")
	_, err := cs.CallTool(ctx, p)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want the client's cancellation", err)
	}
	// The server is still usable, and the cancelled call never reached
	// HubSpot: the next call is the first request it sees.
	callOK(t, cs, "get_thread", map[string]any{"threadId": sandbox.EmailThreadID})
	reqs := sb.Requests()
	if len(reqs) != 1 || reqs[0].Method != "GET" {
		var got []string
		for _, r := range reqs {
			got = append(got, r.Method+" "+r.Path)
		}
		t.Errorf("HubSpot saw %v, want only the later GET", got)
	}
}

func TestHTTP_WaitingForTheBudgetSendsProgress(t *testing.T) {
	t.Parallel()
	_, url := startTestSandbox(t)
	p := startServer(t, append(budgetEnv(url), "MCP_TRANSPORT=http")...)
	progress := make(chan *gomcp.ProgressNotificationParams, 100)
	client := gomcp.NewClient(&gomcp.Implementation{Name: "progress", Version: "1"}, &gomcp.ClientOptions{
		ProgressNotificationHandler: func(_ context.Context, r *gomcp.ProgressNotificationClientRequest) { progress <- r.Params },
	})
	cs, err := client.Connect(t.Context(), &gomcp.StreamableClientTransport{Endpoint: p.url + "/mcp"}, &gomcp.ClientSessionOptions{ProtocolVersion: "2025-11-25"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cs.Close() })
	callOK(t, cs, "get_thread", map[string]any{"threadId": sandbox.EmailThreadID})
	params := &gomcp.CallToolParams{Name: "get_thread", Arguments: map[string]any{"threadId": sandbox.ClosedThreadID}}
	params.SetProgressToken("budget-http")
	res, err := cs.CallTool(t.Context(), params)
	if err != nil || res.IsError {
		t.Fatalf("call: %v", err)
	}
	// The wait is about two seconds: a notification at once and one a
	// second later, both well before the answer.
	if len(progress) == 0 {
		t.Fatal("no progress over Streamable HTTP while waiting for the budget")
	}
	if got := <-progress; got.ProgressToken != "budget-http" {
		t.Errorf("progress token %v", got.ProgressToken)
	}
}
