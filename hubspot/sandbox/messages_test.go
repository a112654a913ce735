package sandbox

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func messageIDs(ms []messageJSON) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.ID)
	}
	return out
}

func TestListMessages(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	p := threadsPath + "/" + AllTypesThreadID + "/messages"
	oldestFirst := h.allMessages(AllTypesThreadID)
	var newestFirst messageList
	h.get(p, &newestFirst)
	reversed := slices.Clone(oldestFirst)
	slices.Reverse(reversed)
	if diff := cmp.Diff(messageIDs(reversed), messageIDs(newestFirst.Results)); diff != "" {
		t.Errorf("default order is not newest first (-want +got):\n%s", diff)
	}
	for _, m := range oldestFirst {
		if m.ConversationsThreadID != AllTypesThreadID {
			t.Errorf("message %s has conversationsThreadId %q", m.ID, m.ConversationsThreadID)
		}
	}

	var paged []string
	next := p + "?limit=2&sort=createdAt"
	for next != "" {
		var l messageList
		h.get(next, &l)
		paged = append(paged, messageIDs(l.Results)...)
		next = ""
		if l.Paging != nil && l.Paging.Next != nil {
			next = strings.TrimPrefix(l.Paging.Next.Link, h.url)
		}
	}
	if diff := cmp.Diff(messageIDs(oldestFirst), paged); diff != "" {
		t.Errorf("paged messages (-want +got):\n%s", diff)
	}

	for _, q := range []string{"sort=id", "sort=createdAt&sort=-createdAt", "limit=-1", "after=zzz", "archived=sometimes"} {
		h.call(http.MethodGet, p+"?"+q, "").wantParamError(t, strings.Split(q, "=")[0])
	}
	h.call(http.MethodGet, threadsPath+"/1/messages", "").wantError(t, http.StatusNotFound, "OBJECT_NOT_FOUND")
	h.call(http.MethodGet, threadsPath+"/"+ArchivedThreadID+"/messages", "").wantError(t, http.StatusNotFound, "OBJECT_NOT_FOUND")
	if got := h.allMessages(ArchivedThreadID); len(got) < 2 {
		t.Errorf("archived thread has %d messages with archived=true", len(got))
	}
}

func TestGetMessageAndOriginalContent(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	p := threadsPath + "/" + EmailThreadID + "/messages/"
	var m messageJSON
	h.get(p+TruncatedMessageID, &m)
	if m.TruncationStatus != "TRUNCATED_TO_MOST_RECENT_REPLY" || m.Direction != "INCOMING" || m.Type != "MESSAGE" {
		t.Errorf("truncated message = %+v", m)
	}
	var original struct{ Text, RichText string }
	h.get(p+TruncatedMessageID+"/original-content", &original)
	if len(original.Text) <= len(m.Text) || !strings.HasPrefix(original.Text, m.Text) ||
		!strings.Contains(original.Text, " wrote:\n> ") || !strings.Contains(original.RichText, "<blockquote>") {
		t.Errorf("original content does not hold the quoted history:\n%s", original.Text)
	}

	all := h.allMessages(EmailThreadID)
	first := all[0]
	if first.Subject == "" || first.Senders[0].SenderField != "FROM" || len(first.Recipients) != 2 {
		t.Errorf("first email = %+v", first)
	}
	h.get(p+first.ID+"/original-content", &original)
	if original.Text != first.Text || original.RichText != first.RichText {
		t.Errorf("original of an untruncated message = %+v", original)
	}
	e := h.call(http.MethodGet, p+"nope", "").wantError(t, http.StatusNotFound, "OBJECT_NOT_FOUND")
	if e.Message != "Message nope not found" {
		t.Errorf("message = %q", e.Message)
	}
	h.call(http.MethodGet, threadsPath+"/"+ClosedThreadID+"/messages/"+TruncatedMessageID, "").
		wantError(t, http.StatusNotFound, "OBJECT_NOT_FOUND")
}

const emailEgg = `{"type":"MESSAGE","text":"Hi Maya,\n\nYour jacket is on its way.","attachments":[],
	"channelId":"1002","channelAccountId":"240000102","senderActorId":"A-48151623","subject":"Re: your exchange",
	"recipients":[{"actorId":"V-3501","name":"Maya Thompson","recipientField":"TO",
		"deliveryIdentifiers":[{"type":"HS_EMAIL_ADDRESS","value":"maya.thompson@example.com"}]}]}`

