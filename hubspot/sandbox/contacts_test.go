package sandbox

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// contactJSON is HubSpot's SimplePublicObject for a contact as a client
// sees it; a property without a value is null.
type contactJSON struct {
	ID         string             `json:"id"`
	Properties map[string]*string `json:"properties"`
	CreatedAt  string             `json:"createdAt"`
	UpdatedAt  string             `json:"updatedAt"`
	Archived   bool               `json:"archived"`
	ArchivedAt string             `json:"archivedAt"`
}

func (c contactJSON) prop(name string) string {
	if v := c.Properties[name]; v != nil {
		return *v
	}
	return ""
}

func contactPath(id string, q url.Values) string {
	p := contactsPath + "/" + url.PathEscape(id)
	if len(q) > 0 {
		p += "?" + q.Encode()
	}
	return p
}

// TestContacts_CustomersAreContacts checks the seed's promise: the
// customer of every thread but ContactlessThreadID is a contact whose ID
// is the thread's associatedContactId, with its visitor actor's names and
// address, found by ID and by email; the contactless customer is found by
// neither.
func TestContacts_CustomersAreContacts(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.srv.AddAccount("second-token", "Borealis Gear Ltd")
	for _, token := range []string{DefaultToken, "second-token"} {
		h := *h
		h.token = token
		threads := seededThreads(t, &h)
		var inputs []string
		for _, th := range threads {
			inputs = append(inputs, "V-"+th.AssociatedContactID)
		}
		body, _ := json.Marshal(map[string]any{"inputs": inputs})
		var batch struct {
			Results []actor `json:"results"`
		}
		r := h.call(http.MethodPost, convPrefix+"/actors/batch/read", string(body))
		r.want(t, http.StatusOK)
		r.decode(t, &batch)
		actors := map[string]actor{}
		for _, a := range batch.Results {
			actors[a.ID] = a
		}
		customers := map[string]bool{}
		for id, th := range threads {
			act := actors["V-"+th.AssociatedContactID]
			customers[th.AssociatedContactID] = true
			byID := h.call(http.MethodGet, contactPath(th.AssociatedContactID, nil), "")
			byEmail := h.call(http.MethodGet, contactPath(strings.ToUpper(act.Email), url.Values{"idProperty": {"email"}}), "")
			if id == ContactlessThreadID {
				if "V-"+th.AssociatedContactID != ContactlessVisitorActorID || act.Email == "" {
					t.Errorf("%s: contactless thread's customer %+v", token, act)
				}
				byID.wantError(t, http.StatusNotFound, categoryNotFound)
				byEmail.wantError(t, http.StatusNotFound, categoryNotFound)
				continue
			}
			for _, r := range []response{byID, byEmail} {
				r.want(t, http.StatusOK)
				var c contactJSON
				r.decode(t, &c)
				if c.ID != th.AssociatedContactID || c.prop("firstname")+" "+c.prop("lastname") != act.Name ||
					c.prop("email") != act.Email || c.prop("hs_object_id") != c.ID || c.Archived {
					t.Errorf("%s: thread %s: contact %+v does not match its actor %+v", token, id, c, act)
				}
			}
		}
		if len(customers) != 30 {
			t.Errorf("%s: %d customers, want 30", token, len(customers))
		}
	}
	// The namesake shares Maya Thompson's last name and has a thread.
	var maya, owen contactJSON
	h.get(contactPath(VisitorContactID, nil), &maya)
	h.get(contactPath(NamesakeContactID, nil), &owen)
	if maya.prop("lastname") != "Thompson" || owen.prop("lastname") != "Thompson" || owen.prop("firstname") == "Maya" {
		t.Errorf("namesakes: %v and %v", maya.Properties, owen.Properties)
	}
	if th := h.thread(NamesakeThreadID); th.AssociatedContactID != NamesakeContactID {
		t.Errorf("namesake thread's contact = %s", th.AssociatedContactID)
	}
}

