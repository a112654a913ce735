package resources

import (
	"encoding/json"
	"strings"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot"
	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/view"
)

// The JSON resources return: the shared views of package view (threads,
// messages, people), plus inboxes and channel accounts, with URIs to
// follow. JSON is compact: a model reads it, not a person.

type inboxView struct {
	ID              string               `json:"id"`
	URI             string               `json:"uri"`
	Name            string               `json:"name"`
	Type            string               `json:"type"`
	Archived        bool                 `json:"archived,omitempty"`
	CreatedAt       view.Time            `json:"createdAt,omitzero"`
	UpdatedAt       view.Time            `json:"updatedAt,omitzero"`
	ThreadsURI      string               `json:"threadsUri"`
	ChannelAccounts []channelAccountView `json:"channelAccounts"`
}

func newInboxView(in hubspot.Inbox, accounts []channelAccountView) inboxView {
	if accounts == nil {
		accounts = []channelAccountView{}
	}
	return inboxView{
		ID: in.ID, URI: inboxURI(in.ID), Name: view.Line(in.Name, 200), Type: in.Type, Archived: in.Archived,
		CreatedAt: view.At(in.CreatedAt), UpdatedAt: view.At(in.UpdatedAt),
		ThreadsURI:      ref{kind: kindInboxThreads, inboxID: in.ID, status: hubspot.StatusOpen}.uri(),
		ChannelAccounts: accounts,
	}
}

type channelAccountView struct {
	ID         string `json:"id"`
	Name       string `json:"name"`
	ChannelID  string `json:"channelId"`
	Channel    string `json:"channel"`
	Address    string `json:"address,omitempty"`
	Active     bool   `json:"active"`
	Authorized bool   `json:"authorized"`
}

func newChannelAccountView(ca hubspot.ChannelAccount) channelAccountView {
	v := channelAccountView{ID: ca.ID, Name: view.Line(ca.Name, 200), ChannelID: ca.ChannelID,
		Channel: view.ChannelName(ca.ChannelID), Active: ca.Active, Authorized: ca.Authorized}
	if ca.DeliveryIdentifier != nil {
		v.Address = view.Line(ca.DeliveryIdentifier.Value, 200)
	}
	return v
}

// threadEntry is a thread in a listing, with the URI of its transcript.
type threadEntry struct {
	view.Thread
	URI string `json:"uri"`
}

func threadEntries(threads []hubspot.Thread, people view.People) []threadEntry {
	out := make([]threadEntry, len(threads))
	for i, th := range threads {
		out[i] = threadEntry{view.NewThread(th, people, ""), threadURI(th.ID)}
	}
	return out
}

// label is a person as one line of text: name and ID.
func label(p *view.Person) string {
	if p == nil {
		return "(unknown)"
	}
	name := p.Name
	if name == "" {
		name = p.Email
	}
	id := p.ActorID
	if id == "" && p.ContactID != "" {
		id = "contact " + p.ContactID
	}
	switch {
	case name == "":
		return id
	case id == "":
		return name
	}
	return name + " (" + id + ")"
}

// jsonContents encodes v as the one content item of a JSON resource.
func jsonContents(uri string, v any) ([]mcp.ResourceContents, error) {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return []mcp.ResourceContents{mcp.TextResourceContents{URI: uri, MIMEType: mimeJSON, Text: b.String()}}, nil
}
