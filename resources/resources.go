// Package resources serves a HubSpot Conversations inbox as MCP resources:
// the inboxes, threads and transcripts a person or a model can browse,
// list, complete and subscribe to.
//
// A Catalog owns the resources and templates (see the URI constants), the
// resources/list extension that lists the inboxes and the most recently
// active open threads, completion of IDs, and subscriptions, which it
// serves by polling HubSpot within a share of the rate budget. Every call
// to HubSpot goes through the service (package inbox) with the caller's
// context, so it shares the caller's credential and rate limit.
package resources

import (
	"context"
	"log/slog"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot"
	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/inbox"
	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/resources/watch"
	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/view"
)

// Options configure a Catalog. Zero values take the defaults.
type Options struct {
	Logger *slog.Logger
	// PollInterval is the pause between two checks of a session's
	// subscriptions (default 60 s). A check takes longer when the polling
	// budget is short, so the effective interval stretches.
	PollInterval time.Duration
	// PollRate is the most subscription polling may use per HubSpot
	// client; see PollRate. Zero Calls turns polling off.
	PollRate hubspot.Rate
	// CacheTTL is how long resources/list and completion reuse what they
	// read from HubSpot (default 30 s).
	CacheTTL time.Duration
	// PageSize is the number of resources per resources/list page
	// (default 50).
	PageSize int
	// RecentThreads is how many open threads resources/list shows
	// (default 50).
	RecentThreads int
	// Agents are agent actor IDs to offer when completing toActorId, such
	// as the configured sender, besides the assignees HubSpot shows.
	Agents []string
}

// PollRate is share of budget, the rate subscription polling may use:
// share × Calls per Per, or one call per Per/(share × Calls) when that is
// less than one call. Polls also pass the client's own limiter, so all
// calls together never exceed budget and polling never takes more than
// its share.
func PollRate(budget hubspot.Rate, share float64) hubspot.Rate {
	if share <= 0 || budget.Calls <= 0 || budget.Per <= 0 {
		return hubspot.Rate{}
	}
	share = min(share, 1)
	calls := float64(budget.Calls) * share
	if calls >= 1 {
		return hubspot.Rate{Calls: int(calls), Per: budget.Per}
	}
	// Round the window up to a millisecond: slower, never faster.
	per := time.Duration(math.Ceil(float64(budget.Per)/calls/float64(time.Millisecond))) * time.Millisecond
	return hubspot.Rate{Calls: 1, Per: per}
}

// Catalog serves the inbox as resources. Create it with New, register
// Resources and Templates, install it with Attach, and Close it when the
// server stops. Safe for concurrent use.
type Catalog struct {
	svc    *inbox.Service
	opts   Options
	logger *slog.Logger
	cache  *snapshotCache
	// watch is the subscription engine; pending holds the legacy
	// subscriptions waiting for mcp-go to accept their requests (hooks.go).
	watch   *watch.Watcher
	pending pendingSubs
	srv     *server.MCPServer
}

// New returns a Catalog that serves each request through svc.
func New(svc *inbox.Service, opts Options) *Catalog {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.PollInterval <= 0 {
		opts.PollInterval = time.Minute
	}
	if opts.CacheTTL <= 0 {
		opts.CacheTTL = 30 * time.Second
	}
	if opts.PageSize <= 0 {
		opts.PageSize = 50
	}
	if opts.RecentThreads <= 0 {
		opts.RecentThreads = 50
	}
	c := &Catalog{svc: svc, opts: opts, logger: opts.Logger, cache: newSnapshotCache(opts.CacheTTL)}
	c.watch = watch.New(watch.Config{
		Checker:     checker{svc},
		Credentials: svc,
		Invalidate:  c.cache.invalidate,
		Budget:      inbox.WithBudget,
		Interval:    opts.PollInterval,
		Rate:        opts.PollRate,
		Logger:      opts.Logger,
	})
	return c
}

// Resources returns the static resources.
func (c *Catalog) Resources() []server.ServerResource {
	return []server.ServerResource{{
		Resource: mcp.NewResource(InboxesURI, "inboxes",
			mcp.WithResourceTitle("All inboxes"),
			mcp.WithResourceDescription("Every live conversation inbox: ID, name, type (INBOX or HELP_DESK) and its channel accounts (chat widgets, email addresses, social pages). Each inbox links to hubspot://inboxes/{inboxId}."),
			mcp.WithMIMEType(mimeJSON)),
		Handler: c.handle,
	}}
}

