package httpserver

import (
	"log/slog"
	"net/http"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot"
)

// refusalLog logs refused HTTP requests at warn, so an operator behind a
// proxy can see why a client fails: the reason, the client's address and
// its Host and Origin, never a credential. A flood of refusals is bounded
// by a token bucket; the lines it drops are counted in the next one.
type refusalLog struct {
	logger *slog.Logger
	limit  *rate.Limiter

	mu         sync.Mutex
	suppressed int
}

// refusalBurst and refusalEvery bound the refusal lines: a burst of 10,
// then one a second.
const (
	refusalBurst = 10
	refusalEvery = time.Second
)

func newRefusalLog(logger *slog.Logger) *refusalLog {
	return &refusalLog{logger: logger, limit: rate.NewLimiter(rate.Every(refusalEvery), refusalBurst)}
}

// log records one refusal of r; attrs add detail (never a credential).
func (l *refusalLog) log(r *http.Request, reason string, attrs ...any) {
	l.mu.Lock()
	if !l.limit.Allow() {
		l.suppressed++
		l.mu.Unlock()
		return
	}
	suppressed := l.suppressed
	l.suppressed = 0
	l.mu.Unlock()
	args := []any{"reason", reason, "method", r.Method, "path", r.URL.Path, "remote", r.RemoteAddr,
		"host", hubspot.Truncate(r.Host, 200)}
	if origin := r.Header.Get("Origin"); origin != "" {
		args = append(args, "origin", hubspot.Truncate(origin, 200))
	}
	if fwd := r.Header.Get("X-Forwarded-For"); fwd != "" {
		args = append(args, "forwarded_for", hubspot.Truncate(fwd, 200))
	}
	args = append(args, attrs...)
	if suppressed > 0 {
		args = append(args, "suppressed", suppressed)
	}
	l.logger.WarnContext(r.Context(), "refused HTTP request", args...)
}
