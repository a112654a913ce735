package sandbox

import (
	"net/http"
	"slices"
	"testing"
)

func TestTokenInfo(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.srv.AddAccount("other-token", "Other Co.")

	var info struct {
		UserID int64    `json:"userId"`
		HubID  int64    `json:"hubId"`
		AppID  int64    `json:"appId"`
		Scopes []string `json:"scopes"`
	}
	resp := h.call(http.MethodPost, TokenInfoPath, `{"tokenKey":"`+DefaultToken+`"}`)
	resp.want(t, http.StatusOK)
	resp.decode(t, &info)
	if info.UserID != 48151623 || info.HubID == 0 || info.AppID != 1144555 || !slices.Equal(info.Scopes, Scopes()) {
		t.Errorf("token info = %+v; want the agent behind %s, the account, the app behind %s and %v", info, AgentActorID, IntegratorActorID, Scopes())
	}
	first := info.HubID

	// Each account's token names its own account.
	h.call(http.MethodPost, TokenInfoPath, `{"tokenKey":"other-token"}`).decode(t, &info)
	if info.HubID == first {
		t.Errorf("the other account's token gave the same hubId %d", first)
	}

	h.call(http.MethodPost, TokenInfoPath, `{"tokenKey":"pat-na1-unknown"}`).wantError(t, http.StatusUnauthorized, "INVALID_AUTHENTICATION")
	h.call(http.MethodPost, TokenInfoPath, `{}`).wantParamError(t, "tokenKey")
	h.callAs("", http.MethodPost, TokenInfoPath, `{"tokenKey":"`+DefaultToken+`"}`).wantError(t, http.StatusUnauthorized, "INVALID_AUTHENTICATION")
	h.call(http.MethodGet, TokenInfoPath, "").wantError(t, http.StatusMethodNotAllowed, "METHOD_NOT_ALLOWED")

	// Withheld scopes are not listed, and the endpoint itself needs none.
	h.srv.Account(DefaultToken).SetWithheldScopes(ScopeContactsRead, ScopeConversationsWrite, ScopeConversationsRead)
	h.call(http.MethodPost, TokenInfoPath, `{"tokenKey":"`+DefaultToken+`"}`).decode(t, &info)
	if want := []string{ScopeVisitorIdentification, ScopeOwnersRead}; !slices.Equal(info.Scopes, want) {
		t.Errorf("scopes with three withheld = %v, want %v", info.Scopes, want)
	}
}