func TestSendMessage(t *testing.T) {
	t.Parallel()
	h := newHarness(t, WithClock(fixedClock))
	p := threadsPath + "/" + EmailThreadID + "/messages"
	r := h.call(http.MethodPost, p, emailEgg)
	r.want(t, http.StatusCreated)
	var sent messageJSON
	r.decode(t, &sent)
	if loc := r.header.Get("Location"); loc != h.url+p+"/"+sent.ID {
		t.Errorf("Location = %q", loc)
	}
	if len(sent.ID) != 32 || sent.Type != "MESSAGE" || sent.Direction != "OUTGOING" || sent.TruncationStatus != "NOT_TRUNCATED" ||
		sent.Status == nil || sent.Status.StatusType != "SENT" || sent.CreatedBy != AgentActorID ||
		sent.Client.ClientType != "INTEGRATION" || sent.Client.IntegrationAppID == nil || *sent.Client.IntegrationAppID != 1144555 ||
		sent.Senders[0].ActorID != AgentActorID || sent.Senders[0].SenderField != "FROM" || sent.Subject != "Re: your exchange" ||
		sent.Recipients[0].DeliveryIdentifier.Value != "maya.thompson@example.com" || sent.InReplyToID != TruncatedMessageID ||
		sent.CreatedAt != "2026-12-01T10:00:00Z" || sent.RichText != "<p>Hi Maya,</p><p>Your jacket is on its way.</p>" {
		t.Errorf("sent message = %s", r.body)
	}
	var got messageJSON
	h.get(p+"/"+sent.ID, &got)
	if diff := cmp.Diff(sent, got); diff != "" {
		t.Errorf("GET after POST (-post +get):\n%s", diff)
	}
	var newest messageList
	h.get(p+"?limit=1", &newest)
	if newest.Results[0].ID != sent.ID {
		t.Errorf("newest message is %s", newest.Results[0].ID)
	}
	th := h.thread(EmailThreadID)
	if th.LatestMessageTimestamp != sent.CreatedAt || th.LatestMessageSentTimestamp != sent.CreatedAt {
		t.Errorf("thread timestamps not moved: %+v", th)
	}

	r = h.call(http.MethodPost, threadsPath+"/"+HostileThreadID+"/messages", `{"type":"COMMENT","text":"Looks like <script> spam. Don't act on it."}`)
	r.want(t, http.StatusCreated)
	var note messageJSON
	r.decode(t, &note)
	if note.Type != "COMMENT" || note.CreatedBy != AgentActorID || note.Attachments == nil ||
		note.RichText != "<p>Looks like &lt;script&gt; spam. Don&#39;t act on it.</p>" {
		t.Errorf("comment = %s", r.body)
	}
	if th := h.thread(HostileThreadID); th.LatestMessageTimestamp == note.CreatedAt {
		t.Errorf("a comment moved latestMessageTimestamp")
	}

	chat := `{"type":"MESSAGE","text":"Here's the chart","channelId":1000,"channelAccountId":240000101,"senderActorId":"A-48151624",
		"attachments":[{"type":"FILE","fileId":"https://files.example/chart.png"},{"type":"QUICK_REPLIES","quickReplies":[{"value":"Yes","valueType":"TEXT"}]}],
		"recipients":[{"actorId":"V-3502","deliveryIdentifiers":[{"type":"CHANNEL_SPECIFIC_OPAQUE_ID","value":"abc"}]}],"subject":"ignored"}`
	r = h.call(http.MethodPost, threadsPath+"/"+AllTypesThreadID+"/messages", chat)
	r.want(t, http.StatusCreated)
	var chatMsg messageJSON
	r.decode(t, &chatMsg)
	var file struct{ Type, FileID, FileUsageType, Name, URL string }
	if len(chatMsg.Attachments) != 2 || json.Unmarshal(chatMsg.Attachments[0], &file) != nil ||
		file.FileUsageType != "IMAGE" || file.Name != "chart.png" || chatMsg.Subject != "" || chatMsg.Senders[0].SenderField != "" {
		t.Errorf("chat message = %s", r.body)
	}
}

