package tools

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

// wantTools is the exact tool surface.
var wantTools = []string{
	"list_inboxes", "get_inbox", "list_channels", "get_channel", "list_channel_accounts", "get_channel_account",
	"list_threads", "search_threads", "get_thread", "update_thread", "archive_thread", "assign_thread", "unassign_thread",
	"list_messages", "get_message", "get_message_original_content", "send_message",
	"list_agents", "get_actor", "batch_get_actors", "create_visitor_token",
}

func toolNames(tools []server.ServerTool) []string {
	names := make([]string, len(tools))
	for i, t := range tools {
		names[i] = t.Tool.Name
	}
	return names
}

func TestAllInvariants(t *testing.T) {
	t.Parallel()
	all := All(nil, Config{})
	if diff := cmp.Diff(wantTools, toolNames(all)); diff != "" {
		t.Fatalf("tool names (-want +got):\n%s", diff)
	}
	namePattern := regexp.MustCompile(`^[a-z]+(_[a-z]+)*$`)
	perToolset := map[string]int{}
	seen := map[string]bool{}
	for _, st := range all {
		tool := st.Tool
		t.Run(tool.Name, func(t *testing.T) {
			if !namePattern.MatchString(tool.Name) {
				t.Errorf("name %q does not match %s", tool.Name, namePattern)
			}
			if seen[tool.Name] {
				t.Errorf("duplicate tool name %q", tool.Name)
			}
			seen[tool.Name] = true
			if tool.Title == "" || tool.Annotations.Title != "" {
				t.Errorf("title %q, annotation title %q: want the title set once, on the tool", tool.Title, tool.Annotations.Title)
			}
			if len(tool.Description) < 40 {
				t.Errorf("description %q is too short to guide a model", tool.Description)
			}
			a := tool.Annotations
			if a.ReadOnlyHint == nil || a.DestructiveHint == nil || a.IdempotentHint == nil || a.OpenWorldHint == nil {
				t.Fatalf("annotations %+v: all four hints must be set", a)
			}
			if *a.ReadOnlyHint && *a.DestructiveHint {
				t.Errorf("read-only tool marked destructive")
			}
			if *a.ReadOnlyHint && !*a.IdempotentHint {
				t.Errorf("read-only tool not marked idempotent")
			}
			if !*a.OpenWorldHint {
				t.Errorf("every tool talks to HubSpot, so openWorldHint must be true")
			}
			ts, ok := toolsetOf(tool.Name)
			if !ok || !slices.Contains(Toolsets(), ts) {
				t.Errorf("tool is in no known toolset (got %q)", ts)
			}
			perToolset[ts]++
			if st.Handler == nil {
				t.Errorf("no handler")
			}
			var in map[string]any
			if err := json.Unmarshal(tool.RawInputSchema, &in); err != nil {
				t.Fatalf("input schema: %v", err)
			}
			for _, k := range []string{"anyOf", "oneOf", "allOf", "not", "if"} {
				if _, ok := in[k]; ok {
					t.Errorf("input schema has top-level %s, which many clients reject", k)
				}
			}
			if in["type"] != "object" || in["additionalProperties"] != false {
				t.Errorf("input schema must be a closed object, got type %v additionalProperties %v", in["type"], in["additionalProperties"])
			}
			var out struct {
				Type       string         `json:"type"`
				Properties map[string]any `json:"properties"`
			}
			if err := json.Unmarshal(tool.RawOutputSchema, &out); err != nil || out.Type != "object" || len(out.Properties) == 0 {
				t.Errorf("no output schema (%v)", err)
			}
			if _, err := json.Marshal(tool); err != nil {
				t.Errorf("tool does not marshal (tools/list would fail): %v", err)
			}
		})
	}
	for _, ts := range Toolsets() {
		if perToolset[ts] == 0 {
			t.Errorf("toolset %q is empty", ts)
		}
	}
}

