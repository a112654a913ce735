package setup

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"io/fs"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot"
	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot/sandbox"
)

// fixture is a fake user: a home folder, a project folder, a server
// binary, an environment and a HubSpot (the sandbox over real HTTP).
type fixture struct {
	t    *testing.T
	home string
	dir  string
	exe  string
	env  map[string]string
	sb   *sandbox.Server
	url  string
	goos string
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	root := t.TempDir()
	f := &fixture{t: t, home: filepath.Join(root, "home"), dir: filepath.Join(root, "project"),
		exe: filepath.Join(root, "bin", "hubspot-conversations-mcp"), env: map[string]string{}, goos: "linux"}
	for _, d := range []string{f.home, f.dir, filepath.Dir(f.exe)} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(f.exe, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	f.sb = sandbox.New()
	srv := httptest.NewServer(f.sb)
	t.Cleanup(srv.Close)
	f.url = srv.URL
	return f
}

// run runs setup with args and stdin.
func (f *fixture) run(stdin string, args ...string) (string, error) {
	f.t.Helper()
	var out bytes.Buffer
	err := Run(f.t.Context(), Env{
		Args:       args,
		Lookup:     func(k string) (string, bool) { v, ok := f.env[k]; return v, ok },
		Stdin:      strings.NewReader(stdin),
		Stdout:     &out,
		GOOS:       f.goos,
		Home:       f.home,
		Dir:        f.dir,
		Executable: f.exe,
		Version:    "test",
		Now:        func() time.Time { return time.Date(2026, 12, 2, 15, 4, 5, 0, time.UTC) },
	})
	return out.String(), err
}

// realToken runs setup for a real (sandbox) token with args.
func (f *fixture) realToken(args ...string) (string, error) {
	f.t.Helper()
	return f.run("", append([]string{"--token", sandbox.DefaultToken, "--base-url", f.url, "--yes"}, args...)...)
}

func (f *fixture) desktopPath() string {
	return filepath.Join(f.home, ".config", "Claude", "claude_desktop_config.json")
}

func readJSON(t *testing.T, path string) map[string]any {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var v map[string]any
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatalf("%s: %v\n%s", path, err, data)
	}
	return v
}

func dig(v any, keys ...string) any {
	for _, k := range keys {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}

func mode(t *testing.T, path string) fs.FileMode {
	t.Helper()
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return info.Mode().Perm()
}

func oneLine(t *testing.T, err error, want ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("setup succeeded; want an error saying %q", want)
	}
	if strings.Contains(err.Error(), "\n") {
		t.Errorf("error is not one line: %q", err)
	}
	for _, w := range want {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error %q does not say %q", err, w)
		}
	}
	if strings.Contains(err.Error(), sandbox.DefaultToken) {
		t.Errorf("error %q holds the token", err)
	}
}

func TestPaths_PerOS(t *testing.T) {
	t.Parallel()
	home := "/h"
	for _, tc := range []struct {
		goos    string
		env     map[string]string
		desktop string
		vscode  string
	}{
		{"linux", nil, "/h/.config/Claude/claude_desktop_config.json", "/h/.config/Code/User/mcp.json"},
		{"linux", map[string]string{"XDG_CONFIG_HOME": "/xdg"}, "/xdg/Claude/claude_desktop_config.json", "/xdg/Code/User/mcp.json"},
		{"linux", map[string]string{"XDG_CONFIG_HOME": "relative"}, "/h/.config/Claude/claude_desktop_config.json", "/h/.config/Code/User/mcp.json"},
		{"freebsd", nil, "/h/.config/Claude/claude_desktop_config.json", "/h/.config/Code/User/mcp.json"},
		{"darwin", nil, "/h/Library/Application Support/Claude/claude_desktop_config.json", "/h/Library/Application Support/Code/User/mcp.json"},
		{"windows", map[string]string{"APPDATA": "/appdata"}, "/appdata/Claude/claude_desktop_config.json", "/appdata/Code/User/mcp.json"},
		{"windows", nil, "/h/AppData/Roaming/Claude/claude_desktop_config.json", "/h/AppData/Roaming/Code/User/mcp.json"},
	} {
		p := place{goos: tc.goos, home: home, dir: "/p", lookup: func(k string) (string, bool) { v, ok := tc.env[k]; return v, ok }}
		desktop, _ := findClient("claude-desktop")
		vscode, _ := findClient("vscode")
		if got := filepath.ToSlash(desktop.path(p, scopeUser)); got != tc.desktop {
			t.Errorf("%s %v: Claude Desktop at %s, want %s", tc.goos, tc.env, got, tc.desktop)
		}
		if got := filepath.ToSlash(vscode.path(p, scopeUser)); got != tc.vscode {
			t.Errorf("%s %v: VS Code at %s, want %s", tc.goos, tc.env, got, tc.vscode)
		}
	}
	p := place{goos: "linux", home: home, dir: "/p", lookup: func(string) (string, bool) { return "", false }}
	for name, want := range map[string][2]string{
		"claude-code": {"/h/.claude.json", "/p/.mcp.json"},
		"cursor":      {"/h/.cursor/mcp.json", "/p/.cursor/mcp.json"},
		"vscode":      {"/h/.config/Code/User/mcp.json", "/p/.vscode/mcp.json"},
	} {
		c, _ := findClient(name)
		if got := filepath.ToSlash(c.path(p, scopeUser)); got != want[0] {
			t.Errorf("%s user scope at %s, want %s", name, got, want[0])
		}
		if got := filepath.ToSlash(c.path(p, scopeProject)); got != want[1] {
			t.Errorf("%s project scope at %s, want %s", name, got, want[1])
		}
	}
}

