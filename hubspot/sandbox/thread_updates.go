package sandbox

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"time"
)

// decodeBody decodes a required JSON object body into v, answering HubSpot
// 400s for an empty body, bad JSON, or a field of the wrong type.
func decodeBody(r *http.Request, v any) error {
	b, err := io.ReadAll(r.Body)
	if err != nil || len(b) == 0 {
		return invalidParam("body", "Request body is required")
	}
	if err := json.Unmarshal(b, v); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && te.Field != "" {
			return invalidParam(te.Field, "Invalid value for field '%s': expected %s, got %s", te.Field, te.Type, te.Value)
		}
		return invalidParam("body", "Invalid input JSON: the request body must be a JSON object")
	}
	return nil
}

// apiClient is the client of writes made through the API: the sandbox
// token belongs to the private app behind IntegratorActorID.
func (a *Account) apiClient() client {
	return client{ClientType: clientIntegration, IntegrationAppID: a.profile.appID}
}

// setStatus opens or closes t and records the change, as HubSpot does.
func (a *Account) setStatus(t *thread, status, by string, cl client, at time.Time) {
	if t.status == status {
		return
	}
	t.status = status
	t.closedAt = time.Time{}
	if status == statusClosed {
		t.closedAt = at
	}
	m := a.statusChange(by, status, at)
	m.client = cl
	t.appendMessage(m)
}

func (a *Account) statusChange(by, status string, at time.Time) *message {
	return &message{id: a.newMessageID(), typ: typeStatusChange, createdAt: at, createdBy: by,
		client: client{ClientType: clientSystem}, newStatus: status}
}

// updateThread is PATCH /threads/{threadId}: HubSpot only lets a client
// change the status or restore an archived thread (?archived=true with
// {"archived": false}).
func updateThread(a *Account, r *http.Request) (reply, error) {
	selectArchived, err := parseBool(r.URL.Query(), "archived")
	if err != nil {
		return reply{}, err
	}
	var body struct {
		Status   *string `json:"status"`
		Archived *bool   `json:"archived"`
	}
	if err := decodeBody(r, &body); err != nil {
		return reply{}, err
	}
	switch {
	case body.Status == nil && body.Archived == nil:
		return reply{}, invalidParam("body", "Request body must set status or archived")
	case body.Status != nil && *body.Status != statusOpen && *body.Status != statusClosed:
		return reply{}, invalidParam("status", "Invalid value for field 'status': %q; allowed values are OPEN, CLOSED", *body.Status)
	case body.Archived != nil && *body.Archived:
		return reply{}, invalidParam("archived", "A thread can only be archived with DELETE; set archived to false to restore it")
	}
	t, err := a.findThread(r.PathValue("threadId"), selectArchived)
	if err != nil {
		return reply{}, err
	}
	if t.archived && body.Status != nil {
		return reply{}, invalidParam("status", "A thread's status can not be updated if the thread is archived")
	}
	if body.Archived != nil && t.archived {
		t.archived, t.archivedAt = false, time.Time{}
	}
	if body.Status != nil {
		a.setStatus(t, *body.Status, AgentActorID, a.apiClient(), a.now())
	}
	return reply{body: t.view(false)}, nil
}

// archiveThread is DELETE /threads/{threadId}: the thread moves to the
// trash (archived); HubSpot deletes it for good 30 days later, the sandbox
// never does.
func archiveThread(a *Account, r *http.Request) (reply, error) {
	t, err := a.findThread(r.PathValue("threadId"), false)
	if err != nil {
		return reply{}, err
	}
	t.archived, t.archivedAt = true, a.now()
	return reply{status: http.StatusNoContent}, nil
}

// assignThread is PUT /conversations/conversations/v3/threads/{threadId}/assignee.
func assignThread(a *Account, r *http.Request) (reply, error) {
	var body struct {
		ActorID *string `json:"actorId"`
	}
	if err := decodeBody(r, &body); err != nil {
		return reply{}, err
	}
	if body.ActorID == nil || *body.ActorID == "" {
		return reply{}, invalidParam("actorId", "actorId is required")
	}
	t, err := a.findThread(r.PathValue("threadId"), false)
	if err != nil {
		return reply{}, err
	}
	to := *body.ActorID
	act, ok := a.actors[to]
	switch {
	case !ok:
		return reply{}, invalidParam("actorId", "Actor %s does not exist", to)
	case act.Type != actorAgent:
		e := invalidParam("actorId", "Actor type %s can not be assigned to a thread; use an agent (A-) actor", act.Type)
		e.details[0].SubCategory = "ConversationsApiError.UNSUPPORTED_ACTOR_TYPE"
		return reply{}, e
	}
	if t.assignedTo != to {
		t.appendMessage(&message{id: a.newMessageID(), typ: typeAssignment, createdAt: a.now(),
			createdBy: AgentActorID, client: a.apiClient(), assignedFrom: t.assignedTo, assignedTo: to})
		t.assignedTo = to
	}
	return reply{body: t.view(false)}, nil
}

// unassignThread is DELETE /conversations/conversations/v3/threads/{threadId}/assignee.
func unassignThread(a *Account, r *http.Request) (reply, error) {
	t, err := a.findThread(r.PathValue("threadId"), false)
	if err != nil {
		return reply{}, err
	}
	if t.assignedTo != "" {
		t.appendMessage(&message{id: a.newMessageID(), typ: typeAssignment, createdAt: a.now(),
			createdBy: AgentActorID, client: a.apiClient(), assignedFrom: t.assignedTo})
		t.assignedTo = ""
	}
	return reply{status: http.StatusNoContent}, nil
}
