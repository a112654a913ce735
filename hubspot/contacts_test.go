package hubspot

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot/sandbox"
)

func TestContacts_RequestShapes(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name               string
		call               func(context.Context, *Client) error
		method, path, body string
		query              string
	}{
		{"by ID", func(ctx context.Context, c *Client) error {
			_, err := c.GetContact(ctx, "3501", nil)
			return err
		}, "GET", "/crm/v3/objects/contacts/3501", "", ""},
		{"by email, with properties", func(ctx context.Context, c *Client) error {
			_, err := c.GetContact(ctx, "maya+shop@example.com", &GetContactOptions{IDProperty: "email", Properties: []string{"firstname", "email"}, Archived: true})
			return err
		}, "GET", "/crm/v3/objects/contacts/maya+shop@example.com", "", "archived=true&idProperty=email&properties=firstname&properties=email"},
		{"an address with a question mark stays in the path", func(ctx context.Context, c *Client) error {
			_, err := c.GetContact(ctx, "who?@example.com", &GetContactOptions{IDProperty: "email"})
			return err
		}, "GET", "/crm/v3/objects/contacts/who%3F@example.com", "", "idProperty=email"},
		{"search with every field HubSpot's spec requires", func(ctx context.Context, c *Client) error {
			_, err := c.SearchContacts(ctx, SearchContactsRequest{Query: "maya"})
			return err
		}, "POST", "/crm/v3/objects/contacts/search", `{"query":"maya","filterGroups":[],"sorts":[],"properties":[],"limit":10,"after":"0"}`, ""},
		{"search by filters", func(ctx context.Context, c *Client) error {
			_, err := c.SearchContacts(ctx, SearchContactsRequest{
				FilterGroups: []FilterGroup{{Filters: []Filter{{PropertyName: "email", Operator: OperatorEQ, Value: "maya@example.com"}}},
					{Filters: []Filter{{PropertyName: "firstname", Operator: OperatorIn, Values: []string{"maya"}}}}},
				Sorts:      []SearchSort{{PropertyName: "createdate", Direction: "DESCENDING"}},
				Properties: []string{"email"}, Limit: 3, After: "6",
			})
			return err
		}, "POST", "/crm/v3/objects/contacts/search", `{"filterGroups":[{"filters":[{"propertyName":"email","operator":"EQ","value":"maya@example.com"}]},` +
			`{"filters":[{"propertyName":"firstname","operator":"IN","values":["maya"]}]}],"sorts":[{"propertyName":"createdate","direction":"DESCENDING"}],` +
			`"properties":["email"],"limit":3,"after":"6"}`, ""},
		{"list owners", func(ctx context.Context, c *Client) error {
			_, err := c.ListOwners(ctx, &ListOwnersOptions{Email: "a@b.co", Archived: true, After: "x", Limit: 500})
			return err
		}, "GET", "/crm/v3/owners", "", "after=x&archived=true&email=a%40b.co&limit=500"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := &fakeHubSpot{answers: []fakeAnswer{{status: 200, body: `{"id":"1","properties":{},"results":[]}`}}}
			c := newFakeClient(t, f)
			if err := tc.call(t.Context(), c); err != nil {
				t.Fatal(err)
			}
			r := f.got[0]
			if r.Method != tc.method || r.URL.EscapedPath() != tc.path || r.URL.RawQuery != tc.query || f.bodies[0] != tc.body {
				t.Errorf("sent %s %s ? %s %s\nwant %s %s ? %s %s", r.Method, r.URL.EscapedPath(), r.URL.RawQuery, f.bodies[0], tc.method, tc.path, tc.query, tc.body)
			}
		})
	}
}

