/// Turns the byte stream from an IMAP server into complete responses.
///
/// Pure and incremental: `feed` any chunk (a whole transcript, single bytes, a random split),
/// then call `next()` until it returns nil. Literals (`{n}` at the end of a line) are taken by
/// their byte count, never by scanning, so a message body holding `A5 OK` or `* 3 FETCH` lines
/// cannot end a response early. Lines end at LF; a CR before it is dropped, so bare-LF servers
/// work. Every line and literal is bounded by `Limits`, and going over is a thrown `Failure`,
/// after which the stream is unusable (the connection must be dropped).
public struct IMAPResponseParser: Sendable {
    public struct Limits: Sendable, Equatable {
        /// Longest line outside literals (SEARCH results for bounded ranges stay far below).
        public var maxLineBytes: Int
        /// Largest single literal, i.e. the largest message that can be fetched.
        public var maxLiteralBytes: Int
        /// Largest whole response, all its lines and literals together.
        public var maxResponseBytes: Int

        public init(maxLineBytes: Int = 4 << 20, maxLiteralBytes: Int = 256 << 20, maxResponseBytes: Int = 300 << 20) {
            self.maxLineBytes = maxLineBytes
            self.maxLiteralBytes = maxLiteralBytes
            self.maxResponseBytes = maxResponseBytes
        }
    }

    public struct Failure: Error, Equatable, Sendable, CustomStringConvertible {
        public enum Reason: String, Sendable {
            case lineTooLong = "line too long"
            case literalTooLarge = "literal too large"
            case responseTooLarge = "response too large"
            case malformed = "malformed response"
        }
        public let reason: Reason
        public let detail: String
        public var description: String { "\(reason.rawValue): \(detail)" }
    }

    public let limits: Limits
    private var buffer: [UInt8] = []
    /// Start of the response being framed; bytes before it are consumed.
    private var start = 0
    /// Where the current line began and how far the LF search has got, so feeding byte by
    /// byte stays linear.
    private var lineStart = 0
    private var scanned = 0
    /// The literal being collected: bytes go straight into an array of its exact size, so a
    /// 25 MB message is held once, never also in `buffer` (nor in a doubled capacity).
    private var literal: [UInt8]?
    /// Bytes the literal being collected still needs.
    private var literalNeeded = 0
    /// Bytes of the response being framed that went into literals without passing `buffer`.
    private var bypassedBytes = 0
    private var frame = Frame()
    private var failed: Failure?

    public init(limits: Limits = Limits()) {
        self.limits = limits
    }

    /// Bytes received but not yet returned as responses.
    public var bufferedBytes: Int { buffer.count - start + bypassedBytes }

    /// Bytes held for line framing, literals collected apart not counted (for tests: it must
    /// stay near one read, whatever the size of the message).
    var lineBufferCapacity: Int { buffer.capacity }

