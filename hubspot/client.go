package hubspot

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/singleflight"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/internal/ttlmap"
)

// DefaultBaseURL is HubSpot's API host.
const DefaultBaseURL = "https://api.hubapi.com"

const (
	conversationsPrefix = "/conversations/v3/conversations"
	// assigneePrefix is where HubSpot's v3 spec puts the thread assignee
	// endpoints, unlike every other conversations path.
	assigneePrefix = "/conversations/conversations/v3"
	visitorPrefix  = "/visitor-identification/v3"

	maxErrorBody   = 1 << 20
	maxSuccessBody = 32 << 20

	// maxTrackedSends bounds the sends remembered for HubSpot's window;
	// HubSpot's largest burst limit is 250 per 10 s.
	maxTrackedSends = 512

	defaultMaxRetries = 3
	defaultTimeout    = 30 * time.Second
	// maxRetryWait is the longest Retry-After the client waits out before
	// retrying a 429; a longer one returns the error.
	maxRetryWait = 30 * time.Second
)

// Client calls HubSpot's Conversations and Visitor Identification APIs with
// one access token. It is safe for concurrent use.
//
// Every request first waits on the client's Limiter, so nothing is sent
// over the budget, retries included. A 429 is retried, whatever the method,
// after Retry-After or HubSpot's rate-limit interval: HubSpot did not
// process it. 502, 503, 504 and connection failures are retried with
// jittered exponential backoff only for requests that are safe to repeat
// (reads, status updates, archive, assign); a message send is retried only
// when the connection failed before anything was sent. A daily-limit 429
// is never retried.
type Client struct {
	baseURL    *url.URL
	token      string
	httpClient *http.Client
	limiter    Limiter
	// search meters the CRM searches (SearchRate); they take a turn of
	// limiter too.
	search     Limiter
	logger     *slog.Logger
	userAgent  string
	maxRetries int
	timeout    time.Duration
	maxWait    time.Duration
	backoff    func(attempt int) time.Duration

	// holdUntil pauses all requests after HubSpot reported its own window
	// spent (X-HubSpot-RateLimit-Remaining: 0), so other users of the same
	// HubSpot app budget don't push us into 429s.
	holdMu    sync.Mutex
	holdUntil time.Time

	// sent holds when this client's latest requests that HubSpot counted
	// were sent (a ring), to know when HubSpot's window frees up.
	sent     [maxTrackedSends]time.Time
	sentNext int

	// cache keeps answers that rarely change (WithCache); nil when off.
	cache *ttlmap.Map[any]
	// listed keeps the threads of recent listings for ListedThreadTTL,
	// when the cache is on; nil when off.
	listed *ttlmap.Map[listedEntry]
	// flights merges concurrent identical reads into one request.
	flights singleflight.Group
	// writes counts writes sent, so a read that starts after a write never
	// joins a flight that started before it.
	writes atomic.Uint64

	// beforeWrite is called before each write is sent (WithBeforeWrite).
	beforeWrite func(ctx context.Context, w Write) error
	// rateWait waits out the rate budget's delays (WithRateWait).
	rateWait func(ctx context.Context, d time.Duration) error
}

// Option configures a Client.
type Option func(*Client) error

// WithBaseURL sets the API host, e.g. the sandbox's URL.
func WithBaseURL(raw string) Option {
	return func(c *Client) error {
		u, err := ParseBaseURL(raw)
		c.baseURL = u
		return err
	}
}

// ParseBaseURL checks a HubSpot API host as WithBaseURL accepts it: an
// absolute http(s) URL without credentials, query or fragment.
func ParseBaseURL(raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimRight(raw, "/"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("base URL %q: want an absolute http(s) URL such as %s", raw, DefaultBaseURL)
	}
	if u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return nil, fmt.Errorf("base URL %q: must not contain credentials, a query or a fragment", raw)
	}
	return u, nil
}

// WithHTTPClient sets the HTTP client. Its Timeout should be zero: the
// client applies WithTimeout per attempt.
func WithHTTPClient(h *http.Client) Option {
	return func(c *Client) error {
		if h == nil {
			return errors.New("nil HTTP client")
		}
		c.httpClient = h
		return nil
	}
}

