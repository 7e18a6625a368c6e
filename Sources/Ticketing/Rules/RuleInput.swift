import Foundation

/// One message's facts as a rule program reads them: each text field's comparison form made
/// at most once (on first use: a field no rule reaches is never folded), all of them in one
/// byte arena, so testing a value is a pointer and a length; and each distinct test's result,
/// once known (rules repeat tests). A value passed `inout`: no reference counting, no dynamic
/// exclusivity checks (a class's were a tenth of the time).
struct RuleInput {
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
    /// Per slot: only ASCII needles read it (`RuleProgram.asciiSlots`).
    private let asciiOnly: [Bool]
    /// The folded values of every slot made so far, back to back.
    private var arena: [UInt8] = []
    /// Per value: its offset and end in `arena`.
    private var bounds: [(start: Int, end: Int)] = []
    /// Per slot: its first and end index in `bounds`; first = -1 until first read.
    private var slotFirst: [Int]
    private var slotEnd: [Int]
    private var bridged: [[NSString]?]
    /// Per test of the program: 0 unknown, 1 false, 2 true.
    var known: [UInt8]

    init(_ facts: RuleFacts, keys: [SlotKey], asciiOnly: [Bool], tests: Int) {
        self.facts = facts
        self.keys = keys
        self.asciiOnly = asciiOnly
        hasAttachment = !facts.attachments.isEmpty
        vip = facts.customer?.vip ?? false
        size = Double(facts.size)
        slotFirst = Array(repeating: -1, count: keys.count)
        slotEnd = Array(repeating: -1, count: keys.count)
        bridged = Array(repeating: nil, count: keys.count)
        known = Array(repeating: 0, count: tests)
    }

    /// Whether any value of `slot` (in comparison form) passes `test`.
    @inline(__always)
    mutating func anyValue(_ slot: Int, where test: (UnsafeRawBufferPointer) -> Bool) -> Bool {
        if slotFirst[slot] < 0 { make(slot) }
        let (first, end) = (slotFirst[slot], slotEnd[slot])
        if first == end { return false }
        return arena.withUnsafeBytes { bytes in
            bounds.withUnsafeBufferPointer { bounds in
                for i in first..<end where test(UnsafeRawBufferPointer(rebasing: bytes[bounds[i].start..<bounds[i].end])) {
                    return true
                }
                return false
            }
        }
    }

    private mutating func make(_ slot: Int) {
        slotFirst[slot] = bounds.count
        let sensitive = keys[slot].caseSensitive
        let limit = RulePattern.maxInputBytes // like a pattern, a comparison sees at most the first 64 KiB of a value
        for value in facts.texts(keys[slot].field) {
            let start = arena.count
            // ASCII needles meet the ASCII form as they meet the fold, when the value lets them.
            if !(asciiOnly[slot] && TextFold.appendASCIIForm(value, limit: limit, to: &arena)) {
                TextFold.append(value, caseSensitive: sensitive, limit: limit, to: &arena)
            }
            bounds.append((start, arena.count))
        }
        slotEnd[slot] = bounds.count
    }

    /// The values of `slot` as written, clipped and bridged once for `matches`.
    mutating func patternInput(_ slot: Int) -> [NSString] {
        if let done = bridged[slot] { return done }
        let values = facts.texts(keys[slot].field).map { RulePattern.clip($0) as NSString }
        bridged[slot] = values
        return values
    }
}
