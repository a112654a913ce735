package sandbox

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// ownerJSON is HubSpot's PublicOwner as a client sees it.
type ownerJSON struct {
	ID                      string `json:"id"`
	Email                   string `json:"email"`
	FirstName               string `json:"firstName"`
	LastName                string `json:"lastName"`
	UserID                  *int64 `json:"userId"`
	UserIDIncludingInactive *int64 `json:"userIdIncludingInactive"`
	Type                    string `json:"type"`
	Archived                bool   `json:"archived"`
	CreatedAt               string `json:"createdAt"`
	UpdatedAt               string `json:"updatedAt"`
	Teams                   []struct {
		ID      string `json:"id"`
		Name    string `json:"name"`
		Primary bool   `json:"primary"`
	} `json:"teams"`
}

type ownerList struct {
	Results []ownerJSON `json:"results"`
	Total   *int        `json:"total"`
	Paging  *pagingJSON `json:"paging"`
}

// owners reads every page of the owners list with the query q.
func (h *harness) owners(q string) []ownerJSON {
	h.t.Helper()
	var all []ownerJSON
	path := ownersPath + "?" + q
	for range 20 {
		var l ownerList
		h.get(path, &l)
		all = append(all, l.Results...)
		if l.Total != nil {
			h.t.Errorf("owners list has a total: %d", *l.Total)
		}
		if l.Paging == nil || l.Paging.Next == nil {
			return all
		}
		if !strings.Contains(l.Paging.Next.Link, "after="+url.QueryEscape(l.Paging.Next.After)) {
			h.t.Errorf("next link %q does not carry after %q", l.Paging.Next.Link, l.Paging.Next.After)
		}
		v, _ := url.ParseQuery(q)
		v.Set("after", l.Paging.Next.After)
		path = ownersPath + "?" + v.Encode()
	}
	h.t.Fatal("more than 20 pages of owners")
	return nil
}

func TestOwners_List(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	active := []string{AgentOwnerID, OtherAgentOwnerID, OwnerOnlyAgentOwnerID, QueueOwnerID, NoUserOwnerID}
	for _, tc := range []struct {
		name, query string
		want        []string
	}{
		{"active owners by ID", "", active},
		{"archived owners only", "archived=true", []string{ArchivedOwnerID}},
		{"explicitly live", "archived=false", active},
		{"by email, any case", "email=RILEY.CHEN@juniper-outdoor.example", []string{AgentOwnerID}},
		{"an archived owner's email among live ones", "email=morgan.ellis@juniper-outdoor.example", nil},
		{"an archived owner by email", "email=morgan.ellis@juniper-outdoor.example&archived=true", []string{ArchivedOwnerID}},
		{"unknown email", "email=nobody@example.com", nil},
		{"pages of two", "limit=2", active},
		{"pages of one", "limit=1", active},
		{"a limit over 500 is capped", "limit=100000", active},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var got []string
			for _, o := range h.owners(tc.query) {
				got = append(got, o.ID)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("owners (-want +got):\n%s", diff)
			}
		})
	}

	var first ownerList
	h.get(ownersPath+"?limit=2", &first)
	if len(first.Results) != 2 || first.Paging == nil || first.Paging.Next == nil || first.Paging.Prev != nil {
		t.Errorf("first page of two: %+v (want two results and only paging.next)", first)
	}
}

func TestOwners_Refusals(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	for _, q := range []string{"limit=0", "limit=-3", "limit=ten", "archived=maybe", "after=not-a-cursor"} {
		param, _, _ := strings.Cut(q, "=")
		h.call(http.MethodGet, ownersPath+"?"+q, "").wantParamError(t, param)
	}
	h.call(http.MethodPost, ownersPath, `{}`).wantError(t, http.StatusMethodNotAllowed, categoryMethod)
}

