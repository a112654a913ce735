// Package mcphttptest holds the raw HTTP client pieces that the tests of
// the root package, httpserver and mcpadapt use against an MCP server. It
// is imported only by tests, and imports no MCP library.
package mcphttptest

import (
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// HoldStreamEnds returns an HTTP client whose GET response bodies (SSE
// streams) do not end until release is called. release is called when the
// test ends, and at the latest 30 s after HoldStreamEnds, so that a call
// whose answer never comes still ends (with EOF).
func HoldStreamEnds(t testing.TB) (hc *http.Client, release func()) {
	held := make(chan struct{})
	release = sync.OnceFunc(func() { close(held) })
	t.Cleanup(release)
	guard := time.AfterFunc(30*time.Second, release)
	t.Cleanup(func() { guard.Stop() })
	return &http.Client{Transport: holdStreamEnd{held}}, release
}

// holdStreamEnd delays the end of GET response bodies (SSE streams) until
// release is closed.
type holdStreamEnd struct{ release <-chan struct{} }

func (h holdStreamEnd) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := http.DefaultTransport.RoundTrip(r)
	if err == nil && r.Method == http.MethodGet {
		resp.Body = heldBody{resp.Body, h.release}
	}
	return resp, err
}

type heldBody struct {
	io.ReadCloser
	release <-chan struct{}
}

func (b heldBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if err == io.EOF {
		if n > 0 {
			return n, nil
		}
		<-b.release
	}
	return n, err
}

// PostModern posts body to url as a 2026-07-28 client does (no session;
// method is the Mcp-Method header, name the Mcp-Name header, none if
// empty), for as long as the test runs, and fails the test if no response
// comes.
func PostModern(t testing.TB, url, method, name, body string) *http.Response {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json, text/event-stream")
	req.Header.Set("MCP-Protocol-Version", "2026-07-28")
	req.Header.Set("Mcp-Method", method)
	if name != "" {
		req.Header.Set("Mcp-Name", name)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	return resp
}