// WithLimiter sets the rate limiter; the default is NewWindowLimiter(DefaultRate).
// Clients sharing one credential should share one Limiter.
func WithLimiter(l Limiter) Option {
	return func(c *Client) error {
		if l == nil {
			return errors.New("nil limiter")
		}
		c.limiter = l
		return nil
	}
}

// WithSearchLimiter sets the limiter CRM searches wait on, before the
// client's Limiter (a search is counted against both); the default is NewWindowLimiter(SearchRate), HubSpot's
// five searches a second per account. Clients of one HubSpot account
// should share one.
func WithSearchLimiter(l Limiter) Option {
	return func(c *Client) error {
		if l == nil {
			return errors.New("nil search limiter")
		}
		c.search = l
		return nil
	}
}

// WithLogger sets the logger. Requests are logged at debug level, retries
// at warn; tokens and bodies never are.
func WithLogger(l *slog.Logger) Option {
	return func(c *Client) error {
		if l != nil {
			c.logger = l
		}
		return nil
	}
}

// WithUserAgent sets the User-Agent header.
func WithUserAgent(ua string) Option {
	return func(c *Client) error { c.userAgent = ua; return nil }
}

// WithMaxRetries sets how many times a request is retried (default 3).
func WithMaxRetries(n int) Option {
	return func(c *Client) error {
		if n < 0 || n > 10 {
			return fmt.Errorf("max retries %d: want 0 to 10", n)
		}
		c.maxRetries = n
		return nil
	}
}

// WithTimeout sets the time limit of one attempt (default 30 s).
func WithTimeout(d time.Duration) Option {
	return func(c *Client) error {
		if d <= 0 {
			return fmt.Errorf("timeout %s: must be positive", d)
		}
		c.timeout = d
		return nil
	}
}

// WithMaxWait sets the longest a call waits for its turn in the rate
// budget (default: as long as its context allows). Past it the call fails
// at once with *BudgetError, which says when to retry; nothing is sent.
func WithMaxWait(d time.Duration) Option {
	return func(c *Client) error {
		if d <= 0 {
			return fmt.Errorf("max wait %s: must be positive", d)
		}
		c.maxWait = d
		return nil
	}
}

// Write is a request that changes something in HubSpot, exactly as the
// client sends it: what WithBeforeWrite's function sees.
type Write struct {
	Method string `json:"method"`
	// Path is the path and query string, relative to the API host.
	Path string `json:"path"`
	// Body is the JSON body; absent when the request has none.
	Body json.RawMessage `json:"body,omitempty"`
}

// WithBeforeWrite sets a function the client calls before it sends a
// write (any request that is not a read), once per call, after the
// arguments were checked and before the rate budget and any retry. When it
// returns an error, the call returns that error as is and nothing is sent;
// it may make reads with the same client. A caller can use it to capture a
// planned request instead of sending it, or to refuse a write other than
// an approved one. Reads never reach it.
func WithBeforeWrite(f func(ctx context.Context, w Write) error) Option {
	return func(c *Client) error {
		c.beforeWrite = f
		return nil
	}
}

// WithRateWait sets how the client waits out the delays of the rate
// budget: the turn its Limiter gave, HubSpot's own window reported spent,
// and a 429's Retry-After. f must wait d, or return ctx.Err() as soon as
// ctx ends. The default sleeps; a server can pass a function that also
// tells its user why a call is slow.
func WithRateWait(f func(ctx context.Context, d time.Duration) error) Option {
	return func(c *Client) error {
		if f == nil {
			return errors.New("nil rate wait")
		}
		c.rateWait = f
		return nil
	}
}

// NewClient returns a client for an access token: a Service Key, the
// token of a legacy private app, or an OAuth access token. The token may
// carry its "Bearer " prefix, as the connector asks users to type it.
func NewClient(token string, opts ...Option) (*Client, error) {
	token, err := NormalizeToken(token)
	if err != nil {
		return nil, err
	}
	base, _ := url.Parse(DefaultBaseURL)
	c := &Client{
		baseURL:    base,
		token:      token,
		httpClient: &http.Client{Transport: sharedTransport},
		logger:     slog.New(slog.DiscardHandler),
		userAgent:  "hubspot-conversations-mcp",
		maxRetries: defaultMaxRetries,
		timeout:    defaultTimeout,
		backoff:    jitteredBackoff,
		rateWait:   Sleep,
	}
	for _, opt := range opts {
		if err := opt(c); err != nil {
			return nil, err
		}
	}
	if c.limiter == nil {
		c.limiter = NewWindowLimiter(DefaultRate)
	}
	if c.search == nil {
		c.search = NewWindowLimiter(SearchRate)
	}
	if c.cache != nil {
		c.listed = ttlmap.New[listedEntry](min(c.cache.TTL(), ListedThreadTTL))
	}
	return c, nil
}

