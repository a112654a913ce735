// Package hubspot is a client for HubSpot's Conversations (inbox and
// messages) and Visitor Identification APIs, v3, and for the CRM reads
// that put names to their IDs: owners (ListOwners) and contacts
// (GetContact, SearchContacts).
//
// # Construction
//
// NewClient takes an access token (a Service Key, a legacy private app's
// token or an OAuth access token), with or without its "Bearer " prefix,
// and options: WithBaseURL (the sandbox, or HubSpot's EU host),
// WithLimiter, WithLogger, WithTimeout, WithMaxRetries. One method is one
// HTTP request; the client never pages on its own. Lists return a *Page
// whose NextAfter is the cursor of the next page.
//
// The client knows nothing of the server built on it: no MCP, sessions,
// credential pools, confirmations or progress. What such a server adds
// plugs into four seams, each knowing nothing of the product:
//   - WithHTTPClient: the *http.Client, whose RoundTripper sees every
//     attempt (a server traces them for its audit log);
//   - WithLimiter: the Limiter, which a server may wrap (to add its own
//     budget, such as polling's share);
//   - WithRateWait: how the waits of the rate budget are spent (a server
//     reports long ones to its user);
//   - WithBeforeWrite: a function called before each write is sent, which
//     may refuse it (a server captures a dry run's request there, or
//     refuses a write other than the one a user approved).
//
// # Rate limiting
//
// Every request, retries included, waits on the client's Limiter.
// The default, NewWindowLimiter(DefaultRate), allows 100 calls in any 60 s
// window: a golang.org/x/time/rate token bucket plus a log of recent sends
// that holds the rolling-window bound HubSpot enforces. When a wait would
// outlast the caller's deadline, the call fails at once with *BudgetError
// and nothing is sent. When HubSpot's X-HubSpot-RateLimit-Remaining header
// reaches 0 (its own window, shared with every other integration using the
// same app), the client holds further requests until the window frees up:
// after the oldest of its own last Max calls leaves it, or a whole window
// when other integrations' calls fill it. A CRM search also waits on the
// search limiter (WithSearchLimiter; SearchRate, HubSpot's five searches a
// second per account, by default), before the Limiter's turn, so that the
// Limiter's window books the send time: a search is counted against both,
// on purpose. Every such wait, and a 429's Retry-After, passes through the
// rate wait (WithRateWait).
//
// # Caching
//
// WithCache keeps, per Client (one token), what rarely changes: inboxes,
// channels, channel accounts, actors and the owners list. Messages are
// never cached; a thread from ListThreads answers GetThread with the same
// options for ListedThreadTTL (5 s), and threads are otherwise never
// cached. Identical reads in flight at the same moment share one request
// whether or not the cache is on; a write drops what it changes. Reads in
// a context from Uncached reuse nothing.
//
// # Retries
//
// A 429 is retried after Retry-After, or HubSpot's rate-limit interval
// when there is none, for any method: HubSpot did not process it. A 429
// for the daily limit is not retried. 502, 503, 504 and connection errors
// are retried with jittered backoff only for requests that are safe to
// repeat. A message send is retried only when the connection failed before
// anything was sent, so a message is never sent twice.
//
// # Errors
//
// Methods return *ArgumentError for input HubSpot would reject or that
// could change the endpoint called (IDs are validated and escaped before a
// request is built), *BudgetError when the budget has no slot in time,
// *Error for HubSpot's error answers (status, category, message,
// correlation ID, details, and the rate-limit policy on 429), and
// *RequestError when no usable answer came. Use errors.As. MissingScopes
// tells a token without a scope the call needs (403 MISSING_SCOPES) and
// which scopes HubSpot names; IsNotFound tells a 404. No error, log line
// or answer ever contains the access token.
//
// # Decoding
//
// Types follow HubSpot's OpenAPI description, not the Power Automate
// connector's. Decoding is lenient: unknown fields, new enum values, odd
// timestamps and integers sent as strings never fail a call. Messages and
// actors are unions flattened into one struct, told apart by Type.
package hubspot
