package sandbox

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

var writeClock = time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)

func fixedClock() time.Time { return writeClock }

// eventSummary is the part of an event message the tests compare.
type eventSummary struct {
	Type, CreatedBy, ClientType, NewStatus, AssignedFrom, AssignedTo string
	AppID                                                            int
}

func summarize(m messageJSON) eventSummary {
	s := eventSummary{Type: m.Type, CreatedBy: m.CreatedBy, ClientType: m.Client.ClientType,
		NewStatus: m.NewStatus, AssignedFrom: m.AssignedFrom, AssignedTo: m.AssignedTo}
	if m.Client.IntegrationAppID != nil {
		s.AppID = *m.Client.IntegrationAppID
	}
	return s
}

// newMessages returns the messages of a thread added after the first n.
func (h *harness) newMessages(threadID string, n int) []eventSummary {
	h.t.Helper()
	var out []eventSummary
	for _, m := range h.allMessages(threadID)[n:] {
		out = append(out, summarize(m))
	}
	return out
}

func TestUpdateThreadStatus(t *testing.T) {
	t.Parallel()
	h := newHarness(t, WithClock(fixedClock))
	const id = "9000000107"
	before := len(h.allMessages(id))
	patch := func(body string) threadJSON {
		t.Helper()
		r := h.call(http.MethodPatch, threadsPath+"/"+id, body)
		r.want(t, http.StatusOK)
		var th threadJSON
		r.decode(t, &th)
		return th
	}
	closed := patch(`{"status":"CLOSED"}`)
	if closed.Status != "CLOSED" || closed.ClosedAt != "2026-12-01T10:00:00Z" {
		t.Errorf("closed thread = %+v", closed)
	}
	patch(`{"status":"CLOSED"}`) // no change, no event
	reopened := patch(`{"status":"OPEN"}`)
	if reopened.Status != "OPEN" || reopened.ClosedAt != "" {
		t.Errorf("reopened thread = %+v", reopened)
	}
	api := eventSummary{Type: "THREAD_STATUS_CHANGE", CreatedBy: AgentActorID, ClientType: "INTEGRATION", AppID: 1144555}
	wantClose, wantOpen := api, api
	wantClose.NewStatus, wantOpen.NewStatus = "CLOSED", "OPEN"
	if diff := cmp.Diff([]eventSummary{wantClose, wantOpen}, h.newMessages(id, before)); diff != "" {
		t.Errorf("status events (-want +got):\n%s", diff)
	}
}

func TestUpdateThreadErrors(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	const p = threadsPath + "/"
	for _, tc := range []struct {
		name, path, body string
		status           int
		param            string
	}{
		{"empty body", p + "9000000107", "", 400, "body"},
		{"not JSON", p + "9000000107", "close it", 400, "body"},
		{"array body", p + "9000000107", "[]", 400, "body"},
		{"nothing to change", p + "9000000107", "{}", 400, "body"},
		{"unknown status", p + "9000000107", `{"status":"PENDING"}`, 400, "status"},
		{"status of the wrong type", p + "9000000107", `{"status":5}`, 400, "status"},
		{"archiving through PATCH", p + "9000000107", `{"archived":true}`, 400, "archived"},
		{"archived thread without archived=true", p + ArchivedThreadID, `{"archived":false}`, 404, ""},
		{"status of an archived thread", p + ArchivedThreadID + "?archived=true", `{"status":"CLOSED"}`, 400, "status"},
		{"unknown thread", p + "9000000999", `{"status":"CLOSED"}`, 404, ""},
		{"bad archived flag", p + "9000000107?archived=yes please", `{"status":"CLOSED"}`, 400, "archived"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := h.call(http.MethodPatch, strings.ReplaceAll(tc.path, " ", "%20"), tc.body)
			if tc.status == http.StatusNotFound {
				r.wantError(t, http.StatusNotFound, "OBJECT_NOT_FOUND")
				return
			}
			e := r.wantParamError(t, tc.param)
			if tc.name == "status of an archived thread" && e.Message != "A thread's status can not be updated if the thread is archived" {
				t.Errorf("message = %q", e.Message)
			}
		})
	}
}

