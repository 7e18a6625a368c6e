import Store

/// `postdesk raw`: the original bytes of a stored message, unchanged, on stdout.
enum RawCommand {
    static let command = Command(
        name: "raw", synopsis: "<message-id | row>",
        summary: "Write a stored message's original bytes to stdout, unchanged.",
        help: """
              <row>          the message's row number, as in 'postdesk show'
              <message-id>   its Message-ID, with or without angle brackets
            """,
        operands: 1...1, run: run)

    static func run(_ inv: Invocation) throws -> ExitCode {
        let key = inv.operand(0)!
        let store = TicketStore(db: try inv.openStore())
        let row: Int64
        if let n = Int64(key), n > 0 {
            row = n
        } else {
            let found = try store.messages(messageID: key)
            guard let first = found.first else { throw CLIError(.noInput, "postdesk: no stored message with Message-ID \(key)") }
            if Set(found.map(\.sha256)).count > 1 {
                throw CLIError(.dataError, "postdesk: Message-ID \(key) names \(found.count) different messages (rows \(found.map { String($0.id) }.joined(separator: ", "))); give a row number")
            }
            row = first.id
        }
        guard let bytes = try store.raw(row: row) else { throw CLIError(.noInput, "postdesk: no stored message \(row)") }
        inv.io.write(bytes)
        return .ok
    }
}
