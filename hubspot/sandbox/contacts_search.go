package sandbox

import (
	"cmp"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode"
)

// The limits of HubSpot's CRM search, from its guide
// (developers.hubspot.com/docs/api-reference/search/guide, "Limits" and
// "Paging through results"): pages of 10 by default and at most 200, a
// query of at most 3,000 characters, at most five filter groups of at most
// six filters and 18 filters in all, and no paging beyond the 10,000th
// result. Breaking one is a 400.
const (
	defaultSearchLimit  = 10
	maxSearchLimit      = 200
	maxSearchResults    = 10_000
	maxSearchQuery      = 3000
	maxFilterGroups     = 5
	maxFiltersPerGroup  = 6
	maxFiltersPerSearch = 18
)

// Filter operators.
const (
	opEQ               = "EQ"
	opNEQ              = "NEQ"
	opContainsToken    = "CONTAINS_TOKEN"
	opNotContainsToken = "NOT_CONTAINS_TOKEN"
	opHasProperty      = "HAS_PROPERTY"
	opNotHasProperty   = "NOT_HAS_PROPERTY"
	opIn               = "IN"
)

var (
	// filterOperators are every operator HubSpot's spec declares.
	filterOperators = []string{"BETWEEN", opContainsToken, opEQ, "GT", "GTE", opHasProperty, opIn, "LT", "LTE", opNEQ,
		opNotContainsToken, opNotHasProperty, "NOT_IN"}
	// sandboxOperators are those the sandbox evaluates; the others (range
	// comparisons and NOT_IN) are refused with a 400 that says so.
	sandboxOperators = []string{opEQ, opNEQ, opContainsToken, opNotContainsToken, opHasProperty, opNotHasProperty, opIn}
)

// searchBody is HubSpot's PublicObjectSearchRequest as sent. The spec
// requires after, filterGroups, limit, properties and sorts, but HubSpot
// accepts any of them left out ("include only an empty object" for a basic
// search), and so does the sandbox.
type searchBody struct {
	Query        string            `json:"query"`
	FilterGroups []filterGroup     `json:"filterGroups"`
	Sorts        []json.RawMessage `json:"sorts"`
	Properties   []string          `json:"properties"`
	Limit        *int              `json:"limit"`
	After        flexString        `json:"after"`
}

type filterGroup struct {
	Filters []searchFilter `json:"filters"`
}

// searchFilter is HubSpot's Filter. Values are strings in the spec; JSON
// numbers are taken too, as HubSpot takes them.
type searchFilter struct {
	PropertyName string       `json:"propertyName"`
	Operator     string       `json:"operator"`
	Value        flexString   `json:"value"`
	Values       []flexString `json:"values"`
}

// searchSort is one sort rule in the form HubSpot's guide documents.
type searchSort struct {
	PropertyName string `json:"propertyName"`
	Direction    string `json:"direction"`
}

// contactSearch is a checked search.
type contactSearch struct {
	terms  []string // the query's words, lower case
	groups []filterGroup
	sort   searchSort
	props  []string
	limit  int
	offset int
}

// searchContacts is POST /crm/v3/objects/contacts/search. It follows
// HubSpot's guide:
//   - filterGroups are ORed, the filters of a group ANDed; filter values
//     are case-insensitive; CONTAINS_TOKEN matches a whole word of the value
//     (or the whole value), with * as a wildcard ("*@example.com");
//   - query matches contacts having each of its words in one of the
//     default searchable properties (firstname, lastname, email, phone,
//     company): HubSpot's guide says a value "containing the specified
//     string", and the sandbox applies that to every word of the query;
//   - with both, a contact must match both;
//   - archived contacts never match; results come oldest first (by
//     createdate) unless one sort rule says otherwise;
//   - paging.next.after is the offset of the next page, and total counts
//     every match.
//
// Unlike HubSpot, new contacts are searchable at once (HubSpot indexes
// them within moments), and the range operators are not evaluated.
func searchContacts(a *Account, r *http.Request) (reply, error) {
	var body searchBody
	if err := decodeBody(r, &body); err != nil {
		return reply{}, err
	}
	s, err := body.check()
	if err != nil {
		return reply{}, err
	}
	var matched []*contact
	for _, c := range a.contacts {
		if s.matches(c) {
			matched = append(matched, c)
		}
	}
	slices.SortFunc(matched, s.compare)
	total := len(matched)
	end := min(s.offset+s.limit, total)
	results := make([]contactView, 0, max(0, end-s.offset))
	for _, c := range matched[min(s.offset, total):end] {
		results = append(results, c.view(s.props))
	}
	var pg *paging
	if end < total && end < maxSearchResults {
		pg = &paging{Next: &nextPage{After: strconv.Itoa(end)}}
	}
	return reply{body: collection{Total: &total, Results: results, Paging: pg}}, nil
}

