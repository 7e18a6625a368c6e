import Daemon
import Ticketing

/// What `rules test` prints, as text or JSON, from the planned outcome of one message.
struct RulesTestReport {
    let input: PipelineInput
    let plan: TicketPlan
    let acknowledgeDefault: Bool

    var threadDecision: (decision: String, ticket: Int?) {
        switch plan.disposition {
        case .newTicket: return ("new", nil)
        case .join(let n): return ("join", n)
        case .hold: return ("hold", nil)
        case .dropOwnMail: return ("drop", nil)
        case .undecided: return ("undecided", nil)
        }
    }

    var acknowledges: Bool { plan.mails.contains { $0.kind == "ack" } }

    var json: JSON {
        let bounce: JSON = plan.bounce.map { b in
            .object([("recipients", .array(b.recipients.map {
                .object([("address", .string($0.address)), ("status", .str($0.status)), ("permanent", .bool($0.permanent))])
            })), ("original_message_id", .str(b.originalMessageID))])
        } ?? .null
        let thread = threadDecision
        let routing = plan.routing
        return .object([
            ("classification", .object([("class", .string(input.messageClass.rawValue)),
                                        ("reasons", .array(input.classification.reasons.map { .string($0) }))])),
            ("bounce", bounce),
            ("thread", .object([("decision", .string(thread.decision)), ("ticket", .int(thread.ticket.map(Int64.init))),
                                ("explanation", .string(plan.explanation))])),
            ("rules", .array(routing.rules.map {
                .object([("name", .string($0.name)), ("matched", .bool($0.matched)), ("because", .string($0.because))])
            })),
            ("result", .object([
                ("queue", .string(plan.queue)), ("priority", .string(plan.state.priority.rawValue)),
                ("status", .string(plan.state.status.rawValue)), ("category", .str(routing.category)),
                ("tags", .array(routing.tags.map { .string($0) })), ("assignee", .str(plan.state.assignee)),
                ("assignment", .str(routing.assignment)), ("waiting_for", .str(routing.waiting?.description)),
                ("sla", slaJSON), ("language", .str(routing.language)), ("acknowledge", .bool(acknowledges)),
                ("spam", .bool(routing.spam)),
            ])),
            ("notifications", .array(plan.mails.map { .object([("kind", .string($0.kind)), ("to", .array($0.to.map { .string($0) }))]) })),
        ])
    }

    /// The policy and its deadlines for a message arriving at the input's time (ISO times; null
    /// for a target the policy does not promise).
    var slaJSON: JSON {
        guard let policy = plan.sla?.policy ?? plan.routing.slaPolicy else { return .null }
        let due = { (t: SLATarget) -> JSON in plan.sla?.state(t)?.due.map { .string(UTCTimestamp.iso($0, milliseconds: false)) } ?? .null }
        return .object([("policy", .string(policy)), ("first_response_due", due(.firstResponse)),
                        ("next_response_due", due(.nextResponse)), ("resolution_due", due(.resolution))])
    }

    /// `p1 (first response due 2026-12-14 10:00 UTC, resolution due …)`.
    var slaText: String {
        guard let policy = plan.sla?.policy ?? plan.routing.slaPolicy else { return "-" }
        let dues = (plan.sla?.states ?? []).compactMap { s in
            s.due.map { "\(s.target.words) due \(TimeText.short(Int64($0.timeIntervalSince1970))) UTC" }
                ?? (s.phase == .paused ? "\(s.target.words) paused" : nil)
        }
        return dues.isEmpty ? policy : "\(policy) (\(dues.joined(separator: ", ")))"
    }

    var text: [String] {
        var out: [String] = []
        out.append("classification: \(input.classification.explanation)")
        if let b = plan.bounce {
            out.append("bounce: original \(b.originalMessageID ?? "-")")
            for r in b.recipients {
                out.append("  \(r.address) \(r.status ?? "-") \(r.permanent ? "permanent" : "temporary")")
            }
        }
        let thread = threadDecision
        out.append("thread: \(thread.decision)\(thread.ticket.map { " #\($0)" } ?? "") (\(plan.explanation))")
        if plan.routing.rules.isEmpty {
            out.append("rules: none ran")
        } else {
            out.append("rules:")
            for r in plan.routing.rules { out.append("  [\(r.matched ? "x" : " ")] \(r.name): \(r.because)") }
        }
        for skipped in plan.routing.skipped { out.append("  skipped: \(skipped)") }
        let routing = plan.routing
        out.append("result:")
        out.append("  queue:       \(plan.queue)")
        out.append("  priority:    \(plan.state.priority.rawValue)")
        out.append("  status:      \(plan.state.status.rawValue)")
        out.append("  category:    \(routing.category ?? "-")")
        out.append("  tags:        \(routing.tags.isEmpty ? "-" : routing.tags.joined(separator: ", "))")
        out.append("  assignee:    \(plan.state.assignee ?? (routing.waiting.map { "none yet, waits for \($0)" } ?? "-"))")
        if let why = routing.assignment { out.append("               \(why)") }
        out.append("  sla:         \(slaText)")
        out.append("  language:    \(routing.language.map { "\($0) (\(routing.languageSource))" } ?? "-")")
        out.append("  acknowledge: \(acknowledges ? "yes" : "no")\(routing.spam ? " (spam: no mail at all)" : "")")
        if plan.mails.isEmpty {
            out.append("notifications: none")
        } else {
            out.append("notifications:")
            for m in plan.mails { out.append("  \(m.kind) → \(m.to.isEmpty ? "(nobody)" : m.to.joined(separator: ", "))") }
        }
        return out
    }
}
