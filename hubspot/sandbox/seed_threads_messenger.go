package sandbox

func messengerThreads() []seedThread {
	return []seedThread{
		{id: ArchivedThreadID, account: MessengerChannelAccountID, visitor: 25, start: day(15, 3), archived: true, msgs: []seedMsg{
			in(0, "Is the Ridgeline 2 still available in green?"),
			out(30, sam, "Hi {first}! It is, in Moss Green. Want a link?"),
			in(5, "Never mind, I already asked on the website chat. Sorry for the duplicate!"),
			note(2, sam, "Duplicate of a chat conversation, archiving."),
		}},
		{id: "9000000113", account: MessengerChannelAccountID, visitor: 26, start: day(0, 8), msgs: []seedMsg{
			in(0, "hi! what time does the Portland store close on saturday? want to pick up my online order"),
			out(15, riley, "Hi {first}! The Portland store is open 9am–7pm on Saturdays. Bring your order confirmation and ID to the pick-up desk."),
			in(3, "can my brother pick it up instead?"),
		}},
		{id: "9000000114", account: MessengerChannelAccountID, visitor: 27, start: day(13, 1), msgs: []seedMsg{
			in(0, "Your code TRAIL15 from the Instagram ad doesn't work at checkout"),
			assign(5, system, sam),
			out(10, sam, "Hi {first}, sorry about that! TRAIL15 expired on Sunday. I've made you a one-off code, TRAIL15-XK42, valid for 7 days."),
			in(4, "That worked 🙌"),
			closeThread(20, sam),
		}},
		{id: "9000000115", account: MessengerChannelAccountID, visitor: 28, start: day(2, 2), msgs: []seedMsg{
			in(0, "Do you have the Current 230 kayak paddle in stock near me? I'm here right now:").
				with(locationAttachment{Type: attachmentLocation, Latitude: 45.5231, Longitude: -122.6765,
					Name: "Pioneer Courthouse Square", Address: "701 SW 6th Ave, Portland, OR 97204"}),
			assign(3, riley, riley),
			out(4, riley, "Hi {first}! Our Portland store (10 minutes' walk from you) has two Current 230 paddles in stock. I can hold one at the desk for 24 hours if you like."),
			in(2, "Yes please hold one!"),
			out(1, riley, "Done — it's under your name at the pick-up desk until tomorrow at 6pm."),
		}},
		{id: "9000000127", account: MessengerChannelAccountID, visitor: 29, start: day(6, 1), msgs: []seedMsg{
			in(0, "do you have the Nimbus bag in kids size"),
			out(2*24*60, sam, "Hi {first}, sorry for the slow reply! The Nimbus Junior (fits kids up to 5'0\") is in stock in blue and orange.").failing(),
			note(5, sam, "Reply failed: outside Messenger's 24-hour window. Customer has no email on file; wait for them to write again."),
		}},
		{id: "9000000132", account: MessengerChannelAccountID, visitor: 5, start: day(18, 3), msgs: []seedMsg{
			in(0, "Can you gift wrap an order and leave out the receipt? It's a birthday present."),
			out(12, riley, "Hi {first}! Yes, gift wrap is $5 and gift orders never include prices. Tick \"This is a gift\" at checkout."),
			in(3, "Perfect, thank you!"),
			closeThread(60, riley),
		}},
	}
}
