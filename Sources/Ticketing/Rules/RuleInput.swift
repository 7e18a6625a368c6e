import Foundation

/// One message's facts as a rule program reads them: each text field's comparison form made
/// at most once (on first use: a field no rule reaches is never folded), all of them in one
/// byte arena, so testing a value is a pointer and a length.
final class RuleInput {
    struct SlotKey: Equatable, Sendable {
        var field: RuleField
        /// Exact bytes (case-sensitive) rather than folded.
        var caseSensitive: Bool
    }

    let facts: RuleFacts
    let hasAttachment: Bool
    let vip: Bool
    let size: Double
    private let keys: [SlotKey]
    /// The folded values of every slot made so far, back to back.
    private var arena: [UInt8] = []
    /// Per value: its offset and end in `arena`.
    private var bounds: [(Int, Int)] = []
    /// Per slot: the range of its values in `bounds`, or nil until first read.
    private var made: [Range<Int>?]
    private var bridged: [[NSString]?]

    init(_ facts: RuleFacts, keys: [SlotKey]) {
        self.facts = facts
        self.keys = keys
        hasAttachment = !facts.attachments.isEmpty
        vip = facts.customer?.vip ?? false
        size = Double(facts.size)
        made = Array(repeating: nil, count: keys.count)
        bridged = Array(repeating: nil, count: keys.count)
    }

    /// Whether any value of `slot` (in comparison form) passes `test`.
    @inline(__always)
    func anyValue(_ slot: Int, where test: (UnsafeRawBufferPointer) -> Bool) -> Bool {
        let range = made[slot] ?? make(slot)
        return arena.withUnsafeBytes { bytes in
            for i in range {
                let (start, end) = bounds[i]
                if test(UnsafeRawBufferPointer(rebasing: bytes[start..<end])) { return true }
            }
            return false
        }
    }

    private func make(_ slot: Int) -> Range<Int> {
        let first = bounds.count
        for value in facts.texts(keys[slot].field) {
            let start = arena.count
            // Like a pattern, a comparison sees at most the first 64 KiB of a value.
            TextFold.append(value, caseSensitive: keys[slot].caseSensitive, limit: RulePattern.maxInputBytes, to: &arena)
            bounds.append((start, arena.count))
        }
        made[slot] = first..<bounds.count
        return first..<bounds.count
    }

    /// The values of `slot` as written, clipped and bridged once for `matches`.
    func patternInput(_ slot: Int) -> [NSString] {
        if let done = bridged[slot] { return done }
        let values = facts.texts(keys[slot].field).map { RulePattern.clip($0) as NSString }
        bridged[slot] = values
        return values
    }
}