// wantAnnotations pins each write tool's hints: [destructive, idempotent].
var wantAnnotations = map[string][2]bool{
	"update_thread":        {false, true},
	"archive_thread":       {true, true},
	"assign_thread":        {false, true},
	"unassign_thread":      {false, true},
	"send_message":         {true, false},
	"create_visitor_token": {false, false},
}

func TestWriteToolAnnotations(t *testing.T) {
	t.Parallel()
	for _, st := range All(nil, Config{}) {
		a := st.Tool.Annotations
		want, write := wantAnnotations[st.Tool.Name]
		if *a.ReadOnlyHint == write {
			t.Errorf("%s: readOnlyHint %v, want %v", st.Tool.Name, *a.ReadOnlyHint, !write)
			continue
		}
		if write && (*a.DestructiveHint != want[0] || *a.IdempotentHint != want[1]) {
			t.Errorf("%s: destructive %v idempotent %v, want %v %v", st.Tool.Name, *a.DestructiveHint, *a.IdempotentHint, want[0], want[1])
		}
	}
}

// TestRegistryDescribesItsTools: each registry entry builds the tool it
// names, which Select annotates with the access it declares.
func TestRegistryDescribesItsTools(t *testing.T) {
	t.Parallel()
	for _, e := range registry {
		sel := Select(nil, Config{}, Filter{Tools: []string{e.name}})
		if len(sel) != 1 {
			t.Fatalf("selecting %s: %d tools", e.name, len(sel))
		}
		tool := sel[0].Tool
		if tool.Name != e.name {
			t.Errorf("registry entry %s builds %s", e.name, tool.Name)
		}
		if isReadOnly(tool) != e.access.readOnly || isTrue(tool.Annotations.DestructiveHint) != e.access.destructive {
			t.Errorf("%s: registry says %+v, annotations say %+v", e.name, e.access, tool.Annotations)
		}
	}
}

func TestSelect(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		filter  Filter
		want    []string
		wantErr string
	}{
		{name: "no filter keeps everything", want: wantTools},
		{name: "read-only drops every write tool", filter: Filter{ReadOnly: true}, want: []string{
			"list_inboxes", "get_inbox", "list_channels", "get_channel", "list_channel_accounts", "get_channel_account",
			"list_threads", "search_threads", "get_thread", "list_messages", "get_message", "get_message_original_content",
			"list_agents", "get_actor", "batch_get_actors",
		}},
		{name: "toolsets", filter: Filter{Toolsets: []string{"threads", "actors"}}, want: []string{
			"list_threads", "search_threads", "get_thread", "update_thread", "archive_thread", "assign_thread", "unassign_thread",
			"list_agents", "get_actor", "batch_get_actors",
		}},
		{name: "read-only toolset", filter: Filter{ReadOnly: true, Toolsets: []string{"messages", "visitors"}}, want: []string{
			"list_messages", "get_message", "get_message_original_content",
		}},
		{name: "only the named tools", filter: Filter{Tools: []string{"send_message", "list_threads"}}, want: []string{"list_threads", "send_message"}},
		{name: "excluded tools", filter: Filter{Toolsets: []string{"threads"}, Exclude: []string{"archive_thread", "unassign_thread"}}, want: []string{
			"list_threads", "search_threads", "get_thread", "update_thread", "assign_thread",
		}},
		{name: "named tools within their toolsets", filter: Filter{Toolsets: []string{"threads"}, Tools: []string{"get_thread"}}, want: []string{"get_thread"}},
		{name: "unknown tool is an error listing the known ones", filter: Filter{Tools: []string{"get_thread", "delete_thread"}},
			wantErr: `MCP_TOOLS: unknown tool "delete_thread"; known tools: ` + strings.Join(wantTools, ", ")},
		{name: "unknown excluded tool is an error", filter: Filter{Exclude: []string{"send_messages"}}, wantErr: `MCP_EXCLUDE_TOOLS: unknown tool "send_messages"; known tools: ` + strings.Join(wantTools, ", ")},
		{name: "a named write tool in read-only mode is an error", filter: Filter{ReadOnly: true, Tools: []string{"get_thread", "archive_thread"}},
			wantErr: "MCP_TOOLS names archive_thread, which changes HubSpot data, but MCP_READ_ONLY is set; remove it from MCP_TOOLS or unset MCP_READ_ONLY"},
		{name: "a named tool outside the toolsets is an error", filter: Filter{Toolsets: []string{"messages"}, Tools: []string{"get_thread"}},
			wantErr: "MCP_TOOLS names get_thread of toolset threads, which MCP_TOOLSETS leaves out; add threads to MCP_TOOLSETS or leave MCP_TOOLSETS empty"},
		{name: "a tool both named and excluded is an error", filter: Filter{Tools: []string{"get_thread"}, Exclude: []string{"get_thread"}},
			wantErr: "MCP_TOOLS names get_thread, which MCP_EXCLUDE_TOOLS removes; name it in only one of them"},
		{name: "unknown toolset is an error naming it", filter: Filter{Toolsets: []string{"threads", "tickets"}}, wantErr: `MCP_TOOLSETS: unknown toolset "tickets"; known toolsets: inboxes, channels, threads, messages, actors, visitors`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := tt.filter.Check()
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got := Select(nil, Config{}, tt.filter)
			if diff := cmp.Diff(tt.want, toolNames(got)); diff != "" {
				t.Errorf("selected (-want +got):\n%s", diff)
			}
			for _, st := range got {
				if tt.filter.ReadOnly && !isReadOnly(st.Tool) {
					t.Errorf("read-only selection has write tool %s", st.Tool.Name)
				}
			}
		})
	}
}

