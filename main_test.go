package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"

	"github.com/sethvargo/go-envconfig"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot/sandbox"
)

// runMain runs the program in-process with env and args.
func runMain(t *testing.T, env map[string]string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	err := run(t.Context(), args, envconfig.MapLookuper(env), strings.NewReader(""), &out, &errb)
	code = exitCode(err, &errb)
	return out.String(), errb.String(), code
}

func TestRun_ConfigurationErrorsAreOneClearLine(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		env  map[string]string
		args []string
		want string
	}{
		{"no token", nil, nil, "HUBSPOT_ACCESS_TOKEN is not set"},
		{"blank token", map[string]string{"HUBSPOT_ACCESS_TOKEN": "Bearer "}, nil, "HUBSPOT_ACCESS_TOKEN"},
		{"bad rate", map[string]string{"HUBSPOT_SANDBOX": "true", "HUBSPOT_RATE_LIMIT": "lots"}, nil, "HUBSPOT_RATE_LIMIT"},
		{"bad log level", map[string]string{"HUBSPOT_SANDBOX": "true", "LOG_LEVEL": "loud"}, nil, "LOG_LEVEL"},
		{"bad base URL", map[string]string{"HUBSPOT_ACCESS_TOKEN": "t", "HUBSPOT_BASE_URL": "api.hubapi.com"}, nil, "HUBSPOT_BASE_URL"},
		{"visitor as sender", map[string]string{"HUBSPOT_SANDBOX": "true", "HUBSPOT_SENDER_ACTOR_ID": "V-1"}, nil, "HUBSPOT_SENDER_ACTOR_ID"},
		{"bad timeout", map[string]string{"HUBSPOT_SANDBOX": "true", "HUBSPOT_TIMEOUT": "soon"}, nil, "HUBSPOT_TIMEOUT"},
		{"unknown toolset", map[string]string{"HUBSPOT_SANDBOX": "true", "MCP_TOOLSETS": "threads,tickets"}, nil, "tickets"},
		{"unknown tool", map[string]string{"HUBSPOT_SANDBOX": "true", "MCP_TOOLS": "get_thread,delete_everything"}, nil, `MCP_TOOLS: unknown tool "delete_everything"`},
		{"unknown excluded tool", nil, []string{"--sandbox", "--exclude-tools", "send_mesage"}, `MCP_EXCLUDE_TOOLS: unknown tool "send_mesage"`},
		{"bad confirmation policy", map[string]string{"HUBSPOT_SANDBOX": "true", "MCP_CONFIRM_WRITES": "sometimes"}, nil, `MCP_CONFIRM_WRITES "sometimes": want never, elicit-or-preview`},
		{"bad inbox allowlist", nil, []string{"--sandbox", "--inbox-allowlist", "147959640,support"}, `HUBSPOT_INBOX_ALLOWLIST: "support" is not an inbox ID`},
		{"write tool in read-only mode", map[string]string{"HUBSPOT_SANDBOX": "true", "MCP_READ_ONLY": "true", "MCP_TOOLS": "send_message"}, nil, "MCP_READ_ONLY is set"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			stdout, stderr, code := runMain(t, tc.env, tc.args...)
			if code != 1 {
				t.Errorf("exit code = %d, want 1", code)
			}
			if stdout != "" {
				t.Errorf("stdout = %q, want nothing", stdout)
			}
			if lines := strings.Count(strings.TrimSpace(stderr), "\n") + 1; lines != 1 || !strings.Contains(stderr, tc.want) {
				t.Errorf("stderr = %q, want one line mentioning %q", stderr, tc.want)
			}
		})
	}
}

func TestRun_UsageErrors(t *testing.T) {
	t.Parallel()
	if _, _, code := runMain(t, nil, "--no-such-flag"); code != 2 {
		t.Errorf("unknown flag: exit code %d, want 2", code)
	}
	if _, stderr, code := runMain(t, map[string]string{"HUBSPOT_SANDBOX": "true"}, "frobnicate"); code != 2 || !strings.Contains(stderr, "frobnicate") {
		t.Errorf("unknown command: exit code %d, stderr %q", code, stderr)
	}
	if stdout, _, code := runMain(t, nil, "-h"); code != 0 || !strings.Contains(stdout, "call TOOL") {
		t.Errorf("-h: exit code %d, stdout %q", code, stdout)
	}
}

func TestRun_Version(t *testing.T) {
	t.Parallel()
	stdout, _, code := runMain(t, nil, "version")
	if code != 0 || stdout != "hubspot-conversations-mcp dev\n" {
		t.Errorf("version: %d %q", code, stdout)
	}
}

