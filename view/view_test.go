package view

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot"
)

func TestNewMessage_LeavesOutWhatSaysNothing(t *testing.T) {
	t.Parallel()
	at := hubspot.Time{Time: time.Date(2026, 11, 18, 3, 0, 0, 0, time.UTC)}
	chat := &hubspot.DeliveryIdentifier{Type: hubspot.DeliveryChannelOpaque, Value: "bdfe37ee65a308b7ff0d2159"}
	in := hubspot.Message{
		ID: "m1", Type: hubspot.MessageTypeMessage, CreatedAt: at, CreatedBy: "V-1", Direction: hubspot.DirectionIncoming,
		ChannelID: "1000", ChannelAccountID: "240000101",
		Senders:    []hubspot.Sender{{ActorID: "V-1", Name: "Dan\u202e Ortiz", DeliveryIdentifier: chat}},
		Recipients: []hubspot.Recipient{{DeliveryIdentifier: &hubspot.DeliveryIdentifier{Type: hubspot.DeliveryChannelOpaque, Value: "livechat-1-website"}}},
		Text:       "Hi\u200b there\r\nthanks",
		Status:     &hubspot.MessageStatus{StatusType: "RECEIVED"},
		Attachments: []hubspot.Attachment{{Type: "QUICK_REPLIES", QuickReplies: []hubspot.QuickReply{
			{Label: "Sizing", Value: "Sizing", ValueType: "TEXT"}, {Label: "Size chart", Value: "https://example.com/s", ValueType: "URL"}}}},
	}
	got := NewMessage(in, nil, "")
	want := Message{ID: "m1", Type: "MESSAGE", CreatedAt: Time{at.Time}, Direction: "INCOMING",
		From: &Person{ActorID: "V-1", Name: "Dan Ortiz"}, Text: "Hi there\nthanks",
		Attachments: []Attachment{{Type: "QUICK_REPLIES", QuickReplies: []QuickReply{{Label: "Sizing"}, {Label: "Size chart", Value: "https://example.com/s", ValueType: "URL"}}}}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("message (-want +got):\n%s", diff)
	}
	b, _ := json.Marshal(got)
	if diff := cmp.Diff(`{"id":"m1","type":"MESSAGE","createdAt":"2026-11-18T03:00:00Z","direction":"INCOMING","from":{"actorId":"V-1","name":"Dan Ortiz"},"text":"Hi there\nthanks","attachments":[{"type":"QUICK_REPLIES","quickReplies":[{"label":"Sizing"},{"label":"Size chart","value":"https://example.com/s","valueType":"URL"}]}]}`, string(b)); diff != "" {
		t.Errorf("JSON (-want +got):\n%s", diff)
	}
}

func TestNewThread_NamesPeopleAndKeepsARequestedProperty(t *testing.T) {
	t.Parallel()
	var th hubspot.Thread
	if err := json.Unmarshal([]byte(`{"id":"9","inboxId":"1","status":"OPEN","spam":false,"archived":false,"associatedContactId":"3501",
		"assignedTo":"A-7","originalChannelId":"1002","latestMessageTimestamp":"2026-11-18T07:32:00.000Z",
		"latestMessageReceivedTimestamp":"2026-11-18T07:32:00.000Z","latestMessageSentTimestamp":"2026-11-17T05:32:00.000Z",
		"hs_priority":"high\u0007"}`), &th); err != nil {
		t.Fatal(err)
	}
	// What the client keeps when the property is asked for.
	th.Extra = hubspot.Extra{"hs_priority": json.RawMessage(`"high\u0007"`)}
	people := People{"V-3501": {ID: "V-3501", Name: "Maya\u200d Thompson", Email: "maya@example.com"}, "A-7": {ID: "A-7", Name: "Riley", Email: "riley@example.com"}}
	got := NewThread(th, people, "hs_priority")
	var buf strings.Builder
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // as tools and resources encode
	if err := enc.Encode(got); err != nil {
		t.Fatal(err)
	}
	b := strings.TrimSpace(buf.String())
	want := `{"id":"9","inboxId":"1","status":"OPEN","customer":"Maya Thompson <maya@example.com>","contactId":"3501","assignedTo":"Riley (A-7)",` +
		`"channel":"email","latestMessageAt":"2026-11-18T07:32:00Z","latestFrom":"customer","properties":{"hs_priority":"high"}}`
	if diff := cmp.Diff(want, string(b)); diff != "" {
		t.Errorf("JSON (-want +got):\n%s", diff)
	}
	if got := NewThread(th, nil, ""); got.Customer != "" || got.ContactID != "3501" || got.AssignedTo != "A-7" || got.Properties != nil {
		t.Errorf("without names or property: %+v", got)
	}
}