// check validates the request as HubSpot does and compiles it; every
// problem found goes into one 400.
func (b *searchBody) check() (contactSearch, error) {
	s := contactSearch{limit: defaultSearchLimit, props: propertyList(b.Properties),
		sort: searchSort{PropertyName: propCreateDate, Direction: "ASCENDING"}}
	var details []errorDetail
	bad := func(in, format string, args ...any) {
		details = append(details, errorDetail{Message: fmt.Sprintf(format, args...), In: in, Code: "INVALID"})
	}
	if b.Limit != nil {
		s.limit = *b.Limit
		if s.limit < 0 || s.limit > maxSearchLimit {
			bad("limit", "limit must be between 0 and %d, got %d", maxSearchLimit, s.limit)
		}
	}
	if after := string(b.After); after != "" {
		n, err := strconv.Atoi(after)
		switch {
		case err != nil || n < 0:
			bad("after", "after must be the integer of paging.next.after, got %q", after)
		case n >= maxSearchResults:
			bad("after", "a search reaches only its first %d results; after=%d pages beyond them", maxSearchResults, n)
		default:
			s.offset = n
		}
	}
	if n := len([]rune(b.Query)); n > maxSearchQuery {
		bad("query", "query is %d characters long; at most %d are allowed", n, maxSearchQuery)
	}
	s.terms = strings.Fields(strings.ToLower(b.Query))
	if len(b.FilterGroups) > maxFilterGroups {
		bad("filterGroups", "at most %d filterGroups are allowed, got %d", maxFilterGroups, len(b.FilterGroups))
	}
	total := 0
	for i := range b.FilterGroups {
		g := &b.FilterGroups[i]
		in := fmt.Sprintf("filterGroups[%d].filters", i)
		total += len(g.Filters)
		switch {
		case len(g.Filters) == 0:
			bad(in, "a filter group needs at least one filter")
		case len(g.Filters) > maxFiltersPerGroup:
			bad(in, "at most %d filters are allowed in a group, got %d", maxFiltersPerGroup, len(g.Filters))
		}
		for j := range g.Filters {
			if msg := g.Filters[j].check(); msg != "" {
				bad(fmt.Sprintf("%s[%d]", in, j), "%s", msg)
			}
		}
	}
	if total > maxFiltersPerSearch {
		bad("filterGroups", "at most %d filters are allowed in all, got %d", maxFiltersPerSearch, total)
	}
	s.groups = b.FilterGroups
	switch len(b.Sorts) {
	case 0:
	case 1:
		if msg := s.sort.decode(b.Sorts[0]); msg != "" {
			bad("sorts[0]", "%s", msg)
		}
	default:
		bad("sorts", "only one sort rule can be applied to a search, got %d", len(b.Sorts))
	}
	if len(details) > 0 {
		return contactSearch{}, validationErrors(details)
	}
	return s, nil
}

// check validates one filter; it returns the problem, or "".
func (f *searchFilter) check() string {
	if !slices.Contains(contactProperties, f.PropertyName) {
		return fmt.Sprintf("Property %q does not exist for object type contacts", f.PropertyName)
	}
	switch {
	case !slices.Contains(filterOperators, f.Operator):
		return fmt.Sprintf("operator %q is not one of %s", f.Operator, strings.Join(filterOperators, ", "))
	case !slices.Contains(sandboxOperators, f.Operator):
		return fmt.Sprintf("the sandbox evaluates only the operators %s, not %s", strings.Join(sandboxOperators, ", "), f.Operator)
	}
	switch f.Operator {
	case opHasProperty, opNotHasProperty:
	case opIn:
		if len(f.Values) == 0 {
			return "operator IN needs values"
		}
	default:
		if f.Value == "" {
			return fmt.Sprintf("operator %s needs a value", f.Operator)
		}
	}
	return ""
}