func TestToolsets(t *testing.T) {
	t.Parallel()
	want := []string{"inboxes", "channels", "threads", "messages", "actors", "visitors"}
	if diff := cmp.Diff(want, Toolsets()); diff != "" {
		t.Errorf("toolsets (-want +got):\n%s", diff)
	}
}

// updateSnapshots reports whether golden files should be rewritten.
func updateSnapshots() bool { return os.Getenv("UPDATE_SNAPSHOTS") == "1" }

const snapDir = "testdata/toolsnaps"

// TestToolSnapshots compares every tool definition with its frozen form in
// testdata/toolsnaps. UPDATE_SNAPSHOTS=1 rewrites them; with CI=true a
// missing snapshot fails instead of being created.
func TestToolSnapshots(t *testing.T) {
	t.Parallel()
	all := All(nil, Config{})
	for _, st := range all {
		t.Run(st.Tool.Name, func(t *testing.T) {
			t.Parallel()
			got := canonicalJSON(t, st.Tool)
			path := filepath.Join(snapDir, st.Tool.Name+".json")
			want, err := os.ReadFile(path)
			switch {
			case updateSnapshots() || (os.IsNotExist(err) && os.Getenv("CI") != "true"):
				if err := os.MkdirAll(snapDir, 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			case err != nil:
				t.Fatalf("snapshot %s: %v (run UPDATE_SNAPSHOTS=1 go test ./tools and review the diff)", path, err)
			}
			var wantV, gotV any
			if err := json.Unmarshal(want, &wantV); err != nil {
				t.Fatalf("snapshot %s: %v", path, err)
			}
			if err := json.Unmarshal(got, &gotV); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(wantV, gotV); diff != "" {
				t.Errorf("tool %s changed (-snapshot +now); if intended, run UPDATE_SNAPSHOTS=1 go test ./tools:\n%s", st.Tool.Name, diff)
			}
		})
	}
	t.Run("no orphan snapshots", func(t *testing.T) {
		t.Parallel()
		files, err := filepath.Glob(filepath.Join(snapDir, "*.json"))
		if err != nil {
			t.Fatal(err)
		}
		names := toolNames(all)
		for _, f := range files {
			if name := strings.TrimSuffix(filepath.Base(f), ".json"); !slices.Contains(names, name) {
				t.Errorf("snapshot %s belongs to no tool; delete it", f)
			}
		}
	})
}

// canonicalJSON encodes v with sorted keys and two-space indentation.
func canonicalJSON(t *testing.T, v any) []byte {
	t.Helper()
	raw, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var generic any
	if err := json.Unmarshal(raw, &generic); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(generic); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

const (
	readmePath  = "../docs/tools.md"
	beginMarker = "<!-- BEGIN TOOLS -->"
	endMarker   = "<!-- END TOOLS -->"
)

// TestReadmeTools checks the generated tools table of docs/tools.md (the
// tools reference the README links) against All.
// UPDATE_SNAPSHOTS=1 rewrites only the section between the markers.
func TestReadmeTools(t *testing.T) {
	t.Parallel()
	readme, err := os.ReadFile(readmePath)
	if err != nil {
		t.Fatal(err)
	}
	text := string(readme)
	begin := strings.Index(text, beginMarker)
	end := strings.Index(text, endMarker)
	if begin < 0 || end < begin {
		t.Fatalf("%s lacks %s … %s", readmePath, beginMarker, endMarker)
	}
	section := text[begin+len(beginMarker) : end]
	want := "\n" + markdownTable(All(nil, Config{}))
	if section == want {
		return
	}
	if updateSnapshots() {
		text = text[:begin+len(beginMarker)] + want + text[end:]
		if err := os.WriteFile(readmePath, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("the tools table of docs/tools.md is stale; run UPDATE_SNAPSHOTS=1 go test ./tools (-docs +generated):\n%s", cmp.Diff(section, want))
}

func TestMarkdownTable(t *testing.T) {
	t.Parallel()
	got := markdownTable([]server.ServerTool{
		{Tool: mcp.NewTool("get_thread", mcp.WithDescription("Get one | thread. More text."), mcp.WithToolAnnotation(readOnly.annotations()))},
		{Tool: mcp.NewTool("send_message", mcp.WithDescription("Send it"), mcp.WithToolAnnotation(access{destructive: true}.annotations()))},
		{Tool: mcp.NewTool("update_thread", mcp.WithDescription("Update it."), mcp.WithToolAnnotation(access{idempotent: true}.annotations()))},
	})
	want := "| Tool | Toolset | What it does | Annotations |\n|---|---|---|---|\n" +
		"| `get_thread` | threads | Get one \\| thread | read-only |\n" +
		"| `send_message` | messages | Send it | write, destructive |\n" +
		"| `update_thread` | threads | Update it | write |\n"
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("table (-want +got):\n%s", diff)
	}
}

// toolsetOf returns the toolset the registry puts a tool in.
func toolsetOf(name string) (string, bool) {
	for _, e := range registry {
		if e.name == name {
			return e.toolset, true
		}
	}
	return "", false
}

// markdownTable renders docs/tools.md's tools table: one row per tool with its
// toolset, the first sentence of its description and its access.
func markdownTable(tools []server.ServerTool) string {
	var b strings.Builder
	b.WriteString("| Tool | Toolset | What it does | Annotations |\n|---|---|---|---|\n")
	for _, t := range tools {
		ts, _ := toolsetOf(t.Tool.Name)
		b.WriteString("| `" + t.Tool.Name + "` | " + ts + " | " +
			strings.ReplaceAll(firstSentence(t.Tool.Description), "|", `\|`) + " | " + Access(t.Tool) + " |\n")
	}
	return b.String()
}

// firstSentence returns text up to its first ". ".
func firstSentence(text string) string {
	if i := strings.Index(text, ". "); i >= 0 {
		text = text[:i]
	}
	return strings.TrimSuffix(text, ".")
}
