package inbox

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot"
)

// ListThreads lists threads (those of allowed inboxes) as opts says, with
// what the product adds to HubSpot's listing:
//   - sorted by -latestMessageTimestamp (most recently active first),
//     which HubSpot cannot do except for one contact's threads, it lists
//     them newest first itself (see newest.go), with its own cursors;
//   - sorted by latestMessageTimestamp without a lower bound, it asks
//     from the beginning of time, as HubSpot needs one to sort so.
func (s *Service) ListThreads(ctx context.Context, opts *hubspot.ListThreadsOptions) (*hubspot.Page[hubspot.Thread], error) {
	cr, err := s.credential(ctx)
	if err != nil {
		return nil, err
	}
	o := hubspot.ListThreadsOptions{}
	if opts != nil {
		o = *opts
	}
	if slices.Contains(o.Sort, "-"+hubspot.SortByLatestMessageTimestamp) && o.AssociatedContactID == "" {
		return s.newest(ctx, cr, o)
	}
	if slices.ContainsFunc(o.Sort, func(s string) bool { return strings.HasSuffix(s, hubspot.SortByLatestMessageTimestamp) }) &&
		o.LatestMessageTimestampAfter.IsZero() {
		o.LatestMessageTimestampAfter = time.Unix(0, 0)
	}
	return s.listThreads(ctx, cr, &o)
}

// listThreads is one HubSpot listing under the allowlist: HubSpot filters
// by inbox, so pages stay full; a contact's threads cannot be filtered so
// and are filtered after.
func (s *Service) listThreads(ctx context.Context, cr *credential, o *hubspot.ListThreadsOptions) (*hubspot.Page[hubspot.Thread], error) {
	if s.guard != nil && o.AssociatedContactID == "" {
		ids, none, err := s.guard.inboxFilter(o.InboxIDs)
		if err != nil {
			return nil, err
		}
		if none {
			return &hubspot.Page[hubspot.Thread]{Results: []hubspot.Thread{}}, nil
		}
		f := *o
		f.InboxIDs = ids
		o = &f
	}
	p, err := cr.client.ListThreads(ctx, o)
	if err != nil {
		return nil, err
	}
	cr.noteThreads(p.Results...)
	if s.guard != nil {
		p.Results = slices.DeleteFunc(slices.Clone(p.Results), func(th hubspot.Thread) bool { return !s.guard.allows(th.InboxID) })
	}
	return p, nil
}

// GetThread gets one thread; one of an inbox outside the allowlist is not
// found, at the cost of an unknown one: one HubSpot call.
func (s *Service) GetThread(ctx context.Context, threadID string, opts *hubspot.GetThreadOptions) (*hubspot.Thread, error) {
	cr, err := s.credential(ctx)
	if err != nil {
		return nil, err
	}
	th, err := cr.client.GetThread(s.costsACall(ctx, cr, keyThread+threadID), threadID, opts)
	if err != nil {
		return nil, err
	}
	cr.noteThreads(*th)
	if !s.guard.allows(th.InboxID) {
		return nil, hiddenNotFound("", "", "Thread", threadID)
	}
	return th, nil
}

// UpdateThread changes a thread's status or restores an archived thread
// (see hubspot.Client.UpdateThread for HubSpot's rules).
func (s *Service) UpdateThread(ctx context.Context, threadID string, req hubspot.UpdateThreadRequest) (*hubspot.Thread, error) {
	cr, err := s.credential(ctx)
	if err != nil {
		return nil, err
	}
	th, err := cr.client.UpdateThread(withTarget(ctx, target{threadID: threadID}), threadID, req)
	cr.wrote(threadID, th, err)
	return th, err
}

// ArchiveThread moves a thread to the trash.
func (s *Service) ArchiveThread(ctx context.Context, threadID string) error {
	cr, err := s.credential(ctx)
	if err != nil {
		return err
	}
	err = cr.client.ArchiveThread(withTarget(ctx, target{threadID: threadID}), threadID)
	cr.wrote(threadID, nil, err)
	return err
}

// AssignThread assigns a thread to an agent: an actor ID (A-…), or an
// email address or name that ResolveAgent resolves (for the parameter
// actorId) before anything is sent.
func (s *Service) AssignThread(ctx context.Context, threadID, agent string) (*hubspot.Thread, error) {
	cr, err := s.credential(ctx)
	if err != nil {
		return nil, err
	}
	a, err := s.resolveAgent(ctx, cr, "actorId", "", agent)
	if err != nil {
		return nil, err
	}
	th, err := cr.client.AssignThread(withTarget(ctx, target{threadID: threadID}), threadID, a.ActorID)
	cr.wrote(threadID, th, err)
	return th, err
}

// UnassignThread removes a thread's assignee.
func (s *Service) UnassignThread(ctx context.Context, threadID string) error {
	cr, err := s.credential(ctx)
	if err != nil {
		return err
	}
	err = cr.client.UnassignThread(withTarget(ctx, target{threadID: threadID}), threadID)
	cr.wrote(threadID, nil, err)
	return err
}

// wrote forgets the recorded inbox of a thread after a write to it, which
// may have reached HubSpot even if it failed, and records the one HubSpot
// answered with. A write refused before it was sent (invalid, hidden by
// the allowlist, a dry run, a confirmation refused) changed nothing.
func (cr *credential) wrote(threadID string, th *hubspot.Thread, err error) {
	var argErr *hubspot.ArgumentError
	var refusal *ConfirmationRefusal
	if errors.Is(err, ErrDryRun) || errors.As(err, &refusal) || HiddenByAllowlist(err) || errors.As(err, &argErr) {
		return
	}
	cr.owners.Drop(keyThread + threadID)
	if th != nil {
		cr.noteThreads(*th)
	}
}

// Fresh returns a context whose reads show HubSpot as it is now: no
// cached answer and no thread from a recent listing (which may be 5 s
// old, see hubspot.ListedThreadTTL) is reused. A write's question to a
// person reads in it: they decide on the thread as it is, not as it was
// listed.
func Fresh(ctx context.Context) context.Context { return hubspot.Uncached(ctx) }
