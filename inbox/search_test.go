package inbox

import (
	"cmp"
	"errors"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot"
	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot/sandbox"
)

// calls returns the sandbox's requests since mark as "METHOD path", actor
// reads included.
func calls(sb *sandbox.Server, mark int) []string {
	var out []string
	for _, r := range sb.Requests()[mark:] {
		out = append(out, r.Method+" "+r.Path)
	}
	return out
}

func threadIDs(ths []hubspot.Thread) []string {
	out := make([]string, len(ths))
	for i, th := range ths {
		out[i] = th.ID
	}
	return out
}

func TestSearchThreads_ByEmailCostsThreeCallsAndTheNames(t *testing.T) {
	t.Parallel()
	sb := sandbox.New()
	s := newSandboxService(t, sb, Config{})
	r, err := s.SearchThreads(t.Context(), ThreadSearch{Customer: " Maya.Thompson@example.com "})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"9000000109", "9000000101", "9000000107", "9000000120", "9000000103", "9000000108"}
	if got := threadIDs(r.Threads); !slices.Equal(got, want) {
		t.Errorf("threads %v, want %v", got, want)
	}
	got := calls(sb, 0)
	slices.Sort(got)
	wantCalls := []string{
		"GET /conversations/v3/conversations/threads", "GET /conversations/v3/conversations/threads",
		"GET /crm/v3/objects/contacts/Maya.Thompson@example.com",
		"POST /conversations/v3/conversations/actors/batch/read",
	}
	if diff := gocmp.Diff(wantCalls, got); diff != "" {
		t.Errorf("calls (-want +got):\n%s", diff)
	}
	// The customer's name comes from the contact, the assignees' from the
	// actor read.
	if a := r.People["V-3501"]; a.Name != "Maya Thompson" || r.People[sandbox.AgentActorID].Name != "Riley Chen" {
		t.Errorf("people %+v", r.People)
	}
	if r.NextCursor != "" || r.Bounded || r.Scanned || r.Partial() || r.ContactsMatched != 1 {
		t.Errorf("result %+v", r)
	}
}

