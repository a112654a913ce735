package sandbox

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"testing"
	"time"
)

type rateLimitJSON struct {
	Status        string `json:"status"`
	Message       string `json:"message"`
	ErrorType     string `json:"errorType"`
	CorrelationID string `json:"correlationId"`
	Category      string `json:"category"`
	PolicyName    string `json:"policyName"`
}

func (r response) wantRateLimited(t *testing.T, policy string) rateLimitJSON {
	t.Helper()
	r.want(t, http.StatusTooManyRequests)
	var body rateLimitJSON
	r.decode(t, &body)
	if body.Status != "error" || body.ErrorType != "RATE_LIMIT" || body.PolicyName != policy ||
		!uuidRE.MatchString(body.CorrelationID) || body.CorrelationID != r.header.Get("X-HubSpot-Correlation-Id") {
		t.Errorf("429 body = %s", r.body)
	}
	return body
}

const channelsPath = "/conversations/v3/conversations/channels"

func TestRateLimitFaults(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name       string
		retryAfter time.Duration
		wantHeader string
	}{
		{"without Retry-After, as HubSpot documents", 0, ""},
		{"with Retry-After rounded up to seconds", 1500 * time.Millisecond, "2"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			h.srv.InjectFault(RateLimitFault(tc.retryAfter))
			r := h.call(http.MethodGet, channelsPath, "")
			body := r.wantRateLimited(t, "TEN_SECONDLY_ROLLING")
			if body.Message != "You have reached your ten_secondly_rolling limit." {
				t.Errorf("message = %q", body.Message)
			}
			if got := r.header.Get("Retry-After"); got != tc.wantHeader {
				t.Errorf("Retry-After = %q, want %q", got, tc.wantHeader)
			}
			h.call(http.MethodGet, channelsPath, "").want(t, http.StatusOK)
		})
	}
}

func TestServerErrorFaultChangesNothing(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	before := len(h.allMessages(ClosedThreadID))
	h.srv.InjectFault(Fault{Method: http.MethodPost, Path: threadPath + "/messages", Status: http.StatusServiceUnavailable})
	h.call(http.MethodPost, threadsPath+"/"+ClosedThreadID+"/messages", `{"type":"COMMENT","text":"hi"}`).
		wantError(t, http.StatusServiceUnavailable, "INTERNAL_ERROR")
	if after := len(h.allMessages(ClosedThreadID)); after != before {
		t.Errorf("messages %d → %d after a 503", before, after)
	}
	h.call(http.MethodPost, threadsPath+"/"+ClosedThreadID+"/messages", `{"type":"COMMENT","text":"hi"}`).want(t, http.StatusCreated)
}

func TestFaultMatching(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.srv.AddAccount("other-token", "Acme Trails Ltd")
	h.srv.InjectFault(Fault{Path: convPrefix + "/inboxes/{inboxId}", Status: http.StatusBadGateway, Times: 2})
	h.srv.InjectFault(Fault{Token: "other-token", Status: http.StatusInternalServerError})
	h.srv.InjectFault(Fault{Method: http.MethodDelete, Path: "/conversations/", Status: http.StatusTeapot,
		Header: http.Header{"X-Custom": {"yes"}}, Body: `{"custom":true}`, Times: -1})

	h.callAs("wrong", http.MethodGet, convPrefix+"/inboxes/"+InboxID, "").want(t, http.StatusUnauthorized) // consumes nothing
	h.call(http.MethodGet, convPrefix+"/inboxes", "").want(t, http.StatusOK)
	h.call(http.MethodGet, convPrefix+"/inboxes/"+InboxID, "").want(t, http.StatusBadGateway)
	h.call(http.MethodGet, convPrefix+"/inboxes/"+HelpDeskInboxID, "").want(t, http.StatusBadGateway)
	h.call(http.MethodGet, convPrefix+"/inboxes/"+InboxID, "").want(t, http.StatusOK)

	h.call(http.MethodGet, channelsPath, "").want(t, http.StatusOK)
	h.callAs("other-token", http.MethodGet, channelsPath, "").want(t, http.StatusInternalServerError)
	h.callAs("other-token", http.MethodGet, channelsPath, "").want(t, http.StatusOK)

	for range 3 {
		r := h.call(http.MethodDelete, threadsPath+"/"+ClosedThreadID, "")
		r.want(t, http.StatusTeapot)
		if string(r.body) != `{"custom":true}` || r.header.Get("X-Custom") != "yes" {
			t.Errorf("custom fault answered %s, headers %v", r.body, r.header)
		}
	}
	h.srv.ClearFaults()
	h.call(http.MethodDelete, threadsPath+"/"+ClosedThreadID, "").want(t, http.StatusNoContent)
}

func TestDelayFault(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	const delay = 50 * time.Millisecond
	h.srv.InjectFault(Fault{Delay: delay})
	start := time.Now()
	h.call(http.MethodGet, channelsPath, "").want(t, http.StatusOK)
	if elapsed := time.Since(start); elapsed < delay {
		t.Errorf("answered after %v, want at least %v", elapsed, delay)
	}

	h.srv.InjectFault(Fault{Delay: time.Hour})
	ctx, cancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, h.url+channelsPath, nil)
	req.Header.Set("Authorization", "Bearer "+DefaultToken)
	resp, err := http.DefaultClient.Do(req)
	if err == nil {
		resp.Body.Close()
		t.Fatal("hour-long delay answered")
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v", err)
	}
}

func TestMalformedAndDroppedFaults(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.srv.InjectFault(Fault{Malformed: true})
	r := h.call(http.MethodGet, threadsPath, "")
	r.want(t, http.StatusOK)
	var v any
	if err := json.Unmarshal(r.body, &v); err == nil {
		t.Errorf("malformed body %q decodes", r.body)
	}

	h.srv.InjectFault(Fault{Drop: true})
	before := len(h.srv.Requests())
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, h.url+threadsPath, nil)
	req.Header.Set("Authorization", "Bearer "+DefaultToken)
	// A fresh connection: on a reused one, net/http would retry the GET.
	fresh := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	if resp, err := fresh.Do(req); err == nil {
		resp.Body.Close()
		t.Fatalf("dropped call answered %d", resp.StatusCode)
	}
	// The client sees the connection close before the sandbox's deferred
	// record of the call runs: wait for the record.
	reqs := h.srv.Requests()
	for deadline := time.Now().Add(5 * time.Second); len(reqs) == before && time.Now().Before(deadline); reqs = h.srv.Requests() {
		time.Sleep(time.Millisecond)
	}
	if len(reqs) == before {
		t.Fatal("dropped call not recorded")
	}
	if last := reqs[len(reqs)-1]; last.Status != 0 {
		t.Errorf("dropped call recorded with status %d", last.Status)
	}
	h.call(http.MethodGet, threadsPath, "").want(t, http.StatusOK)
}
