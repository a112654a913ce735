package resources

import (
	"encoding/json"
	"strings"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot"
	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/view"
)

// The JSON resources return: the shared views of package view (threads,
// messages, people, inboxes, channel accounts), with URIs to follow. JSON
// is compact: a model reads it, not a person.

// inboxEntry is an inbox with its channel accounts and the URIs of its
// resources.
type inboxEntry struct {
	view.Inbox
	URI             string                `json:"uri"`
	ThreadsURI      string                `json:"threadsUri"`
	ChannelAccounts []view.ChannelAccount `json:"channelAccounts"`
}

func newInboxEntry(in hubspot.Inbox, accounts []view.ChannelAccount) inboxEntry {
	if accounts == nil {
		accounts = []view.ChannelAccount{}
	}
	return inboxEntry{
		Inbox:           view.NewInbox(in),
		URI:             inboxURI(in.ID),
		ThreadsURI:      ref{kind: kindInboxThreads, inboxID: in.ID, status: hubspot.StatusOpen}.uri(),
		ChannelAccounts: accounts,
	}
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
