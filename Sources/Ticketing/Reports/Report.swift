/// The manager's figures for a time range, computed by `ReportBuilder` from `ReportInput`.
/// Durations are seconds of wall time; `business` ones follow the queue's working calendar.
public struct Report: Sendable, Equatable {
    public struct Totals: Sendable, Equatable {
        /// Tickets created in the range.
        public var created = 0
        /// Tickets whose (last) resolution falls in the range.
        public var resolved = 0
        /// Tickets closed in the range.
        public var closed = 0
        /// Of the tickets first resolved in the range, those reopened since.
        public var reopened = 0
        /// Tickets first resolved in the range (the base of the reopen rate).
        public var firstResolved = 0
        /// Open (new, open, pending) at the end of the range.
        public var backlog = 0
        /// Share of first resolutions in the range that were reopened (0…1); nil without any.
        public var reopenRate: Double? { firstResolved == 0 ? nil : Double(reopened) / Double(firstResolved) }
    }

    /// A duration measured on the tickets created in the range, in wall and business time.
    public struct Timing: Sendable, Equatable {
        public var wall: Distribution
        /// nil when no queue has a working calendar.
        public var business: Distribution?
        /// Tickets created in the range still without it (no reply yet, not resolved yet).
        public var missing: Int
        /// Counts per bucket of `Report.durationBuckets`, for the distribution charts.
        public var histogram: [Int]
    }

    public struct SLA: Sendable, Equatable {
        public var met: Int
        public var breached: Int
        /// Per target (first_response, next_response, resolution).
        public var targets: [SLACount] = []
    }

    public struct Agent: Sendable, Equatable {
        public var agent: String
        /// Tickets assigned to them that were created in the range.
        public var handled: Int
        /// Their tickets resolved in the range.
        public var resolved: Int
        /// Their tickets open now.
        public var open: Int
        public var medianFirstResponse: Int64?
        /// Share of good ratings (0…1) given in the range on their tickets; nil without ratings.
        public var satisfaction: Double?
        public var ratings: Int
    }

    /// Tickets of one queue, category or requester domain created in the range.
    public struct Group: Sendable, Equatable {
        public var name: String
        public var tickets: Int
        public var medianResolution: Int64?
        /// Queues only: the share of good ratings given in the range on its tickets; nil without ratings.
        public var satisfaction: Double? = nil
        public var ratings = 0
    }

    /// Inbound messages received in the range by kind of sender.
    public struct MessageMix: Sendable, Equatable {
        public var total: Int64 = 0
        public var human: Int64 = 0
        public var autoReply: Int64 = 0
        public var bounce: Int64 = 0
        public var list: Int64 = 0
        /// Marked spam by a rule's `spam` action; nil when nothing classifies spam (no such rule).
        public var spam: Int64?
    }

    /// How long the tickets now in one status have been in it.
    public struct StatusAge: Sendable, Equatable {
        public var status: TicketStatus
        public var tickets: Int
        public var median: Int64?
        public var oldest: Int64?
        /// Counts per bucket of `Report.ageBuckets`.
        public var histogram: [Int]
    }

    public struct Period: Sendable, Equatable {
        public var start: Int64
        public var created: Int
        public var resolved: Int
        public var closed: Int
        /// Open at the end of the period.
        public var backlog: Int
        public var ratingsGood: Int
        public var ratingsBad: Int
    }

    public var from: Int64
    public var to: Int64
    public var granularity: ReportGranularity
    public var totals = Totals()
    public var firstResponse: Timing
    public var resolution: Timing
    /// nil until the SLA clocks record met/breached.
    public var sla: SLA?
    public var satisfaction: Double?
    public var ratings: Int
    public var agents: [Agent] = []
    public var queues: [Group] = []
    public var categories: [Group] = []
    public var domains: [Group] = []
    public var messages = MessageMix()
    public var statusAges: [StatusAge] = []
    public var periods: [Period] = []

    /// Upper bounds (exclusive) of the duration histogram buckets, in seconds; the last is open.
    public static let durationBuckets: [(label: String, upTo: Int64?)] = [
        ("<1h", 3_600), ("1-4h", 14_400), ("4-8h", 28_800), ("8-24h", 86_400), ("1-3d", 259_200), ("3-7d", 604_800), (">7d", nil),
    ]
    /// Upper bounds (exclusive) of the status-age buckets, in seconds; the last is open.
    public static let ageBuckets: [(label: String, upTo: Int64?)] = [
        ("<1h", 3_600), ("1-8h", 28_800), ("8-24h", 86_400), ("1-3d", 259_200), ("3-7d", 604_800), ("7-30d", 2_592_000), (">30d", nil),
    ]

    static func bucket(_ seconds: Int64, in buckets: [(label: String, upTo: Int64?)]) -> Int {
        buckets.firstIndex { $0.upTo.map { seconds < $0 } ?? true } ?? buckets.count - 1
    }
}