func TestContacts_RefusedBeforeSending(t *testing.T) {
	t.Parallel()
	f := &fakeHubSpot{}
	c := newFakeClient(t, f)
	ctx := t.Context()
	filters := func(n int) []Filter {
		return slices.Repeat([]Filter{{PropertyName: "email", Operator: OperatorHasProperty}}, n)
	}
	for _, tc := range []struct {
		name, param string
		call        func() error
	}{
		{"no ID", "contactId", func() error { _, err := c.GetContact(ctx, "", nil); return err }},
		{"an ID that is not a number", "contactId", func() error { _, err := c.GetContact(ctx, "maya@example.com", nil); return err }},
		{"a path in the ID", "contactId", func() error { _, err := c.GetContact(ctx, "1/../../owners", nil); return err }},
		{"an address with a display name", "contactId", func() error {
			_, err := c.GetContact(ctx, "Maya <maya@example.com>", &GetContactOptions{IDProperty: "email"})
			return err
		}},
		{"an address with a slash", "contactId", func() error {
			_, err := c.GetContact(ctx, "a/b@example.com", &GetContactOptions{IDProperty: "email"})
			return err
		}},
		{"a dot segment for another property", "contactId", func() error {
			_, err := c.GetContact(ctx, "..", &GetContactOptions{IDProperty: "external_id"})
			return err
		}},
		{"a control character", "contactId", func() error {
			_, err := c.GetContact(ctx, "x\n", &GetContactOptions{IDProperty: "external_id"})
			return err
		}},
		{"a bad idProperty", "idProperty", func() error {
			_, err := c.GetContact(ctx, "1", &GetContactOptions{IDProperty: "E-mail"})
			return err
		}},
		{"limit over 200", "limit", func() error { _, err := c.SearchContacts(ctx, SearchContactsRequest{Limit: 201}); return err }},
		{"after not an offset", "after", func() error { _, err := c.SearchContacts(ctx, SearchContactsRequest{After: "abc"}); return err }},
		{"after past 10,000", "after", func() error { _, err := c.SearchContacts(ctx, SearchContactsRequest{After: "10000"}); return err }},
		{"a long query", "query", func() error {
			_, err := c.SearchContacts(ctx, SearchContactsRequest{Query: strings.Repeat("é", 3001)})
			return err
		}},
		{"six groups", "filterGroups", func() error {
			_, err := c.SearchContacts(ctx, SearchContactsRequest{FilterGroups: slices.Repeat([]FilterGroup{{Filters: filters(1)}}, 6)})
			return err
		}},
		{"seven filters", "filterGroups[0].filters", func() error {
			_, err := c.SearchContacts(ctx, SearchContactsRequest{FilterGroups: []FilterGroup{{Filters: filters(7)}}})
			return err
		}},
		{"19 filters", "filterGroups", func() error {
			_, err := c.SearchContacts(ctx, SearchContactsRequest{FilterGroups: slices.Repeat([]FilterGroup{{Filters: filters(5)}}, 4)})
			return err
		}},
		{"an empty group", "filterGroups[0].filters", func() error {
			_, err := c.SearchContacts(ctx, SearchContactsRequest{FilterGroups: []FilterGroup{{}}})
			return err
		}},
		{"an unknown operator", "filterGroups[0].filters[0].operator", func() error {
			_, err := c.SearchContacts(ctx, SearchContactsRequest{FilterGroups: []FilterGroup{{Filters: []Filter{{PropertyName: "email", Operator: "LIKE"}}}}})
			return err
		}},
		{"a bad property name", "filterGroups[0].filters[0].propertyName", func() error {
			_, err := c.SearchContacts(ctx, SearchContactsRequest{FilterGroups: []FilterGroup{{Filters: []Filter{{PropertyName: "E mail", Operator: OperatorEQ}}}}})
			return err
		}},
		{"two sorts", "sorts", func() error {
			_, err := c.SearchContacts(ctx, SearchContactsRequest{Sorts: []SearchSort{{PropertyName: "email"}, {PropertyName: "lastname"}}})
			return err
		}},
		{"a bad direction", "sorts[0].direction", func() error {
			_, err := c.SearchContacts(ctx, SearchContactsRequest{Sorts: []SearchSort{{PropertyName: "email", Direction: "UP"}}})
			return err
		}},
	} {
		var ae *ArgumentError
		if err := tc.call(); !errors.As(err, &ae) || ae.Name != tc.param {
			t.Errorf("%s: %v, want an ArgumentError for %s", tc.name, err, tc.param)
		}
	}
	if n := f.count(); n != 0 {
		t.Errorf("refused calls sent %d requests", n)
	}
}

