package inbox

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"slices"
	"strings"
	"time"
	"unicode"

	"golang.org/x/sync/errgroup"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot"
)

// SearchThreads finds a customer's threads from an email address or a
// name, through HubSpot's CRM contacts (scope crm.objects.contacts.read):
//
//   - an email address costs one contact read by address
//     (GET /crm/v3/objects/contacts/{email}?idProperty=email, exact and
//     immediate, outside the search API's limit of five a second), then the
//     contact's thread lists: HubSpot requires threadStatus with
//     associatedContactId, so OPEN and CLOSED are two lists, read
//     concurrently. At most three calls, and three round trips' time.
//   - a name (or part of one) costs one contact search, whose first
//     MaxSearchContacts contacts have their threads listed, concurrently;
//     the answer says how many contacts matched.
//
// Each contact's lists come newest activity first from HubSpot; the
// service merges them (every matched contact, OPEN and CLOSED) into one
// newest-first page with one opaque cursor. HubSpot cannot combine
// inboxId with associatedContactId, so the inbox filter (and the inbox
// allowlist) is applied here, to at most SearchPageBound threads read per
// list and page; when that bound ends a page early, the answer says so and
// the cursor reads on.
//
// A visitor who never became a CRM contact cannot be found through the
// contacts. When no contact matches, or when the token lacks the contacts
// scope (the answer is then partial and names the scope), the service
// matches the customers' names and email addresses of the ScanThreads most
// recently active threads instead, and the cursor scans older ones.
const (
	// MaxSearchContacts is how many of the contacts a name matches have
	// their threads listed.
	MaxSearchContacts = 3
	// SearchPageBound is how many threads one page reads at most from each
	// list (one contact's OPEN or CLOSED threads): HubSpot's page.
	SearchPageBound = 100
	// ScanThreads is how many recently active threads one page of the
	// fallback matches.
	ScanThreads = 100
	// maxCustomer bounds the customer query, in characters.
	maxCustomer = 200
	// searchCursorPrefix marks the cursors of SearchThreads.
	searchCursorPrefix = "search~"
	// maxSearchCursor bounds a cursor's length before it is decoded.
	maxSearchCursor = 4096
)

// ThreadSearch is what SearchThreads looks for.
type ThreadSearch struct {
	// Customer is an email address, or a name or part of one.
	Customer string
	// Status is OPEN or CLOSED; empty finds both.
	Status string
	// InboxID keeps only the threads of this inbox.
	InboxID string
	// Limit is the page size (default 20).
	Limit int
	// After is the NextCursor of a previous page of the same search.
	After string
}

// FoundContact is a customer the search matched.
type FoundContact struct {
	// ID is the CRM contact ID; empty for a customer found among recent
	// threads, whose thread's associatedContactId may be a visitor's.
	ID    string
	Name  string
	Email string
}

// ThreadSearchResult is one page of SearchThreads.
type ThreadSearchResult struct {
	// Threads are newest activity first.
	Threads []hubspot.Thread
	// People names the threads' customers and assignees, by actor ID.
	People map[string]hubspot.Actor
	// NextCursor continues the search; empty on the last page.
	NextCursor string
	// Contacts are the customers whose threads were listed: the CRM
	// contacts matched (the first MaxSearchContacts), or, for a scan, the
	// customers of recent threads who match. Only on the first page of a
	// contact search.
	Contacts []FoundContact
	// ContactsMatched counts the contacts the CRM search matched; more
	// than len(Contacts) means only the first were listed.
	ContactsMatched int
	// Scanned is set when the threads were found by matching the
	// customers of the ScanThreads most recently active threads (from
	// NextCursor's position) instead of through CRM contacts: because no
	// contact matches (NoContact) or the token lacks MissingScope.
	Scanned      bool
	NoContact    bool
	MissingScope string
	// LeftOut counts threads read for this page that are in another inbox
	// than ThreadSearch.InboxID.
	LeftOut int
	// Bounded is set when the page bound ended the page before Limit
	// threads: more may follow through NextCursor.
	Bounded bool

	// asked is the search this page answers (see Narrow).
	asked ThreadSearch
	query customerQuery
}

// Partial tells whether the answer is partial because a scope is missing.
func (r *ThreadSearchResult) Partial() bool { return r.MissingScope != "" }

// customerQuery is a parsed customer: an email address, or the words of a
// name.
type customerQuery struct {
	raw   string
	email string   // set when raw is a plain email address
	words []string // lower case
}