func TestRun_ToolsListsEveryTool(t *testing.T) {
	t.Parallel()
	stdout, _, code := runMain(t, nil, "--sandbox", "tools")
	if code != 0 {
		t.Fatalf("exit code %d", code)
	}
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if len(lines) != len(wantTools)+1 {
		t.Errorf("tools printed %d lines, want a header and %d tools:\n%s", len(lines), len(wantTools), stdout)
	}
	for name, h := range wantTools {
		kind := "read"
		if !h[0] {
			kind = "write"
		}
		found := false
		for _, l := range lines {
			if f := strings.Fields(l); len(f) > 1 && f[0] == name && strings.HasPrefix(f[1], kind) {
				found = true
			}
		}
		if !found {
			t.Errorf("tools: no %q line of kind %s", name, kind)
		}
	}
}

func TestRun_ToolFiltersChooseTheTools(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		env  map[string]string
		args []string
		want []string
	}{
		{map[string]string{"MCP_TOOLSETS": "threads"}, []string{"--exclude-tools", "archive_thread,update_thread"},
			[]string{"list_threads", "search_threads", "get_thread", "assign_thread", "unassign_thread"}},
		{map[string]string{"MCP_TOOLS": "send_message,list_messages,get_thread"}, nil, []string{"get_thread", "list_messages", "send_message"}},
		{nil, []string{"--tools", "list_threads,get_thread"}, []string{"list_threads", "get_thread"}},
	} {
		stdout, stderr, code := runMain(t, tc.env, append(append([]string{"--sandbox"}, tc.args...), "tools")...)
		if code != 0 {
			t.Fatalf("%v %v: exit code %d: %s", tc.env, tc.args, code, stderr)
		}
		var names []string
		for _, l := range strings.Split(strings.TrimSpace(stdout), "\n")[1:] {
			names = append(names, strings.Fields(l)[0])
		}
		if !slices.Equal(names, tc.want) {
			t.Errorf("%v %v: tools = %v, want %v", tc.env, tc.args, names, tc.want)
		}
	}
}

func TestRun_CallPrintsTheResult(t *testing.T) {
	t.Parallel()
	stdout, stderr, code := runMain(t, map[string]string{"HUBSPOT_SANDBOX": "true"}, "call", "get_thread", fmt.Sprintf(`{"threadId":%q}`, sandbox.EmailThreadID))
	if code != 0 {
		t.Fatalf("exit code %d, stderr %s", code, stderr)
	}
	var th map[string]any
	if err := json.Unmarshal([]byte(stdout), &th); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%s", err, stdout)
	}
	if th["id"] != sandbox.EmailThreadID {
		t.Errorf("thread = %v", th)
	}
	// Flags may follow the subcommand; a tool error goes to stderr, exit 1.
	stdout, stderr, code = runMain(t, nil, "call", "--sandbox", "get_thread", `{"threadId":"x1"}`)
	if code != 1 || stdout != "" || !strings.Contains(stderr, "threadId") {
		t.Errorf("bad input: exit code %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	for _, args := range [][]string{{"call"}, {"call", "list_inboxes", "[1]"}, {"call", "a", "b", "c"}} {
		if _, _, code := runMain(t, map[string]string{"HUBSPOT_SANDBOX": "true"}, args...); code != 1 {
			t.Errorf("%v: exit code %d, want 1", args, code)
		}
	}
}

