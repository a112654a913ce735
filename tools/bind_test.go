package tools

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/mark3labs/mcp-go/mcp"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot"
)

// request builds a tools/call request the way the server decodes one.
func request(t testing.TB, name, args string) mcp.CallToolRequest {
	t.Helper()
	var req mcp.CallToolRequest
	params := `{"name":` + strconvQuote(name) + `,"arguments":` + args + `}`
	if args == "" {
		params = `{"name":` + strconvQuote(name) + `}`
	}
	if err := json.Unmarshal([]byte(params), &req.Params); err != nil {
		t.Fatalf("request %s: %v", params, err)
	}
	return req
}

func strconvQuote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func bindFor[In any](t testing.TB, args string) (In, error) {
	t.Helper()
	_, sh := inputSchema[In]()
	return bind[In](request(t, "test", args), sh)
}

func TestBindMessages(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		bind func(t *testing.T, args string) error
		args string
		want string // the whole error text, "" for success
	}{
		{"no arguments at all is missing the required ID", bindAs[getInboxInput], "",
			"inboxId is required: The inbox ID (digits), from list_inboxes"},
		{"null arguments", bindAs[getInboxInput], `null`,
			"inboxId is required: The inbox ID (digits), from list_inboxes"},
		{"arguments that are not an object", bindAs[getInboxInput], `["147959634"]`,
			"arguments must be a JSON object with the tool's parameters, got a list"},
		{"a number where an ID string belongs", bindAs[getInboxInput], `{"inboxId": 147959634}`,
			`inboxId must be a string (IDs are strings: write "123", not 123), got the number 147959634`},
		{"an ID with letters", bindAs[getInboxInput], `{"inboxId": "abc"}`,
			`inboxId must contain only digits, such as 1234567, got "abc"`},
		{"an ID that would change the path", bindAs[getInboxInput], `{"inboxId": "1/../2"}`,
			`inboxId must contain only digits, such as 1234567, got "1/../2"`},
		{"an empty required ID", bindAs[getInboxInput], `{"inboxId": ""}`,
			"inboxId is required: a numeric ID such as 1234567"},
		{"an unknown parameter is named with the allowed ones", bindAs[getInboxInput], `{"inboxId": "1", "inbox": "2"}`,
			`"inbox" is not a known parameter; allowed: inboxId, archived`},
		{"a string for a boolean", bindAs[getInboxInput], `{"inboxId": "1", "archived": "yes"}`,
			`archived must be true or false, got the string "yes"`},
		{"null for an optional parameter means unset", bindAs[getInboxInput], `{"inboxId": "1", "archived": null}`, ""},
		{"null for a required parameter means missing", bindAs[getInboxInput], `{"inboxId": null}`,
			"inboxId is required: The inbox ID (digits), from list_inboxes"},
		{"a required nested field without description", bindAs[sendMessageInput], `{"threadId":"1","type":"COMMENT","text":"x","attachments":[{"fileId":"1"}]}`,
			"attachments[0].type is required"},
		{"limit below range", bindAs[listInboxesInput], `{"limit": 0}`, "limit must be from 1 to 100, got 0"},
		{"limit above range", bindAs[listInboxesInput], `{"limit": 500}`, "limit must be from 1 to 100, got 500"},
		{"limit with a fraction", bindAs[listInboxesInput], `{"limit": 2.5}`, "limit must be a whole number, got the number 2.5"},
		{"limit as a string", bindAs[listInboxesInput], `{"limit": "10"}`, `limit must be a whole number, got the string "10"`},
		{"limit written 10.0 is a whole number", bindAs[listInboxesInput], `{"limit": 10.0}`, ""},
		{"a huge number", bindAs[listInboxesInput], `{"limit": 1e300}`, "limit must be a whole number, got the number 1e300"},
		{"sort must be a list", bindAs[listInboxesInput], `{"sort": "name"}`, `sort must be a list (JSON array), got the string "name"`},
		{"sort field with a space", bindAs[listInboxesInput], `{"sort": ["name desc"]}`,
			`sort[0] must be a field name such as name or id, with '-' in front for descending order, got "name desc"`},
		{"enum violation", bindAs[listThreadsInput], `{"threadStatus": "open"}`, `threadStatus must be one of OPEN, CLOSED, got "open"`},
		{"enum on list items", bindAs[listThreadsInput], `{"association": ["CONTACT"]}`, `association[0] must be one of TICKET, got "CONTACT"`},
		{"bad item of an ID list", bindAs[listThreadsInput], `{"inboxId": ["1", 2]}`,
			`inboxId[1] must be a string (IDs are strings: write "123", not 123), got the number 2`},
		{"bad date-time", bindAs[listThreadsInput], `{"latestMessageTimestampAfter": "yesterday"}`,
			`latestMessageTimestampAfter must be an RFC 3339 date-time such as 2026-01-31T09:00:00Z, got "yesterday"`},
		{"date-time without zone", bindAs[listThreadsInput], `{"latestMessageTimestampAfter": "2026-01-31T09:00:00"}`,
			`latestMessageTimestampAfter must be an RFC 3339 date-time such as 2026-01-31T09:00:00Z, got "2026-01-31T09:00:00"`},
		{"an empty optional ID is unset", bindAs[listThreadsInput], `{"associatedTicketId": ""}`, ""},
		{"nested required field", bindAs[sendMessageInput], `{"threadId":"1","type":"MESSAGE","text":"hi","recipients":[{"name":"Jo"}]}`,
			"recipients[0].deliveryIdentifiers is required: The recipient's addresses"},
		{"nested list needs an item", bindAs[sendMessageInput], `{"threadId":"1","type":"MESSAGE","text":"hi","recipients":[{"deliveryIdentifiers":[]}]}`,
			"recipients[0].deliveryIdentifiers needs at least 1 item(s)"},
		{"nested enum", bindAs[sendMessageInput], `{"threadId":"1","type":"MESSAGE","text":"hi","recipients":[{"deliveryIdentifiers":[{"type":"EMAIL","value":"a@b.c"}]}]}`,
			`recipients[0].deliveryIdentifiers[0].type must be one of HS_EMAIL_ADDRESS, HS_PHONE_NUMBER, HS_SHORT_CODE, CHANNEL_SPECIFIC_OPAQUE_ID, got "EMAIL"`},
		{"nested unknown field", bindAs[sendMessageInput], `{"threadId":"1","type":"COMMENT","text":"hi","attachments":[{"type":"FILE","fileId":"1","size":3}]}`,
			`"size" is not a known field of attachments[0]; allowed: type, fileId, quickReplies, socialMetadata`},
		{"type is required on send", bindAs[sendMessageInput], `{"threadId":"1","text":"hi"}`,
			"type is required: MESSAGE is delivered to the customer and cannot be unsent. COMMENT is an internal note that only agents see"},
		{"update needs status or archived", bindAs[updateThreadInput], `{"threadId":"1"}`,
			"status or archived is required: set status to OPEN or CLOSED, or archived to false to restore a trashed thread"},
		{"update cannot archive", bindAs[updateThreadInput], `{"threadId":"1","archived":true}`,
			"archived can only be false (restore); to archive a thread use archive_thread"},
		{"update takes one change at a time", bindAs[updateThreadInput], `{"threadId":"1","archived":false,"status":"OPEN"}`,
			"archived cannot be combined with status: restore the thread first, then change its status in a second call"},
		{"batch needs an actor", bindAs[batchGetActorsInput], `{"inputs":[]}`, "inputs needs at least 1 item(s)"},
		{"batch takes at most 100", bindAs[batchGetActorsInput], `{"inputs":[` + strings.Repeat(`"A-1",`, 100) + `"A-1"]}`,
			"inputs takes at most 100 items, got 101"},
		{"bad actor ID", bindAs[getActorInput], `{"actorId":"123"}`,
			`actorId must be an actor ID such as A-123 (agent), V-456 (visitor), I-55 (integration), S-hubspot (system) or E-jane@example.com, got "123"`},
		{"bad message ID", bindAs[messageIDInput], `{"threadId":"1","messageId":"../x"}`,
			`messageId must be a message ID of letters, digits, '-' and '_', got "../x"`},
		{"trailing garbage", bindAs[getInboxInput], `{"inboxId":"1"} {}`, "arguments must be a JSON object"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := tt.bind(t, tt.args)
			got := ""
			if err != nil {
				var ae *hubspot.ArgumentError
				if !errors.As(err, &ae) {
					t.Fatalf("error %v (%T) is not a *hubspot.ArgumentError", err, err)
				}
				got = err.Error()
			}
			if got != tt.want {
				t.Errorf("bind(%s)\n got: %s\nwant: %s", tt.args, got, tt.want)
			}
		})
	}
}