    public mutating func feed<Bytes: Collection>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        var rest = bytes[...]
        if literal != nil, literalNeeded > 0 {
            // Inside a literal: its bytes skip the line buffer.
            let taken = rest.prefix(literalNeeded)
            literal!.append(contentsOf: taken)
            literalNeeded -= taken.count
            bypassedBytes += taken.count
            rest = rest[taken.endIndex...]
            if rest.isEmpty { return }
        }
        compact()
        buffer.append(contentsOf: rest)
    }

    /// The next complete response, or nil until more bytes are fed.
    public mutating func next() throws -> IMAPResponse? {
        if let failed { throw failed }
        do {
            guard let complete = try frameNext() else { return nil }
            return try IMAPResponseGrammar.parse(complete)
        } catch let failure as Failure {
            failed = failure
            throw failure
        }
    }

    // MARK: - Framing

    /// A response cut into its text lines and the literals between them:
    /// `lines.count == literals.count + 1`, literal i follows line i.
    struct Frame {
        var lines: [[UInt8]] = []
        var literals: [[UInt8]] = []
    }

    private mutating func frameNext() throws -> Frame? {
        while true {
            if literal != nil {
                guard literalNeeded == 0 else { return nil }
                frame.literals.append(literal!)
                literal = nil
                continue
            }
            guard let lf = buffer[scanned...].firstIndex(of: 0x0A) else {
                scanned = buffer.count
                if buffer.count - lineStart > limits.maxLineBytes {
                    throw Failure(reason: .lineTooLong, detail: "no line end within \(limits.maxLineBytes) bytes")
                }
                return nil
            }
            var end = lf
            if end > lineStart, buffer[end - 1] == 0x0D { end -= 1 }
            if end - lineStart > limits.maxLineBytes {
                throw Failure(reason: .lineTooLong, detail: "a \(end - lineStart)-byte line (limit \(limits.maxLineBytes))")
            }
            let line = buffer[lineStart ..< end]
            lineStart = lf + 1
            scanned = lineStart
            if lineStart - start + bypassedBytes > limits.maxResponseBytes {
                throw Failure(reason: .responseTooLarge, detail: "over \(limits.maxResponseBytes) bytes")
            }
            if !(frame.lines.isEmpty && Self.isStatusText(line)), let size = try Self.literalSize(endingLine: line) {
                guard size <= limits.maxLiteralBytes else {
                    throw Failure(reason: .literalTooLarge, detail: "{\(size)} (limit \(limits.maxLiteralBytes))")
                }
                guard lineStart - start + bypassedBytes + size <= limits.maxResponseBytes else {
                    throw Failure(reason: .responseTooLarge, detail: "over \(limits.maxResponseBytes) bytes")
                }
                frame.lines.append(Array(line))
                // What of the literal is already buffered moves over now; the rest comes by `feed`.
                let present = min(size, buffer.count - lineStart)
                var bytes = [UInt8]()
                bytes.reserveCapacity(size)
                bytes.append(contentsOf: buffer[lineStart ..< lineStart + present])
                lineStart += present
                scanned = lineStart
                literal = bytes
                literalNeeded = size - present
                continue
            }
            frame.lines.append(Array(line))
            let complete = frame
            frame = Frame()
            start = lineStart
            bypassedBytes = 0
            return complete
        }
    }

    /// Status responses (`tag OK …`, `* NO …`, `+ …`) end in free text, never a literal, so a
    /// server message that happens to end in `{5}` must not make us wait for bytes.
    static func isStatusText(_ line: ArraySlice<UInt8>) -> Bool {
        if line.first == UInt8(ascii: "+") { return true }
        guard let space = line.firstIndex(of: 0x20) else { return false }
        let rest = line[(space + 1)...]
        let word = rest.prefix { $0 != 0x20 }.map { $0 & 0xDF }   // ASCII upper case
        return [Array("OK".utf8), Array("NO".utf8), Array("BAD".utf8), Array("BYE".utf8), Array("PREAUTH".utf8)].contains(word)
    }

    /// The n of a trailing `{n}`, `{n+}` (LITERAL+) or `~{n}` (BINARY), if the line ends so.
    static func literalSize(endingLine line: ArraySlice<UInt8>) throws -> Int? {
        guard line.last == UInt8(ascii: "}"), let open = line.lastIndex(of: UInt8(ascii: "{")) else { return nil }
        var digits = line[(open + 1) ..< (line.endIndex - 1)]
        if digits.last == UInt8(ascii: "+") { digits = digits.dropLast() }
        guard !digits.isEmpty, digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        guard digits.count <= 12 else {
            throw Failure(reason: .literalTooLarge, detail: "a literal of \(digits.count) digits")
        }
        return digits.reduce(0) { $0 * 10 + Int($1 - 0x30) }
    }

    /// Drops consumed bytes before new ones arrive: moves only the unparsed tail (usually part
    /// of one message), so memory stays near one response plus one chunk.
    private mutating func compact() {
        guard start > 0 else { return }
        buffer.removeSubrange(0 ..< start)
        lineStart -= start
        scanned -= start
        start = 0
    }
}
