package sandbox

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// missingScopesJSON is HubSpot's 403 MISSING_SCOPES body.
type missingScopesJSON struct {
	Status        string `json:"status"`
	Message       string `json:"message"`
	CorrelationID string `json:"correlationId"`
	Category      string `json:"category"`
	Errors        []struct {
		Message string              `json:"message"`
		Context map[string][]string `json:"context"`
	} `json:"errors"`
	Links map[string]string `json:"links"`
}

// wantMissingScope checks HubSpot's 403 for a token without scope.
func (r response) wantMissingScope(t *testing.T, scope string) {
	t.Helper()
	r.wantError(t, http.StatusForbidden, categoryMissingScopes)
	var e missingScopesJSON
	r.decode(t, &e)
	want := missingScopesJSON{
		Status: "error", CorrelationID: e.CorrelationID, Category: "MISSING_SCOPES",
		Message: "This app hasn't been granted all required scopes to make this call. Read more about required scopes here: https://developers.hubspot.com/scopes.",
		Errors: []struct {
			Message string              `json:"message"`
			Context map[string][]string `json:"context"`
		}{{Message: "One or more of the following scopes are required.", Context: map[string][]string{"requiredGranularScopes": {scope}}}},
		Links: map[string]string{"scopes": "https://developers.hubspot.com/scopes"},
	}
	if diff := cmp.Diff(want, e); diff != "" {
		t.Errorf("403 body (-want +got):\n%s", diff)
	}
}

func TestScopes_Withheld(t *testing.T) {
	t.Parallel()
	h := newHarness(t, WithoutScopes(ScopeContactsRead, " "+ScopeOwnersRead+" ", "no.such.scope"))
	h.call(http.MethodGet, contactPath(VisitorContactID, nil), "").wantMissingScope(t, ScopeContactsRead)
	h.call(http.MethodPost, searchPath, `{"query":"maya"}`).wantMissingScope(t, ScopeContactsRead)
	h.call(http.MethodGet, ownersPath, "").wantMissingScope(t, ScopeOwnersRead)
	// Conversations are untouched; the scope is checked before the body.
	h.call(http.MethodGet, threadsPath+"?limit=1", "").want(t, http.StatusOK)
	h.call(http.MethodPost, searchPath, `not json`).wantMissingScope(t, ScopeContactsRead)
	// Unknown paths stay 404s.
	h.call(http.MethodGet, "/crm/v3/objects/deals", "").wantError(t, http.StatusNotFound, categoryNotFound)

	// Accounts added later lack them too; one account can get them back.
	other := h.srv.AddAccount("second-token", "")
	h.callAs("second-token", http.MethodGet, ownersPath, "").wantMissingScope(t, ScopeOwnersRead)
	other.SetWithheldScopes()
	h.callAs("second-token", http.MethodGet, ownersPath, "").want(t, http.StatusOK)
	h.call(http.MethodGet, ownersPath, "").wantMissingScope(t, ScopeOwnersRead)
}

func TestScopes_PerAccount(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.srv.AddAccount("read-only-token", "").SetWithheldScopes(ScopeConversationsWrite, ScopeVisitorIdentification)
	h.callAs("read-only-token", http.MethodPatch, threadsPath+"/"+EmailThreadID, `{"status":"CLOSED"}`).wantMissingScope(t, ScopeConversationsWrite)
	h.callAs("read-only-token", http.MethodPost, threadsPath+"/"+EmailThreadID+"/messages", `{}`).wantMissingScope(t, ScopeConversationsWrite)
	h.callAs("read-only-token", http.MethodPost, "/visitor-identification/v3/tokens/create", `{"email":"a@b.co"}`).wantMissingScope(t, ScopeVisitorIdentification)
	h.callAs("read-only-token", http.MethodPost, convPrefix+"/actors/batch/read", `{"inputs":["A-48151623"]}`).want(t, http.StatusOK)
	h.callAs("read-only-token", http.MethodGet, contactPath(VisitorContactID, nil), "").want(t, http.StatusOK)
	h.call(http.MethodPatch, threadsPath+"/"+EmailThreadID, `{"status":"CLOSED"}`).want(t, http.StatusOK)
	var recorded []int
	for _, r := range h.srv.Requests() {
		recorded = append(recorded, r.Status)
	}
	if !slices.Contains(recorded, http.StatusForbidden) {
		t.Errorf("refused calls are not recorded: %v", recorded)
	}
}

// TestScopes_EveryRouteHasOne pins the scope of every endpoint.
func TestScopes_EveryRouteHasOne(t *testing.T) {
	t.Parallel()
	got := map[string]string{}
	s := New()
	for _, pattern := range []string{
		"GET " + convPrefix + "/inboxes", "GET " + threadPath, "GET " + threadPath + "/messages/{messageId}/original-content",
		"PATCH " + threadPath, "DELETE " + threadPath, "POST " + threadPath + "/messages",
		"PUT " + assigneePrefix + "/threads/{threadId}/assignee", "DELETE " + assigneePrefix + "/threads/{threadId}/assignee",
		actorsBatchRoute, "POST " + visitorPrefix + "/tokens/create",
		"GET " + ownersPath, "GET " + contactsPath + "/{contactId}", contactSearchRoute,
	} {
		method, path, _ := strings.Cut(pattern, " ")
		req, _ := http.NewRequest(method, strings.NewReplacer("{threadId}", "1", "{messageId}", "m", "{contactId}", "1").Replace(path), nil)
		if _, p := s.mux.Handler(req); p != pattern {
			t.Errorf("%s is not a route (matched %q)", pattern, p)
		}
		got[pattern] = scopeOf(pattern)
	}
	b, _ := json.MarshalIndent(got, "", "  ")
	want := map[string]string{
		"GET " + convPrefix + "/inboxes": ScopeConversationsRead,
		"GET " + threadPath:              ScopeConversationsRead,
		"GET " + threadPath + "/messages/{messageId}/original-content": ScopeConversationsRead,
		"PATCH " + threadPath:                                       ScopeConversationsWrite,
		"DELETE " + threadPath:                                      ScopeConversationsWrite,
		"POST " + threadPath + "/messages":                          ScopeConversationsWrite,
		"PUT " + assigneePrefix + "/threads/{threadId}/assignee":    ScopeConversationsWrite,
		"DELETE " + assigneePrefix + "/threads/{threadId}/assignee": ScopeConversationsWrite,
		actorsBatchRoute:                                            ScopeConversationsRead,
		"POST " + visitorPrefix + "/tokens/create":                  ScopeVisitorIdentification,
		"GET " + ownersPath:                                         ScopeOwnersRead,
		"GET " + contactsPath + "/{contactId}":                      ScopeContactsRead,
		contactSearchRoute:                                          ScopeContactsRead,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("scopes (-want +got):\n%s\n%s", diff, b)
	}
	for _, scope := range want {
		if !slices.Contains(Scopes(), scope) {
			t.Errorf("Scopes() lacks %s", scope)
		}
	}
}
