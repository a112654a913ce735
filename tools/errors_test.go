package tools

import (
	"flag"
	"fmt"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot/sandbox"
)

// validCalls has one successful call per tool. send_message passes every
// field so that its first HubSpot request is the send itself.
var validCalls = map[string]string{
	"list_inboxes":                 `{}`,
	"get_inbox":                    `{"inboxId":"` + sandbox.InboxID + `"}`,
	"list_channels":                `{}`,
	"get_channel":                  `{"channelId":"` + sandbox.EmailChannelID + `"}`,
	"list_channel_accounts":        `{"inboxId":["` + sandbox.HelpDeskInboxID + `"]}`,
	"get_channel_account":          `{"channelAccountId":"` + sandbox.EmailChannelAccountID + `"}`,
	"list_threads":                 `{"threadStatus":"OPEN"}`,
	"get_thread":                   `{"threadId":"` + sandbox.EmailThreadID + `"}`,
	"update_thread":                `{"threadId":"` + sandbox.EmailThreadID + `","status":"CLOSED"}`,
	"archive_thread":               `{"threadId":"` + sandbox.ClosedThreadID + `"}`,
	"assign_thread":                `{"threadId":"` + sandbox.EmailThreadID + `","actorId":"` + sandbox.OtherAgentActorID + `"}`,
	"unassign_thread":              `{"threadId":"` + sandbox.AssignedThreadID + `"}`,
	"list_messages":                `{"threadId":"` + sandbox.AllTypesThreadID + `"}`,
	"get_message":                  `{"threadId":"` + sandbox.EmailThreadID + `","messageId":"` + sandbox.TruncatedMessageID + `"}`,
	"get_message_original_content": `{"threadId":"` + sandbox.EmailThreadID + `","messageId":"` + sandbox.TruncatedMessageID + `"}`,
	"send_message": `{"threadId":"` + sandbox.EmailThreadID + `","type":"MESSAGE","text":"Thanks!","senderActorId":"` + sandbox.AgentActorID +
		`","channelId":"` + sandbox.EmailChannelID + `","channelAccountId":"` + sandbox.EmailChannelAccountID +
		`","recipients":[{"deliveryIdentifiers":[{"type":"HS_EMAIL_ADDRESS","value":"maya.thompson@example.com"}]}]}`,
	"get_actor":            `{"actorId":"` + sandbox.VisitorActorID + `"}`,
	"batch_get_actors":     `{"inputs":["` + sandbox.AgentActorID + `"]}`,
	"create_visitor_token": `{"email":"maya.thompson@example.com"}`,
	"search_threads":       `{"customer":"maya.thompson@example.com"}`,
	"list_agents":          `{"query":"sam"}`,
}

// scopeOf is the scope each tool's 403 must name.
func scopeOf(tool string) string {
	switch {
	case tool == "create_visitor_token":
		return scopeVisitor
	case isReadOnly(toolByName(tool)):
		return scopeRead
	}
	return scopeWrite
}

func TestEveryToolSucceeds(t *testing.T) {
	t.Parallel()
	for _, name := range wantTools {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			args, ok := validCalls[name]
			if !ok {
				t.Fatalf("no valid call for %s", name)
			}
			var out map[string]any
			newEnv(t).ok(t, name, args, &out)
			if len(out) == 0 {
				t.Errorf("empty result")
			}
		})
	}
}

const dailyLimitBody = `{"status":"error","message":"You have reached your daily limit.","errorType":"RATE_LIMIT",` +
	`"correlationId":"c033cdaa-2f3b-4d6a-9a3e-3d5e2f2b1a00","policyName":"DAILY","category":"RATE_LIMITS"}`

// TestEveryToolExplainsHubSpotErrors sends each tool's valid call into each
// kind of HubSpot failure and checks that the text says what to do.
func TestEveryToolExplainsHubSpotErrors(t *testing.T) {
	t.Parallel()
	faults := []struct {
		name  string
		opts  []envOption
		fault *sandbox.Fault
		want  func(tool string) []string
	}{
		{name: "401 wrong token", opts: []envOption{withToken("pat-na1-wrong")}, want: func(string) []string {
			return []string{"HubSpot answered 401 INVALID_AUTHENTICATION", "invalid, expired or revoked", "Service Key (HubSpot → Development → Keys → Service keys)", "correlation id "}
		}},
		{name: "403 missing scope", fault: &sandbox.Fault{Status: http.StatusForbidden}, want: func(tool string) []string {
			return []string{"HubSpot answered 403 FORBIDDEN", "scope " + scopeOf(tool), "to the Service Key (Development → Keys → Service keys"}
		}},
		{name: "429 with Retry-After", fault: ptr(sandbox.RateLimitFault(2 * time.Minute)), want: func(string) []string {
			return []string{"HubSpot answered 429 RATE_LIMITS", "rate limit was reached and nothing was done; retry in 120 s"}
		}},
		{name: "429 without Retry-After falls back to HubSpot's window", fault: ptr(sandbox.RateLimitFault(0)), want: func(string) []string {
			return []string{"HubSpot answered 429", "retry in 10 s"}
		}},
		{name: "429 daily limit", fault: &sandbox.Fault{Status: http.StatusTooManyRequests, Body: dailyLimitBody}, want: func(string) []string {
			return []string{"You have reached your daily limit", "resets at midnight in the HubSpot account's time zone", "raise the limit",
				"correlation id c033cdaa-2f3b-4d6a-9a3e-3d5e2f2b1a00"}
		}},
		{name: "503", fault: &sandbox.Fault{Status: http.StatusServiceUnavailable}, want: func(tool string) []string {
			if tool == "send_message" {
				return []string{"HubSpot answered 503", "may have been sent", "list_messages to check before sending again"}
			}
			return []string{"HubSpot answered 503", "HubSpot is unavailable right now; try again later"}
		}},
	}
	for _, f := range faults {
		for _, name := range wantTools {
			t.Run(f.name+"/"+name, func(t *testing.T) {
				t.Parallel()
				e := newEnv(t, append([]envOption{noRetries}, f.opts...)...)
				if f.fault != nil {
					e.sb.InjectFault(*f.fault)
				}
				e.fails(t, name, validCalls[name], f.want(name)...)
			})
		}
	}
}