func TestContacts_Sandbox(t *testing.T) {
	t.Parallel()
	_, c := newSandboxClient(t, 0)
	ctx := t.Context()

	maya, err := c.GetContact(ctx, "Maya.Thompson@example.com", &GetContactOptions{IDProperty: ContactEmail})
	if err != nil {
		t.Fatal(err)
	}
	if maya.ID != sandbox.VisitorContactID || maya.Name() != "Maya Thompson" || maya.Email() != "maya.thompson@example.com" ||
		maya.CreatedAt.IsZero() || maya.Archived {
		t.Errorf("contact %+v", maya)
	}
	byID, err := c.GetContact(ctx, sandbox.LeadContactID, &GetContactOptions{Properties: []string{"company", "phone"}})
	if err != nil {
		t.Fatal(err)
	}
	if v, ok := byID.Properties["phone"]; !ok || v != "" || byID.Properties["company"] != "Lindgren Guiding AB" || byID.Email() != "" {
		t.Errorf("properties %v: want company, an empty phone and no email", byID.Properties)
	}
	for _, key := range []string{"sofia.rossi@example.com", "nobody@example.com"} {
		if _, err := c.GetContact(ctx, key, &GetContactOptions{IDProperty: ContactEmail}); !IsNotFound(err) {
			t.Errorf("%s: %v, want a 404", key, err)
		}
	}
	if _, err := c.GetContact(ctx, sandbox.ArchivedContactID, nil); !IsNotFound(err) {
		t.Errorf("archived contact without Archived: %v", err)
	}
	if old, err := c.GetContact(ctx, sandbox.ArchivedContactID, &GetContactOptions{Archived: true}); err != nil || !old.Archived || old.ArchivedAt.IsZero() {
		t.Errorf("archived contact: %+v, %v", old, err)
	}

	page, err := c.SearchContacts(ctx, SearchContactsRequest{Query: "thompson", Properties: []string{ContactFirstName, ContactLastName, ContactEmail}})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, ct := range page.Results {
		names = append(names, ct.ID+" "+ct.Name()+" "+ct.Email())
	}
	want := []string{sandbox.NamesakeContactID + " Owen Thompson owen.thompson@example.com", sandbox.VisitorContactID + " Maya Thompson maya.thompson@example.com"}
	if diff := cmp.Diff(want, names); diff != "" || page.Total == nil || *page.Total != 2 || page.NextAfter() != "" {
		t.Errorf("search thompson (-want +got):\n%s\ntotal %v, next %q", diff, page.Total, page.NextAfter())
	}

	var ids []string
	req := SearchContactsRequest{Limit: 8, FilterGroups: []FilterGroup{{Filters: []Filter{{PropertyName: ContactEmail, Operator: OperatorContainsToken, Value: "*@example.com"}}}}}
	for range 10 {
		p, err := c.SearchContacts(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		for _, ct := range p.Results {
			ids = append(ids, ct.ID)
		}
		if req.After = p.NextAfter(); req.After == "" {
			break
		}
	}
	if len(ids) != 29 || slices.Contains(ids, "3510") {
		t.Errorf("every customer with a contact in pages of 8: %d contacts %v", len(ids), ids)
	}

	var he *Error
	_, err = c.SearchContacts(ctx, SearchContactsRequest{FilterGroups: []FilterGroup{{Filters: []Filter{{PropertyName: "createdate", Operator: OperatorGT, Value: "0"}}}}})
	if !errors.As(err, &he) || he.StatusCode != 400 || he.Category != "VALIDATION_ERROR" {
		t.Errorf("a filter the sandbox refuses: %v", err)
	}
}

// TestSearch_IsARead checks that a search, a POST, is treated as a read:
// it never reaches the write hook (where a dry run stops writes), and
// identical concurrent searches share one request.
func TestSearch_IsARead(t *testing.T) {
	t.Parallel()
	sb, c := newSandboxClient(t, 0)
	c.beforeWrite = func(context.Context, Write) error { return errors.New("a search reached the write hook") }
	p, err := c.SearchContacts(t.Context(), SearchContactsRequest{Query: "maya"})
	if err != nil || p.Total == nil || *p.Total != 2 {
		t.Errorf("search: %v, %v", p, err)
	}
	if n := calls(sb); n != 1 {
		t.Errorf("%d requests", n)
	}

	synctest.Test(t, func(t *testing.T) {
		sb := sandbox.New()
		h := heldHubSpot{sb: sb, release: make(chan struct{})}
		c, err := NewClient(sandbox.DefaultToken, WithHTTPClient(&http.Client{Transport: h}), WithBaseURL("https://api.example.test"))
		if err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		errs := make([]error, 6)
		for i := range errs {
			query := "thompson"
			if i == 5 {
				query = "maya"
			}
			wg.Go(func() { _, errs[i] = c.SearchContacts(t.Context(), SearchContactsRequest{Query: query}) })
		}
		synctest.Wait()
		close(h.release)
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		if n := len(sb.Requests()); n != 2 {
			t.Errorf("%d requests for five identical searches and one other, want 2", n)
		}
	})
}

func TestSearch_RetriedLikeARead(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		f := &fakeHubSpot{answers: []fakeAnswer{{status: 503, body: `{}`}, {status: 200, body: `{"total":0,"results":[]}`}}}
		c := newFakeClient(t, f)
		if _, err := c.SearchContacts(t.Context(), SearchContactsRequest{Query: "x"}); err != nil {
			t.Fatal(err)
		}
		if f.count() != 2 {
			t.Errorf("%d attempts, want 2", f.count())
		}
	})
}

