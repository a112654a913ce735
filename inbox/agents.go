package inbox

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"

	"golang.org/x/sync/errgroup"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot"
)

// Agents are the people of the team: HubSpot users, who are assigned
// threads and send messages. They come from HubSpot's CRM owners list
// (scope crm.objects.owners.read), where an agent is an active owner of
// type PERSON with a HubSpot user: its actor ID is A-<userId> (see
// hubspot.Owner). Queues, archived owners and owners without a user (such
// as those synced from Salesforce) are not agents. Without the scope, the
// agents are those seen in recent threads, and the list says it is
// partial.
//
// One resolver (ResolveAgent) turns what a person calls an agent (an
// actor ID, an email address or a name) into the agent, for every surface:
// assign_thread's actorId, send_message's senderActorId,
// HUBSPOT_SENDER_ACTOR_ID, handoff_note's toActorId and setup.
const (
	// ownerPageLimit is the page size of the owners list: HubSpot's
	// largest.
	ownerPageLimit = 500
	// MaxOwners bounds the owners read for the agents list: four pages.
	MaxOwners = 4 * ownerPageLimit
	// RecentAgentThreads and RecentAgentHistories bound the fallback
	// without the owners scope: the assignees of the RecentAgentThreads
	// most recently active threads, and the agents who wrote in the
	// RecentAgentHistories latest of them.
	RecentAgentThreads   = 100
	RecentAgentHistories = 5
	// maxCandidates bounds the agents an AgentError names.
	maxCandidates = 5
)

// Agent is one agent: the actor ID that assigns threads and sends
// messages, the name and the email address.
type Agent struct {
	ActorID string
	Name    string
	Email   string
}

// OwnerAgent returns the agent an owner is, if it is one: an active owner
// (not a queue) with a HubSpot user.
func OwnerAgent(o hubspot.Owner) (Agent, bool) {
	id := o.AgentActorID()
	if id == "" || o.Archived {
		return Agent{}, false
	}
	return Agent{ActorID: id, Name: o.Name(), Email: o.Email}, true
}

// ReadAgents reads the agents of c's account from the owners list, sorted
// by name: at most MaxOwners owners, so complete is false when the list
// goes on. The client's cache (hubspot.WithCache) keeps the pages like other
// reference data. It needs the scope crm.objects.owners.read; without it
// the error is HubSpot's 403 MISSING_SCOPES (see hubspot.MissingScopes).
// Setup calls it with its own client; the service with the caller's.
func ReadAgents(ctx context.Context, c *hubspot.Client) (agents []Agent, complete bool, err error) {
	after := ""
	for range MaxOwners / ownerPageLimit {
		p, err := c.ListOwners(ctx, &hubspot.ListOwnersOptions{Limit: ownerPageLimit, After: after})
		if err != nil {
			return nil, false, err
		}
		for _, o := range p.Results {
			if a, ok := OwnerAgent(o); ok {
				agents = append(agents, a)
			}
		}
		if after = p.NextAfter(); after == "" {
			return sortAgents(agents), true, nil
		}
	}
	return sortAgents(agents), false, nil
}

// sortAgents orders agents by name, then actor ID, without repeats.
func sortAgents(agents []Agent) []Agent {
	slices.SortFunc(agents, func(a, b Agent) int {
		return cmp.Or(cmp.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)), cmp.Compare(a.ActorID, b.ActorID))
	})
	return slices.CompactFunc(agents, func(a, b Agent) bool { return a.ActorID == b.ActorID })
}

// AgentList is the account's agents as ListAgents found them.
type AgentList struct {
	Agents []Agent
	// Truncated is set when the owners list is longer than MaxOwners.
	Truncated bool
	// MissingScope is set (to crm.objects.owners.read) when the token
	// cannot read the owners list: Agents are then only those seen in
	// recent threads (RecentAgentThreads, RecentAgentHistories).
	MissingScope string
}

// Partial tells whether the list holds only the agents seen in recent
// threads.
func (l *AgentList) Partial() bool { return l.MissingScope != "" }

// ListAgents lists the agents whose name or email address contains query
// (ignoring case; every word of it, in any order), or all of them.
func (s *Service) ListAgents(ctx context.Context, query string) (*AgentList, error) {
	cr, err := s.credential(ctx)
	if err != nil {
		return nil, err
	}
	all, err := s.agents(ctx, cr)
	if err != nil {
		return nil, err
	}
	words := queryWords(query)
	out := *all
	out.Agents = nil
	for _, a := range all.Agents {
		if containsWords(words, a.Name, a.Email) {
			out.Agents = append(out.Agents, a)
		}
	}
	return &out, nil
}

// agents returns every agent of the credential's account: from the owners
// list, or, without its scope, from recent threads. The fallback's answer
// is kept on the credential for Config.CacheTTL, so completion and repeated
// look-ups do not read the recent threads again each time.
func (s *Service) agents(ctx context.Context, cr *credential) (*AgentList, error) {
	if l := cr.recentAgents.get(); l != nil {
		return l, nil
	}
	agents, complete, err := ReadAgents(ctx, cr.client)
	if err == nil {
		return &AgentList{Agents: agents, Truncated: !complete}, nil
	}
	if _, ok := hubspot.MissingScopes(err); !ok {
		return nil, err
	}
	l, err := s.recentAgents(ctx, cr)
	if err != nil {
		return nil, err
	}
	l.MissingScope = hubspot.ScopeOwnersRead
	cr.recentAgents.put(l, s.cfg.CacheTTL)
	return l, nil
}

