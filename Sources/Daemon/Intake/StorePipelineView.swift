import Foundation
import Store
import Ticketing

/// The pipeline's read-only view of the store: tickets with their participants, stored
/// Message-IDs, agents. It never writes, so a dry run can use it on a live store.
struct StorePipelineView: PipelineView {
    let tickets: TicketStore
    let agents: Set<String>

    func ticket(number: Int) -> TicketSnapshot? {
        guard let t = try? tickets.ticket(number: Int64(number)) else { return nil }
        var participants: [String: ParticipantRole] = [:]
        for p in (try? tickets.participants(ticketID: t.id)) ?? [] {
            participants[p.address] = ParticipantRole(rawValue: p.role) ?? .cc
        }
        participants[t.requester.lowercased()] = .requester
        let resolvedAt = (try? tickets.resolvedAt(ticketID: t.id)).flatMap { $0 }.map { Date(timeIntervalSince1970: TimeInterval($0)) }
        return TicketSnapshot(number: Int(t.number), status: t.status, participants: participants, resolvedAt: resolvedAt,
                              subject: t.subject, priority: t.priority, queue: t.queue, assignee: t.assignee, requester: t.requester)
    }

    func ticketNumber(forMessageID messageID: String) -> Int? {
        let bare = messageID.trimmingCharacters(in: CharacterSet(charactersIn: "<> "))
        return (try? tickets.ticketNumber(forMessageID: bare)).flatMap { $0 }.map(Int.init)
    }

    func isAgent(_ address: String) -> Bool { agents.contains(address.lowercased()) }

    func agentLoads() -> [String: AgentLoad] { (try? tickets.agentLoads()) ?? [:] }

    func lastAgent(forRequester address: String) -> String? { (try? tickets.lastAgent(forRequester: address)).flatMap { $0 } }

    func rotation() -> [String: String] { (try? tickets.rotation()) ?? [:] }

    func slaHistory(ticket number: Int) -> SLAHistory? {
        guard let t = try? tickets.ticket(number: Int64(number)), let facts = try? tickets.slaHistory(ticketID: t.id) else { return nil }
        return SLAHistory(facts: facts, requested: (try? tickets.slaPolicy(ticketID: t.id))?.requested)
    }
}
