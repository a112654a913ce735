package inbox

import (
	"errors"
	"strings"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot"
	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot/sandbox"
)

var (
	riley = Agent{ActorID: sandbox.AgentActorID, Name: "Riley Chen", Email: "riley.chen@juniper-outdoor.example"}
	sam   = Agent{ActorID: sandbox.OtherAgentActorID, Name: "Sam Okafor", Email: "sam.okafor@juniper-outdoor.example"}
	dana  = Agent{ActorID: sandbox.OwnerOnlyAgentActorID, Name: "Dana Whitfield", Email: "dana.whitfield@juniper-outdoor.example"}
)

func TestListAgents_OnlyAgentsOfTheOwnersList(t *testing.T) {
	t.Parallel()
	sb := sandbox.New()
	s := newSandboxService(t, sb, Config{CacheTTL: time.Minute})
	l, err := s.ListAgents(t.Context(), "")
	if err != nil {
		t.Fatal(err)
	}
	// No queue, no archived owner, no owner without a HubSpot user.
	if diff := gocmp.Diff(&AgentList{Agents: []Agent{dana, riley, sam}}, l); diff != "" {
		t.Errorf("agents (-want +got):\n%s", diff)
	}
	for q, want := range map[string][]Agent{"sam": {sam}, "OKAFOR": {sam}, "juniper-outdoor": {dana, riley, sam}, "chen riley": {riley}, "nobody": nil} {
		l, err := s.ListAgents(t.Context(), q)
		if err != nil || !gocmp.Equal(want, l.Agents) {
			t.Errorf("query %q: %v, %v; want %v", q, l.Agents, err, want)
		}
	}
	if got := calls(sb, 0); len(got) != 1 || got[0] != "GET /crm/v3/owners" {
		t.Errorf("calls %v: want one owners read, then the cache", got)
	}
}

func TestListAgents_WithoutTheOwnersScope(t *testing.T) {
	t.Parallel()
	sb := sandbox.New(sandbox.WithoutScopes(hubspot.ScopeOwnersRead))
	s := newSandboxService(t, sb, Config{CacheTTL: time.Minute})
	l, err := s.ListAgents(t.Context(), "")
	if err != nil {
		t.Fatal(err)
	}
	want := &AgentList{Agents: []Agent{riley, sam}, MissingScope: hubspot.ScopeOwnersRead}
	if diff := gocmp.Diff(want, l); diff != "" {
		t.Errorf("agents seen in recent threads (-want +got):\n%s", diff)
	}
	mark := len(sb.Requests())
	if l, err := s.ListAgents(t.Context(), "sam"); err != nil || !gocmp.Equal(l.Agents, []Agent{sam}) || !l.Partial() {
		t.Errorf("again: %+v, %v", l, err)
	}
	if got := calls(sb, mark); len(got) != 0 {
		t.Errorf("the partial list is kept for the cache's time; calls %v", got)
	}
}

func TestResolveAgent(t *testing.T) {
	t.Parallel()
	sb := sandbox.New()
	s := newSandboxService(t, sb, Config{CacheTTL: time.Minute})
	for ref, want := range map[string]Agent{
		"A-48151625":                             {ActorID: "A-48151625"},
		" A-1 ":                                  {ActorID: "A-1"},
		"SAM.OKAFOR@juniper-outdoor.example":     sam,
		"dana":                                   dana,
		"Dana W":                                 dana,
		"whitfield":                              dana,
		"riley.chen@juniper-outdoor.example":     riley,
		"  Riley   Chen ":                        riley,
		"Sam Okafor":                             sam,
		"dana.whitfield@juniper-outdoor.example": dana,
	} {
		got, err := s.ResolveAgent(t.Context(), "actorId", ref)
		if err != nil || got != want {
			t.Errorf("ResolveAgent(%q) = %+v, %v; want %+v", ref, got, err, want)
		}
	}
	for ref, want := range map[string]string{
		"":                               "actorId is required",
		"V-3501":                         "actorId must be an agent actor ID",
		"a\nb":                           "actorId must be an agent's actor ID (A-123), email address or name",
		"nobody@juniper-outdoor.example": `actorId "nobody@juniper-outdoor.example" names no agent; list_agents lists the agents`,
		"an":                             `actorId "an" names no agent`,
		"juniper":                        `actorId "juniper" names no agent`, // names match names, not addresses
	} {
		_, err := s.ResolveAgent(t.Context(), "actorId", ref)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ResolveAgent(%q): %v, want %q", ref, err, want)
		}
	}
}

func TestResolveAgent_PartialList(t *testing.T) {
	t.Parallel()
	sb := sandbox.New(sandbox.WithoutScopes(hubspot.ScopeOwnersRead))
	s := newSandboxService(t, sb, Config{})
	if got, err := s.ResolveAgent(t.Context(), "actorId", "sam.okafor@juniper-outdoor.example"); err != nil || got != sam {
		t.Errorf("an address among the recent agents: %+v, %v", got, err)
	}
	_, err := s.ResolveAgent(t.Context(), "actorId", "Sam")
	var ae *AgentError
	if !errors.As(err, &ae) || !gocmp.Equal(ae.Candidates, []Agent{sam}) || ae.MissingScope != hubspot.ScopeOwnersRead {
		t.Errorf("a name in a partial list: %v, want an AgentError with Sam as the one candidate", err)
	}
	// The error names candidates by actor ID; view renders them as people
	// (people_e2e_test.go checks that wording through every surface).
	want := `actorId "Sam" matches only A-48151624 among the agents seen in recent threads ` +
		`(the access token lacks the scope crm.objects.owners.read, so the agents list is partial), which may not be all; pass their actor ID (A-…) or email address`
	if err.Error() != want {
		t.Errorf("error\n got %s\nwant %s", err, want)
	}
}

func TestValidateAgentSetting(t *testing.T) {
	t.Parallel()
	for _, ok := range []string{"A-1", "A-48151623", "riley.chen@juniper-outdoor.example"} {
		if err := ValidateAgentSetting("HUBSPOT_SENDER_ACTOR_ID", ok); err != nil {
			t.Errorf("%q: %v", ok, err)
		}
	}
	for _, bad := range []string{"Riley Chen", "V-1", "48151623", "riley@", "Riley <riley@x.example>"} {
		if err := ValidateAgentSetting("HUBSPOT_SENDER_ACTOR_ID", bad); err == nil || !strings.Contains(err.Error(), "want an agent actor ID such as A-123, or the agent's email address") {
			t.Errorf("%q: %v", bad, err)
		}
	}
}
