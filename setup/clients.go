package setup

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
)

// ServerName is the name of our entry in every client's configuration.
const ServerName = "hubspot-conversations"

// tokenVar is the variable the server reads its HubSpot token from.
const tokenVar = "HUBSPOT_ACCESS_TOKEN"

// vscodeInputID is the VS Code input that holds the token: VS Code asks
// for it once and keeps it in its secret storage, not in mcp.json.
const vscodeInputID = "hubspot-access-token"

// Scopes of a client's configuration.
const (
	scopeUser    = "user"
	scopeProject = "project"
)

// place is where a client's configuration lives, from the surroundings
// setup runs in (faked by tests).
type place struct {
	goos   string
	home   string
	dir    string // the project directory, for project scope
	lookup func(string) (string, bool)
}

// env returns an environment variable, "" when unset.
func (p place) env(name string) string {
	v, _ := p.lookup(name)
	return v
}

// configHome is the per-user configuration folder: ~/Library/Application
// Support on macOS, %APPDATA% on Windows, $XDG_CONFIG_HOME (default
// ~/.config) elsewhere.
func (p place) configHome() string {
	switch p.goos {
	case "darwin":
		return filepath.Join(p.home, "Library", "Application Support")
	case "windows":
		if v := p.env("APPDATA"); v != "" {
			return v
		}
		return filepath.Join(p.home, "AppData", "Roaming")
	}
	if v := p.env("XDG_CONFIG_HOME"); v != "" && filepath.IsAbs(v) {
		return v
	}
	return filepath.Join(p.home, ".config")
}

// entry is the server as a client should start it.
type entry struct {
	command string
	args    []string
	// env holds the variables in order; the token's value is the token
	// itself, or the reference the client expands (tokenRef).
	env [][2]string
	// token is the token to configure; empty for the sandbox.
	token string
}

// client is one assistant whose configuration setup writes.
type client struct {
	name  string // as --client takes it
	title string
	// scopes are the configuration scopes it has, the default first.
	scopes []string
	path   func(p place, scope string) string
	// tokenRef is the value written in place of the token for scope, or
	// "" to write the token itself (in a file only its user can read).
	tokenRef func(scope string) string
	// serversKey is the object holding the servers.
	serversKey string
	// typed clients want "type": "stdio" in each server.
	typed bool
	// after is what the user does next.
	after func(scope string) string
}

var clients = []client{
	{
		name: "claude-desktop", title: "Claude Desktop", scopes: []string{scopeUser},
		path: func(p place, _ string) string {
			return filepath.Join(p.configHome(), "Claude", "claude_desktop_config.json")
		},
		tokenRef:   func(string) string { return "" },
		serversKey: "mcpServers",
		after: func(string) string {
			return "Quit and reopen Claude Desktop; the HubSpot tools then show in a chat's tools menu."
		},
	},
	{
		name: "claude-code", title: "Claude Code", scopes: []string{scopeUser, scopeProject},
		path: func(p place, scope string) string {
			if scope == scopeProject {
				return filepath.Join(p.dir, ".mcp.json")
			}
			return filepath.Join(p.home, ".claude.json")
		},
		tokenRef: func(scope string) string {
			if scope == scopeProject {
				return "${" + tokenVar + "}" // .mcp.json is meant to be committed
			}
			return ""
		},
		serversKey: "mcpServers", typed: true,
		after: func(scope string) string {
			s := "Run `claude mcp list` to see it; in a running Claude Code session, /mcp reconnects."
			if scope == scopeProject {
				s = "Export " + tokenVar + " in the shell that starts claude (the file refers to it and holds no token). " + s
			}
			return s
		},
	},
	{
		name: "cursor", title: "Cursor", scopes: []string{scopeUser, scopeProject},
		path: func(p place, scope string) string {
			if scope == scopeProject {
				return filepath.Join(p.dir, ".cursor", "mcp.json")
			}
			return filepath.Join(p.home, ".cursor", "mcp.json")
		},
		tokenRef: func(scope string) string {
			if scope == scopeProject {
				return "${env:" + tokenVar + "}"
			}
			return ""
		},
		serversKey: "mcpServers",
		after: func(scope string) string {
			s := "Open Cursor's MCP settings and check that " + ServerName + " is on."
			if scope == scopeProject {
				s = "Set " + tokenVar + " in the environment Cursor starts from (the file refers to it and holds no token). " + s
			}
			return s
		},
	},
	{
		name: "vscode", title: "VS Code", scopes: []string{scopeUser, scopeProject},
		path: func(p place, scope string) string {
			if scope == scopeProject {
				return filepath.Join(p.dir, ".vscode", "mcp.json")
			}
			return filepath.Join(p.configHome(), "Code", "User", "mcp.json")
		},
		tokenRef:   func(string) string { return "${input:" + vscodeInputID + "}" },
		serversKey: "servers", typed: true,
		after: func(string) string {
			return "In VS Code, run \"MCP: List Servers\" and start " + ServerName +
				"; VS Code asks for the HubSpot token once and keeps it in its secret storage (paste the same token)."
		},
	},
}

