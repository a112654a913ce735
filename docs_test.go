package main

import (
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
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

// TestReadmeIsAUsersPath: the README stays a user's path of at most 250
// lines (the rest lives in docs/), and opens with the two commands: the
// demo and the tests.
func TestReadmeIsAUsersPath(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(data), "\n"); n > 250 {
		t.Errorf("README.md is %d lines; the user's path fits in 250, the rest goes to docs/", n)
	}
	blocks := readmeShellBlocks(string(data))
	if len(blocks) == 0 || len(blocks[0]) != 2 ||
		!strings.HasPrefix(blocks[0][0], "go run . --sandbox call ") || !strings.HasPrefix(blocks[0][1], "go test -race ./...") {
		t.Errorf("the README's first commands are %q; want the demo (go run . --sandbox call …) and the tests (go test -race ./...)", blocks)
	}
}

// readmeShellBlocks returns the lines of each ```sh block of markdown.
func readmeShellBlocks(markdown string) [][]string {
	var blocks [][]string
	var cur []string
	in := false
	for _, line := range strings.Split(markdown, "\n") {
		switch {
		case !in && strings.TrimSpace(line) == "```sh":
			in, cur = true, nil
		case in && strings.TrimSpace(line) == "```":
			in = false
			blocks = append(blocks, cur)
		case in:
			cur = append(cur, line)
		}
	}
	return blocks
}

// shellWords splits a README command line as sh would for the simple
// quoting the README uses ('…' and "…"), and drops a trailing # comment.
func shellWords(line string) ([]string, error) {
	var words []string
	var w strings.Builder
	inWord := false
	for i := 0; i < len(line); i++ {
		switch c := line[i]; {
		case c == '\'' || c == '"':
			j := strings.IndexByte(line[i+1:], c)
			if j < 0 {
				return nil, fmt.Errorf("unbalanced %c in %s", c, line)
			}
			w.WriteString(line[i+1 : i+1+j])
			i += j + 1
			inWord = true
		case c == '#' && !inWord:
			i = len(line)
		case c == ' ' || c == '\t':
			if inWord {
				words = append(words, w.String())
				w.Reset()
				inWord = false
			}
		default:
			w.WriteByte(c)
			inWord = true
		}
	}
	if inWord {
		words = append(words, w.String())
	}
	return words, nil
}

// TestReadmeCommandsWorkAsWritten runs every command of the README and
// docs/ that needs neither a network, a HubSpot token, a person at the
// keyboard nor a long-running server, exactly as written, with the built
// binary in place of hubspot-conversations-mcp (and of go run .), for a
// user with an empty home: each must succeed and print something.
func TestReadmeCommandsWorkAsWritten(t *testing.T) {
	t.Parallel()
	files, _ := filepath.Glob("docs/*.md")
	ran := 0
	for _, file := range append([]string{"README.md"}, files...) {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, block := range readmeShellBlocks(string(data)) {
			for _, line := range block {
				words, err := shellWords(line)
				if err != nil {
					t.Fatal(err)
				}
				var args []string
				switch {
				case len(words) > 3 && words[0] == "go" && words[1] == "run" && words[2] == ".":
					args = words[3:]
				case len(words) > 0 && (words[0] == "./hubspot-conversations-mcp" || words[0] == "hubspot-conversations-mcp"):
					args = words[1:]
				default:
					continue // go test, go build, go install, docker, claude, curl, env-prefixed lines
				}
				switch {
				case slices.Contains(args, "&"):
					continue // a server left running: the HTTP tests cover it
				case (slices.Contains(args, "setup") || slices.Contains(args, "call") || len(args) == 0) && !slices.Contains(args, "--sandbox"):
					continue // a real token, or a person at the keyboard
				}
				t.Run(file+": "+strings.Join(args, " "), func(t *testing.T) {
					t.Parallel()
					u := newFakeHome(t)
					cmd := exec.Command(u.binary, args...)
					cmd.Env = u.env()
					cmd.Dir = u.home
					var stdout, stderr strings.Builder
					cmd.Stdout, cmd.Stderr = &stdout, &stderr
					if err := cmd.Run(); err != nil || strings.TrimSpace(stdout.String()) == "" {
						t.Errorf("%s: %s: %v\nstdout: %s\nstderr: %s", file, line, err, stdout.String(), stderr.String())
					}
				})
				ran++
			}
		}
	}
	if ran < 11 {
		t.Errorf("ran %d commands; want at least the README's demo, tools, tools NAME, call, help and two setups, and sandbox-crm.md's four calls", ran)
	}
}
