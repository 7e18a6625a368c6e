import Foundation
import Ticketing

/// The SLA sections: `sla_policies`, `sla_defaults`, `pause_statuses`, `auto_resolve_after`,
/// `auto_close_after`. Policies name calendars from `calendars` (or the built-in `24x7`).
enum SLAConfig {

    static func parse(_ root: ConfigReader, calendars: [String: WorkingCalendar], queues: [QueueConfig],
                      reopenWindowDays: Int) throws -> SLASettings {
        var settings = SLASettings(autoCloseAfter: reopenWindowDays * 86_400)
        if let section = root.child("sla_policies") {
            guard case .object(let pairs) = section.value else { throw section.fail("must be an object of named policies") }
            for (name, value) in pairs {
                let r = ConfigReader(file: section.file, path: "\(section.path).\(name)", value: value)
                guard !name.isEmpty else { throw r.fail("a policy needs a name") }
                settings.policies[name] = try policy(named: name, r, calendars: calendars)
            }
        }
        if let section = root.child("sla_defaults") {
            guard case .object(let pairs) = section.value else { throw section.fail("must be an object like {\"urgent\": \"p1\", \"*\": \"standard\"}") }
            let priorities = TicketPriority.allCases.map(\.rawValue) + ["*"]
            for (key, value) in pairs {
                let parts = key.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
                let priority = parts.last!
                guard parts.count <= 2, priorities.contains(priority) else {
                    throw section.fail("must be a priority (\(priorities.joined(separator: ", "))) or queue/priority", at: key)
                }
                if parts.count == 2, !queues.isEmpty, !queues.contains(where: { $0.name == parts[0] }) {
                    throw section.fail("names no queue defined under queues", at: key)
                }
                guard case .string(let name) = value else { throw section.fail("must be a policy name", at: key) }
                guard settings.policies[name] != nil else { throw section.fail("names no policy defined under sla_policies", at: key) }
                settings.defaults[key] = name
            }
        }
        if let list = root.child("pause_statuses") {
            settings.pauseStatuses = []
            for item in try list.items() {
                guard case .string(let text) = item.value, let status = TicketStatus(rawValue: text), status != .resolved, status != .closed else {
                    throw item.fail("must be new, open or pending (resolved and closed stop the clocks anyway)")
                }
                settings.pauseStatuses.insert(status)
            }
        }
        if let r = root.child("auto_resolve_after") {
            if case .object(let pairs) = r.value {
                settings.autoResolveAfter = ["*": SLASettings.defaultAutoResolve]
                for (queue, value) in pairs {
                    if queue != "*", !queues.isEmpty, !queues.contains(where: { $0.name == queue }) {
                        throw r.fail("names no queue defined under queues", at: queue)
                    }
                    settings.autoResolveAfter[queue] = try span(ConfigReader(file: r.file, path: "\(r.path).\(queue)", value: value))
                }
            } else {
                settings.autoResolveAfter = ["*": try span(r)]
            }
        }
        if let r = root.child("auto_close_after") { settings.autoCloseAfter = try span(r) }
        return settings
    }

    static func policy(named name: String, _ r: ConfigReader, calendars: [String: WorkingCalendar]) throws -> SLAPolicy {
        _ = try r.object(allowed: Set(SLATarget.allCases.map(\.rawValue) + ["calendar", "warn_at", "escalate_to"]))
        let calendarName = try r.string("calendar") ?? WorkingCalendar.alwaysName
        guard let calendar = calendarName == WorkingCalendar.alwaysName ? .always : calendars[calendarName] else {
            throw r.fail("names no calendar defined under calendars (or 24x7)", at: "calendar")
        }
        var targets: [SLATarget: Int] = [:]
        for target in SLATarget.allCases {
            guard let text = try r.string(target.rawValue) else { continue }
            let duration: SLADuration
            do { duration = try SLADuration.parse(text) } catch { throw r.fail(error.reason, at: target.rawValue) }
            if duration.hasDays && !calendar.isAlways {
                throw r.fail("days are 24 hours and count only with the 24x7 calendar; give working hours (e.g. 16h) for \(calendarName)",
                             at: target.rawValue)
            }
            targets[target] = duration.seconds
        }
        guard !targets.isEmpty else { throw r.fail("promises nothing: give first_response, next_response or resolution") }
        var warnAt = 0.8
        if let v = r.value["warn_at"], v != .null {
            guard case .number(let d) = v, d > 0, d < 1 else { throw r.fail("must be a share between 0 and 1, like 0.8", at: "warn_at") }
            warnAt = d
        }
        let escalateTo = try r.string("escalate_to")
        if let escalateTo, !escalateTo.contains("@") { throw r.fail("must be an e-mail address", at: "escalate_to") }
        return SLAPolicy(name: name, calendar: calendar, targets: targets, warnAt: warnAt, escalateTo: escalateTo?.lowercased())
    }

    /// A wall-clock span: `"7d"`, `"36h"`, a number of days, or 0 for never.
    static func span(_ r: ConfigReader) throws -> Int {
        switch r.value {
        case .number(let d) where d >= 0 && d.rounded() == d && d <= 3650: return Int(d) * 86_400
        case .string("0"): return 0
        case .string(let text):
            do { return try SLADuration.parse(text).seconds } catch { throw r.fail(error.reason) }
        default: throw r.fail("must be a duration like \"7d\" or a number of days (0 = never)")
        }
    }
}
