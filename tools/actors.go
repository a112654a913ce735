package tools

import (
	"context"
	"strings"

	"github.com/mark3labs/mcp-go/server"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot"
	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/inbox"
	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/view"
)

// actorIDHint says what actor IDs look like, from HubSpot's vocabulary.
var actorIDHint = "Actor IDs: " + hubspot.ActorPrefixes() + "."

// actorOutput is a participant in conversations.
type actorOutput struct {
	ID string `json:"id"`
	// Type is AGENT, VISITOR, BOT, INTEGRATOR, SYSTEM, EMAIL or LLM.
	Type  string `json:"type"`
	Name  string `json:"name,omitempty"`
	Email string `json:"email,omitempty"`
	// Properties holds what HubSpot returned for a requested property.
	Properties map[string]any `json:"properties,omitempty"`
}

func newActorOutput(property string) func(a hubspot.Actor) actorOutput {
	return func(a hubspot.Actor) actorOutput {
		return actorOutput{ID: a.ID, Type: view.Word(a.Type), Name: view.Line(a.Name, 120), Email: view.Line(a.Email, 200),
			Properties: view.Properties(a.Extra, property)}
	}
}

// getActorInput holds get_actor's arguments.
type getActorInput struct {
	ActorID  actorID `json:"actorId" jsonschema:"Such as A-123 or V-456"`
	Property string  `json:"property,omitempty" jsonschema:"HubSpot property to return"`
}

func getActor(svc *inbox.Service, _ Config) server.ServerTool {
	return define(svc, spec[getActorInput, actorOutput]{
		name:        "get_actor",
		description: "Get one actor (a conversation participant): type, name and email. " + actorIDHint,
		title:       "Get actor",
		scope:       scopeRead,
		action:      func(in getActorInput) string { return "get actor " + string(in.ActorID) },
		notFound: func(in getActorInput) string {
			return "actor " + string(in.ActorID) + " not found; actor IDs come from list_messages and get_thread"
		},
		run: func(ctx context.Context, svc *inbox.Service, in getActorInput) (actorOutput, error) {
			a, err := svc.GetActor(ctx, string(in.ActorID), in.Property)
			return convert(a, err, newActorOutput(in.Property))
		},
	})
}

// batchGetActorsInput holds batch_get_actors' arguments.
type batchGetActorsInput struct {
	Inputs   actorBatch `json:"inputs" jsonschema:"Such as A-123 and V-456"`
	Property string     `json:"property,omitempty" jsonschema:"HubSpot property to return"`
}

// batchGetActorsOutput lists the actors read and those that could not be.
type batchGetActorsOutput struct {
	Results []actorOutput `json:"results"`
	// Errors describes the actors HubSpot could not read (a partial, 207 answer).
	Errors []batchError `json:"errors,omitempty"`
}

// batchError is one failure of a batch read.
type batchError struct {
	Message  string   `json:"message"`
	Category string   `json:"category,omitempty"`
	IDs      []string `json:"ids,omitempty"`
}

func batchGetActors(svc *inbox.Service, _ Config) server.ServerTool {
	return define(svc, spec[batchGetActorsInput, batchGetActorsOutput]{
		name:        "batch_get_actors",
		description: "Get up to 100 actors (see get_actor) at once; IDs that cannot be read are listed under errors.",
		title:       "Get actors",
		scope:       scopeRead,
		action:      func(in batchGetActorsInput) string { return "get actors " + strings.Join(strs(in.Inputs), ", ") },
		run: func(ctx context.Context, svc *inbox.Service, in batchGetActorsInput) (batchGetActorsOutput, error) {
			b, err := svc.BatchGetActors(ctx, strs(in.Inputs), in.Property)
			if err != nil {
				return batchGetActorsOutput{}, err
			}
			out := batchGetActorsOutput{Results: mapSlice(b.Results, newActorOutput(in.Property))}
			if len(b.Errors) > 0 {
				out.Errors = mapSlice(b.Errors, newBatchError)
			}
			return out, nil
		},
	})
}

// newBatchError keeps the message, category and the IDs the error is about.
func newBatchError(e hubspot.StandardError) batchError {
	out := batchError{Message: e.Message, Category: e.Category}
	if e.ID != "" {
		out.IDs = []string{e.ID}
	}
	for _, key := range []string{"ids", "id", "actorIds", "actorId"} {
		out.IDs = append(out.IDs, e.Context[key]...)
	}
	return out
}
