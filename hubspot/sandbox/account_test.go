package sandbox

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestAccountsAreIsolated(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	acme := h.srv.AddAccount("acme-token", "Acme Trails Ltd")
	if acme.Company() != "Acme Trails Ltd" || h.srv.Account("acme-token") != acme || h.srv.Account("nope") != nil {
		t.Fatalf("account lookup broken")
	}
	type view struct {
		inbox, supportAddress, visitor, agent string
	}
	read := func(token string) view {
		t.Helper()
		var in, ca, v, a map[string]any
		for path, dst := range map[string]*map[string]any{
			"/conversations/v3/conversations/inboxes/" + InboxID:                        &in,
			"/conversations/v3/conversations/channel-accounts/" + EmailChannelAccountID: &ca,
			"/conversations/v3/conversations/actors/" + VisitorActorID:                  &v,
			"/conversations/v3/conversations/actors/" + AgentActorID:                    &a,
		} {
			r := h.callAs(token, http.MethodGet, path, "")
			r.want(t, http.StatusOK)
			r.decode(t, dst)
		}
		return view{in["name"].(string), ca["name"].(string), v["name"].(string), a["name"].(string)}
	}
	want := map[string]view{
		DefaultToken: {"Sales & general", "support@juniper-outdoor.example", "Maya Thompson", "Riley Chen"},
		"acme-token": {"Sales & general (Acme Trails Ltd)", "support@acme-trails.example", "Jonas Berg", "Jamie Rivera"},
	}
	got := map[string]view{DefaultToken: read(DefaultToken), "acme-token": read("acme-token")}
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(view{})); diff != "" {
		t.Errorf("accounts (-want +got):\n%s", diff)
	}

	h.callAs("acme-token", http.MethodDelete, threadsPath+"/"+ClosedThreadID, "").want(t, http.StatusNoContent)
	h.call(http.MethodGet, threadsPath+"/"+ClosedThreadID, "").want(t, http.StatusOK)
	h.callAs("acme-token", http.MethodGet, threadsPath+"/"+ClosedThreadID, "").wantError(t, http.StatusNotFound, "OBJECT_NOT_FOUND")

	var msgs messageList
	r := h.callAs("acme-token", http.MethodGet, threadsPath+"/"+EmailThreadID+"/messages?sort=createdAt&limit=1", "")
	r.decode(t, &msgs)
	if text := msgs.Results[0].Text; strings.Contains(text, "Maya") || !strings.Contains(text, "Jonas") {
		t.Errorf("second account's first email: %q", text)
	}

	// Replacing an account reseeds it.
	h.srv.AddAccount("acme-token", "Acme Trails Ltd")
	h.callAs("acme-token", http.MethodGet, threadsPath+"/"+ClosedThreadID, "").want(t, http.StatusOK)
}

func TestAddIncomingMessage(t *testing.T) {
	t.Parallel()
	h := newHarness(t, WithClock(fixedClock))
	acct := h.srv.Account(DefaultToken)
	before := len(h.allMessages(ClosedThreadID))
	id, err := acct.AddIncomingMessage(ClosedThreadID, "Actually, the parcel never came.")
	if err != nil {
		t.Fatal(err)
	}
	th := h.thread(ClosedThreadID)
	if th.Status != "OPEN" || th.ClosedAt != "" || th.LatestMessageReceivedTimestamp != "2026-12-01T10:00:00Z" ||
		th.LatestMessageTimestamp != th.LatestMessageReceivedTimestamp {
		t.Errorf("thread after a new message = %+v", th)
	}
	added := h.allMessages(ClosedThreadID)[before:]
	if len(added) != 2 || len(id) != 32 || added[0].ID != id || added[0].Direction != "INCOMING" || added[0].CreatedBy != VisitorActorID ||
		added[1].Type != "THREAD_STATUS_CHANGE" || added[1].NewStatus != "OPEN" || added[1].CreatedBy != SystemActorID {
		t.Errorf("added messages = %+v", added)
	}
	open := h.pageThreads(threadsPath + "?associatedContactId=3501&threadStatus=OPEN")
	if !strings.Contains(strings.Join(open, ","), ClosedThreadID) {
		t.Errorf("reopened thread missing from the contact's open threads: %v", open)
	}

	emailID, err := acct.AddIncomingMessage(EmailThreadID, "One more question about sizing.")
	if err != nil {
		t.Fatal(err)
	}
	var m messageJSON
	h.get(threadsPath+"/"+EmailThreadID+"/messages/"+emailID, &m)
	created, _ := time.Parse(time.RFC3339Nano, m.CreatedAt)
	if !strings.HasPrefix(m.Subject, "Re: ") || m.Senders[0].SenderField != "FROM" || !created.After(writeClock) {
		t.Errorf("incoming email = %+v", m)
	}

	for _, tc := range []struct{ thread, text string }{{"1", "x"}, {ArchivedThreadID, "x"}, {AllTypesThreadID, ""}} {
		if _, err := acct.AddIncomingMessage(tc.thread, tc.text); err == nil {
			t.Errorf("AddIncomingMessage(%q, %q) succeeded", tc.thread, tc.text)
		}
	}
}