// TestEachClientsFormat writes a real token's entry for every client and
// scope and checks each file against that client's format.
func TestEachClientsFormat(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		client, scope string
		path          func(f *fixture) string
		servers       string
		typed         bool
		// token is the value written for HUBSPOT_ACCESS_TOKEN.
		token  string
		secret bool
	}{
		{"claude-desktop", "", (*fixture).desktopPath, "mcpServers", false, sandbox.DefaultToken, true},
		{"claude-code", "user", func(f *fixture) string { return filepath.Join(f.home, ".claude.json") }, "mcpServers", true, sandbox.DefaultToken, true},
		{"claude-code", "project", func(f *fixture) string { return filepath.Join(f.dir, ".mcp.json") }, "mcpServers", true, "${HUBSPOT_ACCESS_TOKEN}", false},
		{"cursor", "user", func(f *fixture) string { return filepath.Join(f.home, ".cursor", "mcp.json") }, "mcpServers", false, sandbox.DefaultToken, true},
		{"cursor", "project", func(f *fixture) string { return filepath.Join(f.dir, ".cursor", "mcp.json") }, "mcpServers", false, "${env:HUBSPOT_ACCESS_TOKEN}", false},
		{"vscode", "user", func(f *fixture) string { return filepath.Join(f.home, ".config", "Code", "User", "mcp.json") }, "servers", true, "${input:hubspot-access-token}", false},
		{"vscode", "project", func(f *fixture) string { return filepath.Join(f.dir, ".vscode", "mcp.json") }, "servers", true, "${input:hubspot-access-token}", false},
	} {
		t.Run(tc.client+"/"+tc.scope, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t)
			args := []string{"--client", tc.client, "--sender", "A-48151623"}
			if tc.scope != "" {
				args = append(args, "--scope", tc.scope)
			}
			out, err := f.realToken(args...)
			if err != nil {
				t.Fatalf("setup: %v\n%s", err, out)
			}
			path := tc.path(f)
			v := readJSON(t, path)
			server, _ := dig(v, tc.servers, ServerName).(map[string]any)
			if server == nil {
				t.Fatalf("%s has no %s.%s:\n%v", path, tc.servers, ServerName, v)
			}
			if server["command"] != f.exe {
				t.Errorf("command = %v, want %s", server["command"], f.exe)
			}
			if typ, _ := server["type"].(string); (typ == "stdio") != tc.typed || (!tc.typed && server["type"] != nil) {
				t.Errorf("type = %v; want stdio: %v", server["type"], tc.typed)
			}
			env, _ := server["env"].(map[string]any)
			if env["HUBSPOT_ACCESS_TOKEN"] != tc.token || env["HUBSPOT_SENDER_ACTOR_ID"] != "A-48151623" {
				t.Errorf("env = %v; want the token as %q and the sender", env, tc.token)
			}
			if env["HUBSPOT_BASE_URL"] != f.url {
				t.Errorf("env = %v; want HUBSPOT_BASE_URL %s (not HubSpot's default)", env, f.url)
			}
			raw, _ := os.ReadFile(path)
			if !tc.secret && bytes.Contains(raw, []byte(sandbox.DefaultToken)) {
				t.Errorf("%s holds the token; this scope must refer to it instead:\n%s", path, raw)
			}
			if runtime.GOOS != "windows" {
				if m := mode(t, path); tc.secret && m != 0o600 {
					t.Errorf("mode %o; want 0600 for a file holding the token", m)
				}
			}
			if tc.client == "vscode" {
				inputs, _ := v["inputs"].([]any)
				in, _ := inputs[0].(map[string]any)
				if len(inputs) != 1 || in["id"] != "hubspot-access-token" || in["type"] != "promptString" || in["password"] != true {
					t.Errorf("inputs = %v; want one password prompt for the token", v["inputs"])
				}
			}
		})
	}
}

