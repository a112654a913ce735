package sandbox

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
)

// harness is a sandbox behind a real HTTP server.
type harness struct {
	t     *testing.T
	srv   *Server
	url   string
	token string
}

func newHarness(t *testing.T, opts ...Option) *harness {
	t.Helper()
	s := New(opts...)
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	return &harness{t: t, srv: s, url: ts.URL, token: DefaultToken}
}

// response is what a call returned.
type response struct {
	status int
	header http.Header
	body   []byte
}

// call sends method path (relative to the server) with an optional JSON
// body, authenticated with the harness token.
func (h *harness) call(method, path, body string) response {
	h.t.Helper()
	return h.callAs(h.token, method, path, body)
}

func (h *harness) callAs(token, method, path, body string) response {
	h.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(h.t.Context(), method, h.url+path, rd)
	if err != nil {
		h.t.Fatalf("new request: %v", err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		h.t.Fatalf("read body: %v", err)
	}
	return response{status: resp.StatusCode, header: resp.Header, body: b}
}

// get calls GET path, requires a 200 and decodes the body into v.
func (h *harness) get(path string, v any) {
	h.t.Helper()
	r := h.call(http.MethodGet, path, "")
	r.want(h.t, http.StatusOK)
	r.decode(h.t, v)
}

func (r response) want(t *testing.T, status int) {
	t.Helper()
	if r.status != status {
		t.Fatalf("status = %d, want %d; body: %s", r.status, status, r.body)
	}
}

func (r response) decode(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("decode %s: %v", r.body, err)
	}
}

var uuidRE = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

// apiErr is HubSpot's error body as a client sees it.
type apiErr struct {
	Status        string `json:"status"`
	Message       string `json:"message"`
	CorrelationID string `json:"correlationId"`
	Category      string `json:"category"`
	SubCategory   string `json:"subCategory"`
	Errors        []struct {
		Message     string `json:"message"`
		In          string `json:"in"`
		SubCategory string `json:"subCategory"`
	} `json:"errors"`
}

// wantError checks a HubSpot error answer and returns its body.
func (r response) wantError(t *testing.T, status int, category string) apiErr {
	t.Helper()
	r.want(t, status)
	var e apiErr
	r.decode(t, &e)
	if e.Status != "error" || e.Category != category || e.Message == "" {
		t.Errorf("error body = %s, want status error, category %s and a message", r.body, category)
	}
	if !uuidRE.MatchString(e.CorrelationID) || r.header.Get("X-HubSpot-Correlation-Id") != e.CorrelationID {
		t.Errorf("correlationId %q (header %q) is not a matching UUID v4", e.CorrelationID, r.header.Get("X-HubSpot-Correlation-Id"))
	}
	if ct := r.header.Get("Content-Type"); ct != contentTypeJSON {
		t.Errorf("Content-Type = %q", ct)
	}
	return e
}

// wantParamError checks a 400 VALIDATION_ERROR that names param.
func (r response) wantParamError(t *testing.T, param string) apiErr {
	t.Helper()
	e := r.wantError(t, http.StatusBadRequest, categoryValidation)
	for _, d := range e.Errors {
		if d.In == param || strings.HasPrefix(d.In, param) {
			return e
		}
	}
	t.Errorf("400 body %s does not name %q", r.body, param)
	return e
}

// Wire shapes the tests decode into.
type threadJSON struct {
	ID                             string `json:"id"`
	Status                         string `json:"status"`
	InboxID                        string `json:"inboxId"`
	Archived                       bool   `json:"archived"`
	AssignedTo                     string `json:"assignedTo"`
	AssociatedContactID            string `json:"associatedContactId"`
	ClosedAt                       string `json:"closedAt"`
	LatestMessageTimestamp         string `json:"latestMessageTimestamp"`
	LatestMessageSentTimestamp     string `json:"latestMessageSentTimestamp"`
	LatestMessageReceivedTimestamp string `json:"latestMessageReceivedTimestamp"`
	OriginalChannelID              string `json:"originalChannelId"`
	ThreadAssociations             *struct {
		AssociatedTicketID string `json:"associatedTicketId"`
	} `json:"threadAssociations"`
}

type pagingJSON struct {
	Next *struct {
		After string `json:"after"`
		Link  string `json:"link"`
	} `json:"next"`
	Prev *struct {
		Before string `json:"before"`
		Link   string `json:"link"`
	} `json:"prev"`
}

type threadList struct {
	Results []threadJSON `json:"results"`
	Total   *int         `json:"total"`
	Paging  *pagingJSON  `json:"paging"`
}

type messageJSON struct {
	ID                    string `json:"id"`
	Type                  string `json:"type"`
	ConversationsThreadID string `json:"conversationsThreadId"`
	CreatedAt             string `json:"createdAt"`
	CreatedBy             string `json:"createdBy"`
	Client                struct {
		ClientType       string `json:"clientType"`
		IntegrationAppID *int   `json:"integrationAppId"`
	} `json:"client"`
	Senders []struct {
		ActorID     string `json:"actorId"`
		Name        string `json:"name"`
		SenderField string `json:"senderField"`
	} `json:"senders"`
	Recipients []struct {
		ActorID            string             `json:"actorId"`
		DeliveryIdentifier deliveryIdentifier `json:"deliveryIdentifier"`
	} `json:"recipients"`
	Text             string            `json:"text"`
	RichText         string            `json:"richText"`
	Subject          string            `json:"subject"`
	Direction        string            `json:"direction"`
	TruncationStatus string            `json:"truncationStatus"`
	InReplyToID      string            `json:"inReplyToId"`
	Attachments      []json.RawMessage `json:"attachments"`
	Status           *struct {
		StatusType string `json:"statusType"`
	} `json:"status"`
	AssignedFrom string `json:"assignedFrom"`
	AssignedTo   string `json:"assignedTo"`
	NewStatus    string `json:"newStatus"`
	FromInboxID  string `json:"fromInboxId"`
	ToInboxID    string `json:"toInboxId"`
}

type messageList struct {
	Results []messageJSON `json:"results"`
	Paging  *pagingJSON   `json:"paging"`
}

// allMessages returns every message of a thread, oldest first.
func (h *harness) allMessages(threadID string) []messageJSON {
	h.t.Helper()
	var l messageList
	h.get("/conversations/v3/conversations/threads/"+threadID+"/messages?archived=true&limit=100&sort=createdAt", &l)
	return l.Results
}

// thread returns one thread, archived or not.
func (h *harness) thread(id string) threadJSON {
	h.t.Helper()
	var th threadJSON
	h.get("/conversations/v3/conversations/threads/"+id+"?archived=true&association=TICKET", &th)
	return th
}