func TestSearchThreads_TheAllowlistApplies(t *testing.T) {
	t.Parallel()
	sb := sandbox.New()
	s := newSandboxService(t, sb, Config{InboxAllowlist: []string{sandbox.InboxID}})
	r, err := s.SearchThreads(t.Context(), ThreadSearch{Customer: "maya.thompson@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	if got := threadIDs(r.Threads); !slices.Equal(got, []string{"9000000120"}) || r.LeftOut != 0 {
		t.Errorf("threads %v, left out %d: want only the allowed inbox's, and nothing said of the others", got, r.LeftOut)
	}
	// The scan lists under the allowlist too.
	sb.Account(sandbox.DefaultToken).SetWithheldScopes(hubspot.ScopeContactsRead)
	r, err = s.SearchThreads(t.Context(), ThreadSearch{Customer: "maya.thompson@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	if got := threadIDs(r.Threads); !slices.Equal(got, []string{"9000000120"}) || !r.Partial() {
		t.Errorf("scan: threads %v, partial %v", got, r.Partial())
	}
}

func TestSearchThreads_Refusals(t *testing.T) {
	t.Parallel()
	sb := sandbox.New()
	s := newSandboxService(t, sb, Config{})
	first, err := s.SearchThreads(t.Context(), ThreadSearch{Customer: "maya.thompson@example.com", Limit: 2})
	if err != nil || first.NextCursor == "" {
		t.Fatalf("first page: %+v, %v", first, err)
	}
	for _, c := range []struct {
		q    ThreadSearch
		want string
	}{
		{ThreadSearch{Customer: "  "}, "customer is required"},
		{ThreadSearch{Customer: strings.Repeat("x", 201)}, "customer must be at most 200 characters"},
		{ThreadSearch{Customer: "a\x00b"}, "customer must be an email address or a name, without control characters"},
		{ThreadSearch{Customer: "maya", Status: "PENDING"}, "threadStatus must be OPEN or CLOSED"},
		{ThreadSearch{Customer: "maya", InboxID: "x"}, "inboxId must contain only digits"},
		{ThreadSearch{Customer: "maya", After: "newest~abc"}, "after must be the nextCursor of a previous search_threads call"},
		{ThreadSearch{Customer: "owen.thompson@example.com", After: first.NextCursor}, "after belongs to another search"},
		{ThreadSearch{Customer: "maya.thompson@example.com", Status: hubspot.StatusOpen, After: first.NextCursor}, "after belongs to another search"},
	} {
		mark := len(sb.Requests())
		_, err := s.SearchThreads(t.Context(), c.q)
		var ae *hubspot.ArgumentError
		if !errors.As(err, &ae) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: %v, want an argument error saying %q", c.q, err, c.want)
		}
		if got := calls(sb, mark); len(got) != 0 {
			t.Errorf("%+v: sent %v", c.q, got)
		}
	}
	// The same search, differently written, continues.
	if _, err := s.SearchThreads(t.Context(), ThreadSearch{Customer: "MAYA.THOMPSON@example.com", Limit: 2, After: first.NextCursor}); err != nil {
		t.Errorf("continuing: %v", err)
	}
}

func TestSearchThreads_ScanPages(t *testing.T) {
	t.Parallel()
	sb := sandbox.New()
	s := newSandboxService(t, sb, Config{})
	sb.Account(sandbox.DefaultToken).SetWithheldScopes(hubspot.ScopeContactsRead)
	var got []string
	q := ThreadSearch{Customer: "thompson", Limit: 3}
	for range 5 {
		r, err := s.SearchThreads(t.Context(), q)
		if err != nil {
			t.Fatal(err)
		}
		if !r.Scanned || r.MissingScope != hubspot.ScopeContactsRead {
			t.Errorf("page %+v: want a partial scan", r)
		}
		got = append(got, threadIDs(r.Threads)...)
		if q.After = r.NextCursor; q.After == "" {
			break
		}
	}
	want := []string{sandbox.NamesakeThreadID, "9000000109", "9000000101", "9000000107", "9000000120", "9000000103", "9000000108"}
	if !slices.Equal(got, want) {
		t.Errorf("scanned pages gave %v, want %v", got, want)
	}
}

// fakeList is one contact list for TestMergeLists: threads newest first,
// served in pages of size with offsets as cursors.
type fakeList struct {
	threads []hubspot.Thread
	size    int
}

func (l fakeList) page(at listCursor) listPage {
	off, _ := strconv.Atoi(cmp.Or(at.After, "0"))
	end := min(off+l.size, len(l.threads))
	p := listPage{at: at, raw: l.threads[off:end]}
	if end < len(l.threads) {
		p.next = strconv.Itoa(end)
	}
	return p
}

// TestMergeLists checks the merge against the plain answer on random lists:
// paging through every page with one cursor gives every kept thread
// exactly once, newest first, however the pages and the filter fall.
func TestMergeLists(t *testing.T) {
	t.Parallel()
	for seed := range uint64(300) {
		rng := rand.New(rand.NewPCG(seed, 14))
		base := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
		var lists []fakeList
		var all []hubspot.Thread
		id := 9000000100
		for range 1 + rng.IntN(6) {
			l := fakeList{size: 1 + rng.IntN(5)}
			for range rng.IntN(12) {
				id++
				th := hubspot.Thread{ID: strconv.Itoa(id), InboxID: strconv.Itoa(1 + rng.IntN(3))}
				th.LatestMessageTimestamp.Time = base.Add(time.Duration(rng.IntN(20)) * time.Hour)
				l.threads = append(l.threads, th)
			}
			slices.SortFunc(l.threads, func(a, b hubspot.Thread) int {
				if markOf(b).before(markOf(a)) {
					return -1
				}
				return 1
			})
			lists = append(lists, l)
			all = append(all, l.threads...)
		}
		keep := func(th hubspot.Thread) (bool, bool) { return th.InboxID != "3", th.InboxID == "3" }
		var want []string
		slices.SortFunc(all, func(a, b hubspot.Thread) int {
			if markOf(b).before(markOf(a)) {
				return -1
			}
			return 1
		})
		for _, th := range all {
			if ok, _ := keep(th); ok {
				want = append(want, th.ID)
			}
		}
		limit := 1 + rng.IntN(4)
		cursors := make([]listCursor, len(lists))
		for i := range lists {
			cursors[i] = listCursor{Contact: strconv.Itoa(i + 1), Status: "O"}
		}
		var got []string
		for step := 0; len(cursors) > 0; step++ {
			if step > 200 {
				t.Fatalf("seed %d: no end after 200 pages", seed)
			}
			pages := make([]listPage, len(cursors))
			for i, c := range cursors {
				n, _ := strconv.Atoi(c.Contact)
				pages[i] = lists[n-1].page(c)
			}
			out, next, _ := mergeLists(pages, keep, limit)
			if len(out) > limit {
				t.Fatalf("seed %d: page of %d, limit %d", seed, len(out), limit)
			}
			got = append(got, threadIDs(out)...)
			if gocmp.Equal(next, cursors) {
				t.Fatalf("seed %d: a page made no progress at %+v", seed, cursors)
			}
			cursors = next
		}
		if !slices.Equal(got, want) {
			t.Fatalf("seed %d (limit %d): merged %v, want %v", seed, limit, got, want)
		}
	}
}

// FuzzCustomerQuery: any text parses or is refused with an argument error;
// an address is recognised as HubSpot reads one, and matches itself.
func FuzzCustomerQuery(f *testing.F) {
	for _, s := range []string{"maya.thompson@example.com", "Maya Thompson", "thompson", " ", "a@b", "a@b.c", "\"x\"@y.z",
		"Maya <maya@example.com>", "@", "maya@", "ÉLISE@exämple.com", "\x00", strings.Repeat("é", 201)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q, err := parseCustomer(s)
		if err != nil {
			var ae *hubspot.ArgumentError
			if !errors.As(err, &ae) || ae.Name != "customer" {
				t.Fatalf("parseCustomer(%q): %v is not an argument error on customer", s, err)
			}
			return
		}
		if q.raw == "" || q.raw != strings.TrimSpace(s) {
			t.Fatalf("parseCustomer(%q).raw = %q", s, q.raw)
		}
		if (q.email != "") != (hubspot.ValidateEmail("customer", q.raw) == nil && strings.Contains(q.raw, "@")) {
			t.Fatalf("parseCustomer(%q): email %q disagrees with ValidateEmail", s, q.email)
		}
		if q.email != "" && (!q.matches("", strings.ToUpper(q.email)) || q.matches("", "x"+q.email)) {
			t.Fatalf("%q: an address must match itself (in any case) and nothing else", s)
		}
		if q.email == "" && !q.matches(q.raw, "") {
			t.Fatalf("%q: a name must match itself", s)
		}
		if again, _ := parseCustomer(s); again.key("", "") != q.key("", "") || q.key("OPEN", "") == q.key("", "") {
			t.Fatalf("%q: unstable or status-blind key", s)
		}
	})
}