func TestSandboxEntryHoldsNoToken(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	out, err := f.run("", "--sandbox", "--client", "vscode", "--yes")
	if err != nil {
		t.Fatalf("setup: %v\n%s", err, out)
	}
	v := readJSON(t, filepath.Join(f.home, ".config", "Code", "User", "mcp.json"))
	server, _ := dig(v, "servers", ServerName).(map[string]any)
	if args, _ := server["args"].([]any); len(args) != 1 || args[0] != "--sandbox" || server["env"] != nil || v["inputs"] != nil {
		t.Errorf("sandbox entry = %v (inputs %v); want --sandbox and no token, env or input", server, v["inputs"])
	}
	for _, want := range []string{"present    conversations.read", "present    conversations.write"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

// TestMergeKeepsEverything: other servers, other settings and their order
// survive; the previous file is kept as a backup; the token tightens the
// file's mode.
func TestMergeKeepsEverything(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	path := f.desktopPath()
	original := `{
  "globalShortcut": "Ctrl+Space",
  "mcpServers": {
    "filesystem": {"command": "npx", "args": ["-y", "@modelcontextprotocol/server-filesystem", "/tmp"]},
    "github": {"command": "docker", "env": {"GITHUB_TOKEN": "ghp_secret"}}
  },
  "preferences": {"theme": "dark", "list": [1, 2, {"deep": null}]}
}
`
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(original), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := f.realToken("--client", "claude-desktop"); err != nil {
		t.Fatalf("setup: %v\n%s", err, out)
	}
	data, _ := os.ReadFile(path)
	var before, after map[string]any
	_ = json.Unmarshal([]byte(original), &before)
	_ = json.Unmarshal(data, &after)
	servers := after["mcpServers"].(map[string]any)
	ours := servers[ServerName]
	delete(servers, ServerName)
	if b, a := mustJSON(before), mustJSON(after); !bytes.Equal(b, a) || ours == nil {
		t.Errorf("merge lost or changed something:\nbefore %s\nafter  %s (ours: %v)", b, a, ours)
	}
	// Order kept: top level, then the servers, ours last.
	s := string(data)
	if !(strings.Index(s, "globalShortcut") < strings.Index(s, "mcpServers") && strings.Index(s, "mcpServers") < strings.Index(s, "preferences") &&
		strings.Index(s, `"filesystem"`) < strings.Index(s, `"github"`) && strings.Index(s, `"github"`) < strings.Index(s, ServerName)) {
		t.Errorf("order not kept:\n%s", s)
	}
	backups, _ := filepath.Glob(path + ".*.bak")
	if len(backups) != 1 {
		t.Fatalf("backups = %v; want one", backups)
	}
	if b, _ := os.ReadFile(backups[0]); string(b) != original {
		t.Errorf("backup = %q; want the original file", b)
	}
	if runtime.GOOS != "windows" {
		if m := mode(t, path); m != 0o600 {
			t.Errorf("mode %o; want 0600 now that the file holds the token", m)
		}
		if m := mode(t, backups[0]); m != 0o600 {
			t.Errorf("backup mode %o; want 0600 (it may hold other servers' secrets)", m)
		}
	}
}

// TestRerunReplacesOurEntry: running again changes our entry in place and
// never adds a second one, nor a second VS Code input.
func TestRerunReplacesOurEntry(t *testing.T) {
	t.Parallel()
	for _, client := range []string{"claude-desktop", "vscode"} {
		t.Run(client, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t)
			if out, err := f.realToken("--client", client, "--sender", "A-1"); err != nil {
				t.Fatalf("first run: %v\n%s", err, out)
			}
			path := f.desktopPath()
			servers := "mcpServers"
			if client == "vscode" {
				path, servers = filepath.Join(f.home, ".config", "Code", "User", "mcp.json"), "servers"
			}
			first, _ := os.ReadFile(path)
			if out, err := f.realToken("--client", client, "--sender", "A-1"); err != nil {
				t.Fatalf("second run: %v\n%s", err, out)
			}
			if second, _ := os.ReadFile(path); !bytes.Equal(first, second) {
				t.Errorf("the same run twice changed the file:\n%s\n---\n%s", first, second)
			}
			if out, err := f.realToken("--client", client, "--sender", "A-2"); err != nil {
				t.Fatalf("third run: %v\n%s", err, out)
			}
			data, _ := os.ReadFile(path)
			if n := bytes.Count(data, []byte(`"`+ServerName+`"`)); n != 1 {
				t.Errorf("%d entries named %s; want 1:\n%s", n, ServerName, data)
			}
			if n := bytes.Count(data, []byte(`"hubspot-access-token"`)); client == "vscode" && n != 1 {
				t.Errorf("%d VS Code inputs; want 1:\n%s", n, data)
			}
			v := readJSON(t, path)
			if got := dig(v, servers, ServerName, "env", "HUBSPOT_SENDER_ACTOR_ID"); got != "A-2" {
				t.Errorf("sender = %v after the third run; want A-2", got)
			}
		})
	}
}

