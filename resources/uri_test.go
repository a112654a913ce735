package resources

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/mark3labs/mcp-go/mcp"
)

func TestParseURI(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		uri  string
		want ref
	}{
		{"hubspot://inboxes", ref{kind: kindInboxes}},
		{"hubspot://inboxes/147959640", ref{kind: kindInbox, inboxID: "147959640"}},
		{"hubspot://inboxes/147959640/threads", ref{kind: kindInboxThreads, inboxID: "147959640"}},
		{"hubspot://inboxes/147959640/threads?status=OPEN", ref{kind: kindInboxThreads, inboxID: "147959640", status: "OPEN"}},
		{"hubspot://inboxes/1/threads?after=abc&status=closed", ref{kind: kindInboxThreads, inboxID: "1", status: "CLOSED", after: "abc"}},
		{"hubspot://inboxes/1/threads?status=", ref{kind: kindInboxThreads, inboxID: "1"}},
		{"hubspot://threads", ref{kind: kindThreads}},
		{"hubspot://threads?status=OPEN&after=MTIz", ref{kind: kindThreads, status: "OPEN", after: "MTIz"}},
		{"hubspot://threads/9000000101", ref{kind: kindThread, threadID: "9000000101"}},
		{"hubspot://threads/%39", ref{kind: kindThread, threadID: "9"}},
		{"hubspot://threads/9000000101/json", ref{kind: kindThreadJSON, threadID: "9000000101"}},
	} {
		got, err := parseURI(tc.uri)
		if err != nil {
			t.Errorf("parseURI(%q): %v", tc.uri, err)
			continue
		}
		if diff := cmp.Diff(tc.want, got, cmp.AllowUnexported(ref{})); diff != "" {
			t.Errorf("parseURI(%q) (-want +got):\n%s", tc.uri, diff)
		}
	}
}

func TestParseURI_RejectsWhatCouldChangeTheCall(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ uri, want string }{
		{"https://inboxes", "must start with hubspot://"},
		{"hubspot://inboxes/", "inboxId is required"},
		{"hubspot://inboxes/12ab", "inboxId must contain only digits"},
		{"hubspot://inboxes/1%2F2", "inboxId must contain only digits"},
		{"hubspot://inboxes/..%2Fthreads", "inboxId must contain only digits"},
		{"hubspot://threads/1/../2", "unknown resource"},
		{"hubspot://threads/12345678901234567890", "at most 19 digits"},
		{"hubspot://threads/1?status=OPEN", "takes no query parameters"},
		{"hubspot://threads/1#frag", "fragment"},
		{"hubspot://threads?status=PENDING", "status must be OPEN or CLOSED"},
		{"hubspot://threads?limit=5", "unknown query parameter"},
		{"hubspot://threads?status=OPEN&status=CLOSED", "only once"},
		{"hubspot://threads?after=a%20b", "after must be a cursor"},
		{"hubspot://threads/%zz", "bad escape"},
		{"hubspot://messages/1", "unknown resource"},
	} {
		_, err := parseURI(tc.uri)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("parseURI(%q) = %v, want an error with %q", tc.uri, err, tc.want)
		}
	}
}

// uriCorpus holds URIs of every form and near misses, each with the
// template that must serve it ("" for none).
var uriCorpus = []struct{ uri, template string }{
	{"hubspot://inboxes/147959640", InboxTemplate},
	{"hubspot://inboxes/147959640/threads", InboxThreadsTemplate},
	{"hubspot://inboxes/147959640/threads?status=OPEN", InboxThreadsTemplate},
	{"hubspot://inboxes/147959640/threads?status=OPEN&after=MTA", InboxThreadsTemplate},
	{"hubspot://threads", ThreadsTemplate},
	{"hubspot://threads?status=CLOSED", ThreadsTemplate},
	{"hubspot://threads/9000000101", ThreadTemplate},
	{"hubspot://threads/9000000101/json", ThreadJSONTemplate},
	{"hubspot://inboxes", ""}, // the static resource
	{"hubspot://inboxes/1/threads/2", ""},
	{"hubspot://threads/1/json/x", ""},
	{"hubspot://threads/1/messages", ""},
	{"hubspot://inboxes/1/json", ""},
}

