package sandbox

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

const searchPath = contactsPath + "/search"

type searchJSON struct {
	Total   *int          `json:"total"`
	Results []contactJSON `json:"results"`
	Paging  *pagingJSON   `json:"paging"`
}

func (s searchJSON) ids() []string {
	out := []string{}
	for _, c := range s.Results {
		out = append(out, c.ID)
	}
	return out
}

func (h *harness) search(body string) searchJSON {
	h.t.Helper()
	r := h.call(http.MethodPost, searchPath, body)
	r.want(h.t, http.StatusOK)
	var s searchJSON
	r.decode(h.t, &s)
	if s.Total == nil {
		h.t.Errorf("search %s: no total", body)
	}
	return s
}

func TestSearch_Matches(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	filter := func(prop, op, value string) string {
		return fmt.Sprintf(`{"propertyName":%q,"operator":%q,"value":%q}`, prop, op, value)
	}
	groups := func(gs ...[]string) string {
		var out []string
		for _, g := range gs {
			out = append(out, `{"filters":[`+strings.Join(g, ",")+`]}`)
		}
		return `"filterGroups":[` + strings.Join(out, ",") + `]`
	}
	maya, owen, lead := VisitorContactID, NamesakeContactID, LeadContactID
	for _, tc := range []struct {
		name, body string
		want       []string
	}{
		{"a last name two customers share, oldest first", `{"query":"thompson"}`, []string{owen, maya}},
		{"a full name", `{"query":"Maya Thompson"}`, []string{maya}},
		{"words in any order and property", `{"query":"thompson MAYA"}`, []string{maya}},
		{"a first name a customer and a lead share", `{"query":"maya"}`, []string{maya, lead}},
		{"part of a name", `{"query":"thomp"}`, []string{owen, maya}},
		{"an address", `{"query":"owen.thompson@example.com"}`, []string{owen}},
		{"a company name", `{"query":"guiding"}`, []string{lead}},
		{"the customer without a contact", `{"query":"sofia rossi"}`, nil},
		{"an archived contact", `{"query":"kessler"}`, nil},
		{"nobody", `{"query":"zebedee"}`, nil},
		{"email EQ, any case", `{` + groups([]string{filter("email", "EQ", "MAYA.Thompson@example.com")}) + `}`, []string{maya}},
		{"EQ is the whole value", `{` + groups([]string{filter("email", "EQ", "maya.thompson")}) + `}`, nil},
		{"a number for an ID", `{"filterGroups":[{"filters":[{"propertyName":"hs_object_id","operator":"EQ","value":3513}]}]}`, []string{owen}},
		{"CONTAINS_TOKEN: a word of the address", `{` + groups([]string{filter("email", "CONTAINS_TOKEN", "thompson")}) + `}`, []string{owen, maya}},
		{"CONTAINS_TOKEN: a wildcard domain", `{` + groups([]string{filter("email", "CONTAINS_TOKEN", "*@example.org")}) + `}`, []string{lead}},
		{"CONTAINS_TOKEN: a prefix", `{` + groups([]string{filter("lastname", "CONTAINS_TOKEN", "thom*")}) + `}`, []string{owen, maya}},
		{"CONTAINS_TOKEN is not a substring", `{` + groups([]string{filter("lastname", "CONTAINS_TOKEN", "homps")}) + `}`, nil},
		{"filters of a group are ANDed", `{` + groups([]string{filter("lastname", "EQ", "thompson"), filter("firstname", "EQ", "owen")}) + `}`, []string{owen}},
		{"groups are ORed", `{` + groups([]string{filter("firstname", "EQ", "Owen")}, []string{filter("email", "CONTAINS_TOKEN", "*@example.org")}) + `}`, []string{owen, lead}},
		{"query and filters both hold", `{"query":"maya",` + groups([]string{filter("lastname", "NEQ", "Thompson")}) + `}`, []string{lead}},
		{"HAS_PROPERTY", `{` + groups([]string{`{"propertyName":"company","operator":"HAS_PROPERTY"}`}) + `}`, []string{lead}},
		{"IN takes lower-case values", `{"filterGroups":[{"filters":[{"propertyName":"firstname","operator":"IN","values":["owen","maya"]}]}]}`, []string{owen, maya, lead}},
		{"IN with capitals matches nothing", `{"filterGroups":[{"filters":[{"propertyName":"firstname","operator":"IN","values":["Owen"]}]}]}`, nil},
		{"NOT_CONTAINS_TOKEN", `{"query":"thompson",` + groups([]string{filter("firstname", "NOT_CONTAINS_TOKEN", "o*")}) + `}`, []string{maya}},
		{"sort by last name descending", `{"query":"maya","sorts":[{"propertyName":"lastname","direction":"DESCENDING"}]}`, []string{maya, lead}},
		{"sort by ID", `{"query":"thompson","sorts":[{"propertyName":"hs_object_id"}]}`, []string{maya, owen}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := h.search(tc.body)
			want := tc.want
			if want == nil {
				want = []string{}
			}
			if diff := cmp.Diff(want, s.ids()); diff != "" {
				t.Errorf("%s (-want +got):\n%s", tc.body, diff)
			}
			if *s.Total != len(want) || s.Paging != nil {
				t.Errorf("total %d, paging %+v; want %d and none", *s.Total, s.Paging, len(want))
			}
		})
	}
}