// parseCustomer checks a customer query: not empty, at most maxCustomer
// characters, no control characters.
func parseCustomer(s string) (customerQuery, error) {
	raw := strings.TrimSpace(s)
	switch {
	case raw == "":
		return customerQuery{}, argErr("customer", "is required: an email address, or a name or part of one")
	case len([]rune(raw)) > maxCustomer:
		return customerQuery{}, argErr("customer", "must be at most 200 characters")
	case strings.IndexFunc(raw, unicode.IsControl) >= 0:
		return customerQuery{}, argErr("customer", "must be an email address or a name, without control characters")
	}
	q := customerQuery{raw: raw, words: queryWords(raw)}
	if isEmail(raw) {
		q.email = raw
	}
	return q, nil
}

// matches tells whether a customer with this name and email is the one
// asked for: the same address, or every word of the name in the name or
// the address.
func (q customerQuery) matches(name, email string) bool {
	if q.email != "" {
		return strings.EqualFold(email, q.email)
	}
	return containsWords(q.words, name, email)
}

// key identifies the search a cursor belongs to.
func (q customerQuery) key(status, inboxID string) string {
	who := "n:" + strings.Join(q.words, " ")
	if q.email != "" {
		who = "e:" + strings.ToLower(q.email)
	}
	sum := sha256.Sum256([]byte(who + "\x00" + status + "\x00" + inboxID))
	return hex.EncodeToString(sum[:6])
}

// searchCursor is the state of a search between pages, opaque to callers.
type searchCursor struct {
	// Key is the search's customerQuery.key.
	Key string `json:"q"`
	// Lists are the contact lists still to read.
	Lists []listCursor `json:"l,omitempty"`
	// Scan is set when scanning recent threads: "scope" (the contacts
	// scope is missing) or "none" (no contact matched).
	Scan string `json:"s,omitempty"`
	// From is the scan's position: a newest-first cursor.
	From string `json:"n,omitempty"`
}

// listCursor is the position in one list of a contact's threads.
type listCursor struct {
	Contact string `json:"c"`
	// Status is O (OPEN) or C (CLOSED).
	Status string `json:"s"`
	// After is HubSpot's cursor of the page being read ("" for the first).
	After string `json:"a,omitempty"`
	// Skip is how many of that page's threads were already passed.
	Skip int `json:"k,omitempty"`
}

func statusCode(status string) string { return status[:1] }

func statusOf(code string) string {
	if code == "O" {
		return hubspot.StatusOpen
	}
	return hubspot.StatusClosed
}

func (c *searchCursor) encode() string {
	b, _ := json.Marshal(c) // plain strings and ints
	return searchCursorPrefix + base64.RawURLEncoding.EncodeToString(b)
}

// decodeSearchCursor reads a cursor of the search key; anything else is
// refused as an invalid after.
func decodeSearchCursor(s, key string) (*searchCursor, error) {
	bad := argErr("after", "must be the nextCursor of a previous search_threads call, got "+hubspot.Quote(hubspot.Truncate(s, 24)))
	rest, ok := strings.CutPrefix(s, searchCursorPrefix)
	if !ok || len(s) > maxSearchCursor {
		return nil, bad
	}
	raw, err := base64.RawURLEncoding.DecodeString(rest)
	if err != nil {
		return nil, bad
	}
	var c searchCursor
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil || dec.More() {
		return nil, bad
	}
	if c.Key != key {
		return nil, argErr("after", "belongs to another search (another customer, threadStatus or inboxId); search again without after")
	}
	switch c.Scan {
	case "":
		if len(c.Lists) == 0 || len(c.Lists) > 2*MaxSearchContacts || c.From != "" {
			return nil, bad
		}
	case "scope", "none":
		if len(c.Lists) > 0 {
			return nil, bad
		}
		if _, err := parseNewestCursor(c.From); err != nil || c.From == "" {
			return nil, bad
		}
	default:
		return nil, bad
	}
	for _, l := range c.Lists {
		if hubspot.ValidateNumericID("after", l.Contact) != nil || (l.Status != "O" && l.Status != "C") ||
			l.Skip < 0 || l.Skip >= SearchPageBound || len(l.After) > 1024 || strings.IndexFunc(l.After, unicode.IsControl) >= 0 {
			return nil, bad
		}
	}
	return &c, nil
}