func bindAs[In any](t *testing.T, args string) error {
	t.Helper()
	if args == "" {
		_, sh := inputSchema[In]()
		_, err := bind[In](mcp.CallToolRequest{}, sh)
		return err
	}
	_, sh := inputSchema[In]()
	_, err := bind[In](mcp.CallToolRequest{Params: mcp.CallToolParams{RawArguments: json.RawMessage(args)}}, sh)
	return err
}

func TestBindDecodes(t *testing.T) {
	t.Parallel()
	got, err := bindFor[listThreadsInput](t, `{"inboxId":["1","2"],"threadStatus":"OPEN","association":["TICKET"],"archived":false,"after":"abc","property":null}`)
	if err != nil {
		t.Fatal(err)
	}
	want := listThreadsInput{
		pageInput: pageInput{After: "abc", Limit: 20}, InboxID: []string{"1", "2"}, ThreadStatus: "OPEN", Association: []string{"TICKET"},
	}
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(listThreadsInput{})); diff != "" {
		t.Errorf("bound (-want +got):\n%s", diff)
	}

	restore, err := bindFor[updateThreadInput](t, `{"threadId":"9000000104","archived":false}`)
	if err != nil {
		t.Fatal(err)
	}
	if restore.Archived == nil || *restore.Archived || restore.ThreadID != "9000000104" {
		t.Errorf("restore bound to %+v, want archived=false", restore)
	}
}

