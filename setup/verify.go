package setup

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot"
	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot/sandbox"
	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/view"
)

// state is what setup knows of one scope of the token.
type state string

const (
	present    state = "present"
	missing    state = "missing"
	unverified state = "unverified"
)

// scopeCheck is the outcome for one scope.
type scopeCheck struct {
	scope view.Scope
	state state
	// why explains an unverified scope.
	why string
}

// report is what HubSpot said about the token.
type report struct {
	// method says how the scopes were learned.
	method string
	// account is HubSpot's account (hub) ID, when HubSpot said it.
	account int64
	scopes  []scopeCheck
}

// checkToken learns the token's scopes: from HubSpot's token information
// where it answers for this kind of token, otherwise by one harmless read
// per read scope. Write scopes it cannot see are unverified: it never
// writes to find out. The error is one line; a token HubSpot refuses
// (401) is an error.
func checkToken(ctx context.Context, c *hubspot.Client) (*report, error) {
	info, err := c.TokenInfo(ctx)
	if err == nil {
		r := &report{method: "HubSpot's token information", account: info.HubID}
		for _, sc := range view.Scopes {
			st := missing
			if slices.Contains(info.Scopes, sc.Name) {
				st = present
			}
			r.scopes = append(r.scopes, scopeCheck{scope: sc, state: st})
		}
		return r, nil
	}
	if fail := view.Explain(err); fail.Kind == view.NoAnswer || fail.Kind == view.Cancelled || fail.Kind == view.WaitTimedOut {
		return nil, unreachable(err)
	}
	// The endpoint answers for legacy private-app tokens; for a Service
	// Key or an OAuth token it may refuse although the token works.
	r := &report{method: "harmless reads (HubSpot's token information does not answer for this kind of token)"}
	for _, sc := range view.Scopes {
		ok, err := c.ProbeScope(ctx, sc.Name)
		if errors.Is(err, hubspot.ErrNoProbe) {
			// ProbeScope sent nothing: no harmless read tests a write scope.
			r.scopes = append(r.scopes, scopeCheck{scope: sc, state: unverified,
				why: "a write scope: only a write could test it, and setup never writes"})
			continue
		}
		if err != nil {
			fail := view.Explain(err)
			switch fail.Kind {
			case view.Unauthorized:
				return nil, fmt.Errorf("setup: HubSpot refused the token (%s): %s; nothing was written",
					strings.TrimPrefix(fail.Answered(), "HubSpot answered "), view.FixToken)
			case view.NoAnswer, view.Cancelled, view.WaitTimedOut:
				return nil, unreachable(err)
			}
			why := "HubSpot's answer did not tell"
			if a := fail.Answered(); a != "" {
				why = a
			}
			r.scopes = append(r.scopes, scopeCheck{scope: sc, state: unverified, why: why})
			continue
		}
		st := missing
		if ok {
			st = present
		}
		r.scopes = append(r.scopes, scopeCheck{scope: sc, state: st})
	}
	return r, nil
}

func unreachable(err error) error {
	return fmt.Errorf("setup: could not reach HubSpot to check the token (%v); nothing was written. Check the network, or pass --no-verify to write without checking", err)
}

// scopeState is what the report says of scope ("" when it says nothing, as a
// nil report).
func (r *report) scopeState(scope string) state {
	if r == nil {
		return ""
	}
	for _, sc := range r.scopes {
		if sc.scope.Name == scope {
			return sc.state
		}
	}
	return ""
}

// verify checks the token of c against HubSpot, prints the report, and
// fails when the token cannot read the inbox.
func (s *session) verify(ctx context.Context, c *hubspot.Client) (*report, error) {
	ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	r, err := checkToken(ctx, c)
	if err != nil {
		return nil, err
	}
	s.printReport(r)
	if r.scopeState(hubspot.ScopeConversationsRead) == missing {
		return nil, fmt.Errorf("setup: the token lacks conversations.read, which every tool needs: %s; nothing was written",
			view.AddScope(hubspot.ScopeConversationsRead))
	}
	return r, nil
}

// verifySandbox runs the same check against the embedded demo account.
func (s *session) verifySandbox(ctx context.Context) error {
	url, stop, err := sandbox.Start(ctx, sandbox.New())
	if err != nil {
		return fmt.Errorf("setup: cannot start the demo account: %v", err)
	}
	defer stop()
	s.say("The demo account (--sandbox) needs no token; checking it as a real one would be checked:")
	c, err := s.newClient(sandbox.DefaultToken, url)
	if err != nil {
		return err
	}
	r, err := checkToken(ctx, c)
	if err != nil {
		return err
	}
	s.printReport(r)
	return nil
}

func (s *session) newClient(token, baseURL string) (*hubspot.Client, error) {
	c, err := hubspot.NewClient(token,
		hubspot.WithBaseURL(baseURL),
		hubspot.WithUserAgent("hubspot-conversations-mcp-setup/"+s.env.Version),
		hubspot.WithTimeout(20*time.Second),
		hubspot.WithMaxRetries(1),
	)
	if err != nil {
		return nil, fmt.Errorf("setup: %v", err)
	}
	return c, nil
}

// printReport prints each scope's state and what it enables.
func (s *session) printReport(r *report) {
	head := "HubSpot accepted the token"
	if r.account != 0 {
		head += fmt.Sprintf(" for account %d", r.account)
	}
	s.say("%s. Scopes, from %s:", head, r.method)
	for _, sc := range r.scopes {
		need := "optional"
		if sc.scope.Required {
			need = "required"
		}
		line := fmt.Sprintf("  %-10s %-52s %s: %s", sc.state, sc.scope.Name, need, sc.scope.Enables)
		if sc.why != "" {
			line += " (" + sc.why + ")"
		}
		s.say("%s", line)
	}
	var add []string
	for _, sc := range r.scopes {
		if sc.state == missing {
			add = append(add, sc.scope.Name)
		}
	}
	if len(add) > 0 {
		s.say("To enable what is missing, %s.", addScopes(add))
	}
}

// addScopes words view.AddScope for several scopes.
func addScopes(names []string) string {
	if len(names) == 1 {
		return view.AddScope(names[0])
	}
	return strings.Replace(view.AddScope(strings.Join(names, ", ")), "the scope ", "the scopes ", 1)
}
