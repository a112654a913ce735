package inbox

import (
	"slices"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot"
)

// FuzzInboxFilter checks the allowlist's inbox filter for lists: it
// refuses a malformed ID as hubspot.ValidateNumericIDs does, it never asks
// for an inbox outside the list, and it answers "none" exactly when the
// caller named inboxes and none of them is allowed.
func FuzzInboxFilter(f *testing.F) {
	f.Add("147959640,147959634", "147959634")
	f.Add("1", "")
	f.Add("1,2,3", "3,4,3")
	f.Fuzz(func(t *testing.T, allowed, requested string) {
		allow := strings.Split(allowed, ",")
		if allowed == "" {
			allow = nil
		}
		if hubspot.ValidateNumericIDs("inboxId", allow) != nil || len(allow) == 0 {
			return
		}
		var req []string
		if requested != "" {
			req = strings.Split(requested, ",")
		}
		g, err := newGuard(allow)
		if err != nil {
			t.Fatal(err)
		}
		ids, none, err := g.inboxFilter(req)
		if bad := hubspot.ValidateNumericIDs("inboxId", req); err != nil || bad != nil {
			if err == nil || bad == nil || err.Error() != bad.Error() {
				t.Fatalf("filter of %v: err = %v, want %v", req, err, bad)
			}
			return
		}
		for _, id := range ids {
			if !slices.Contains(allow, id) {
				t.Fatalf("filter %v asks for %s outside %v", ids, id, allow)
			}
		}
		anyAllowed := slices.ContainsFunc(req, func(id string) bool { return slices.Contains(allow, id) })
		if none != (len(req) > 0 && !anyAllowed) {
			t.Fatalf("none = %v for %v within %v", none, req, allow)
		}
		if !none && len(ids) == 0 {
			t.Fatalf("an empty filter would list every inbox: %v within %v", req, allow)
		}
	})
}

// TestRecords_Expire: under an allowlist without a cache, the service
// trusts a recorded inbox for ownerTTL. (The records stay bounded as every
// ttlmap.Map does; ttlmap's own test holds that.)
func TestRecords_Expire(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s, err := New(Config{Token: "token", InboxAllowlist: []string{"1"}})
		if err != nil {
			t.Fatal(err)
		}
		cr := s.single
		cr.noteThreads(hubspot.Thread{ID: "42", InboxID: "1"})
		if id, ok := cr.owners.Get(keyThread + "42"); !ok || id != "1" {
			t.Fatalf("recorded inbox = %q, %v", id, ok)
		}
		time.Sleep(ownerTTL + time.Second)
		if _, ok := cr.owners.Get(keyThread + "42"); ok {
			t.Error("a record older than its TTL is still used")
		}
	})
}
