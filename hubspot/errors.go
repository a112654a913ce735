package hubspot

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Error is an error answer from HubSpot. It carries HubSpot's error body;
// every field of that body is optional, as HubSpot's docs warn.
type Error struct {
	// StatusCode is the HTTP status.
	StatusCode int
	// Method and Path identify the request (the path has no query string);
	// both are empty on an answer given in HubSpot's place for no one
	// request.
	Method, Path string

	Message       string
	Category      string
	SubCategory   string
	CorrelationID string
	Errors        []ErrorDetail
	Context       map[string][]string
	Links         map[string]string

	// ErrorType and PolicyName are set on 429: PolicyName tells which limit
	// was hit (DAILY, TEN_SECONDLY_ROLLING, …).
	ErrorType  string
	PolicyName string
	// RetryAfter is how long HubSpot asked to wait before trying again (429
	// and 503), from Retry-After or the rate-limit interval header.
	RetryAfter time.Duration
	// Attempts is how many times the request was sent.
	Attempts int
}

// ErrorDetail is one entry of an error body's errors list.
type ErrorDetail struct {
	Message     string              `json:"message"`
	In          string              `json:"in,omitempty"`
	Code        string              `json:"code,omitempty"`
	SubCategory string              `json:"subCategory,omitempty"`
	Context     map[string][]string `json:"context,omitempty"`
}

// Error renders the error without the token or the query string.
func (e *Error) Error() string {
	var b strings.Builder
	if e.Method != "" {
		b.WriteString(e.Method + " " + e.Path + ": ")
	}
	fmt.Fprintf(&b, "HubSpot answered %d", e.StatusCode)
	if e.Category != "" {
		b.WriteString(" " + e.Category)
	}
	if e.Message != "" {
		b.WriteString(": " + e.Message)
	}
	for _, d := range e.Errors {
		if d.Message != "" && d.Message != e.Message {
			b.WriteString("; " + d.Message)
		}
	}
	if e.CorrelationID != "" {
		b.WriteString(" (correlation id " + e.CorrelationID + ")")
	}
	return b.String()
}

// DailyLimit tells whether the error is HubSpot's daily request limit,
// which only resets at midnight in the account's time zone.
func (e *Error) DailyLimit() bool {
	return e.StatusCode == 429 && strings.EqualFold(e.PolicyName, "DAILY")
}

// IsNotFound tells whether err is HubSpot's 404 (or an answer given in
// its place, such as a 404 for an object a caller hides): the object asked
// for does not exist.
func IsNotFound(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.StatusCode == 404
}

// errorBody is HubSpot's error body as sent, decoded leniently.
type errorBody struct {
	Status        string              `json:"status"`
	Message       string              `json:"message"`
	Category      string              `json:"category"`
	SubCategory   any                 `json:"subCategory"`
	CorrelationID string              `json:"correlationId"`
	Errors        []json.RawMessage   `json:"errors"`
	Context       map[string][]string `json:"context"`
	Links         map[string]string   `json:"links"`
	ErrorType     string              `json:"errorType"`
	PolicyName    string              `json:"policyName"`
}

// parseError builds an *Error from a status, headers and at most the first
// MiB of body. It never fails: an unreadable body still gives an error
// with the status and, if any, the raw text.
func parseError(method, path string, status int, header map[string][]string, body []byte) *Error {
	e := &Error{StatusCode: status, Method: method, Path: path}
	var eb errorBody
	if err := json.Unmarshal(body, &eb); err == nil {
		// Every text HubSpot sends is cut like a non-JSON body: a
		// megabyte of message is no use to whoever reads the error, a
		// person or a log.
		e.Message = errorText(eb.Message, maxErrorMessage)
		e.Category = errorText(eb.Category, maxErrorField)
		e.SubCategory = errorText(stringify(eb.SubCategory), maxErrorField)
		e.CorrelationID = errorText(eb.CorrelationID, maxErrorField)
		e.Context = eb.Context
		e.Links = eb.Links
		e.ErrorType = errorText(eb.ErrorType, maxErrorField)
		e.PolicyName = errorText(eb.PolicyName, maxErrorField)
		for _, raw := range eb.Errors {
			if len(e.Errors) == maxErrorDetails {
				break
			}
			var d struct {
				ErrorDetail
				SubCategory any `json:"subCategory"`
			}
			if json.Unmarshal(raw, &d) == nil {
				d.Message = errorText(d.Message, maxErrorMessage)
				d.In = errorText(d.In, maxErrorField)
				d.Code = errorText(d.Code, maxErrorField)
				d.ErrorDetail.SubCategory = errorText(stringify(d.SubCategory), maxErrorField)
				e.Errors = append(e.Errors, d.ErrorDetail)
			}
		}
	} else if text := strings.TrimSpace(string(body)); text != "" {
		e.Message = errorText(text, maxErrorMessage)
	}
	if e.CorrelationID == "" {
		e.CorrelationID = headerValue(header, "X-HubSpot-Correlation-Id")
	}
	if e.Message == "" {
		e.Message = statusText(status)
	}
	e.RetryAfter = retryAfter(header, status, time.Now())
	return e
}