// MaxTokenLength is the longest access token accepted. HubSpot's tokens
// (Service Keys, legacy private app and OAuth tokens) are far shorter; the
// bound keeps what a caller can make a program hold small.
const MaxTokenLength = 4096

// ErrTokenTooLong is NormalizeToken's error for a token over MaxTokenLength.
var ErrTokenTooLong = fmt.Errorf("HubSpot access token is longer than %d characters", MaxTokenLength)

// maxIdleConns is how many idle connections to HubSpot the clients keep
// between bursts. net/http keeps two per host by default, so concurrent
// calls beyond two would each open a new connection, and a TLS handshake,
// to HubSpot.
const maxIdleConns = 32

// maxConns bounds the connections to one host the clients hold at once,
// busy or idle: further calls wait for one to be free.
const maxConns = 128

// sharedTransport carries the requests of every Client built without
// WithHTTPClient: however many clients a program builds (one per token, for
// a server with many users), they share one bounded set of connections, and
// a client the program drops leaves none of its own open. Credentials
// travel in each request's Authorization header, never in a connection's
// state, so sharing connections shares nothing between users.
var sharedTransport = newTransport()

// DefaultTransport returns the transport every Client uses unless given
// an HTTP client (WithHTTPClient): one bounded set of connections shared
// by all clients of the process. A caller that wraps the transport of its
// clients wraps this one to keep that bound.
func DefaultTransport() http.RoundTripper { return sharedTransport }

func newTransport() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns = maxIdleConns
	t.MaxIdleConnsPerHost = maxIdleConns
	t.MaxConnsPerHost = maxConns
	return t
}

// NormalizeToken trims a token and its optional "Bearer " prefix, and
// rejects empty tokens and tokens that cannot go in a header. Errors never
// contain the token.
func NormalizeToken(token string) (string, error) {
	token = strings.TrimSpace(token)
	if len(token) >= 7 && strings.EqualFold(token[:7], "bearer ") {
		token = strings.TrimSpace(token[7:])
	}
	if token == "" || strings.EqualFold(token, "bearer") {
		return "", errors.New("HubSpot access token is empty")
	}
	if len(token) > MaxTokenLength {
		return "", ErrTokenTooLong
	}
	for i := 0; i < len(token); i++ {
		if c := token[i]; c <= ' ' || c >= 0x7f {
			return "", errors.New("HubSpot access token contains spaces, control characters or characters outside ASCII: paste the token itself, nothing around it")
		}
	}
	return token, nil
}

// request describes one API call.
type request struct {
	method string
	path   string
	query  url.Values
	body   any
	// idempotent requests may be repeated after a 5xx or a connection
	// failure without changing the outcome. GETs always are.
	idempotent bool
	// read marks a POST that changes nothing (the actor batch read), so
	// identical concurrent ones may share a request like GETs.
	read bool
	// cached answers may be kept for the cache's TTL (see WithCache).
	cached bool
	// search requests also wait on the search limiter, first.
	search bool
}

func (r request) safeToRepeat() bool { return r.idempotent || r.isRead() }

// isRead tells whether the request changes nothing in HubSpot.
func (r request) isRead() bool { return r.read || r.method == http.MethodGet }

