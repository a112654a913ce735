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

// bindAs binds args as the tool named tool does (its aliases), with the
// binding of its input type, as define does.
func bindAs[In any](tool, args string) (In, error) {
	if args == "" {
		args = "{}"
	}
	return bindInput[In](newBinding[In](), []byte(args), aliases[tool])
}

// TestSloppyCallsMeanWhatTheySay: each call a model typically gets slightly
// wrong becomes the call it means.
func TestSloppyCallsMeanWhatTheySay(t *testing.T) {
	t.Parallel()
	check := func(t *testing.T, got, want any, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("refused: %v", err)
		}
		if diff := cmp.Diff(want, got, cmp.AllowUnexported(listThreadsInput{}, getThreadInput{}, listMessagesInput{},
			messageIDInput{}, sendMessageInput{}, updateThreadInput{}, listInboxesInput{}, assignThreadInput{}, searchThreadsInput{})); diff != "" {
			t.Errorf("bound (-want +got):\n%s", diff)
		}
	}
	page := pageInput{Limit: defaultPageSize}
	tests := []struct {
		name, args string
		bind       func(args string) (any, error)
		want       any
	}{
		{"a thread ID as a number", `{"threadId": 9000000101}`, read[getThreadInput],
			getThreadInput{threadIDInput: threadIDInput{"9000000101"}}},
		{"a thread ID with spaces", `{"threadId": " 9000000101 "}`, read[getThreadInput],
			getThreadInput{threadIDInput: threadIDInput{"9000000101"}}},
		{"a single inbox ID where a list belongs", `{"inboxId": "147959640"}`, read[listThreadsInput],
			listThreadsInput{pageInput: page, InboxID: []numericID{"147959640"}}},
		{"a single inbox ID as a number", `{"inboxId": 147959640}`, read[listThreadsInput],
			listThreadsInput{pageInput: page, InboxID: []numericID{"147959640"}}},
		{"a list of numeric inbox IDs", `{"inboxId": [1, "2"]}`, read[listThreadsInput],
			listThreadsInput{pageInput: page, InboxID: []numericID{"1", "2"}}},
		{"an enum in lower case", `{"threadStatus": "open"}`, read[listThreadsInput],
			listThreadsInput{pageInput: page, ThreadStatus: "OPEN"}},
		{"a limit as a string", `{"limit": "3"}`, read[listThreadsInput],
			listThreadsInput{pageInput: pageInput{Limit: 3}}},
		{"a limit written 10.0", `{"limit": 10.0}`, read[listInboxesInput],
			listInboxesInput{pageInput: pageInput{Limit: 10}}},
		{"a boolean as a string", `{"archived": "false"}`, read[listThreadsInput],
			listThreadsInput{pageInput: page}},
		{"TRUE in capitals", `{"archived": "TRUE"}`, read[listThreadsInput],
			listThreadsInput{pageInput: page, Archived: true}},
		{"a bare date", `{"latestMessageTimestampAfter": "2026-11-19"}`, read[listThreadsInput],
			listThreadsInput{pageInput: page, LatestMessageTimestampAfter: "2026-11-19T00:00:00Z"}},
		{"a single sort key, in the wrong case", `{"sort": "-LatestMessageTimestamp"}`, read[listThreadsInput],
			listThreadsInput{pageInput: page, Sort: []threadSort{"-latestMessageTimestamp"}}},
		{"status for list_threads' threadStatus", `{"status": "open"}`, as[listThreadsInput]("list_threads"),
			listThreadsInput{pageInput: page, ThreadStatus: "OPEN"}},
		{"inbox and contactId for list_threads' inboxId and associatedContactId", `{"inbox": 147959640, "contactId": "3501", "threadStatus": "CLOSED"}`,
			as[listThreadsInput]("list_threads"),
			listThreadsInput{pageInput: page, InboxID: []numericID{"147959640"}, AssociatedContactID: "3501", ThreadStatus: "CLOSED"}},
		{"email and status for search_threads' customer and threadStatus", `{"email": "maya@example.com", "status": "closed"}`,
			as[searchThreadsInput]("search_threads"),
			searchThreadsInput{pageInput: page, Customer: "maya@example.com", ThreadStatus: "CLOSED"}},
		{"assignee for assign_thread's actorId", `{"threadId": "1", "assignee": "dana@example.com"}`, as[assignThreadInput]("assign_thread"),
			assignThreadInput{threadIDInput: threadIDInput{"1"}, ActorID: "dana@example.com"}},
		{"body for send_message's text", `{"threadId": "1", "type": "COMMENT", "body": "Checked."}`, as[sendMessageInput]("send_message"),
			sendMessageInput{threadIDInput: threadIDInput{"1"}, Type: "COMMENT", Text: "Checked."}},
		{"message for send_message's text", `{"threadId": "1", "type": "COMMENT", "message": "Checked."}`, as[sendMessageInput]("send_message"),
			sendMessageInput{threadIDInput: threadIDInput{"1"}, Type: "COMMENT", Text: "Checked."}},
		{"null, empty string and empty list mean unset", `{"threadStatus": null, "associatedTicketId": "", "inboxId": []}`, read[listThreadsInput],
			listThreadsInput{pageInput: page}},
		{"an association as a lower-case single value", `{"threadId": "1", "association": "ticket"}`, read[getThreadInput],
			getThreadInput{threadIDInput: threadIDInput{"1"}, Association: []association{"TICKET"}}},
		{"message sort in a single string", `{"threadId": 5, "sort": "createdat"}`, read[listMessagesInput],
			listMessagesInput{threadIDInput: threadIDInput{"5"}, pageInput: page, Sort: []messageSort{"createdAt"}}},
		{"a message and thread ID with spaces", `{"threadId": 7, "messageId": " abc123 "}`, read[messageIDInput],
			messageIDInput{threadIDInput: threadIDInput{"7"}, MessageID: "abc123"}},
		{"a status in lower case on a write", `{"threadId": 9000000101, "status": "closed"}`, write[updateThreadInput],
			updateThreadInput{threadIDInput: threadIDInput{"9000000101"}, Status: "CLOSED"}},
		{"restore with archived as a string", `{"threadId": "1", "archived": "false"}`, write[updateThreadInput],
			updateThreadInput{threadIDInput: threadIDInput{"1"}, Archived: ptr(false)}},
		{"a send with lower-case type and numeric channel IDs", `{"threadId": 1, "type": "message", "text": "hi", "channelId": 1002, "channelAccountId": 3}`,
			write[sendMessageInput],
			sendMessageInput{threadIDInput: threadIDInput{"1"}, Type: "MESSAGE", Text: "hi", ChannelID: "1002", ChannelAccountID: "3"}},
		{"one recipient, not a list, with a lower-case address type", `{"threadId": "1", "type": "MESSAGE", "text": "hi",
			"recipients": {"deliveryIdentifiers": {"type": "hs_email_address", "value": "a@b.c"}, "recipientField": "to"}}`,
			write[sendMessageInput],
			sendMessageInput{threadIDInput: threadIDInput{"1"}, Type: "MESSAGE", Text: "hi", Recipients: []recipientInput{
				{RecipientField: "TO", DeliveryIdentifiers: []deliveryIdentifierInput{{Type: hubspot.DeliveryEmail, Value: "a@b.c"}}}}}},
		{"one actor ID, not a list", `{"inputs": "A-1"}`, read[batchGetActorsInput],
			batchGetActorsInput{Inputs: actorBatch{"A-1"}}},
		{"an assignee by email", `{"threadId": "1", "actorId": "dana@example.com"}`, write[assignThreadInput],
			assignThreadInput{threadIDInput: threadIDInput{"1"}, ActorID: "dana@example.com"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := tt.bind(tt.args)
			check(t, got, tt.want, err)
		})
	}
}

