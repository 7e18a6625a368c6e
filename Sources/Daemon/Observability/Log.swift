import Foundation
import Ticketing
#if canImport(Glibc)
import Glibc
#endif

/// One line per event on stderr: `level=info event=intake.accepted key=value ...`.
/// Values with spaces, quotes or `=` are quoted; newlines are escaped; a missing value is `-`.
/// Under journald (`JOURNAL_STREAM` set) no timestamp is written, since the journal adds one.
/// Never pass passwords, tokens, message bodies or SQL arguments as fields.
public final class Log: @unchecked Sendable {
    public var level: LogLevel
    private let timestamps: Bool
    private let sink: @Sendable (String) -> Void
    private let lock = NSLock()
    private let clock: @Sendable () -> Date

    public init(level: LogLevel = .info, timestamps: Bool, clock: @escaping @Sendable () -> Date,
                sink: @escaping @Sendable (String) -> Void) {
        self.level = level
        self.timestamps = timestamps
        self.clock = clock
        self.sink = sink
    }

    /// The process logger: stderr, timestamps unless running under journald.
    public static func standardError(level: LogLevel, environment: [String: String], clock: @escaping @Sendable () -> Date) -> Log {
        Log(level: level, timestamps: environment["JOURNAL_STREAM"] == nil, clock: clock) { line in
            let bytes = Array((line + "\n").utf8)
            bytes.withUnsafeBytes { _ = Glibc.write(2, $0.baseAddress, $0.count) }
        }
    }

    public func debug(_ event: String, _ fields: KeyValuePairs<String, Any?> = [:]) { emit(.debug, event, fields) }
    public func info(_ event: String, _ fields: KeyValuePairs<String, Any?> = [:]) { emit(.info, event, fields) }
    public func warning(_ event: String, _ fields: KeyValuePairs<String, Any?> = [:]) { emit(.warning, event, fields) }
    public func error(_ event: String, _ fields: KeyValuePairs<String, Any?> = [:]) { emit(.error, event, fields) }

    public func emit(_ lvl: LogLevel, _ event: String, _ fields: KeyValuePairs<String, Any?>) {
        guard lvl >= level else { return }
        var line = ""
        if timestamps { line += "time=\(Log.iso(clock())) " }
        line += "level=\(lvl.rawValue) event=\(event)"
        for (key, value) in fields {
            line += " \(key)=\(Log.format(value))"
        }
        lock.withLock { sink(line) }
    }

    private static let escapeControl = QuotedText.controls(prefix: "\\x", digits: 2, includingDelete: true)

    static func format(_ value: Any?) -> String {
        guard let value else { return "-" }
        // The common kinds first: a cast to a concrete type is far cheaper than to a protocol.
        let s: String
        if let text = value as? String {
            s = text
        } else if let number = value as? Int64 {
            s = String(number)
        } else if let number = value as? Int {
            s = String(number)
        } else if let inner = value as? any OptionalProtocol {
            return inner.isNone ? "-" : format(inner.unwrapped)
        } else {
            s = "\(value)"
        }
        if s.isEmpty { return "\"\"" }
        let needsQuotes = s.unicodeScalars.contains { $0 == " " || $0 == "\"" || $0 == "=" || $0 == "\\" || $0.value < 0x20 || $0.value == 0x7F }
        guard needsQuotes else { return s }
        var out = "\""
        // Hostile values (subjects, server replies) must not reach a terminal raw: escape controls.
        QuotedText.append(s, to: &out, escape: Log.escapeControl)
        return out + "\""
    }

    static func iso(_ date: Date) -> String { UTCTimestamp.iso(date, milliseconds: true) }
}

/// Lets `Log.format` see through optionals passed as `Any?`.
protocol OptionalProtocol {
    var isNone: Bool { get }
    var unwrapped: Any { get }
}
extension Optional: OptionalProtocol {
    var isNone: Bool { self == nil }
    var unwrapped: Any { self! }
}