// TestBindWithoutRawArguments covers requests built in process (no wire
// JSON), where only Params.Arguments is set.
func TestBindWithoutRawArguments(t *testing.T) {
	t.Parallel()
	_, sh := inputSchema[getInboxInput]()
	req := mcp.CallToolRequest{Params: mcp.CallToolParams{Arguments: map[string]any{"inboxId": "147959634"}}}
	got, err := bind[getInboxInput](req, sh)
	if err != nil || got.InboxID != "147959634" {
		t.Errorf("bind = %+v, %v", got, err)
	}
}

// FuzzBindArguments feeds arbitrary argument JSON to the binder of the
// richest inputs. It must never panic, must explain every rejection with a
// *hubspot.ArgumentError, and whatever it accepts must bind again to the
// same value after a round trip (the checks and the decoding agree).
func FuzzBindArguments(f *testing.F) {
	for _, seed := range []string{
		`{}`, `null`, `[]`, `"x"`, `{"threadId":"1","type":"COMMENT","text":"hi"}`,
		`{"threadId":"1","type":"MESSAGE","text":"hi","recipients":[{"actorId":"V-1","deliveryIdentifiers":[{"type":"HS_EMAIL_ADDRESS","value":"a@b.c"}]}]}`,
		`{"threadId":"1","type":"MESSAGE","text":"hi","attachments":[{"type":"QUICK_REPLIES","quickReplies":[{"value":"y","valueType":"TEXT"}]},{"type":"SOCIAL_MEDIA_METADATA","socialMetadata":{"mediaType":"PHOTO"}}]}`,
		`{"limit":100,"sort":["-id"],"inboxId":["1"],"latestMessageTimestampAfter":"2026-01-31T09:00:00+02:00"}`,
		`{"limit":1e2,"archived":null,"association":["TICKET"]}`,
		`{"threadId":"1","archived":false}`, `{"threadId":1}`, `{"a":{"b":[1,{"c":null}]}}`,
		`{"limit":-9223372036854775809}`, `{"limit":9007199254740993}`, `{"threadId":"\u0000"}`,
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, args string) {
		fuzzBind[listThreadsInput](t, args)
		fuzzBind[sendMessageInput](t, args)
		fuzzBind[updateThreadInput](t, args)
		fuzzBind[batchGetActorsInput](t, args)
	})
}

func fuzzBind[In any](t *testing.T, args string) {
	_, sh := inputSchema[In]()
	req := mcp.CallToolRequest{Params: mcp.CallToolParams{RawArguments: json.RawMessage(args)}}
	in, err := bind[In](req, sh)
	if err != nil {
		var ae *hubspot.ArgumentError
		if !errors.As(err, &ae) {
			t.Fatalf("bind(%q): %v is not an ArgumentError", args, err)
		}
		if ae.Name == "" || ae.Reason == "" {
			t.Fatalf("bind(%q): error %q lacks a name or reason", args, err)
		}
		return
	}
	again, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	req.Params.RawArguments = again
	in2, err := bind[In](req, sh)
	if err != nil {
		t.Fatalf("bind(%q) accepted, but its re-encoding %s fails: %v", args, again, err)
	}
	if !reflect.DeepEqual(in, in2) {
		t.Fatalf("bind(%q) = %+v, but round trip gives %+v", args, in, in2)
	}
}