// TestOwners_AgentsAreOwners checks the seed's promise: every agent actor
// of every thread is an active PERSON owner whose userId is the number of
// its A- ID, and the owners that are not agents are what ids_crm.go says.
func TestOwners_AgentsAreOwners(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	other := h.srv.AddAccount("second-token", "Borealis Gear Ltd")
	for _, token := range []string{DefaultToken, "second-token"} {
		h := *h
		h.token = token
		agents := map[string]bool{OwnerOnlyAgentActorID: true}
		for id, th := range seededThreads(t, &h) {
			if strings.HasPrefix(th.AssignedTo, "A-") {
				agents[th.AssignedTo] = true
			}
			for _, m := range h.allMessages(id) {
				for _, ref := range []string{m.CreatedBy, m.AssignedFrom, m.AssignedTo} {
					if strings.HasPrefix(ref, "A-") {
						agents[ref] = true
					}
				}
				for _, s := range m.Senders {
					if strings.HasPrefix(s.ActorID, "A-") {
						agents[s.ActorID] = true
					}
				}
			}
		}
		if len(agents) != 3 {
			t.Errorf("%s: agents %v, want AgentActorID, OtherAgentActorID and OwnerOnlyAgentActorID", token, agents)
		}
		owners := map[string]ownerJSON{}
		byUser := map[int64]ownerJSON{}
		for _, o := range append(h.owners(""), h.owners("archived=true")...) {
			owners[o.ID] = o
			if o.UserID != nil {
				byUser[*o.UserID] = o
			}
		}
		for id := range agents {
			n, _ := strconv.ParseInt(strings.TrimPrefix(id, "A-"), 10, 64)
			o, ok := byUser[n]
			if !ok || o.Type != ownerPerson || o.Archived {
				t.Errorf("%s: agent %s has no active PERSON owner with userId %d (got %+v)", token, id, n, o)
				continue
			}
			var act actor
			h.get(convPrefix+"/actors/"+id, &act)
			if act.Type != actorAgent || act.Name != o.FirstName+" "+o.LastName || act.Email != o.Email {
				t.Errorf("%s: actor %+v and owner %+v disagree", token, act, o)
			}
		}
		for id, check := range map[string]func(ownerJSON) bool{
			QueueOwnerID:    func(o ownerJSON) bool { return o.Type == ownerQueue && o.UserID == nil && !o.Archived },
			ArchivedOwnerID: func(o ownerJSON) bool { return o.Archived && o.UserID == nil && o.UserIDIncludingInactive != nil },
			NoUserOwnerID: func(o ownerJSON) bool {
				return o.Type == ownerPerson && o.UserID == nil && o.UserIDIncludingInactive == nil && !o.Archived
			},
		} {
			if o, ok := owners[id]; !ok || !check(o) {
				t.Errorf("%s: owner %s is not as ids_crm.go describes: %+v", token, id, o)
			}
		}
		if len(owners) != 6 {
			t.Errorf("%s: %d owners, want 6", token, len(owners))
		}
	}
	if name := other.Company(); name != "Borealis Gear Ltd" {
		t.Fatal(name)
	}
	// The agent only the owners list knows can be given a thread.
	r := h.call(http.MethodPut, assigneePrefix+"/threads/"+EmailThreadID+"/assignee", `{"actorId":"`+OwnerOnlyAgentActorID+`"}`)
	r.want(t, http.StatusOK)
	var th threadJSON
	r.decode(t, &th)
	if th.AssignedTo != OwnerOnlyAgentActorID {
		t.Errorf("assigned to %q", th.AssignedTo)
	}
}

func TestOwners_AccountsHaveTheirOwnPeople(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.srv.AddAccount("second-token", "Borealis Gear Ltd")
	names := func(token string) []string {
		hh := *h
		hh.token = token
		var out []string
		for _, o := range hh.owners("") {
			out = append(out, o.FirstName+" "+o.LastName+" "+o.Email)
		}
		return out
	}
	first, second := names(DefaultToken), names("second-token")
	for _, n := range first {
		if slices.Contains(second, n) {
			t.Errorf("owner %q is in both accounts", n)
		}
	}
	if !slices.ContainsFunc(second, func(n string) bool { return strings.HasPrefix(n, "Warranty claims (Borealis Gear Ltd) ") }) {
		t.Errorf("second account's queue is not named after it: %q", second)
	}
}
