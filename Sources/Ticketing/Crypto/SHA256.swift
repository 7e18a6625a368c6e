import CSHA256
#if canImport(Glibc)
import Glibc
#endif

/// SHA-256 (FIPS 180-4), written here because postdesk takes no crypto dependency.
/// Streaming: `update` any number of times, then `finalize`. Also the message hash the store keeps.
/// The compression runs in the CPU's SHA instructions when it has them (CSHA256: x86 SHA-NI,
/// ARMv8 SHA2), chosen once at run time; the Swift rounds below are the fallback.
public struct SHA256: Sendable {
    public static let digestLength = 32
    public static let blockLength = 64

    /// Which compression function runs.
    public enum Engine: Sendable, Equatable {
        /// The CPU's SHA-256 instructions.
        case hardware
        /// The Swift rounds in this file.
        case software
    }

    /// The engine this CPU gets: hardware when cpuid (or the auxiliary vector) says so, unless the
    /// environment says `POSTDESK_SHA256=software` (to measure or rule out the C code).
    public static let preferredEngine: Engine = {
        if let forced = getenv("POSTDESK_SHA256"), String(cString: forced) == "software" { return .software }
        return csha256_hardware_available() != 0 ? .hardware : .software
    }()

    public let engine: Engine

    private var state: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32) =
        (0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19)
    private var pending: [UInt8] = []
    private var byteCount: UInt64 = 0

    public init() { self.init(engine: SHA256.preferredEngine) }

    /// `engine`: `.software` always works; `.hardware` falls back to it on a CPU without the instructions.
    public init(engine: Engine) {
        self.engine = engine == .hardware && SHA256.preferredEngine != .hardware ? .software : engine
        pending.reserveCapacity(SHA256.blockLength)
    }

    /// The digest of `bytes` in one call.
    public static func hash(_ bytes: some Sequence<UInt8>) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(bytes)
        return hasher.finalize()
    }

    /// Lowercase hex of the digest of `bytes`, the form stored for message bodies.
    public static func hex(_ bytes: some Sequence<UInt8>) -> String { Hex.encode(hash(bytes)) }

    public mutating func update(_ string: String) { update(string.utf8) }

    public mutating func update(_ bytes: some Sequence<UInt8>) {
        let handled: Void? = bytes.withContiguousStorageIfAvailable { update(buffer: UnsafeRawBufferPointer($0)) }
        if handled == nil { update(buffer: Array(bytes)) }
    }

    private mutating func update(buffer bytes: [UInt8]) {
        bytes.withUnsafeBytes { update(buffer: $0) }
    }

    public mutating func update(buffer: UnsafeRawBufferPointer) {
        byteCount &+= UInt64(buffer.count)
        var offset = 0
        if !pending.isEmpty {
            let take = min(SHA256.blockLength - pending.count, buffer.count)
            pending.append(contentsOf: buffer[0..<take])
            offset = take
            if pending.count == SHA256.blockLength {
                let block = pending
                block.withUnsafeBytes { compress($0, at: 0) }
                pending.removeAll(keepingCapacity: true)
            }
        }
        let whole = (buffer.count - offset) / SHA256.blockLength
        if whole > 0 {
            compress(buffer, from: offset, blocks: whole)
            offset += whole * SHA256.blockLength
        }
        if offset < buffer.count { pending.append(contentsOf: buffer[offset...]) }
    }

    /// Pads, processes the last block and returns the 32-byte digest.
    public mutating func finalize() -> [UInt8] {
        let bitLength = byteCount &* 8
        var tail = pending
        tail.append(0x80)
        while tail.count % SHA256.blockLength != 56 { tail.append(0) }
        for shift in stride(from: 56, through: 0, by: -8) { tail.append(UInt8(truncatingIfNeeded: bitLength >> UInt64(shift))) }
        tail.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count { compress(raw, at: offset); offset += SHA256.blockLength }
        }
        pending.removeAll()
        var out: [UInt8] = []
        out.reserveCapacity(SHA256.digestLength)
        for word in [state.0, state.1, state.2, state.3, state.4, state.5, state.6, state.7] {
            out.append(UInt8(truncatingIfNeeded: word >> 24))
            out.append(UInt8(truncatingIfNeeded: word >> 16))
            out.append(UInt8(truncatingIfNeeded: word >> 8))
            out.append(UInt8(truncatingIfNeeded: word))
        }
        return out
    }

    private mutating func compress(_ raw: UnsafeRawBufferPointer, at offset: Int) {
        compress(raw, from: offset, blocks: 1)
    }

    /// Runs the compression function over `blocks` consecutive 64-byte blocks. The 64 rounds
    /// are written out (generated) with the message schedule in sixteen locals and the round
    /// constants inline, and the eight working variables change roles instead of being shifted
    /// each round: about 2x the speed of the loop form, which mattered because every byte of
    /// every message is hashed on the intake path.
    private mutating func compress(_ raw: UnsafeRawBufferPointer, from start: Int, blocks: Int) {
        guard let base = raw.baseAddress else { return }
        if engine == .hardware {
            // The state tuple is eight contiguous UInt32s, the C function's `uint32_t[8]`.
            withUnsafeMutableBytes(of: &state) { words in
                csha256_compress(words.baseAddress!.assumingMemoryBound(to: UInt32.self),
                                 base.assumingMemoryBound(to: UInt8.self) + start, blocks)
            }
            return
        }
        var (h0, h1, h2, h3, h4, h5, h6, h7) = state
        for block in 0..<blocks {
            let p = base + start + block * SHA256.blockLength
            var (a, b, c, d, e, f, g, h) = (h0, h1, h2, h3, h4, h5, h6, h7)
            var w0 = UInt32(bigEndian: (p + 0).loadUnaligned(as: UInt32.self))
            var w1 = UInt32(bigEndian: (p + 4).loadUnaligned(as: UInt32.self))
            var w2 = UInt32(bigEndian: (p + 8).loadUnaligned(as: UInt32.self))
            var w3 = UInt32(bigEndian: (p + 12).loadUnaligned(as: UInt32.self))
            var w4 = UInt32(bigEndian: (p + 16).loadUnaligned(as: UInt32.self))
            var w5 = UInt32(bigEndian: (p + 20).loadUnaligned(as: UInt32.self))
            var w6 = UInt32(bigEndian: (p + 24).loadUnaligned(as: UInt32.self))
            var w7 = UInt32(bigEndian: (p + 28).loadUnaligned(as: UInt32.self))
            var w8 = UInt32(bigEndian: (p + 32).loadUnaligned(as: UInt32.self))
            var w9 = UInt32(bigEndian: (p + 36).loadUnaligned(as: UInt32.self))
            var w10 = UInt32(bigEndian: (p + 40).loadUnaligned(as: UInt32.self))
            var w11 = UInt32(bigEndian: (p + 44).loadUnaligned(as: UInt32.self))
            var w12 = UInt32(bigEndian: (p + 48).loadUnaligned(as: UInt32.self))
            var w13 = UInt32(bigEndian: (p + 52).loadUnaligned(as: UInt32.self))
            var w14 = UInt32(bigEndian: (p + 56).loadUnaligned(as: UInt32.self))
            var w15 = UInt32(bigEndian: (p + 60).loadUnaligned(as: UInt32.self))
            round(a, b, c, &d, e, f, g, &h, 0x428a2f98, w0)
            round(h, a, b, &c, d, e, f, &g, 0x71374491, w1)
            round(g, h, a, &b, c, d, e, &f, 0xb5c0fbcf, w2)
            round(f, g, h, &a, b, c, d, &e, 0xe9b5dba5, w3)
            round(e, f, g, &h, a, b, c, &d, 0x3956c25b, w4)
            round(d, e, f, &g, h, a, b, &c, 0x59f111f1, w5)
            round(c, d, e, &f, g, h, a, &b, 0x923f82a4, w6)
            round(b, c, d, &e, f, g, h, &a, 0xab1c5ed5, w7)
            round(a, b, c, &d, e, f, g, &h, 0xd807aa98, w8)
            round(h, a, b, &c, d, e, f, &g, 0x12835b01, w9)
            round(g, h, a, &b, c, d, e, &f, 0x243185be, w10)
            round(f, g, h, &a, b, c, d, &e, 0x550c7dc3, w11)
            round(e, f, g, &h, a, b, c, &d, 0x72be5d74, w12)
            round(d, e, f, &g, h, a, b, &c, 0x80deb1fe, w13)
            round(c, d, e, &f, g, h, a, &b, 0x9bdc06a7, w14)
            round(b, c, d, &e, f, g, h, &a, 0xc19bf174, w15)
            w0 = w0 &+ smallSigma0(w1) &+ w9 &+ smallSigma1(w14)
            round(a, b, c, &d, e, f, g, &h, 0xe49b69c1, w0)
            w1 = w1 &+ smallSigma0(w2) &+ w10 &+ smallSigma1(w15)
            round(h, a, b, &c, d, e, f, &g, 0xefbe4786, w1)
            w2 = w2 &+ smallSigma0(w3) &+ w11 &+ smallSigma1(w0)
            round(g, h, a, &b, c, d, e, &f, 0x0fc19dc6, w2)
            w3 = w3 &+ smallSigma0(w4) &+ w12 &+ smallSigma1(w1)
            round(f, g, h, &a, b, c, d, &e, 0x240ca1cc, w3)
            w4 = w4 &+ smallSigma0(w5) &+ w13 &+ smallSigma1(w2)
            round(e, f, g, &h, a, b, c, &d, 0x2de92c6f, w4)
            w5 = w5 &+ smallSigma0(w6) &+ w14 &+ smallSigma1(w3)
            round(d, e, f, &g, h, a, b, &c, 0x4a7484aa, w5)
            w6 = w6 &+ smallSigma0(w7) &+ w15 &+ smallSigma1(w4)
            round(c, d, e, &f, g, h, a, &b, 0x5cb0a9dc, w6)
            w7 = w7 &+ smallSigma0(w8) &+ w0 &+ smallSigma1(w5)
            round(b, c, d, &e, f, g, h, &a, 0x76f988da, w7)
            w8 = w8 &+ smallSigma0(w9) &+ w1 &+ smallSigma1(w6)
            round(a, b, c, &d, e, f, g, &h, 0x983e5152, w8)
            w9 = w9 &+ smallSigma0(w10) &+ w2 &+ smallSigma1(w7)
            round(h, a, b, &c, d, e, f, &g, 0xa831c66d, w9)
            w10 = w10 &+ smallSigma0(w11) &+ w3 &+ smallSigma1(w8)
            round(g, h, a, &b, c, d, e, &f, 0xb00327c8, w10)
            w11 = w11 &+ smallSigma0(w12) &+ w4 &+ smallSigma1(w9)
            round(f, g, h, &a, b, c, d, &e, 0xbf597fc7, w11)
            w12 = w12 &+ smallSigma0(w13) &+ w5 &+ smallSigma1(w10)
            round(e, f, g, &h, a, b, c, &d, 0xc6e00bf3, w12)
            w13 = w13 &+ smallSigma0(w14) &+ w6 &+ smallSigma1(w11)
            round(d, e, f, &g, h, a, b, &c, 0xd5a79147, w13)
            w14 = w14 &+ smallSigma0(w15) &+ w7 &+ smallSigma1(w12)
            round(c, d, e, &f, g, h, a, &b, 0x06ca6351, w14)
            w15 = w15 &+ smallSigma0(w0) &+ w8 &+ smallSigma1(w13)
            round(b, c, d, &e, f, g, h, &a, 0x14292967, w15)
            w0 = w0 &+ smallSigma0(w1) &+ w9 &+ smallSigma1(w14)
            round(a, b, c, &d, e, f, g, &h, 0x27b70a85, w0)
            w1 = w1 &+ smallSigma0(w2) &+ w10 &+ smallSigma1(w15)
            round(h, a, b, &c, d, e, f, &g, 0x2e1b2138, w1)
            w2 = w2 &+ smallSigma0(w3) &+ w11 &+ smallSigma1(w0)
            round(g, h, a, &b, c, d, e, &f, 0x4d2c6dfc, w2)
            w3 = w3 &+ smallSigma0(w4) &+ w12 &+ smallSigma1(w1)
            round(f, g, h, &a, b, c, d, &e, 0x53380d13, w3)
            w4 = w4 &+ smallSigma0(w5) &+ w13 &+ smallSigma1(w2)
            round(e, f, g, &h, a, b, c, &d, 0x650a7354, w4)
            w5 = w5 &+ smallSigma0(w6) &+ w14 &+ smallSigma1(w3)
            round(d, e, f, &g, h, a, b, &c, 0x766a0abb, w5)
            w6 = w6 &+ smallSigma0(w7) &+ w15 &+ smallSigma1(w4)
            round(c, d, e, &f, g, h, a, &b, 0x81c2c92e, w6)
            w7 = w7 &+ smallSigma0(w8) &+ w0 &+ smallSigma1(w5)
            round(b, c, d, &e, f, g, h, &a, 0x92722c85, w7)
            w8 = w8 &+ smallSigma0(w9) &+ w1 &+ smallSigma1(w6)
            round(a, b, c, &d, e, f, g, &h, 0xa2bfe8a1, w8)
            w9 = w9 &+ smallSigma0(w10) &+ w2 &+ smallSigma1(w7)
            round(h, a, b, &c, d, e, f, &g, 0xa81a664b, w9)
            w10 = w10 &+ smallSigma0(w11) &+ w3 &+ smallSigma1(w8)
            round(g, h, a, &b, c, d, e, &f, 0xc24b8b70, w10)
            w11 = w11 &+ smallSigma0(w12) &+ w4 &+ smallSigma1(w9)
            round(f, g, h, &a, b, c, d, &e, 0xc76c51a3, w11)
            w12 = w12 &+ smallSigma0(w13) &+ w5 &+ smallSigma1(w10)
            round(e, f, g, &h, a, b, c, &d, 0xd192e819, w12)
            w13 = w13 &+ smallSigma0(w14) &+ w6 &+ smallSigma1(w11)
            round(d, e, f, &g, h, a, b, &c, 0xd6990624, w13)
            w14 = w14 &+ smallSigma0(w15) &+ w7 &+ smallSigma1(w12)
            round(c, d, e, &f, g, h, a, &b, 0xf40e3585, w14)
            w15 = w15 &+ smallSigma0(w0) &+ w8 &+ smallSigma1(w13)
            round(b, c, d, &e, f, g, h, &a, 0x106aa070, w15)
            w0 = w0 &+ smallSigma0(w1) &+ w9 &+ smallSigma1(w14)
            round(a, b, c, &d, e, f, g, &h, 0x19a4c116, w0)
            w1 = w1 &+ smallSigma0(w2) &+ w10 &+ smallSigma1(w15)
            round(h, a, b, &c, d, e, f, &g, 0x1e376c08, w1)
            w2 = w2 &+ smallSigma0(w3) &+ w11 &+ smallSigma1(w0)
            round(g, h, a, &b, c, d, e, &f, 0x2748774c, w2)
            w3 = w3 &+ smallSigma0(w4) &+ w12 &+ smallSigma1(w1)
            round(f, g, h, &a, b, c, d, &e, 0x34b0bcb5, w3)
            w4 = w4 &+ smallSigma0(w5) &+ w13 &+ smallSigma1(w2)
            round(e, f, g, &h, a, b, c, &d, 0x391c0cb3, w4)
            w5 = w5 &+ smallSigma0(w6) &+ w14 &+ smallSigma1(w3)
            round(d, e, f, &g, h, a, b, &c, 0x4ed8aa4a, w5)
            w6 = w6 &+ smallSigma0(w7) &+ w15 &+ smallSigma1(w4)
            round(c, d, e, &f, g, h, a, &b, 0x5b9cca4f, w6)
            w7 = w7 &+ smallSigma0(w8) &+ w0 &+ smallSigma1(w5)
            round(b, c, d, &e, f, g, h, &a, 0x682e6ff3, w7)
            w8 = w8 &+ smallSigma0(w9) &+ w1 &+ smallSigma1(w6)
            round(a, b, c, &d, e, f, g, &h, 0x748f82ee, w8)
            w9 = w9 &+ smallSigma0(w10) &+ w2 &+ smallSigma1(w7)
            round(h, a, b, &c, d, e, f, &g, 0x78a5636f, w9)
            w10 = w10 &+ smallSigma0(w11) &+ w3 &+ smallSigma1(w8)
            round(g, h, a, &b, c, d, e, &f, 0x84c87814, w10)
            w11 = w11 &+ smallSigma0(w12) &+ w4 &+ smallSigma1(w9)
            round(f, g, h, &a, b, c, d, &e, 0x8cc70208, w11)
            w12 = w12 &+ smallSigma0(w13) &+ w5 &+ smallSigma1(w10)
            round(e, f, g, &h, a, b, c, &d, 0x90befffa, w12)
            w13 = w13 &+ smallSigma0(w14) &+ w6 &+ smallSigma1(w11)
            round(d, e, f, &g, h, a, b, &c, 0xa4506ceb, w13)
            w14 = w14 &+ smallSigma0(w15) &+ w7 &+ smallSigma1(w12)
            round(c, d, e, &f, g, h, a, &b, 0xbef9a3f7, w14)
            w15 = w15 &+ smallSigma0(w0) &+ w8 &+ smallSigma1(w13)
            round(b, c, d, &e, f, g, h, &a, 0xc67178f2, w15)

            h0 = h0 &+ a; h1 = h1 &+ b; h2 = h2 &+ c; h3 = h3 &+ d
            h4 = h4 &+ e; h5 = h5 &+ f; h6 = h6 &+ g; h7 = h7 &+ h
        }
        state = (h0, h1, h2, h3, h4, h5, h6, h7)
    }
}

@inline(__always) private func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 { (x &>> n) | (x &<< (32 &- n)) }
@inline(__always) private func smallSigma0(_ x: UInt32) -> UInt32 { rotr(x, 7) ^ rotr(x, 18) ^ (x &>> 3) }
@inline(__always) private func smallSigma1(_ x: UInt32) -> UInt32 { rotr(x, 17) ^ rotr(x, 19) ^ (x &>> 10) }

/// One round; the caller rotates which variable plays which part (`d` becomes the new `e`,
/// `h` the new `a`).
@inline(__always) private func round(_ a: UInt32, _ b: UInt32, _ c: UInt32, _ d: inout UInt32,
                                     _ e: UInt32, _ f: UInt32, _ g: UInt32, _ h: inout UInt32, _ k: UInt32, _ w: UInt32) {
    let t1 = h &+ (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) &+ (g ^ (e & (f ^ g))) &+ k &+ w
    let t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) &+ (((a | b) & c) | (a & b))
    d = d &+ t1
    h = t1 &+ t2
}
