import Ticketing

/// A ticket as stored.
public struct TicketRecord: Sendable, Equatable {
    public var id: Int64
    public var number: Int64
    public var subject: String
    public var status: TicketStatus
    public var priority: TicketPriority
    public var queue: String
    public var assignee: String?
    public var requester: String
    public var createdAt: Int64
    public var updatedAt: Int64
    /// The number of the ticket this one was merged into (a stub forwarding mail there).
    public var mergedInto: Int64?

    init(row: Row) {
        id = row.int("id")
        number = row.int("number")
        subject = row.text("subject")
        status = TicketStatus(rawValue: row.text("status")) ?? .open
        priority = TicketPriority(rawValue: row.text("priority")) ?? .normal
        queue = row.text("queue")
        assignee = row.optionalText("assignee")
        requester = row.text("requester")
        createdAt = row.int("created_at")
        updatedAt = row.int("updated_at")
        mergedInto = row.optionalInt("merged_into")
    }
}

/// One entry of a ticket's timeline.
public struct TicketEventRecord: Sendable, Equatable {
    public var id: Int64
    public var ticketID: Int64
    public var messageRow: Int64?
    public var type: String
    public var field: String?
    public var oldValue: String?
    public var newValue: String?
    public var actor: String
    public var reason: String?
    public var createdAt: Int64

    init(row: Row) {
        id = row.int("id")
        ticketID = row.int("ticket_id")
        messageRow = row.optionalInt("message_row")
        type = row.text("type")
        field = row.optionalText("field")
        oldValue = row.optionalText("old_value")
        newValue = row.optionalText("new_value")
        actor = row.text("actor")
        reason = row.optionalText("reason")
        createdAt = row.int("created_at")
    }
}

/// A stored message, without its raw bytes (fetch those with `MessageStore.raw`).
public struct MessageRecord: Sendable, Equatable {
    public var id: Int64
    public var ticketID: Int64?
    public var direction: String
    public var messageID: String?
    public var sha256: String
    public var size: Int64
    public var fromAddress: String?
    public var subject: String?
    public var createdAt: Int64
    public var decision: String?

    init(row: Row) {
        id = row.int("id")
        ticketID = row.optionalInt("ticket_id")
        direction = row.text("direction")
        messageID = row.optionalText("message_id")
        sha256 = row.text("sha256")
        size = row.int("size")
        fromAddress = row.optionalText("from_address")
        subject = row.optionalText("subject")
        createdAt = row.int("created_at")
        decision = row.optionalText("decision")
    }
}