// TestBrokenFilesAreLeftAlone: whatever is wrong with the existing file,
// setup says so in one line and changes nothing.
func TestBrokenFilesAreLeftAlone(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, content string
		want          []string
	}{
		{"invalid JSON", "{\n  \"mcpServers\": {\n    \"x\": {\"command\": \"a\",}\n  }\n}\n", []string{"invalid JSON at line 3", "nothing was changed"}},
		{"cut short", `{"mcpServers": {`, []string{"invalid JSON", "nothing was changed"}},
		{"not an object", `["mcpServers"]`, []string{"not an object", "nothing was changed"}},
		{"servers not an object", `{"mcpServers": ["x"]}`, []string{`"mcpServers" is not an object`, "nothing was changed"}},
		{"trailing garbage", `{} {}`, []string{"more JSON after the object", "nothing was changed"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t)
			path := f.desktopPath()
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, []byte(tc.content), 0o640); err != nil {
				t.Fatal(err)
			}
			_, err := f.realToken("--client", "claude-desktop")
			oneLine(t, err, append(tc.want, path)...)
			if data, _ := os.ReadFile(path); string(data) != tc.content {
				t.Errorf("file changed to %q", data)
			}
			if runtime.GOOS != "windows" && mode(t, path) != 0o640 {
				t.Errorf("mode changed to %o", mode(t, path))
			}
			if entries, _ := os.ReadDir(filepath.Dir(path)); len(entries) != 1 {
				t.Errorf("the folder now holds %d files; want only the untouched config", len(entries))
			}
		})
	}
}

func TestUnreadableConfigIsOneLine(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	path := f.desktopPath()
	if err := os.MkdirAll(path, 0o755); err != nil { // a folder where the file should be
		t.Fatal(err)
	}
	_, err := f.realToken("--client", "claude-desktop")
	oneLine(t, err, "cannot read", path)
}

// TestModes: a file holding no token keeps its mode; a new one that holds
// none is readable as usual.
func TestModes(t *testing.T) {
	t.Parallel()
	if runtime.GOOS == "windows" {
		t.Skip("file modes are POSIX")
	}
	f := newFixture(t)
	path := filepath.Join(f.dir, ".vscode", "mcp.json")
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(`{"servers": {}}`), 0o664); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, 0o664); err != nil { // past the umask
		t.Fatal(err)
	}
	if out, err := f.realToken("--client", "vscode", "--scope", "project"); err != nil {
		t.Fatalf("setup: %v\n%s", err, out)
	}
	if m := mode(t, path); m != 0o664 {
		t.Errorf("mode %o; want 0664 kept (the file holds no token)", m)
	}
	if out, err := f.realToken("--client", "cursor", "--scope", "project"); err != nil {
		t.Fatalf("setup: %v\n%s", err, out)
	}
	if m := mode(t, filepath.Join(f.dir, ".cursor", "mcp.json")); m != 0o644 {
		t.Errorf("new file without a token: mode %o, want 0644", m)
	}
}