func TestSendMessageValidation(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	valid := map[string]any{}
	if err := json.Unmarshal([]byte(emailEgg), &valid); err != nil {
		t.Fatal(err)
	}
	with := func(changes map[string]any) string {
		m := map[string]any{}
		for k, v := range valid {
			m[k] = v
		}
		for k, v := range changes {
			if v == nil {
				delete(m, k)
			} else {
				m[k] = v
			}
		}
		b, _ := json.Marshal(m)
		return string(b)
	}
	agentRecipient := []any{map[string]any{"actorId": OtherAgentActorID, "deliveryIdentifiers": []any{map[string]any{"type": "HS_EMAIL_ADDRESS", "value": "x@y.example"}}}}
	for _, tc := range []struct {
		name, body, param string
	}{
		{"no type", with(map[string]any{"type": nil}), "type"},
		{"unknown type", with(map[string]any{"type": "NOTE"}), "type"},
		{"no text", with(map[string]any{"text": nil}), "text"},
		{"empty text", with(map[string]any{"text": ""}), "text"},
		{"attachments not a list", with(map[string]any{"attachments": "none"}), "attachments"},
		{"unknown attachment", with(map[string]any{"attachments": []any{map[string]any{"type": "GIF"}}}), "attachments[0]"},
		{"file without id", with(map[string]any{"attachments": []any{map[string]any{"type": "FILE"}}}), "attachments[0]"},
		{"no channel", with(map[string]any{"channelId": nil}), "channelId"},
		{"unknown channel", with(map[string]any{"channelId": "1009"}), "channelId"},
		{"no channel account", with(map[string]any{"channelAccountId": nil}), "channelAccountId"},
		{"channel account of another channel", with(map[string]any{"channelAccountId": ChatChannelAccountID}), "channelAccountId"},
		{"archived channel account", with(map[string]any{"channelAccountId": archivedChannelAccountID}), "channelAccountId"},
		{"no sender", with(map[string]any{"senderActorId": nil}), "senderActorId"},
		{"unknown sender", with(map[string]any{"senderActorId": "A-1"}), "senderActorId"},
		{"sender without prefix", with(map[string]any{"senderActorId": "48151623"}), "senderActorId"},
		{"bot sender", with(map[string]any{"senderActorId": BotActorID}), "senderActorId"},
		{"no recipients", with(map[string]any{"recipients": nil}), "recipients"},
		{"empty recipients", with(map[string]any{"recipients": []any{}}), "recipients"},
		{"recipients not a list", with(map[string]any{"recipients": "maya"}), "recipients"},
		{"recipient without identifiers", with(map[string]any{"recipients": []any{map[string]any{"actorId": VisitorActorID}}}), "recipients[0]"},
		{"agent recipient", with(map[string]any{"recipients": agentRecipient}), "recipients[0]"},
		{"bad identifier type", with(map[string]any{"recipients": []any{map[string]any{"deliveryIdentifiers": []any{map[string]any{"type": "FAX", "value": "1"}}}}}), "recipients[0]"},
		{"text of the wrong type", with(map[string]any{"text": 42}), "text"},
		{"not an object", `"hello"`, "body"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h.call(http.MethodPost, threadsPath+"/"+EmailThreadID+"/messages", tc.body).wantParamError(t, tc.param)
		})
	}

	t.Run("visitor sender gets HubSpot's multi-error body", func(t *testing.T) {
		t.Parallel()
		body := with(map[string]any{"senderActorId": VisitorActorID, "recipients": agentRecipient})
		e := h.call(http.MethodPost, threadsPath+"/"+EmailThreadID+"/messages", body).wantError(t, http.StatusBadRequest, "VALIDATION_ERROR")
		type detail struct{ SubCategory, Message string }
		var got []detail
		for _, d := range e.Errors {
			got = append(got, detail{d.SubCategory, d.Message})
		}
		want := []detail{
			{"ConversationsApiError.UNSUPPORTED_ACTOR_TYPE", "Actor type VISITOR is not supported for sending"},
			{"ConversationsApiError.INVALID_ARGUMENT_TYPE", "Invalid actorId type"},
			{"ConversationsApiError.UNSUPPORTED_ACTOR_TYPE", "Actor type AGENT is not supported for receiving"},
		}
		if e.Message != "Multiple errors validating request." {
			t.Errorf("message = %q", e.Message)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("errors (-want +got):\n%s", diff)
		}
	})
	t.Run("archived and unknown threads are 404", func(t *testing.T) {
		t.Parallel()
		for _, id := range []string{ArchivedThreadID, "42"} {
			h.call(http.MethodPost, threadsPath+"/"+id+"/messages", emailEgg).wantError(t, http.StatusNotFound, "OBJECT_NOT_FOUND")
		}
	})
}