// notFoundCalls address an object that does not exist.
var notFoundCalls = map[string][2]string{
	"get_inbox":                    {`{"inboxId":"404"}`, "Inbox 404 not found; list_inboxes finds valid inbox IDs"},
	"get_channel":                  {`{"channelId":"404"}`, "Channel 404 not found; list_channels finds valid channel IDs"},
	"get_channel_account":          {`{"channelAccountId":"404"}`, "Channel account 404 not found; list_channel_accounts finds valid channel account IDs"},
	"get_thread":                   {`{"threadId":"404"}`, "Thread 404 not found; list_threads finds valid thread IDs"},
	"update_thread":                {`{"threadId":"404","status":"OPEN"}`, "Thread 404 not found; list_threads finds valid thread IDs"},
	"archive_thread":               {`{"threadId":"404"}`, "Thread 404 not found; list_threads finds valid thread IDs"},
	"assign_thread":                {`{"threadId":"404","actorId":"A-48151623"}`, "Thread 404 or agent A-48151623 not found"},
	"unassign_thread":              {`{"threadId":"404"}`, "Thread 404 not found; list_threads finds valid thread IDs"},
	"list_messages":                {`{"threadId":"404"}`, "Thread 404 not found; list_threads finds valid thread IDs"},
	"get_message":                  {`{"threadId":"` + sandbox.EmailThreadID + `","messageId":"nope"}`, "Message nope in thread 9000000101 not found; list_messages finds"},
	"get_message_original_content": {`{"threadId":"404","messageId":"nope"}`, "Message nope in thread 404 not found"},
	"send_message":                 {`{"threadId":"404","type":"COMMENT","text":"x"}`, "Thread 404 not found; list_threads finds valid thread IDs"},
	"get_actor":                    {`{"actorId":"A-404"}`, "Actor A-404 not found"},
}

func TestNotFound(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for name, c := range notFoundCalls {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			e.fails(t, name, c[0], c[1], "HubSpot answered 404 OBJECT_NOT_FOUND")
		})
	}
}

// TestEveryToolRejectsBadInput checks the argument handling every tool
// shares: arguments that are not an object are refused, and so is an
// unknown parameter, by every tool, before anything is sent: an ignored
// filter would answer another question than the one asked.
func TestEveryToolRejectsBadInput(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for _, st := range All(nil, Config{}) {
		name := st.Tool.Name
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			args := strings.TrimSuffix(validCalls[name], "}")
			if args != "{" {
				args += ","
			}
			args += `"bogus":1}`
			e.fails(t, name, args, `Invalid arguments: "bogus" is not a known parameter; allowed: `, "Nothing was sent to HubSpot.")
			e.fails(t, name, `[]`, "arguments must be a JSON object")
		})
	}
	t.Cleanup(func() {
		if got := e.requests(); len(got) != 0 {
			t.Errorf("bad input reached HubSpot: %v", got)
		}
	})
}

func toolByName(name string) mcp.Tool {
	for _, st := range All(nil, Config{}) {
		if st.Tool.Name == name {
			return st.Tool
		}
	}
	panic("no tool " + name)
}

// TestMain checks, after a full run, that every tool had at least one
// successful call whose structured content was validated against its
// output schema.
// ranEveryTest tells whether this run ran every test, so that the
// coverage check below means something: not with -run, -skip or -short,
// and not when only listing (-list).
func ranEveryTest() bool {
	for _, name := range []string{"test.run", "test.skip", "test.list"} {
		if f := flag.Lookup(name); f != nil && f.Value.String() != "" {
			return false
		}
	}
	return !testing.Short()
}

func TestMain(m *testing.M) {
	flag.Parse()
	code := m.Run()
	if code == 0 && ranEveryTest() {
		var missing []string
		for _, name := range wantTools {
			if _, ok := covered.Load(name); !ok {
				missing = append(missing, name)
			}
		}
		if len(missing) > 0 {
			fmt.Fprintf(os.Stderr, "no successful call was checked against the output schema of: %s\n", strings.Join(missing, ", "))
			code = 1
		}
	}
	os.Exit(code)
}
