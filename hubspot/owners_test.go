package hubspot

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot/sandbox"
)

func TestListOwners_Sandbox(t *testing.T) {
	t.Parallel()
	sb, c := newSandboxClient(t, 0)
	ctx := t.Context()
	var all []Owner
	opts := &ListOwnersOptions{Limit: 2}
	for pages := 1; ; pages++ {
		p, err := c.ListOwners(ctx, opts)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, p.Results...)
		if p.NextAfter() == "" {
			if pages != 3 {
				t.Errorf("%d pages of two for five owners", pages)
			}
			break
		}
		opts.After = p.NextAfter()
	}
	type agent struct{ ID, Name, Email, Actor, Type string }
	var got []agent
	for _, o := range all {
		got = append(got, agent{o.ID, o.Name(), o.Email, o.AgentActorID(), o.Type})
	}
	want := []agent{
		{sandbox.AgentOwnerID, "Riley Chen", "riley.chen@juniper-outdoor.example", sandbox.AgentActorID, OwnerPerson},
		{sandbox.OtherAgentOwnerID, "Sam Okafor", "sam.okafor@juniper-outdoor.example", sandbox.OtherAgentActorID, OwnerPerson},
		{sandbox.OwnerOnlyAgentOwnerID, "Dana Whitfield", "dana.whitfield@juniper-outdoor.example", sandbox.OwnerOnlyAgentActorID, OwnerPerson},
		{sandbox.QueueOwnerID, "Warranty claims", "", "", OwnerQueue},
		{sandbox.NoUserOwnerID, "Taylor Quinlan", "taylor.quinlan@juniper-outdoor.example", "", OwnerPerson},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("owners (-want +got):\n%s", diff)
	}
	if o := all[1]; len(o.Teams) != 2 || !o.Teams[0].Primary || o.CreatedAt.IsZero() || o.UpdatedAt.IsZero() || o.Archived {
		t.Errorf("owner decoded as %+v", o)
	}

	archived, err := c.ListOwners(ctx, &ListOwnersOptions{Archived: true, Email: "MORGAN.ELLIS@juniper-outdoor.example"})
	if err != nil {
		t.Fatal(err)
	}
	if len(archived.Results) != 1 || archived.Results[0].ID != sandbox.ArchivedOwnerID || !archived.Results[0].Archived ||
		archived.Results[0].AgentActorID() != "" || archived.Results[0].UserIDIncludingInactive != 48151619 {
		t.Errorf("archived owners %+v", archived.Results)
	}

	sb.ResetRequests()
	if _, err := c.ListOwners(ctx, &ListOwnersOptions{Limit: -1}); !errors.As(err, new(*ArgumentError)) {
		t.Errorf("negative limit: %v", err)
	}
	if n := len(sb.Requests()); n != 0 {
		t.Errorf("a refused call sent %d requests", n)
	}
}

func TestListOwners_CachedLikeInboxes(t *testing.T) {
	t.Parallel()
	sb, c := newSandboxClient(t, time.Minute)
	for range 3 {
		if _, err := c.ListOwners(t.Context(), nil); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := c.ListOwners(t.Context(), &ListOwnersOptions{Archived: true}); err != nil {
		t.Fatal(err)
	}
	if n := calls(sb); n != 2 {
		t.Errorf("%d requests for three identical lists and one other, want 2", n)
	}
}

func TestOwner_AgentActorID(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		o    Owner
		want string
	}{
		{Owner{UserID: 48151623, Type: OwnerPerson}, "A-48151623"},
		{Owner{UserID: 7, Type: OwnerPerson, Archived: true}, "A-7"},
		{Owner{UserID: 7, Type: OwnerQueue}, ""},
		{Owner{UserIDIncludingInactive: 7, Type: OwnerPerson}, ""},
		{Owner{Type: OwnerPerson}, ""},
	} {
		if got := tc.o.AgentActorID(); got != tc.want {
			t.Errorf("%+v: AgentActorID() = %q, want %q", tc.o, got, tc.want)
		}
	}
}
