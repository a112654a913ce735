package sandbox

func emailThreads() []seedThread {
	return []seedThread{
		{id: EmailThreadID, account: EmailChannelAccountID, visitor: 0, start: day(4, 0), ticket: "71200440",
			subject: "Exchange for order JO-10433: Summit Shell jacket too small", msgs: []seedMsg{
				in(0, "Hello,\n\nI bought the Summit Shell jacket in medium (order JO-10433) but it's too tight across the shoulders. "+
					"Could I exchange it for a large? I've only tried it on indoors and the tags are still attached.\n\n"+
					"I've copied my partner Jordan, who placed the order.\n\nThanks,\n{first}").withCC(),
				assign(35, system, riley),
				out(12, riley, "Hi {first},\n\nThanks for getting in touch! Exchanges are free within 60 days, and the large in Glacier Blue is in stock. "+
					"I've created return authorisation RA-55810; the prepaid label is attached. Drop the parcel at any post office and we'll ship "+
					"the large as soon as the return is scanned.\n\nBest,\n{riley}\n{company} Support").with(document("return-label-RA-55810.pdf")),
				in(19*60, "Got the label, thank you! I dropped it off this morning, tracking 9400 1118 9922 3344 5566 77.\n\n"+
					"One question: will the large ship before the weekend? We leave for the Cascades on the 28th.\n\n{first}"),
				note(40, riley, "Warehouse confirms a large Glacier Blue is reserved for RA-55810; ships on scan."),
				out(5, riley, "Hi {first},\n\nYour return was scanned an hour ago, so the large ships today by UPS 2-day and should arrive on Tuesday, "+
					"well before your trip.\n\nHappy trails,\n{riley}"),
				in(26*60, "Perfect, that works. Thank you so much for the quick help!\n\n{first}").truncatedAs(TruncatedMessageID),
			}},
		{id: "9000000108", account: EmailChannelAccountID, visitor: 0, start: day(17, 4),
			subject: "Order JO-10391 still not here", msgs: []seedMsg{
				in(0, "Hi,\n\nI ordered a Basecamp 4 tent (JO-10391) ten days ago and it still hasn't arrived. The tracking page says \"label created\". "+
					"Can you check what's going on?\n\n{name}"),
				assign(50, system, sam),
				out(25, sam, "Hi {first},\n\nSorry for the wait. The Basecamp 4 was back-ordered for a week and shipped yesterday; the carrier "+
					"should scan it tonight. I've refunded the shipping fee for the delay.\n\nBest,\n{sam}"),
				in(2*24*60, "It arrived today. Thanks for refunding the shipping!\n\n{first}"),
				closeThread(20, sam),
			}},
		{id: "9000000116", account: EmailChannelAccountID, visitor: 13, start: day(6, 4), ticket: "71200462",
			subject: "Warranty claim: Alpine 45L zipper failed", msgs: []seedMsg{
				in(0, "Hello,\n\nThe main zipper on my Alpine 45L pack split after about eight months of use. Photos attached. "+
					"Is this covered by your warranty?\n\nRegards,\n{name}").with(image("alpine-45-zipper-1.jpg"), image("alpine-45-zipper-2.jpg")),
				out(3*60, riley, "Hi {first},\n\nThanks for the photos. Zipper failures are covered for two years. You can send the pack in for a free "+
					"repair (about two weeks), or we can replace it now if you prefer. Which would you like?\n\n{riley}"),
				in(5*60, "A replacement would be great, I have a trip in three weeks.\n\n{first}"),
				note(30, riley, "Approved warranty replacement, ticket 71200462. Customer keeps the old pack (no return needed under $150)."),
			}},
		{id: "9000000117", account: EmailChannelAccountID, visitor: 14, start: day(19, 6),
			subject: "Return label please", msgs: []seedMsg{
				in(0, "Hi, could you send me a return label for order JO-10352? The trekking poles are too short for me.\n\n{first}"),
				out(90, sam, "Hi {first},\n\nHere's your prepaid label (RA-55702). The refund goes back to your card within five days of us "+
					"receiving the poles.\n\n{sam}").with(document("return-label-RA-55702.pdf")),
				closeThread(1, sam),
			}},
		{id: "9000000118", account: EmailChannelAccountID, visitor: 15, start: day(7, 3),
			subject: "Parcel stuck in customs (Canada)", msgs: []seedMsg{
				in(0, "Hello,\n\nMy order JO-10461 has been \"held at customs\" in Mississauga for six days. Do I need to do something?\n\n{name}"),
				assign(20, riley, sam),
				out(40, sam, "Hi {first},\n\nCanadian customs sometimes asks for a commercial invoice on larger orders. I've sent one to the carrier "+
					"and asked them to release the parcel. If they ask you for duties, let me know before paying: we cover them on orders over $150 CAD.\n\n{sam}"),
				in(22*60, "The carrier emailed me asking for $31.40 in duties. Should I pay?\n\n{first}"),
			}},
		{id: "9000000119", account: EmailChannelAccountID, visitor: 16, start: day(20, 2), ticket: "71200473",
			subject: "Headlamp stopped working", msgs: []seedMsg{
				in(0, "My Lumen 400 headlamp stopped turning on after two weeks. New batteries didn't help.\n\n{first}"),
				assign(10, system, riley),
				out(60, riley, "Hi {first},\n\nSorry about that! It sounds like a faulty switch. I've sent a replacement Lumen 400 today; "+
					"no need to return the old one.\n\n{riley}"),
				in(3*24*60, "Replacement works great. Thanks!\n\n{first}"),
				closeThread(15, riley),
			}},
		{id: "9000000120", account: SalesEmailChannelAccountID, visitor: 0, start: day(5, 7),
			subject: "Group order for our hiking club", msgs: []seedMsg{
				in(0, "Hi sales team,\n\nOur hiking club (24 members) would like matching fleece jackets with our logo. "+
					"Do you offer group pricing and embroidery?\n\nBest,\n{name}\nCascade Ramblers"),
				out(4*60, riley, "Hi {first},\n\nWe do! For 20+ pieces we take 15% off, and embroidery is $6 per piece with a one-off $45 "+
					"setup fee. Could you send your logo as a vector file and a size breakdown?\n\n{riley}\n{company} Sales"),
				in(26*60, "Great! Logo attached. Sizes: 4 S, 9 M, 8 L, 3 XL.\n\n{first}").with(document("cascade-ramblers-logo.svg")),
			}},
		{id: "9000000121", account: SalesEmailChannelAccountID, visitor: 17, start: day(1, 6),
			subject: "Corporate gift cards", msgs: []seedMsg{
				in(0, "Hello,\n\nWe'd like to buy 40 gift cards of $100 each as year-end gifts for our staff. Is there a corporate discount "+
					"and can they be delivered by email?\n\nKind regards,\n{name}\nFinance, Northwind Analytics"),
				out(0, IntegratorActorID, "Thank you for contacting {company} Sales. Your request has been logged as quote Q-2026-1187 and a "+
					"member of our team will reply within one business day."),
			}},
		{id: "9000000122", account: SalesEmailChannelAccountID, visitor: 18, start: day(16, 2),
			subject: "Wholesale account for our shop", msgs: []seedMsg{
				in(0, "Hi,\n\nI run a small outdoor shop in Bend, Oregon and would like to stock your trekking poles and headlamps. "+
					"Do you have a wholesale programme?\n\n{name}\nHigh Desert Outfitters"),
				out(3*60, sam, "Hi {first},\n\nThanks for your interest! Our wholesale programme starts at a $1,500 opening order with "+
					"net-30 terms. I've attached the line sheet and the application form.\n\n{sam}").
					with(document("wholesale-line-sheet-2026.pdf"), document("wholesale-application.pdf")),
				in(2*24*60, "Application sent back, thanks. Talk soon.\n\n{first}"),
				closeThread(60, sam),
			}},
		{id: "9000000123", account: SalesEmailChannelAccountID, visitor: 19, start: day(3, 5),
			subject: "Discount for a scout troop?", msgs: []seedMsg{
				in(0, "Hi,\n\nI'm the quartermaster for Scout Troop 214. We need 12 sleeping pads before our winter camp. "+
					"Do you offer youth-group discounts?\n\nThanks,\n{name}"),
				assign(15, system, riley),
				out(50, riley, "Hi {first},\n\nWe love supporting scouts! Registered youth groups get 20% off. For winter camp I'd "+
					"recommend the Thermarest-style Drift R4 pad ($79 before discount). Shall I put together a quote for 12?\n\n{riley}"),
				in(9*60, "Yes please, 12 Drift R4 in regular length.\n\n{first}"),
			}},
		{id: "9000000126", account: EmailChannelAccountID, visitor: 20, start: day(4, 6),
			subject: "Invoice for order JO-10476", msgs: []seedMsg{
				in(0, "Hello, I need a VAT invoice for order JO-10476 for my company's expense report. Company: Doyle Surveying Ltd.\n\n{name}"),
				out(7, IntegratorActorID, "Hello {first},\n\nPlease find attached the invoice for order JO-10476, issued to Doyle Surveying Ltd.\n\n"+
					"This message was sent automatically by the {company} order desk.").with(document("invoice-JO-10476.pdf")),
				in(3*60, "Thanks! Could the invoice also show our VAT number, IE6388047V?\n\n{first}"),
			}},
		{id: "9000000129", account: EmailChannelAccountID, visitor: 21, start: day(2, 9),
			subject: "Price match request", msgs: []seedMsg{
				in(0, "Hi,\n\nTrailhead Supply has the Ridgeline 2 tent for $279, you have it at $319. Do you price match?\n\n{name}"),
				out(2*60, sam, "Hi {first},\n\nWe do match authorised retailers. Could you send a link to their listing? If it's in stock "+
					"there, we'll match the price and refund the $40 difference.\n\n{sam}"),
				in(5*60, "Here you go: https://trailhead-supply.example/ridgeline-2\n\n{first}"),
			}},
		{id: "9000000131", account: EmailChannelAccountID, visitor: 22, start: day(11, 2), archived: true,
			subject: "Boost your store's Google ranking", msgs: []seedMsg{
				in(0, "Dear Sir/Madam,\n\nWe noticed your website isn't on the first page of Google. Our SEO experts can fix this for just "+
					"$99/month. Reply YES to get started!\n\n{name}\nRankRocket Digital"),
				note(60, sam, "Spam, archiving."),
			}},
		{id: "9000000133", account: SalesEmailChannelAccountID, visitor: 23, start: day(8, 6),
			subject: "Instructor jackets for a ski school", msgs: []seedMsg{
				in(0, "Hello,\n\nWe run a ski school with 35 instructors and are looking for a supplier for red shell jackets with "+
					"\"INSTRUCTOR\" printed on the back. Can you do custom prints?\n\n{name}\nAlpenglow Ski School"),
				out(5*60, riley, "Hi {first},\n\nYes, we can print on the Summit Shell in Signal Red. For 35 pieces the price would be $142 each "+
					"including the back print. The lead time is four weeks. Want me to send samples?\n\n{riley}"),
			}},
		{id: "9000000135", account: EmailChannelAccountID, visitor: 24, start: day(9, 7),
			subject: "Exchange boots for half a size up", msgs: []seedMsg{
				in(0, "Hi,\n\nThe Talus Mid boots (JO-10420) are great but my toes hit the front on descents. Can I swap the 9 for a 9.5?\n\n{first}"),
				out(80, riley, "Hi {first},\n\nAbsolutely. I've started an exchange (RA-55763); the label is attached. We'll ship the 9.5 as soon "+
					"as the parcel is scanned.\n\n{riley}").with(document("return-label-RA-55763.pdf")),
				in(4*60, "Thanks! Sending them back tomorrow.\n\n{first}"),
			}},
	}
}
