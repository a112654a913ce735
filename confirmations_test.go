package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/inbox"
)

// TestCallSecret_ConcurrentFirstCallsAgree: calls that create the call
// command's secret at once all get the one secret the file holds, and no
// temporary file is left beside it.
func TestCallSecret_ConcurrentFirstCallsAgree(t *testing.T) {
	t.Parallel()
	for round := range 50 {
		dir := t.TempDir()
		path := filepath.Join(dir, "secret")
		const n = 8
		got := make([][]byte, n)
		errs := make([]error, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() { got[i], errs[i] = callSecret(path) })
		}
		wg.Wait()
		file, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		for i := range n {
			if errs[i] != nil || !bytes.Equal(got[i], file) {
				t.Fatalf("round %d, call %d: %v, a secret other than the file's", round, i, errs[i])
			}
		}
		if entries, _ := os.ReadDir(dir); len(entries) != 1 {
			t.Errorf("round %d: %d files in the directory, want only the secret", round, len(entries))
		}
	}
}

// TestCallSecret_ReplacesACutShortSecret: a secret file shorter than a
// secret (cut short by a crash) is replaced, and a whole one kept, mode
// 0600.
func TestCallSecret_ReplacesACutShortSecret(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "secret")
	if err := os.WriteFile(path, []byte("short"), 0o644); err != nil {
		t.Fatal(err)
	}
	secret, err := callSecret(path)
	if err != nil || len(secret) < inbox.MinConfirmSecretLen {
		t.Fatalf("over a cut-short file: %d bytes, %v", len(secret), err)
	}
	whole := strings.Repeat("w", inbox.MinConfirmSecretLen)
	if err := os.WriteFile(path, []byte(whole), 0o644); err != nil {
		t.Fatal(err)
	}
	if got, err := callSecret(path); err != nil || string(got) != whole {
		t.Errorf("over a whole secret: %q, %v", got, err)
	}
	if info, err := os.Stat(path); err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, %v; want 0600", info.Mode().Perm(), err)
	}
}
