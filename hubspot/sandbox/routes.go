package sandbox

import "net/http"

// HubSpot's path prefixes. The assignee endpoints really do live under
// /conversations/conversations/v3 (see NOTES §7).
const (
	convPrefix     = "/conversations/v3/conversations"
	assigneePrefix = "/conversations/conversations/v3"
	threadPath     = convPrefix + "/threads/{threadId}"
	visitorPrefix  = "/visitor-identification/v3"
	ownersPath     = "/crm/v3/owners"

	actorsBatchRoute   = "POST " + convPrefix + "/actors/batch/read"
	contactSearchRoute = "POST " + contactsPath + "/search"
)

// routes registers every endpoint of the Conversations and Visitor
// Identification APIs, and the CRM owners and contacts reads.
func (s *Server) routes() {
	s.mux = http.NewServeMux()
	for pattern, h := range map[string]handlerFunc{
		"GET " + convPrefix + "/inboxes":                             listInboxes,
		"GET " + convPrefix + "/inboxes/{inboxId}":                   getInbox,
		"GET " + convPrefix + "/channels":                            listChannels,
		"GET " + convPrefix + "/channels/{channelId}":                getChannel,
		"GET " + convPrefix + "/channel-accounts":                    listChannelAccounts,
		"GET " + convPrefix + "/channel-accounts/{channelAccountId}": getChannelAccount,

		"GET " + convPrefix + "/threads":                            listThreads,
		"GET " + threadPath:                                         getThread,
		"PATCH " + threadPath:                                       updateThread,
		"DELETE " + threadPath:                                      archiveThread,
		"PUT " + assigneePrefix + "/threads/{threadId}/assignee":    assignThread,
		"DELETE " + assigneePrefix + "/threads/{threadId}/assignee": unassignThread,

		"GET " + threadPath + "/messages":                              listMessages,
		"POST " + threadPath + "/messages":                             sendMessage,
		"GET " + threadPath + "/messages/{messageId}":                  getMessage,
		"GET " + threadPath + "/messages/{messageId}/original-content": getOriginalContent,
		"GET " + convPrefix + "/actors/{actorId}":                      getActor,
		actorsBatchRoute: batchReadActors,
		"POST " + visitorPrefix + "/tokens/create": createVisitorToken,

		"GET " + ownersPath:                    listOwners,
		"GET " + contactsPath + "/{contactId}": getContact,
		contactSearchRoute:                     searchContacts,
	} {
		s.mux.Handle(pattern, s.handle(h))
	}
}
