#if canImport(Glibc)
import Glibc
#endif

/// Content-Transfer-Encoding decoders. Both are tolerant: real mail has bad padding, line noise and
/// stray "=" signs, and a decoder that gives up loses the customer's attachment.
public enum TransferDecoding {
    private static let base64Table: [UInt8] = {
        var t = [UInt8](repeating: 0xFF, count: 256)
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        for (i, c) in alphabet.enumerated() { t[Int(c)] = UInt8(i) }
        // URL-safe variants occur in the wild; accept them too.
        t[Int(UInt8(ascii: "-"))] = 62
        t[Int(UInt8(ascii: "_"))] = 63
        for ws in [9, 10, 13, 32] { t[ws] = 0xFE }
        t[Int(UInt8(ascii: "="))] = 0xFD
        return t
    }()

    /// Decodes base64, skipping whitespace and noise. `clean` is false when anything other than
    /// whitespace had to be skipped or the padding was wrong.
    static func base64(_ input: ArraySlice<UInt8>) -> (bytes: [UInt8], clean: Bool) {
        collect(capacity: input.count / 4 * 3 + 3) { base64(input, emit: $0) }
    }

    /// Each base64 character's 6 bits already shifted to their place in a group of four (tables
    /// 0...3), or `base64Invalid` for anything else: a clean group is four loads and an OR.
    private static let base64Shifted: [UInt32] = {
        var t = [UInt32](repeating: base64Invalid, count: 4 * 256)
        for c in 0..<256 where base64Table[c] < 64 {
            let v = UInt32(base64Table[c])
            t[c] = v << 18; t[256 + c] = v << 12; t[512 + c] = v << 6; t[768 + c] = v
        }
        return t
    }()
    private static let base64Invalid: UInt32 = 0x8000_0000

    /// Decodes base64 in pieces of at most `chunkBytes`, handing each to `emit` (valid only
    /// during the call): a 20 MB attachment is measured or hashed without holding it decoded.
    /// Returns whether the input was clean (see `base64(_:)`).
    static func base64(_ input: ArraySlice<UInt8>, chunkBytes: Int = 64 << 10, emit: (UnsafeBufferPointer<UInt8>) -> Void) -> Bool {
        var clean = true
        withChunk(min(chunkBytes, input.count / 4 * 3 + 3), emit: emit) { o, flush in
            let r = base64Groups(input, into: o, store: true, flush: flush)
            clean = r.clean
            return r.written
        }
        return clean
    }

