import Foundation
import Store
import Ticketing

/// The pipeline's read-only view of the store: tickets with their participants, stored
/// Message-IDs, agents. It never writes, so a dry run can use it on a live store.
///
/// The pipeline's questions cannot throw, so a read the store fails (full, I/O, corrupt, the
/// transaction rolled back under us) answers "nothing" and is kept in `failures`: the intake
/// throws it before acting, so a reply is never filed as a new ticket because a read failed.
struct StorePipelineView: PipelineView {
    let tickets: TicketStore
    let agents: Set<String>
    var failures = StoreReadFailures()
    /// Tickets as read during this one plan: the steps ask for the same ticket several times
    /// (five reads of one row for a reply), and nothing writes while a plan is made.
    private let seen = SeenTickets()

    /// `body`'s answer, or nil when it threw; a store failure is kept for the intake.
    private func read<T>(_ body: () throws -> T) -> T? {
        do { return try body() } catch {
            failures.note(error)
            return nil
        }
    }

    /// The ticket row, read once per plan.
    private func record(number: Int) -> TicketRecord? {
        if let known = seen.records[number] { return known }
        guard let found = read({ try tickets.ticket(number: Int64(number)) }), let t = found else { return nil }
        seen.records[number] = t
        return t
    }

    func ticket(number: Int) -> TicketSnapshot? {
        if let known = seen.snapshots[number] { return known }
        guard let t = record(number: number) else { return nil }
        var participants: [String: ParticipantRole] = [:]
        for p in read({ try tickets.participants(ticketID: t.id) }) ?? [] {
            participants[p.address] = ParticipantRole(rawValue: p.role) ?? .cc
        }
        participants[t.requester.lowercased()] = .requester
        let resolvedAt = read({ try tickets.resolvedAt(ticketID: t.id) }).flatMap { $0 }.map { Date(timeIntervalSince1970: TimeInterval($0)) }
        let snapshot = TicketSnapshot(number: Int(t.number), status: t.status, participants: participants, resolvedAt: resolvedAt,
                                      subject: t.subject, priority: t.priority, queue: t.queue, assignee: t.assignee, requester: t.requester,
                                      mergedInto: t.mergedInto.map(Int.init))
        seen.snapshots[number] = snapshot
        return snapshot
    }

    func ticketNumber(forMessageID messageID: String) -> Int? {
        let bare = messageID.trimmingCharacters(in: CharacterSet(charactersIn: "<> "))
        return read({ try tickets.ticketNumber(forMessageID: bare) }).flatMap { $0 }.map(Int.init)
    }

    func isAgent(_ address: String) -> Bool { agents.contains(address.lowercased()) }

    func agentLoads(of agents: [String]) -> [String: AgentLoad] { read({ try tickets.agentLoads(of: agents) }) ?? [:] }

    func lastAgent(forRequester address: String) -> String? { read({ try tickets.lastAgent(forRequester: address) }).flatMap { $0 } }

    func rotation() -> [String: String] { read({ try tickets.rotation() }) ?? [:] }

    func language(ofTicket number: Int) -> String? { read({ try tickets.language(ticketNumber: Int64(number)) }).flatMap { $0 } }

    func slaHistory(ticket number: Int) -> SLAHistory? {
        guard let t = record(number: number), let facts = read({ try tickets.slaHistory(ticketID: t.id) }) else { return nil }
        return SLAHistory(facts: facts, requested: read({ try tickets.slaPolicy(ticketID: t.id) })??.requested)
    }
}

extension StorePipelineView {
    func details(ticket number: Int) -> TicketDetails? {
        guard let t = record(number: number) else { return nil }
        let due = (read({ try tickets.slaRecords(ticketID: t.id) }) ?? [])
            .first { $0.target == .resolution && $0.phase == .running }?.dueAt
        return TicketDetails(customerName: read({ try Notifier.customerName(t, tickets: tickets) }).flatMap { $0 },
                             language: read({ try tickets.routing(ticketID: t.id).language }).flatMap { $0 },
                             resolutionDue: due.map { Date(timeIntervalSince1970: TimeInterval($0)) })
    }
}

/// The tickets one plan has read (see `StorePipelineView`).
final class SeenTickets: @unchecked Sendable {
    var records: [Int: TicketRecord] = [:]
    var snapshots: [Int: TicketSnapshot] = [:]
}

/// The first store failure met by reads that could not throw (see `StorePipelineView`).
final class StoreReadFailures: @unchecked Sendable {
    private(set) var first: StoreError?

    func note(_ error: Error) {
        guard first == nil, let store = error as? StoreError, store.isStoreFailure else { return }
        first = store
    }
}