// call sends req, retrying as the Client doc describes, and decodes a
// success body into out (nil to discard it). Reads may be answered from
// the cache or share a request with identical concurrent reads; writes
// drop what they change from the cache.
func (c *Client) call(ctx context.Context, req request, out any) error {
	var body []byte
	if req.body != nil {
		var err error
		if body, err = json.Marshal(req.body); err != nil {
			return fmt.Errorf("%s %s: encode body: %w", req.method, req.path, err)
		}
	}
	if !req.isRead() && c.beforeWrite != nil {
		path := req.path
		if q := req.query.Encode(); q != "" {
			path += "?" + q
		}
		if err := c.beforeWrite(ctx, Write{Method: req.method, Path: path, Body: json.RawMessage(body)}); err != nil {
			return err
		}
	}
	var (
		ans answer
		err error
	)
	if req.isRead() {
		ans, err = c.read(ctx, req, body)
	} else {
		ans, err = c.send(ctx, req, body)
		c.wrote(req)
	}
	if err != nil {
		return err
	}
	if out == nil || ans.status == http.StatusNoContent || len(bytes.TrimSpace(ans.body)) == 0 {
		return nil
	}
	decode := json.Unmarshal
	if d, ok := out.(bodyDecoder); ok {
		decode = func(b []byte, _ any) error { return d.decodeBody(b) }
	}
	if err := decode(ans.body, out); err != nil {
		return &RequestError{Method: req.method, Path: req.path, StatusCode: ans.status, Attempts: ans.attempts, Err: fmt.Errorf("decode: %w", err)}
	}
	return nil
}

// answer is a success answer's status and body, shared read-only between
// the callers of one flight and the cache.
type answer struct {
	status   int
	body     []byte
	attempts int
}

// read answers a request that changes nothing: from the cache, or by
// joining an identical request in flight, or by sending it.
func (c *Client) read(ctx context.Context, req request, body []byte) (answer, error) {
	key := req.method + " " + req.path + "?" + req.query.Encode() + "\n" + string(body)
	if req.cached {
		if v, ok := cached(ctx, c.cache, key); ok {
			return v.(answer), nil
		}
	}
	flight := key + "\n" + strconv.FormatUint(c.writes.Load(), 10)
	ch := c.flights.DoChan(flight, func() (any, error) {
		ans, err := c.send(ctx, req, body)
		if err == nil && req.cached {
			c.cache.Put(key, ans)
		}
		return ans, err
	})
	select {
	case <-ctx.Done():
		return answer{}, ctx.Err()
	case res := <-ch:
		if res.Err != nil && res.Shared && ctx.Err() == nil && leaderGaveUp(res.Err) {
			// The caller who sent it gave up (cancelled, or its deadline
			// was too short for the budget); this caller may not have.
			return c.send(ctx, req, body)
		}
		if res.Err != nil {
			return answer{}, res.Err
		}
		return res.Val.(answer), nil
	}
}

// leaderGaveUp tells whether err ended a request for reasons of its
// caller's own context rather than HubSpot's answer.
func leaderGaveUp(err error) bool {
	var be *BudgetError
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) || errors.As(err, &be)
}

// wrote drops from the cache what a write to req.path may have changed,
// whatever its outcome: it may have reached HubSpot even if it failed.
func (c *Client) wrote(req request) {
	c.writes.Add(1)
	if id, ok := threadOf(req.path); ok {
		c.listed.Drop(id)
	}
}

// threadOf returns the thread ID of a thread path.
func threadOf(path string) (string, bool) {
	for _, prefix := range []string{conversationsPrefix + "/threads/", assigneePrefix + "/threads/"} {
		if rest, ok := strings.CutPrefix(path, prefix); ok {
			id, _, _ := strings.Cut(rest, "/")
			return id, id != ""
		}
	}
	return "", false
}

// send sends req, retrying as the Client doc describes, and returns the
// success answer.
func (c *Client) send(ctx context.Context, req request, body []byte) (answer, error) {
	for attempt := 1; ; attempt++ {
		if err := c.waitTurn(ctx, req); err != nil {
			return answer{}, err
		}
		status, header, respBody, sendErr := c.do(ctx, req, body)
		if sendErr != nil {
			notSent := notSentError(sendErr)
			if ctxErr := ctx.Err(); ctxErr != nil {
				return answer{}, &RequestError{Method: req.method, Path: req.path, MaybeSent: !notSent && !req.safeToRepeat(), Attempts: attempt, Err: ctxErr}
			}
			if (req.safeToRepeat() || notSent) && attempt <= c.maxRetries {
				if err := c.sleep(ctx, c.backoff(attempt), req, attempt, "connection error", sendErr); err != nil {
					return answer{}, err
				}
				continue
			}
			return answer{}, &RequestError{Method: req.method, Path: req.path, MaybeSent: !notSent && !req.safeToRepeat(), Attempts: attempt, Err: sendErr}
		}
		if status >= 200 && status < 300 {
			return answer{status: status, body: respBody, attempts: attempt}, nil
		}
		apiErr := parseError(req.method, req.path, status, header, respBody)
		apiErr.Attempts = attempt
		if attempt <= c.maxRetries {
			switch {
			case status == http.StatusTooManyRequests && !apiErr.DailyLimit():
				wait := apiErr.RetryAfter
				if wait <= 0 {
					wait = c.backoff(attempt)
				}
				if wait <= maxRetryWait && fitsDeadline(ctx, wait) {
					if err := c.sleep(ctx, wait, req, attempt, "429 "+apiErr.PolicyName, nil); err != nil {
						return answer{}, err
					}
					continue
				}
			case req.safeToRepeat() && (status == 502 || status == 503 || status == 504):
				wait := max(apiErr.RetryAfter, c.backoff(attempt))
				if wait <= maxRetryWait && fitsDeadline(ctx, wait) {
					if err := c.sleep(ctx, wait, req, attempt, strconv.Itoa(status), nil); err != nil {
						return answer{}, err
					}
					continue
				}
			}
		}
		return answer{}, apiErr
	}
}

