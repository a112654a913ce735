package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestRun_ConfigurationErrorNamesTheVariableAndItsValues: a value of the
// wrong kind is blamed on its one variable, with what it accepts, never
// on the Go parser or on several variables at once.
func TestRun_ConfigurationErrorNamesTheVariableAndItsValues(t *testing.T) {
	t.Parallel()
	httpSandbox := map[string]string{"HUBSPOT_SANDBOX": "true", "MCP_TRANSPORT": "http"}
	with := func(base map[string]string, k, v string) map[string]string {
		env := map[string]string{k: v}
		for bk, bv := range base {
			env[bk] = bv
		}
		return env
	}
	all := []string{"MCP_READ_ONLY", "MCP_MAX_BODY_BYTES", "MCP_SESSION_IDLE_TIMEOUT", "MCP_SHUTDOWN_TIMEOUT", "MCP_MAX_SESSIONS",
		"HUBSPOT_TIMEOUT", "MCP_POLL_BUDGET_SHARE", "HUBSPOT_SANDBOX", "MCP_STATELESS"}
	for _, tc := range []struct {
		name string
		env  map[string]string
		// variable is the one the error must name; want what it must say.
		variable string
		want     []string
	}{
		{"a word for a boolean", with(nil, "MCP_READ_ONLY", "yes"), "MCP_READ_ONLY",
			[]string{`MCP_READ_ONLY "yes"`, "true or false", "1 or 0"}},
		{"a word for the sandbox switch", map[string]string{"HUBSPOT_SANDBOX": "on"}, "HUBSPOT_SANDBOX",
			[]string{`HUBSPOT_SANDBOX "on"`, "true or false"}},
		{"a word for a number", with(httpSandbox, "MCP_MAX_SESSIONS", "many"), "MCP_MAX_SESSIONS",
			[]string{`MCP_MAX_SESSIONS "many"`, "a whole number, such as 100"}},
		{"a number for a duration", with(nil, "HUBSPOT_TIMEOUT", "30"), "HUBSPOT_TIMEOUT",
			[]string{`HUBSPOT_TIMEOUT "30"`, "a duration such as 30s"}},
		{"a word for a share", with(nil, "MCP_POLL_BUDGET_SHARE", "half"), "MCP_POLL_BUDGET_SHARE",
			[]string{`MCP_POLL_BUDGET_SHARE "half"`, "a number, such as 0.2"}},
		{"a zero body limit", with(httpSandbox, "MCP_MAX_BODY_BYTES", "0"), "MCP_MAX_BODY_BYTES",
			[]string{"MCP_MAX_BODY_BYTES 0", "at least 1024"}},
		{"a zero idle timeout", with(httpSandbox, "MCP_SESSION_IDLE_TIMEOUT", "0s"), "MCP_SESSION_IDLE_TIMEOUT",
			[]string{"MCP_SESSION_IDLE_TIMEOUT 0s", "at least 1s"}},
		{"a zero shutdown timeout", with(httpSandbox, "MCP_SHUTDOWN_TIMEOUT", "0s"), "MCP_SHUTDOWN_TIMEOUT",
			[]string{"MCP_SHUTDOWN_TIMEOUT 0s", "positive"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			stdout, stderr, code := runMain(t, tc.env)
			if code != 1 || stdout != "" {
				t.Errorf("exit %d, stdout %q; want 1 and nothing", code, stdout)
			}
			line := strings.TrimSpace(stderr)
			if strings.Contains(line, "\n") {
				t.Errorf("stderr is not one line: %q", stderr)
			}
			for _, w := range tc.want {
				if !strings.Contains(line, w) {
					t.Errorf("stderr = %q, want it to say %q", line, w)
				}
			}
			for _, other := range all {
				if other != tc.variable && strings.Contains(line, other) {
					t.Errorf("stderr = %q also blames %s", line, other)
				}
			}
			if strings.Contains(line, "strconv") || strings.Contains(line, "invalid syntax") {
				t.Errorf("stderr = %q speaks Go, not configuration", line)
			}
		})
	}
}

// TestRun_ToolsNeedNoToken: listing the tools asks nothing of HubSpot,
// so it works before a token exists; the filters still apply.
func TestRun_ToolsNeedNoToken(t *testing.T) {
	t.Parallel()
	stdout, stderr, code := runMain(t, nil, "tools")
	if code != 0 || !strings.Contains(stdout, "send_message") || !strings.Contains(stdout, "list_threads") {
		t.Fatalf("tools without a token: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	stdout, stderr, code = runMain(t, map[string]string{"MCP_READ_ONLY": "true"}, "tools")
	if code != 0 || strings.Contains(stdout, "send_message") || !strings.Contains(stdout, "list_threads") {
		t.Errorf("read-only tools without a token: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	stdout, stderr, code = runMain(t, nil, "tools", "get_thread")
	var tool struct {
		Name string `json:"name"`
	}
	if code != 0 || json.Unmarshal([]byte(stdout), &tool) != nil || tool.Name != "get_thread" {
		t.Errorf("tools get_thread without a token: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	// Everything else still needs the token, and says where to get one.
	if _, stderr, code := runMain(t, nil, "call", "list_inboxes"); code != 1 || !strings.Contains(stderr, "Service Key") {
		t.Errorf("call without a token: exit %d, stderr %q; want 1 and where to get a token", code, stderr)
	}
}

// TestRun_MissingTokenSaysWhereToGetOne: the error a new user meets first
// gives today's HubSpot path, never a private app as the way forward.
func TestRun_MissingTokenSaysWhereToGetOne(t *testing.T) {
	t.Parallel()
	_, stderr, code := runMain(t, nil)
	for _, want := range []string{"HUBSPOT_ACCESS_TOKEN is not set", "Service Key", "Development → Keys → Service keys",
		"conversations.read", "conversations.write", "setup", "--sandbox"} {
		if code != 1 || !strings.Contains(stderr, want) {
			t.Errorf("exit %d, stderr %q; want it to say %q", code, stderr, want)
		}
	}
	if privateAppAdvice.MatchString(stderr) {
		t.Errorf("stderr %q sends the user to create a private app", stderr)
	}
}
