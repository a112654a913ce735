package sandbox

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestGetActor(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	for _, tc := range []struct {
		id   string
		want map[string]any
	}{
		{AgentActorID, map[string]any{"id": AgentActorID, "type": "AGENT", "name": "Riley Chen", "email": "riley.chen@juniper-outdoor.example",
			"avatar": "https://cdn.juniper-outdoor.example/avatars/riley-chen.png"}},
		{OtherAgentActorID, map[string]any{"id": OtherAgentActorID, "type": "AGENT", "name": "Sam Okafor", "email": "sam.okafor@juniper-outdoor.example",
			"avatar": "https://cdn.juniper-outdoor.example/avatars/sam-okafor.png"}},
		{VisitorActorID, map[string]any{"id": VisitorActorID, "type": "VISITOR", "name": "Maya Thompson", "email": "maya.thompson@example.com"}},
		{BotActorID, map[string]any{"id": BotActorID, "type": "BOT", "name": "Trail Guide", "avatar": "https://cdn.juniper-outdoor.example/avatars/trail-guide-bot.png"}},
		{IntegratorActorID, map[string]any{"id": IntegratorActorID, "type": "INTEGRATOR", "name": "Juniper Outdoor Co. order desk",
			"avatar": "https://cdn.juniper-outdoor.example/avatars/order-desk-app.png"}},
		{SystemActorID, map[string]any{"id": SystemActorID, "type": "SYSTEM"}},
		{EmailActorID, map[string]any{"id": EmailActorID, "type": "EMAIL", "email": "jordan.lee@example.com"}},
		{LLMActorID, map[string]any{"id": LLMActorID, "type": "LLM", "name": "Customer Agent", "avatar": "https://cdn.juniper-outdoor.example/avatars/customer-agent.png"}},
	} {
		t.Run(tc.id, func(t *testing.T) {
			t.Parallel()
			var got map[string]any
			h.get("/conversations/v3/conversations/actors/"+tc.id+"?property=name", &got)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
	e := h.call(http.MethodGet, "/conversations/v3/conversations/actors/A-1", "").wantError(t, http.StatusNotFound, "OBJECT_NOT_FOUND")
	if e.Message != "Actor A-1 not found" {
		t.Errorf("message = %q", e.Message)
	}
}

func TestBatchReadActors(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	const p = "/conversations/v3/conversations/actors/batch/read"
	type batch struct {
		Status      string           `json:"status"`
		Results     []map[string]any `json:"results"`
		NumErrors   *int             `json:"numErrors"`
		StartedAt   string           `json:"startedAt"`
		CompletedAt string           `json:"completedAt"`
		Errors      []struct {
			Status   string              `json:"status"`
			Category string              `json:"category"`
			Message  string              `json:"message"`
			Context  map[string][]string `json:"context"`
			Errors   []any               `json:"errors"`
			Links    map[string]string   `json:"links"`
		} `json:"errors"`
	}
	r := h.call(http.MethodPost, p, `{"inputs":["`+AgentActorID+`","`+VisitorActorID+`","`+AgentActorID+`"]}`)
	r.want(t, http.StatusOK)
	var ok batch
	r.decode(t, &ok)
	if ok.Status != "COMPLETE" || len(ok.Results) != 2 || ok.NumErrors != nil || ok.StartedAt == "" || ok.CompletedAt == "" {
		t.Errorf("batch = %s", r.body)
	}

	r = h.call(http.MethodPost, p+"?property=email", `{"inputs":["`+BotActorID+`","V-999999","X-1"]}`)
	r.want(t, http.StatusMultiStatus)
	var partial batch
	r.decode(t, &partial)
	if partial.Status != "COMPLETE" || len(partial.Results) != 1 || partial.Results[0]["id"] != BotActorID ||
		partial.NumErrors == nil || *partial.NumErrors != 1 || len(partial.Errors) != 1 {
		t.Fatalf("207 batch = %s", r.body)
	}
	e := partial.Errors[0]
	if e.Status != "error" || e.Category != "OBJECT_NOT_FOUND" || e.Errors == nil || e.Links == nil ||
		!cmp.Equal(e.Context, map[string][]string{"ids": {"V-999999", "X-1"}}) {
		t.Errorf("batch error = %+v", e)
	}

	for _, body := range []string{`{}`, `{"inputs":[]}`, `{"inputs":"A-1"}`, ``} {
		r := h.call(http.MethodPost, p, body)
		r.wantError(t, http.StatusBadRequest, "VALIDATION_ERROR")
	}
}

func TestVisitorTokens(t *testing.T) {
	t.Parallel()
	h := newHarness(t, WithClock(fixedClock))
	const p = "/visitor-identification/v3/tokens/create"
	create := func() string {
		t.Helper()
		r := h.call(http.MethodPost, p, `{"email":"maya.thompson@example.com","firstName":"Maya","hsCustomerAgentContext":{"plan":"gold"}}`)
		r.want(t, http.StatusOK)
		var tok struct{ Token string }
		r.decode(t, &tok)
		return tok.Token
	}
	first, second := create(), create()
	if first == second {
		t.Errorf("tokens repeat: %q", first)
	}
	parts := strings.Split(first, ".")
	if len(parts) != 3 {
		t.Fatalf("token %q is not a JWT", first)
	}
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatalf("payload: %v", err)
	}
	var claims map[string]any
	if err := json.Unmarshal(payload, &claims); err != nil {
		t.Fatal(err)
	}
	if claims["email"] != "maya.thompson@example.com" || claims["exp"].(float64)-claims["iat"].(float64) != 12*3600 {
		t.Errorf("claims = %v", claims)
	}

	for _, body := range []string{`{}`, `{"email":""}`, `{"email":"not-an-email"}`, `{"email":"Maya <m@example.com>"}`,
		`{"email":"m@localhost"}`, `{"email":"m@x.example","hsCustomerAgentContext":{"n":1}}`} {
		r := h.call(http.MethodPost, p, body)
		r.wantError(t, http.StatusBadRequest, "VALIDATION_ERROR")
	}

	h.srv.Account(DefaultToken).SetVisitorIdentification(false)
	e := h.call(http.MethodPost, p, `{"email":"maya.thompson@example.com"}`).wantError(t, http.StatusForbidden, "FORBIDDEN")
	if !strings.Contains(e.Message, "Professional or Enterprise") {
		t.Errorf("403 message = %q", e.Message)
	}
}

func TestVisitorIdentificationOption(t *testing.T) {
	t.Parallel()
	h := newHarness(t, WithVisitorIdentification(false))
	h.call(http.MethodPost, "/visitor-identification/v3/tokens/create", `{"email":"a@b.example"}`).
		wantError(t, http.StatusForbidden, "FORBIDDEN")
}
