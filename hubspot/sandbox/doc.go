// Package sandbox is an embedded, in-memory HubSpot Conversations account
// served over HTTP: the product's sandbox mode (HUBSPOT_SANDBOX=true) and the
// fake every test layer uses.
//
// A Server answers HubSpot's Conversations v3 and Visitor Identification v3
// endpoints, and the CRM reads that put names to their IDs (the owners
// list, a contact by ID or email, the contact search), with HubSpot's
// paths, JSON shapes, status codes, paging cursors, error bodies,
// correlation IDs and rate-limit headers. It imports only the standard
// library.
//
// # Accounts
//
// Each account is an isolated portal selected by its bearer token. New
// seeds one, the fictional outdoor retailer Juniper Outdoor Co., reachable
// with DefaultToken; the IDs in ids.go name its notable objects. AddAccount
// adds more, with the same structure and IDs but other names and people.
// The seed is deterministic: timestamps are relative to ReferenceTime, and
// writes are stamped by the clock of WithClock but never before the seed.
// Its agents are CRM owners and its customers CRM contacts, with IDs that
// match the threads; ids_crm.go names the notable ones, among them a last
// name two customers share and a thread whose customer has no contact.
//
// # Test hooks
//
// InjectFault makes matching calls fail (status, delay, malformed JSON,
// dropped connection); Requests records every call with its token redacted;
// WithRateLimit and WithDailyLimit enforce HubSpot's rolling and daily
// limits (and its search limit); WithoutScopes and
// Account.SetWithheldScopes make a token lack scopes, so the endpoints that
// need them answer 403 MISSING_SCOPES; WithLatency holds every call for a
// fixed time, like a round trip to HubSpot; Account methods add incoming
// messages and threads as if customers wrote in. Start serves a Server on
// a local port for the real binary.
//
// # Concurrency
//
// A Server is safe for concurrent use: one mutex guards all of its state.
package sandbox
