package httpserver

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"time"
)

// limitBody reads a POST's body in full before anything else looks at it,
// within MCP_MAX_BODY_BYTES and MCP_BODY_READ_TIMEOUT: a body over the
// limit gets 413 (whether announced by Content-Length or sent chunked), one
// that does not arrive in time gets 408 and its connection closed, so a
// client dripping bytes cannot hold a connection for ever. The handlers
// behind it read the buffered copy.
func (hs *Server) limitBody(next http.Handler) http.Handler {
	limit, timeout := hs.opts.MaxBodyBytes, hs.opts.BodyReadTimeout
	tooLarge := fmt.Sprintf("request body over %d bytes (MCP_MAX_BODY_BYTES)", limit)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength > limit {
			w.Header().Set("Connection", "close")
			rejectRequest(w, http.StatusRequestEntityTooLarge, tooLarge)
			return
		}
		if r.Body == nil || r.Body == http.NoBody {
			next.ServeHTTP(w, r)
			return
		}
		rc := http.NewResponseController(w)
		deadline := rc.SetReadDeadline(time.Now().Add(timeout)) == nil
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
		if err != nil {
			// The deadline stays: net/http would otherwise wait for the
			// rest of the body before closing the connection.
			w.Header().Set("Connection", "close")
			var tooBig *http.MaxBytesError
			switch {
			case errors.As(err, &tooBig):
				rejectRequest(w, http.StatusRequestEntityTooLarge, tooLarge)
			case errors.Is(err, os.ErrDeadlineExceeded):
				hs.refusals.log(r, "request body not received in time", "timeout", timeout)
				rejectRequest(w, http.StatusRequestTimeout, fmt.Sprintf("request body not received within %s (MCP_BODY_READ_TIMEOUT)", timeout))
			default:
				rejectRequest(w, http.StatusBadRequest, "could not read the request body")
			}
			return
		}
		if deadline {
			// The rest of the exchange may stream for as long as it needs;
			// a deadline left behind would cancel the request's context.
			_ = rc.SetReadDeadline(time.Time{})
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		r.ContentLength = int64(len(body))
		next.ServeHTTP(w, r)
	})
}

// isBatch tells whether a body is a JSON array (a JSON-RPC batch).
func isBatch(body []byte) bool {
	trimmed := bytes.TrimLeft(body, " \t\r\n")
	return len(trimmed) > 0 && trimmed[0] == '['
}
