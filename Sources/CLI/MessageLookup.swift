import Store

/// Finds the stored message a user names: a row number as `postdesk show` prints it, or a
/// Message-ID (angle brackets optional) that must name one message only.
enum MessageLookup {
    static func row(_ key: String, in store: TicketStore) throws -> Int64 {
        if let n = Int64(key), n > 0 {
            guard try store.message(row: n) != nil else { throw CLIError(.noInput, "postdesk: no stored message \(n)") }
            return n
        }
        let found = try store.messages(messageID: key)
        guard let first = found.first else { throw CLIError(.noInput, "postdesk: no stored message with Message-ID \(key)") }
        if Set(found.map(\.sha256)).count > 1 {
            throw CLIError(.dataError, "postdesk: Message-ID \(key) names \(found.count) different messages (rows \(found.map { String($0.id) }.joined(separator: ", "))); give a row number")
        }
        return first.id
    }
}