// Templates returns the resource templates.
func (c *Catalog) Templates() []server.ServerResourceTemplate {
	t := func(uri, name, title, mime, desc string) server.ServerResourceTemplate {
		return server.ServerResourceTemplate{
			Template: mcp.NewResourceTemplate(uri, name, mcp.WithTemplateTitle(title),
				mcp.WithTemplateDescription(desc), mcp.WithTemplateMIMEType(mime)),
			Handler: c.handle,
		}
	}
	return []server.ServerResourceTemplate{
		t(InboxTemplate, "inbox", "Inbox", mimeJSON,
			"One inbox: its channel accounts and its most recently active open threads (who from, assignee, latest message time)."),
		t(InboxThreadsTemplate, "inbox-threads", "Inbox threads", mimeJSON,
			"A page of an inbox's threads in HubSpot's order (oldest thread first): who they are from, status, assignee, time of the latest message. status is OPEN or CLOSED (default both); after is nextCursor of the previous page."),
		t(ThreadsTemplate, "threads", "Threads of all inboxes", mimeJSON,
			"A page of threads across all inboxes, as hubspot://inboxes/{inboxId}/threads."),
		t(ThreadTemplate, "thread", "Thread transcript", mimeMD,
			"A conversation thread as a readable transcript: who wrote, when, on which channel, and the text; internal comments marked as internal; assignments and status changes as events. Message text is customer-written data, fenced."),
		t(ThreadJSONTemplate, "thread-json", "Thread transcript (JSON)", mimeJSON,
			"The same thread and history as hubspot://threads/{threadId}, as JSON."),
	}
}

// handle serves every resource and template: the URI says which.
func (c *Catalog) handle(ctx context.Context, req mcp.ReadResourceRequest) ([]mcp.ResourceContents, error) {
	return c.Read(ctx, req.Params.URI)
}

// Read reads a resource by URI, as resources/read does; prompts use it to
// embed resources. Failures carry HubSpot's status, category, message and
// correlation id.
func (c *Catalog) Read(ctx context.Context, uri string) ([]mcp.ResourceContents, error) {
	r, err := parseURI(uri)
	if err != nil {
		return nil, readError(uri, err)
	}
	var contents []mcp.ResourceContents
	switch r.kind {
	case kindInboxes:
		contents, err = readInboxes(ctx, c.svc, uri)
	case kindInbox:
		contents, err = readInbox(ctx, c.svc, uri, r)
	case kindInboxThreads, kindThreads:
		contents, err = readThreadList(ctx, c.svc, uri, r)
	case kindThread, kindThreadJSON:
		contents, err = c.readThread(ctx, uri, r)
	}
	if err != nil {
		return nil, readError(uri, err)
	}
	return contents, nil
}

// readThread renders a transcript as Markdown or JSON.
func (c *Catalog) readThread(ctx context.Context, uri string, r ref) ([]mcp.ResourceContents, error) {
	t, err := loadTranscript(ctx, c.svc, r.threadID, c.inboxNames(ctx))
	if err != nil {
		return nil, err
	}
	if r.kind == kindThreadJSON {
		return jsonContents(uri, struct {
			URI           string `json:"uri"`
			Note          string `json:"note"`
			TranscriptURI string `json:"transcriptUri"`
			*transcript
		}{threadURI(r.threadID) + "/json", jsonNote, threadURI(r.threadID), t})
	}
	return []mcp.ResourceContents{mcp.TextResourceContents{URI: uri, MIMEType: mimeMD, Text: t.markdown()}}, nil
}

// inboxNames names inboxes for transcripts, from the cached snapshot when
// there is one (inboxes rarely change), else with one call. Failure only
// costs the names.
func (c *Catalog) inboxNames(ctx context.Context) map[string]string {
	var inboxes []hubspot.Inbox
	if s := c.cache.peek(ctx, c.svc); s != nil {
		inboxes = s.inboxes
	} else if list, err := listInboxes(ctx, c.svc); err == nil {
		inboxes = list
	}
	names := make(map[string]string, len(inboxes))
	for _, in := range inboxes {
		names[in.ID] = in.Name
	}
	return names
}

