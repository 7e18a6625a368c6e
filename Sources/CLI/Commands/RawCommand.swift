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
        let row = try MessageLookup.row(key, in: store)
        guard let bytes = try store.raw(row: row) else { throw CLIError(.noInput, "postdesk: no stored message \(row)") }
        inv.io.write(bytes)
        return .ok
    }
}
