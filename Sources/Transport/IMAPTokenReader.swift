/// Reads the tokens of one framed response: words, numbers, quoted strings, literals, NIL
/// and parenthesised lists. Text lines and literals alternate; a `{n}` at the end of a line
/// stands for the literal that follows it.
struct IMAPTokenReader {
    /// A value in a FETCH or STATUS list.
    indirect enum Value: Equatable {
        case word(String)
        case string([UInt8])
        case null
        case list([Value])

        var text: String? {
            switch self {
            case .word(let w): return w
            case .string(let bytes): return String(decoding: bytes, as: UTF8.self)
            default: return nil
            }
        }
    }

    static let maxDepth = 32

    private let lines: [[UInt8]]
    private let literals: [[UInt8]]
    private var line = 0
    private var offset = 0

    init(_ frame: IMAPResponseParser.Frame) {
        lines = frame.lines
        literals = frame.literals
    }

    private var current: [UInt8] { lines[line] }

    var atEnd: Bool { offset >= current.count && line >= literals.count }

    func peek() -> UInt8? { offset < current.count ? current[offset] : nil }

    mutating func skip(_ byte: UInt8) -> Bool {
        guard peek() == byte else { return false }
        offset += 1
        return true
    }

    mutating func skipSpaces() {
        while peek() == 0x20 { offset += 1 }
    }

    mutating func expect(_ byte: UInt8, _ what: String) throws {
        guard skip(byte) else { throw Self.malformed("expected \(what)") }
    }

    /// Characters up to a space, bracket, parenthesis or the line end.
    mutating func word() -> String {
        let from = offset
        while let b = peek(), b != 0x20, b != 0x28, b != 0x29, b != 0x5B, b != 0x5D { offset += 1 }
        return String(decoding: current[from ..< offset], as: UTF8.self)
    }

    mutating func number() throws -> UInt64 {
        let from = offset
        var value: UInt64 = 0
        while let b = peek(), b >= 0x30, b <= 0x39 {
            guard offset - from < 19 else { throw Self.malformed("number too long") }
            value = value * 10 + UInt64(b - 0x30)
            offset += 1
        }
        guard offset > from else { throw Self.malformed("expected a number") }
        return value
    }

    /// The rest of the current text line, for human-readable response text.
    mutating func restOfLine() -> String {
        let text = String(decoding: current[min(offset, current.count)...], as: UTF8.self)
        offset = current.count
        return text
    }

    /// Text up to the next `]` on this line (a response code's arguments).
    mutating func upToBracket() throws -> String {
        guard let close = current[offset...].firstIndex(of: 0x5D) else { throw Self.malformed("response code not closed") }
        let text = String(decoding: current[offset ..< close], as: UTF8.self)
        offset = close
        return text
    }

    /// A FETCH item name, keeping any `[section]` and `<partial>` with it: `BODY[HEADER.FIELDS (A B)]<0>`.
    mutating func fetchItemName() throws -> String {
        let from = offset
        while let b = peek(), b != 0x20, b != 0x28, b != 0x29, b != 0x5B { offset += 1 }
        if peek() == 0x5B {
            guard let close = current[offset...].firstIndex(of: 0x5D) else { throw Self.malformed("section not closed") }
            offset = close + 1
            if peek() == 0x3C {
                guard let end = current[offset...].firstIndex(of: 0x3E) else { throw Self.malformed("partial not closed") }
                offset = end + 1
            }
        }
        guard offset > from else { throw Self.malformed("expected a FETCH item") }
        return String(decoding: current[from ..< offset], as: UTF8.self).uppercased()
    }

    /// One value: a list, quoted string, literal, NIL or a bare word/number.
    mutating func value(depth: Int = 0) throws -> Value {
        guard depth < Self.maxDepth else { throw Self.malformed("lists nested too deeply") }
        switch peek() {
        case 0x28:
            offset += 1
            var items: [Value] = []
            while true {
                skipSpaces()
                if skip(0x29) { return .list(items) }
                guard peek() != nil || atLiteral else { throw Self.malformed("list not closed") }
                items.append(try value(depth: depth + 1))
            }
        case 0x22:
            return .string(try quoted())
        case 0x7B, 0x7E:
            return .string(try literal())
        case nil:
            throw Self.malformed("value missing")
        default:
            let w = word()
            guard !w.isEmpty else { throw Self.malformed("unexpected character") }
            return w.uppercased() == "NIL" ? .null : .word(w)
        }
    }

    /// A mailbox name or other astring: word, quoted string or literal.
    mutating func astring() throws -> [UInt8] {
        switch peek() {
        case 0x22: return try quoted()
        case 0x7B, 0x7E: return try literal()
        default:
            let w = word()
            guard !w.isEmpty else { throw Self.malformed("expected a string") }
            return Array(w.utf8)
        }
    }

    private var atLiteral: Bool { offset >= current.count && line < literals.count }

    mutating func quoted() throws -> [UInt8] {
        try expect(0x22, "a quote")
        var out: [UInt8] = []
        while let b = peek() {
            offset += 1
            if b == 0x22 { return out }
            if b == 0x5C, let escaped = peek() {
                out.append(escaped)
                offset += 1
            } else {
                out.append(b)
            }
        }
        throw Self.malformed("quoted string not closed")
    }

    /// `{n}` ending this line: returns literal n and continues on the next line.
    mutating func literal() throws -> [UInt8] {
        _ = skip(0x7E)
        guard let close = current[offset...].firstIndex(of: 0x7D), close == current.count - 1,
              line < literals.count else { throw Self.malformed("literal marker not at the line end") }
        let bytes = literals[line]
        line += 1
        offset = 0
        return bytes
    }

    static func malformed(_ detail: String) -> IMAPResponseParser.Failure {
        IMAPResponseParser.Failure(reason: .malformed, detail: detail)
    }
}
