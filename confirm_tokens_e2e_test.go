package main

import (
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	gomcp "github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot/sandbox"
	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/internal/redistest"
)

// TestRun_CallPreviewsThenSendsWithTheToken: the call command is a client
// that cannot ask (mcp-go's in-process client), so in the default mode a
// MESSAGE answers with a preview, exit status 3 and the command to run once
// the person agrees; that command, in a process of its own, sends once;
// running it again sends nothing more. The confirmations live in the
// user's configuration directory, mode 0700 and 0600.
func TestRun_CallPreviewsThenSendsWithTheToken(t *testing.T) {
	t.Parallel()
	sb, url := startTestSandbox(t)
	home := t.TempDir()
	call := func(args string) (stdout, stderr string, code int) {
		t.Helper()
		cmd := exec.Command(binPath, "call", "send_message", args)
		cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + home}, confirmEnv(url, "")...)
		var out, errb strings.Builder
		cmd.Stdout, cmd.Stderr = &out, &errb
		err := cmd.Run()
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			code = exit.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		return out.String(), errb.String(), code
	}
	args := `{"threadId":"` + sandbox.EmailThreadID + `","type":"MESSAGE","text":"Sent from a shell."}`
	stdout, stderr, code := call(args)
	var preview struct {
		Reason, Preview, ConfirmationToken string
	}
	if err := json.Unmarshal([]byte(stdout), &preview); err != nil || code != 3 || preview.Reason != "confirmation_required" {
		t.Fatalf("first call: exit %d, %v\nstdout %s\nstderr %s", code, err, stdout, stderr)
	}
	again := `'{"confirmationToken":"` + preview.ConfirmationToken + `","text":"Sent from a shell.","threadId":"` + sandbox.EmailThreadID + `","type":"MESSAGE"}'`
	if !strings.Contains(stderr, "hubspot-conversations-mcp call send_message "+again) {
		t.Errorf("stderr lacks the command to run:\n%s", stderr)
	}
	if n := writesTo(sb, "POST", messagesPath); n != 0 {
		t.Fatalf("%d POSTs after the preview", n)
	}
	withToken := strings.Trim(again, "'")
	if stdout, stderr, code := call(withToken); code != 0 || !strings.Contains(stdout, `"direction": "OUTGOING"`) {
		t.Errorf("with the token: exit %d\n%s\n%s", code, stdout, stderr)
	}
	if stdout, _, code := call(withToken); code != 3 || !strings.Contains(stdout, "already used") {
		t.Errorf("the token again: exit %d\n%s", code, stdout)
	}
	if n := writesTo(sb, "POST", messagesPath); n != 1 {
		t.Errorf("%d POSTs, want 1", n)
	}
	dir := filepath.Join(home, ".config", "hubspot-conversations-mcp", "call-confirmations")
	if info, err := os.Stat(filepath.Join(dir, "secret")); err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("the secret: %v %v", info, err)
	}
	if info, err := os.Stat(dir); err != nil || info.Mode().Perm() != 0o700 {
		t.Errorf("the directory: %v %v", info, err)
	}
}

// TestHTTP_ReplicasHonourAConfirmationOnce runs two replicas behind one
// Redis and one MCP_CONFIRM_SECRET, without sessions: a preview one
// replica handed out sends once through the other, and a replay on either
// sends nothing. A replica with another secret does not take the token.
func TestHTTP_ReplicasHonourAConfirmationOnce(t *testing.T) {
	t.Parallel()
	redisURL := "unix://" + redistest.Start(t)
	sb, url := startTestSandbox(t)
	env := append(confirmEnv(url, ""), "MCP_TRANSPORT=http", "MCP_STATELESS=true", "MCP_REDIS_URL="+redisURL)
	a := startServer(t, append(env, "MCP_CONFIRM_SECRET="+testConfirmSecret)...)
	b := startServer(t, append(env, "MCP_CONFIRM_SECRET="+testConfirmSecret)...)
	other := startServer(t, append(env, "MCP_CONFIRM_SECRET="+strings.Repeat("9", 40))...)
	session := func(p *serverProc) *gomcp.ClientSession {
		cs, err := connectHTTP(t, p, "http", "", nil) // 2026-07-28, no elicitation
		if err != nil {
			t.Fatal(err)
		}
		return cs
	}
	args := sendArgs("Confirmed on another replica.")
	out := callOK(t, session(a), "send_message", args)
	token, _ := out["confirmationToken"].(string)
	if out["reason"] != "confirmation_required" || token == "" {
		t.Fatalf("replica A: %v", out)
	}
	args["confirmationToken"] = token
	if out := callOK(t, session(other), "send_message", args); !strings.Contains(out["note"].(string), "not issued by this server") {
		t.Errorf("a replica with another secret: %v", out)
	}
	if out := callOK(t, session(b), "send_message", args); out["direction"] != "OUTGOING" {
		t.Errorf("replica B: %v", out)
	}
	for _, p := range []*serverProc{a, b} {
		if out := callOK(t, session(p), "send_message", args); !strings.Contains(out["note"].(string), "already used") {
			t.Errorf("a replay: %v", out)
		}
	}
	if n := writesTo(sb, "POST", messagesPath); n != 1 {
		t.Errorf("%d POSTs, want 1", n)
	}
}

