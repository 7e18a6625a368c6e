/// Where mail for a ticket goes once it was merged: along `mergedInto` to the ticket that was not
/// merged away (A → B → C lands on C). A chain that breaks (a target missing) or loops stops at
/// the last ticket reached, which is a closed stub, so the mail opens a new, linked ticket rather
/// than landing somewhere arbitrary.
public enum MergeForward {
    /// Chains longer than this are treated as broken (they cannot arise from `TicketMerge`).
    public static let maxHops = 32

    /// The ticket mail for `ticket` lands on, and the numbers passed on the way (first the one
    /// named, last the one returned; one element when nothing was merged).
    public static func follow(_ ticket: TicketSnapshot, lookup: some ThreadLookup) -> (ticket: TicketSnapshot, chain: [Int]) {
        var current = ticket
        var chain = [ticket.number]
        var seen: Set<Int> = [ticket.number]
        while let next = current.mergedInto, chain.count <= maxHops, seen.insert(next).inserted,
              let target = lookup.ticket(number: next) {
            current = target
            chain.append(next)
        }
        return (current, chain)
    }
}
