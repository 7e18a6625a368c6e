import Foundation

/// What a canned answer (`#macro`) may say about a ticket beyond its snapshot: the requester's
/// name, the ticket's language and its resolution deadline. The daemon reads them from the store.
public struct TicketDetails: Sendable, Equatable {
    /// The requester's display name from her first message; nil when she gave none.
    public var customerName: String?
    /// The ticket's language (routing stored it), else nil: the queue's then English.
    public var language: String?
    /// When the ticket is due to be resolved, while that clock runs.
    public var resolutionDue: Date?

    public init(customerName: String? = nil, language: String? = nil, resolutionDue: Date? = nil) {
        self.customerName = customerName
        self.language = language
        self.resolutionDue = resolutionDue
    }
}
