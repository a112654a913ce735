package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/tools"
)

// registryModule ships the MCP Registry's server.json schemas
// (internal/validators/schemas/<version>.json), which the registry's own
// validator embeds.
const registryModule = "github.com/modelcontextprotocol/registry@v1.8.9"

// serverSchema compiles the 2025-12-11 server.json schema from the
// registry module in the module cache, downloading it through the Go
// module proxy when needed. Outside CI, without the module and without a
// network, the test is skipped; in CI it fails.
func serverSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	cmd := exec.Command("go", "mod", "download", "-json", registryModule)
	cmd.Dir = t.TempDir() // outside this module: its go.mod stays as it is
	out, err := cmd.Output()
	var mod struct{ Dir, Error string }
	_ = json.Unmarshal(out, &mod)
	if err != nil || mod.Dir == "" {
		if os.Getenv("CI") == "" {
			t.Skipf("the MCP Registry module is not in the module cache and cannot be downloaded (%v %s)", err, mod.Error)
		}
		t.Fatalf("go mod download %s: %v %s", registryModule, err, mod.Error)
	}
	path := filepath.Join(mod.Dir, "internal", "validators", "schemas", "2025-12-11.json")
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource("https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json", doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile("https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// serverJSON is what the tests read of a server.json.
type serverJSON struct {
	Schema   string `json:"$schema"`
	Name     string `json:"name"`
	Version  string `json:"version"`
	Packages []struct {
		RegistryType         string `json:"registryType"`
		Identifier           string `json:"identifier"`
		FileSha256           string `json:"fileSha256"`
		EnvironmentVariables []struct {
			Name       string `json:"name"`
			IsSecret   bool   `json:"isSecret"`
			IsRequired bool   `json:"isRequired"`
		} `json:"environmentVariables"`
	} `json:"packages"`
}

// checkServerJSON validates path against the registry's schema and this
// repository's rules: the release URL pattern, the token a required
// secret, and a SHA-256 for every bundle.
func checkServerJSON(t *testing.T, schema *jsonschema.Schema, path string, bundles int) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if err := schema.Validate(inst); err != nil {
		t.Fatalf("%s does not validate against the 2025-12-11 schema:\n%v", path, err)
	}
	var s serverJSON
	if err := json.Unmarshal(data, &s); err != nil {
		t.Fatal(err)
	}
	if s.Schema != "https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json" {
		t.Errorf("$schema = %s", s.Schema)
	}
	release := regexp.MustCompile(`^https://github\.com/hubspot-conversations-mcp/hubspot-conversations-mcp/releases/download/v` +
		regexp.QuoteMeta(s.Version) + `/hubspot-conversations-mcp_` + regexp.QuoteMeta(s.Version) + `_(linux|darwin|windows)_(amd64|arm64)\.mcpb$`)
	var mcpb, oci []string
	for _, p := range s.Packages {
		switch p.RegistryType {
		case "mcpb":
			mcpb = append(mcpb, p.Identifier)
			if !release.MatchString(p.Identifier) {
				t.Errorf("bundle URL %s does not follow the release pattern", p.Identifier)
			}
			if !regexp.MustCompile(`^[0-9a-f]{64}$`).MatchString(p.FileSha256) {
				t.Errorf("bundle %s has no SHA-256", p.Identifier)
			}
		case "oci":
			oci = append(oci, p.Identifier)
			if !strings.HasSuffix(p.Identifier, ":"+s.Version) {
				t.Errorf("image %s is not tagged %s", p.Identifier, s.Version)
			}
		}
		i := slices.IndexFunc(p.EnvironmentVariables, func(v struct {
			Name       string `json:"name"`
			IsSecret   bool   `json:"isSecret"`
			IsRequired bool   `json:"isRequired"`
		}) bool {
			return v.Name == "HUBSPOT_ACCESS_TOKEN"
		})
		if i < 0 || !p.EnvironmentVariables[i].IsSecret || !p.EnvironmentVariables[i].IsRequired {
			t.Errorf("package %s: HUBSPOT_ACCESS_TOKEN must be a required secret", p.Identifier)
		}
	}
	if len(oci) != 1 || len(mcpb) != bundles {
		t.Errorf("%s describes images %v and %d bundles; want one image and %d bundles", path, oci, len(mcpb), bundles)
	}
}

// TestServerJSON validates the repository's server.json offline against
// the MCP Registry's 2025-12-11 schema, with the JSON Schema library the
// tools' schemas are checked with. RELEASE_SERVER_JSON names a server.json
// a release build wrote (.ci/release/release.sh), checked the same way
// with RELEASE_BUNDLES bundles (default 6).
func TestServerJSON(t *testing.T) {
	t.Parallel()
	schema := serverSchema(t)
	checkServerJSON(t, schema, "server.json", 6)
	if path := os.Getenv("RELEASE_SERVER_JSON"); path != "" {
		n := 6
		if v := os.Getenv("RELEASE_BUNDLES"); v != "" {
			if _, err := fmt.Sscan(v, &n); err != nil {
				t.Fatalf("RELEASE_BUNDLES=%q", v)
			}
		}
		checkServerJSON(t, schema, path, n)
	}
}

// TestDockerfileNamesTheServer: the MCP Registry checks the image's
// io.modelcontextprotocol.server.name label against server.json's name.
func TestDockerfileNamesTheServer(t *testing.T) {
	t.Parallel()
	var s serverJSON
	data, err := os.ReadFile("server.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &s); err != nil {
		t.Fatal(err)
	}
	dockerfile, err := os.ReadFile("Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	if want := `LABEL io.modelcontextprotocol.server.name="` + s.Name + `"`; !strings.Contains(string(dockerfile), want) {
		t.Errorf("Dockerfile lacks %s", want)
	}
}

// TestBundleManifestMatchesTheServer: the bundle's settings are the
// server's real variables, and what the token needs is the guidance
// everywhere else.
func TestBundleManifestMatchesTheServer(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile(filepath.Join("mcpb", "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Server struct {
			Type      string `json:"type"`
			MCPConfig struct {
				Env map[string]string `json:"env"`
			} `json:"mcp_config"`
		} `json:"server"`
		Tools []struct {
			Name        string `json:"name"`
			Description string `json:"description"`
		} `json:"tools"`
		UserConfig map[string]struct {
			Type        string `json:"type"`
			Description string `json:"description"`
			Sensitive   bool   `json:"sensitive"`
			Required    bool   `json:"required"`
			Default     any    `json:"default"`
		} `json:"user_config"`
	}
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	if m.Server.Type != "binary" {
		t.Errorf("server.type = %q, want binary", m.Server.Type)
	}
	ref := regexp.MustCompile(`^\$\{user_config\.([a-z_]+)\}$`)
	for name, value := range m.Server.MCPConfig.Env {
		if _, ok := envNames()[name]; !ok {
			t.Errorf("the bundle sets %s, which the server does not read", name)
		}
		key := ref.FindStringSubmatch(value)
		if key == nil {
			t.Errorf("%s = %q; want a ${user_config.…} reference", name, value)
			continue
		}
		uc, ok := m.UserConfig[key[1]]
		if !ok {
			t.Errorf("%s refers to an undefined user_config %s", name, key[1])
		}
		if !uc.Required && uc.Default == nil {
			t.Errorf("user_config %s is optional without a default: the server would get the literal %q", key[1], value)
		}
	}
	token := m.UserConfig["hubspot_access_token"]
	if !token.Sensitive || !token.Required || !strings.Contains(token.Description, "Development → Keys → Service keys") {
		t.Errorf("the token setting %+v must be required, sensitive and say where a Service Key is made", token)
	}
	for _, key := range []string{"sender_actor_id", "confirm_writes", "read_only"} {
		if _, ok := m.UserConfig[key]; !ok {
			t.Errorf("user_config lacks %s", key)
		}
	}
	// The tools Claude Desktop shows before installing are the server's,
	// each with the first sentence of its description.
	var want, got []string
	for _, tool := range tools.All(nil, tools.Config{}) {
		d := tool.Tool.Description
		if i := strings.Index(d, ". "); i >= 0 {
			d = d[:i]
		}
		want = append(want, manifestTool(tool.Tool.Name, strings.TrimSuffix(d, ".")))
	}
	for _, tool := range m.Tools {
		got = append(got, manifestTool(tool.Name, tool.Description))
	}
	if slices.Equal(got, want) {
		return
	}
	block := regexp.MustCompile(`(?s)\n  "tools": \[\n.*?\n  \],\n`)
	if os.Getenv("UPDATE_SNAPSHOTS") != "" && block.Match(data) {
		data = block.ReplaceAllLiteral(data, []byte("\n  \"tools\": [\n    "+strings.Join(want, ",\n    ")+"\n  ],\n"))
		if err := os.WriteFile(filepath.Join("mcpb", "manifest.json"), data, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("mcpb/manifest.json's tools are not the server's; run UPDATE_SNAPSHOTS=1 go test -run TestBundleManifestMatchesTheServer . to rewrite them:\n%s", strings.Join(want, "\n"))
}

// manifestTool is one entry of the manifest's tools, as the file has it.
func manifestTool(name, description string) string {
	quote := func(s string) string {
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false)
		_ = enc.Encode(s)
		return strings.TrimSpace(b.String())
	}
	return `{"name": ` + quote(name) + `, "description": ` + quote(description) + `}`
}

// envNames are the environment variables Config reads.
func envNames() map[string]bool {
	names := map[string]bool{}
	t := reflect.TypeFor[Config]()
	for i := range t.NumField() {
		if tag, _, _ := strings.Cut(t.Field(i).Tag.Get("env"), ","); tag != "" {
			names[tag] = true
		}
	}
	return names
}
