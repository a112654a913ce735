package tools

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot"
	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot/sandbox"
	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/inbox"
	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/view"
)

func TestErrorTexts(t *testing.T) {
	t.Parallel()
	getThread := validCalls["get_thread"]
	tests := []struct {
		name   string
		opts   []envOption
		fault  *sandbox.Fault
		ctx    func(context.Context) (context.Context, context.CancelFunc)
		tool   string
		args   string
		want   []string
		prefix string
	}{
		{name: "HubSpot's validation details are listed", opts: []envOption{noRetries},
			fault: &sandbox.Fault{Status: http.StatusBadRequest, Body: `{"status":"error","message":"Multiple errors validating request.","category":"VALIDATION_ERROR",` +
				`"correlationId":"aeb5f871-7f07-4993-9211-075dc63e7cbf","errors":[{"message":"Invalid actorId type"},{"message":"Actor type AGENT is not supported for receiving"}]}`},
			tool: "get_thread", args: getThread,
			prefix: "HubSpot answered 400 VALIDATION_ERROR to get thread 9000000101: Multiple errors validating request; Invalid actorId type; " +
				"Actor type AGENT is not supported for receiving (correlation id aeb5f871-7f07-4993-9211-075dc63e7cbf)."},
		{name: "other 4xx", opts: []envOption{noRetries}, fault: &sandbox.Fault{Status: http.StatusConflict}, tool: "get_thread", args: getThread,
			want: []string{"HubSpot answered 409 BAD_REQUEST to get thread 9000000101: Conflict (correlation id "}},
		{name: "a dropped connection on a read", opts: []envOption{noRetries}, fault: &sandbox.Fault{Drop: true}, tool: "get_thread", args: getThread,
			want: []string{"Could not get thread 9000000101: the connection to HubSpot failed", "Try again."}},
		{name: "a timeout", opts: []envOption{noRetries, withClient(hubspot.WithTimeout(50 * time.Millisecond))},
			fault: &sandbox.Fault{Delay: time.Minute}, tool: "get_thread", args: getThread,
			want: []string{"Could not get thread 9000000101: the request to HubSpot timed out", "Try again."}},
		{name: "a timeout while sending may have sent the message",
			opts:  []envOption{withClient(hubspot.WithTimeout(50 * time.Millisecond)), withSender(sandbox.AgentActorID)},
			fault: &sandbox.Fault{Method: "POST", Delay: time.Minute}, tool: "send_message", args: validCalls["send_message"],
			want: []string{"the request to HubSpot timed out", "The message may have been sent: call list_messages to check before sending again"}},
		{name: "a malformed answer to a read", opts: []envOption{noRetries}, fault: &sandbox.Fault{Malformed: true}, tool: "get_thread", args: getThread,
			want: []string{"Could not get thread 9000000101: HubSpot answered 200 but the answer could not be read", "Try again."}},
		{name: "cancelled before sending", tool: "send_message", args: validCalls["send_message"],
			ctx: func(ctx context.Context) (context.Context, context.CancelFunc) {
				ctx, cancel := context.WithCancel(ctx)
				cancel()
				return ctx, cancel
			},
			want: []string{"Could not send a message to thread 9000000101: the request was cancelled before it was sent."}},
		{name: "the server's own budget is spent", tool: "get_thread", args: getThread,
			opts: []envOption{withLimiter(hubspot.NewWindowLimiter(hubspot.Rate{Calls: 1, Per: time.Hour}))},
			ctx: func(ctx context.Context) (context.Context, context.CancelFunc) {
				return context.WithTimeout(ctx, time.Minute)
			},
			want: []string{"Could not get thread 9000000101: this server's own HubSpot call budget (1 calls per 3600s) is spent, so nothing was sent. Retry in 3601 s."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, tt.opts...)
			ctx := t.Context()
			if tt.ctx != nil {
				var cancel context.CancelFunc
				ctx, cancel = tt.ctx(ctx)
				defer cancel()
			}
			if tt.name == "the server's own budget is spent" {
				e.ok(t, "get_inbox", validCalls["get_inbox"], new(view.Inbox))
			}
			if tt.fault != nil {
				e.sb.InjectFault(*tt.fault)
			}
			got := e.failsCtx(t, ctx, tt.tool, tt.args, tt.want...)
			if tt.prefix != "" && !strings.HasPrefix(got, tt.prefix) {
				t.Errorf("error\n  %s\nwant prefix\n  %s", got, tt.prefix)
			}
		})
	}
}

func TestMissingCredentialIsAToolError(t *testing.T) {
	t.Parallel()
	// Per-user tokens, and a request that brings none.
	svc, err := inbox.New(inbox.Config{PerUserTokens: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range All(svc, Config{}) {
		res, err := st.Handler(t.Context(), request(t, st.Tool.Name, validCalls[st.Tool.Name]))
		if err != nil || !res.IsError {
			t.Fatalf("%s: %v, %+v: want an isError result", st.Tool.Name, err, res)
		}
		if got := res.Content[0].(mcp.TextContent).Text; got != inbox.ErrNoToken.Error() {
			t.Errorf("%s: %q", st.Tool.Name, got)
		}
	}
}

func TestExplainWithoutHubSpot(t *testing.T) {
	t.Parallel()
	f := failure{action: "get thread 1", scope: scopeRead}
	for _, c := range []struct {
		err  error
		want string
	}{
		{errors.New("boom"), "Could not get thread 1: boom"},
		{&hubspot.BudgetError{Wait: 9500 * time.Millisecond},
			"Could not get thread 1: HubSpot reported its rate-limit window spent, so nothing was sent. Retry in 10 s."},
		{context.DeadlineExceeded, "Could not get thread 1: the time limit ran out while waiting for the rate budget; nothing was sent. Try again."},
		{&inbox.StepError{Action: "find the latest message", Err: &hubspot.Error{StatusCode: 502, Message: "Bad Gateway"}},
			"HubSpot answered 502 to find the latest message: Bad Gateway. HubSpot is unavailable right now; try again later."},
	} {
		if got := explain(f, c.err); got != c.want {
			t.Errorf("explain(%v)\n got: %s\nwant: %s", c.err, got, c.want)
		}
	}
}