func TestTokenSources(t *testing.T) {
	t.Parallel()
	t.Run("the environment", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t)
		f.env["HUBSPOT_ACCESS_TOKEN"] = "Bearer " + sandbox.DefaultToken
		if out, err := f.run("", "--client", "claude-desktop", "--yes", "--base-url", f.url); err != nil {
			t.Fatalf("setup: %v\n%s", err, out)
		}
		if got := dig(readJSON(t, f.desktopPath()), "mcpServers", ServerName, "env", "HUBSPOT_ACCESS_TOKEN"); got != sandbox.DefaultToken {
			t.Errorf("token = %v; want it without its Bearer prefix", got)
		}
	})
	t.Run("asked, with standard input not a terminal", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t)
		out, err := f.run("1\n"+sandbox.DefaultToken+"\n2\ny\n", "--base-url", f.url)
		if err != nil {
			t.Fatalf("setup: %v\n%s", err, out)
		}
		for _, want := range []string{"Claude Desktop", "Development → Keys → Service keys", "conversations.read", "required", "crm.objects.owners.read", "optional",
			"2. Riley Chen <riley.chen@juniper-outdoor.example> (A-48151623)", "Default sender: Riley Chen", "Created"} {
			if !strings.Contains(out, want) {
				t.Errorf("output lacks %q:\n%s", want, out)
			}
		}
		if strings.Contains(out, sandbox.DefaultToken) {
			t.Errorf("the token was echoed:\n%s", out)
		}
		if got := dig(readJSON(t, f.desktopPath()), "mcpServers", ServerName, "env", "HUBSPOT_ACCESS_TOKEN"); got != sandbox.DefaultToken {
			t.Errorf("token = %v", got)
		}
		if got := dig(readJSON(t, f.desktopPath()), "mcpServers", ServerName, "env", "HUBSPOT_SENDER_ACTOR_ID"); got != sandbox.AgentActorID {
			t.Errorf("sender = %v, want the agent picked", got)
		}
	})
	t.Run("declined", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t)
		out, err := f.run("claude-desktop\n"+sandbox.DefaultToken+"\n\nn\n", "--base-url", f.url)
		if err != nil || !strings.Contains(out, "Nothing was changed") {
			t.Fatalf("setup: %v\n%s", err, out)
		}
		if _, err := os.Stat(f.desktopPath()); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("declined, yet %s exists", f.desktopPath())
		}
	})
	t.Run("none with --yes", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t)
		_, err := f.run("", "--client", "claude-desktop", "--yes")
		oneLine(t, err, "no HubSpot token", "HUBSPOT_ACCESS_TOKEN", "--token", "Service Key")
	})
	t.Run("--yes without a client", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t)
		_, err := f.run("", "--sandbox", "--yes")
		oneLine(t, err, "--yes needs --client claude-desktop|claude-code|cursor|vscode")
	})
}

// TestTokenCheck covers how setup learns the token's scopes: HubSpot's
// token information where it answers, harmless reads where it does not,
// and never a write.
func TestTokenCheck(t *testing.T) {
	t.Parallel()
	t.Run("token information", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t)
		f.sb.Account(sandbox.DefaultToken).SetWithheldScopes(sandbox.ScopeContactsRead, sandbox.ScopeOwnersRead)
		out, err := f.realToken("--client", "claude-desktop")
		if err != nil {
			t.Fatalf("setup: %v\n%s", err, out)
		}
		for _, want := range []string{"HubSpot accepted the token for account", "from HubSpot's token information",
			"present    conversations.read", "present    conversations.write", "missing    crm.objects.contacts.read",
			"search_threads: a customer's conversations by email address or name",
			"To enable what is missing, add the scopes crm.objects.contacts.read, crm.objects.owners.read to the Service Key"} {
			if !strings.Contains(out, want) {
				t.Errorf("output lacks %q:\n%s", want, out)
			}
		}
	})
	t.Run("harmless reads where token information does not answer", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t)
		f.sb.InjectFault(sandbox.Fault{Path: "/oauth/", Status: http.StatusNotFound})
		f.sb.InjectFault(sandbox.Fault{Path: "/crm/v3/owners", Status: http.StatusNotFound})
		f.sb.Account(sandbox.DefaultToken).SetWithheldScopes(sandbox.ScopeContactsRead)
		out, err := f.realToken("--client", "claude-desktop")
		if err != nil {
			t.Fatalf("setup: %v\n%s", err, out)
		}
		for _, want := range []string{"from harmless reads", "present    conversations.read",
			"unverified conversations.write", "only a write could test it, and setup never writes",
			"unverified conversations.visitor_identification.tokens.create",
			"missing    crm.objects.contacts.read", "unverified crm.objects.owners.read", "HubSpot answered 404",
			"To enable what is missing, add the scope crm.objects.contacts.read to the Service Key"} {
			if !strings.Contains(out, want) {
				t.Errorf("output lacks %q:\n%s", want, out)
			}
		}
		for _, r := range f.sb.Requests() {
			if r.Method != http.MethodGet && r.Path != sandbox.TokenInfoPath && !strings.HasSuffix(r.Path, "/search") {
				t.Errorf("setup sent %s %s; it must only read", r.Method, r.Path)
			}
		}
	})
	t.Run("a scope HubSpot refuses is missing", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t)
		f.sb.InjectFault(sandbox.Fault{Path: "/oauth/", Status: http.StatusNotFound})
		f.sb.InjectFault(sandbox.Fault{Path: "/conversations/", Status: http.StatusForbidden})
		_, err := f.realToken("--client", "claude-desktop")
		oneLine(t, err, "lacks conversations.read", "add the scope conversations.read to the Service Key", "nothing was written")
		if _, err := os.Stat(f.desktopPath()); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("a file was written")
		}
	})
	t.Run("a refused token", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t)
		_, err := f.run("", "--token", "pat-na1-wrong", "--base-url", f.url, "--yes", "--client", "claude-desktop")
		oneLine(t, err, "HubSpot refused the token (401", "Service Key", "nothing was written")
		if _, err := os.Stat(f.desktopPath()); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("a file was written")
		}
	})
	t.Run("HubSpot unreachable", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t)
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		closed := "http://" + ln.Addr().String()
		ln.Close()
		_, err = f.run("", "--token", sandbox.DefaultToken, "--base-url", closed, "--yes", "--client", "claude-desktop")
		oneLine(t, err, "could not reach HubSpot", "--no-verify", "nothing was written")
		if out, err := f.run("", "--token", sandbox.DefaultToken, "--base-url", closed, "--yes", "--client", "claude-desktop", "--no-verify"); err != nil {
			t.Fatalf("--no-verify: %v\n%s", err, out)
		}
		if _, err := os.Stat(f.desktopPath()); err != nil {
			t.Errorf("--no-verify wrote nothing: %v", err)
		}
	})
}