// SearchThreads finds the threads of the customer q names; see the
// constants above for how and at what cost.
func (s *Service) SearchThreads(ctx context.Context, q ThreadSearch) (*ThreadSearchResult, error) {
	cr, err := s.credential(ctx)
	if err != nil {
		return nil, err
	}
	cq, err := parseCustomer(q.Customer)
	if err != nil {
		return nil, err
	}
	if q.Status != "" && q.Status != hubspot.StatusOpen && q.Status != hubspot.StatusClosed {
		return nil, argErr("threadStatus", "must be OPEN or CLOSED, got "+hubspot.Quote(q.Status))
	}
	if q.InboxID != "" {
		if err := hubspot.ValidateNumericID("inboxId", q.InboxID); err != nil {
			return nil, err
		}
	}
	q.Limit = cmp.Or(q.Limit, defaultLimit)
	key := cq.key(q.Status, q.InboxID)
	cur := &searchCursor{Key: key}
	res := &ThreadSearchResult{asked: q, query: cq}
	if q.After != "" {
		if cur, err = decodeSearchCursor(q.After, key); err != nil {
			return nil, err
		}
	} else {
		contacts, matched, err := s.findContacts(ctx, cr, cq)
		switch scopes, missing := hubspot.MissingScopes(err); {
		case missing:
			res.MissingScope = cmp.Or(firstOf(scopes), hubspot.ScopeContactsRead)
			cur.Scan = "scope"
		case err != nil:
			return nil, err
		case matched == 0:
			cur.Scan = "none"
		}
		res.Contacts, res.ContactsMatched = contacts, matched
		for _, c := range contacts {
			for _, st := range []string{hubspot.StatusOpen, hubspot.StatusClosed} {
				if q.Status == "" || q.Status == st {
					cur.Lists = append(cur.Lists, listCursor{Contact: c.ID, Status: statusCode(st)})
				}
			}
		}
	}
	if cur.Scan != "" {
		res.Scanned, res.NoContact = true, cur.Scan == "none"
		if cur.Scan == "scope" {
			res.MissingScope = cmp.Or(res.MissingScope, hubspot.ScopeContactsRead)
		}
		return res, s.scan(ctx, cr, cq, q, cur, res)
	}
	return res, s.readLists(ctx, cr, q, cur, res)
}

// Narrow answers the search q from r, a first page of SearchThreads,
// without calling HubSpot, when r holds every thread a search for q would
// find, so that a caller asking keystroke by keystroke (completion) pays
// for one search per name, not one per letter. ok is false otherwise:
// search then. It holds when q asks the same as r (same status and inbox,
// no after), and either names the same customer, or extends r's name
// (the same words with more letters or more words; HubSpot's guide says
// its search matches properties "containing the specified string", so
// every contact the longer name matches, the search matched for r) while
//
//   - r listed every contact it matched (no more than MaxSearchContacts)
//     to the end of their lists, and one of them matches q, so a search
//     for q would find contacts too and not scan; or
//   - r scanned the recent threads and its limit did not cut the matches:
//     a scan for q matches the same threads again.
//
// The threads kept are those whose customer q matches, as the scan
// matches them (every word of q in the name or the address, or the very
// address); more tells whether a search for q could show further ones
// through a cursor.
func (r *ThreadSearchResult) Narrow(q ThreadSearch) (threads []hubspot.Thread, more, ok bool) {
	cq, err := parseCustomer(q.Customer)
	limit := cmp.Or(q.Limit, defaultLimit)
	if err != nil || r.asked.Customer == "" || r.asked.After != "" || q.After != "" ||
		q.Status != r.asked.Status || q.InboxID != r.asked.InboxID || limit > r.asked.Limit {
		return nil, false, false
	}
	same := slices.Equal(cq.words, r.query.words)
	if !same {
		rq, nq := strings.Join(r.query.words, " "), strings.Join(cq.words, " ")
		if r.query.email != "" || !strings.HasPrefix(nq, rq) {
			return nil, false, false
		}
		switch {
		case r.Scanned:
			if len(r.Threads) >= r.asked.Limit {
				return nil, false, false
			}
		case r.ContactsMatched > len(r.Contacts) || r.NextCursor != "" ||
			!slices.ContainsFunc(r.Contacts, func(c FoundContact) bool { return cq.matches(c.Name, c.Email) }):
			return nil, false, false
		}
	}
	threads = []hubspot.Thread{}
	for _, th := range r.Threads {
		if a := r.People[th.CustomerActorID()]; same || cq.matches(a.Name, a.Email) {
			threads = append(threads, th)
		}
	}
	more = r.NextCursor != "" && (same || r.Scanned) || len(threads) > limit
	return threads[:min(len(threads), limit)], more, true
}

