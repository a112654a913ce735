package inbox

import (
	"context"
	"slices"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot"
)

// GetActor gets one actor by ID.
func (s *Service) GetActor(ctx context.Context, actorID, property string) (*hubspot.Actor, error) {
	cr, err := s.credential(ctx)
	if err != nil {
		return nil, err
	}
	return cr.client.GetActor(ctx, actorID, property)
}

// BatchGetActors reads several actors at once.
func (s *Service) BatchGetActors(ctx context.Context, actorIDs []string, property string) (*hubspot.ActorBatch, error) {
	cr, err := s.credential(ctx)
	if err != nil {
		return nil, err
	}
	return cr.client.BatchGetActors(ctx, actorIDs, property)
}

// People returns what HubSpot knows of the actors ids name (customers,
// agents, bots…), by actor ID, to name them in views: at most one
// BatchGetActors call, which the client's cache (Config.CacheTTL) answers
// for the actors it already knows, so paging through threads does not
// read the same customers again. Names are a nicety: empty and invalid
// IDs are skipped, failures leave names out, and the map is never nil.
func (s *Service) People(ctx context.Context, ids []string) map[string]hubspot.Actor {
	cr, err := s.credential(ctx)
	if err != nil {
		return map[string]hubspot.Actor{}
	}
	out, _ := s.people(ctx, cr, ids)
	return out
}

// people is People with the caller's credential and the actor read's
// error, for callers whose answer depends on the names (a search among
// customers).
func (s *Service) people(ctx context.Context, cr *credential, ids []string) (map[string]hubspot.Actor, error) {
	out := map[string]hubspot.Actor{}
	var want []string
	for _, id := range ids {
		if id == "" || slices.Contains(want, id) || hubspot.ValidateActorID("actorId", id) != nil {
			continue
		}
		want = append(want, id)
	}
	if len(want) > hubspot.MaxBatchActors {
		want = want[:hubspot.MaxBatchActors]
	}
	if len(want) == 0 {
		return out, nil
	}
	b, err := cr.client.BatchGetActors(ctx, want, "")
	if err != nil {
		return out, err
	}
	for _, a := range b.Results {
		out[a.ID] = a
	}
	return out, nil
}

// CreateVisitorToken generates a visitor identification token for the
// chat widget.
func (s *Service) CreateVisitorToken(ctx context.Context, req hubspot.CreateVisitorTokenRequest) (*hubspot.VisitorToken, error) {
	cr, err := s.credential(ctx)
	if err != nil {
		return nil, err
	}
	return cr.client.CreateVisitorToken(ctx, req)
}
