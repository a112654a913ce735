package resources

import (
	"context"
	"slices"
	"strings"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot"
	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/inbox"
	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/view"
)

// maxCompletions is MCP's cap on completion values.
const maxCompletions = 100

// CompleteResourceArgument implements server.ResourceCompletionProvider:
// it completes a template variable by name, whatever the template.
func (c *Catalog) CompleteResourceArgument(ctx context.Context, _ string, arg mcp.CompleteArgument, cc mcp.CompleteContext) (*mcp.Completion, error) {
	return c.complete(ctx, arg, cc)
}

// CompletePromptArgument implements server.PromptCompletionProvider for
// the arguments that name HubSpot objects: inboxId, threadId and
// toActorId. Other arguments get no suggestions.
func (c *Catalog) CompletePromptArgument(ctx context.Context, _ string, arg mcp.CompleteArgument, cc mcp.CompleteContext) (*mcp.Completion, error) {
	return c.complete(ctx, arg, cc)
}

// candidate is a completion value and the words it can be found by.
type candidate struct {
	value string
	words []string
}

func (c *Catalog) complete(ctx context.Context, arg mcp.CompleteArgument, cc mcp.CompleteContext) (*mcp.Completion, error) {
	var cands []candidate
	switch arg.Name {
	case "status":
		cands = []candidate{{value: hubspot.StatusOpen}, {value: hubspot.StatusClosed}}
	case "threadId":
		// A customer's name or address: the search of search_threads.
		if q := strings.TrimSpace(arg.Value); len(q) >= minSearch && len(q) <= maxSearch && strings.Trim(q, "0123456789") != "" {
			return c.searchCompletion(ctx, q, cc.Arguments["inboxId"])
		}
		fallthrough
	case "inboxId":
		s, err := c.cache.get(ctx, c.svc)
		if err != nil {
			return nil, readError("completion/complete", err)
		}
		if arg.Name == "inboxId" {
			cands = inboxCandidates(s)
		} else {
			cands = threadCandidates(s, cc.Arguments["inboxId"])
		}
	case "toActorId":
		// The agents of list_agents.
		l, err := c.svc.ListAgents(ctx, "")
		if err != nil {
			return nil, readError("completion/complete", err)
		}
		cands = agentCandidates(l.Agents, c.opts.Agents)
	default:
		return &mcp.Completion{Values: []string{}}, nil
	}
	return match(cands, arg.Value), nil
}

func inboxCandidates(s *snapshot) []candidate {
	out := make([]candidate, len(s.inboxes))
	for i, in := range s.inboxes {
		out[i] = candidate{value: in.ID, words: []string{in.Name, in.Type}}
	}
	return out
}

// threadCandidates are the open threads, most recently active first,
// found by ID or by the contact's name or email; only those of inboxID
// when it is set.
func threadCandidates(s *snapshot, inboxID string) []candidate {
	var out []candidate
	for _, th := range s.open {
		if inboxID != "" && th.InboxID != inboxID {
			continue
		}
		var words []string
		if a, ok := s.actors[th.CustomerActorID()]; ok {
			words = append(words, a.Name, a.Email)
		}
		out = append(out, candidate{value: th.ID, words: words})
	}
	return out
}

// agentCandidates are the agents (from the service's agents list, as
// list_agents shows them) plus the configured ones, found by ID, name or
// email.
func agentCandidates(agents []inbox.Agent, extra []string) []candidate {
	var out []candidate
	for _, a := range agents {
		out = append(out, candidate{value: a.ActorID, words: []string{a.Name, a.Email}})
	}
	for _, id := range extra {
		if hubspot.IsAgentID(id) && !slices.ContainsFunc(agents, func(a inbox.Agent) bool { return a.ActorID == id }) {
			out = append(out, candidate{value: id})
		}
	}
	return out
}

// minSearch and maxSearch bound the threadId values searched as a
// customer's name or address; other values match the open threads' IDs
// and customers.
const minSearch, maxSearch = 3, 100

// searchCompletion suggests the open threads of the customer q names, as
// search_threads finds them (newest first), within inboxID when set.
//
// Clients ask on every keystroke, and a search costs up to four HubSpot
// calls (the contacts search, whose limit is five a second, and the first
// contacts' lists), so the searches are kept with the snapshot, per
// credential, for its TTL: a value that repeats one, or extends a name
// whose answer held every thread the longer name can match
// (inbox.ThreadSearchResult.Narrow), costs no call. Typing a name costs
// one search, unless its first letters match more contacts than a search
// lists.
func (c *Catalog) searchCompletion(ctx context.Context, q, inboxID string) (*mcp.Completion, error) {
	if hubspot.ValidateNumericID("inboxId", inboxID) != nil {
		inboxID = ""
	}
	cred, err := c.svc.Credential(ctx)
	if err != nil {
		return nil, readError("completion/complete", err)
	}
	search := inbox.ThreadSearch{Customer: q, Status: hubspot.StatusOpen, InboxID: inboxID, Limit: maxCompletions}
	threads, more, ok := c.cache.recallSearch(cred, search)
	if !ok {
		r, err := c.svc.SearchThreads(ctx, search)
		if err != nil {
			return nil, readError("completion/complete", err)
		}
		c.cache.keepSearch(cred, r)
		threads, more = r.Threads, r.NextCursor != ""
	}
	out := &mcp.Completion{Values: []string{}, Total: len(threads), HasMore: more}
	for _, th := range threads {
		out.Values = append(out.Values, th.ID)
	}
	return out, nil
}

// match keeps the candidates whose value starts with prefix, then those
// with a word starting with it (case-insensitively), in order, at most
// 100 values.
func match(cands []candidate, prefix string) *mcp.Completion {
	p := strings.ToLower(strings.TrimSpace(prefix))
	var byValue, byWord []string
	for _, cd := range cands {
		switch {
		case strings.HasPrefix(strings.ToLower(cd.value), p):
			byValue = append(byValue, cd.value)
		case wordMatch(cd.words, p):
			byWord = append(byWord, cd.value)
		}
	}
	values := append(byValue, byWord...)
	out := &mcp.Completion{Values: []string{}, Total: len(values)}
	if len(values) > maxCompletions {
		values, out.HasMore = values[:maxCompletions], true
	}
	out.Values = append(out.Values, values...)
	return out
}

// wordMatch tells whether any word of the texts, or a whole text, starts
// with p.
func wordMatch(texts []string, p string) bool {
	for _, t := range texts {
		t = strings.ToLower(view.Line(t, 200))
		if t == "" {
			continue
		}
		if strings.HasPrefix(t, p) {
			return true
		}
		for _, w := range strings.FieldsFunc(t, func(r rune) bool { return r == ' ' || r == '.' || r == '@' || r == '-' }) {
			if strings.HasPrefix(w, p) {
				return true
			}
		}
	}
	return false
}
