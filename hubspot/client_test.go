package hubspot

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
)

// fakeHubSpot is an in-memory RoundTripper: no sockets, so it works inside
// a synctest bubble. Each request gets the next scripted answer.
type fakeHubSpot struct {
	mu      sync.Mutex
	answers []fakeAnswer
	got     []*http.Request
	times   []time.Time
	bodies  []string
}

type fakeAnswer struct {
	status int
	header http.Header
	body   string
	err    error // returned instead of a response
}

func (f *fakeHubSpot) RoundTrip(r *http.Request) (*http.Response, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var body string
	if r.Body != nil {
		b, _ := io.ReadAll(r.Body)
		body = string(b)
	}
	f.got = append(f.got, r)
	f.times = append(f.times, time.Now())
	f.bodies = append(f.bodies, body)
	a := fakeAnswer{status: 200, body: `{}`}
	if len(f.answers) > 0 {
		a = f.answers[0]
		if len(f.answers) > 1 {
			f.answers = f.answers[1:]
		}
	}
	if a.err != nil {
		return nil, a.err
	}
	h := a.header.Clone()
	if h == nil {
		h = http.Header{}
	}
	return &http.Response{StatusCode: a.status, Header: h, Body: io.NopCloser(strings.NewReader(a.body)), Request: r}, nil
}

func (f *fakeHubSpot) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.got)
}

func newFakeClient(t *testing.T, f *fakeHubSpot, opts ...Option) *Client {
	t.Helper()
	opts = append([]Option{
		WithHTTPClient(&http.Client{Transport: f}),
		WithLimiter(NewWindowLimiter(Rate{Calls: 1000, Per: time.Second})),
		WithBaseURL("https://api.example.test"),
	}, opts...)
	c, err := NewClient("Bearer pat-na1-secret", opts...)
	if err != nil {
		t.Fatal(err)
	}
	c.backoff = func(attempt int) time.Duration { return time.Duration(attempt) * time.Second }
	return c
}

const threadJSON = `{"id":"123","inboxId":"1","status":"OPEN","spam":false,"archived":false,"associatedContactId":"9","createdAt":"2026-11-20T09:00:00Z","originalChannelId":"1000","originalChannelAccountId":"5"}`

func TestClient_429RetriesAfterRetryAfter(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		f := &fakeHubSpot{answers: []fakeAnswer{
			{status: 429, header: http.Header{"Retry-After": {"2"}}, body: `{"status":"error","message":"You have reached your ten_secondly_rolling limit.","errorType":"RATE_LIMIT","policyName":"TEN_SECONDLY_ROLLING","correlationId":"c-1"}`},
			{status: 200, body: threadJSON},
		}}
		c := newFakeClient(t, f)
		start := time.Now()
		// A send: 429 means HubSpot did not process it, so even a send is retried.
		th, err := c.UpdateThread(t.Context(), "123", UpdateThreadRequest{Status: StatusClosed})
		if err != nil {
			t.Fatal(err)
		}
		if th.ID != "123" {
			t.Errorf("thread id = %q", th.ID)
		}
		if f.count() != 2 {
			t.Fatalf("requests = %d, want 2", f.count())
		}
		if got := f.times[1].Sub(start); got != 2*time.Second {
			t.Errorf("retry after %s, want exactly 2s", got)
		}
	})
}

func TestClient_429WithoutRetryAfterUsesHubSpotInterval(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		f := &fakeHubSpot{answers: []fakeAnswer{
			{status: 429, header: http.Header{"X-Hubspot-Ratelimit-Interval-Milliseconds": {"10000"}}, body: `{"status":"error","errorType":"RATE_LIMIT","policyName":"TEN_SECONDLY_ROLLING"}`},
			{status: 201, body: `{"id":"m1","type":"COMMENT","text":"hi"}`},
		}}
		c := newFakeClient(t, f)
		start := time.Now()
		m, err := c.SendMessage(t.Context(), "123", SendMessageRequest{Type: MessageTypeComment, Text: "hi"})
		if err != nil {
			t.Fatal(err)
		}
		if m.ID != "m1" || f.count() != 2 {
			t.Fatalf("message %q after %d requests", m.ID, f.count())
		}
		if got := f.times[1].Sub(start); got != 10*time.Second {
			t.Errorf("retry after %s, want 10s (HubSpot's interval)", got)
		}
	})
}

