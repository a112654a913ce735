package sandbox

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

// TestWithLatency runs in a synctest bubble, whose clock moves only when
// every goroutine waits: a call takes exactly the latency, concurrent calls
// overlap, and a caller that gives up gets nothing and leaves no record.
func TestWithLatency(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		const d = 150 * time.Millisecond
		s := New(WithLatency(d))
		start := time.Now()
		rec := serve(s, http.MethodGet, ownersPath, "", "")
		if rec.Code != http.StatusOK {
			t.Fatalf("status %d", rec.Code)
		}
		if took := time.Since(start); took != d {
			t.Errorf("one call took %s, want %s", took, d)
		}

		start = time.Now()
		var wg sync.WaitGroup
		for range 3 {
			wg.Go(func() { serve(s, http.MethodGet, threadsPath, "limit=1", "") })
		}
		wg.Wait()
		if took := time.Since(start); took != d {
			t.Errorf("three concurrent calls took %s, want %s", took, d)
		}

		ctx, cancel := context.WithTimeout(t.Context(), d/3)
		defer cancel()
		req := httptest.NewRequestWithContext(ctx, http.MethodGet, ownersPath, nil)
		req.Header.Set("Authorization", "Bearer "+DefaultToken)
		gone := httptest.NewRecorder()
		s.ServeHTTP(gone, req)
		if gone.Body.Len() != 0 || len(s.Requests()) != 4 {
			t.Errorf("a caller who gave up got %q; %d calls recorded, want 4", gone.Body, len(s.Requests()))
		}

		fast := New()
		start = time.Now()
		serve(fast, http.MethodGet, ownersPath, "", "")
		if took := time.Since(start); took != 0 {
			t.Errorf("without latency a call took %s", took)
		}
	})
}