// TestServe_StdoutCarriesOnlyJSONRPC runs the binary at debug level and
// checks every stdout line is a JSON-RPC message and the token appears
// nowhere.
func TestServe_StdoutCarriesOnlyJSONRPC(t *testing.T) {
	t.Parallel()
	_, url := startTestSandbox(t)
	cmd := exec.Command(binPath)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "LOG_LEVEL=debug", "HUBSPOT_BASE_URL=" + url, "HUBSPOT_ACCESS_TOKEN=" + sandbox.DefaultToken}
	requests := []string{
		`{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}`,
		`{"jsonrpc":"2.0","method":"notifications/initialized"}`,
		`{"jsonrpc":"2.0","id":2,"method":"tools/list"}`,
		`{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"list_threads","arguments":{"limit":3}}}`,
		`{"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"get_thread","arguments":{"threadId":"1"}}}`,
	}
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	if _, err := io.WriteString(stdin, strings.Join(requests, "\n")+"\n"); err != nil {
		t.Fatal(err)
	}
	// Keep stdin open until every answer is in: closing it ends the session.
	var out bytes.Buffer
	ids := map[float64]bool{}
	sc := bufio.NewScanner(stdout)
	sc.Buffer(nil, 1<<20)
	for len(ids) < 4 && sc.Scan() {
		out.Write(sc.Bytes())
		out.WriteByte('\n')
		var msg struct {
			JSONRPC string   `json:"jsonrpc"`
			ID      *float64 `json:"id"`
		}
		if err := json.Unmarshal(sc.Bytes(), &msg); err != nil || msg.JSONRPC != "2.0" {
			t.Errorf("stdout line is not JSON-RPC: %q", sc.Text())
			continue
		}
		if msg.ID != nil {
			ids[*msg.ID] = true
		}
	}
	stdin.Close()
	rest, _ := io.ReadAll(stdout)
	if len(bytes.TrimSpace(rest)) > 0 {
		t.Errorf("stdout after the answers: %q", rest)
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("server: %v\n%s", err, stderr.String())
	}
	if len(ids) != 4 {
		t.Errorf("answers to %v, want ids 1-4", ids)
	}
	if strings.Contains(out.String(), "cancelled") {
		t.Errorf("a call was cancelled:\n%s", out.String())
	}
	if !strings.Contains(stderr.String(), "hubspot request") {
		t.Errorf("debug log has no HubSpot request lines:\n%s", stderr.String())
	}
	for _, s := range []string{out.String(), stderr.String()} {
		if strings.Contains(s, sandbox.DefaultToken) {
			t.Errorf("the access token appears in the output")
		}
	}
}

func TestRun_HelpPrintsUsage(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"help"}, {"--sandbox", "help"}, {"help", "--sandbox"}} {
		stdout, stderr, code := runMain(t, nil, args...)
		if code != 0 || stderr != "" || !strings.Contains(stdout, "Usage:") || !strings.Contains(stdout, "call TOOL") {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want the usage on stdout (help | less) and exit 0", args, code, stdout, stderr)
		}
	}
}

func TestRun_ToolsPrintsOneToolsSchema(t *testing.T) {
	t.Parallel()
	stdout, stderr, code := runMain(t, nil, "--sandbox", "tools", "send_message")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var tool struct {
		Name        string `json:"name"`
		InputSchema struct {
			Properties map[string]any `json:"properties"`
			Required   []string       `json:"required"`
		} `json:"inputSchema"`
		OutputSchema map[string]any `json:"outputSchema"`
		Annotations  struct {
			DestructiveHint *bool `json:"destructiveHint"`
		} `json:"annotations"`
	}
	if err := json.Unmarshal([]byte(stdout), &tool); err != nil {
		t.Fatalf("not one JSON tool definition: %v\n%s", err, stdout)
	}
	if tool.Name != "send_message" || tool.InputSchema.Properties["threadId"] == nil || tool.InputSchema.Properties["text"] == nil ||
		len(tool.InputSchema.Required) == 0 || tool.OutputSchema == nil || tool.Annotations.DestructiveHint == nil {
		t.Errorf("incomplete definition:\n%s", stdout)
	}
	if _, stderr, code := runMain(t, nil, "--sandbox", "tools", "no_such_tool"); code != 1 || !strings.Contains(stderr, "list_threads") {
		t.Errorf("unknown tool: exit %d, stderr %q; want 1 and the tool names", code, stderr)
	}
}

// TestRun_HealthcheckNeedsNoToken: the image's HEALTHCHECK runs
// `healthcheck` with the container's environment only, so a server started
// with --sandbox (a flag it cannot see) must still be checked.
func TestRun_HealthcheckNeedsNoToken(t *testing.T) {
	t.Parallel()
	p := startServer(t, "MCP_TRANSPORT=http", "HUBSPOT_SANDBOX=true")
	env := map[string]string{"MCP_TRANSPORT": "http", "MCP_ADDR": strings.TrimPrefix(p.url, "http://")}
	if _, stderr, code := runMain(t, env, "healthcheck"); code != 0 {
		t.Errorf("healthcheck of a running sandbox server: exit %d, %s", code, stderr)
	}
	if err := p.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	<-p.exited
	if _, _, code := runMain(t, env, "healthcheck"); code != 1 {
		t.Errorf("healthcheck of a stopped server: exit %d, want 1", code)
	}
}

func TestNewLoggers_AuditRecordsSurviveAQuietLogLevel(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	logger, audit := newLoggers(&Config{logLevel: slog.LevelWarn}, &b)
	logger.Info("dropped")
	logger.With("component", "x").Warn("kept")
	audit.Debug("dropped too")
	audit.Info("write attempt", "audit", true)
	got := b.String()
	if strings.Contains(got, "dropped") || !strings.Contains(got, "msg=kept component=x") || !strings.Contains(got, `msg="write attempt" audit=true`) {
		t.Errorf("log:\n%s", got)
	}
}
