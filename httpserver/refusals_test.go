package httpserver

import (
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"golang.org/x/time/rate"
)

// TestRefusalLogIsRateLimited: a flood of refusals writes a bounded number
// of lines, and the next line counts what was dropped.
func TestRefusalLogIsRateLimited(t *testing.T) {
	t.Parallel()
	var out strings.Builder
	l := newRefusalLog(slog.New(slog.NewTextHandler(&out, nil)))
	r, _ := http.NewRequest(http.MethodPost, "http://x/mcp", nil)
	for range 1000 {
		l.log(r, "flood")
	}
	if n := strings.Count(out.String(), "refused HTTP request"); n < refusalBurst || n > refusalBurst+2 {
		t.Errorf("%d lines for 1000 refusals, want about %d", n, refusalBurst)
	}
	l.limit = rate.NewLimiter(rate.Inf, 0) // as if a second had passed
	l.log(r, "after")
	if !strings.Contains(out.String(), "suppressed=") {
		t.Errorf("the line after a flood does not count the dropped ones:\n%s", out.String())
	}
}
