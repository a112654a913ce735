package hubspot

import (
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot/sandbox"
)

func TestTokenInfo_ReadsTheTokensAccountAndScopes(t *testing.T) {
	t.Parallel()
	sb, c := newSandboxClient(t, 0)
	info, err := c.TokenInfo(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if info.HubID == 0 || info.UserID == 0 || info.AppID == 0 || !slices.Equal(info.Scopes, sandbox.Scopes()) {
		t.Errorf("TokenInfo = %+v; want the account, user, app and %v", info, sandbox.Scopes())
	}
	reqs := sb.Requests()
	if len(reqs) != 1 || reqs[0].Method != http.MethodPost || reqs[0].Path != "/oauth/v2/private-apps/get/access-token-info" {
		t.Fatalf("requests = %+v; want one POST to the token information endpoint", reqs)
	}
	// The token goes in the body (tokenKey), never in the URL.
	if strings.Contains(reqs[0].Path+reqs[0].RawQuery, sandbox.DefaultToken) || !strings.Contains(string(reqs[0].Body), `"tokenKey":"`+sandbox.DefaultToken+`"`) {
		t.Errorf("request %s?%s body %s; want the token only in the body's tokenKey", reqs[0].Path, reqs[0].RawQuery, reqs[0].Body)
	}
}

func TestTokenInfo_ErrorNeverHoldsTheToken(t *testing.T) {
	t.Parallel()
	sb, c := newSandboxClient(t, 0)
	sb.InjectFault(sandbox.Fault{Path: "/oauth/", Status: http.StatusNotFound})
	_, err := c.TokenInfo(t.Context())
	var apiErr *Error
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusNotFound {
		t.Fatalf("err = %v; want HubSpot's 404", err)
	}
	if strings.Contains(err.Error(), sandbox.DefaultToken) {
		t.Errorf("error %q holds the token", err)
	}
}

func TestProbeScope(t *testing.T) {
	t.Parallel()
	t.Run("granted", func(t *testing.T) {
		t.Parallel()
		sb, c := newSandboxClient(t, 0)
		ok, err := c.ProbeScope(t.Context(), "conversations.read")
		if err != nil || !ok {
			t.Fatalf("ProbeScope = %v, %v; want true", ok, err)
		}
		if reqs := sb.Requests(); len(reqs) != 1 || reqs[0].Method != http.MethodGet || reqs[0].RawQuery != "limit=1" {
			t.Errorf("requests = %+v; want one GET of one inbox", reqs)
		}
	})
	t.Run("missing: HubSpot answers 403", func(t *testing.T) {
		t.Parallel()
		sb, c := newSandboxClient(t, 0)
		sb.InjectFault(sandbox.Fault{Path: "/conversations/", Status: http.StatusForbidden})
		if ok, err := c.ProbeScope(t.Context(), "conversations.read"); err != nil || ok {
			t.Errorf("ProbeScope = %v, %v; want false, nil", ok, err)
		}
	})
	t.Run("a refused token is an error", func(t *testing.T) {
		t.Parallel()
		sb, c := newSandboxClient(t, 0)
		sb.InjectFault(sandbox.Fault{Status: http.StatusUnauthorized})
		ok, err := c.ProbeScope(t.Context(), "conversations.read")
		var apiErr *Error
		if ok || !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusUnauthorized {
			t.Errorf("ProbeScope = %v, %v; want HubSpot's 401", ok, err)
		}
	})
	t.Run("write scopes are never probed", func(t *testing.T) {
		t.Parallel()
		sb, c := newSandboxClient(t, 0)
		for _, scope := range []string{"conversations.write", "conversations.visitor_identification.tokens.create", "no.such.scope"} {
			if ok, err := c.ProbeScope(t.Context(), scope); ok || !errors.Is(err, ErrNoProbe) {
				t.Errorf("ProbeScope(%s) = %v, %v; want ErrNoProbe", scope, ok, err)
			}
		}
		if n := len(sb.Requests()); n != 0 {
			t.Errorf("%d requests sent; want none", n)
		}
	})
	t.Run("each read scope's probe is one read of one record", func(t *testing.T) {
		t.Parallel()
		for scope := range scopeProbes {
			sb, c := newSandboxClient(t, 0)
			if ok, err := c.ProbeScope(t.Context(), scope); err != nil || !ok {
				t.Errorf("ProbeScope(%s) = %v, %v; want true on the sandbox", scope, ok, err)
			}
			reqs := sb.Requests()
			if len(reqs) != 1 || (reqs[0].Method != http.MethodGet && !strings.HasSuffix(reqs[0].Path, "/search")) ||
				!(strings.Contains(reqs[0].RawQuery, "limit=1") || strings.Contains(string(reqs[0].Body), `"limit":1`)) {
				t.Errorf("probe of %s sent %+v; want one read of one record", scope, reqs)
			}
			sb.Account(sandbox.DefaultToken).SetWithheldScopes(scope)
			if ok, err := c.ProbeScope(t.Context(), scope); err != nil || ok {
				t.Errorf("ProbeScope(%s) without the scope = %v, %v; want false", scope, ok, err)
			}
		}
	})
}