// TestSearch_HeldToSearchRate runs in a synctest bubble: twelve searches at
// once are spread so that no second holds more than five (HubSpot's search
// limit, which the sandbox enforces here), while other reads are not held
// back by it.
func TestSearch_HeldToSearchRate(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		sb := sandbox.New(sandbox.WithRateLimit(1000, 10*time.Second))
		c, err := NewClient(sandbox.DefaultToken, WithHTTPClient(&http.Client{Transport: memHubSpot{sb}}), WithBaseURL("https://api.example.test"),
			WithLimiter(NewWindowLimiter(Rate{Calls: 1000, Per: time.Second})), WithMaxRetries(0))
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		var wg sync.WaitGroup
		errs := make([]error, 12)
		for i := range errs {
			// Each its own search, so none share a request.
			wg.Go(func() {
				_, errs[i] = c.SearchContacts(t.Context(), SearchContactsRequest{Query: "a", Limit: i + 1})
			})
		}
		for range 12 {
			wg.Go(func() {
				if _, err := c.ListOwners(t.Context(), nil); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				t.Fatalf("a search failed (HubSpot's limit was passed?): %v", err)
			}
		}
		var searches []time.Duration
		for _, r := range sb.Requests() {
			at := r.Time.Sub(start)
			if r.Method == "POST" {
				searches = append(searches, at)
			} else if at != 0 {
				t.Errorf("an owners list waited %s", at)
			}
		}
		slices.Sort(searches)
		for i := 5; i < len(searches); i++ {
			if gap := searches[i] - searches[i-5]; gap <= time.Second {
				t.Errorf("searches %d and %d are %s apart: six in one second", i-5, i, gap)
			}
		}
		if last := searches[len(searches)-1]; last < 2*time.Second {
			t.Errorf("twelve searches took %s", last)
		}
	})
}

// TestSearch_MainWindowHoldsWhenASearchWaits runs in a synctest bubble: a
// search that waits for its search turn is counted in the client's window
// when it is sent, not when it started waiting, so the window never holds
// more than its budget of sends.
func TestSearch_MainWindowHoldsWhenASearchWaits(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		sb := sandbox.New()
		main := Rate{Calls: 2, Per: 10 * time.Second}
		c, err := NewClient(sandbox.DefaultToken, WithHTTPClient(&http.Client{Transport: memHubSpot{sb}}), WithBaseURL("https://api.example.test"),
			WithLimiter(NewWindowLimiter(main)), WithSearchLimiter(NewWindowLimiter(Rate{Calls: 1, Per: 5 * time.Second})), WithMaxRetries(0))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.SearchContacts(t.Context(), SearchContactsRequest{Query: "a", Limit: 1}); err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		wg.Go(func() { // waits about 5 s for its search turn
			if _, err := c.SearchContacts(t.Context(), SearchContactsRequest{Query: "a", Limit: 2}); err != nil {
				t.Error(err)
			}
		})
		time.Sleep(time.Second)
		wg.Go(func() {
			if _, err := c.ListOwners(t.Context(), nil); err != nil {
				t.Error(err)
			}
		})
		wg.Go(func() {
			if _, err := c.ListInboxes(t.Context(), nil); err != nil {
				t.Error(err)
			}
		})
		wg.Wait()
		var sent []time.Time
		for _, r := range sb.Requests() {
			sent = append(sent, r.Time)
		}
		if len(sent) != 4 {
			t.Fatalf("%d requests reached HubSpot, want 4", len(sent))
		}
		if most := maxInWindow(sent, main.Per+main.Guard()); most > main.Calls {
			t.Errorf("%d sends within one window of the client's limiter; its budget is %d", most, main.Calls)
		}
	})
}

func TestWithSearchLimiter(t *testing.T) {
	t.Parallel()
	if _, err := NewClient("t", WithSearchLimiter(nil)); err == nil {
		t.Error("a nil search limiter was accepted")
	}
	synctest.Test(t, func(t *testing.T) {
		f := &fakeHubSpot{answers: []fakeAnswer{{status: 200, body: `{"total":0,"results":[]}`}}}
		c := newFakeClient(t, f, WithSearchLimiter(NewWindowLimiter(Rate{Calls: 1, Per: time.Minute})))
		start := time.Now()
		for i := range 2 {
			if _, err := c.SearchContacts(t.Context(), SearchContactsRequest{Limit: i + 1}); err != nil {
				t.Fatal(err)
			}
		}
		if took := time.Since(start); took <= time.Minute {
			t.Errorf("two searches under one a minute took %s", took)
		}
	})
}
