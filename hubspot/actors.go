package hubspot

import (
	"context"
	"net/url"
	"time"
)

// Actor types. An actor ID is one capital letter for the type, a hyphen
// and an identifier, such as A-123 for an agent: see ActorTypeOf.
const (
	ActorAgent      = "AGENT"
	ActorBot        = "BOT"
	ActorIntegrator = "INTEGRATOR"
	ActorSystem     = "SYSTEM"
	ActorVisitor    = "VISITOR"
	ActorEmail      = "EMAIL"
	ActorLLM        = "LLM"
)

// Actor is a participant in conversations: an agent, visitor, bot,
// integration, the system, an email address or an LLM (HubSpot's
// PublicActor, a union flattened into one struct).
type Actor struct {
	ID     string `json:"id"`
	Type   string `json:"type"`
	Name   string `json:"name,omitempty"`
	Email  string `json:"email,omitempty"`
	Avatar string `json:"avatar,omitempty"`
	// Extra holds the fields Actor does not declare, when a property was
	// asked for: what HubSpot returns for it.
	Extra Extra `json:"-"`
}

// ActorBatch is the answer of BatchGetActors. HubSpot answers 207 when some
// actors could not be read; they are then described in Errors.
type ActorBatch struct {
	// Status is PENDING, PROCESSING, COMPLETE or CANCELED.
	Status      string          `json:"status"`
	Results     []Actor         `json:"results"`
	NumErrors   int             `json:"numErrors,omitempty"`
	Errors      []StandardError `json:"errors,omitempty"`
	RequestedAt Time            `json:"requestedAt"`
	StartedAt   Time            `json:"startedAt"`
	CompletedAt Time            `json:"completedAt"`
}

// StandardError is one error of a batch answer.
type StandardError struct {
	Status      string              `json:"status"`
	Category    string              `json:"category"`
	SubCategory any                 `json:"subCategory,omitempty"`
	Message     string              `json:"message"`
	ID          string              `json:"id,omitempty"`
	Context     map[string][]string `json:"context,omitempty"`
	Errors      []ErrorDetail       `json:"errors,omitempty"`
}

// GetActor gets one actor by ID. property is HubSpot's optional property
// parameter.
//
// HubSpot API: GET /conversations/v3/conversations/actors/{actorId}
func (c *Client) GetActor(ctx context.Context, actorID, property string) (*Actor, error) {
	if err := ValidateActorID("actorId", actorID); err != nil {
		return nil, err
	}
	if property == "" {
		if v, ok := cached(ctx, c.cache, keyActor+actorID); ok {
			a := v.(Actor)
			return &a, nil
		}
	}
	var a Actor
	if err := c.call(ctx, request{method: "GET", path: conversationsPrefix + "/actors/" + url.PathEscape(actorID), query: propertyQuery(property)}, into(&a, property)); err != nil {
		return nil, err
	}
	if property == "" {
		c.noteActors(a)
	}
	return &a, nil
}

// MaxBatchActors is the most actor IDs BatchGetActors sends at once.
const MaxBatchActors = 100

// BatchGetActors reads several actors at once. A partial answer (HTTP 207)
// is a success whose Errors describe the actors that could not be read.
//
// HubSpot API: POST /conversations/v3/conversations/actors/batch/read
func (c *Client) BatchGetActors(ctx context.Context, actorIDs []string, property string) (*ActorBatch, error) {
	if len(actorIDs) == 0 {
		return nil, &ArgumentError{Name: "inputs", Reason: "needs at least one actor ID"}
	}
	if len(actorIDs) > MaxBatchActors {
		return nil, &ArgumentError{Name: "inputs", Reason: "takes at most " + itoa(MaxBatchActors) + " actor IDs per call"}
	}
	for i, id := range actorIDs {
		if err := ValidateActorID("inputs["+itoa(i)+"]", id); err != nil {
			return nil, err
		}
	}
	known, missing := map[string]Actor{}, actorIDs
	if property == "" {
		known, missing = c.cachedActors(ctx, actorIDs)
	}
	now := Time{Time: time.Now().UTC()}
	b := ActorBatch{Status: "COMPLETE", RequestedAt: now, StartedAt: now, CompletedAt: now}
	if len(missing) > 0 {
		body := struct {
			Inputs []string `json:"inputs"`
		}{missing}
		// A batch read changes nothing, so it is as safe to repeat as a GET.
		var out any = &b
		if property != "" {
			out = results[Actor, *Actor]{dst: &b, items: func() []Actor { return b.Results }, property: property}
		}
		err := c.call(ctx, request{method: "POST", path: conversationsPrefix + "/actors/batch/read", query: propertyQuery(property), body: body, idempotent: true, read: true}, out)
		if err != nil {
			return nil, err
		}
		if property == "" {
			c.noteActors(b.Results...)
		}
	}
	if len(known) > 0 {
		// Answer in the order asked, the cached actors among the fetched.
		fetched := b.Results
		b.Results = make([]Actor, 0, len(known)+len(fetched))
		seen := map[string]bool{}
		for _, id := range actorIDs {
			if a, ok := known[id]; ok && !seen[id] {
				seen[id] = true
				b.Results = append(b.Results, a)
				continue
			}
			for _, a := range fetched {
				if a.ID == id && !seen[id] {
					seen[id] = true
					b.Results = append(b.Results, a)
				}
			}
		}
		for _, a := range fetched {
			if !seen[a.ID] {
				b.Results = append(b.Results, a)
			}
		}
	}
	return &b, nil
}