// clientNames lists the --client values.
func clientNames() string {
	names := make([]string, len(clients))
	for i, c := range clients {
		names[i] = c.name
	}
	return strings.Join(names, "|")
}

func findClient(name string) (client, bool) {
	i := slices.IndexFunc(clients, func(c client) bool { return c.name == strings.ToLower(strings.TrimSpace(name)) })
	if i < 0 {
		return client{}, false
	}
	return clients[i], true
}

// server renders e as c's server object, with the token written as c
// wants it for scope. holdsSecret tells whether the token itself is in it.
func (c client) server(e entry, scope string) (raw json.RawMessage, holdsSecret bool) {
	o := &object{}
	if c.typed {
		o.set("type", mustJSON("stdio"))
	}
	o.set("command", mustJSON(e.command))
	if len(e.args) > 0 {
		o.set("args", mustJSON(e.args))
	}
	env := &object{}
	for _, kv := range e.env {
		env.set(kv[0], mustJSON(kv[1]))
	}
	if e.token != "" {
		value := c.tokenRef(scope)
		if value == "" {
			value, holdsSecret = e.token, true
		}
		env.set(tokenVar, mustJSON(value))
	}
	if len(env.members) > 0 {
		o.setChild("env", env)
	}
	return o.marshal(""), holdsSecret
}

// apply puts our server into the configuration root, replacing an entry
// of the same name where it stands and keeping everything else. For VS
// Code it also keeps exactly one input for the token.
func (c client) apply(root *object, e entry, scope string) (holdsSecret bool, err error) {
	servers, err := root.child(c.serversKey)
	if err != nil {
		return false, err
	}
	raw, holdsSecret := c.server(e, scope)
	servers.set(ServerName, raw)
	root.setChild(c.serversKey, servers)
	if c.name == "vscode" {
		if err := setVSCodeInput(root, e.token != ""); err != nil {
			return false, err
		}
	}
	return holdsSecret, nil
}

// setVSCodeInput keeps one "inputs" entry with our ID: a password prompt
// for the token when one is needed, none otherwise (the sandbox).
func setVSCodeInput(root *object, needed bool) error {
	var inputs []json.RawMessage
	if raw, ok := root.get("inputs"); ok && string(raw) != "null" {
		if err := json.Unmarshal(raw, &inputs); err != nil {
			return fmt.Errorf("its %q is not a list", "inputs")
		}
	}
	inputs = slices.DeleteFunc(inputs, func(in json.RawMessage) bool {
		var v struct {
			ID string `json:"id"`
		}
		return json.Unmarshal(in, &v) == nil && v.ID == vscodeInputID
	})
	if needed {
		in := &object{}
		in.set("type", mustJSON("promptString"))
		in.set("id", mustJSON(vscodeInputID))
		in.set("description", mustJSON("HubSpot access token (a Service Key) for "+ServerName))
		in.set("password", json.RawMessage("true"))
		inputs = append(inputs, in.marshal(""))
	}
	if len(inputs) == 0 {
		if _, ok := root.get("inputs"); !ok {
			return nil
		}
	}
	root.set("inputs", listJSON(inputs))
	return nil
}

// listJSON renders raw values as a JSON array.
func listJSON(items []json.RawMessage) json.RawMessage {
	if len(items) == 0 {
		return json.RawMessage("[]")
	}
	parts := make([]string, len(items))
	for i, it := range items {
		parts[i] = string(it)
	}
	return json.RawMessage("[" + strings.Join(parts, ",") + "]")
}

func isWindows() bool { return runtime.GOOS == "windows" }
