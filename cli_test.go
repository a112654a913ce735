package main

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"
)

// TestRun_ConfigurationErrorNamesTheVariableAndItsValues: a bad value of
// any kind (boolean, duration, number, share, rate, enum, URL, address),
// from the environment or a flag, on stdio as on HTTP, is one line blamed
// on its one variable (or flag), with what it accepts, never on the Go
// parser or on several variables at once.
func TestRun_ConfigurationErrorNamesTheVariableAndItsValues(t *testing.T) {
	t.Parallel()
	httpSandbox := map[string]string{"HUBSPOT_SANDBOX": "true", "MCP_TRANSPORT": "http"}
	stdioSandbox := map[string]string{"HUBSPOT_SANDBOX": "true"}
	withToken := map[string]string{"HUBSPOT_ACCESS_TOKEN": "pat-na1-test"}
	with := func(base map[string]string, k, v string) map[string]string {
		env := map[string]string{k: v}
		for bk, bv := range base {
			env[bk] = bv
		}
		return env
	}
	for _, tc := range []struct {
		name string
		env  map[string]string
		args []string
		// variable is the one the error must name; want what it must say.
		variable string
		want     []string
	}{
		{"a word for a boolean", with(nil, "MCP_READ_ONLY", "yes"), nil, "MCP_READ_ONLY",
			[]string{`MCP_READ_ONLY "yes"`, "true or false", "1 or 0"}},
		{"a word for the sandbox switch", map[string]string{"HUBSPOT_SANDBOX": "on"}, nil, "HUBSPOT_SANDBOX",
			[]string{`HUBSPOT_SANDBOX "on"`, "true or false"}},
		{"a number for a boolean", with(stdioSandbox, "MCP_STATELESS", "2"), nil, "MCP_STATELESS",
			[]string{`MCP_STATELESS "2"`, "true or false"}},
		{"a word for a number", with(httpSandbox, "MCP_MAX_SESSIONS", "many"), nil, "MCP_MAX_SESSIONS",
			[]string{`MCP_MAX_SESSIONS "many"`, "a whole number, such as 100"}},
		{"a fraction for a whole number", with(stdioSandbox, "HUBSPOT_MAX_CREDENTIALS", "1.5"), nil, "HUBSPOT_MAX_CREDENTIALS",
			[]string{`HUBSPOT_MAX_CREDENTIALS "1.5"`, "a whole number, such as 1000"}},
		{"a number for a duration", with(nil, "HUBSPOT_TIMEOUT", "30"), nil, "HUBSPOT_TIMEOUT",
			[]string{`HUBSPOT_TIMEOUT "30"`, "a duration such as 30s"}},
		{"a negative cache time", with(stdioSandbox, "HUBSPOT_CACHE_TTL", "-1s"), nil, "HUBSPOT_CACHE_TTL",
			[]string{"HUBSPOT_CACHE_TTL -1s", "0 (off) or positive"}},
		{"no time to wait", with(stdioSandbox, "HUBSPOT_MAX_WAIT", "0s"), nil, "HUBSPOT_MAX_WAIT",
			[]string{"HUBSPOT_MAX_WAIT 0s", "positive, such as 30s"}},
		{"a poll interval too short", with(stdioSandbox, "MCP_POLL_INTERVAL", "1ms"), nil, "MCP_POLL_INTERVAL",
			[]string{"MCP_POLL_INTERVAL 1ms", "at least 100ms"}},
		{"a word for a share", with(nil, "MCP_POLL_BUDGET_SHARE", "half"), nil, "MCP_POLL_BUDGET_SHARE",
			[]string{`MCP_POLL_BUDGET_SHARE "half"`, "a number, such as 0.2"}},
		{"a share over 1", with(stdioSandbox, "MCP_POLL_BUDGET_SHARE", "2"), nil, "MCP_POLL_BUDGET_SHARE",
			[]string{"MCP_POLL_BUDGET_SHARE 2", "from 0 to 1"}},
		{"a rate without a duration", with(stdioSandbox, "HUBSPOT_RATE_LIMIT", "100"), nil, "HUBSPOT_RATE_LIMIT",
			[]string{"HUBSPOT_RATE_LIMIT", `"100"`, "calls/duration, such as 100/10s"}},
		{"a rate of no calls", with(stdioSandbox, "HUBSPOT_RATE_LIMIT", "0/10s"), nil, "HUBSPOT_RATE_LIMIT",
			[]string{"HUBSPOT_RATE_LIMIT", `"0/10s"`, "from 1 to"}},
		{"an unknown log level", with(stdioSandbox, "LOG_LEVEL", "verbose"), nil, "LOG_LEVEL",
			[]string{`LOG_LEVEL "verbose"`, "debug, info, warn or error"}},
		{"an unknown transport", with(stdioSandbox, "MCP_TRANSPORT", "grpc"), nil, "MCP_TRANSPORT",
			[]string{`MCP_TRANSPORT "grpc"`, "stdio, http or sse"}},
		{"an unknown confirmation mode", with(stdioSandbox, "MCP_CONFIRM_WRITES", "yes"), nil, "MCP_CONFIRM_WRITES",
			[]string{`MCP_CONFIRM_WRITES "yes"`, "never, elicit-or-preview", "elicit-only"}},
		{"an unknown token source", with(stdioSandbox, "HUBSPOT_TOKEN_SOURCE", "cookie"), nil, "HUBSPOT_TOKEN_SOURCE",
			[]string{`HUBSPOT_TOKEN_SOURCE "cookie"`, "env or header"}},
		{"a base URL of another scheme", with(withToken, "HUBSPOT_BASE_URL", "ftp://api.hubapi.com"), nil, "HUBSPOT_BASE_URL",
			[]string{"HUBSPOT_BASE_URL", "ftp://api.hubapi.com", "http(s) URL such as https://api.hubapi.com"}},
		{"a Redis address without a scheme", with(stdioSandbox, "MCP_REDIS_URL", "localhost:6379"), nil, "MCP_REDIS_URL",
			[]string{"MCP_REDIS_URL", "redis://host:port/db"}},
		{"an origin without a scheme", with(stdioSandbox, "MCP_ALLOWED_ORIGINS", "app.example.com"), nil, "MCP_ALLOWED_ORIGINS",
			[]string{`MCP_ALLOWED_ORIGINS "app.example.com"`, "https://app.example.com"}},
		{"a port for an address", with(stdioSandbox, "MCP_ADDR", "8080"), nil, "MCP_ADDR",
			[]string{`MCP_ADDR "8080"`, "host:port, such as 127.0.0.1:8080"}},
		{"a sandbox latency too long", with(stdioSandbox, "HUBSPOT_SANDBOX_LATENCY", "1h"), nil, "HUBSPOT_SANDBOX_LATENCY",
			[]string{"HUBSPOT_SANDBOX_LATENCY", "from 0 to 10s"}},
		{"a short confirmation secret", with(stdioSandbox, "MCP_CONFIRM_SECRET", "short"), nil, "MCP_CONFIRM_SECRET",
			[]string{"MCP_CONFIRM_SECRET is too short", "at least 32"}},
		// Settings of the HTTP transports are checked on stdio too: a bad
		// value is never ignored because it is unused today.
		{"a zero body limit", with(httpSandbox, "MCP_MAX_BODY_BYTES", "0"), nil, "MCP_MAX_BODY_BYTES",
			[]string{"MCP_MAX_BODY_BYTES 0", "at least 1024"}},
		{"a zero body limit on stdio", with(stdioSandbox, "MCP_MAX_BODY_BYTES", "0"), nil, "MCP_MAX_BODY_BYTES",
			[]string{"MCP_MAX_BODY_BYTES 0", "at least 1024"}},
		{"a negative session cap on stdio", with(stdioSandbox, "MCP_MAX_SESSIONS", "-3"), nil, "MCP_MAX_SESSIONS",
			[]string{"MCP_MAX_SESSIONS -3", "at least 1, such as 100"}},
		{"a zero idle timeout", with(httpSandbox, "MCP_SESSION_IDLE_TIMEOUT", "0s"), nil, "MCP_SESSION_IDLE_TIMEOUT",
			[]string{"MCP_SESSION_IDLE_TIMEOUT 0s", "at least 1s"}},
		{"a zero shutdown timeout", with(httpSandbox, "MCP_SHUTDOWN_TIMEOUT", "0s"), nil, "MCP_SHUTDOWN_TIMEOUT",
			[]string{"MCP_SHUTDOWN_TIMEOUT 0s", "positive"}},
		{"a zero body read timeout on stdio", with(stdioSandbox, "MCP_BODY_READ_TIMEOUT", "0s"), nil, "MCP_BODY_READ_TIMEOUT",
			[]string{"MCP_BODY_READ_TIMEOUT 0s", "positive"}},
		// Flags: the flag, and what its variable accepts.
		{"a number for the timeout flag", nil, []string{"--sandbox", "--timeout", "10"}, "--timeout",
			[]string{`--timeout "10"`, "a duration such as 30s"}},
		{"a word for the read-only flag", nil, []string{"--sandbox", "--read-only=yes"}, "--read-only",
			[]string{`--read-only "yes"`, "true or false"}},
		{"a word for a flag after the command", nil, []string{"tools", "--sandbox=maybe"}, "--sandbox",
			[]string{`--sandbox "maybe"`, "true or false"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			stdout, stderr, code := runMain(t, tc.env, tc.args...)
			if code == 0 || stdout != "" {
				t.Errorf("exit %d, stdout %q; want an error and nothing", code, stdout)
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
			for other := range envNames() {
				if other != tc.variable && regexp.MustCompile(`\b`+other+`\b`).MatchString(line) {
					t.Errorf("stderr = %q also blames %s", line, other)
				}
			}
			if strings.Contains(line, "strconv") || strings.Contains(line, "invalid syntax") || strings.Contains(line, "parse error") {
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
