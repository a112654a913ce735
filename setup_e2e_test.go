package main

import (
	"encoding/json"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	gomcp "github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot/sandbox"
)

// fakeUser is a user account in a temporary folder on a machine without
// Go: HOME, XDG_CONFIG_HOME and APPDATA all point inside it, so setup
// writes nowhere else, and PATH is one empty folder, so neither setup nor
// the server it configures can reach a Go toolchain (or anything else).
// The server is the built binary copied to the user's Downloads folder, as
// a release binary would be.
type fakeUser struct {
	home, xdg, appdata, path string
	// binary is the downloaded server.
	binary string
}

func newFakeUser(t *testing.T) fakeUser {
	t.Helper()
	u := newFakeHome(t)
	u.binary = filepath.Join(u.home, "Downloads", filepath.Base(binPath))
	data, err := os.ReadFile(binPath)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(u.binary, data, 0o755); err != nil {
		t.Fatal(err)
	}
	return u
}

// newFakeHome is a fakeUser who runs the built binary where it is.
func newFakeHome(t *testing.T) fakeUser {
	t.Helper()
	root := t.TempDir()
	u := fakeUser{home: filepath.Join(root, "home"), xdg: filepath.Join(root, "xdg"), appdata: filepath.Join(root, "appdata"),
		path: filepath.Join(root, "empty-path")}
	for _, d := range []string{u.home, u.xdg, u.appdata, u.path, filepath.Join(u.home, "Downloads")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	u.binary = binPath
	return u
}

// env is the user's whole environment: no GOROOT, GOPATH, GOCACHE, and a
// PATH without go.
func (u fakeUser) env() []string {
	return []string{"PATH=" + u.path, "HOME=" + u.home, "USERPROFILE=" + u.home,
		"XDG_CONFIG_HOME=" + u.xdg, "APPDATA=" + u.appdata}
}

// noGo fails the test if a go command can be found on the user's PATH.
func (u fakeUser) noGo(t *testing.T) {
	t.Helper()
	for _, dir := range filepath.SplitList(u.path) {
		if entries, _ := os.ReadDir(dir); len(entries) > 0 {
			t.Fatalf("the fake user's PATH folder %s is not empty: %v", dir, entries)
		}
	}
}

// claudeDesktopConfig is where Claude Desktop keeps its configuration on
// this OS, for this user.
func (u fakeUser) claudeDesktopConfig() string {
	switch runtime.GOOS {
	case "darwin":
		return filepath.Join(u.home, "Library", "Application Support", "Claude", "claude_desktop_config.json")
	case "windows":
		return filepath.Join(u.appdata, "Claude", "claude_desktop_config.json")
	}
	return filepath.Join(u.xdg, "Claude", "claude_desktop_config.json")
}

// setup runs the downloaded binary's setup command as u.
func (u fakeUser) setup(t *testing.T, args ...string) string {
	t.Helper()
	cmd := exec.Command(u.binary, append([]string{"setup"}, args...)...)
	cmd.Env = u.env()
	cmd.Dir = u.home
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("setup %v: %v\n%s", args, err, out)
	}
	return string(out)
}

// configuredServer is a server entry as clients read it.
type configuredServer struct {
	Command string            `json:"command"`
	Args    []string          `json:"args"`
	Env     map[string]string `json:"env"`
}

// startConfigured starts the server exactly as the entry says, with the
// official Go SDK client over stdio, as the assistant would.
func startConfigured(t *testing.T, u fakeUser, s configuredServer) *gomcp.ClientSession {
	t.Helper()
	// exec.Command would look a bare name up on this test's PATH, where go
	// is; a client looks it up on the user's, where nothing is.
	if !filepath.IsAbs(s.Command) {
		t.Fatalf("the entry's command %q is not an absolute path, and the user's PATH holds nothing", s.Command)
	}
	cmd := exec.Command(s.Command, s.Args...)
	cmd.Env = u.env()
	for k, v := range s.Env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	client := gomcp.NewClient(&gomcp.Implementation{Name: "configured", Version: "1"}, nil)
	cs, err := client.Connect(t.Context(), &gomcp.CommandTransport{Command: cmd}, nil)
	if err != nil {
		t.Fatalf("start %s %v: %v\n%s", s.Command, s.Args, err, stderr.String())
	}
	t.Cleanup(func() { _ = cs.Close() })
	return cs
}

func toolNames(t *testing.T, cs *gomcp.ClientSession) []string {
	t.Helper()
	res, err := cs.ListTools(t.Context(), nil)
	if err != nil {
		t.Fatalf("tools/list: %v", err)
	}
	var names []string
	for _, tool := range res.Tools {
		names = append(names, tool.Name)
	}
	return names
}