// read and write bind as a tool without aliases does.
func read[In any](args string) (any, error) { return bindAs[In]("", args) }

func write[In any](args string) (any, error) { return bindAs[In]("", args) }

// as binds as the tool named tool does, with its aliases.
func as[In any](tool string) func(string) (any, error) {
	return func(args string) (any, error) { return bindAs[In](tool, args) }
}

// TestRefusals: what cannot be read without guessing is refused, in plain
// words naming the parameter.
func TestRefusals(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, args string
		bind       func(args string) (any, error)
		want       string // the whole error text
	}{
		{"no arguments at all is missing the required ID", "", read[getInboxInput],
			"inboxId is required: a numeric ID such as 1234567"},
		{"null arguments", `null`, read[getInboxInput],
			"inboxId is required: a numeric ID such as 1234567"},
		{"arguments that are not an object", `["147959634"]`, read[getInboxInput],
			"arguments must be a JSON object with the tool's parameters, got a list"},
		{"an ID with letters", `{"inboxId": "abc"}`, read[getInboxInput],
			`inboxId must contain only digits, such as 1234567, got "abc"`},
		{"an ID that would change the path", `{"inboxId": "1/../2"}`, read[getInboxInput],
			`inboxId must contain only digits, such as 1234567, got "1/../2"`},
		{"a negative number for an ID", `{"inboxId": -5}`, read[getInboxInput],
			`inboxId must be a string ID such as "123", got the number -5`},
		{"a fraction for an ID", `{"inboxId": 1.5}`, read[getInboxInput],
			`inboxId must be a string ID such as "123", got the number 1.5`},
		{"an empty required ID", `{"inboxId": ""}`, read[getInboxInput],
			"inboxId is required: a numeric ID such as 1234567"},
		{"an unknown parameter on a write tool", `{"threadId": "1", "dryrun": true}`, write[archiveInputForTest],
			`"dryrun" is not a known parameter; allowed: threadId`},
		{"an unknown parameter on a read-only tool", `{"threadId": "1", "verbose": true}`, read[getThreadInput],
			`"verbose" is not a known parameter; allowed: threadId, archived, association, property`},
		{"a misspelled safety flag", `{"threadId": "1", "dry_run": true}`, write[threadWriteInput],
			`"dry_run" is not a known parameter (did you mean dryRun?); allowed: threadId, dryRun`},
		{"status where a tool has no alias for it", `{"threadId": "1", "status": "OPEN"}`, as[getThreadInput]("get_thread"),
			`"status" is not a known parameter; allowed: threadId, archived, association, property`},
		{"a near miss of a parameter", `{"threadStatuss": "OPEN"}`, as[listThreadsInput]("list_threads"),
			`"threadStatuss" is not a known parameter (did you mean threadStatus?); allowed: after, limit, sort, inboxId, threadStatus, associatedContactId, associatedTicketId, association, latestMessageTimestampAfter, archived, property`},
		{"a near miss of an alias", `{"threadId": "1", "type": "COMMENT", "mesage": "hi"}`, as[sendMessageInput]("send_message"),
			`"mesage" is not a known parameter (did you mean text?); allowed: threadId, type, text, richText, subject, senderActorId, channelId, channelAccountId, recipients, attachments, dryRun, confirmationToken`},
		{"an alias beside its parameter", `{"status": "OPEN", "threadStatus": "CLOSED"}`, as[listThreadsInput]("list_threads"),
			`"status" is another name for threadStatus; pass only threadStatus`},
		{"a boolean that is neither true nor false", `{"inboxId": "1", "archived": "yes"}`, read[getInboxInput],
			`archived must be true or false, got the string "yes"`},
		{"null for a required parameter means missing", `{"inboxId": null}`, read[getInboxInput],
			"inboxId is required: a numeric ID such as 1234567"},
		{"a required nested field without description", `{"threadId":"1","type":"COMMENT","text":"x","attachments":[{"fileId":"1"}]}`, write[sendMessageInput],
			"attachments[0].type is required: one of FILE, QUICK_REPLIES, SOCIAL_MEDIA_METADATA"},
		{"limit below range", `{"limit": 0}`, read[listInboxesInput], "limit must be from 1 to 100, got 0"},
		{"limit above range", `{"limit": "500"}`, read[listInboxesInput], "limit must be from 1 to 100, got 500"},
		{"limit with a fraction", `{"limit": 2.5}`, read[listInboxesInput], "limit must be a whole number, got the number 2.5"},
		{"limit in words", `{"limit": "ten"}`, read[listInboxesInput], `limit must be a whole number, got the string "ten"`},
		{"a huge number", `{"limit": 1e300}`, read[listInboxesInput], "limit must be from 1 to 100, got 1e300"},
		{"sort field with a space", `{"sort": ["name desc"]}`, read[listInboxesInput],
			`sort[0] must be a field name such as name or id, with '-' in front for descending order, got "name desc"`},
		{"an enum value that is not one", `{"threadStatus": "pending"}`, read[listThreadsInput],
			`threadStatus must be one of OPEN, CLOSED, got "pending"`},
		{"enum on list items", `{"association": ["CONTACT"]}`, read[listThreadsInput], `association[0] must be one of TICKET, got "CONTACT"`},
		{"bad item of an ID list", `{"inboxId": ["1", true]}`, read[listThreadsInput],
			`inboxId[1] must be a string ID such as "123", got the boolean true`},
		{"a date in words", `{"latestMessageTimestampAfter": "yesterday"}`, read[listThreadsInput],
			`latestMessageTimestampAfter must be an RFC 3339 date-time such as 2026-01-31T09:00:00Z, or a date such as 2026-01-31, got the string "yesterday"`},
		{"date-time without zone", `{"latestMessageTimestampAfter": "2026-01-31T09:00:00"}`, read[listThreadsInput],
			`latestMessageTimestampAfter must be an RFC 3339 date-time such as 2026-01-31T09:00:00Z, or a date such as 2026-01-31, got the string "2026-01-31T09:00:00"`},
		{"nested required field", `{"threadId":"1","type":"MESSAGE","text":"hi","recipients":[{"name":"Jo"}]}`, write[sendMessageInput],
			"recipients[0].deliveryIdentifiers is required: a list of objects with type and value"},
		{"nested enum", `{"threadId":"1","type":"MESSAGE","text":"hi","recipients":[{"deliveryIdentifiers":[{"type":"EMAIL","value":"a@b.c"}]}]}`, write[sendMessageInput],
			`recipients[0].deliveryIdentifiers[0].type must be one of HS_EMAIL_ADDRESS, HS_PHONE_NUMBER, HS_SHORT_CODE, CHANNEL_SPECIFIC_OPAQUE_ID, got "EMAIL"`},
		{"nested unknown field", `{"threadId":"1","type":"COMMENT","text":"hi","attachments":[{"type":"FILE","fileId":"1","size":3}]}`, write[sendMessageInput],
			`"size" is not a known field of attachments[0]; allowed: type, fileId, quickReplies, socialMetadata`},
		{"type is required on send", `{"threadId":"1","text":"hi"}`, write[sendMessageInput],
			"type is required: MESSAGE reaches the customer; COMMENT is an internal note"},
		{"batch needs an actor", `{"inputs":[]}`, read[batchGetActorsInput], "inputs needs at least 1 item(s)"},
		{"batch takes at most 100", `{"inputs":[` + strings.Repeat(`"A-1",`, 100) + `"A-1"]}`, read[batchGetActorsInput],
			"inputs takes at most 100 items, got 101"},
		{"bad actor ID", `{"actorId":"123"}`, read[getActorInput],
			`actorId must be an actor ID such as A-123 (agent), V-456 (visitor), I-55 (integration), S-hubspot (system) or E-jane@example.com, got "123"`},
		{"bad message ID", `{"threadId":"1","messageId":"../x"}`, read[messageIDInput],
			`messageId must be a message ID of letters, digits, '-' and '_', got "../x"`},
		{"trailing garbage", `{"inboxId":"1"} {}`, read[getInboxInput], "arguments must be a JSON object"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := tt.bind(tt.args)
			var ae *hubspot.ArgumentError
			if !errors.As(err, &ae) {
				t.Fatalf("bind(%s) = %v (%T), want a *hubspot.ArgumentError", tt.args, err, err)
			}
			if got := err.Error(); got != tt.want {
				t.Errorf("bind(%s)\n got: %s\nwant: %s", tt.args, got, tt.want)
			}
		})
	}
}