func TestClient_DailyLimitIsNotRetried(t *testing.T) {
	t.Parallel()
	f := &fakeHubSpot{answers: []fakeAnswer{{status: 429, body: `{"status":"error","message":"You have reached your daily limit.","errorType":"RATE_LIMIT","correlationId":"c033cdaa","policyName":"DAILY"}`}}}
	c := newFakeClient(t, f)
	_, err := c.GetThread(t.Context(), "123", nil)
	var he *Error
	if !errors.As(err, &he) {
		t.Fatalf("err = %v, want *Error", err)
	}
	if !he.DailyLimit() || he.StatusCode != 429 || he.CorrelationID != "c033cdaa" || he.Attempts != 1 {
		t.Errorf("error = %+v", he)
	}
	if f.count() != 1 {
		t.Errorf("requests = %d, want 1", f.count())
	}
}

func TestClient_429GivesUpAfterMaxRetries(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		f := &fakeHubSpot{answers: []fakeAnswer{{status: 429, header: http.Header{"Retry-After": {"1"}}, body: `{"policyName":"TEN_SECONDLY_ROLLING"}`}}}
		c := newFakeClient(t, f, WithMaxRetries(2))
		_, err := c.ListInboxes(t.Context(), nil)
		var he *Error
		if !errors.As(err, &he) || he.StatusCode != 429 || he.RetryAfter != time.Second || he.Attempts != 3 {
			t.Fatalf("err = %#v", err)
		}
		if f.count() != 3 {
			t.Errorf("requests = %d, want 3", f.count())
		}
	})
}

func TestClient_429RetryAfterLongerThanAllowedReturnsAtOnce(t *testing.T) {
	t.Parallel()
	f := &fakeHubSpot{answers: []fakeAnswer{{status: 429, header: http.Header{"Retry-After": {"3600"}}}}}
	c := newFakeClient(t, f)
	_, err := c.ListInboxes(t.Context(), nil)
	var he *Error
	if !errors.As(err, &he) || he.RetryAfter != time.Hour {
		t.Fatalf("err = %v", err)
	}
	if f.count() != 1 {
		t.Errorf("requests = %d, want 1", f.count())
	}
}

func TestClient_5xxRetriedOnlyWhenSafe(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		call func(*Client, context.Context) error
		want int
	}{
		{"GET is retried", func(c *Client, ctx context.Context) error { _, err := c.GetThread(ctx, "1", nil); return err }, 4},
		{"batch read is retried", func(c *Client, ctx context.Context) error {
			_, err := c.BatchGetActors(ctx, []string{"A-1"}, "")
			return err
		}, 4},
		{"archive is retried", func(c *Client, ctx context.Context) error { return c.ArchiveThread(ctx, "1") }, 4},
		{"send is not retried", func(c *Client, ctx context.Context) error {
			_, err := c.SendMessage(ctx, "1", SendMessageRequest{Type: MessageTypeComment, Text: "x"})
			return err
		}, 1},
		{"visitor token is not retried", func(c *Client, ctx context.Context) error {
			_, err := c.CreateVisitorToken(ctx, CreateVisitorTokenRequest{Email: "a@example.com"})
			return err
		}, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				f := &fakeHubSpot{answers: []fakeAnswer{{status: 503, body: `{"status":"error","message":"Service Unavailable","category":"INTERNAL_ERROR","correlationId":"x"}`}}}
				c := newFakeClient(t, f)
				err := tc.call(c, t.Context())
				var he *Error
				if !errors.As(err, &he) || he.StatusCode != 503 {
					t.Fatalf("err = %v, want a 503 *Error", err)
				}
				if f.count() != tc.want {
					t.Errorf("requests = %d, want %d", f.count(), tc.want)
				}
			})
		})
	}
}