func TestAddThread(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	acct := h.srv.Account(DefaultToken)
	id, err := acct.AddThread(HelpDeskInboxID, EmailChannelID, "My tent arrived without stakes.\nCan you send some?")
	if err != nil {
		t.Fatal(err)
	}
	th := h.thread(id)
	if th.Status != "OPEN" || th.InboxID != HelpDeskInboxID || th.OriginalChannelID != EmailChannelID {
		t.Errorf("new thread = %+v", th)
	}
	msgs := h.allMessages(id)
	if len(msgs) != 1 || msgs[0].Subject != "My tent arrived without stakes." || msgs[0].Direction != "INCOMING" {
		t.Fatalf("new thread's messages = %+v", msgs)
	}
	h.call(http.MethodGet, "/conversations/v3/conversations/actors/"+msgs[0].CreatedBy, "").want(t, http.StatusOK)
	if th.AssociatedContactID != strings.TrimPrefix(msgs[0].CreatedBy, "V-") {
		t.Errorf("contact %s, sender %s", th.AssociatedContactID, msgs[0].CreatedBy)
	}
	raw, err := acct.Thread(id)
	if err != nil || !json.Valid(raw) || !strings.Contains(string(raw), `"id":"`+id+`"`) {
		t.Errorf("Thread(%s) = %s, %v", id, raw, err)
	}
	if _, err := acct.Thread("404"); err == nil {
		t.Error("Thread of an unknown ID succeeded")
	}
	if _, err := acct.AddThread(InboxID, MessengerChannelID, "hi"); err == nil {
		t.Error("AddThread on an inbox without that channel succeeded")
	}
	if _, err := acct.AddThread(HelpDeskInboxID, LiveChatChannelID, ""); err == nil {
		t.Error("AddThread with no text succeeded")
	}
}

func TestConcurrentUse(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	acct := h.srv.Account(DefaultToken)
	before := len(h.allMessages(AllTypesThreadID))
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			r := h.call(http.MethodPost, threadsPath+"/"+AllTypesThreadID+"/messages", fmt.Sprintf(`{"type":"COMMENT","text":"note %d"}`, i))
			if r.status != http.StatusCreated {
				t.Errorf("comment %d: %d", i, r.status)
			}
		})
		wg.Go(func() {
			if _, err := acct.AddIncomingMessage(AllTypesThreadID, fmt.Sprintf("message %d", i)); err != nil {
				t.Error(err)
			}
		})
		wg.Go(func() { h.call(http.MethodGet, threadsPath+"?limit=5", "") })
		wg.Go(func() { _ = h.srv.Requests() })
	}
	wg.Wait()
	if got := len(h.allMessages(AllTypesThreadID)); got != before+16 {
		t.Errorf("%d messages after 16 concurrent writes, want %d", got, before+16)
	}
}