// listed builds the resources resources/list shows after the registered
// ones: each inbox, then the most recently active open threads.
func (c *Catalog) listed(s *snapshot) []mcp.Resource {
	var out []mcp.Resource
	for _, in := range s.inboxes {
		out = append(out, mcp.NewResource(inboxURI(in.ID), "inbox "+in.ID,
			mcp.WithResourceTitle(view.Line(in.Name, 80)+" ("+strings.ToLower(view.Word(in.Type))+")"),
			mcp.WithResourceDescription("Inbox "+in.ID+": its channel accounts and most recently active open threads."),
			mcp.WithMIMEType(mimeJSON)))
	}
	names := map[string]string{}
	for _, in := range s.inboxes {
		names[in.ID] = view.Line(in.Name, 80)
	}
	open := s.open[:min(len(s.open), c.opts.RecentThreads)]
	for _, th := range open {
		v := view.NewThread(th, s.actors, "")
		who := "contact " + th.AssociatedContactID
		if v.CustomerPerson != nil && v.CustomerPerson.Name != "" {
			who = v.CustomerPerson.Name
		}
		desc := "Open thread in " + orDefault(names[th.InboxID], "inbox "+th.InboxID) + "; latest message " + when(view.At(th.LatestMessageTimestamp))
		if v.Assignee != nil {
			desc += "; assigned to " + v.Assignee.Line(nil)
		} else {
			desc += "; unassigned"
		}
		title := who
		if v.Channel != "" {
			title += " · " + v.Channel
		}
		opts := []mcp.ResourceOption{
			mcp.WithResourceTitle(title),
			mcp.WithResourceDescription(desc + "."),
			mcp.WithMIMEType(mimeMD),
		}
		if !th.LatestMessageTimestamp.IsZero() {
			opts = append(opts, mcp.WithLastModified(th.LatestMessageTimestamp.UTC().Format(time.RFC3339)))
		}
		out = append(out, mcp.NewResource(threadURI(th.ID), "thread "+th.ID, opts...))
	}
	return out
}

// listResources is the answer of resources/list (see
// mcpadapt.ListResources): the registered resources, then the snapshot's
// inboxes and open threads, in pages of PageSize with our own cursor.
func (c *Catalog) listResources(ctx context.Context, cursor string) ([]mcp.Resource, string) {
	static := c.registered()
	cred, err := c.svc.Credential(ctx)
	var snap *snapshot
	offset := 0
	if err == nil && cursor != "" {
		seq, off, cerr := decodeCursor(cursor)
		if cerr == nil {
			offset = off
			snap = c.cache.find(cred, seq)
		}
	}
	if err == nil && snap == nil {
		snap, err = c.cache.get(ctx, c.svc)
	}
	if err != nil {
		// resources/list has no error channel here: list what is
		// registered and say why in the log. Reads report the error.
		c.logger.WarnContext(ctx, "resources/list: could not list inboxes and threads", "error", readError("resources/list", err))
		if cursor != "" {
			static = nil
		}
		return static, ""
	}
	all := append(static, c.listed(snap)...)
	offset = min(offset, len(all))
	end := min(offset+c.opts.PageSize, len(all))
	next := ""
	if end < len(all) {
		next = encodeCursor(snap.seq, end)
	}
	return all[offset:end], next
}

// registered lists the server's registered resources by URI.
func (c *Catalog) registered() []mcp.Resource {
	var out []mcp.Resource
	if c.srv == nil {
		for _, r := range c.Resources() {
			out = append(out, r.Resource)
		}
		return out
	}
	for _, r := range c.srv.ListResources() {
		out = append(out, r.Resource)
	}
	slices.SortFunc(out, func(a, b mcp.Resource) int { return strings.Compare(a.URI, b.URI) })
	return out
}

// Close stops every subscription poller and waits for them.
func (c *Catalog) Close() { c.watch.Close() }

// Forget drops what the catalog keeps for a credential (a snapshot, an
// idle polling budget), such as one the service's pool evicted.
func (c *Catalog) Forget(credential string) {
	c.cache.forget(credential)
	c.watch.Forget(credential)
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
