package sandbox

import (
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// HubSpot's rate-limit policies.
const (
	policyRolling  = "TEN_SECONDLY_ROLLING"
	policyDaily    = "DAILY"
	policySecondly = "SECONDLY"
)

// SearchRateLimit is how many CRM searches an account may make per second
// when limits are enforced (WithRateLimit): HubSpot's search endpoints are
// "rate limited to five requests per second per account" and exempt from
// the ten-secondly limit (the spec's x-hubspot-rate-limit-exemptions). A
// search over it gets a 429 with policyName SECONDLY.
const SearchRateLimit = 5

// rateState counts an account's calls.
type rateState struct {
	hits     []time.Time // accepted calls in the current window, oldest first
	searches []time.Time // accepted searches in the last second, oldest first
	day      string      // UTC date of dayCount
	dayCount int
}

// rejection says which limit refused a call and when to come back.
type rejection struct {
	policy  string
	group   string
	retryIn time.Duration
	header  bool // send Retry-After
}

// rateHeaders sets HubSpot's X-HubSpot-RateLimit-* headers for the account.
// When admit is true the call is counted, or refused with a rejection if an
// enforced limit is exhausted (refused calls are not counted). A search
// counts against the daily limit and SearchRateLimit, not the window.
func (s *Server) rateHeaders(a *Account, h http.Header, admit, search bool) *rejection {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.cfg.clock()
	lim := s.cfg.limits
	st := &a.rate
	cut := 0
	for cut < len(st.hits) && !st.hits[cut].After(now.Add(-lim.window)) {
		cut++
	}
	st.hits = st.hits[cut:]
	for len(st.searches) > 0 && !st.searches[0].After(now.Add(-time.Second)) {
		st.searches = st.searches[1:]
	}
	if day := now.UTC().Format(time.DateOnly); day != st.day {
		st.day, st.dayCount = day, 0
	}

	var rej *rejection
	switch {
	case !admit:
	case lim.enforceDaily && st.dayCount >= lim.daily:
		midnight := now.UTC().Truncate(24 * time.Hour).Add(24 * time.Hour)
		rej = &rejection{policy: policyDaily, retryIn: midnight.Sub(now)}
	case search && lim.enforce && len(st.searches) >= SearchRateLimit:
		rej = &rejection{policy: policySecondly, retryIn: st.searches[0].Add(time.Second).Sub(now)}
	case search:
		st.searches = append(st.searches, now)
		if len(st.searches) > SearchRateLimit { // unenforced: keep it bounded
			st.searches = st.searches[len(st.searches)-SearchRateLimit:]
		}
		st.dayCount++
	case lim.enforce && len(st.hits) >= lim.max:
		rej = &rejection{policy: policyRolling, retryIn: st.hits[0].Add(lim.window).Sub(now)}
	default:
		st.hits = append(st.hits, now)
		if len(st.hits) > lim.max { // unenforced: keep only what the header needs
			st.hits = st.hits[len(st.hits)-lim.max:]
		}
		st.dayCount++
	}

	if !lim.unlimited {
		h.Set("X-HubSpot-RateLimit-Max", strconv.Itoa(lim.max))
		h.Set("X-HubSpot-RateLimit-Remaining", strconv.Itoa(max(0, lim.max-len(st.hits))))
		h.Set("X-HubSpot-RateLimit-Interval-Milliseconds", strconv.FormatInt(lim.window.Milliseconds(), 10))
	}
	h.Set("X-HubSpot-RateLimit-Daily", strconv.Itoa(lim.daily))
	h.Set("X-HubSpot-RateLimit-Daily-Remaining", strconv.Itoa(max(0, lim.daily-st.dayCount)))
	if rej != nil {
		rej.group = fmt.Sprintf("%s:%d", strings.ToLower(rej.policy), a.profile.portalID)
		rej.header = lim.retryAfter
	}
	return rej
}

// rateLimitBody is HubSpot's 429 body. It has errorType and policyName
// rather than the usual error fields; category is added so the body still
// satisfies the spec's Error schema.
type rateLimitBody struct {
	Status        string `json:"status"`
	Message       string `json:"message"`
	ErrorType     string `json:"errorType"`
	CorrelationID string `json:"correlationId"`
	Category      string `json:"category"`
	PolicyName    string `json:"policyName"`
	GroupName     string `json:"groupName,omitempty"`
}

func newRateLimitBody(correlationID, policy, group string) rateLimitBody {
	return rateLimitBody{
		Status:        "error",
		Message:       fmt.Sprintf("You have reached your %s limit.", strings.ToLower(policy)),
		ErrorType:     "RATE_LIMIT",
		CorrelationID: correlationID,
		Category:      categoryRateLimits,
		PolicyName:    policy,
		GroupName:     group,
	}
}

// writeRateLimited answers a call refused by an enforced limit.
func writeRateLimited(w http.ResponseWriter, correlationID string, rej *rejection) {
	if rej.header {
		w.Header().Set("Retry-After", strconv.Itoa(max(1, int(math.Ceil(rej.retryIn.Seconds())))))
	}
	payload, _ := encodeJSON(newRateLimitBody(correlationID, rej.policy, rej.group)) // plain strings always encode
	writeJSON(w, http.StatusTooManyRequests, payload)
}