func firstOf(s []string) string {
	if len(s) == 0 {
		return ""
	}
	return s[0]
}

// contactProperties are the properties a search reads of a contact.
var contactProperties = []string{hubspot.ContactFirstName, hubspot.ContactLastName, hubspot.ContactEmail}

// findContacts finds the contacts of a customer query: one read by
// address, or one search by name, keeping the first MaxSearchContacts;
// matched counts them all.
func (s *Service) findContacts(ctx context.Context, cr *credential, q customerQuery) (found []FoundContact, matched int, err error) {
	if q.email != "" {
		c, err := cr.client.GetContact(ctx, q.email, &hubspot.GetContactOptions{IDProperty: hubspot.ContactEmail, Properties: contactProperties})
		if hubspot.IsNotFound(err) {
			return nil, 0, nil
		}
		if err != nil {
			return nil, 0, err
		}
		return []FoundContact{{ID: c.ID, Name: c.Name(), Email: c.Email()}}, 1, nil
	}
	p, err := cr.client.SearchContacts(ctx, hubspot.SearchContactsRequest{Query: q.raw, Properties: contactProperties, Limit: MaxSearchContacts})
	if err != nil {
		return nil, 0, err
	}
	for _, c := range p.Results {
		if hubspot.ValidateNumericID("id", c.ID) == nil && len(found) < MaxSearchContacts {
			found = append(found, FoundContact{ID: c.ID, Name: c.Name(), Email: c.Email()})
		}
	}
	matched = len(p.Results)
	if p.Total != nil {
		matched = max(matched, *p.Total)
	}
	return found, matched, nil
}

// listPage is one page read from a contact's list.
type listPage struct {
	at   listCursor
	raw  []hubspot.Thread
	next string // HubSpot's cursor of the next page; "" on the last
}

