/// Merging ticket A into ticket B: A's messages, participants, events, tags and links move to
/// B, and A stays as a closed stub that forwards mail to B (`MergeForward`). What may be merged
/// (and linked) is decided here, before anything moves; the store does the moving.
public struct TicketMerge: Sendable, Equatable {
    public var from: Int
    public var into: Int
    /// Who merged (an agent's address) and why, recorded on both tickets.
    public var actor: String
    public var reason: String
    /// Set when the merge copies someone onto another customer's ticket (`disclosure(...)`): the agent is told so.
    public var disclosure: String?

    public init(from: Int, into: Int, actor: String, reason: String?) {
        self.from = from
        self.into = into
        self.actor = actor
        self.reason = reason?.isEmpty == false ? reason! : "agent command"
    }

    /// Why a merge or link is refused.
    public enum Refusal: Error, Equatable, CustomStringConvertible {
        case itself(Int)
        case unknown(Int)
        case alreadyMerged(Int, into: Int)
        /// The target was merged away; `final` is where its mail goes now.
        case targetMerged(Int, final: Int)
        case cycle(Int, Int)
        case closed(Int)

        public var description: String {
            switch self {
            case let .itself(n): return "ticket #\(n) cannot be merged into or linked with itself"
            case let .unknown(n): return "no ticket #\(n)"
            case let .alreadyMerged(n, into): return "ticket #\(n) is already merged into #\(into)"
            case let .targetMerged(n, final): return "ticket #\(n) was merged into #\(final); use #\(final)"
            case let .cycle(a, b): return "merging #\(a) into #\(b) would make a cycle"
            case let .closed(n): return "ticket #\(n) is closed; reopen it or merge the other way"
            }
        }
    }

    /// Why `from` may not be merged into ticket `number`, or nil when it may.
    public static func refusal(from: TicketSnapshot, into number: Int, lookup: some ThreadLookup) -> Refusal? {
        if number == from.number { return .itself(number) }
        if let away = from.mergedInto { return .alreadyMerged(from.number, into: away) }
        guard let target = lookup.ticket(number: number) else { return .unknown(number) }
        let (final, chain) = MergeForward.follow(target, lookup: lookup)
        if chain.contains(from.number) { return .cycle(from.number, number) }
        if target.mergedInto != nil { return .targetMerged(number, final: final.number) }
        if target.isClosed { return .closed(number) }
        return nil
    }

    /// The warning for merging ticket `from` into `into` when their customers differ. Every
    /// customer-side address of `from` (its requester and Cc's; agents are ours) becomes a Cc of
    /// `into` and from then on gets its replies and sees its subject, which shows them another
    /// customer's conversation. `fromOthers`/`intoOthers`: each ticket's other customer-side
    /// participants. Nil when everyone on `from` is already on `into`.
    public static func disclosure(from: Int, requester: String, fromOthers: [String] = [],
                                  into: Int, intoRequester: String, intoOthers: [String] = []) -> String? {
        let a = Address.normalised(requester), b = Address.normalised(intoRequester)
        guard !a.isEmpty, !b.isEmpty else { return nil }
        let fromSide = ordered([a] + fromOthers.map(Address.normalised))
        let intoSide = ordered([b] + intoOthers.map(Address.normalised))
        let gaining = fromSide.filter { !intoSide.contains($0) }
        guard !gaining.isEmpty else { return nil }
        if gaining == [a], intoSide == [b] {
            return "#\(from) and #\(into) have different requesters: after the merge \(a) gets #\(into)'s replies and sees its subject, "
                + "which discloses \(b)'s conversation to \(a)"
        }
        let who = gaining.joined(separator: ", "), whose = intoSide.joined(separator: ", ")
        let verbs = gaining.count == 1 ? "gets #\(into)'s replies and sees" : "get #\(into)'s replies and see"
        return "#\(from) and #\(into) have different customers: after the merge \(who) \(verbs) its subject, "
            + "which discloses the conversation of \(whose) to \(who)"
    }

    /// Non-empty addresses once each, in first-seen order (the warning names them stably).
    private static func ordered(_ addresses: [String]) -> [String] {
        var seen = Set<String>()
        return addresses.filter { !$0.isEmpty && seen.insert($0).inserted }
    }

    /// Why `from` may not be linked as related to ticket `number`, or nil when it may.
    public static func linkRefusal(from: TicketSnapshot, to number: Int, lookup: some ThreadLookup) -> Refusal? {
        if number == from.number { return .itself(number) }
        guard let target = lookup.ticket(number: number) else { return .unknown(number) }
        if target.mergedInto != nil { return .targetMerged(number, final: MergeForward.follow(target, lookup: lookup).ticket.number) }
        return nil
    }
}