func TestClient_ConnectionErrors(t *testing.T) {
	t.Parallel()
	dialErr := &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}
	resetErr := &net.OpError{Op: "read", Net: "tcp", Err: errors.New("connection reset by peer")}
	send := func(c *Client, ctx context.Context) error {
		_, err := c.SendMessage(ctx, "1", SendMessageRequest{Type: MessageTypeComment, Text: "x"})
		return err
	}
	for _, tc := range []struct {
		name      string
		err       error
		call      func(*Client, context.Context) error
		requests  int
		maybeSent bool
		succeeds  bool
	}{
		{"a send whose connection was refused is retried: nothing left", dialErr, send, 2, false, true},
		{"a send whose connection broke is not retried and may have been sent", resetErr, send, 1, true, false},
		{"a read whose connection broke is retried", resetErr, func(c *Client, ctx context.Context) error { _, err := c.GetInbox(ctx, "1", false); return err }, 2, false, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				f := &fakeHubSpot{answers: []fakeAnswer{{err: tc.err}, {status: 200, body: `{"id":"1"}`}}}
				c := newFakeClient(t, f)
				err := tc.call(c, t.Context())
				if f.count() != tc.requests {
					t.Errorf("requests = %d, want %d", f.count(), tc.requests)
				}
				if tc.succeeds {
					if err != nil {
						t.Errorf("err = %v, want success after retry", err)
					}
					return
				}
				var re *RequestError
				if !errors.As(err, &re) || re.MaybeSent != tc.maybeSent {
					t.Errorf("err = %#v, want *RequestError with MaybeSent=%v", err, tc.maybeSent)
				}
			})
		})
	}
}

func TestClient_SendTimeoutIsNotRetried(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		hang := roundTripFunc(func(r *http.Request) (*http.Response, error) {
			<-r.Context().Done()
			return nil, r.Context().Err()
		})
		var n int
		counting := roundTripFunc(func(r *http.Request) (*http.Response, error) { n++; return hang(r) })
		c, err := NewClient("tok", WithHTTPClient(&http.Client{Transport: counting}), WithTimeout(5*time.Second))
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.SendMessage(t.Context(), "1", SendMessageRequest{Type: MessageTypeComment, Text: "x"})
		var re *RequestError
		if !errors.As(err, &re) || !re.MaybeSent || !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("err = %#v", err)
		}
		if n != 1 {
			t.Errorf("requests = %d, want 1", n)
		}
	})
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestClient_HoldsWhenHubSpotWindowIsSpent(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		f := &fakeHubSpot{answers: []fakeAnswer{
			{status: 200, header: http.Header{"X-Hubspot-Ratelimit-Remaining": {"0"}, "X-Hubspot-Ratelimit-Interval-Milliseconds": {"10000"}}, body: `{"results":[]}`},
			{status: 200, body: `{"results":[]}`},
		}}
		c := newFakeClient(t, f)
		start := time.Now()
		for range 2 {
			if _, err := c.ListChannels(t.Context(), nil); err != nil {
				t.Fatal(err)
			}
		}
		if got := f.times[1].Sub(start); got != 10*time.Second {
			t.Errorf("second request after %s, want 10s", got)
		}
	})
}

func TestClient_ContextCancelledWhileWaiting(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		f := &fakeHubSpot{}
		c := newFakeClient(t, f, WithLimiter(NewWindowLimiter(Rate{Calls: 1, Per: time.Hour})))
		if _, err := c.ListChannels(t.Context(), nil); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
		defer cancel()
		_, err := c.ListChannels(ctx, nil)
		var be *BudgetError
		if !errors.As(err, &be) {
			t.Fatalf("err = %v, want *BudgetError", err)
		}
		if f.count() != 1 {
			t.Errorf("requests = %d, want 1: nothing may go over the budget", f.count())
		}
	})
}

func TestClient_TokenNeverLeaks(t *testing.T) {
	t.Parallel()
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	f := &fakeHubSpot{answers: []fakeAnswer{
		{status: 401, body: `{"status":"error","message":"Authentication credentials not found.","category":"INVALID_AUTHENTICATION","correlationId":"u-1"}`},
		{err: errors.New("boom")},
	}}
	c := newFakeClient(t, f, WithLogger(logger), WithMaxRetries(0))
	_, err1 := c.GetThread(t.Context(), "1", nil)
	_, err2 := c.GetThread(t.Context(), "1", nil)
	if got := f.got[0].Header.Get("Authorization"); got != "Bearer pat-na1-secret" {
		t.Errorf("Authorization = %q, want the token once, with one Bearer prefix", got)
	}
	for _, s := range []string{err1.Error(), err2.Error(), logs.String()} {
		if strings.Contains(s, "pat-na1-secret") {
			t.Errorf("token leaked: %s", s)
		}
	}
}

