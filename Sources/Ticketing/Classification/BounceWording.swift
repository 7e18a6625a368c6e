/// What a bounce without any status code means by its words. Servers that give no code still say
/// "user unknown" or "mailbox full"; the RFC 3463 class those words stand for is recorded as the status.
enum BounceWording {
    struct Verdict: Equatable {
        var permanent: Bool
        /// The RFC 3463 code the wording stands for, when it names one.
        var status: String?
        /// The line the wording was found on, trimmed.
        var line: String?
    }

    /// Temporary first: "mailbox full" beside "permanent" in a template is still a full mailbox.
    static let rules: [(phrases: [String], permanent: Bool, status: String?)] = [
        (["mailbox full", "mailbox is full", "over quota", "quota exceeded", "exceeded storage", "mailbox has exceeded",
          "insufficient storage", "storage full", "mail box full", "mailbox size limit"], false, "4.2.2"),
        (["delayed", "will retry", "will be retried", "still trying", "has not yet been delivered", "deferred",
          "temporarily", "temporary failure", "try again later", "retry timeout", "not yet been delivered"], false, nil),
        (["host unknown", "unknown host", "domain unknown", "unknown domain", "host or domain name not found",
          "domain not found", "no such domain", "domain does not exist", "host not found", "unrouteable address",
          "unroutable address", "name or service not known", "no mx record", "host is unknown", "domain is unknown"], true, "5.1.2"),
        (["user unknown", "unknown user", "user is unknown", "recipient is unknown", "address is unknown", "mailbox is unknown", "no such user", "user not found", "recipient not found", "address not found",
          "does not exist", "doesn't exist", "not recognized", "not recognised", "unknown recipient", "recipient unknown",
          "invalid recipient", "invalid user", "invalid address", "no mailbox", "mailbox not found", "unknown mailbox",
          "no such mailbox", "mailbox unavailable", "unknown address", "no such recipient", "not a valid",
          "not our customer", "unknown local part", "no valid recipient"], true, "5.1.1"),
        (["account has been disabled", "account is disabled", "account disabled", "mailbox disabled",
          "mailbox is disabled", "account is inactive"], true, "5.2.1"),
        (["permanent", "rejected", "refused", "not accepted", "blocked", "denied"], true, nil),
    ]

    static func verdict(_ text: String) -> Verdict? {
        let lines = text.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" }).filter { !EnhancedStatus.isHeaderLine($0) }
        let lowered = lines.map { $0.lowercased() }
        for rule in rules {
            if let index = lowered.firstIndex(where: { line in rule.phrases.contains(where: line.contains) }) {
                return Verdict(permanent: rule.permanent, status: rule.status, line: lines[index].trimmingWhitespace())
            }
        }
        return nil
    }
}
