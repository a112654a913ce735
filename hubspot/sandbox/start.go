package sandbox

import (
	"context"
	"errors"
	"net"
	"net/http"
	"sync"
	"time"
)

// Start serves s on a fresh 127.0.0.1 port and returns its base URL (for
// example "http://127.0.0.1:41234"), so a real HubSpot client can point at
// it. The server stops when ctx is done or when stop is called; stop waits
// up to five seconds for calls in flight and may be called more than once.
func Start(ctx context.Context, s *Server) (baseURL string, stop func(), err error) {
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	srv := &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.cfg.logger.Error("sandbox server stopped", "error", err)
		}
	}()
	stop = sync.OnceFunc(func() {
		shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		if err := srv.Shutdown(shutdownCtx); err != nil {
			_ = srv.Close()
		}
		<-done
	})
	context.AfterFunc(ctx, stop)
	return "http://" + ln.Addr().String(), stop, nil
}
