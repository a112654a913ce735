package hubspot

import (
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// FuzzInboxFilter checks the allowlist's inbox filter for lists: it never
// asks for an inbox outside the list, and it answers "none" exactly when
// the caller named inboxes and none of them is allowed.
func FuzzInboxFilter(f *testing.F) {
	f.Add("147959640,147959634", "147959634")
	f.Add("1", "")
	f.Add("1,2,3", "3,4,3")
	f.Fuzz(func(t *testing.T, allowed, requested string) {
		allow := strings.Split(allowed, ",")
		if allowed == "" {
			allow = nil
		}
		if validateNumericIDs("inboxId", allow) != nil || len(allow) == 0 {
			return
		}
		var req []string
		if requested != "" {
			req = strings.Split(requested, ",")
		}
		g := newInboxGuard(allow)
		ids, none := g.inboxFilter(req)
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

func TestInboxGuard_CacheExpiresAndStaysBounded(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	g := newInboxGuard([]string{"1"})
	g.now = func() time.Time { return now }
	k := ownerKey{"thread", "42"}
	g.learn(k, "1")
	if id, ok := g.owner(k); !ok || id != "1" {
		t.Fatalf("owner = %q, %v", id, ok)
	}
	now = now.Add(ownerCacheTTL + time.Second)
	if _, ok := g.owner(k); ok {
		t.Error("an entry older than the TTL is still used")
	}
	for i := range ownerCacheSize + 100 {
		g.learn(ownerKey{"thread", strconv.Itoa(i)}, "2")
	}
	if n := len(g.owners); n > ownerCacheSize {
		t.Errorf("%d entries, want at most %d", n, ownerCacheSize)
	}
}
