import Foundation

extension SLASettings {
    /// Everything that decides the stored clocks and silence deadlines, in one canonical text
    /// (sorted: dictionaries have no stable order) hashed, so a start can tell whether the
    /// settings changed while the daemon was down and re-time the open tickets as a reload does.
    public var fingerprint: String {
        var lines: [String] = []
        for (name, p) in policies.sorted(by: { $0.key < $1.key }) {
            let c = p.calendar
            let targets = p.targets.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.key.rawValue)=\($0.value)" }
            lines.append("policy \(name) calendar=\(c.name) zone=\(c.timeZone.identifier) hours=\(c.hours.description) "
                         + "holidays=\(c.holidays.map(\.description).sorted().joined(separator: ",")) "
                         + "targets=\(targets.joined(separator: ",")) warn=\(p.warnAt) escalate=\(p.escalateTo ?? "-")")
        }
        lines += defaults.sorted { $0.key < $1.key }.map { "default \($0.key)=\($0.value)" }
        lines.append("pause \(pauseStatuses.map(\.rawValue).sorted().joined(separator: ","))")
        lines += autoResolveAfter.sorted { $0.key < $1.key }.map { "resolve \($0.key)=\($0.value)" }
        lines.append("close \(autoCloseAfter)")
        return SHA256.hex(Array(lines.joined(separator: "\n").utf8))
    }
}