func TestContacts_Read(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	str := func(s string) *string { return &s }
	for _, tc := range []struct {
		name  string
		id    string
		query url.Values
		want  map[string]*string // properties
	}{
		{"by ID: the default properties", VisitorContactID, nil, map[string]*string{
			"firstname": str("Maya"), "lastname": str("Thompson"), "email": str("maya.thompson@example.com"),
			"hs_object_id": str(VisitorContactID), "createdate": str("2026-09-21T09:00:00.000Z"), "lastmodifieddate": str("2026-11-15T06:00:00.000Z")}},
		{"by email, any case", "Maya.Thompson@EXAMPLE.com", url.Values{"idProperty": {"email"}, "properties": {"email"}}, map[string]*string{
			"email": str("maya.thompson@example.com"), "hs_object_id": str(VisitorContactID),
			"createdate": str("2026-09-21T09:00:00.000Z"), "lastmodifieddate": str("2026-11-15T06:00:00.000Z")}},
		{"repeated and comma-separated properties; empty is null, unknown ignored", LeadContactID,
			url.Values{"properties": {"firstname,phone", "company", "no_such_property"}}, map[string]*string{
				"firstname": str("Maya"), "phone": nil, "company": str("Lindgren Guiding AB"), "hs_object_id": str(LeadContactID),
				"createdate": str("2026-10-18T05:00:00.000Z"), "lastmodifieddate": str("2026-11-08T02:00:00.000Z")}},
		{"by hs_object_id", "0" + NamesakeContactID, url.Values{"idProperty": {"hs_object_id"}, "properties": {"lastname"}}, map[string]*string{
			"lastname": str("Thompson"), "hs_object_id": str(NamesakeContactID),
			"createdate": str("2026-06-28T21:00:00.000Z"), "lastmodifieddate": str("2026-11-03T06:00:00.000Z")}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var c contactJSON
			h.get(contactPath(tc.id, tc.query), &c)
			if diff := cmp.Diff(tc.want, c.Properties); diff != "" {
				t.Errorf("properties (-want +got):\n%s", diff)
			}
			if c.Archived || c.ArchivedAt != "" || c.CreatedAt == "" || c.UpdatedAt == "" {
				t.Errorf("contact %+v", c)
			}
		})
	}

	t.Run("archived", func(t *testing.T) {
		t.Parallel()
		h.call(http.MethodGet, contactPath(ArchivedContactID, nil), "").wantError(t, http.StatusNotFound, categoryNotFound)
		var c contactJSON
		h.get(contactPath(ArchivedContactID, url.Values{"archived": {"true"}}), &c)
		if !c.Archived || c.ArchivedAt == "" || c.prop("lastname") != "Kessler" {
			t.Errorf("archived contact %+v", c)
		}
		h.call(http.MethodGet, contactPath(VisitorContactID, url.Values{"archived": {"true"}}), "").wantError(t, http.StatusNotFound, categoryNotFound)
	})

	t.Run("not found", func(t *testing.T) {
		t.Parallel()
		for id, want := range map[string]string{
			"4242":                "Object not found.",
			"maya@example.com":    "Object not found.  objectId are usually numeric.",
			"nobody@example.com?": "Object not found.",
		} {
			q := url.Values{}
			if strings.HasSuffix(id, "?") {
				id, q = strings.TrimSuffix(id, "?"), url.Values{"idProperty": {"email"}}
			}
			e := h.call(http.MethodGet, contactPath(id, q), "").wantError(t, http.StatusNotFound, categoryNotFound)
			if e.Message != want {
				t.Errorf("404 for %q: message %q, want %q", id, e.Message, want)
			}
		}
	})

	t.Run("refusals", func(t *testing.T) {
		t.Parallel()
		h.call(http.MethodGet, contactPath(VisitorContactID, url.Values{"idProperty": {"firstname"}}), "").wantParamError(t, "idProperty")
		h.call(http.MethodGet, contactPath(VisitorContactID, url.Values{"idProperty": {"shoe_size"}}), "").wantParamError(t, "idProperty")
		h.call(http.MethodGet, contactPath(VisitorContactID, url.Values{"archived": {"yes please"}}), "").wantParamError(t, "archived")
		h.call(http.MethodDelete, contactPath(VisitorContactID, nil), "").wantError(t, http.StatusMethodNotAllowed, categoryMethod)
	})
}
