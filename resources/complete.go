package resources

import (
	"context"
	"slices"
	"strings"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot"
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
	case "inboxId", "threadId", "toActorId":
		s, err := c.cache.get(ctx, c.svc)
		if err != nil {
			return nil, readError("completion/complete", err)
		}
		switch arg.Name {
		case "inboxId":
			cands = inboxCandidates(s)
		case "threadId":
			cands = threadCandidates(s, cc.Arguments["inboxId"])
		default:
			cands = agentCandidates(s, c.opts.Agents)
		}
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
		if a, ok := s.actors[view.ContactActor(th)]; ok {
			words = append(words, a.Name, a.Email)
		}
		out = append(out, candidate{value: th.ID, words: words})
	}
	return out
}

// agentCandidates are the agents the snapshot knows (assignees of open
// threads) plus the configured ones, found by ID, name or email.
func agentCandidates(s *snapshot, extra []string) []candidate {
	ids := slices.Clone(extra)
	for _, th := range s.open {
		ids = append(ids, th.AssignedTo)
	}
	for id, a := range s.actors {
		if a.Type == hubspot.ActorAgent {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	var out []candidate
	for _, id := range slices.Compact(ids) {
		if !hubspot.IsAgentID(id) {
			continue
		}
		a := s.actors[id]
		out = append(out, candidate{value: id, words: []string{a.Name, a.Email}})
	}
	return out
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