func TestNormalizeToken(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{"abc": "abc", "Bearer abc": "abc", "bearer  abc ": "abc", " BEARER abc": "abc"} {
		if got, err := NormalizeToken(in); err != nil || got != want {
			t.Errorf("NormalizeToken(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "   ", "Bearer ", "a b", "abc\r\nX-Evil: 1", "tök"} {
		_, err := NormalizeToken(bad)
		if err == nil {
			t.Errorf("NormalizeToken(%q): want an error", bad)
		} else if bad != "" && strings.Contains(err.Error(), strings.TrimSpace(bad)) && strings.TrimSpace(bad) != "" {
			t.Errorf("error %q repeats the token", err)
		} else if bad == "tök" && !strings.Contains(err.Error(), "outside ASCII") {
			t.Errorf("error %q does not say what is wrong with a non-ASCII token", err)
		}
	}
}

func TestWithBaseURL(t *testing.T) {
	t.Parallel()
	for _, bad := range []string{"", "api.hubapi.com", "ftp://x", "https://u:p@x", "https://x/?q=1", "http://"} {
		if _, err := NewClient("t", WithBaseURL(bad)); err == nil {
			t.Errorf("WithBaseURL(%q): want an error", bad)
		}
	}
	f := &fakeHubSpot{answers: []fakeAnswer{{status: 200, body: `{"id":"1000","name":"Live chat"}`}}}
	c := newFakeClient(t, f, WithBaseURL("https://eu1.example.test/proxy/"))
	if _, err := c.GetChannel(t.Context(), "1000"); err != nil {
		t.Fatal(err)
	}
	if got, want := f.got[0].URL.String(), "https://eu1.example.test/proxy/conversations/v3/conversations/channels/1000"; got != want {
		t.Errorf("URL = %s, want %s", got, want)
	}
}

func TestClient_MaxWaitFailsFastWithARetryTime(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		f := &fakeHubSpot{}
		c := newFakeClient(t, f, WithLimiter(NewWindowLimiter(Rate{Calls: 1, Per: time.Minute})), WithMaxWait(10*time.Second))
		if _, err := c.ListChannels(t.Context(), nil); err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		_, err := c.ListChannels(t.Context(), nil)
		var be *BudgetError
		if !errors.As(err, &be) || be.Wait != time.Minute+250*time.Millisecond {
			t.Fatalf("err = %v, want a BudgetError saying a minute (and the guard)", err)
		}
		if time.Since(start) != 0 || f.count() != 1 {
			t.Errorf("waited %s and sent %d requests; want an immediate refusal", time.Since(start), f.count())
		}
	})
}

func TestClient_HoldEndsWhenItsOwnOldestCallLeavesHubSpotsWindow(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		window := func(remaining string) http.Header {
			return http.Header{"X-Hubspot-Ratelimit-Remaining": {remaining}, "X-Hubspot-Ratelimit-Max": {"3"},
				"X-Hubspot-Ratelimit-Interval-Milliseconds": {"10000"}}
		}
		f := &fakeHubSpot{answers: []fakeAnswer{
			{status: 200, header: window("2"), body: `{}`},
			{status: 200, header: window("1"), body: `{}`},
			{status: 200, header: window("0"), body: `{}`},
			{status: 200, header: window("0"), body: `{}`},
		}}
		c := newFakeClient(t, f)
		start := time.Now()
		for _, at := range []time.Duration{0, 3 * time.Second, 6 * time.Second} {
			time.Sleep(at - time.Since(start)) // synctest: virtual time
			if _, err := c.GetChannel(t.Context(), "1000"); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := c.GetChannel(t.Context(), "1000"); err != nil {
			t.Fatal(err)
		}
		// The window was spent by this client's three calls; the first
		// leaves it at 10 s, so the fourth goes then (plus the guard),
		// not 10 s after the third.
		if got := f.times[3].Sub(start); got != 10*time.Second+250*time.Millisecond {
			t.Errorf("fourth request after %s, want 10.25s", got)
		}
	})
}

func TestClient_HoldsAWholeWindowWhenOthersShareTheBudget(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		// HubSpot counts 100 calls, this client made only one: other
		// integrations used the rest, and when theirs leave is unknown.
		f := &fakeHubSpot{answers: []fakeAnswer{
			{status: 200, header: http.Header{"X-Hubspot-Ratelimit-Remaining": {"0"}, "X-Hubspot-Ratelimit-Max": {"100"},
				"X-Hubspot-Ratelimit-Interval-Milliseconds": {"10000"}}, body: `{}`},
			{status: 200, body: `{}`},
		}}
		c := newFakeClient(t, f)
		start := time.Now()
		for range 2 {
			if _, err := c.GetChannel(t.Context(), "1000"); err != nil {
				t.Fatal(err)
			}
		}
		if got := f.times[1].Sub(start); got != 10*time.Second {
			t.Errorf("second request after %s, want 10s", got)
		}
	})
}