func TestPrintChangesNothing(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	out, err := f.run("", "--sandbox", "--client", "claude-desktop", "--print")
	if err != nil {
		t.Fatalf("setup: %v\n%s", err, out)
	}
	_, jsonPart, _ := strings.Cut(out, "add this to "+f.desktopPath()+"\n")
	var v map[string]any
	if err := json.Unmarshal([]byte(jsonPart), &v); err != nil || dig(v, "mcpServers", ServerName, "command") != f.exe {
		t.Errorf("--print printed %q; want where it goes and the entry (%v)", out, err)
	}
	if entries, _ := os.ReadDir(f.home); len(entries) != 0 {
		t.Errorf("--print created %v", entries)
	}
}

func TestFlagMistakesAreOneLine(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--client", "emacs"}, `--client "emacs": want claude-desktop, claude-code, cursor, vscode`},
		{[]string{"--scope", "team"}, `--scope "team": want user or project`},
		{[]string{"--client", "claude-desktop", "--scope", "project"}, "Claude Desktop has no project scope"},
		{[]string{"--sender", "V-1"}, "--sender"},
		{[]string{"--frobnicate"}, "flag provided but not defined"},
		{[]string{"extra"}, `unexpected argument "extra"`},
	} {
		_, err := f.run("", append([]string{"--sandbox", "--yes"}, tc.args...)...)
		oneLine(t, err, tc.want)
	}
	out, err := f.run("", "-h")
	if !errors.Is(err, flag.ErrHelp) || !strings.Contains(out, "--client") || !strings.Contains(out, "Service Key") {
		t.Errorf("-h: %v, %q; want the usage on stdout", err, out)
	}
}

