package tools

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot/sandbox"
)

func TestGetActorTool(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tests := []struct {
		id   string
		want actorOutput
	}{
		{sandbox.AgentActorID, actorOutput{ID: sandbox.AgentActorID, Type: "AGENT", Name: "Riley Chen", Email: "riley.chen@juniper-outdoor.example"}},
		{sandbox.VisitorActorID, actorOutput{ID: sandbox.VisitorActorID, Type: "VISITOR", Name: "Maya Thompson", Email: "maya.thompson@example.com"}},
		{sandbox.EmailActorID, actorOutput{ID: sandbox.EmailActorID, Type: "EMAIL", Email: "jordan.lee@example.com"}},
		{sandbox.SystemActorID, actorOutput{ID: sandbox.SystemActorID, Type: "SYSTEM"}},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			t.Parallel()
			var got actorOutput
			e.ok(t, "get_actor", `{"actorId":"`+tt.id+`"}`, &got)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("actor (-want +got):\n%s", diff)
			}
		})
	}
	t.Run("bad input", func(t *testing.T) {
		t.Parallel()
		e.fails(t, "get_actor", `{}`, "actorId is required")
		e.fails(t, "get_actor", `{"actorId":"riley"}`, `actorId must be an actor ID such as A-123 (agent)`)
		e.fails(t, "get_actor", `{"actorId":"A-1/../x"}`, `actorId must be an actor ID`)
	})
}

func TestBatchGetActorsTool(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	t.Run("all found", func(t *testing.T) {
		t.Parallel()
		var got batchGetActorsOutput
		e.ok(t, "batch_get_actors", `{"inputs":["`+sandbox.AgentActorID+`","`+sandbox.BotActorID+`"]}`, &got)
		if len(got.Results) != 2 || got.Errors != nil {
			t.Errorf("want two actors and no errors, got %+v", got)
		}
	})
	t.Run("a 207 partial answer lists the IDs that failed", func(t *testing.T) {
		t.Parallel()
		var got batchGetActorsOutput
		e.ok(t, "batch_get_actors", `{"inputs":["`+sandbox.AgentActorID+`","A-404","V-404"]}`, &got)
		want := batchGetActorsOutput{
			Results: []actorOutput{{ID: sandbox.AgentActorID, Type: "AGENT", Name: "Riley Chen", Email: "riley.chen@juniper-outdoor.example"}},
			Errors: []batchError{{Category: "OBJECT_NOT_FOUND", IDs: []string{"A-404", "V-404"},
				Message: "Could not get some actors, they may not exist. Check that the ids are valid: A-404, V-404"}},
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("batch (-want +got):\n%s", diff)
		}
	})
	t.Run("bad input", func(t *testing.T) {
		t.Parallel()
		e.fails(t, "batch_get_actors", `{}`, "inputs is required")
		e.fails(t, "batch_get_actors", `{"inputs":{"id":"A-1"}}`, `inputs[0] must be a string ID such as "123", got an object`)
		e.fails(t, "batch_get_actors", `{"inputs":[]}`, "inputs needs at least 1 item(s)")
		e.fails(t, "batch_get_actors", `{"inputs":["A-1","x"]}`, `inputs[1] must be an actor ID`)
		e.fails(t, "batch_get_actors", `{"inputs":[`+strings.TrimSuffix(strings.Repeat(`"A-1",`, 101), ",")+`]}`, "inputs takes at most 100 items, got 101")
	})
}