// TestHTTP_ReplicasHonourAnAcceptedStateOnce: the 2026-07-28 flow across
// two replicas behind one Redis and one MCP_CONFIRM_SECRET, without
// sessions: replica A asks (an input-required result), the person's
// accepted answer reaches replica B, which sends once; replaying that
// answer on either replica, one after the other and 6 times at once
// across both, sends nothing more.
func TestHTTP_ReplicasHonourAnAcceptedStateOnce(t *testing.T) {
	t.Parallel()
	redisURL := "unix://" + redistest.Start(t)
	sb, url := startTestSandbox(t)
	env := append(confirmEnv(url, ""), "MCP_TRANSPORT=http", "MCP_STATELESS=true", "MCP_REDIS_URL="+redisURL, "MCP_CONFIRM_SECRET="+testConfirmSecret)
	a, b := startServer(t, env...), startServer(t, env...)
	session := func(p *serverProc) *gomcp.ClientSession {
		client := gomcp.NewClient(&gomcp.Implementation{Name: "replicas", Version: "1"}, &gomcp.ClientOptions{
			ElicitationHandler: (&asker{action: "accept"}).handle,
			MultiRoundTrip:     &gomcp.MultiRoundTripOptions{Disabled: true},
		})
		cs, err := client.Connect(t.Context(), &gomcp.StreamableClientTransport{Endpoint: p.url + "/mcp"}, nil)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = cs.Close() })
		return cs
	}
	const text = "Accepted on one replica, sent by the other."
	res, err := session(a).CallTool(t.Context(), &gomcp.CallToolParams{Name: "send_message", Arguments: sendArgs(text)})
	if err != nil || !res.NeedsInput() || len(res.InputRequests) != 1 {
		t.Fatalf("replica A: %v %+v, want an input-required result", err, res)
	}
	accepted := gomcp.InputResponseMap{}
	for id := range res.InputRequests {
		accepted[id] = &gomcp.ElicitResult{Action: "accept"}
	}
	answer := func() *gomcp.CallToolParams {
		return &gomcp.CallToolParams{Name: "send_message", Arguments: sendArgs(text), InputResponses: accepted, RequestState: res.RequestState}
	}
	if sent, err := session(b).CallTool(t.Context(), answer()); err != nil || sent.IsError || sent.NeedsInput() {
		t.Fatalf("the accepted answer on replica B: %v %+v", err, sent)
	}
	replicas := []*gomcp.ClientSession{session(a), session(b)}
	for _, cs := range replicas {
		again, err := cs.CallTool(t.Context(), answer())
		if err != nil || (!again.IsError && !again.NeedsInput()) {
			t.Errorf("a replay answered as sent: %v %s", err, contentText(again))
		}
	}
	var wg sync.WaitGroup
	for i := range 6 {
		wg.Go(func() {
			if _, err := replicas[i%2].CallTool(t.Context(), answer()); err != nil {
				t.Errorf("concurrent replay: %v", err)
			}
		})
	}
	wg.Wait()
	if n := writesTo(sb, "POST", messagesPath); n != 1 {
		t.Errorf("%d POSTs, want 1", n)
	}
}

// TestRun_CallKeepsItsSecretToItsUser: the call command's confirmation
// secret and record stay readable by their user only, even where the
// directory and the secret were left readable by others (mode 0755, 0644):
// the next call makes them 0700 and 0600 again. Neither the secret nor the
// spent record's names appear in the output, even at LOG_LEVEL=debug.
func TestRun_CallKeepsItsSecretToItsUser(t *testing.T) {
	t.Parallel()
	_, url := startTestSandbox(t)
	home := t.TempDir()
	dir := filepath.Join(home, ".config", "hubspot-conversations-mcp", "call-confirmations")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	secret := strings.Repeat("s3cr3t-", 8)
	if err := os.WriteFile(filepath.Join(dir, "secret"), []byte(secret), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(binPath, "call", "archive_thread", `{"threadId":"`+sandbox.ClosedThreadID+`"}`)
	cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + home, "LOG_LEVEL=debug"}, confirmEnv(url, "")...)
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 3 || !strings.Contains(string(out), "confirmation_required") {
		t.Fatalf("call: %v\n%s", err, out)
	}
	if strings.Contains(string(out), secret[:14]) {
		t.Errorf("the output holds the secret:\n%s", out)
	}
	if b, err := os.ReadFile(filepath.Join(dir, "secret")); err != nil || string(b) != secret {
		t.Errorf("the secret was replaced: %v", err)
	}
	for path, want := range map[string]os.FileMode{dir: 0o700, filepath.Join(dir, "secret"): 0o600} {
		if info, err := os.Stat(path); err != nil || info.Mode().Perm() != want {
			t.Errorf("%s: %v %v, want mode %o", path, info.Mode().Perm(), err, want)
		}
	}
}

// TestRun_CallUnderNeverNeedsNoConfigDir: with MCP_CONFIRM_WRITES=never no
// confirmation is issued or accepted, so the call command keeps nothing
// between calls and runs where the user's configuration directory cannot
// be made (XDG_CONFIG_HOME names a file): a MESSAGE is sent at once.
func TestRun_CallUnderNeverNeedsNoConfigDir(t *testing.T) {
	t.Parallel()
	sb, url := startTestSandbox(t)
	home := t.TempDir()
	notADir := filepath.Join(home, "config")
	if err := os.WriteFile(notADir, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	args := `{"threadId":"` + sandbox.EmailThreadID + `","type":"MESSAGE","text":"Sent without asking."}`
	cmd := exec.Command(binPath, "call", "send_message", args)
	cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + home, "XDG_CONFIG_HOME=" + notADir}, confirmEnv(url, "never")...)
	var out, errb strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil || !strings.Contains(out.String(), `"direction": "OUTGOING"`) {
		t.Fatalf("call under never: %v\nstdout %s\nstderr %s", err, out.String(), errb.String())
	}
	if n := writesTo(sb, "POST", messagesPath); n != 1 {
		t.Errorf("%d POSTs, want 1", n)
	}
}
