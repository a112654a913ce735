package mcpadapt

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/mark3labs/mcp-go/server"
)

// TestCheckRequests: one hook runs the bounds check first, then the
// resource checks; a request with a field of the wrong type is only
// bounded, and malformed JSON is checked by neither.
func TestCheckRequests(t *testing.T) {
	t.Parallel()
	var seen []string
	h := &server.Hooks{}
	CheckRequests(h, nil, nil, ResourceChecks{
		Subscribe: func(_ context.Context, _ any, uri string) error {
			seen = append(seen, "subscribe "+uri[:min(len(uri), 12)])
			return errors.New("no such resource")
		},
	})
	if n := len(h.OnRequestInitialization); n != 1 {
		t.Fatalf("%d request-initialization hooks, want 1", n)
	}
	hook := h.OnRequestInitialization[0]
	huge := "test://" + strings.Repeat("1", MaxURI)
	for _, tc := range []struct {
		name, req, refusal, seen string
	}{
		{"checked", `{"method":"resources/subscribe","params":{"uri":"test://c"}}`, "no such resource", "subscribe test://c"},
		{"bounded first", `{"method":"resources/subscribe","params":{"uri":"` + huge + `"}}`, "over the 2048", ""},
		{"wrong type, short", `{"method":"resources/subscribe","params":{"name":7,"uri":"test://c"}}`, "", ""},
		{"wrong type, bounded", `{"method":"resources/subscribe","params":{"name":7,"uri":"` + huge + `"}}`, "over the 2048", ""},
		{"malformed", `{"method":"resources/subscribe","params":{"uri":"` + huge + `"}`, "", ""},
	} {
		seen = nil
		err := hook(t.Context(), 1, json.RawMessage(tc.req))
		switch {
		case tc.refusal == "" && err != nil:
			t.Errorf("%s: refused: %v", tc.name, err)
		case tc.refusal != "" && (err == nil || !strings.Contains(err.Error(), tc.refusal)):
			t.Errorf("%s: got %v, want a refusal saying %q", tc.name, err, tc.refusal)
		}
		if got := strings.Join(seen, "; "); got != tc.seen {
			t.Errorf("%s: checks saw %q, want %q", tc.name, got, tc.seen)
		}
	}
}