// recentAgents finds the agents seen in recent threads: the assignees of
// the RecentAgentThreads most recently active, and the senders in the
// histories of the RecentAgentHistories latest (read concurrently), named
// by one actor read.
func (s *Service) recentAgents(ctx context.Context, cr *credential) (*AgentList, error) {
	page, err := s.newest(ctx, cr, hubspot.ListThreadsOptions{ListOptions: hubspot.ListOptions{Limit: RecentAgentThreads}})
	if err != nil {
		return nil, err
	}
	var (
		mu  sync.Mutex
		ids []string
	)
	for _, th := range page.Results {
		ids = append(ids, th.AssignedTo)
	}
	g, gctx := errgroup.WithContext(ctx)
	for _, th := range page.Results[:min(RecentAgentHistories, len(page.Results))] {
		g.Go(func() error {
			p, err := s.listMessages(gctx, cr, th.ID, &hubspot.ListMessagesOptions{ListOptions: hubspot.ListOptions{Limit: 50}})
			if hubspot.IsNotFound(err) {
				return nil // archived since it was listed
			}
			if err != nil {
				return err
			}
			mu.Lock()
			defer mu.Unlock()
			for _, m := range p.Results {
				for _, snd := range m.Senders {
					ids = append(ids, snd.ActorID)
				}
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	slices.Sort(ids)
	ids = slices.DeleteFunc(slices.Compact(ids), func(id string) bool { return !hubspot.IsAgentID(id) })
	people, _ := s.people(ctx, cr, ids) // a failed read leaves the names out
	l := &AgentList{}
	for _, id := range ids {
		a := people[id]
		l.Agents = append(l.Agents, Agent{ActorID: id, Name: a.Name, Email: a.Email})
	}
	l.Agents = sortAgents(l.Agents)
	return l, nil
}

// agentCache keeps a credential's fallback agents list for a while. Safe
// for concurrent use; its zero value holds no list.
type agentCache struct {
	mu      sync.Mutex
	list    *AgentList
	expires time.Time
}

func (c *agentCache) get() *AgentList {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.list == nil || time.Now().After(c.expires) {
		return nil
	}
	return c.list
}

func (c *agentCache) put(l *AgentList, ttl time.Duration) {
	if ttl <= 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.list, c.expires = l, time.Now().Add(ttl)
}

// AgentError is a reference to an agent (an email address or a name) that
// names no agent, or several: the call was refused and nothing was sent.
// view renders it as an invalid argument, with the candidates.
type AgentError struct {
	// Param is the parameter that named the agent, e.g. actorId.
	Param string
	// From is the setting the reference came from, when the caller gave
	// none (HUBSPOT_SENDER_ACTOR_ID).
	From string
	// Ref is the reference as given.
	Ref string
	// Candidates are the agents it matches: none, or several; one when
	// a name matched only in a partial list.
	Candidates []Agent
	// More counts the candidates beyond those listed.
	More int
	// MissingScope is set when only the agents seen in recent threads
	// could be searched (see AgentList).
	MissingScope string
}

// Error names the candidates by actor ID only: a person is rendered as
// one line of text in one place, package view (view.AgentLine), which every
// surface reads this error through.
func (e *AgentError) Error() string {
	return e.Param + " " + e.Reason(func(a Agent) string { return a.ActorID })
}

// Reason words the refusal, showing each candidate with line.
func (e *AgentError) Reason(line func(Agent) string) string {
	var b strings.Builder
	if e.From != "" {
		b.WriteString("was not given, and " + e.From + " ")
	}
	b.WriteString(hubspot.Quote(e.Ref) + " ")
	partial := ""
	if e.MissingScope != "" {
		partial = " among the agents seen in recent threads (the access token lacks the scope " + e.MissingScope + ", so the agents list is partial)"
	}
	names := make([]string, len(e.Candidates))
	for i, a := range e.Candidates {
		names[i] = line(a)
	}
	list := strings.Join(names, "; ")
	if e.More > 0 {
		list += "; and " + strconv.Itoa(e.More) + " more"
	}
	switch {
	case len(e.Candidates) == 0:
		b.WriteString("names no agent" + partial + "; list_agents lists the agents")
	case len(e.Candidates) == 1:
		b.WriteString("matches only " + list + partial + ", which may not be all; pass their actor ID (A-…) or email address")
	default:
		b.WriteString("matches " + strconv.Itoa(len(e.Candidates)+e.More) + " agents" + partial + ": " + list + "; pass one's actor ID (A-…) or email address")
	}
	if e.From != "" {
		b.WriteString("; pass " + e.Param)
	}
	return b.String()
}

// ResolveAgent returns the agent ref names, for the parameter param: an
// agent actor ID as is, without a look-up; an email address, the
// agent with that address (ignoring case); a name or part of one (every
// word a prefix of a word of the name), the one agent so named. A name is
// accepted only when the agents list is complete (the owners scope is
// granted), since a partial list cannot show that nobody else has it. A
// reference that matches no agent or several fails with an *AgentError;
// a failed look-up with a *StepError; nothing was sent either way.
func (s *Service) ResolveAgent(ctx context.Context, param, ref string) (Agent, error) {
	return s.resolveAgent(ctx, nil, param, "", ref)
}

// resolveAgent is ResolveAgent with the setting the reference came from
// (see AgentError.From), and cr, the caller's credential when the caller
// holds it: nil looks it up, only if ref must be looked up among the
// agents (an actor ID needs no look-up).
func (s *Service) resolveAgent(ctx context.Context, cr *credential, param, from, ref string) (Agent, error) {
	ref = strings.TrimSpace(ref)
	switch {
	case ref == "":
		return Agent{}, argErr(param, "is required: an agent's actor ID (A-123) or email address")
	case hubspot.ActorTypeOf(ref) != "":
		if err := hubspot.ValidateAgentID(param, ref); err != nil {
			return Agent{}, err
		}
		return Agent{ActorID: ref}, nil
	case len(ref) > hubspot.MaxEmailLength || strings.IndexFunc(ref, unicode.IsControl) >= 0:
		// A name or an address, at most an address long.
		return Agent{}, argErr(param, "must be an agent's actor ID (A-123), email address or name, got "+hubspot.Quote(ref))
	}
	if cr == nil {
		var err error
		if cr, err = s.credential(ctx); err != nil {
			return Agent{}, err
		}
	}
	all, err := s.agents(ctx, cr)
	if err != nil {
		return Agent{}, &StepError{Action: "look up the agent " + hubspot.Quote(ref), Err: err}
	}
	email := isEmail(ref)
	found := MatchAgents(all.Agents, ref)
	if len(found) == 1 && (email || !all.Partial() && !all.Truncated) {
		return found[0], nil
	}
	e := &AgentError{Param: param, From: from, Ref: ref, MissingScope: all.MissingScope}
	if len(found) > maxCandidates {
		e.More = len(found) - maxCandidates
		found = found[:maxCandidates]
	}
	e.Candidates = found
	return Agent{}, e
}

// MatchAgents returns the agents ref names: for an email address, the
// agents with that address (ignoring case); otherwise those whose name
// ref matches (every word of ref begins a word of the name). The one rule
// of ResolveAgent, for setup's choice of a sender too.
func MatchAgents(agents []Agent, ref string) []Agent {
	ref = strings.TrimSpace(ref)
	email := isEmail(ref)
	var found []Agent
	for _, a := range agents {
		if email && strings.EqualFold(a.Email, ref) || !email && nameMatches(ref, a.Name) {
			found = append(found, a)
		}
	}
	return found
}

// nameMatches tells whether every word of ref begins a word of name,
// ignoring case: "dana", "Dana W" and "whitfield" name Dana Whitfield.
func nameMatches(ref, name string) bool {
	words := nameWords(name)
	refWords := nameWords(ref)
	if len(refWords) == 0 {
		return false
	}
	for _, w := range refWords {
		if !slices.ContainsFunc(words, func(n string) bool { return strings.HasPrefix(n, w) }) {
			return false
		}
	}
	return true
}

// nameWords splits a name into lower-case words.
func nameWords(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '\'' })
}

// queryWords splits a search query into lower-case words.
func queryWords(q string) []string { return strings.Fields(strings.ToLower(q)) }

// containsWords tells whether each word is contained in one of the texts,
// ignoring case; no words match everything.
func containsWords(words []string, texts ...string) bool {
	for _, w := range words {
		if !slices.ContainsFunc(texts, func(t string) bool { return strings.Contains(strings.ToLower(t), w) }) {
			return false
		}
	}
	return true
}

// isEmail tells whether s is a plain email address, as HubSpot reads one.
func isEmail(s string) bool {
	return strings.Contains(s, "@") && hubspot.ValidateEmail("email", s) == nil
}

// ValidateAgentSetting checks an agent named in the configuration
// (HUBSPOT_SENDER_ACTOR_ID, setup's --sender): an agent actor ID, or an
// email address that ResolveAgent resolves when it is needed. Names are
// not accepted there: a setting must not come to mean someone else when a
// namesake joins.
func ValidateAgentSetting(name, ref string) error {
	if hubspot.ActorTypeOf(ref) != "" || !strings.Contains(ref, "@") {
		if err := hubspot.ValidateAgentID(name, ref); err != nil {
			return fmt.Errorf("%s %s: want an agent actor ID such as A-123, or the agent's email address", name, hubspot.Quote(ref))
		}
		return nil
	}
	if err := hubspot.ValidateEmail(name, ref); err != nil {
		return fmt.Errorf("%s %s: want an agent actor ID such as A-123, or the agent's email address", name, hubspot.Quote(ref))
	}
	return nil
}
