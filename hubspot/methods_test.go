package hubspot

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

func TestClient_RequestShapes(t *testing.T) {
	t.Parallel()
	no := false
	after := time.Date(2026, 11, 1, 8, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name      string
		call      func(context.Context, *Client) error
		method    string
		path      string
		query     string
		body      string
		answer    int
		answerRaw string
	}{
		{"list inboxes", func(ctx context.Context, c *Client) error {
			_, err := c.ListInboxes(ctx, &ListInboxesOptions{ListOptions: ListOptions{After: "NTA=", Limit: 20, Sort: []string{"name", "-id"}}, Archived: true})
			return err
		}, "GET", "/conversations/v3/conversations/inboxes", "after=NTA%3D&archived=true&limit=20&sort=name&sort=-id", "", 200, `{"results":[],"total":0}`},
		{"get inbox", func(ctx context.Context, c *Client) error { _, err := c.GetInbox(ctx, "147959634", true); return err },
			"GET", "/conversations/v3/conversations/inboxes/147959634", "archived=true", "", 200, `{}`},
		{"list channels", func(ctx context.Context, c *Client) error {
			_, err := c.ListChannels(ctx, &ListChannelsOptions{DefaultPageLength: 5})
			return err
		}, "GET", "/conversations/v3/conversations/channels", "defaultPageLength=5", "", 200, `{"results":[]}`},
		{"get channel", func(ctx context.Context, c *Client) error { _, err := c.GetChannel(ctx, "1002"); return err },
			"GET", "/conversations/v3/conversations/channels/1002", "", "", 200, `{}`},
		{"list channel accounts", func(ctx context.Context, c *Client) error {
			_, err := c.ListChannelAccounts(ctx, &ListChannelAccountsOptions{ChannelIDs: []string{"1000", "1002"}, InboxIDs: []string{"7"}})
			return err
		}, "GET", "/conversations/v3/conversations/channel-accounts", "channelId=1000&channelId=1002&inboxId=7", "", 200, `{"results":[]}`},
		{"get channel account", func(ctx context.Context, c *Client) error {
			_, err := c.GetChannelAccount(ctx, "240000101", false)
			return err
		},
			"GET", "/conversations/v3/conversations/channel-accounts/240000101", "", "", 200, `{}`},
		{"list threads", func(ctx context.Context, c *Client) error {
			_, err := c.ListThreads(ctx, &ListThreadsOptions{InboxIDs: []string{"1", "2"}, ThreadStatus: "OPEN",
				ListOptions: ListOptions{Sort: []string{"latestMessageTimestamp"}}, LatestMessageTimestampAfter: after, Association: []string{"TICKET"}})
			return err
		}, "GET", "/conversations/v3/conversations/threads", "association=TICKET&inboxId=1&inboxId=2&latestMessageTimestampAfter=2026-11-01T08%3A00%3A00Z&sort=latestMessageTimestamp&threadStatus=OPEN", "", 200, `{"results":[]}`},
		{"list a contact's threads", func(ctx context.Context, c *Client) error {
			_, err := c.ListThreads(ctx, &ListThreadsOptions{AssociatedContactID: "3501", ThreadStatus: "CLOSED", ListOptions: ListOptions{Sort: []string{"-id"}}})
			return err
		}, "GET", "/conversations/v3/conversations/threads", "associatedContactId=3501&sort=-id&threadStatus=CLOSED", "", 200, `{"results":[]}`},
		{"get thread", func(ctx context.Context, c *Client) error {
			_, err := c.GetThread(ctx, "9000000101", &GetThreadOptions{Archived: true, Association: []string{"TICKET"}})
			return err
		}, "GET", "/conversations/v3/conversations/threads/9000000101", "archived=true&association=TICKET", "", 200, threadJSON},
		{"close thread", func(ctx context.Context, c *Client) error {
			_, err := c.UpdateThread(ctx, "9", UpdateThreadRequest{Status: StatusClosed})
			return err
		}, "PATCH", "/conversations/v3/conversations/threads/9", "", `{"status":"CLOSED"}`, 200, threadJSON},
		{"restore thread", func(ctx context.Context, c *Client) error {
			_, err := c.UpdateThread(ctx, "9", UpdateThreadRequest{Archived: &no})
			return err
		}, "PATCH", "/conversations/v3/conversations/threads/9", "archived=true", `{"archived":false}`, 200, threadJSON},
		{"archive thread", func(ctx context.Context, c *Client) error { return c.ArchiveThread(ctx, "9") },
			"DELETE", "/conversations/v3/conversations/threads/9", "", "", 204, ``},
		{"assign thread", func(ctx context.Context, c *Client) error {
			_, err := c.AssignThread(ctx, "9", "A-48151623")
			return err
		},
			"PUT", "/conversations/conversations/v3/threads/9/assignee", "", `{"actorId":"A-48151623"}`, 200, threadJSON},
		{"unassign thread", func(ctx context.Context, c *Client) error { return c.UnassignThread(ctx, "9") },
			"DELETE", "/conversations/conversations/v3/threads/9/assignee", "", "", 204, ``},
		{"list messages", func(ctx context.Context, c *Client) error {
			_, err := c.ListMessages(ctx, "9", &ListMessagesOptions{ListOptions: ListOptions{Limit: 50, Sort: []string{"createdAt"}}, Property: "text"})
			return err
		}, "GET", "/conversations/v3/conversations/threads/9/messages", "limit=50&property=text&sort=createdAt", "", 200, `{"results":[]}`},
		{"get message", func(ctx context.Context, c *Client) error { _, err := c.GetMessage(ctx, "9", "abc123", ""); return err },
			"GET", "/conversations/v3/conversations/threads/9/messages/abc123", "", "", 200, `{}`},
		{"get original content", func(ctx context.Context, c *Client) error {
			_, err := c.GetMessageOriginalContent(ctx, "9", "abc123", "")
			return err
		}, "GET", "/conversations/v3/conversations/threads/9/messages/abc123/original-content", "", "", 200, `{"text":"t","richText":"<p>t</p>"}`},
		{"send message", func(ctx context.Context, c *Client) error {
			_, err := c.SendMessage(ctx, "9", SendMessageRequest{Type: "MESSAGE", Text: "Hi", Subject: "Re: order", SenderActorID: "A-1",
				ChannelID: "1002", ChannelAccountID: "5", Recipients: []RecipientEgg{{Name: "Jo", RecipientField: "TO",
					DeliveryIdentifiers: []DeliveryIdentifier{{Type: DeliveryEmail, Value: "jo@example.com"}}}}})
			return err
		}, "POST", "/conversations/v3/conversations/threads/9/messages", "",
			`{"type":"MESSAGE","text":"Hi","subject":"Re: order","senderActorId":"A-1","channelId":"1002","channelAccountId":"5","recipients":[{"name":"Jo","recipientField":"TO","deliveryIdentifiers":[{"type":"HS_EMAIL_ADDRESS","value":"jo@example.com"}]}],"attachments":[]}`,
			201, `{"id":"m","type":"MESSAGE"}`},
		{"send comment", func(ctx context.Context, c *Client) error {
			_, err := c.SendMessage(ctx, "9", SendMessageRequest{Type: "COMMENT", Text: "note", Attachments: []AttachmentEgg{{Type: "FILE", FileID: "123"}}})
			return err
		}, "POST", "/conversations/v3/conversations/threads/9/messages", "", `{"type":"COMMENT","text":"note","attachments":[{"type":"FILE","fileId":"123"}]}`, 201, `{"id":"m","type":"COMMENT"}`},
		{"get actor", func(ctx context.Context, c *Client) error {
			_, err := c.GetActor(ctx, "E-jo@example.com", "")
			return err
		},
			"GET", "/conversations/v3/conversations/actors/E-jo@example.com", "", "", 200, `{"id":"E-jo@example.com","type":"EMAIL","email":"jo@example.com"}`},
		{"batch actors", func(ctx context.Context, c *Client) error {
			_, err := c.BatchGetActors(ctx, []string{"A-1", "V-2"}, "")
			return err
		}, "POST", "/conversations/v3/conversations/actors/batch/read", "", `{"inputs":["A-1","V-2"]}`, 207, `{"status":"COMPLETE","results":[],"numErrors":1,"errors":[{"status":"error","category":"OBJECT_NOT_FOUND","message":"x","subCategory":{"a":1}}]}`},
		{"visitor token", func(ctx context.Context, c *Client) error {
			_, err := c.CreateVisitorToken(ctx, CreateVisitorTokenRequest{Email: "jo@example.com", FirstName: "Jo"})
			return err
		}, "POST", "/visitor-identification/v3/tokens/create", "", `{"email":"jo@example.com","firstName":"Jo"}`, 200, `{"token":"a.b.c"}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := &fakeHubSpot{answers: []fakeAnswer{{status: tc.answer, body: tc.answerRaw}}}
			c := newFakeClient(t, f)
			if err := tc.call(t.Context(), c); err != nil {
				t.Fatalf("call: %v", err)
			}
			if f.count() != 1 {
				t.Fatalf("requests = %d, want 1", f.count())
			}
			r := f.got[0]
			got := []string{r.Method, r.URL.EscapedPath(), r.URL.RawQuery, f.bodies[0]}
			want := []string{tc.method, tc.path, tc.query, tc.body}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("request (-want +got):\n%s", diff)
			}
			if tc.body != "" && r.Header.Get("Content-Type") != "application/json" {
				t.Errorf("Content-Type = %q", r.Header.Get("Content-Type"))
			}
		})
	}
}

func TestClient_ArgumentsAreValidatedBeforeSending(t *testing.T) {
	t.Parallel()
	yes := true
	for _, tc := range []struct {
		name  string
		call  func(context.Context, *Client) error
		param string
	}{
		{"path traversal in a thread ID", func(ctx context.Context, c *Client) error { _, err := c.GetThread(ctx, "../inboxes", nil); return err }, "threadId"},
		{"query injection in a message ID", func(ctx context.Context, c *Client) error {
			_, err := c.GetMessage(ctx, "1", "x?archived=true", "")
			return err
		}, "messageId"},
		{"dot segment message ID", func(ctx context.Context, c *Client) error { _, err := c.GetMessage(ctx, "1", "..", ""); return err }, "messageId"},
		{"slash in an actor ID", func(ctx context.Context, c *Client) error { _, err := c.GetActor(ctx, "A-1/../../x", ""); return err }, "actorId"},
		{"lowercase actor type", func(ctx context.Context, c *Client) error { _, err := c.GetActor(ctx, "a-1", ""); return err }, "actorId"},
		{"empty inbox ID", func(ctx context.Context, c *Client) error { _, err := c.GetInbox(ctx, "", false); return err }, "inboxId"},
		{"contact without status", func(ctx context.Context, c *Client) error {
			_, err := c.ListThreads(ctx, &ListThreadsOptions{AssociatedContactID: "1"})
			return err
		}, "threadStatus"},
		{"contact with inbox", func(ctx context.Context, c *Client) error {
			_, err := c.ListThreads(ctx, &ListThreadsOptions{AssociatedContactID: "1", ThreadStatus: "OPEN", InboxIDs: []string{"2"}})
			return err
		}, "associatedContactId"},
		{"sort by timestamp without after", func(ctx context.Context, c *Client) error {
			_, err := c.ListThreads(ctx, &ListThreadsOptions{ListOptions: ListOptions{Sort: []string{"latestMessageTimestamp"}}})
			return err
		}, "latestMessageTimestampAfter"},
		{"descending without contact", func(ctx context.Context, c *Client) error {
			_, err := c.ListThreads(ctx, &ListThreadsOptions{ListOptions: ListOptions{Sort: []string{"-id"}}})
			return err
		}, "sort"},
		{"bad status", func(ctx context.Context, c *Client) error {
			_, err := c.ListThreads(ctx, &ListThreadsOptions{ThreadStatus: "open"})
			return err
		}, "threadStatus"},
		{"update with nothing", func(ctx context.Context, c *Client) error {
			_, err := c.UpdateThread(ctx, "1", UpdateThreadRequest{})
			return err
		}, "status"},
		{"update archived true", func(ctx context.Context, c *Client) error {
			_, err := c.UpdateThread(ctx, "1", UpdateThreadRequest{Archived: &yes})
			return err
		}, "archived"},
		{"assign to a visitor", func(ctx context.Context, c *Client) error { _, err := c.AssignThread(ctx, "1", "V-1"); return err }, "actorId"},
		{"message without type", func(ctx context.Context, c *Client) error {
			_, err := c.SendMessage(ctx, "1", SendMessageRequest{Text: "x"})
			return err
		}, "type"},
		{"message with a visitor sender", func(ctx context.Context, c *Client) error {
			_, err := c.SendMessage(ctx, "1", SendMessageRequest{Type: "MESSAGE", Text: "x", SenderActorID: "V-1"})
			return err
		}, "senderActorId"},
		{"message to an agent", func(ctx context.Context, c *Client) error {
			_, err := c.SendMessage(ctx, "1", SendMessageRequest{Type: "MESSAGE", Text: "x", SenderActorID: "A-1", ChannelID: "1", ChannelAccountID: "2",
				Recipients: []RecipientEgg{{ActorID: "A-2", DeliveryIdentifiers: []DeliveryIdentifier{{Type: DeliveryEmail, Value: "a@b.c"}}}}})
			return err
		}, "recipients[0].actorId"},
		{"comment with recipients", func(ctx context.Context, c *Client) error {
			_, err := c.SendMessage(ctx, "1", SendMessageRequest{Type: "COMMENT", Text: "x", Recipients: []RecipientEgg{{}}})
			return err
		}, "recipients"},
		{"blank text", func(ctx context.Context, c *Client) error {
			_, err := c.SendMessage(ctx, "1", SendMessageRequest{Type: "COMMENT", Text: "  "})
			return err
		}, "text"},
		{"unknown attachment", func(ctx context.Context, c *Client) error {
			_, err := c.SendMessage(ctx, "1", SendMessageRequest{Type: "COMMENT", Text: "x", Attachments: []AttachmentEgg{{Type: "LOCATION"}}})
			return err
		}, "attachments[0].type"},
		{"no actors", func(ctx context.Context, c *Client) error { _, err := c.BatchGetActors(ctx, nil, ""); return err }, "inputs"},
		{"bad email", func(ctx context.Context, c *Client) error {
			_, err := c.CreateVisitorToken(ctx, CreateVisitorTokenRequest{Email: "Jo <jo@example.com>"})
			return err
		}, "email"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := &fakeHubSpot{}
			c := newFakeClient(t, f)
			err := tc.call(t.Context(), c)
			var ae *ArgumentError
			if !errors.As(err, &ae) {
				t.Fatalf("err = %v, want *ArgumentError", err)
			}
			if ae.Name != tc.param {
				t.Errorf("ArgumentError.Name = %q, want %q (%v)", ae.Name, tc.param, err)
			}
			if f.count() != 0 {
				t.Errorf("%d requests were sent", f.count())
			}
		})
	}
}

func TestParseError(t *testing.T) {
	t.Parallel()
	body := `{"status":"error","message":"Multiple errors validating request.","correlationId":"c-9","category":"VALIDATION_ERROR",
	  "errors":[{"subCategory":"ConversationsApiError.UNSUPPORTED_ACTOR_TYPE","message":"Actor type VISITOR is not supported for sending"},
	            {"message":"Invalid actorId type","in":"senderActorId","context":{"x":["1"]}}],
	  "links":{"knowledge-base":"https://example.com"}}`
	e := parseError("POST", "/p", 400, map[string][]string{"X-Hubspot-Correlation-Id": {"ignored"}}, []byte(body))
	want := &Error{StatusCode: 400, Method: "POST", Path: "/p", Message: "Multiple errors validating request.", Category: "VALIDATION_ERROR",
		CorrelationID: "c-9", Links: map[string]string{"knowledge-base": "https://example.com"},
		Errors: []ErrorDetail{
			{Message: "Actor type VISITOR is not supported for sending", SubCategory: "ConversationsApiError.UNSUPPORTED_ACTOR_TYPE"},
			{Message: "Invalid actorId type", In: "senderActorId", Context: map[string][]string{"x": {"1"}}},
		}}
	if diff := cmp.Diff(want, e); diff != "" {
		t.Errorf("parseError (-want +got):\n%s", diff)
	}
	if got, wantText := e.Error(), "POST /p: HubSpot answered 400 VALIDATION_ERROR: Multiple errors validating request.; Actor type VISITOR is not supported for sending; Invalid actorId type (correlation id c-9)"; got != wantText {
		t.Errorf("Error() = %q\nwant %q", got, wantText)
	}

	html := parseError("GET", "/p", 502, map[string][]string{"X-Hubspot-Correlation-Id": {"hdr-1"}, "Retry-After": {"7"}}, []byte("<html>Bad Gateway\x00</html>"))
	if html.Message != "<html>Bad Gateway</html>" || html.CorrelationID != "hdr-1" || html.RetryAfter != 7*time.Second {
		t.Errorf("non-JSON body: %+v", html)
	}
	empty := parseError("GET", "/p", 404, nil, nil)
	if empty.Message != "not found" {
		t.Errorf("empty body message = %q", empty.Message)
	}
}

// TestParseErrorBoundsJSONText: a JSON error body's texts are cut like a
// non-JSON body's, so a huge message cannot become a huge tool result.
func TestParseErrorBoundsJSONText(t *testing.T) {
	t.Parallel()
	huge := strings.Repeat("é", 250_000) // 500 KB
	details := make([]string, 50)
	for i := range details {
		details[i] = `{"message":"` + huge + `","in":"` + huge + `","code":"` + huge + `","subCategory":"` + huge + `"}`
	}
	body := `{"message":"` + huge + `","category":"` + huge + `","subCategory":"` + huge + `","correlationId":"` + huge +
		`","errors":[` + strings.Join(details, ",") + `]}`
	e := parseError("GET", "/p", 500, nil, []byte(body))
	if n := len(e.Error()); n > 5000 {
		t.Errorf("Error() is %d bytes, want a bounded text", n)
	}
	if len(e.Message) > maxErrorMessage+len("…") || !strings.HasSuffix(e.Message, "…") || !utf8.ValidString(e.Message) {
		t.Errorf("message not cut to %d bytes of valid UTF-8: %d bytes", maxErrorMessage, len(e.Message))
	}
	if len(e.Errors) != maxErrorDetails {
		t.Errorf("kept %d details, want %d", len(e.Errors), maxErrorDetails)
	}
	for _, s := range []string{e.Category, e.SubCategory, e.CorrelationID, e.Errors[0].Message, e.Errors[0].In, e.Errors[0].Code, e.Errors[0].SubCategory} {
		if len(s) > maxErrorMessage+len("…") {
			t.Errorf("field of %d bytes kept", len(s))
		}
	}
	if ctl := parseError("GET", "/p", 400, nil, []byte(`{"message":"bad\u0000\u001b[31m thing"}`)); ctl.Message != "bad[31m thing" {
		t.Errorf("control characters kept: %q", ctl.Message)
	}
}

func FuzzParseError(f *testing.F) {
	f.Add(500, `{"status":"error","message":"m","category":"c","errors":[{"message":"d","subCategory":{"x":1}}]}`, "2")
	f.Add(429, `{"policyName":"DAILY","errorType":"RATE_LIMIT"}`, "Wed, 21 Oct 2015 07:28:00 GMT")
	f.Add(400, `not json`, "-1")
	f.Add(503, `{"errors":"not a list","context":7}`, "1e300")
	f.Fuzz(func(t *testing.T, status int, body, retry string) {
		e := parseError("GET", "/p", status, map[string][]string{"Retry-After": {retry}}, []byte(body))
		if e.RetryAfter < 0 {
			t.Fatalf("negative RetryAfter %s", e.RetryAfter)
		}
		_ = e.Error()
		_ = e.DailyLimit()
	})
}

func FuzzValidateIDs(f *testing.F) {
	for _, s := range []string{"123", "A-123", "E-jo@example.com", "S-hubspot", "../x", "1/2", "a?b", "%2e%2e", "d6f1a2b3", "A-", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, id string) {
		for name, check := range map[string]func(string, string) error{
			"numeric": ValidateNumericID, "actor": ValidateActorID, "message": ValidateMessageID,
		} {
			if check("x", id) != nil {
				continue
			}
			// Whatever passes must stay one path segment, unchanged by escaping
			// except for '@', and never be a dot segment.
			for _, r := range id {
				if r == '/' || r == '?' || r == '#' || r == '%' || r == '\\' || r <= ' ' || r >= 0x7f {
					t.Fatalf("%s ID %q contains %q", name, id, r)
				}
			}
			if id == "." || id == ".." {
				t.Fatalf("%s ID %q is a dot segment", name, id)
			}
		}
	})
}

func TestDecoding_MessagesAreLenient(t *testing.T) {
	t.Parallel()
	raw := `{"results":[
	 {"id":"1","type":"MESSAGE","conversationsThreadId":"9","createdAt":"2026-11-20T09:00:00.123Z","createdBy":"V-1",
	  "client":{"clientType":"INTEGRATION","integrationAppId":"123"},"senders":[{"actorId":"V-1","deliveryIdentifier":{"type":"HS_EMAIL_ADDRESS","value":"a@b.c"}}],
	  "recipients":[{"deliveryIdentifiers":[{"type":"HS_EMAIL_ADDRESS","value":"s@b.c"}]}],"archived":false,"text":"hi","direction":"INCOMING",
	  "truncationStatus":"TRUNCATED_TO_MOST_RECENT_REPLY","channelId":"1002","channelAccountId":"5","newField":{"x":1},
	  "attachments":[{"type":"FILE","fileId":"77","fileUsageType":"IMAGE","name":"p.png"},{"type":"MESSAGE_HEADER","fileId":12345678901,"text":"h"},
	                 {"type":"LOCATION","latitude":"not a number","longitude":2},{"type":"HOLOGRAM","beam":true}]},
	 {"id":"2","type":"ASSIGNMENT","createdAt":1763629200000,"client":{"clientType":"SYSTEM","integrationAppId":42},"assignedTo":"A-1"},
	 {"id":"3","type":"FUTURE_EVENT","createdAt":"garbage"}]}`
	var p Page[Message]
	if err := json.Unmarshal([]byte(raw), &p); err != nil {
		t.Fatal(err)
	}
	m := p.Results[0]
	if m.Client.IntegrationAppID != 123 || !m.Truncated() || m.CreatedAt.Format(time.RFC3339Nano) != "2026-11-20T09:00:00.123Z" {
		t.Errorf("message 1 = %+v", m)
	}
	if got := []string{string(m.Attachments[0].FileID), string(m.Attachments[1].FileID), m.Attachments[3].Type}; !cmp.Equal(got, []string{"77", "12345678901", "HOLOGRAM"}) {
		t.Errorf("attachments = %v", got)
	}
	if string(m.Attachments[3].Raw) != `{"type":"HOLOGRAM","beam":true}` {
		t.Errorf("raw attachment = %s", m.Attachments[3].Raw)
	}
	if p.Results[1].Client.IntegrationAppID != 42 || !p.Results[1].CreatedAt.Equal(time.UnixMilli(1763629200000)) {
		t.Errorf("message 2 = %+v", p.Results[1])
	}
	if p.Results[2].Type != "FUTURE_EVENT" || !p.Results[2].CreatedAt.IsZero() {
		t.Errorf("message 3 = %+v", p.Results[2])
	}
}

func TestPageNextAfter(t *testing.T) {
	t.Parallel()
	var p *Page[Thread]
	if p.NextAfter() != "" {
		t.Error("nil page")
	}
	p = &Page[Thread]{Paging: &Paging{Next: &NextPage{After: "abc"}}}
	if p.NextAfter() != "abc" {
		t.Error("next after")
	}
}
