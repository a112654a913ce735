// Package redistest starts a real redis-server for a test. It is imported
// only by tests.
package redistest

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// Start runs a real redis-server on a unix socket for one test and returns
// the socket's path once the server answers; the server is stopped when the
// test ends. It skips the test where redis-server is not installed, except
// in CI (CI=true), where .ci/run installs it and its absence is a failure.
func Start(t testing.TB) (sock string) {
	t.Helper()
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("redis-server is not installed; .ci/run installs the Debian package redis-server")
		}
		t.Skip("redis-server is not installed (apt-get install redis-server); skipping the Redis tests")
	}
	dir := t.TempDir()
	sock = filepath.Join(dir, "redis.sock")
	cmd := exec.Command(bin, "--port", "0", "--unixsocket", sock, "--save", "", "--appendonly", "no", "--dir", dir)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	rdb := redis.NewClient(&redis.Options{Network: "unix", Addr: sock})
	defer rdb.Close()
	deadline := time.Now().Add(10 * time.Second)
	for rdb.Ping(t.Context()).Err() != nil {
		if time.Now().After(deadline) {
			t.Fatal("redis-server did not start")
		}
		time.Sleep(10 * time.Millisecond) // polls a process starting; no assertion on time
	}
	return sock
}

// Client runs a redis-server as Start does and returns a client of it,
// closed when the test ends.
func Client(t testing.TB) *redis.Client {
	t.Helper()
	rdb := redis.NewClient(&redis.Options{Network: "unix", Addr: Start(t)})
	t.Cleanup(func() { _ = rdb.Close() })
	return rdb
}
