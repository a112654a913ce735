package sandbox

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestAuthentication(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	for _, tc := range []struct {
		name   string
		header string
	}{
		{"no header", ""},
		{"unknown token", "Bearer not-a-token"},
		{"wrong scheme", "Basic " + DefaultToken},
		{"empty bearer", "Bearer "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, h.url+"/conversations/v3/conversations/inboxes", nil)
			if err != nil {
				t.Fatal(err)
			}
			if tc.header != "" {
				req.Header.Set("Authorization", tc.header)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			r := response{status: resp.StatusCode, header: resp.Header, body: b}
			e := r.wantError(t, http.StatusUnauthorized, "INVALID_AUTHENTICATION")
			if !strings.HasPrefix(e.Message, "Authentication credentials not found.") {
				t.Errorf("message = %q", e.Message)
			}
		})
	}
}

func TestResponseHeaders(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	first := h.call(http.MethodGet, "/conversations/v3/conversations/channels", "")
	first.want(t, http.StatusOK)
	second := h.call(http.MethodGet, "/conversations/v3/conversations/channels", "")
	want := map[string]string{
		"Content-Type":                              "application/json;charset=utf-8",
		"X-HubSpot-RateLimit-Max":                   "190",
		"X-HubSpot-RateLimit-Remaining":             "188",
		"X-HubSpot-RateLimit-Interval-Milliseconds": "10000",
		"X-HubSpot-RateLimit-Daily":                 "625000",
		"X-HubSpot-RateLimit-Daily-Remaining":       "624998",
	}
	got := map[string]string{}
	for k := range want {
		got[k] = second.header.Get(k)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("headers (-want +got):\n%s", diff)
	}
	c1, c2 := first.header.Get("X-HubSpot-Correlation-Id"), second.header.Get("X-HubSpot-Correlation-Id")
	if !uuidRE.MatchString(c1) || c1 == c2 {
		t.Errorf("correlation IDs %q, %q: want distinct UUIDs", c1, c2)
	}
}

func TestRouting(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	t.Run("unknown path is a HubSpot 404", func(t *testing.T) {
		t.Parallel()
		h.call(http.MethodGet, "/conversations/v3/nothing-here", "").wantError(t, http.StatusNotFound, "OBJECT_NOT_FOUND")
	})
	t.Run("wrong method is a 405 with Allow", func(t *testing.T) {
		t.Parallel()
		r := h.call(http.MethodPost, "/conversations/v3/conversations/inboxes", "{}")
		r.wantError(t, http.StatusMethodNotAllowed, "METHOD_NOT_ALLOWED")
		if allow := r.header.Get("Allow"); !strings.Contains(allow, "GET") {
			t.Errorf("Allow = %q", allow)
		}
	})
	t.Run("oversized body is a 413", func(t *testing.T) {
		t.Parallel()
		big := `{"type":"COMMENT","text":"` + strings.Repeat("x", maxBodyBytes) + `"}`
		h.call(http.MethodPost, "/conversations/v3/conversations/threads/9000000107/messages", big).
			wantError(t, http.StatusRequestEntityTooLarge, categoryTooLarge)
	})
}

func TestRequestRecording(t *testing.T) {
	t.Parallel()
	clock := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	h := newHarness(t, WithClock(func() time.Time { return clock }))
	h.callAs("", http.MethodGet, "/conversations/v3/conversations/inboxes?limit=1", "")
	body := `{"type":"COMMENT","text":"recorded"}`
	h.call(http.MethodPost, "/conversations/v3/conversations/threads/9000000107/messages", body).want(t, http.StatusCreated)

	got := h.srv.Requests()
	if len(got) != 2 {
		t.Fatalf("recorded %d requests, want 2", len(got))
	}
	type summary struct {
		Method, Path, RawQuery, Account, Auth, Body string
		Status                                      int
		Time                                        time.Time
	}
	var sums []summary
	for _, r := range got {
		sums = append(sums, summary{r.Method, r.Path, r.RawQuery, r.Account, r.Header.Get("Authorization"), string(r.Body), r.Status, r.Time})
		if !uuidRE.MatchString(r.CorrelationID) {
			t.Errorf("CorrelationID = %q", r.CorrelationID)
		}
	}
	want := []summary{
		{"GET", "/conversations/v3/conversations/inboxes", "limit=1", "", "", "", 401, clock},
		{"POST", "/conversations/v3/conversations/threads/9000000107/messages", "", DefaultCompany, "Bearer REDACTED", body, 201, clock},
	}
	if diff := cmp.Diff(want, sums); diff != "" {
		t.Errorf("requests (-want +got):\n%s", diff)
	}
	h.srv.ResetRequests()
	if n := len(h.srv.Requests()); n != 0 {
		t.Errorf("after reset: %d requests", n)
	}
}

func TestStart(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	base, stop, err := Start(ctx, New())
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	if !strings.HasPrefix(base, "http://127.0.0.1:") {
		t.Errorf("base URL = %q", base)
	}
	h := &harness{t: t, url: base, token: DefaultToken}
	var inbox struct{ Name string }
	h.get("/conversations/v3/conversations/inboxes/"+HelpDeskInboxID, &inbox)
	if inbox.Name != "Customer support" {
		t.Errorf("inbox name = %q", inbox.Name)
	}
	stop()
	stop() // idempotent
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, base+"/conversations/v3/conversations/channels", nil)
	if resp, err := http.DefaultClient.Do(req); err == nil {
		resp.Body.Close()
		t.Error("server still answers after stop")
	}
}
