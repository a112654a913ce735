package inbox

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot"
	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot/sandbox"
)

// handlerTransport serves requests with an http.Handler in memory: no
// sockets, so it also works inside a synctest bubble.
type handlerTransport struct{ h http.Handler }

func (ht handlerTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	rec := httptest.NewRecorder()
	ht.h.ServeHTTP(rec, r)
	return rec.Result(), nil
}

// newSandboxService returns a service for sandbox's default account,
// configured as cfg says besides the token, base URL and transport.
func newSandboxService(t testing.TB, sb *sandbox.Server, cfg Config) *Service {
	t.Helper()
	cfg.Token = sandbox.DefaultToken
	cfg.Transport = handlerTransport{sb}
	cfg.ClientOptions = append(cfg.ClientOptions, hubspot.WithBaseURL("http://sandbox.test"))
	if cfg.Limiter == nil {
		cfg.Limiter = func(string) hubspot.Limiter {
			return hubspot.NewWindowLimiter(hubspot.Rate{Calls: 1000, Per: time.Millisecond})
		}
	}
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s
}