// archiveInputForTest is archive_thread's input.
type archiveInputForTest = threadIDInput

// TestBindWithoutRawArguments covers requests built in process (no wire
// JSON), where only Params.Arguments is set.
func TestBindWithoutRawArguments(t *testing.T) {
	t.Parallel()
	raw, err := rawArgumentsOf(nil, map[string]any{"inboxId": 147959634})
	if err != nil {
		t.Fatal(err)
	}
	got, err := bindAs[getInboxInput]("get_inbox", string(raw))
	if err != nil || got.InboxID != "147959634" {
		t.Errorf("bind = %+v, %v", got, err)
	}
}

// FuzzBindArguments feeds arbitrary argument JSON to the binder of the
// richest inputs. It must never panic, must explain every rejection with a
// *hubspot.ArgumentError, and whatever it accepts must bind again to the
// same value after a round trip (coercion, validation and decoding agree).
func FuzzBindArguments(f *testing.F) {
	for _, seed := range []string{
		`{}`, `null`, `[]`, `"x"`, `{"threadId":"1","type":"COMMENT","text":"hi"}`,
		`{"threadId":"1","type":"MESSAGE","text":"hi","recipients":[{"actorId":"V-1","deliveryIdentifiers":[{"type":"HS_EMAIL_ADDRESS","value":"a@b.c"}]}]}`,
		`{"threadId":"1","type":"MESSAGE","text":"hi","attachments":[{"type":"QUICK_REPLIES","quickReplies":[{"value":"y","valueType":"TEXT"}]},{"type":"SOCIAL_MEDIA_METADATA","socialMetadata":{"mediaType":"PHOTO"}}]}`,
		`{"limit":100,"sort":["-id"],"inboxId":["1"],"latestMessageTimestampAfter":"2026-01-31T09:00:00+02:00"}`,
		`{"limit":"1e2","archived":"FALSE","association":"ticket","threadStatus":"open"}`,
		`{"threadId":"1","archived":false}`, `{"threadId":1}`, `{"a":{"b":[1,{"c":null}]}}`,
		`{"limit":-9223372036854775809}`, `{"limit":9007199254740993}`, `{"threadId":"\u0000"}`,
		`{"inboxId":147959640,"latestMessageTimestampAfter":"2026-11-19"}`, `{"inputs":"A-1"}`,
	} {
		f.Add(seed)
	}
	threads, send := newBinding[listThreadsInput](), newBinding[sendMessageInput]()
	update, actors := newBinding[updateThreadInput](), newBinding[batchGetActorsInput]()
	f.Fuzz(func(t *testing.T, args string) {
		fuzzBind[listThreadsInput](t, threads, args)
		fuzzBind[sendMessageInput](t, send, args)
		fuzzBind[updateThreadInput](t, update, args)
		fuzzBind[batchGetActorsInput](t, actors, args)
	})
}

func fuzzBind[In any](t *testing.T, b *binding, args string) {
	in, err := bindInput[In](b, []byte(args), aliases["list_threads"])
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
	in2, err := bindInput[In](b, again, aliases["list_threads"])
	if err != nil {
		t.Fatalf("bind(%q) accepted, but its re-encoding %s fails: %v", args, again, err)
	}
	if !reflect.DeepEqual(in, in2) {
		t.Fatalf("bind(%q) = %+v, but round trip gives %+v", args, in, in2)
	}
}