// waitTurn waits for HubSpot's own window if it reported it spent, then
// for a search the search limiter's turn, then for the limiter's turn, at
// most maxWait in all. A search is counted against both limiters on
// purpose: HubSpot's spec exempts searches from its ten-secondly window,
// but its guides do not say so, and counting them is the conservative
// choice. The limiter's turn comes last, right before the send, so that
// the time its window books is the send time (a search waiting for its
// turn after the limiter's would be sent later than booked, and the window
// could then hold more than its budget). A search that waits for the
// limiter's turn may in turn reach HubSpot after its search turn; one
// over HubSpot's search limit is answered 429 (SECONDLY) and retried.
func (c *Client) waitTurn(ctx context.Context, req request) error {
	if c.maxWait > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.maxWait)
		defer cancel()
	}
	c.holdMu.Lock()
	hold := time.Until(c.holdUntil)
	c.holdMu.Unlock()
	if hold > 0 {
		if !fitsDeadline(ctx, hold) {
			return &BudgetError{Rate: Rate{}, Wait: hold}
		}
		if err := c.rateWait(ctx, hold); err != nil {
			return err
		}
	}
	if req.search {
		if err := Take(ctx, c.search, c.rateWait); err != nil {
			return err
		}
	}
	return Take(ctx, c.limiter, c.rateWait)
}

// do sends one attempt and reads the answer.
func (c *Client) do(ctx context.Context, req request, body []byte) (int, http.Header, []byte, error) {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	// req.path is escaped (IDs go through url.PathEscape); Path is not.
	unescaped, err := url.PathUnescape(req.path)
	if err != nil {
		return 0, nil, nil, err
	}
	u := *c.baseURL
	u.Path = c.baseURL.Path + unescaped
	u.RawPath = c.baseURL.EscapedPath() + req.path
	u.RawQuery = req.query.Encode()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	hr, err := http.NewRequestWithContext(ctx, req.method, u.String(), rd)
	if err != nil {
		return 0, nil, nil, err
	}
	hr.Header.Set("Authorization", "Bearer "+c.token)
	hr.Header.Set("Accept", "application/json")
	hr.Header.Set("User-Agent", c.userAgent)
	if body != nil {
		hr.Header.Set("Content-Type", "application/json")
	}
	start := time.Now()
	resp, err := c.httpClient.Do(hr)
	if err != nil {
		c.logger.DebugContext(ctx, "hubspot request failed", "method", req.method, "path", req.path, "duration", time.Since(start), "error", RedactURL(err))
		return 0, nil, nil, RedactURL(err)
	}
	defer resp.Body.Close()
	limit := int64(maxSuccessBody)
	if resp.StatusCode >= 300 {
		limit = maxErrorBody
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, limit))
	c.observeRateHeaders(resp.StatusCode, resp.Header, start)
	c.logger.DebugContext(ctx, "hubspot request", "method", req.method, "path", req.path, "status", resp.StatusCode,
		"duration", time.Since(start), "correlation_id", resp.Header.Get("X-HubSpot-Correlation-Id"),
		"ratelimit_remaining", resp.Header.Get("X-HubSpot-RateLimit-Remaining"))
	if err != nil {
		if resp.StatusCode >= 200 && resp.StatusCode < 300 {
			// The request reached HubSpot and succeeded; only the answer was lost.
			return 0, nil, nil, &answerLostError{status: resp.StatusCode, err: err}
		}
		data = nil
	}
	return resp.StatusCode, resp.Header, data, nil
}

