package hubspot

import (
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
)

// TestClient_ClientsShareOneBoundedTransport: every client built without
// WithHTTPClient uses the one shared transport, bounded in connections per
// host and idle connections.
func TestClient_ClientsShareOneBoundedTransport(t *testing.T) {
	t.Parallel()
	a, err := NewClient("token-a")
	if err != nil {
		t.Fatal(err)
	}
	b, err := NewClient("token-b")
	if err != nil {
		t.Fatal(err)
	}
	if a.httpClient.Transport != sharedTransport || b.httpClient.Transport != sharedTransport {
		t.Fatal("a client built without WithHTTPClient has a transport of its own")
	}
	if sharedTransport.MaxConnsPerHost != maxConns || sharedTransport.MaxIdleConnsPerHost != maxIdleConns || sharedTransport.MaxIdleConns != maxIdleConns {
		t.Errorf("shared transport bounds: %d conns per host, %d idle per host, %d idle; want %d, %d, %d",
			sharedTransport.MaxConnsPerHost, sharedTransport.MaxIdleConnsPerHost, sharedTransport.MaxIdleConns, maxConns, maxIdleConns, maxIdleConns)
	}
}

// TestClient_ClientsReuseEachOthersConnections: calls made one after the
// other by 50 clients of 50 credentials, over real sockets, open one
// connection: a client (one per user token in a pool) holds none of its
// own, so dropping it leaves nothing open.
func TestClient_ClientsReuseEachOthersConnections(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	opened := 0
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"results":[]}`)
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			mu.Lock()
			opened++
			mu.Unlock()
		}
	}
	srv.Start()
	t.Cleanup(srv.Close)
	for i := range 50 {
		c, err := NewClient(fmt.Sprintf("token-%d", i), WithBaseURL(srv.URL))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.ListInboxes(t.Context(), nil); err != nil {
			t.Fatalf("client %d: %v", i, err)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if opened != 1 {
		t.Errorf("50 clients calling one after the other opened %d connections, want 1", opened)
	}
}
