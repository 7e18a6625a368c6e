import Daemon
import Store
import Ticketing

/// `postdesk search "QUERY"`: tickets whose subjects, messages or notes hold the words.
enum SearchCommand {
    static let command = Command(
        name: "search", synopsis: "QUERY [--status S] [--queue Q] [--requester A] [--since DATE] [--limit N] [--newest] [--json]",
        summary: "Full-text search of subjects, customers' and agents' mail and notes.",
        help: """
              QUERY          words (all must occur; accents and case do not matter), "a phrase",
                             OR, NOT, prefix*, subject:word, body:word
              --status S     only tickets in status S
              --queue Q      only tickets in queue Q
              --requester A  only tickets opened by address A
              --since DATE   only text written on or after DATE (2026-11-23 or 2026-11-23T14:05, UTC)
              --limit N      at most N tickets (default 20)
              --newest       the ticket with the latest match first (default: best match first)
              --json         print [{"ticket", "subject", "status", "message", "note", "snippet", "at"}]

            Best-first ranks the newest 5000 matching messages; narrow a very common word with more words
            or filters. A query FTS5 cannot read exits 65.
            """,
        values: ["status", "queue", "requester", "since", "limit"], flags: ["json", "newest"], operands: 1...1, run: run)

    static func run(_ inv: Invocation) throws -> ExitCode {
        let typed = inv.operand(0)!
        guard !typed.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw CLIError(.usage, "search: the query is empty", showUsage: true)
        }
        if let s = inv.arguments.value("status"), TicketStatus(rawValue: s) == nil {
            throw CLIError(.usage, "--status must be one of \(TicketStatus.allCases.map(\.rawValue).joined(separator: ", "))", showUsage: true)
        }
        let request = SearchRequest(query: SearchQuery.fts(typed), status: inv.arguments.value("status"), queue: inv.arguments.value("queue"),
                                    requester: inv.arguments.value("requester"), since: try DateArgument.option(inv, "since"),
                                    limit: try inv.intOption("limit", default: 20, range: 1...1000),
                                    order: inv.arguments.has("newest") ? .newest : .best)
        let db = try inv.openStore()
        let index = SearchIndex(db: db)
        let hits: [SearchHit]
        let snippets: [Int64: String]
        do {
            hits = try index.search(request)
            snippets = try index.snippets(query: request.query, documents: try hits.map { try text(of: $0, db: db) })
        } catch let error as SearchError {
            throw CLIError(.dataError, "postdesk: search: \(error); quote words with signs in them, e.g. \"C++\"")
        }
        let left = try index.backfillRemaining()
        if left > 0 { inv.io.error("postdesk: warning: \(left) older messages are not indexed yet; run 'postdesk migrate'") }

        if inv.arguments.has("json") {
            inv.io.print(JSON.array(hits.map { hit in
                .object([("ticket", .int(hit.ticketNumber)), ("subject", .string(hit.subject)), ("status", .string(hit.status)),
                         ("message", .int(hit.messageRow)), ("note", .int(hit.noteEvent)),
                         ("snippet", .string(snippets[hit.document] ?? "")), ("at", .string(TimeText.iso(hit.at)))])
            }).serialized())
            return .ok
        }
        if hits.isEmpty {
            inv.io.print("no tickets match")
            return .ok
        }
        for hit in hits {
            let head = "#\(hit.ticketNumber)  \(hit.status)  \(TimeText.short(hit.at))  "
            inv.io.print(head + cell(hit.subject, max: max(20, 80 - head.count)))
            let source = hit.messageRow.map { "message \($0)" } ?? hit.noteEvent.map { "note \($0)" } ?? ""
            inv.io.print("    \(source): \(cell(snippets[hit.document], max: 300))")
        }
        return .ok
    }

    /// The text a hit's document was indexed from, for its snippet.
    static func text(of hit: SearchHit, db: Database) throws -> (id: Int64, subject: String, body: String) {
        if let row = hit.messageRow, let m = try db.row("SELECT subject, \(TicketStore.rawBytesSQL) AS raw FROM messages WHERE id = ?", [row]) {
            return (hit.document, m.text("subject"), SearchText.body(raw: m.blob("raw")) ?? "")
        }
        if let event = hit.noteEvent, let e = try db.row("SELECT reason FROM ticket_events WHERE id = ?", [event]) {
            return (hit.document, "", e.text("reason"))
        }
        return (hit.document, hit.subject, "")
    }
}
