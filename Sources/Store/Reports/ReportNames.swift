import Ticketing

/// The `report_names` table read once: each status, queue, agent, requester domain and
/// category by its key in `ticket_metrics`, and its position in `ReportInput`'s name lists, so
/// the scan of a million rows turns keys into positions with an array read.
struct ReportNames {
    enum Kind: String, CaseIterable { case status, queue, agent, domain, category }

    private var lists: [Kind: [String]] = [:]
    private var ids: [Kind: [String: Int64]] = [:]
    /// Key → position within its kind's list (-1: no such key).
    private var position: [Int] = []
    private var statuses: [TicketStatus] = []

    init(db: Database) throws {
        let rows = try db.query("SELECT id, kind, name FROM report_names ORDER BY id")
        position = [Int](repeating: -1, count: Int(rows.last?.int("id") ?? 0) + 1)
        for row in rows {
            guard let kind = Kind(rawValue: row.text("kind")) else { continue }
            let id = row.int("id"), name = row.text("name")
            position[Int(id)] = lists[kind, default: []].count
            lists[kind, default: []].append(name)
            ids[kind, default: [:]][name] = id
        }
        statuses = names(.status).map { TicketStatus(rawValue: $0) ?? .open }
    }

    func names(_ kind: Kind) -> [String] { lists[kind] ?? [] }

    /// The key of `name`, nil when no ticket ever had it.
    func id(_ kind: Kind, _ name: String) -> Int64? { ids[kind]?[name] }

    /// The position of key `id` in its kind's `names`; nil for a key no name has: 0, as a NULL key
    /// reads (no agent, no category), or -1.
    func index(_ id: Int64) -> Int? {
        guard id >= 0, id < position.count, position[Int(id)] >= 0 else { return nil }
        return position[Int(id)]
    }

    func status(_ id: Int64) -> TicketStatus {
        index(id).map { statuses[$0] } ?? .open
    }
}
