package setup

import (
	"bytes"
	"encoding/json"
	"testing"
)

// FuzzMergeConfig: whatever an existing configuration holds, setup either
// refuses it or keeps every member of it, adds exactly its own entry, and
// writes JSON that means the same apart from that entry.
func FuzzMergeConfig(f *testing.F) {
	for _, seed := range []string{
		``, `{}`, `{"mcpServers":{}}`, `{"a":1,"mcpServers":{"x":{"command":"y"}},"b":[1,{"c":null}]}`,
		`{"servers":{},"inputs":[{"id":"hubspot-access-token"}]}`, `{"mcpServers":null}`, `[]`, `{"a":1}{}`,
		`{"mcpServers":{"hubspot-conversations":{"command":"old"}},"z":"\u00e9\u2028"}`, `{"a":`, `{"dup":1,"dup":2}`,
	} {
		f.Add([]byte(seed))
	}
	c, _ := findClient("vscode")
	d, _ := findClient("claude-desktop")
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, cl := range []client{c, d} {
			root, err := parseObject(data)
			if err != nil {
				continue
			}
			before := len(root.members)
			if _, err := cl.apply(root, entry{command: "/bin/x", token: "t"}, scopeUser); err != nil {
				continue
			}
			out := root.marshal("")
			var after map[string]json.RawMessage
			if err := json.Unmarshal(out, &after); err != nil {
				t.Fatalf("%s: wrote invalid JSON %q from %q: %v", cl.name, out, data, err)
			}
			if len(root.members) < before {
				t.Fatalf("%s: lost members of %q", cl.name, data)
			}
			var servers map[string]json.RawMessage
			if err := json.Unmarshal(after[cl.serversKey], &servers); err != nil || servers[ServerName] == nil {
				t.Fatalf("%s: no entry in %s", cl.name, out)
			}
			// Every other member reads back as it was.
			var orig map[string]json.RawMessage
			if len(bytes.TrimSpace(data)) > 0 && json.Unmarshal(data, &orig) == nil {
				for k, v := range orig {
					if k == cl.serversKey || k == "inputs" {
						continue
					}
					if !sameJSON(t, v, after[k]) {
						t.Fatalf("%s: member %q changed from %s to %s", cl.name, k, v, after[k])
					}
				}
			}
		}
	})
}

func sameJSON(t *testing.T, a, b json.RawMessage) bool {
	t.Helper()
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	ja, _ := json.Marshal(x)
	jb, _ := json.Marshal(y)
	return bytes.Equal(ja, jb)
}