// Bounds on the text kept from an error body, whatever its format.
const (
	maxErrorMessage = 300 // bytes of a message, HubSpot's or a detail's
	maxErrorField   = 120 // bytes of a category, code or correlation id
	maxErrorDetails = 10  // entries of the errors list
)

// errorText is HubSpot's text fit for an error: control characters
// dropped, surrounding space trimmed, at most n bytes.
func errorText(s string, n int) string {
	return Truncate(strings.TrimSpace(sanitizeText(s)), n)
}

func stringify(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	default:
		b, _ := json.Marshal(v)
		return string(b)
	}
}

// retryAfter reads Retry-After (seconds or an HTTP date); for a 429 without
// it, HubSpot's X-HubSpot-RateLimit-Interval-Milliseconds window. (HubSpot
// sends that header on every answer; it says nothing about a 5xx.)
func retryAfter(header map[string][]string, status int, now time.Time) time.Duration {
	if v := headerValue(header, "Retry-After"); v != "" {
		if secs, err := strconv.ParseFloat(v, 64); err == nil && secs >= 0 && secs < 1e6 {
			return time.Duration(secs * float64(time.Second))
		}
		if t, err := time.Parse(time.RFC1123, v); err == nil {
			if d := t.Sub(now); d > 0 {
				return d
			}
			return 0
		}
	}
	if v := headerValue(header, "X-HubSpot-RateLimit-Interval-Milliseconds"); v != "" && status == 429 {
		if ms, err := strconv.ParseInt(v, 10, 64); err == nil && ms > 0 && ms < 1e9 {
			return time.Duration(ms) * time.Millisecond
		}
	}
	return 0
}

func headerValue(h map[string][]string, key string) string {
	for k, v := range h {
		if strings.EqualFold(k, key) && len(v) > 0 {
			return strings.TrimSpace(v[0])
		}
	}
	return ""
}

func statusText(status int) string {
	switch status {
	case 400:
		return "bad request"
	case 401:
		return "authentication failed"
	case 403:
		return "forbidden"
	case 404:
		return "not found"
	case 429:
		return "too many requests"
	}
	if status >= 500 {
		return "HubSpot server error"
	}
	return "unexpected status " + strconv.Itoa(status)
}

// ArgumentError reports an argument that HubSpot would reject or that could
// change which endpoint is called. Nothing was sent.
type ArgumentError struct {
	// Name is the parameter, with HubSpot's name (threadId, recipients[0].actorId…).
	Name string
	// Reason says what is allowed.
	Reason string
}

func (e *ArgumentError) Error() string { return e.Name + " " + e.Reason }

// BudgetError reports that the client's own rate budget has no slot before
// the caller's deadline. Nothing was sent.
type BudgetError struct {
	// Rate is the client's budget, or zero when HubSpot's own headers said
	// its window was spent.
	Rate Rate
	// Wait is how long until the next slot.
	Wait time.Duration
}

func (e *BudgetError) Error() string {
	wait := e.Wait.Round(100 * time.Millisecond)
	if e.Rate.Calls == 0 {
		return fmt.Sprintf("HubSpot reported its rate-limit window spent; the next call can go in %s", wait)
	}
	return fmt.Sprintf("the HubSpot call budget of %s is spent; the next call can go in %s", e.Rate, wait)
}

// RequestError reports a request that got no HubSpot answer: a connection
// failure, a timeout or an unreadable answer.
type RequestError struct {
	Method, Path string
	// MaybeSent is true when a non-repeatable request (a message send) may
	// have reached HubSpot; it was not retried, so it was sent at most once.
	MaybeSent bool
	// StatusCode is set when HubSpot answered but the body could not be read.
	StatusCode int
	Attempts   int
	Err        error
}

func (e *RequestError) Error() string {
	if e.StatusCode != 0 {
		return fmt.Sprintf("%s %s: unreadable answer from HubSpot (status %d): %v", e.Method, e.Path, e.StatusCode, e.Err)
	}
	return fmt.Sprintf("%s %s: %v", e.Method, e.Path, e.Err)
}

func (e *RequestError) Unwrap() error { return e.Err }