// FuzzNormalizeToken: an accepted token is non-empty, at most
// MaxTokenLength long, free of spaces and control characters; an error
// never repeats the token.
func FuzzNormalizeToken(f *testing.F) {
	for _, s := range []string{"pat-na1-abc", "Bearer pat-na1-abc", "bearer ", " ", "a b", "tok\x00en", strings.Repeat("k", MaxTokenLength+1)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		tok, err := NormalizeToken(raw)
		if err != nil {
			if len(raw) > 8 && strings.Contains(err.Error(), raw) {
				t.Errorf("error %q repeats the token", err)
			}
			return
		}
		if tok == "" || len(tok) > MaxTokenLength || strings.ContainsFunc(tok, func(r rune) bool { return r <= ' ' || r >= 0x7f }) {
			t.Errorf("NormalizeToken(%q) = %q", raw, tok)
		}
	})
}

// TestClient_BeforeWriteSeesEveryWriteOnce: the hook hears each write
// once, exactly as sent, never a read; its error stops the write before
// anything is sent.
func TestClient_BeforeWriteSeesEveryWriteOnce(t *testing.T) {
	t.Parallel()
	f := &fakeHubSpot{answers: []fakeAnswer{{status: 200, body: threadJSON}}}
	var seen []Write
	refuse := errors.New("not this one")
	c := newFakeClient(t, f, WithBeforeWrite(func(_ context.Context, w Write) error {
		seen = append(seen, w)
		if strings.Contains(string(w.Body), "refused") {
			return refuse
		}
		return nil
	}))
	if _, err := c.GetThread(t.Context(), "123", nil); err != nil {
		t.Fatal(err)
	}
	no := false
	if _, err := c.UpdateThread(t.Context(), "123", UpdateThreadRequest{Archived: &no}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.SendMessage(t.Context(), "123", SendMessageRequest{Type: "COMMENT", Text: "refused"}); !errors.Is(err, refuse) {
		t.Errorf("a refused write: err = %v, want the hook's", err)
	}
	want := []Write{
		{Method: "PATCH", Path: "/conversations/v3/conversations/threads/123?archived=true", Body: json.RawMessage(`{"archived":false}`)},
		{Method: "POST", Path: "/conversations/v3/conversations/threads/123/messages", Body: json.RawMessage(`{"type":"COMMENT","text":"refused","attachments":[]}`)},
	}
	if diff := cmp.Diff(want, seen); diff != "" {
		t.Errorf("writes the hook saw (-want +got):\n%s", diff)
	}
	if n := f.count(); n != 2 {
		t.Errorf("%d requests sent, want the read and the first write", n)
	}
}

// TestClient_RateWaitSpendsTheBudgetsWaits: the limiter's turn and a
// 429's Retry-After pass through the rate wait.
func TestClient_RateWaitSpendsTheBudgetsWaits(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		f := &fakeHubSpot{answers: []fakeAnswer{
			{status: 200, body: `{}`},
			{status: 429, header: http.Header{"Retry-After": {"3"}}, body: `{"status":"error","errorType":"RATE_LIMIT","policyName":"TEN_SECONDLY_ROLLING"}`},
			{status: 200, body: `{}`},
		}}
		var waits []time.Duration
		c := newFakeClient(t, f, WithLimiter(NewWindowLimiter(Rate{Calls: 1, Per: 5 * time.Second})),
			WithRateWait(func(ctx context.Context, d time.Duration) error {
				waits = append(waits, d)
				return Sleep(ctx, d)
			}))
		for range 2 {
			if _, err := c.GetChannel(t.Context(), "1000"); err != nil {
				t.Fatal(err)
			}
		}
		// The second call waits 5 s plus the guard for its turn, then 3 s
		// after the 429, then its turn again.
		if len(waits) < 2 || waits[0] != 5250*time.Millisecond || waits[1] != 3*time.Second {
			t.Errorf("waits %v, want 5.25s then 3s first", waits)
		}
	})
}