// readLists reads one page of every list of cur concurrently and merges
// them into res.
func (s *Service) readLists(ctx context.Context, cr *credential, q ThreadSearch, cur *searchCursor, res *ThreadSearchResult) error {
	pages := make([]listPage, len(cur.Lists))
	g, gctx := errgroup.WithContext(ctx)
	for i, at := range cur.Lists {
		g.Go(func() error {
			p, err := cr.client.ListThreads(gctx, &hubspot.ListThreadsOptions{
				ListOptions:                 hubspot.ListOptions{Limit: SearchPageBound, After: at.After, Sort: []string{"-" + hubspot.SortByLatestMessageTimestamp}},
				LatestMessageTimestampAfter: time.Unix(0, 0),
				AssociatedContactID:         at.Contact,
				ThreadStatus:                statusOf(at.Status),
			})
			if err != nil {
				return err
			}
			cr.noteThreads(p.Results...)
			pages[i] = listPage{at: at, raw: p.Results, next: p.NextAfter()}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return err
	}
	keep := func(th hubspot.Thread) (bool, bool) {
		if !s.guard.allows(th.InboxID) {
			return false, false
		}
		if q.InboxID != "" && th.InboxID != q.InboxID {
			return false, true
		}
		return true, false
	}
	var next []listCursor
	res.Threads, next, res.LeftOut = mergeLists(pages, keep, q.Limit)
	if len(next) > 0 {
		res.NextCursor = (&searchCursor{Key: cur.Key, Lists: next}).encode()
		res.Bounded = len(res.Threads) < q.Limit
	}
	known := map[string]hubspot.Actor{}
	for _, c := range res.Contacts {
		id := hubspot.VisitorActorID(c.ID)
		known[id] = hubspot.Actor{ID: id, Type: hubspot.ActorVisitor, Name: c.Name, Email: c.Email}
	}
	res.People = s.names(ctx, cr, res.Threads, known)
	return nil
}

// mergeLists merges one page of each list (each newest first) into the
// newest limit threads that keep accepts, and returns where each list
// goes on (lists read to their end are dropped) and how many threads keep
// left out for another inbox. A thread is shown only once every list
// that goes on past its page has shown all threads newer than it, so
// the merged order is exact across pages; a page may therefore hold fewer
// than limit threads, and every page advances at least one list.
func mergeLists(pages []listPage, keep func(hubspot.Thread) (ok, leftOut bool), limit int) (out []hubspot.Thread, next []listCursor, leftOut int) {
	type cand struct {
		list, idx int
		th        hubspot.Thread
	}
	var (
		cands     []cand
		threshold *mark
	)
	for i, p := range pages {
		for j := min(p.at.Skip, len(p.raw)); j < len(p.raw); j++ {
			ok, left := keep(p.raw[j])
			if left {
				leftOut++
			}
			if ok {
				cands = append(cands, cand{i, j, p.raw[j]})
			}
		}
		if p.next != "" && len(p.raw) > 0 {
			if m := markOf(p.raw[len(p.raw)-1]); threshold == nil || threshold.before(m) {
				threshold = &m
			}
		}
	}
	slices.SortStableFunc(cands, func(a, b cand) int {
		switch ma, mb := markOf(a.th), markOf(b.th); {
		case mb.before(ma):
			return -1
		case ma.before(mb):
			return 1
		}
		return 0
	})
	untaken := make([]int, len(pages))
	for i := range untaken {
		untaken[i] = -1
	}
	seen := map[string]bool{}
	for _, c := range cands {
		switch {
		case seen[c.th.ID]:
			// Listed twice (its status changed between two reads): shown once.
		case len(out) < limit && (threshold == nil || !markOf(c.th).before(*threshold)):
			seen[c.th.ID] = true
			out = append(out, c.th)
		case untaken[c.list] < 0 || c.idx < untaken[c.list]:
			untaken[c.list] = c.idx
		}
	}
	for i, p := range pages {
		switch {
		case untaken[i] >= 0:
			next = append(next, listCursor{Contact: p.at.Contact, Status: p.at.Status, After: p.at.After, Skip: untaken[i]})
		case p.next != "":
			next = append(next, listCursor{Contact: p.at.Contact, Status: p.at.Status, After: p.next})
		}
	}
	if out == nil {
		out = []hubspot.Thread{}
	}
	return out, next, leftOut
}

// scan matches the customers of the ScanThreads most recently active
// threads from cur's position, for a search without CRM contacts.
func (s *Service) scan(ctx context.Context, cr *credential, cq customerQuery, q ThreadSearch, cur *searchCursor, res *ThreadSearchResult) error {
	opts := hubspot.ListThreadsOptions{ListOptions: hubspot.ListOptions{Limit: ScanThreads, After: cur.From}, ThreadStatus: q.Status}
	if q.InboxID != "" {
		opts.InboxIDs = []string{q.InboxID}
	}
	page, err := s.newest(ctx, cr, opts)
	if err != nil {
		return err
	}
	var ids []string
	for _, th := range page.Results {
		ids = append(ids, th.CustomerActorID())
	}
	customers, err := s.people(ctx, cr, ids)
	if err != nil {
		return err
	}
	res.Threads = []hubspot.Thread{}
	res.Contacts = nil
	for _, th := range page.Results {
		a, ok := customers[th.CustomerActorID()]
		if !ok || !cq.matches(a.Name, a.Email) {
			continue
		}
		if len(res.Threads) == q.Limit {
			// More matches than a page: the next page scans on from the
			// last one shown.
			res.NextCursor = (&searchCursor{Key: cur.Key, Scan: cur.Scan, From: markOf(res.Threads[len(res.Threads)-1]).cursor()}).encode()
			break
		}
		res.Threads = append(res.Threads, th)
		// Whether the customer is a CRM contact is not known here: the
		// thread's associatedContactId may be a visitor's ID.
		c := FoundContact{Name: a.Name, Email: a.Email}
		if !slices.Contains(res.Contacts, c) {
			res.Contacts = append(res.Contacts, c)
		}
	}
	if res.NextCursor == "" && page.NextAfter() != "" {
		res.NextCursor = (&searchCursor{Key: cur.Key, Scan: cur.Scan, From: page.NextAfter()}).encode()
		res.Bounded = len(res.Threads) < q.Limit
	}
	res.People = s.names(ctx, cr, res.Threads, customers)
	return nil
}

// names returns the people of threads (customers and assignees), from
// known first and one actor read for the rest.
func (s *Service) names(ctx context.Context, cr *credential, threads []hubspot.Thread, known map[string]hubspot.Actor) map[string]hubspot.Actor {
	people := map[string]hubspot.Actor{}
	var missing []string
	for _, th := range threads {
		for _, id := range []string{th.CustomerActorID(), th.AssignedTo} {
			if a, ok := known[id]; ok {
				people[id] = a
			} else if id != "" {
				missing = append(missing, id)
			}
		}
	}
	found, _ := s.people(ctx, cr, missing) // names are a nicety (see People)
	for id, a := range found {
		people[id] = a
	}
	return people
}
