import Foundation
@testable import Ticketing

/// Deterministic randomness for keys and nonces in tests (SplitMix64).
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E3779B97F4A7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
        z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
        return z ^ (z >> 31)
    }
}

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