// TestTemplates_EachURIMatchesOneTemplate guards against mcp-go's random
// choice when two templates match one URI.
func TestTemplates_EachURIMatchesOneTemplate(t *testing.T) {
	t.Parallel()
	cat := New(nil, Options{})
	templates := cat.Templates()
	for _, tc := range uriCorpus {
		var matched []string
		for _, tpl := range templates {
			if tpl.Template.URITemplate.Regexp().MatchString(tc.uri) {
				matched = append(matched, tpl.Template.URITemplate.Raw())
			}
		}
		var want []string
		if tc.template != "" {
			want = []string{tc.template}
		}
		if diff := cmp.Diff(want, matched); diff != "" {
			t.Errorf("templates matching %s (-want +got):\n%s", tc.uri, diff)
		}
	}
}

// TestTemplates_VariablesArriveAsStringSlices pins mcp-go v1.2.1's shape
// of template variables, and shows why handlers parse the URI instead.
func TestTemplates_VariablesArriveAsStringSlices(t *testing.T) {
	t.Parallel()
	tpl := mcp.NewResourceTemplate(InboxThreadsTemplate, "x")
	vars := tpl.URITemplate.Match("hubspot://inboxes/7/threads?status=OPEN")
	if got := vars.Get("inboxId").V; !cmp.Equal(got, []string{"7"}) {
		t.Errorf("inboxId = %#v, want []string{\"7\"}", got)
	}
	// Parameters in another order still match the template, but the
	// matcher loses every variable; parseURI does not.
	swapped := "hubspot://inboxes/7/threads?after=x&status=OPEN"
	if !tpl.URITemplate.Regexp().MatchString(swapped) {
		t.Fatalf("%s no longer matches", swapped)
	}
	if got := tpl.URITemplate.Match(swapped).Get("inboxId").V; len(got) != 0 {
		t.Logf("uritemplate now keeps inboxId %v for swapped parameters", got)
	}
	r, err := parseURI(swapped)
	if err != nil || r.inboxID != "7" || r.status != "OPEN" || r.after != "x" {
		t.Errorf("parseURI(%s) = %+v, %v", swapped, r, err)
	}
}

// FuzzParseURI checks parseURI on arbitrary input: it never panics, IDs it
// accepts are digits, canonical URIs round-trip, and where a template
// matches, it agrees with the template's own variables.
func FuzzParseURI(f *testing.F) {
	for _, tc := range uriCorpus {
		f.Add(tc.uri)
	}
	for _, s := range []string{"hubspot://threads/%39", "hubspot://inboxes/1/threads?after=%2F", "hubspot://threads?status=open",
		"hubspot://inboxes/1/threads?after=x&status=OPEN", "hubspot://threads/1\x00", "hubspot://inboxes/\u202e1", "hubspot:///threads"} {
		f.Add(s)
	}
	templates := New(nil, Options{}).Templates()
	f.Fuzz(func(t *testing.T, uri string) {
		r, err := parseURI(uri)
		if err != nil {
			return
		}
		for _, id := range []string{r.inboxID, r.threadID} {
			if strings.Trim(id, "0123456789") != "" || len(id) > 19 {
				t.Fatalf("parseURI(%q) accepted ID %q", uri, id)
			}
		}
		again, err := parseURI(r.uri())
		if err != nil {
			t.Fatalf("canonical %q of %q does not parse: %v", r.uri(), uri, err)
		}
		if again != r {
			t.Fatalf("round trip of %q: %+v, then %+v", uri, r, again)
		}
		for _, tpl := range templates {
			ut := tpl.Template.URITemplate
			if !ut.Regexp().MatchString(uri) {
				continue
			}
			vars := ut.Match(uri)
			for name, want := range map[string]string{"inboxId": r.inboxID, "threadId": r.threadID} {
				if got := firstValue(vars.Get(name).V); got != "" && got != want {
					t.Fatalf("%s: template %s gives %s=%q, parseURI %q", uri, ut.Raw(), name, got, want)
				}
			}
		}
	})
}

// firstValue reads a template variable as mcp-go passes it ([]string).
func firstValue(v any) string {
	if s, ok := v.([]string); ok && len(s) > 0 {
		return s[0]
	}
	return ""
}
