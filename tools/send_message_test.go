package tools

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot/sandbox"
)

const messagesPath = "/conversations/v3/conversations/threads/{threadId}/messages"

// sentBodies returns the JSON bodies of the sends the sandbox received.
func (e *env) sentBodies(t *testing.T) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, r := range e.sb.Requests() {
		if r.Method != http.MethodPost {
			continue
		}
		var body map[string]any
		if err := json.Unmarshal(r.Body, &body); err != nil {
			t.Fatal(err)
		}
		out = append(out, body)
	}
	return out
}

func TestSendMessageDefaults(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		sender   string
		args     string
		wantBody string
		wantFrom string
	}{
		{
			name:   "an email reply copies channel, account, recipients and subject of the latest incoming message; the sender comes from Config",
			sender: sandbox.AgentActorID,
			args:   `{"threadId":"` + sandbox.EmailThreadID + `","type":"MESSAGE","text":"Glad it worked out!"}`,
			wantBody: `{"type":"MESSAGE","text":"Glad it worked out!","subject":"Re: Exchange for order JO-10433: Summit Shell jacket too small",
				"senderActorId":"A-48151623","channelId":"1002","channelAccountId":"240000102","attachments":[],
				"recipients":[{"actorId":"V-3501","name":"Maya Thompson","recipientField":"TO",
					"deliveryIdentifiers":[{"type":"HS_EMAIL_ADDRESS","value":"maya.thompson@example.com"}]}]}`,
			wantFrom: sandbox.TruncatedMessageID,
		},
		{
			name:   "a chat reply has no recipient field or subject; an explicit sender wins over Config",
			sender: sandbox.AgentActorID,
			args:   `{"threadId":"` + sandbox.AllTypesThreadID + `","type":"MESSAGE","text":"On it!","senderActorId":"` + sandbox.OtherAgentActorID + `"}`,
			wantBody: `{"type":"MESSAGE","text":"On it!","senderActorId":"A-48151624","channelId":"1000","channelAccountId":"240000101","attachments":[],
				"recipients":[{"actorId":"V-3502","name":"Daniel Ortiz","deliveryIdentifiers":[{"type":"CHANNEL_SPECIFIC_OPAQUE_ID","value":"bdfe37ee65a308b7ff0d2159"}]}]}`,
			wantFrom: "a749fcfd1da92280f255d2fc6b249c32",
		},
		{
			name: "given fields are kept and only the missing ones are filled",
			args: `{"threadId":"` + sandbox.EmailThreadID + `","type":"MESSAGE","text":"Hi","subject":"Your exchange","senderActorId":"A-48151623",
				"recipients":[{"name":"Jordan Lee","recipientField":"CC","deliveryIdentifiers":[{"type":"HS_EMAIL_ADDRESS","value":"jordan.lee@example.com"}]}]}`,
			wantBody: `{"type":"MESSAGE","text":"Hi","subject":"Your exchange","senderActorId":"A-48151623","channelId":"1002","channelAccountId":"240000102","attachments":[],
				"recipients":[{"name":"Jordan Lee","recipientField":"CC","deliveryIdentifiers":[{"type":"HS_EMAIL_ADDRESS","value":"jordan.lee@example.com"}]}]}`,
			wantFrom: sandbox.TruncatedMessageID,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, withSender(tt.sender))
			var got sendMessageOutput
			e.ok(t, "send_message", tt.args, &got)
			var want map[string]any
			if err := json.Unmarshal([]byte(tt.wantBody), &want); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff([]map[string]any{want}, e.sentBodies(t)); diff != "" {
				t.Errorf("sent body (-want +got):\n%s", diff)
			}
			if got.DefaultsFrom != tt.wantFrom || got.Type != "MESSAGE" || got.Direction != "OUTGOING" || got.ID == "" {
				t.Errorf("result %+v, want an OUTGOING MESSAGE with defaults from %s", got, tt.wantFrom)
			}
			reqs := e.requests()
			if len(reqs) != 2 || reqs[0] != "GET /conversations/v3/conversations/threads/"+threadOf(tt.args)+"/messages?limit=100&sort=-createdAt" {
				t.Errorf("requests %v: want one look-up of the newest 100 entries, then the send", reqs)
			}
		})
	}
}

func threadOf(args string) string {
	var v struct{ ThreadID string }
	_ = json.Unmarshal([]byte(args), &v)
	return v.ThreadID
}

