// Package sandbox is an embedded, in-memory HubSpot Conversations account
// served over HTTP: the product's sandbox mode (HUBSPOT_SANDBOX=true) and the
// fake every test layer uses.
//
// A Server answers HubSpot's Conversations v3 and Visitor Identification v3
// endpoints with HubSpot's paths, JSON shapes, status codes, opaque paging
// cursors, error bodies, correlation IDs and rate-limit headers. It imports
// only the standard library.
//
// # Accounts
//
// Each account is an isolated portal selected by its bearer token. New
// seeds one, the fictional outdoor retailer Juniper Outdoor Co., reachable
// with DefaultToken; the IDs in ids.go name its notable objects. AddAccount
// adds more, with the same structure and IDs but other names and people.
// The seed is deterministic: timestamps are relative to ReferenceTime, and
// writes are stamped by the clock of WithClock but never before the seed.
//
// # Test hooks
//
// InjectFault makes matching calls fail (status, delay, malformed JSON,
// dropped connection); Requests records every call with its token redacted;
// WithRateLimit and WithDailyLimit enforce HubSpot's rolling and daily
// limits; Account methods add incoming messages and threads as if customers
// wrote in. Start serves a Server on a local port for the real binary.
//
// # Concurrency
//
// A Server is safe for concurrent use: one mutex guards all of its state.
package sandbox