// FuzzSearchCursor: any text decodes to a valid cursor or is refused as
// an invalid after, never panics, and what decodes encodes back to itself.
func FuzzSearchCursor(f *testing.F) {
	key := customerQuery{words: []string{"maya"}}.key("", "")
	for _, c := range []*searchCursor{
		{Key: key, Lists: []listCursor{{Contact: "3501", Status: "O"}, {Contact: "3501", Status: "C", After: "abc", Skip: 3}}},
		{Key: key, Scan: "scope", From: mark{time.Date(2026, 11, 19, 0, 0, 0, 0, time.UTC), "9000000101"}.cursor()},
		{Key: "other", Lists: []listCursor{{Contact: "1", Status: "O"}}},
	} {
		f.Add(c.encode())
	}
	for _, s := range []string{"", "search~", "search~e30", "search~!!", "newest~abc", `search~eyJxIjoiIn0`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := decodeSearchCursor(s, key)
		if err != nil {
			var ae *hubspot.ArgumentError
			if !errors.As(err, &ae) || ae.Name != "after" || len(err.Error()) > 200 {
				t.Fatalf("decode(%q): %v, want a short argument error on after", s, err)
			}
			return
		}
		again, err := decodeSearchCursor(c.encode(), key)
		if err != nil || !gocmp.Equal(c, again) {
			t.Fatalf("decode(%q) = %+v, which encodes to a cursor that decodes to %+v, %v", s, c, again, err)
		}
	})
}

