package tools

import (
	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot"
)

// pagingHint ends the description of every list tool.
const pagingHint = "For more, pass nextCursor as after."

// pageInput holds the paging arguments every list tool takes.
type pageInput struct {
	After string   `json:"after,omitempty"`
	Limit pageSize `json:"limit,omitempty"`
}

// options returns the client's paging options with sort.
func options[S ~string](p pageInput, sort []S) hubspot.ListOptions {
	return hubspot.ListOptions{After: p.After, Limit: int(p.Limit), Sort: strs(sort)}
}

// strs converts a list of named strings (IDs, enum values) to []string.
func strs[T ~string](in []T) []string {
	if in == nil {
		return nil
	}
	out := make([]string, len(in))
	for i, v := range in {
		out[i] = string(v)
	}
	return out
}

// listOutput is the result of every list tool.
type listOutput[T any] struct {
	Results []T `json:"results"`
	// NextCursor is empty on the last page.
	NextCursor string `json:"nextCursor,omitempty"`
	// Total is set by the lists HubSpot counts (inboxes, channels and
	// channel accounts), not by threads and messages.
	Total *int `json:"total,omitempty"`
}

// newListOutput converts a page, passing err through.
func newListOutput[T, U any](page *hubspot.Page[T], err error, conv func(T) U) (listOutput[U], error) {
	if err != nil {
		return listOutput[U]{}, err
	}
	return listOutput[U]{Results: mapSlice(page.Results, conv), NextCursor: page.NextAfter(), Total: page.Total}, nil
}

// convert converts one object, passing err through.
func convert[T, U any](v *T, err error, conv func(T) U) (U, error) {
	if err != nil {
		var zero U
		return zero, err
	}
	return conv(*v), nil
}

// mapSlice converts every element; the result is never nil, so it encodes
// as [] and not null.
func mapSlice[T, U any](in []T, conv func(T) U) []U {
	out := make([]U, len(in))
	for i, v := range in {
		out[i] = conv(v)
	}
	return out
}