// TestSetup_SandboxConfiguresClaudeDesktop is the first two minutes of a
// new user with only the downloaded binary and no Go: `setup --sandbox
// --client claude-desktop --yes` merges the server into an existing Claude
// Desktop configuration without losing anything (and keeps the file as it
// was in a backup), and the command it wrote, started with the user's
// environment (no Go on PATH), answers tools/list.
func TestSetup_SandboxConfiguresClaudeDesktop(t *testing.T) {
	t.Parallel()
	u := newFakeUser(t)
	u.noGo(t)
	path := u.claudeDesktopConfig()
	existing := `{"mcpServers":{"filesystem":{"command":"npx","args":["-y","@modelcontextprotocol/server-filesystem","/tmp"]}},"globalShortcut":"Alt+Space"}`
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(existing), 0o644); err != nil {
		t.Fatal(err)
	}

	out := u.setup(t, "--sandbox", "--client", "claude-desktop", "--yes")
	if !strings.Contains(out, "Updated") || !strings.Contains(out, "Claude Desktop") {
		t.Errorf("setup said:\n%s", out)
	}
	var cfg struct {
		MCPServers     map[string]json.RawMessage `json:"mcpServers"`
		GlobalShortcut string                     `json:"globalShortcut"`
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &cfg); err != nil {
		t.Fatalf("%s: %v\n%s", path, err, data)
	}
	if cfg.GlobalShortcut != "Alt+Space" || !strings.Contains(string(cfg.MCPServers["filesystem"]), "server-filesystem") {
		t.Errorf("the existing configuration was not kept:\n%s", data)
	}
	var ours configuredServer
	if err := json.Unmarshal(cfg.MCPServers["hubspot-conversations"], &ours); err != nil {
		t.Fatalf("no hubspot-conversations entry: %v\n%s", err, data)
	}
	// The command is the copy, as the binary knows its own path: as it was
	// started (macOS), or with the links of the temporary folder resolved
	// (Linux's /proc/self/exe). setup itself resolves no link.
	resolved, _ := filepath.EvalSymlinks(u.binary)
	if (ours.Command != u.binary && ours.Command != resolved) || !slices.Equal(ours.Args, []string{"--sandbox"}) {
		t.Errorf("entry = %+v; want %s --sandbox", ours, resolved)
	}
	backups, _ := filepath.Glob(path + ".*.bak")
	if len(backups) != 1 {
		t.Fatalf("backups = %v; want one", backups)
	}
	if b, _ := os.ReadFile(backups[0]); string(b) != existing {
		t.Errorf("backup = %s; want the file as it was", b)
	}

	names := toolNames(t, startConfigured(t, u, ours))
	for _, name := range []string{"list_threads", "send_message", "get_thread"} {
		if !slices.Contains(names, name) {
			t.Errorf("tools/list of the configured server lacks %s: %v", name, names)
		}
	}

	// Running it again replaces the entry; nothing is duplicated.
	u.setup(t, "--sandbox", "--client", "claude-desktop", "--yes")
	again, _ := os.ReadFile(path)
	if string(again) != string(data) {
		t.Errorf("a second run changed the file:\n%s\n---\n%s", data, again)
	}
}

// TestSetup_TokenConfiguresClaudeCode: a real token (here the sandbox's,
// on its own HTTP server) is checked, written into Claude Code's user
// configuration with mode 0600, and the configured server reads the inbox.
func TestSetup_TokenConfiguresClaudeCode(t *testing.T) {
	t.Parallel()
	sb := httptest.NewServer(sandbox.New())
	t.Cleanup(sb.Close)
	u := newFakeUser(t)
	cmd := exec.Command(u.binary, "setup", "--client", "claude-code", "--yes", "--base-url", sb.URL)
	cmd.Env = append(u.env(), "HUBSPOT_ACCESS_TOKEN="+sandbox.DefaultToken)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("setup: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "present    conversations.read") || strings.Contains(string(out), sandbox.DefaultToken) {
		t.Errorf("setup said:\n%s", out)
	}
	path := filepath.Join(u.home, ".claude.json")
	if info, err := os.Stat(path); err != nil || (runtime.GOOS != "windows" && info.Mode().Perm() != 0o600) {
		t.Fatalf("%s: %v %v; want a file of mode 0600", path, info, err)
	}
	var cfg struct {
		MCPServers map[string]configuredServer `json:"mcpServers"`
	}
	data, _ := os.ReadFile(path)
	if err := json.Unmarshal(data, &cfg); err != nil {
		t.Fatal(err)
	}
	ours := cfg.MCPServers["hubspot-conversations"]
	if ours.Env["HUBSPOT_ACCESS_TOKEN"] != sandbox.DefaultToken || ours.Env["HUBSPOT_BASE_URL"] != sb.URL {
		t.Fatalf("entry env = %v", ours.Env)
	}
	cs := startConfigured(t, u, ours)
	res, err := cs.CallTool(t.Context(), &gomcp.CallToolParams{Name: "list_inboxes", Arguments: map[string]any{}})
	if err != nil || res.IsError {
		t.Fatalf("list_inboxes through the configured server: %v %+v", err, res)
	}
}
