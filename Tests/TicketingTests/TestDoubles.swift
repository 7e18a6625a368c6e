import Foundation
@testable import Ticketing

/// Tickets and stored Message-IDs in dictionaries: the store as threading sees it.
struct InMemoryThreadLookup: ThreadLookup {
    var tickets: [Int: TicketSnapshot] = [:]
    var storedMessageIDs: [String: Int] = [:]
    var agents: Set<String> = []

    func ticket(number: Int) -> TicketSnapshot? { tickets[number] }
    func ticketNumber(forMessageID messageID: String) -> Int? { storedMessageIDs[messageID] }
    func isAgent(_ address: String) -> Bool { agents.contains(address) }
}

enum TestKeys {
    static let key = SigningKey(bytes: Array("postdesk-test-key-0123456789abcdef".utf8))!
    static let otherKey = SigningKey(bytes: Array("another-instance-key-0123456789ab".utf8))!
}

/// The pipeline reads the store only through threading's view so far.
extension InMemoryThreadLookup: PipelineView {}