func TestSearch_Properties(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	s := h.search(`{"query":"lindgren","properties":["company","phone","email"]}`)
	if len(s.Results) != 1 {
		t.Fatalf("results %v", s.ids())
	}
	got := map[string]string{}
	for k, v := range s.Results[0].Properties {
		got[k] = "<null>"
		if v != nil {
			got[k] = *v
		}
	}
	want := map[string]string{"company": "Lindgren Guiding AB", "phone": "<null>", "email": "maya.lindgren@example.org",
		"hs_object_id": LeadContactID, "createdate": "2026-10-18T05:00:00.000Z", "lastmodifieddate": "2026-11-08T02:00:00.000Z"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("properties (-want +got):\n%s", diff)
	}
	s = h.search(`{"query":"lindgren"}`)
	if p := s.Results[0].Properties; len(p) != 6 || p["firstname"] == nil || p["company"] != nil {
		t.Errorf("default properties %v", p)
	}
}

func TestSearch_Paging(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	var all []string
	body := func(after string) string {
		return `{"limit":7,"after":` + after + `,"properties":["email"],"sorts":[],"filterGroups":[]}`
	}
	after := `"0"`
	for range 10 {
		s := h.search(body(after))
		if *s.Total != 30 {
			t.Errorf("total %d, want 30 live contacts", *s.Total)
		}
		all = append(all, s.ids()...)
		if s.Paging == nil {
			break
		}
		if s.Paging.Next.Link != "" || s.Paging.Prev != nil {
			t.Errorf("search paging %+v: want only next.after", s.Paging)
		}
		n, err := strconv.Atoi(s.Paging.Next.After)
		if err != nil || n != len(all) {
			t.Fatalf("next.after %q after %d results", s.Paging.Next.After, len(all))
		}
		after = s.Paging.Next.After // a number is taken as well as a string
	}
	if len(all) != 30 || len(slices.Compact(slices.Sorted(slices.Values(all)))) != 30 {
		t.Errorf("pages gave %d contacts (%d distinct), want 30", len(all), len(slices.Compact(slices.Sorted(slices.Values(all)))))
	}
	if slices.Contains(all, ArchivedContactID) || slices.Contains(all, "3510") {
		t.Error("an archived contact, or the contactless visitor, was listed")
	}
	if s := h.search(body(`"30"`)); len(s.Results) != 0 || *s.Total != 30 || s.Paging != nil {
		t.Errorf("past the end: %+v", s)
	}
	if s := h.search(`{"limit":0}`); len(s.Results) != 0 || *s.Total != 30 {
		t.Errorf("limit 0: %d results, total %d", len(s.Results), *s.Total)
	}
	if s := h.search(`{}`); len(s.Results) != defaultSearchLimit {
		t.Errorf("default page of %d, want %d", len(s.Results), defaultSearchLimit)
	}
}

