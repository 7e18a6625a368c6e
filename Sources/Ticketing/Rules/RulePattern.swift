import Foundation

/// A `matches` regular expression, compiled once when the rules load. Bounded so a hostile
/// message cannot stall intake: the pattern is at most `maxPatternLength` characters and is
/// run on at most the first `maxInputBytes` of a value.
public final class RulePattern: @unchecked Sendable, Equatable, CustomStringConvertible {
    // NSRegularExpression is immutable once made and documented thread-safe, hence @unchecked.
    public static let maxPatternLength = 1_000
    public static let maxInputBytes = 64 * 1024

    public let source: String
    public let caseSensitive: Bool
    let regex: NSRegularExpression

    public struct Invalid: Error, CustomStringConvertible {
        public let reason: String
        public var description: String { reason }
    }

    public init(_ source: String, caseSensitive: Bool) throws {
        guard !source.isEmpty else { throw Invalid(reason: "empty pattern") }
        guard source.count <= RulePattern.maxPatternLength else {
            throw Invalid(reason: "pattern longer than \(RulePattern.maxPatternLength) characters")
        }
        do {
            regex = try NSRegularExpression(pattern: source, options: caseSensitive ? [] : [.caseInsensitive])
        } catch {
            throw Invalid(reason: "not a valid regular expression")
        }
        self.source = source
        self.caseSensitive = caseSensitive
    }

    public func matches(_ text: String) -> Bool {
        let clipped = RulePattern.clip(text)
        let ns = clipped as NSString
        return regex.firstMatch(in: clipped, options: [], range: NSRange(location: 0, length: ns.length)) != nil
    }

    /// The first `maxInputBytes` of `text`, cut on a character boundary.
    static func clip(_ text: String) -> String {
        guard text.utf8.count > maxInputBytes else { return text }
        var end = text.utf8.index(text.utf8.startIndex, offsetBy: maxInputBytes)
        while end.samePosition(in: text.unicodeScalars) == nil { end = text.utf8.index(before: end) }
        return String(String.UnicodeScalarView(text.unicodeScalars[..<end]))
    }

    public static func == (a: RulePattern, b: RulePattern) -> Bool {
        a.source == b.source && a.caseSensitive == b.caseSensitive
    }

    public var description: String { "/\(source)/" }
}