// decode reads a sort rule. HubSpot's guide documents it as an object with
// propertyName and direction (its spec types the rules as strings, whose
// meaning it does not document); the sandbox takes the documented form.
func (s *searchSort) decode(raw json.RawMessage) string {
	var rule searchSort
	if err := json.Unmarshal(raw, &rule); err != nil {
		return `a sort rule is an object such as {"propertyName":"createdate","direction":"DESCENDING"}`
	}
	if !slices.Contains(contactProperties, rule.PropertyName) {
		return fmt.Sprintf("Property %q does not exist for object type contacts", rule.PropertyName)
	}
	switch rule.Direction {
	case "":
		rule.Direction = "ASCENDING"
	case "ASCENDING", "DESCENDING":
	default:
		return fmt.Sprintf("direction must be ASCENDING or DESCENDING, got %q", rule.Direction)
	}
	*s = rule
	return ""
}

// matches tells whether a live contact has every word of the query and
// matches one filter group (or there are none).
func (s *contactSearch) matches(c *contact) bool {
	if c.archived {
		return false
	}
	for _, term := range s.terms {
		if !slices.ContainsFunc(searchableContactProperties, func(p string) bool {
			v, _ := c.property(p)
			return strings.Contains(strings.ToLower(v), term)
		}) {
			return false
		}
	}
	if len(s.groups) == 0 {
		return true
	}
	return slices.ContainsFunc(s.groups, func(g filterGroup) bool {
		for _, f := range g.Filters {
			if !f.matches(c) {
				return false
			}
		}
		return true
	})
}

func (f *searchFilter) matches(c *contact) bool {
	v, _ := c.property(f.PropertyName)
	switch f.Operator {
	case opEQ:
		return v != "" && strings.EqualFold(v, string(f.Value))
	case opNEQ:
		return !strings.EqualFold(v, string(f.Value))
	case opContainsToken:
		return v != "" && containsToken(v, string(f.Value))
	case opNotContainsToken:
		return !containsToken(v, string(f.Value))
	case opHasProperty:
		return v != ""
	case opNotHasProperty:
		return v == ""
	default: // IN: exact, and HubSpot wants the values in lower case
		return v != "" && slices.Contains(f.Values, flexString(strings.ToLower(v)))
	}
}

// compare orders contacts by the sort rule, then by ID.
func (s *contactSearch) compare(x, y *contact) int {
	key := func(c *contact) string {
		v, _ := c.property(s.sort.PropertyName)
		if s.sort.PropertyName == propObjectID {
			return idKey(v)
		}
		return strings.ToLower(v)
	}
	c := strings.Compare(key(x), key(y))
	if s.sort.Direction == "DESCENDING" {
		c = -c
	}
	return cmp.Or(c, strings.Compare(idKey(x.id), idKey(y.id)))
}

// containsToken tells whether pattern (with * as a wildcard) matches the
// whole of text or one of its words, ignoring case. Words are runs of
// letters and digits, so an email address's words are its name parts and
// domain labels.
func containsToken(text, pattern string) bool {
	text, pattern = strings.ToLower(text), strings.ToLower(pattern)
	if globMatch(pattern, text) {
		return true
	}
	return slices.ContainsFunc(strings.FieldsFunc(text, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}), func(word string) bool { return globMatch(pattern, word) })
}

// globMatch tells whether s matches pattern, where * matches any run of
// characters (including none) and everything else matches itself. It runs
// in O(len(pattern)·len(s)).
func globMatch(pattern, s string) bool {
	p, i := []rune(pattern), []rune(s)
	pi, si := 0, 0
	star, mark := -1, 0
	for si < len(i) {
		switch {
		case pi < len(p) && p[pi] == '*':
			star, mark = pi, si
			pi++
		case pi < len(p) && p[pi] == i[si]:
			pi++
			si++
		case star >= 0:
			pi = star + 1
			mark++
			si = mark
		default:
			return false
		}
	}
	for pi < len(p) && p[pi] == '*' {
		pi++
	}
	return pi == len(p)
}
