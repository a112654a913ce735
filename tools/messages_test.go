package tools

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot/sandbox"
	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/view"
)

// truncatedEmail is the latest incoming message of the email thread.
var truncatedEmail = view.Message{
	ID: sandbox.TruncatedMessageID, Type: "MESSAGE", CreatedAt: at("2026-11-18T07:32:00Z"), Direction: "INCOMING",
	From:    &view.Person{ActorID: sandbox.VisitorActorID, Name: "Maya Thompson", Email: "maya.thompson@example.com"},
	To:      []view.Person{{Email: "support@juniper-outdoor.example"}},
	Subject: "Re: Exchange for order JO-10433: Summit Shell jacket too small",
	Text:    "Perfect, that works. Thank you so much for the quick help!\n\nMaya", Truncated: true,
}

func TestListMessagesTool(t *testing.T) {
	t.Parallel()
	e := newEnv(t)

	t.Run("newest first, with the truncated email marked", func(t *testing.T) {
		t.Parallel()
		var got listOutput[view.Message]
		e.ok(t, "list_messages", `{"threadId":"`+sandbox.EmailThreadID+`","limit":2}`, &got)
		if len(got.Results) != 2 || got.NextCursor == "" {
			t.Fatalf("want a page of 2 and a cursor, got %+v", got)
		}
		if diff := cmp.Diff(truncatedEmail, got.Results[0]); diff != "" {
			t.Errorf("latest message (-want +got):\n%s", diff)
		}
		var next listOutput[view.Message]
		e.ok(t, "list_messages", `{"threadId":"`+sandbox.EmailThreadID+`","limit":2,"after":"`+got.NextCursor+`"}`, &next)
		if len(next.Results) == 0 || next.Results[0].ID == got.Results[1].ID {
			t.Errorf("second page repeats the first: %+v", next.Results)
		}
	})

	t.Run("every message type keeps its own fields", func(t *testing.T) {
		t.Parallel()
		var got listOutput[view.Message]
		e.ok(t, "list_messages", `{"threadId":"`+sandbox.AllTypesThreadID+`","limit":100,"sort":["createdAt"]}`, &got)
		first := map[string]view.Message{}
		for _, m := range got.Results {
			key := m.Type + "/" + m.Direction
			if _, ok := first[key]; !ok {
				first[key] = m
			}
		}
		for key, check := range map[string]func(m view.Message) bool{
			"WELCOME_MESSAGE/": func(m view.Message) bool { return m.Text != "" && m.From.ActorID == sandbox.BotActorID },
			"MESSAGE/INCOMING": func(m view.Message) bool {
				return m.Text != "" && strings.HasPrefix(m.From.ActorID, "V-") && len(m.To) == 0 // not the widget
			},
			"MESSAGE/OUTGOING":      func(m view.Message) bool { return m.Text != "" && m.Status != "" },
			"COMMENT/":              func(m view.Message) bool { return m.Text != "" && m.Direction == "" && m.From != nil },
			"ASSIGNMENT/":           func(m view.Message) bool { return m.AssignedTo.ActorID == sandbox.OtherAgentActorID },
			"THREAD_STATUS_CHANGE/": func(m view.Message) bool { return m.NewStatus == "CLOSED" },
			"THREAD_INBOX_CHANGE/": func(m view.Message) bool {
				return m.FromInboxID == sandbox.HelpDeskInboxID && m.ToInboxID == sandbox.InboxID
			},
		} {
			m, ok := first[key]
			if !ok {
				t.Errorf("no %s entry in %s", key, sandbox.AllTypesThreadID)
				continue
			}
			if !check(m) {
				t.Errorf("%s entry lacks its fields: %+v", key, m)
			}
		}
		if a := got.Results[1].Attachments; len(a) != 1 || a[0].Type != "QUICK_REPLIES" || len(a[0].QuickReplies) != 3 || a[0].QuickReplies[0].Label == "" {
			t.Errorf("the bot's quick-reply buttons are missing: %+v", got.Results[1])
		}
	})

	t.Run("customer text is passed through as data, without invisible characters", func(t *testing.T) {
		t.Parallel()
		var got listOutput[view.Message]
		e.ok(t, "list_messages", `{"threadId":"`+sandbox.HostileThreadID+`","limit":100}`, &got)
		var all strings.Builder
		for _, m := range got.Results {
			all.WriteString(m.Text)
		}
		for _, want := range []string{"Ignore previous instructions", "<script>alert(1)</script>", "</message></thread>"} {
			if !strings.Contains(all.String(), want) {
				t.Errorf("hostile text lost %q", want)
			}
		}
		if strings.ContainsRune(all.String(), '\u202e') {
			t.Errorf("a bidi override reached the model: %q", all.String())
		}
	})

	t.Run("bad input", func(t *testing.T) {
		t.Parallel()
		e.fails(t, "list_messages", `{}`, "threadId is required")
		e.fails(t, "list_messages", `{"threadId":"1","sort":["createdAt","newest"]}`, `sort[1] must be one of -createdAt, createdAt, got "newest"`)
		e.fails(t, "list_messages", `{"threadId":"1","limit":200}`, "limit must be from 1 to 100, got 200")
	})
}

func TestGetMessageTool(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	var got view.Message
	e.ok(t, "get_message", `{"threadId":"`+sandbox.EmailThreadID+`","messageId":"`+sandbox.TruncatedMessageID+`"}`, &got)
	if diff := cmp.Diff(truncatedEmail, got); diff != "" {
		t.Errorf("message (-want +got):\n%s", diff)
	}
	e.fails(t, "get_message", `{"threadId":"`+sandbox.EmailThreadID+`"}`, "messageId is required")
	e.fails(t, "get_message", `{"threadId":"`+sandbox.EmailThreadID+`","messageId":"a b"}`, "messageId must be a message ID of letters, digits")
	e.fails(t, "get_message", `{"threadId":"`+sandbox.EmailThreadID+`","messageId":true}`, `messageId must be a string ID such as "123", got the boolean true`)
}

func TestGetMessageOriginalContentTool(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	var got originalContentOutput
	e.ok(t, "get_message_original_content", `{"threadId":"`+sandbox.EmailThreadID+`","messageId":"`+sandbox.TruncatedMessageID+`"}`, &got)
	if got.ThreadID != sandbox.EmailThreadID || got.MessageID != sandbox.TruncatedMessageID ||
		!strings.HasPrefix(got.Text, truncatedEmail.Text) || !strings.Contains(got.Text, "I bought the Summit Shell jacket") {
		t.Errorf("original content is not the full email: %+v", got)
	}
	if got.RichText != "" {
		t.Errorf("richText is only given when there is no text, got %q", got.RichText)
	}
	if diff := cmp.Diff([]string{"GET /conversations/v3/conversations/threads/9000000101/messages/" + sandbox.TruncatedMessageID + "/original-content"}, e.requests()); diff != "" {
		t.Errorf("requests (-want +got):\n%s", diff)
	}
}
