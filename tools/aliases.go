package tools

import (
	"maps"
	"slices"
	"strings"

	"github.com/hubspot-conversations-mcp/hubspot-conversations-mcp/hubspot"
)

// aliases are the names models commonly use for an existing parameter,
// per tool: tool → alias → parameter. This is the one table of them
// (docs/tools.md shows it). An alias is only ever another name for a
// parameter of the same tool that means the same thing: `status` is
// list_threads' threadStatus, but update_thread has a real status;
// `assignee` is assign_thread's actorId, never a recipient's. Any other
// unknown parameter is refused, with a suggestion (didYouMean), and
// nothing is sent.
var aliases = map[string]map[string]string{
	"list_threads": {
		"status":    "threadStatus",
		"inbox":     "inboxId",
		"contactId": "associatedContactId",
	},
	"search_threads": {
		"status": "threadStatus",
		"inbox":  "inboxId",
		"email":  "customer",
		"query":  "customer",
	},
	"list_channel_accounts": {
		"inbox": "inboxId",
	},
	"assign_thread": {
		"assignee": "actorId",
	},
	"send_message": {
		"body":    "text",
		"message": "text",
	},
}

// renameAliases renames the aliases found in a call's arguments to their
// parameters. An alias given together with its parameter is refused: the
// call would be ambiguous.
func renameAliases(args map[string]any, aliases map[string]string) error {
	if len(aliases) == 0 {
		return nil
	}
	for _, alias := range slices.Sorted(maps.Keys(aliases)) {
		v, ok := args[alias]
		if !ok {
			continue
		}
		param := aliases[alias]
		if _, both := args[param]; both {
			return argErr(hubspot.Quote(alias), "is another name for "+param+"; pass only "+param)
		}
		delete(args, alias)
		args[param] = v
	}
	return nil
}

// didYouMean returns the parameter an unknown name most likely meant: the
// known parameter (or the parameter of an alias) closest to it, when the
// two differ only in case, separators or a few letters; "" otherwise.
func didYouMean(name string, known []string, aliases map[string]string) string {
	n := fold(name)
	if n == "" {
		return ""
	}
	limit := max(1, len([]rune(n))/3) // edits allowed
	best, bestDist := "", limit+1
	try := func(candidate, param string) {
		c := fold(candidate)
		d := distance(n, c, bestDist)
		// A name cut short, run on or qualified ("thread", "inboxIds",
		// threadStatus for status) is close too.
		if d > limit && len(n) >= 4 && len(c) >= 4 &&
			(strings.HasPrefix(c, n) || strings.HasPrefix(n, c) || strings.HasSuffix(n, c) || strings.HasSuffix(c, n)) {
			d = limit
		}
		if d < bestDist {
			best, bestDist = param, d
		}
	}
	for _, k := range known {
		try(k, k)
	}
	for _, a := range slices.Sorted(maps.Keys(aliases)) {
		try(a, aliases[a])
	}
	return best
}

// fold lowers a name and drops separators: dry_run, dry-run and DryRun
// are all dryrun.
func fold(s string) string {
	if len(s) > 64 {
		return ""
	}
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if r != '_' && r != '-' && r != ' ' && r != '.' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// distance is the Levenshtein distance between a and b, or a value of at
// least limit when it is limit or more.
func distance(a, b string, limit int) int {
	ra, rb := []rune(a), []rune(b)
	if d := len(ra) - len(rb); d >= limit || -d >= limit {
		return limit
	}
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		low := cur[0]
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			low = min(low, cur[j])
		}
		if low >= limit {
			return limit
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
