/// One line of `postdesk doctor`: what was checked, how it went, and what to do about it.
public struct DoctorFinding: Sendable, Equatable {
    public enum Status: String, Sendable {
        case ok, warn, fail
    }

    public var status: Status
    /// Short and stable, e.g. `store: schema`, `mailbox support: login`, `file: config`.
    public var check: String
    public var detail: String
    /// What to change; set for `warn` and `fail`.
    public var hint: String?

    public init(_ status: Status, _ check: String, _ detail: String, hint: String? = nil) {
        self.status = status
        self.check = check
        self.detail = detail
        self.hint = hint
    }

    /// `fail  mailbox support: login  the server refused …  (fix: check mailboxes[0].password_file)`:
    /// one line, so the output greps and diffs well.
    public var line: String {
        let text = "\(status.rawValue.padding(toLength: 4, withPad: " ", startingAt: 0))  \(check)  \(Self.oneLine(detail))"
        guard let hint, status != .ok else { return text }
        return text + "  (fix: \(Self.oneLine(hint)))"
    }

    static func oneLine(_ text: String) -> String {
        String(text.map { $0.isNewline ? " " : $0 })
    }
}
