package sandbox

import (
	"log/slog"
	"time"
)

// Rate limits reported (and, when enabled, enforced) by default: HubSpot's
// Professional tier for a private app, 190 calls per rolling 10 seconds and
// 625,000 calls a day.
const (
	DefaultRateLimit  = 190
	DefaultRateWindow = 10 * time.Second
	DefaultDailyLimit = 625_000
)

// config is what the options set; New copies it into the Server.
type config struct {
	token                 string
	clock                 func() time.Time
	logger                *slog.Logger
	limits                limits
	visitorIdentification bool
	withheld              map[string]bool // scopes new accounts lack (WithoutScopes)
	latency               time.Duration   // added to every call (WithLatency)
}

// limits describes an account's API limits.
type limits struct {
	max          int           // calls per window
	window       time.Duration // rolling window
	enforce      bool          // answer 429 past max
	daily        int           // calls per UTC day
	enforceDaily bool          // answer 429 past daily
	retryAfter   bool          // add Retry-After to the limiter's 429s
	unlimited    bool          // report no window at all
}

// An Option configures a Server in New.
type Option func(*config)

// WithToken sets the access token of the default account (DefaultToken otherwise).
func WithToken(token string) Option {
	return func(c *config) { c.token = token }
}

// WithClock sets the clock used for new timestamps, rate-limit windows and
// request records. Timestamps of writes never go back before the seed's
// newest timestamp, so a clock in the past still yields a coherent history.
// now must be safe for concurrent use.
func WithClock(now func() time.Time) Option {
	return func(c *config) { c.clock = now }
}

// WithLogger sets where the server logs one debug line per request. The
// default discards everything. Tokens and bodies are never logged.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) { c.logger = l }
}

// WithRateLimit enforces a rolling-window limit on every account: at most n
// calls in any window-long interval, HubSpot's TEN_SECONDLY_ROLLING policy.
// Calls over it get HubSpot's 429 body. The X-HubSpot-RateLimit-Max and
// -Interval-Milliseconds headers report n and window. CRM searches are
// exempt from the window, as HubSpot's spec has it, and limited to
// SearchRateLimit per second instead. Without this option the headers
// report 190 per 10 s and nothing is enforced.
func WithRateLimit(n int, window time.Duration) Option {
	return func(c *config) {
		if n > 0 && window > 0 {
			c.limits.max, c.limits.window, c.limits.enforce = n, window, true
		}
	}
}

// WithUnlimitedRate lifts the per-window limit: nothing is enforced and
// the X-HubSpot-RateLimit-Max, -Remaining and -Interval-Milliseconds
// headers are left out, as HubSpot does when it cannot gather them, so a
// client never holds back for HubSpot's window. For load tests of the
// client itself. The daily headers stay.
func WithUnlimitedRate() Option {
	return func(c *config) { c.limits.unlimited, c.limits.enforce = true, false }
}

// WithDailyLimit enforces at most n calls per account per UTC day (HubSpot's
// DAILY policy); X-HubSpot-RateLimit-Daily reports n.
func WithDailyLimit(n int) Option {
	return func(c *config) {
		if n > 0 {
			c.limits.daily, c.limits.enforceDaily = n, true
		}
	}
}

// WithRetryAfter makes 429s from the enforced limits carry a Retry-After
// header with the whole seconds until a call would be accepted again. HubSpot
// does not document Retry-After, so by default there is none.
func WithRetryAfter(enabled bool) Option {
	return func(c *config) { c.limits.retryAfter = enabled }
}

// WithVisitorIdentification sets whether new accounts may create visitor
// identification tokens (default true). False models a portal without a
// Professional or Enterprise subscription: the endpoint answers 403.
func WithVisitorIdentification(enabled bool) Option {
	return func(c *config) { c.visitorIdentification = enabled }
}

func defaultConfig() config {
	return config{
		token:  DefaultToken,
		clock:  func() time.Time { return time.Now().UTC() },
		logger: slog.New(slog.DiscardHandler),
		limits: limits{
			max:    DefaultRateLimit,
			window: DefaultRateWindow,
			daily:  DefaultDailyLimit,
		},
		visitorIdentification: true,
	}
}