    /// The decoded size of base64 content and whether it is clean, exactly as decoding it would
    /// give, without writing the bytes anywhere (the parse measures every attachment).
    static func base64Size(_ input: ArraySlice<UInt8>) -> (size: Int, clean: Bool) {
        var size = 0
        // Large enough that flushes are rare; never read (nothing is stored).
        let scratch = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: 4096)
        defer { scratch.deallocate() }
        let r = base64Groups(input, into: scratch, store: false) { size += $0; return 0 }
        return (size + r.written, r.clean)
    }

    /// The base64 decoder proper: writes into `o` (when `store`), calls `flush(w)` when it cannot
    /// take three more bytes (and goes on at the index it returns), and returns what it wrote
    /// after the last flush. Inlined into both callers so the `store` test folds away.
    @inline(__always)
    private static func base64Groups(_ input: ArraySlice<UInt8>, into o: UnsafeMutableBufferPointer<UInt8>, store: Bool,
                                     flush: (Int) -> Int) -> (written: Int, clean: Bool) {
        var clean = true
        var w = 0
        var acc: UInt32 = 0
        var n = 0
        var sawPad = false
        base64Table.withUnsafeBufferPointer { table in
        base64Shifted.withUnsafeBufferPointer { shifted in
            input.withUnsafeBufferPointer { buf in
                let count = buf.count
                var i = 0
                while i < count {
                    // Fast path: a whole group of four alphabet characters at a group boundary.
                    if n == 0, !sawPad {
                        while i + 4 <= count {
                            let x = shifted[Int(buf[i])] | shifted[256 + Int(buf[i + 1])]
                                | shifted[512 + Int(buf[i + 2])] | shifted[768 + Int(buf[i + 3])]
                            if x & base64Invalid != 0 { break }
                            w = wholeGroup(x, into: o, at: w, store: store, flush: flush)
                            i += 4
                        }
                        if i >= count { break }
                    }
                    // One character at a time: line breaks, padding, noise, a group split across lines.
                    let v = table[Int(buf[i])]
                    i += 1
                    if v < 64 {
                        if sawPad { clean = false; sawPad = false }
                        acc = (acc << 6) | UInt32(v)
                        n += 1
                        if n == 4 {
                            w = wholeGroup(acc, into: o, at: w, store: store, flush: flush)
                            acc = 0; n = 0
                        }
                    } else if v == 0xFE {
                        continue
                    } else if v == 0xFD {
                        // Padding: flush the partial group; anything after is a new group (concatenated base64).
                        w = partialGroup(acc, n, into: o, at: w, store: store, flush: flush)
                        if n == 1 { clean = false }
                        acc = 0; n = 0; sawPad = true
                    } else {
                        clean = false
                    }
                }
            }
        }
        }
        // Missing padding: decode what the remaining bits hold.
        w = partialGroup(acc, n, into: o, at: w, store: store, flush: flush)
        if n != 0 { clean = false }
        return (w, clean)
    }

    /// The three bytes a whole group of four characters holds (its 24 bits, low in `group`).
    @inline(__always)
    private static func wholeGroup(_ group: UInt32, into o: UnsafeMutableBufferPointer<UInt8>, at w: Int, store: Bool,
                                   flush: (Int) -> Int) -> Int {
        var w = w
        if w + 3 > o.count { w = flush(w) }
        if store {
            o[w] = UInt8(truncatingIfNeeded: group >> 16)
            o[w + 1] = UInt8(truncatingIfNeeded: group >> 8)
            o[w + 2] = UInt8(truncatingIfNeeded: group)
        }
        return w + 3
    }

    /// The one or two bytes an unfinished group of `n` characters holds (none for n < 2).
    @inline(__always)
    private static func partialGroup(_ acc: UInt32, _ n: Int, into o: UnsafeMutableBufferPointer<UInt8>, at w: Int, store: Bool,
                                     flush: (Int) -> Int) -> Int {
        var w = w
        if w + 2 > o.count { w = flush(w) }
        if n == 2 {
            if store { o[w] = UInt8(truncatingIfNeeded: acc >> 4) }
            w += 1
        } else if n == 3 {
            if store { o[w] = UInt8(truncatingIfNeeded: acc >> 10); o[w + 1] = UInt8(truncatingIfNeeded: acc >> 2) }
            w += 2
        }
        return w
    }

    /// Runs a decoder over a scratch buffer of `capacity` bytes (at least 3). The decoder writes
    /// into it, calls `flush(w)` when it cannot take more (the `w` bytes written go to `emit`,
    /// and it goes on at the returned index 0), and returns what it wrote after the last flush.
    private static func withChunk(_ capacity: Int, emit: (UnsafeBufferPointer<UInt8>) -> Void,
                                  _ decode: (UnsafeMutableBufferPointer<UInt8>, (Int) -> Int) -> Int) {
        let scratch = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(capacity, 3))
        defer { scratch.deallocate() }
        withoutActuallyEscaping(emit) { emit in
            func flush(_ w: Int) -> Int {
                if w > 0 { emit(UnsafeBufferPointer(rebasing: scratch[0 ..< w])) }
                return 0
            }
            _ = flush(decode(scratch, flush))
        }
    }

    /// The pieces a streaming decoder emits, as one array of at most `capacity` bytes.
    private static func collect(capacity: Int, _ decode: ((UnsafeBufferPointer<UInt8>) -> Void) -> Bool) -> (bytes: [UInt8], clean: Bool) {
        var out = [UInt8]()
        out.reserveCapacity(capacity)
        let clean = decode { out.append(contentsOf: $0) }
        return (out, clean)
    }

    /// Removes a base64 or quoted-printable transfer encoding; other content comes back as it is.
    public static func decoded(_ input: ArraySlice<UInt8>, encoding: String) -> ArraySlice<UInt8> {
        switch encoding {
        case "base64": return base64(input).bytes[...]
        case "quoted-printable": return quotedPrintable(input).bytes[...]
        default: return input
        }
    }

    /// Streams the decoded content in pieces (see `base64(_:chunkBytes:emit:)`); returns whether the
    /// input was clean.
    @discardableResult
    public static func decode(_ input: ArraySlice<UInt8>, encoding: String, emit: (UnsafeBufferPointer<UInt8>) -> Void) -> Bool {
        switch encoding {
        case "base64": return base64(input, emit: emit)
        case "quoted-printable": return quotedPrintable(input, emit: emit)
        default:
            input.withUnsafeBufferPointer { emit($0) }
            return true
        }
    }

    @inline(__always) static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: return c - 0x30
        case 0x41...0x46: return c - 0x41 + 10
        case 0x61...0x66: return c - 0x61 + 10
        default: return nil
        }
    }

    /// Decodes quoted-printable (`header` mode turns "_" into a space, for RFC 2047 Q words).
    /// A "=" not followed by two hex digits or a line break is kept literally and makes `clean` false.
    static func quotedPrintable(_ input: ArraySlice<UInt8>, header: Bool = false) -> (bytes: [UInt8], clean: Bool) {
        // Decoding never makes the text longer: one buffer of the input's size takes it all.
        collect(capacity: input.count) { quotedPrintable(input, header: header, chunkBytes: input.count, emit: $0) }
    }

    /// Decodes quoted-printable in pieces of at most `chunkBytes` (see `base64(_:chunkBytes:emit:)`).
    static func quotedPrintable(_ input: ArraySlice<UInt8>, header: Bool = false, chunkBytes: Int = 64 << 10,
                                emit: (UnsafeBufferPointer<UInt8>) -> Void) -> Bool {
        var clean = true
        // Written in place into the scratch buffer (an `append` per byte was a visible share of the intake).
        withChunk(min(chunkBytes, input.count), emit: emit) { o, flush in
            var w = 0
            input.withUnsafeBufferPointer { buf in
                let count = buf.count
                var i = 0
                while i < count {
                    if w == o.count { w = flush(w) }
                    let c = buf[i]
                    if !header, c != 0x3D, let base = buf.baseAddress, let dst = o.baseAddress {
                        // A run of literal bytes up to the next "=" (memchr), copied at once.
                        let room = min(count - i, o.count - w)
                        let stop = memchr(base + i, 0x3D, room).map { base.distance(to: $0.assumingMemoryBound(to: UInt8.self)) } ?? i + room
                        (dst + w).update(from: base + i, count: stop - i)
                        w += stop - i
                        i = stop
                        continue
                    }
                    if c == 0x3D { // "="
                        if i + 2 < count, let h = hexValue(buf[i + 1]), let l = hexValue(buf[i + 2]) {
                            o[w] = h << 4 | l
                            w += 1
                            i += 3
                            continue
                        }
                        // Soft line break, allowing trailing whitespace before it.
                        var j = i + 1
                        while j < count, buf[j] == 0x20 || buf[j] == 0x09 { j += 1 }
                        if j < count, buf[j] == 0x0A { i = j + 1; continue }
                        if j + 1 < count, buf[j] == 0x0D, buf[j + 1] == 0x0A { i = j + 2; continue }
                        if j >= count { i = j; continue }
                        clean = false
                        o[w] = c
                    } else if header && c == 0x5F {
                        o[w] = 0x20
                    } else {
                        o[w] = c
                    }
                    w += 1
                    i += 1
                }
            }
            return w
        }
        return clean
    }

    /// Decodes uuencode (Content-Transfer-Encoding: x-uuencode): the lines between "begin mode
    /// name" and "end", each prefixed with its decoded length. Also returns the name from the
    /// begin line. `clean` is false when there was no begin line or a line was short.
    static func uuencode(_ input: ArraySlice<UInt8>) -> (bytes: [UInt8], name: String?, clean: Bool) {
        var out = [UInt8]()
        out.reserveCapacity(input.count * 3 / 4)
        var clean = true
        var name: String? = nil
        var lines = input.split(separator: 0x0A, omittingEmptySubsequences: false).map { line -> ArraySlice<UInt8> in
            var l = line
            while let last = l.last, last == 0x0D { l = l.dropLast() }
            return l
        }[...]
        // Skip to the begin line when there is one.
        if let begin = lines.firstIndex(where: { $0.starts(with: Array("begin ".utf8)) }) {
            let fields = lines[begin].split(separator: 0x20, maxSplits: 2)
            if fields.count == 3 { name = String(decoding: fields[2], as: UTF8.self) }
            lines = lines[(begin + 1)...]
        } else {
            clean = false
        }
        for line in lines {
            if line.starts(with: Array("end".utf8)) && line.count <= 4 { break }
            guard let first = line.first else { continue }
            let length = Int((first &- 0x20) & 0x3F)
            if length == 0 { continue }
            var produced = 0
            var i = line.startIndex + 1
            while produced < length {
                var group: [UInt8] = [0, 0, 0, 0]
                for k in 0..<4 {
                    group[k] = i < line.endIndex ? (line[i] &- 0x20) & 0x3F : 0
                    if i >= line.endIndex { clean = false }
                    i += 1
                }
                let bytes = [group[0] << 2 | group[1] >> 4, group[1] << 4 | group[2] >> 2, group[2] << 6 | group[3]]
                for b in bytes where produced < length {
                    out.append(b)
                    produced += 1
                }
            }
        }
        return (out, name, clean)
    }
}
