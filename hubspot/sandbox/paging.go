package sandbox

import (
	"cmp"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Page sizes. HubSpot documents no maximum; like HubSpot, the sandbox caps
// larger limits silently instead of rejecting them.
const (
	defaultLimit = 20
	maxLimit     = 100
)

// nextPage, prevPage and paging are HubSpot's paging objects.
type nextPage struct {
	After string `json:"after"`
	Link  string `json:"link,omitempty"`
}

type prevPage struct {
	Before string `json:"before"`
	Link   string `json:"link,omitempty"`
}

type paging struct {
	Next *nextPage `json:"next,omitempty"`
	Prev *prevPage `json:"prev,omitempty"`
}

// collection is a list answer. Total is set only for the "WithTotal" lists
// (inboxes, channels, channel accounts); threads and messages have none.
type collection struct {
	Total   *int    `json:"total,omitempty"`
	Results any     `json:"results"`
	Paging  *paging `json:"paging,omitempty"`
}

// page is one page of a sorted list.
type page[T any] struct {
	items   []T
	next    string // cursor of the next page; empty on the last page
	prev    string // cursor that, passed as after, yields the previous page
	hasPrev bool
}

// paginate sorts items by key (tuples of strings compared element by
// element, each descending where desc says so) and returns the page that
// follows the cursor after. Cursors are keyset cursors: the base64url of the
// last returned key, so inserting or removing items never shifts later
// pages. An empty key tuple means "from the start".
func paginate[T any](items []T, key func(T) []string, desc []bool, after string, limit int) (page[T], error) {
	type keyed struct {
		item T
		key  []string
	}
	all := make([]keyed, len(items))
	for i, it := range items {
		all[i] = keyed{it, key(it)}
	}
	slices.SortStableFunc(all, func(a, b keyed) int { return compareKeys(a.key, b.key, desc) })

	start := 0
	if after != "" {
		ck, err := decodeCursor(after, len(desc))
		if err != nil {
			return page[T]{}, err
		}
		if len(ck) > 0 {
			start, _ = slices.BinarySearchFunc(all, ck, func(k keyed, c []string) int {
				if compareKeys(k.key, c, desc) <= 0 {
					return -1
				}
				return 1
			})
		}
	}
	end := min(start+limit, len(all))
	p := page[T]{items: make([]T, 0, end-start)}
	for _, k := range all[start:end] {
		p.items = append(p.items, k.item)
	}
	if end < len(all) {
		p.next = encodeCursor(all[end-1].key)
	}
	if start > 0 {
		p.hasPrev = true
		if ps := max(0, start-limit); ps > 0 {
			p.prev = encodeCursor(all[ps-1].key)
		} else {
			p.prev = encodeCursor(nil)
		}
	}
	return p, nil
}

func compareKeys(a, b []string, desc []bool) int {
	for i := range min(len(a), len(b), len(desc)) {
		c := strings.Compare(a[i], b[i])
		if desc[i] {
			c = -c
		}
		if c != 0 {
			return c
		}
	}
	return cmp.Compare(len(a), len(b))
}

func encodeCursor(key []string) string {
	if key == nil {
		key = []string{}
	}
	b, _ := json.Marshal(key) // a []string always marshals
	return base64.RawURLEncoding.EncodeToString(b)
}

// decodeCursor parses an after cursor for a list sorted on n key parts.
func decodeCursor(s string, n int) ([]string, error) {
	bad := invalidParam("after", "Invalid paging cursor in query parameter 'after': %q", s)
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return nil, bad
	}
	var key []string
	if err := json.Unmarshal(b, &key); err != nil || (len(key) != 0 && len(key) != n) {
		return nil, bad
	}
	return key, nil
}

// pageLink is the full URL of the same request with a new after cursor.
func pageLink(r *http.Request, after string) string {
	q := r.URL.Query()
	q.Set("after", after)
	return baseURL(r) + r.URL.Path + "?" + q.Encode()
}