func TestGoRunBuildIsRefused(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	tmp := filepath.Join(t.TempDir(), "go-build123", "b001", "exe", "hubspot-conversations-mcp")
	if err := os.MkdirAll(filepath.Dir(tmp), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(tmp, nil, 0o755); err != nil {
		t.Fatal(err)
	}
	f.exe = tmp
	_, err := f.run("", "--sandbox", "--client", "claude-desktop", "--yes")
	oneLine(t, err, "temporary `go run` build", "go build")
	if out, err := f.run("", "--sandbox", "--client", "claude-desktop", "--yes", "--command", tmp); err != nil {
		t.Errorf("--command lets it through: %v\n%s", err, out)
	}
}

// TestCommandLinkIsKept: a --command that is a link (Homebrew's
// /opt/homebrew/bin/x, ~/bin/x) is written as given, not as the versioned
// file it points to today, which an upgrade removes.
func TestCommandLinkIsKept(t *testing.T) {
	t.Parallel()
	if runtime.GOOS == "windows" {
		t.Skip("symbolic links need privileges on Windows")
	}
	f := newFixture(t)
	link := filepath.Join(f.home, "bin", "hubspot-conversations-mcp")
	if err := os.MkdirAll(filepath.Dir(link), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(f.exe, link); err != nil {
		t.Fatal(err)
	}
	if out, err := f.run("", "--sandbox", "--client", "claude-desktop", "--yes", "--command", link); err != nil {
		t.Fatalf("setup: %v\n%s", err, out)
	}
	if got := dig(readJSON(t, f.desktopPath()), "mcpServers", ServerName, "command"); got != link {
		t.Errorf("command = %v; want the link %s as given", got, link)
	}
}

// TestSymlinkedConfigIsEditedInPlace: a configuration kept elsewhere (a
// dotfiles repository) behind a link is edited there, and the link stays.
func TestSymlinkedConfigIsEditedInPlace(t *testing.T) {
	t.Parallel()
	if runtime.GOOS == "windows" {
		t.Skip("symbolic links need privileges on Windows")
	}
	f := newFixture(t)
	real := filepath.Join(t.TempDir(), "dotfiles", "claude.json")
	if err := os.MkdirAll(filepath.Dir(real), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(real, []byte(`{"mcpServers": {"other": {"command": "x"}}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	link := f.desktopPath()
	if err := os.MkdirAll(filepath.Dir(link), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(real, link); err != nil {
		t.Fatal(err)
	}
	if out, err := f.realToken("--client", "claude-desktop"); err != nil {
		t.Fatalf("setup: %v\n%s", err, out)
	}
	if info, err := os.Lstat(link); err != nil || info.Mode()&fs.ModeSymlink == 0 {
		t.Errorf("the link was replaced: %v %v", info, err)
	}
	v := readJSON(t, real)
	if dig(v, "mcpServers", ServerName) == nil || dig(v, "mcpServers", "other") == nil {
		t.Errorf("the linked file = %v; want both servers", v)
	}
}

// TestChooseSender: setup offers the account's agents (from the owners
// list, the agents list_agents shows) as the default sender, takes
// --sender as an actor ID or an email address, and without the owners
// scope writes --sender as given and offers nothing.
func TestChooseSender(t *testing.T) {
	t.Parallel()
	sender := func(t *testing.T, f *fixture) any {
		t.Helper()
		return dig(readJSON(t, f.desktopPath()), "mcpServers", ServerName, "env", "HUBSPOT_SENDER_ACTOR_ID")
	}
	t.Run("an email address becomes the agent's actor ID", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t)
		out, err := f.realToken("--client", "claude-desktop", "--sender", "Sam.Okafor@juniper-outdoor.example")
		if err != nil {
			t.Fatalf("setup: %v\n%s", err, out)
		}
		if got := sender(t, f); got != sandbox.OtherAgentActorID || !strings.Contains(out, "Default sender: Sam Okafor <sam.okafor@juniper-outdoor.example> (A-48151624).") {
			t.Errorf("sender %v; output:\n%s", got, out)
		}
	})
	t.Run("an address no agent has is refused and nothing is written", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t)
		_, err := f.realToken("--client", "claude-desktop", "--sender", "taylor.quinlan@juniper-outdoor.example")
		oneLine(t, err, `--sender "taylor.quinlan@juniper-outdoor.example": no agent of this account has this address`, "nothing was written")
		if _, err := os.Stat(f.desktopPath()); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("refused, yet %s exists", f.desktopPath())
		}
	})
	t.Run("an actor ID is named, or written as given", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t)
		out, err := f.realToken("--client", "claude-desktop", "--sender", sandbox.OwnerOnlyAgentActorID)
		if err != nil || sender(t, f) != sandbox.OwnerOnlyAgentActorID || !strings.Contains(out, "Default sender: Dana Whitfield") {
			t.Errorf("setup: %v\n%s", err, out)
		}
		out, err = f.realToken("--client", "claude-desktop", "--sender", "A-1")
		if err != nil || sender(t, f) != "A-1" || !strings.Contains(out, "not among the account's 3 agents") {
			t.Errorf("setup: %v\n%s", err, out)
		}
	})
	t.Run("picked by name when asked", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t)
		out, err := f.run("sam dana\ndana\ny\n", "--client", "claude-desktop", "--token", sandbox.DefaultToken, "--base-url", f.url)
		if err != nil {
			t.Fatalf("setup: %v\n%s", err, out)
		}
		if got := sender(t, f); got != sandbox.OwnerOnlyAgentActorID || !strings.Contains(out, `No agent matches "sam dana"`) {
			t.Errorf("sender %v; output:\n%s", got, out)
		}
	})
	t.Run("without the owners scope", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t)
		f.sb.Account(sandbox.DefaultToken).SetWithheldScopes(hubspot.ScopeOwnersRead)
		out, err := f.realToken("--client", "claude-desktop", "--sender", "riley.chen@juniper-outdoor.example")
		if err != nil || sender(t, f) != "riley.chen@juniper-outdoor.example" ||
			!strings.Contains(out, "written as given (listing the agents needs the scope crm.objects.owners.read, which the token lacks, so it was not checked)") {
			t.Errorf("--sender by email: %v, sender %v\n%s", err, sender(t, f), out)
		}
		for _, r := range f.sb.Requests() {
			if strings.HasPrefix(r.Path, "/crm/v3/owners") {
				t.Errorf("setup asked for %s %s, which the token's report says HubSpot refuses", r.Method, r.Path)
			}
		}
		f2 := newFixture(t)
		f2.sb.Account(sandbox.DefaultToken).SetWithheldScopes(hubspot.ScopeOwnersRead)
		out, err = f2.run("y\n", "--client", "claude-desktop", "--token", sandbox.DefaultToken, "--base-url", f2.url)
		if err != nil || sender(t, f2) != nil || !strings.Contains(out, "No default sender was set: listing the agents needs the scope crm.objects.owners.read") {
			t.Errorf("asked: %v, sender %v\n%s", err, sender(t, f2), out)
		}
	})
}

// TestChooseSenderEdges: the agents list unreadable for want of an
// answer, and an owners list longer than setup (and the server) reads:
// an address not among the owners read is not said to be no agent's.
func TestChooseSenderEdges(t *testing.T) {
	t.Parallel()
	sender := func(t *testing.T, f *fixture) any {
		t.Helper()
		return dig(readJSON(t, f.desktopPath()), "mcpServers", ServerName, "env", "HUBSPOT_SENDER_ACTOR_ID")
	}
	t.Run("no answer: the reason is said, not an empty ()", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t)
		f.sb.InjectFault(sandbox.Fault{Path: "/crm/v3/owners", Drop: true, Times: -1})
		out, err := f.realToken("--client", "claude-desktop", "--sender", "riley.chen@juniper-outdoor.example")
		if err != nil || sender(t, f) != "riley.chen@juniper-outdoor.example" ||
			!strings.Contains(out, "Default sender: riley.chen@juniper-outdoor.example, written as given (could not read the agents list (") ||
			strings.Contains(out, "()") {
			t.Errorf("--sender by email: %v, sender %v\n%s", err, sender(t, f), out)
		}
		f2 := newFixture(t)
		f2.sb.InjectFault(sandbox.Fault{Path: "/crm/v3/owners", Drop: true, Times: -1})
		out, err = f2.run("y\n", "--client", "claude-desktop", "--token", sandbox.DefaultToken, "--base-url", f2.url)
		if err != nil || sender(t, f2) != nil || !strings.Contains(out, "No default sender was set: could not read the agents list (") ||
			strings.Contains(out, "()") {
			t.Errorf("asked: %v, sender %v\n%s", err, sender(t, f2), out)
		}
	})
	t.Run("an address not among the owners read, when there are more, asks for the actor ID", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t)
		// Every page of the owners list says another follows.
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path != "/crm/v3/owners" {
				f.sb.ServeHTTP(w, r)
				return
			}
			q := r.URL.Query()
			q.Del("after")
			r.URL.RawQuery = q.Encode()
			rec := httptest.NewRecorder()
			f.sb.ServeHTTP(rec, r)
			var page map[string]any
			if err := json.Unmarshal(rec.Body.Bytes(), &page); err != nil {
				t.Errorf("owners page: %v", err)
			}
			page["paging"] = map[string]any{"next": map[string]any{"after": "more"}}
			w.Header().Set("Content-Type", "application/json")
			_ = json.NewEncoder(w).Encode(page)
		}))
		t.Cleanup(srv.Close)
		f.url = srv.URL
		_, err := f.realToken("--client", "claude-desktop", "--sender", "taylor.quinlan@juniper-outdoor.example")
		oneLine(t, err, `--sender "taylor.quinlan@juniper-outdoor.example": none of the first 2000 owners of the account`,
			"pass the agent's actor ID (A-123) instead", "nothing was written")
		if _, err := os.Stat(f.desktopPath()); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("refused, yet %s exists", f.desktopPath())
		}
		out, err := f.realToken("--client", "claude-desktop", "--sender", "Sam.Okafor@juniper-outdoor.example")
		if err != nil || sender(t, f) != sandbox.OtherAgentActorID {
			t.Errorf("an address among the owners read: %v, sender %v\n%s", err, sender(t, f), out)
		}
	})
}

// TestBackupsAreNeverReplaced: two runs within one second (the fixture's
// clock stands still) keep two backups, and the first still holds the
// file the user had before setup ever ran.
func TestBackupsAreNeverReplaced(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	path := f.desktopPath()
	original := `{"globalShortcut":"Ctrl+Space"}`
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(original), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, sender := range []string{"A-1", "A-2", "A-3"} {
		if out, err := f.realToken("--client", "claude-desktop", "--sender", sender); err != nil {
			t.Fatalf("setup --sender %s: %v\n%s", sender, err, out)
		}
	}
	backups, _ := filepath.Glob(path + ".*.bak")
	if len(backups) != 3 {
		t.Fatalf("backups = %v; want one per run", backups)
	}
	found := false
	for _, b := range backups {
		data, _ := os.ReadFile(b)
		found = found || string(data) == original
	}
	if !found {
		t.Errorf("no backup holds the original file %s", original)
	}
}