// TestThreadSearchResult_Narrow: a kept search answers a longer name only
// when it holds every thread the longer name's own search finds, and then
// exactly as that search does.
func TestThreadSearchResult_Narrow(t *testing.T) {
	t.Parallel()
	sb := sandbox.New()
	s := newSandboxService(t, sb, Config{})
	open := func(customer string) ThreadSearch {
		return ThreadSearch{Customer: customer, Status: hubspot.StatusOpen, Limit: 100}
	}
	search := func(q ThreadSearch) *ThreadSearchResult {
		t.Helper()
		r, err := s.SearchThreads(t.Context(), q)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	with := func(q ThreadSearch, f func(*ThreadSearch)) ThreadSearch { f(&q); return q }
	for _, c := range []struct {
		kept ThreadSearch
		q    ThreadSearch
		ok   bool
	}{
		{open("tho"), open("thom"), true},
		{open("tho"), open("Thompson"), true},
		{open("tho"), open("tho m"), true},
		{open("may"), open("maya t"), true},                                            // Maya Lindgren falls away
		{open("may"), open("maya.thompson@example.com"), true},                         // the address of a contact it found
		{open("Maya"), open("maya"), true},                                             // the same search
		{open("ma"), open("ma"), true},                                                 // the same search, however many matched
		{open("sof"), open("sofia"), true},                                             // a scan (no contact) that the limit did not cut
		{open("ma"), open("may"), false},                                               // 6 contacts matched, 3 listed: another may come in
		{open("ma"), open("mar"), false},                                               // the same, though the 3 listed match it
		{open("may"), open("mayx"), false},                                             // no contact it found matches: the search would scan
		{open("may"), open("ma"), false},                                               // shorter
		{open("maya"), open("thompson"), false},                                        // another name
		{open("maya.thompson@example.com"), open("maya.thompson@example.comx"), false}, // an address is exact
		{open("tho"), with(open("thom"), func(q *ThreadSearch) { q.Status = hubspot.StatusClosed }), false},
		{open("tho"), with(open("thom"), func(q *ThreadSearch) { q.InboxID = sandbox.InboxID }), false},
		{with(open("tho"), func(q *ThreadSearch) { q.Limit = 2 }), open("thom"), false}, // a longer page than kept
		{open("tho"), with(open("thom"), func(q *ThreadSearch) { q.After = "search~x" }), false},
	} {
		kept := search(c.kept)
		mark := len(sb.Requests())
		got, more, ok := kept.Narrow(c.q)
		if n := len(sb.Requests()) - mark; n != 0 {
			t.Errorf("Narrow called HubSpot %d times", n)
		}
		if ok != c.ok {
			t.Errorf("%q → %q: ok %v, want %v", c.kept.Customer, c.q.Customer, ok, c.ok)
			continue
		}
		if !ok {
			continue
		}
		fresh := search(c.q)
		if !slices.Equal(threadIDs(got), threadIDs(fresh.Threads)) || more != (fresh.NextCursor != "") {
			t.Errorf("%q → %q: narrowed %v (more %v), its own search %v (more %v)", c.kept.Customer, c.q.Customer,
				threadIDs(got), more, threadIDs(fresh.Threads), fresh.NextCursor != "")
		}
		if len(got) == 0 {
			t.Errorf("%q → %q: no thread; the case shows nothing", c.kept.Customer, c.q.Customer)
		}
	}
	// A smaller page of a kept one is cut, and says more follow.
	kept := search(open("tho"))
	if got, more, ok := kept.Narrow(with(open("tho"), func(q *ThreadSearch) { q.Limit = 2 })); !ok || len(got) != 2 || !more {
		t.Errorf("a page of 2: %v, more %v, ok %v", threadIDs(got), more, ok)
	}
}
