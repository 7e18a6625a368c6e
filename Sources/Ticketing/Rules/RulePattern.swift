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
    /// ASCII letters and digits every match must contain (in comparison form), when the pattern
    /// shows some: a value without them is rejected without running the regex.
    let requiredLiteral: [UInt8]?

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
        requiredLiteral = RulePattern.requiredLiteral(of: source).map { TextFold.form($0, caseSensitive: caseSensitive) }
    }

    /// The longest run of plain letters and digits outside any group or class in a pattern with
    /// no alternation and no inline options, less its last character (a quantifier, or a
    /// combining mark composing with it, may follow). Conservative: nil whenever unsure.
    static func requiredLiteral(of pattern: String) -> String? {
        let chars = Array(pattern.unicodeScalars)
        if pattern.contains("|") || pattern.contains("(?") || pattern.contains("\\Q") { return nil }
        var best = "", run = "", depth = 0, i = 0
        func endRun() {
            if run.count > best.count { best = run }
            run = ""
        }
        while i < chars.count {
            let c = chars[i]
            switch c {
            case "\\":
                endRun()
                i += 2
                continue
            case "[":
                endRun()
                i += 1
                if i < chars.count, chars[i] == "]" { i += 1 }
                while i < chars.count, chars[i] != "]" { i += chars[i] == "\\" ? 2 : 1 }
            case "(": endRun(); depth += 1
            case ")": endRun(); depth -= 1
            case "?", "*", "{":
                if !run.isEmpty { run.removeLast() }
                endRun()
            default:
                if depth == 0, c.isASCII, c.properties.isAlphabetic || ("0"..."9").contains(c) {
                    run.unicodeScalars.append(c)
                } else {
                    endRun()
                }
            }
            i += 1
        }
        endRun()
        let literal = String(best.dropLast())
        return literal.count >= 3 ? literal : nil
    }

    public func matches(_ text: String) -> Bool {
        matches(RulePattern.clip(text) as NSString)
    }

    /// `text` already clipped and bridged (one bridge per value, however many patterns read it).
    func matches(_ text: NSString) -> Bool {
        regex.firstMatch(in: text as String, options: [], range: NSRange(location: 0, length: text.length)) != nil
    }

    /// The first `maxInputBytes` of `text`, cut on a character boundary.
    static func clip(_ text: String) -> String {
        guard text.utf8.count > maxInputBytes else { return text }
        var end = text.utf8.index(text.utf8.startIndex, offsetBy: maxInputBytes)
        while end.samePosition(in: text.unicodeScalars) == nil { end = text.utf8.index(before: end) }
        return String(text.utf8[..<end])!
    }

    public static func == (a: RulePattern, b: RulePattern) -> Bool {
        a.source == b.source && a.caseSensitive == b.caseSensitive
    }

    public var description: String { "/\(source)/" }
}
