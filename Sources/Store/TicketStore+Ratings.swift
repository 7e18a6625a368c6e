/// Satisfaction ratings (`rating` events, written by the intake from a signed rating address).
extension TicketStore {
    public static let ratingEvent = "rating"

    /// A ticket's ratings, oldest first; the last one counts.
    public func ratings(ticketID: Int64) throws -> [RatingRecord] {
        try db.query("""
            SELECT new_value, reason, actor, created_at, message_row FROM ticket_events
            WHERE ticket_id = ? AND type = 'rating' ORDER BY id
            """, [ticketID]).map(RatingRecord.init)
    }

    public func lastRating(ticketID: Int64) throws -> RatingRecord? {
        try db.row("""
            SELECT new_value, reason, actor, created_at, message_row FROM ticket_events
            WHERE ticket_id = ? AND type = 'rating' ORDER BY id DESC LIMIT 1
            """, [ticketID]).map(RatingRecord.init)
    }
}
