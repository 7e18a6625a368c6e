import Foundation
import Ticketing

/// The `calendars` section: named working calendars for SLA targets and queue hours.
/// `{"office": {"time_zone": "Europe/Kyiv", "hours": {"mon-fri": "09:00-13:00,14:00-18:00"},
///   "holidays": ["2026-12-25", "yearly:01-01"]}}`. `hours` may also be one string
/// (`"mon-fri 09:00-17:30; sat 10:00-14:00"`). `24x7` is built in and cannot be redefined.
enum CalendarConfig {
    static func parse(_ root: ConfigReader) throws -> [String: WorkingCalendar] {
        guard let section = root.child("calendars") else { return [:] }
        guard case .object(let pairs) = section.value else { throw section.fail("must be an object of named calendars") }
        var calendars: [String: WorkingCalendar] = [:]
        for (name, value) in pairs {
            let r = ConfigReader(file: section.file, path: "\(section.path).\(name)", value: value)
            if name == WorkingCalendar.alwaysName {
                throw r.fail("\"\(name)\" is the built-in wall-clock calendar; choose another name")
            }
            guard !name.isEmpty else { throw r.fail("a calendar needs a name") }
            guard calendars[name] == nil else { throw r.fail("duplicate calendar name") }
            calendars[name] = try calendar(named: name, r)
        }
        return calendars
    }

    /// `time_zone`: "UTC" and IANA names ("Europe/Kyiv"); Foundation also takes abbreviations
    /// like "EST", whose meaning drifts, so only names with a slash or UTC/GMT are accepted.
    static func timeZone(_ r: ConfigReader, required: Bool = false) throws -> TimeZone? {
        guard let zoneName = required ? try r.requiredString("time_zone") : try r.string("time_zone") else { return nil }
        guard zoneName.contains("/") || zoneName == "UTC" || zoneName == "GMT", let zone = TimeZone(identifier: zoneName) else {
            throw r.fail("unknown time zone \"\(zoneName)\" (use an IANA name like Europe/Kyiv, or UTC)", at: "time_zone")
        }
        return zone
    }

    static func calendar(named name: String, _ r: ConfigReader) throws -> WorkingCalendar {
        _ = try r.object(allowed: ["time_zone", "hours", "holidays"])
        let zone = try timeZone(r, required: true)!
        guard let hoursReader = r.child("hours") else { throw r.fail("is required", at: "hours") }
        let hours: WeeklyHours
        do {
            switch hoursReader.value {
            case .string(let text): hours = try WeeklyHours.parse(text)
            case .object(let pairs):
                var entries: [(days: String, ranges: String)] = []
                for (days, value) in pairs {
                    guard case .string(let ranges) = value else { throw hoursReader.fail("must be a string like \"09:00-17:30\"", at: days) }
                    entries.append((days, ranges))
                }
                hours = try WeeklyHours.parse(entries: entries)
            default: throw hoursReader.fail("must be an object like {\"mon-fri\": \"09:00-17:30\"} or a string")
            }
        } catch let e as CalendarParseError {
            throw hoursReader.fail(e.reason)
        }
        if hours.isEmpty { throw hoursReader.fail("has no working hours on any day") }
        var holidays: [Holiday] = []
        if let list = r.child("holidays") {
            for item in try list.items() {
                guard case .string(let text) = item.value else { throw item.fail("must be a string like 2026-12-25 or yearly:01-01") }
                do { holidays.append(try Holiday.parse(text)) } catch { throw item.fail(error.reason) }
            }
        }
        return WorkingCalendar(name: name, timeZone: zone, hours: hours, holidays: holidays)
    }
}

extension Config {
    /// The calendar `name` names: a configured one, or the built-in wall clock for `24x7`.
    public func calendar(named name: String) -> WorkingCalendar? {
        name == WorkingCalendar.alwaysName ? .always : calendars[name]
    }
}