func TestSendMessageComment(t *testing.T) {
	t.Parallel()
	e := newEnv(t, withSender(sandbox.AgentActorID))
	var got sendMessageOutput
	e.ok(t, "send_message", `{"threadId":"`+sandbox.EmailThreadID+`","type":"COMMENT","text":"Customer called, see ticket."}`, &got)
	if got.Type != "COMMENT" || got.Text != "Customer called, see ticket." || got.DefaultsFrom != "" {
		t.Errorf("comment result %+v", got)
	}
	want := []map[string]any{{"type": "COMMENT", "text": "Customer called, see ticket.", "attachments": []any{}}}
	if diff := cmp.Diff(want, e.sentBodies(t)); diff != "" {
		t.Errorf("a comment needs no look-up and carries no sender or channel (-want +got):\n%s", diff)
	}
	if n := len(e.requests()); n != 1 {
		t.Errorf("%d requests, want only the send", n)
	}
	e.fails(t, "send_message", `{"threadId":"`+sandbox.EmailThreadID+`","type":"COMMENT","text":"x","channelId":"1002"}`,
		"Invalid arguments: channelId only applies to type MESSAGE; a COMMENT is an internal note with text only")
}

func TestSendMessageErrors(t *testing.T) {
	t.Parallel()
	sender := withSender(sandbox.AgentActorID)
	reply := `{"threadId":"` + sandbox.EmailThreadID + `","type":"MESSAGE","text":"Hello"}`
	tests := []struct {
		name      string
		opts      []envOption
		faults    []sandbox.Fault
		args      string
		want      []string
		dontWant  string
		wantSends int
		wantReqs  int
	}{
		{name: "no sender anywhere", args: reply, want: []string{
			"senderActorId is required for a MESSAGE: set HUBSPOT_SENDER_ACTOR_ID, or pass the actor ID (A-…) or email address of the agent sending",
			"Nothing was sent"}},
		{name: "a visitor cannot send", opts: []envOption{sender}, args: `{"threadId":"1","type":"MESSAGE","text":"x","senderActorId":"V-3501"}`,
			want: []string{`senderActorId must be an agent actor ID (A- followed by the user ID, such as A-123), got "V-3501"`}},
		{name: "a misconfigured default sender is named", opts: []envOption{withSender("48151623")}, args: reply,
			want: []string{`senderActorId must be passed: HUBSPOT_SENDER_ACTOR_ID is "48151623", which is neither an agent actor ID (A-…) nor an email address`}},
		{name: "a default sender's address that is no agent's is named", opts: []envOption{withSender("nobody@juniper-outdoor.example")},
			args: reply, wantReqs: 1,
			want: []string{`senderActorId was not given, and HUBSPOT_SENDER_ACTOR_ID "nobody@juniper-outdoor.example" names no agent; list_agents lists the agents; pass senderActorId`}},
		{name: "an ambiguous sender is refused with the candidates", opts: []envOption{sender}, faults: []sandbox.Fault{twoDanas},
			args: `{"threadId":"` + sandbox.EmailThreadID + `","type":"MESSAGE","text":"x","senderActorId":"Dana"}`, wantReqs: 1,
			want: []string{`senderActorId "Dana" matches 2 agents: Dana Kim <dana.kim@juniper-outdoor.example> (A-48151626); Dana Whitfield <dana.whitfield@juniper-outdoor.example> (A-48151625); pass one's actor ID (A-…) or email address`}},

		{name: "type is required and named", opts: []envOption{sender}, args: `{"threadId":"1","text":"x"}`,
			want: []string{"type is required: MESSAGE reaches the customer"}},
		{name: "type must be MESSAGE or COMMENT", opts: []envOption{sender}, args: `{"threadId":"1","type":"NOTE","text":"x"}`,
			want: []string{`type must be one of MESSAGE, COMMENT, got "NOTE"`}},
		{name: "blank text", opts: []envOption{sender}, args: `{"threadId":"` + sandbox.EmailThreadID + `","type":"COMMENT","text":"  "}`,
			want: []string{"text is required and cannot be blank"}},
		{name: "agents are never recipients", opts: []envOption{sender},
			args: `{"threadId":"` + sandbox.EmailThreadID + `","type":"MESSAGE","text":"x","recipients":[{"actorId":"A-1","deliveryIdentifiers":[{"type":"HS_EMAIL_ADDRESS","value":"a@b.c"}]}]}`,
			want: []string{"recipients[0].actorId cannot be an agent"}, wantReqs: 1},
		{name: "a thread without incoming messages needs explicit channel fields", opts: []envOption{sender},
			faults: []sandbox.Fault{{Method: "GET", Path: messagesPath, Status: 200, Body: `{"results":[]}`}},
			args:   reply, wantReqs: 1,
			want: []string{"channelId is required for this MESSAGE: the thread has no incoming message among its 100 most recent entries", "list_channel_accounts"}},
		{name: "the look-up is one read however long the thread", opts: []envOption{sender},
			faults: []sandbox.Fault{{Method: "GET", Path: messagesPath, Status: 200, Times: -1,
				Body: `{"results":[{"id":"c1","type":"COMMENT","text":"x"}],"paging":{"next":{"after":"more"}}}`}},
			args: reply, wantReqs: 1, want: []string{"channelId is required for this MESSAGE"}},
		{name: "another channel than the latest incoming message's needs the other fields", opts: []envOption{sender},
			args: `{"threadId":"` + sandbox.EmailThreadID + `","type":"MESSAGE","text":"x","channelId":"1000"}`, wantReqs: 1,
			want: []string{"channelAccountId is required for this MESSAGE: channelId 1000 differs from the channel of the latest incoming message " + sandbox.TruncatedMessageID}},
		{name: "a failed look-up says nothing was sent", opts: []envOption{sender, noRetries},
			faults: []sandbox.Fault{{Method: "GET", Path: messagesPath, Status: http.StatusServiceUnavailable}},
			args:   reply, wantReqs: 1, dontWant: "may have been sent",
			want: []string{"HubSpot answered 503", "to find the latest incoming message of thread 9000000101", "HubSpot is unavailable right now"}},
		{name: "a dropped connection during the send may have sent it", opts: []envOption{sender},
			faults: []sandbox.Fault{{Method: "POST", Path: messagesPath, Drop: true}},
			args:   reply, wantReqs: 2, wantSends: 1,
			want: []string{"Could not send a message to thread 9000000101: the connection to HubSpot failed", "The message may have been sent: call list_messages to check before sending again"}},
		{name: "an unreadable 201 means the message was sent", opts: []envOption{sender},
			faults: []sandbox.Fault{{Method: "POST", Path: messagesPath, Status: http.StatusCreated, Malformed: true}},
			args:   reply, wantReqs: 2, wantSends: 1,
			want: []string{"HubSpot accepted the message (status 201) but its answer could not be read", "Call list_messages to check before sending again"}},
		{name: "HubSpot's own validation is relayed with its details", opts: []envOption{sender},
			args: `{"threadId":"` + sandbox.EmailThreadID + `","type":"MESSAGE","text":"x","channelAccountId":"240000999"}`, wantReqs: 2, wantSends: 1,
			want: []string{"HubSpot answered 400 VALIDATION_ERROR to send a message to thread 9000000101: Channel account 240000999 does not exist"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, tt.opts...)
			for _, f := range tt.faults {
				e.sb.InjectFault(f)
			}
			got := e.fails(t, "send_message", tt.args, tt.want...)
			if tt.dontWant != "" && strings.Contains(got, tt.dontWant) {
				t.Errorf("error %q must not say %q", got, tt.dontWant)
			}
			if n := len(e.requests()); n != tt.wantReqs {
				t.Errorf("%d requests, want %d: %v", n, tt.wantReqs, e.requests())
			}
			if n := len(e.sentBodies(t)); n != tt.wantSends {
				t.Errorf("%d sends, want %d (never retried)", n, tt.wantSends)
			}
		})
	}
}

// twoDanas answers the owners list with two agents called Dana (and a
// queue, which is no agent), for the ambiguous name.
var twoDanas = sandbox.Fault{Method: "GET", Path: "/crm/v3/owners", Status: 200, Body: `{"results":[
	{"id":"83512003","email":"dana.whitfield@juniper-outdoor.example","firstName":"Dana","lastName":"Whitfield","userId":48151625,"type":"PERSON","archived":false,"createdAt":"2025-01-01T00:00:00Z","updatedAt":"2025-01-01T00:00:00Z"},
	{"id":"83512009","email":"dana.kim@juniper-outdoor.example","firstName":"Dana","lastName":"Kim","userId":48151626,"type":"PERSON","archived":false,"createdAt":"2025-01-01T00:00:00Z","updatedAt":"2025-01-01T00:00:00Z"},
	{"id":"83512004","firstName":"Dana","lastName":"queue","type":"QUEUE","archived":false,"createdAt":"2025-01-01T00:00:00Z","updatedAt":"2025-01-01T00:00:00Z"}]}`}
