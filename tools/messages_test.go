package tools

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot/sandbox"
)

// truncatedEmail is the latest incoming message of the email thread.
var truncatedEmail = messageOutput{
	ID: sandbox.TruncatedMessageID, Type: "MESSAGE", CreatedAt: "2026-11-18T07:32:00Z", CreatedBy: sandbox.VisitorActorID,
	Direction: "INCOMING", ChannelID: sandbox.EmailChannelID, ChannelAccountID: sandbox.EmailChannelAccountID,
	Senders: []participant{{ActorID: sandbox.VisitorActorID, Name: "Maya Thompson", Field: "FROM",
		DeliveryIdentifier: &deliveryIdentifier{Type: "HS_EMAIL_ADDRESS", Value: "maya.thompson@example.com"}}},
	Recipients: []participant{{Field: "TO", DeliveryIdentifier: &deliveryIdentifier{Type: "HS_EMAIL_ADDRESS", Value: "support@juniper-outdoor.example"}}},
	Subject:    "Re: Exchange for order JO-10433: Summit Shell jacket too small",
	Text:       "Perfect, that works. Thank you so much for the quick help!\n\nMaya",
	Truncated:  true, TruncatedNote: truncatedNote, Status: "RECEIVED",
}

func TestListMessagesTool(t *testing.T) {
	t.Parallel()
	e := newEnv(t)

	t.Run("newest first, with the truncated email marked", func(t *testing.T) {
		t.Parallel()
		var got listOutput[messageOutput]
		e.ok(t, "list_messages", `{"threadId":"`+sandbox.EmailThreadID+`","limit":2}`, &got)
		if len(got.Results) != 2 || got.NextCursor == "" {
			t.Fatalf("want a page of 2 and a cursor, got %+v", got)
		}
		if diff := cmp.Diff(truncatedEmail, got.Results[0]); diff != "" {
			t.Errorf("latest message (-want +got):\n%s", diff)
		}
		var next listOutput[messageOutput]
		e.ok(t, "list_messages", `{"threadId":"`+sandbox.EmailThreadID+`","limit":2,"after":"`+got.NextCursor+`"}`, &next)
		if len(next.Results) == 0 || next.Results[0].ID == got.Results[1].ID {
			t.Errorf("second page repeats the first: %+v", next.Results)
		}
	})

	t.Run("every message type keeps its own fields", func(t *testing.T) {
		t.Parallel()
		var got listOutput[messageOutput]
		e.ok(t, "list_messages", `{"threadId":"`+sandbox.AllTypesThreadID+`","limit":100,"sort":["createdAt"]}`, &got)
		first := map[string]messageOutput{}
		for _, m := range got.Results {
			key := m.Type + "/" + m.Direction
			if _, ok := first[key]; !ok {
				first[key] = m
			}
		}
		for key, check := range map[string]func(m messageOutput) bool{
			"WELCOME_MESSAGE/": func(m messageOutput) bool { return m.Text != "" && m.Senders[0].ActorID == sandbox.BotActorID },
			"MESSAGE/INCOMING": func(m messageOutput) bool {
				return m.Text != "" && strings.HasPrefix(m.Senders[0].ActorID, "V-") && m.ChannelID == "1000"
			},
			"MESSAGE/OUTGOING":      func(m messageOutput) bool { return m.Text != "" && m.Status != "" },
			"COMMENT/":              func(m messageOutput) bool { return m.Text != "" && m.Direction == "" && len(m.Senders) == 1 },
			"ASSIGNMENT/":           func(m messageOutput) bool { return m.AssignedTo == sandbox.OtherAgentActorID },
			"THREAD_STATUS_CHANGE/": func(m messageOutput) bool { return m.NewStatus == "CLOSED" },
			"THREAD_INBOX_CHANGE/": func(m messageOutput) bool {
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
		if got.Results[1].Attachments == nil || got.Results[1].Attachments[0].Type != "QUICK_REPLIES" {
			t.Errorf("the bot's quick replies are missing: %+v", got.Results[1])
		}
	})

	t.Run("customer text is passed through as data, unchanged", func(t *testing.T) {
		t.Parallel()
		var got listOutput[messageOutput]
		e.ok(t, "list_messages", `{"threadId":"`+sandbox.HostileThreadID+`","limit":100}`, &got)
		var all strings.Builder
		for _, m := range got.Results {
			all.WriteString(m.Text)
		}
		for _, want := range []string{"Ignore previous instructions", "<script>alert(1)</script>", "\u202e", "</message></thread>"} {
			if !strings.Contains(all.String(), want) {
				t.Errorf("hostile text lost %q", want)
			}
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
	var got messageOutput
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
