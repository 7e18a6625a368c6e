/// What a report needs to know of one ticket, as plain numbers: times in unix seconds, and
/// agent, queue, requester domain and category as indexes into `ReportInput`'s name lists
/// (a million tickets are aggregated without a string per ticket).
public struct TicketFacts: Sendable, Equatable {
    public var created: Int64
    /// The first reply an agent sent the customer.
    public var firstResponse: Int64?
    /// When it first became resolved (or closed).
    public var firstResolved: Int64?
    /// When it last became resolved or closed; nil while it is open again.
    public var resolved: Int64?
    public var closed: Int64?
    /// How often it went from resolved or closed back to an open status.
    public var reopened: Int
    public var status: TicketStatus
    /// Since when it has had its current status.
    public var statusSince: Int64
    public var agent: Int?
    public var queue: Int
    public var domain: Int
    public var category: Int?
    /// Its SLA targets' outcomes (none without clocks).
    public var sla: SLAOutcomes

    public init(created: Int64, firstResponse: Int64? = nil, firstResolved: Int64? = nil, resolved: Int64? = nil, closed: Int64? = nil,
                reopened: Int = 0, status: TicketStatus, statusSince: Int64, agent: Int? = nil, queue: Int = 0, domain: Int = 0,
                category: Int? = nil, sla: SLAOutcomes = SLAOutcomes()) {
        self.created = created
        self.firstResponse = firstResponse
        self.firstResolved = firstResolved
        self.resolved = resolved
        self.closed = closed
        self.reopened = reopened
        self.status = status
        self.statusSince = statusSince
        self.agent = agent
        self.queue = queue
        self.domain = domain
        self.category = category
        self.sla = sla
    }

    /// Open (new, open or pending) at `time`, by the times known.
    func isBacklog(at time: Int64) -> Bool { created <= time && !(resolved.map { $0 <= time } ?? false) }
}

/// Inbound messages of one UTC day by kind of sender (for the share of auto-replies and bounces).
public struct DailyMessageCount: Sendable, Equatable {
    public var day: Int64
    public var messageClass: String
    public var count: Int64
    public init(day: Int64, messageClass: String, count: Int64) {
        self.day = day
        self.messageClass = messageClass
        self.count = count
    }
}

/// SLA outcomes of one target (first_response, next_response, resolution) over the tickets
/// created in the range, as the SLA clocks recorded them (`TicketFacts.sla`).
public struct SLACount: Sendable, Equatable {
    public var target: String
    public var met: Int
    public var breached: Int
    public init(target: String, met: Int, breached: Int) {
        self.target = target
        self.met = met
        self.breached = breached
    }
}

/// A satisfaction rating a customer gave (see issue 16's e-mail links).
public struct RatingFacts: Sendable, Equatable {
    public var at: Int64
    public var good: Bool
    public var agent: Int?
    public var queue: Int
    public init(at: Int64, good: Bool, agent: Int?, queue: Int) {
        self.at = at
        self.good = good
        self.agent = agent
        self.queue = queue
    }
}

/// Everything a report is made from, read from the store in one go.
public struct ReportInput: Sendable {
    public var tickets: [TicketFacts]
    public var agents: [String]
    public var queues: [String]
    public var domains: [String]
    public var categories: [String]
    public var messages: [DailyMessageCount]
    public var ratings: [RatingFacts]
    /// Whether spam is classified at all: postdesk has no spam filter, only rules whose `spam`
    /// action marks a message. Without such a rule (or any message so marked) the share is unknown.
    public var spamClassified = false

    public init(tickets: [TicketFacts], agents: [String] = [], queues: [String] = ["support"], domains: [String] = [""],
                categories: [String] = [], messages: [DailyMessageCount] = [], ratings: [RatingFacts] = []) {
        self.tickets = tickets
        self.agents = agents
        self.queues = queues
        self.domains = domains
        self.categories = categories
        self.messages = messages
        self.ratings = ratings
    }
}

/// Business time between two instants in a queue's working calendar; nil when the queue has none.
public protocol BusinessClock: Sendable {
    func businessSeconds(queue: String, from: Int64, to: Int64) -> Int64?
}
