package sandbox

import (
	"net/http"
	"strings"
	"time"
)

// actorPrefixes maps HubSpot's actor ID prefixes to actor types.
var actorPrefixes = map[string]string{
	"A-": actorAgent, "B-": actorBot, "I-": actorIntegrator, "S-": actorSystem,
	"V-": actorVisitor, "E-": actorEmail, "L-": actorLLM,
}

// actorTypeOf returns the actor type an ID's prefix names, or "".
func actorTypeOf(id string) string {
	if len(id) < 3 {
		return ""
	}
	return actorPrefixes[strings.ToUpper(id[:2])]
}

func getActor(a *Account, r *http.Request) (reply, error) {
	id := r.PathValue("actorId")
	act, ok := a.actors[id]
	if !ok {
		return reply{}, notFound("Actor", id)
	}
	return reply{body: act}, nil
}

// batchResponse is HubSpot's BatchResponsePublicActor(WithErrors).
type batchResponse struct {
	Status      string          `json:"status"`
	Results     []*actor        `json:"results"`
	NumErrors   int             `json:"numErrors,omitempty"`
	Errors      []standardError `json:"errors,omitempty"`
	RequestedAt time.Time       `json:"requestedAt"`
	StartedAt   time.Time       `json:"startedAt"`
	CompletedAt time.Time       `json:"completedAt"`
}

// standardError is HubSpot's StandardError, one entry of a batch's errors.
type standardError struct {
	Status   string              `json:"status"`
	Category string              `json:"category"`
	Message  string              `json:"message"`
	Errors   []errorDetail       `json:"errors"`
	Context  map[string][]string `json:"context"`
	Links    map[string]string   `json:"links"`
}

// batchReadActors is POST /actors/batch/read: 200 when every actor exists,
// 207 with one OBJECT_NOT_FOUND error listing the unknown IDs otherwise.
func batchReadActors(a *Account, r *http.Request) (reply, error) {
	var body struct {
		Inputs []string `json:"inputs"`
	}
	if err := decodeBody(r, &body); err != nil {
		return reply{}, err
	}
	if len(body.Inputs) == 0 {
		return reply{}, invalidParam("inputs", "inputs is required and must contain at least one actor ID")
	}
	now := stamp(a.srv.cfg.clock())
	resp := batchResponse{Status: "COMPLETE", Results: []*actor{}, RequestedAt: now, StartedAt: now, CompletedAt: now}
	var missing []string
	seen := make(map[string]bool)
	for _, id := range body.Inputs {
		if seen[id] {
			continue
		}
		seen[id] = true
		if act, ok := a.actors[id]; ok {
			resp.Results = append(resp.Results, act)
		} else {
			missing = append(missing, id)
		}
	}
	if len(missing) == 0 {
		return reply{body: resp}, nil
	}
	resp.NumErrors = 1
	resp.Errors = []standardError{{
		Status:   "error",
		Category: categoryNotFound,
		Message:  "Could not get some actors, they may not exist. Check that the ids are valid: " + strings.Join(missing, ", "),
		Errors:   []errorDetail{},
		Context:  map[string][]string{"ids": missing},
		Links:    map[string]string{},
	}}
	return reply{status: http.StatusMultiStatus, body: resp}, nil
}
