package mcpadapt

import (
	"context"
	"net/http"

	"github.com/mark3labs/mcp-go/server"
)

// EndSession ends the Streamable HTTP session id as its client's DELETE
// would, so that mcp-go frees what it holds for it: its registration, its
// per-session state and its GET stream.
//
// The misbehaviour (TestPinned_ForgottenSessionStaysRegistered): mcp-go
// v1.2.1 exports no way to end one session. Its SessionIdManager only
// answers whether an ID is valid: a server that forgets an ID (to evict a
// session at its cap) turns the client's next request into a 404, but mcp-go
// keeps the session registered, with its channels and stores, until the
// client sends DELETE or the idle sweeper (WithSessionIdleTTL) runs. So
// EndSession hands mcp-go a DELETE through its transport-agnostic
// StreamableHTTPServer.Handle. That DELETE, like a client's, leaves the
// session's GET stream open (TestPinned_DeleteLeavesTheGETStreamOpen): the
// caller ends the streams it serves for the session itself.
//
// Delete it, for mcp-go's own call, when StreamableHTTPServer exports a way
// to terminate one session (the cleanup its DELETE handler does, and the
// end of its streams), or when forgetting an ID in the SessionIdManager
// unregisters the session and the pinned tests fail.
func EndSession(ctx context.Context, h *server.StreamableHTTPServer, id string) {
	h.Handle(discard{http.Header{}}, &server.HTTPRequest{
		Method:  http.MethodDelete,
		Header:  http.Header{"Mcp-Session-Id": {id}},
		Context: context.WithoutCancel(ctx),
	})
}

// discard is the response writer of the requests EndSession makes.
type discard struct{ h http.Header }

func (d discard) Header() http.Header       { return d.h }
func (discard) WriteHeader(int)             {}
func (discard) Write(p []byte) (int, error) { return len(p), nil }
func (discard) Flush()                      {}
func (discard) CanStream() bool             { return false }
