package main

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestHTTP_AFloodOfBareSessionsLetsAClientIn (issue 15, finding 4): at
// MCP_MAX_SESSIONS=5, a flood of sessions opened and never used (bare
// initializes over Streamable HTTP, bare GET /sse streams over SSE), all
// of them seconds old at most, does not lock out a client that uses its
// session at once: the official Go SDK client connects amid the flood and
// calls a tool, and a second flood leaves it served.
func TestHTTP_AFloodOfBareSessionsLetsAClientIn(t *testing.T) {
	t.Parallel()
	for _, transport := range []string{"http", "sse"} {
		t.Run(transport, func(t *testing.T) {
			t.Parallel()
			p := startServer(t, "HUBSPOT_SANDBOX=true", "MCP_TRANSPORT="+transport, "MCP_MAX_SESSIONS=5")
			hc := &http.Client{Timeout: 10 * time.Second}
			bare := func() {
				var req *http.Request
				if transport == "sse" {
					// A stream held open, never followed by a message.
					ctx, cancel := context.WithCancel(t.Context())
					t.Cleanup(cancel)
					req, _ = http.NewRequestWithContext(ctx, http.MethodGet, p.url+"/sse", nil)
					req.Header.Set("Accept", "text/event-stream")
					resp, err := http.DefaultClient.Do(req)
					if err != nil {
						t.Fatal(err)
					}
					t.Cleanup(func() { resp.Body.Close() })
					return
				}
				req, _ = http.NewRequestWithContext(t.Context(), http.MethodPost, p.url+"/mcp", strings.NewReader(
					`{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"flood","version":"1"}}}`))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Accept", "application/json, text/event-stream")
				resp, err := hc.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
			for range 20 {
				bare()
			}
			cs, err := connectHTTP(t, p, transport, "2025-11-25", nil)
			if err != nil {
				t.Fatalf("a client amid %d bare sessions at MCP_MAX_SESSIONS=5: %v", 20, err)
			}
			callOK(t, cs, "list_inboxes", nil)
			for range 20 {
				bare()
			}
			callOK(t, cs, "list_inboxes", nil)
		})
	}
}