func TestSearch_Refusals(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	filters := func(groups, perGroup int) string {
		f := `{"propertyName":"email","operator":"HAS_PROPERTY"}`
		g := `{"filters":[` + strings.TrimSuffix(strings.Repeat(f+",", perGroup), ",") + `]}`
		return `{"filterGroups":[` + strings.TrimSuffix(strings.Repeat(g+",", groups), ",") + `]}`
	}
	one := func(f string) string { return `{"filterGroups":[{"filters":[` + f + `]}]}` }
	for _, tc := range []struct{ name, body, in string }{
		{"limit over 200", `{"limit":201}`, "limit"},
		{"negative limit", `{"limit":-1}`, "limit"},
		{"limit not a number", `{"limit":"ten"}`, "limit"},
		{"after not an offset", `{"after":"WyIxIl0"}`, "after"},
		{"after past 10,000", `{"after":"10000"}`, "after"},
		{"query over 3,000 characters", `{"query":"` + strings.Repeat("a", 3001) + `"}`, "query"},
		{"six groups", filters(6, 1), "filterGroups"},
		{"seven filters in a group", filters(1, 7), "filterGroups[0].filters"},
		{"19 filters in all", filters(4, 5), "filterGroups"},
		{"an empty group", `{"filterGroups":[{"filters":[]}]}`, "filterGroups[0].filters"},
		{"unknown property", one(`{"propertyName":"shoe_size","operator":"EQ","value":"10"}`), "filterGroups[0].filters[0]"},
		{"unknown operator", one(`{"propertyName":"email","operator":"LIKE","value":"x"}`), "filterGroups[0].filters[0]"},
		{"a range operator", one(`{"propertyName":"createdate","operator":"GT","value":"1"}`), "filterGroups[0].filters[0]"},
		{"EQ without a value", one(`{"propertyName":"email","operator":"EQ"}`), "filterGroups[0].filters[0]"},
		{"IN without values", one(`{"propertyName":"email","operator":"IN"}`), "filterGroups[0].filters[0]"},
		{"a value that is an object", one(`{"propertyName":"email","operator":"EQ","value":{}}`), "filterGroups"},
		{"two sorts", `{"sorts":[{"propertyName":"email"},{"propertyName":"lastname"}]}`, "sorts"},
		{"a sort as a string", `{"sorts":["-createdate"]}`, "sorts[0]"},
		{"a sort on an unknown property", `{"sorts":[{"propertyName":"shoe_size"}]}`, "sorts[0]"},
		{"a sort direction", `{"sorts":[{"propertyName":"email","direction":"UP"}]}`, "sorts[0]"},
		{"not JSON", `{"query":`, "body"},
		{"no body", ``, "body"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h.call(http.MethodPost, searchPath, tc.body).wantParamError(t, tc.in)
		})
	}
	t.Run("every problem at once", func(t *testing.T) {
		t.Parallel()
		e := h.call(http.MethodPost, searchPath, `{"limit":500,"after":"x","sorts":["a","b"]}`).wantError(t, http.StatusBadRequest, categoryValidation)
		if e.Message != "Multiple errors validating request." || len(e.Errors) != 3 {
			t.Errorf("errors %+v", e)
		}
	})
}

// TestSearch_RateLimit checks HubSpot's search limit when limits are
// enforced: five searches a second per account, apart from the ten-secondly
// window, answered with a SECONDLY 429 past it.
func TestSearch_RateLimit(t *testing.T) {
	t.Parallel()
	clock := newTestClock()
	h := newHarness(t, WithRateLimit(2, 10*time.Second), WithClock(clock.Now))
	for i := range SearchRateLimit {
		if r := h.call(http.MethodPost, searchPath, `{}`); r.status != http.StatusOK {
			t.Fatalf("search %d: %d %s", i+1, r.status, r.body)
		}
	}
	r := h.call(http.MethodPost, searchPath, `{}`)
	r.wantError(t, http.StatusTooManyRequests, categoryRateLimits)
	var body rateLimitBody
	r.decode(t, &body)
	if body.PolicyName != policySecondly {
		t.Errorf("policy %q, want %s", body.PolicyName, policySecondly)
	}
	// The searches used none of the window of two.
	h.call(http.MethodGet, ownersPath, "").want(t, http.StatusOK)
	h.call(http.MethodGet, contactPath(VisitorContactID, nil), "").want(t, http.StatusOK)
	h.call(http.MethodGet, ownersPath, "").wantError(t, http.StatusTooManyRequests, categoryRateLimits)
	clock.Advance(time.Second)
	h.call(http.MethodPost, searchPath, `{}`).want(t, http.StatusOK)
}

func TestSearch_OnlyByPost(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	// GET .../contacts/search reads a contact whose ID is "search".
	e := h.call(http.MethodGet, searchPath, "").wantError(t, http.StatusNotFound, categoryNotFound)
	if !strings.Contains(e.Message, "numeric") {
		t.Errorf("message %q", e.Message)
	}
	h.call(http.MethodPut, searchPath, `{}`).wantError(t, http.StatusMethodNotAllowed, categoryMethod)
	var decoded map[string]any
	r := h.call(http.MethodPost, searchPath, `{"query":"maya"}`)
	r.decode(t, &decoded)
	if _, ok := decoded["total"].(float64); !ok || !json.Valid(r.body) {
		t.Errorf("answer %s", r.body)
	}
}
