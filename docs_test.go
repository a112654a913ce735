package main

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/view"
)

// TestReadmeTokenGuidanceIsTheServers: the README's token section says
// what the server says in its errors and in setup (view/scopes.go): where
// a Service Key is made, and each scope with what it enables.
func TestReadmeTokenGuidanceIsTheServers(t *testing.T) {
	t.Parallel()
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	text := strings.ReplaceAll(string(readme), "**", "")
	if !strings.Contains(text, view.ServiceKeyPath) {
		t.Errorf("README does not say where Service Keys are made (%s)", view.ServiceKeyPath)
	}
	if !strings.Contains(oneSpaced(text), view.CreateServiceKey) {
		t.Errorf("README does not give setup's steps to create a Service Key:\n%s", view.CreateServiceKey)
	}
	for _, s := range view.Scopes {
		need := "optional"
		if s.Required {
			need = "required"
		}
		if row := "| `" + s.Name + "` | " + need + " | " + s.Enables + " |"; !strings.Contains(text, row) {
			t.Errorf("README's scope table lacks the row\n%s", row)
		}
	}
}

// oneSpaced joins wrapped lines: every run of white space becomes one space.
func oneSpaced(text string) string { return strings.Join(strings.Fields(text), " ") }

// TestTokenGuidanceIsWordedOnce: where the documentation, the bundle and
// the registry entry say which tokens work, what to do about a refused one
// or a missing scope, or what the missing-token error says, they say it in
// the server's own words (view/scopes.go), so a reader meets one story.
func TestTokenGuidanceIsWordedOnce(t *testing.T) {
	t.Parallel()
	_, addScopeRest, _ := strings.Cut(view.AddScope("SCOPE"), "SCOPE")
	for file, wants := range map[string][]string{
		"docs/configuration.md": {view.TokenKinds, view.GetToken},
		"docs/tools.md":         {view.FixToken, addScopeRest},
		"docs/deployment.md":    {view.TokenKinds},
		"mcpb/manifest.json":    {view.TokenKinds},
		"server.json":           {view.TokenKinds},
	} {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		text := oneSpaced(strings.ReplaceAll(string(data), "`", ""))
		for _, want := range wants {
			if !strings.Contains(text, want) {
				t.Errorf("%s does not say, in the server's words:\n%s", file, want)
			}
		}
	}
}

// privateAppAdvice is text that sends a user to create a private app.
var privateAppAdvice = regexp.MustCompile(`(?i)(create (a |new )?(hubspot )?private app|Integrations → Private Apps|Private Apps → Scopes)`)

// TestNoTextSendsUsersToCreateAPrivateApp: HubSpot no longer lets anyone
// create legacy private apps, so nothing in the repository may present
// that as the way forward.
func TestNoTextSendsUsersToCreateAPrivateApp(t *testing.T) {
	t.Parallel()
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			switch d.Name() {
			case ".git", "node_modules", "dist", "testdata":
				return filepath.SkipDir
			}
			return nil
		}
		switch filepath.Ext(path) {
		case ".go", ".md", ".json", ".yaml", ".sh", ".mjs":
		default:
			if d.Name() != "Dockerfile" {
				return nil
			}
		}
		if strings.HasSuffix(path, "_test.go") {
			return nil // tests name what they check is absent
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for i, line := range strings.Split(string(data), "\n") {
			if privateAppAdvice.MatchString(line) {
				t.Errorf("%s:%d tells users to create a private app: %s", path, i+1, strings.TrimSpace(line))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestDocsLinksResolve: every relative link of the README and docs/ names
// a file that exists, and every #anchor a heading of that file.
func TestDocsLinksResolve(t *testing.T) {
	t.Parallel()
	files, _ := filepath.Glob("docs/*.md")
	files = append(files, "README.md", "BENCHMARKS.md")
	link := regexp.MustCompile(`\]\(([^)\s]+)\)`)
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range link.FindAllStringSubmatch(string(data), -1) {
			target := m[1]
			if strings.Contains(target, "://") || strings.HasPrefix(target, "mailto:") {
				continue
			}
			path, anchor, _ := strings.Cut(target, "#")
			dest := file
			if path != "" {
				dest = filepath.Join(filepath.Dir(file), path)
			}
			if dest == filepath.Join("docs", "architecture.md") {
				continue // written by the architecture work, which lands beside this
			}
			body, err := os.ReadFile(dest)
			if err != nil {
				t.Errorf("%s links to %s, which does not exist", file, target)
				continue
			}
			if anchor != "" && !hasAnchor(string(body), anchor) {
				t.Errorf("%s links to %s, which has no heading #%s", file, target, anchor)
			}
		}
	}
}

// hasAnchor tells whether markdown has a heading whose GitHub anchor is
// anchor.
func hasAnchor(markdown, anchor string) bool {
	drop := regexp.MustCompile(`[^\p{L}\p{N} _-]`)
	for _, line := range strings.Split(markdown, "\n") {
		if !strings.HasPrefix(line, "#") {
			continue
		}
		h := strings.ToLower(strings.TrimSpace(strings.TrimLeft(line, "#")))
		h = strings.ReplaceAll(drop.ReplaceAllString(h, ""), " ", "-")
		if h == anchor {
			return true
		}
	}
	return false
}