func TestArchiveAndRestore(t *testing.T) {
	t.Parallel()
	h := newHarness(t, WithClock(fixedClock))
	const p = threadsPath + "/9000000107"
	r := h.call(http.MethodDelete, p, "")
	r.want(t, http.StatusNoContent)
	if len(r.body) != 0 || r.header.Get("Content-Type") != "" {
		t.Errorf("204 has body %q, Content-Type %q", r.body, r.header.Get("Content-Type"))
	}
	h.call(http.MethodGet, p, "").wantError(t, http.StatusNotFound, "OBJECT_NOT_FOUND")
	h.call(http.MethodDelete, p, "").wantError(t, http.StatusNotFound, "OBJECT_NOT_FOUND")
	h.call(http.MethodPatch, p, `{"archived":false}`).wantError(t, http.StatusNotFound, "OBJECT_NOT_FOUND")
	h.call(http.MethodGet, p+"/messages", "").wantError(t, http.StatusNotFound, "OBJECT_NOT_FOUND")
	if th := h.thread("9000000107"); !th.Archived {
		t.Errorf("archived=true read: %+v", th)
	}
	if got := h.pageThreads(threadsPath + "?archived=true"); !strings.Contains(strings.Join(got, ","), "9000000107") {
		t.Errorf("archived list %v lacks the thread", got)
	}
	if got := h.pageThreads(threadsPath + "?limit=100"); strings.Contains(strings.Join(got, ","), "9000000107") {
		t.Errorf("live list still has the archived thread")
	}

	r = h.call(http.MethodPatch, p+"?archived=true", `{"archived":false}`)
	r.want(t, http.StatusOK)
	var th threadJSON
	r.decode(t, &th)
	if th.Archived || th.Status != "OPEN" {
		t.Errorf("restored thread = %+v", th)
	}
	h.call(http.MethodGet, p, "").want(t, http.StatusOK)
}

func TestAssignee(t *testing.T) {
	t.Parallel()
	h := newHarness(t, WithClock(fixedClock))
	const id = "9000000113"
	p := assigneePrefix + "/threads/" + id + "/assignee"
	before := len(h.allMessages(id))

	r := h.call(http.MethodPut, p, `{"actorId":"`+OtherAgentActorID+`"}`)
	r.want(t, http.StatusOK)
	var th threadJSON
	r.decode(t, &th)
	if th.AssignedTo != OtherAgentActorID || th.ID != id {
		t.Errorf("assigned thread = %+v", th)
	}
	h.call(http.MethodPut, p, `{"actorId":"`+OtherAgentActorID+`"}`).want(t, http.StatusOK) // unchanged, no event
	h.call(http.MethodPut, p, `{"actorId":"`+AgentActorID+`"}`).want(t, http.StatusOK)
	r = h.call(http.MethodDelete, p, "")
	r.want(t, http.StatusNoContent)
	if len(r.body) != 0 {
		t.Errorf("204 body %q", r.body)
	}
	h.call(http.MethodDelete, p, "").want(t, http.StatusNoContent) // already unassigned
	if th := h.thread(id); th.AssignedTo != "" {
		t.Errorf("still assigned to %q", th.AssignedTo)
	}
	event := eventSummary{Type: "ASSIGNMENT", CreatedBy: AgentActorID, ClientType: "INTEGRATION", AppID: 1144555}
	e1, e2, e3 := event, event, event
	e1.AssignedTo = OtherAgentActorID
	e2.AssignedFrom, e2.AssignedTo = OtherAgentActorID, AgentActorID
	e3.AssignedFrom = AgentActorID
	if diff := cmp.Diff([]eventSummary{e1, e2, e3}, h.newMessages(id, before)); diff != "" {
		t.Errorf("assignment events (-want +got):\n%s", diff)
	}

	for _, tc := range []struct{ name, path, body, param string }{
		{"no actor", p, `{}`, "actorId"},
		{"empty body", p, ``, "body"},
		{"visitor", p, `{"actorId":"` + VisitorActorID + `"}`, "actorId"},
		{"bot", p, `{"actorId":"` + BotActorID + `"}`, "actorId"},
		{"unknown agent", p, `{"actorId":"A-1"}`, "actorId"},
		{"archived thread", assigneePrefix + "/threads/" + ArchivedThreadID + "/assignee", `{"actorId":"` + AgentActorID + `"}`, ""},
		{"unknown thread", assigneePrefix + "/threads/1/assignee", `{"actorId":"` + AgentActorID + `"}`, ""},
		{"v3 prefix the other way round", threadsPath + "/" + id + "/assignee", `{"actorId":"` + AgentActorID + `"}`, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := h.call(http.MethodPut, tc.path, tc.body)
			if tc.param == "" {
				r.wantError(t, http.StatusNotFound, "OBJECT_NOT_FOUND")
				return
			}
			r.wantParamError(t, tc.param)
		})
	}
}