// baseURL is the scheme and host the client used to reach the server.
func baseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// forwardPaging is the paging object of threads and messages.
func forwardPaging[T any](r *http.Request, p page[T]) *paging {
	if p.next == "" {
		return nil
	}
	return &paging{Next: &nextPage{After: p.next, Link: pageLink(r, p.next)}}
}

// fullPaging is the paging object of the lists with a total.
func fullPaging[T any](r *http.Request, p page[T]) *paging {
	pg := forwardPaging(r, p)
	if p.hasPrev {
		if pg == nil {
			pg = &paging{}
		}
		pg.Prev = &prevPage{Before: p.prev, Link: pageLink(r, p.prev)}
	}
	return pg
}

// parseLimit reads limit, falling back to defaultPageLength where the
// endpoint has it, then to 20. Values above 100 are capped.
func parseLimit(q url.Values, withDefaultPageLength bool) (int, error) {
	limit := defaultLimit
	if withDefaultPageLength && q.Has("defaultPageLength") {
		n, err := positiveInt(q, "defaultPageLength")
		if err != nil {
			return 0, err
		}
		limit = n
	}
	if q.Has("limit") {
		n, err := positiveInt(q, "limit")
		if err != nil {
			return 0, err
		}
		limit = n
	}
	return min(limit, maxLimit), nil
}

func positiveInt(q url.Values, name string) (int, error) {
	v := q.Get(name)
	n, err := strconv.ParseInt(v, 10, 32)
	if err != nil || n < 1 {
		return 0, invalidParam(name, "Invalid value for query parameter '%s': %q is not a positive integer", name, v)
	}
	return int(n), nil
}

// parseBool reads an optional boolean query parameter.
func parseBool(q url.Values, name string) (bool, error) {
	if !q.Has(name) {
		return false, nil
	}
	v := q.Get(name)
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, invalidParam(name, "Invalid value for query parameter '%s': %q is not a boolean", name, v)
	}
	return b, nil
}

// parseIDs reads a repeatable integer ID parameter (inboxId=1&inboxId=2).
func parseIDs(q url.Values, name string) ([]string, error) {
	var ids []string
	for _, v := range q[name] {
		if _, err := strconv.ParseInt(v, 10, 64); err != nil {
			return nil, invalidParam(name, "Invalid value for query parameter '%s': %q is not an integer", name, v)
		}
		ids = append(ids, canonicalID(v))
	}
	return ids, nil
}

// canonicalID normalises a numeric ID ("007" → "7"); other strings pass.
func canonicalID(s string) string {
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return strconv.FormatInt(n, 10)
	}
	return s
}

// idKey makes numeric IDs sort numerically as strings.
func idKey(id string) string {
	if len(id) >= 20 {
		return id
	}
	return strings.Repeat("0", 20-len(id)) + id
}

// timeKey makes timestamps sort chronologically as strings.
func timeKey(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000000000") }

func boolKey(b bool) string { return strconv.FormatBool(b) }

// sortKey is one entry of a list's sort parameter.
type sortKey struct {
	field string
	desc  bool
}

// parseObjectSort reads the sort parameter of inboxes, channels and channel
// accounts: any of the object's fields, "-" for descending, repeatable.
// The ID always breaks ties, so the order is total.
func parseObjectSort(q url.Values, fields []string) ([]sortKey, []bool, error) {
	var keys []sortKey
	for _, v := range q["sort"] {
		field, desc := strings.CutPrefix(v, "-")
		if !slices.Contains(fields, field) {
			return nil, nil, invalidParam("sort", "Invalid value for query parameter 'sort': %q; sortable fields are %s",
				v, strings.Join(fields, ", "))
		}
		keys = append(keys, sortKey{field, desc})
	}
	keys = append(keys, sortKey{field: "id"})
	desc := make([]bool, len(keys))
	for i, k := range keys {
		desc[i] = k.desc
	}
	return keys, desc, nil
}

// objectKey builds a sort key from a field lookup.
func objectKey(keys []sortKey, field func(string) string) []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = field(k.field)
	}
	return out
}
