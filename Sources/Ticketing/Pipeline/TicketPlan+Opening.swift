extension TicketPlan {
    /// Plans a new ticket for this message: the sender as requester (or agent), the other
    /// recipients as Cc participants (never our own addresses), and its links.
    mutating func openTicket(_ input: PipelineInput, view: any PipelineView, subject: String, queue: String,
                             ownAddresses: Set<String>, mentions: Int? = nil, follows: Int? = nil) {
        disposition = .newTicket(subject: subject.isEmpty ? "(no subject)" : subject)
        ticket = nil
        state = TicketState(status: .new)
        self.queue = queue
        participants = [Participant(sender, actor == .agent ? .agent : .requester)]
        for address in input.facts.cc + input.facts.to {
            let a = address.lowercased()
            guard !a.isEmpty, a != sender, !ownAddresses.contains(a),
                  !participants.contains(where: { $0.address == a }) else { continue }
            participants.append(Participant(a, view.isAgent(a) ? .agent : .cc))
        }
        links = []
        if let mentions { links.append(Link(mentions, .mentions)) }
        if let follows { links.append(Link(follows, .follows)) }
    }
}
