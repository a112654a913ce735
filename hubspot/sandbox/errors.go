package sandbox

import (
	"crypto/rand"
	"fmt"
	"net/http"
)

// HubSpot's error categories used by the sandbox.
const (
	categoryValidation = "VALIDATION_ERROR"
	categoryNotFound   = "OBJECT_NOT_FOUND"
	categoryAuth       = "INVALID_AUTHENTICATION"
	categoryForbidden  = "FORBIDDEN"
	categoryRateLimits = "RATE_LIMITS"
	categoryInternal   = "INTERNAL_ERROR"
	categoryMethod     = "METHOD_NOT_ALLOWED"
	categoryTooLarge   = "PAYLOAD_TOO_LARGE"

	categoryMissingScopes = "MISSING_SCOPES"
)

// authMessage is HubSpot's exact text for a missing or unknown token.
const authMessage = "Authentication credentials not found. This API supports OAuth 2.0 authentication " +
	"and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview"

// errorDetail is one entry of an error body's "errors" list (HubSpot's ErrorDetail).
type errorDetail struct {
	Message     string              `json:"message"`
	In          string              `json:"in,omitempty"`
	Code        string              `json:"code,omitempty"`
	SubCategory string              `json:"subCategory,omitempty"`
	Context     map[string][]string `json:"context,omitempty"`
}

// apiError is a HubSpot error answer. Handlers return it; the server turns it
// into the status code and the JSON body HubSpot sends.
type apiError struct {
	status      int
	category    string
	subCategory string
	message     string
	details     []errorDetail
	context     map[string][]string
	links       map[string]string
}

func (e *apiError) Error() string { return fmt.Sprintf("%d %s: %s", e.status, e.category, e.message) }

// errorBody is the JSON shape of every HubSpot error (the spec's Error schema
// plus the "status" field real answers carry).
type errorBody struct {
	Status        string              `json:"status"`
	Message       string              `json:"message"`
	CorrelationID string              `json:"correlationId"`
	Category      string              `json:"category"`
	SubCategory   string              `json:"subCategory,omitempty"`
	Errors        []errorDetail       `json:"errors,omitempty"`
	Context       map[string][]string `json:"context,omitempty"`
	Links         map[string]string   `json:"links,omitempty"`
}

func (e *apiError) body(correlationID string) errorBody {
	return errorBody{
		Status:        "error",
		Message:       e.message,
		CorrelationID: correlationID,
		Category:      e.category,
		SubCategory:   e.subCategory,
		Errors:        e.details,
		Context:       e.context,
		Links:         e.links,
	}
}

// notFound is HubSpot's 404 for a missing object, e.g. "Thread 123 not found".
func notFound(kind, id string) *apiError {
	return &apiError{
		status:   http.StatusNotFound,
		category: categoryNotFound,
		message:  fmt.Sprintf("%s %s not found", kind, id),
		context:  map[string][]string{"id": {id}},
	}
}

// invalidParam is a 400 about one query parameter or body field.
func invalidParam(in, format string, args ...any) *apiError {
	msg := fmt.Sprintf(format, args...)
	return &apiError{
		status:   http.StatusBadRequest,
		category: categoryValidation,
		message:  msg,
		details:  []errorDetail{{Message: msg, In: in, Code: "INVALID"}},
	}
}

// validationErrors folds field problems into one 400, worded like HubSpot:
// a single problem is the message itself, several become
// "Multiple errors validating request.".
func validationErrors(details []errorDetail) *apiError {
	msg := "Multiple errors validating request."
	if len(details) == 1 {
		msg = details[0].Message
	}
	return &apiError{status: http.StatusBadRequest, category: categoryValidation, message: msg, details: details}
}

// newUUID returns a random RFC 4122 version 4 UUID, HubSpot's correlation ID format.
func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go 1.24+).
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
