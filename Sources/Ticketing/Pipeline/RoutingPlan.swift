/// What routing (rules and assignment) decided for one message, beside the ticket's state in
/// `TicketPlan`: the extra ticket fields, every rule's verdict, and the assignment's reasoning.
public struct RoutingPlan: Sendable, Equatable {
    /// Tags to add to the ticket.
    public var tags: [String] = []
    public var category: String?
    /// The customer's language and where it came from (`customers`, `Content-Language`, …).
    public var language: String?
    public var languageSource = "none"
    /// The SLA policy a rule named.
    public var slaPolicy: String?
    /// A rule's `acknowledge` (nil: the config's).
    public var acknowledge: Bool?
    /// A rule marked the message spam: stored, closed, tagged, and no mail at all.
    public var spam = false
    /// Every rule's verdict (spelled out as `rules` only when read).
    public var verdicts = RuleVerdicts()
    /// Every rule with matched or not and the condition that decided, in evaluation order.
    public var rules: [RuleResult] { verdicts.results }
    /// The rules that matched, each recorded as an event on the ticket with its name.
    public var hits: [Hit] = []
    /// Actions that could not be applied (e.g. a status the lifecycle does not allow), logged and skipped.
    public var skipped: [String] = []
    /// Whom a rule asked to assign the ticket to (the assignment step decides who, if anyone, now).
    public var assign: AssignTarget?
    /// The assignment's reasoning, when a rule asked for one.
    public var assignment: String?
    /// Nobody could take the ticket now: the daemon tries again each poll until someone can.
    public var waiting: AssignTarget?
    /// Round robin's new position: the group and its last assigned agent.
    public var rotation: Rotation?

    public struct Hit: Sendable, Equatable {
        public var rule: String
        public var because: String
        public var actions: String
        public init(rule: String, because: String, actions: String) {
            self.rule = rule
            self.because = because
            self.actions = actions
        }
    }

    public struct Rotation: Sendable, Equatable {
        public var group: String
        public var agent: String
        public init(group: String, agent: String) {
            self.group = group
            self.agent = agent
        }
    }

    public init() {}
}
