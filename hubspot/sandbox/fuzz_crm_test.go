package sandbox

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

func FuzzSearchContacts(f *testing.F) {
	for _, body := range []string{
		`{}`, `{"query":"maya thompson","limit":3,"after":"2"}`, `{"after":7,"limit":0}`,
		`{"filterGroups":[{"filters":[{"propertyName":"email","operator":"CONTAINS_TOKEN","value":"*@*.org"}]}],"sorts":[{"propertyName":"email","direction":"DESCENDING"}]}`,
		`{"filterGroups":[{"filters":[{"propertyName":"firstname","operator":"IN","values":["maya",3]}]},{"filters":[{"propertyName":"company","operator":"HAS_PROPERTY"}]}]}`,
		`{"filterGroups":[{"filters":[]}],"sorts":["x"],"limit":-4,"after":"-1"}`, `{"query":"**","properties":["phone","phone",""]}`,
		`[]`, `{"limit":1e3}`, `null`,
	} {
		f.Add(body)
	}
	s := New()
	f.Fuzz(func(t *testing.T, body string) {
		rec := serve(s, http.MethodPost, searchPath, "", body)
		if !json.Valid(rec.Body.Bytes()) {
			t.Fatalf("body %q: invalid JSON answer %q", body, rec.Body)
		}
		switch rec.Code {
		case http.StatusBadRequest:
			return
		case http.StatusOK:
		default:
			t.Fatalf("body %q: status %d %s", body, rec.Code, rec.Body)
		}
		var got struct {
			Total   int               `json:"total"`
			Results []json.RawMessage `json:"results"`
		}
		var asked struct {
			Limit *int `json:"limit"`
		}
		_ = json.Unmarshal([]byte(body), &asked)
		if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil || got.Results == nil {
			t.Fatalf("body %q: answer %s (%v)", body, rec.Body, err)
		}
		limit := defaultSearchLimit
		if asked.Limit != nil {
			limit = *asked.Limit
		}
		if len(got.Results) > limit || len(got.Results) > got.Total || got.Total > 30 {
			t.Fatalf("body %q: %d results of %d", body, len(got.Results), got.Total)
		}
	})
}

func FuzzGetContact(f *testing.F) {
	for _, tc := range [][2]string{
		{VisitorContactID, ""}, {"maya.thompson@example.com", "idProperty=email&properties=email,phone"},
		{ArchivedContactID, "archived=true"}, {"x", "idProperty=lastname"}, {"3501", "archived=1&properties="},
	} {
		f.Add(tc[0], tc[1])
	}
	s := New()
	f.Fuzz(func(t *testing.T, id, rawQuery string) {
		if _, err := url.ParseQuery(rawQuery); err != nil || id == "" {
			return
		}
		rec := serve(s, http.MethodGet, contactsPath+"/"+url.PathEscape(id), rawQuery, "")
		switch rec.Code {
		case http.StatusOK, http.StatusBadRequest, http.StatusNotFound:
		case http.StatusMovedPermanently, http.StatusTemporaryRedirect: // ServeMux cleaning a path like "." or ".."
		default:
			t.Fatalf("%q ? %q: status %d %s", id, rawQuery, rec.Code, rec.Body)
		}
		if rec.Code != http.StatusMovedPermanently && rec.Code != http.StatusTemporaryRedirect && !json.Valid(rec.Body.Bytes()) {
			t.Fatalf("%q ? %q: invalid JSON %q", id, rawQuery, rec.Body)
		}
	})
}

func FuzzOwnersQuery(f *testing.F) {
	for _, q := range []string{"", "limit=2", "archived=true&email=MORGAN.ellis@juniper-outdoor.example", "after=%%", "limit=99999999999", "after=W10"} {
		f.Add(q)
	}
	s := New()
	f.Fuzz(func(t *testing.T, raw string) {
		if _, err := url.ParseQuery(raw); err != nil {
			return
		}
		rec := serve(s, http.MethodGet, ownersPath, raw, "")
		if (rec.Code != http.StatusOK && rec.Code != http.StatusBadRequest) || !json.Valid(rec.Body.Bytes()) {
			t.Fatalf("query %q: status %d %s", raw, rec.Code, rec.Body)
		}
	})
}

// FuzzGlobMatch checks globMatch against the regular expression it stands
// for.
func FuzzGlobMatch(f *testing.F) {
	for _, tc := range [][2]string{
		{"*@example.org", "maya.lindgren@example.org"}, {"thom*", "thompson"}, {"a*b*c", "aXbYbc"}, {"**", ""},
		{"*", "é"}, {"a?b", "a?b"}, {"x*", "y"}, {"*a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"},
	} {
		f.Add(tc[0], tc[1])
	}
	f.Fuzz(func(t *testing.T, pattern, s string) {
		if !utf8.ValidString(pattern) || !utf8.ValidString(s) || len(pattern) > 64 || len(s) > 64 {
			return
		}
		parts := strings.Split(pattern, "*")
		for i, p := range parts {
			parts[i] = regexp.QuoteMeta(p)
		}
		re := regexp.MustCompile(`(?s)\A` + strings.Join(parts, ".*") + `\z`)
		if got, want := globMatch(pattern, s), re.MatchString(s); got != want {
			t.Fatalf("globMatch(%q, %q) = %t, want %t", pattern, s, got, want)
		}
	})
}