// answerLostError is a success whose body broke off: the request was
// processed, so it is never "not sent".
type answerLostError struct {
	status int
	err    error
}

func (e *answerLostError) Error() string {
	return fmt.Sprintf("HubSpot answered %d but the answer broke off: %v", e.status, e.err)
}

func (e *answerLostError) Unwrap() error { return e.err }

// observeRateHeaders holds further requests when HubSpot says its own
// window is spent, until the window frees up: HubSpot's window is rolling,
// so a slot frees when the oldest call it counted is Interval old. When the
// last Max calls HubSpot counted were all this client's, that is Interval
// (plus a guard for the trip to HubSpot) after the oldest of them was sent;
// otherwise other integrations share the budget and the client holds for
// a whole Interval.
func (c *Client) observeRateHeaders(status int, h http.Header, sentAt time.Time) {
	c.holdMu.Lock()
	defer c.holdMu.Unlock()
	if status != http.StatusTooManyRequests {
		c.sent[c.sentNext] = sentAt
		c.sentNext = (c.sentNext + 1) % len(c.sent)
	}
	if h.Get("X-HubSpot-RateLimit-Remaining") != "0" {
		return
	}
	interval := 10 * time.Second
	if ms, err := strconv.ParseInt(h.Get("X-HubSpot-RateLimit-Interval-Milliseconds"), 10, 64); err == nil && ms > 0 && ms <= 60_000 {
		interval = time.Duration(ms) * time.Millisecond
	}
	now := time.Now()
	until := now.Add(interval)
	if n, err := strconv.Atoi(h.Get("X-HubSpot-RateLimit-Max")); err == nil && n > 0 && n <= len(c.sent) {
		recent := make([]time.Time, 0, len(c.sent))
		for _, t := range c.sent {
			if !t.IsZero() && now.Sub(t) < interval {
				recent = append(recent, t)
			}
		}
		if len(recent) >= n {
			slices.SortFunc(recent, func(a, b time.Time) int { return b.Compare(a) })
			guard := Rate{Calls: n, Per: interval}.Guard()
			until = recent[n-1].Add(interval + guard)
		}
	}
	if until.After(c.holdUntil) {
		c.holdUntil = until
	}
}

func (c *Client) sleep(ctx context.Context, d time.Duration, req request, attempt int, reason string, cause error) error {
	attrs := []any{"method", req.method, "path", req.path, "attempt", attempt, "retry_in", d, "reason", reason}
	if cause != nil {
		attrs = append(attrs, "error", cause)
	}
	c.logger.WarnContext(ctx, "hubspot retry", attrs...)
	wait := Sleep
	if strings.HasPrefix(reason, "429") {
		// HubSpot's budget is spent: the caller waits for its turn as
		// much as in the limiter.
		wait = c.rateWait
	}
	if err := wait(ctx, d); err != nil {
		return &RequestError{Method: req.method, Path: req.path, Attempts: attempt, Err: err}
	}
	return nil
}

// Sleep waits for d, or returns ctx.Err() if ctx ends first: the default
// rate wait (see WithRateWait).
func Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func fitsDeadline(ctx context.Context, d time.Duration) bool {
	dl, ok := ctx.Deadline()
	return !ok || time.Until(dl) > d
}

// jitteredBackoff waits about 0.5 s, 1 s, 2 s… with ±50% jitter.
func jitteredBackoff(attempt int) time.Duration {
	base := 500 * time.Millisecond << min(attempt-1, 6)
	return base/2 + time.Duration(rand.Int64N(int64(base)))
}

// notSentError tells whether err means the request never left: the
// connection could not be made, so nothing reached HubSpot.
func notSentError(err error) bool {
	var lost *answerLostError
	if errors.As(err, &lost) {
		return false
	}
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		return true
	}
	var dns *net.DNSError
	return errors.As(err, &dns)
}

// RedactURL drops the URL from a *url.Error, which repeats it whole: it
// holds no token here, but keeping errors free of query strings keeps IDs
// of customers out of logs, and a malformed Redis URL's password out of a
// configuration error.
func RedactURL(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}
