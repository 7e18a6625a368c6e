import Foundation
@testable import MIME
import TestSupport
import XCTest

/// base64 and quoted-printable bodies, tolerant of what real mail does to them.
final class TransferDecodingTests: XCTestCase {
    func body(_ encoded: String, cte: String) -> Message {
        Sample.message("Content-Type: application/octet-stream\nContent-Transfer-Encoding: \(cte)\n\n\(encoded)")
    }

    func testBase64WithLineBreaksDecodesCleanly() {
        let m = body("aGVsbG8g\nd29ybGQ=\n", cte: "base64")
        XCTAssertEqual(m.root.body, Array("hello world".utf8))
        XCTAssertTrue(m.defects.isEmpty)
    }

    func testBase64MissingPaddingAndNoiseStillDecodesWithADefect() {
        let m = body("aGVsbG8g!!d29ybGQ\n", cte: "BASE64")
        XCTAssertEqual(m.root.body, Array("hello world".utf8))
        XCTAssertEqual(Sample.kinds(m), [.invalidBase64])
    }

    func testConcatenatedBase64AfterPaddingKeepsGoing() {
        XCTAssertEqual(body("YQ==Yg==\n", cte: "base64").root.body, Array("ab".utf8))
    }

    func testQuotedPrintableSoftBreaksHexAndTrailingSpace() {
        let m = body("caf=C3=A9 =\nsoft=  \nbreak\n", cte: "quoted-printable")
        XCTAssertEqual(m.root.body, Array("café softbreak\r\n".utf8))
        XCTAssertTrue(m.defects.isEmpty)
    }

    func testQuotedPrintableStrayEqualsIsKeptWithADefect() {
        let m = body("1+1=2 =ZZ\n", cte: "quoted-printable")
        XCTAssertEqual(m.root.body, Array("1+1=2 =ZZ\r\n".utf8))
        XCTAssertEqual(Sample.kinds(m), [.invalidQuotedPrintable])
    }

    func testUnknownTransferEncodingLeavesTheBytesWithADefect() {
        let m = body("begin 644 x\n", cte: "x-binhex")
        XCTAssertEqual(m.root.body, Array("begin 644 x\r\n".utf8))
        XCTAssertEqual(Sample.kinds(m), [.unknownTransferEncoding])
    }
}

extension TransferDecodingTests {
    func testUuencodeDecodesAndNamesTheFile() {
        // "Cat" uuencoded: length 3 ("#"), then "0V%T".
        let m = Sample.message("Content-Type: application/octet-stream\nContent-Transfer-Encoding: x-uuencode\n\nbegin 644 cat.txt\n#0V%T\n`\nend\n")
        XCTAssertEqual(m.root.body, Array("Cat".utf8))
        XCTAssertEqual(m.attachments.first?.filename, "cat.txt")
        XCTAssertTrue(m.defects.isEmpty)
    }

    // MARK: - Attachments stay encoded until asked for (issue 17)

    func testAnAttachmentIsMeasuredAtParseAndDecodedOnlyWhenAskedFor() {
        let m = Sample.message("Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\nhi\n--b\nContent-Type: application/octet-stream\nContent-Transfer-Encoding: base64\n\naGVsbG8g\nd29ybGQ=\n--b--\n")
        let a = m.attachments[0]
        XCTAssertEqual(a.encoding, "base64", "held as the message carries it")
        XCTAssertEqual(a.size, 11, "the decoded size is known without holding the bytes")
        XCTAssertEqual(m.root.children[1].bodySize, 11)
        XCTAssertEqual(a.data, Array("hello world".utf8))
        var pieces: [UInt8] = []
        a.decode { pieces += $0 }
        XCTAssertEqual(pieces, Array("hello world".utf8))
        XCTAssertTrue(m.defects.isEmpty)
    }

    func testAnAttachmentWithNoiseStillGetsItsDefectAtParse() {
        let m = Sample.message("Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: image/png\nContent-Transfer-Encoding: base64\n\naGVsbG8g!!d29ybGQ\n--b\nContent-Type: text/x-log; name=a.log\nContent-Transfer-Encoding: quoted-printable\n\n1+1=2 =ZZ\n--b--\n")
        XCTAssertEqual(Sample.kinds(m), [.invalidBase64, .invalidQuotedPrintable])
        XCTAssertEqual(m.attachments.map(\.data), [Array("hello world".utf8), Array("1+1=2 =ZZ".utf8)])
        XCTAssertEqual(m.attachments.map(\.size), [11, 9])
    }

    /// The random inputs below are seeded, so a failure can be replayed: each message names the
    /// seed, and `POSTDESK_DECODE_SEED=<n>` runs another.
    static let seed = UInt64(ProcessInfo.processInfo.environment["POSTDESK_DECODE_SEED"] ?? "") ?? 0x5EED_0B64

    /// Sizes past 64 KB, the default piece: decoding whole then flushes its buffer mid-input.
    static let pastTheFlush = [65_535, 65_538, 131_075]

    /// Both decoders in pieces of every size from 3 bytes up, and past the 64 KB default, give
    /// back exactly the bytes that were encoded (base64 with noise skipped, quoted-printable with
    /// soft line breaks), each piece at most the size asked for.
    func testStreamedDecodingGivesTheEncodedBytesBackAtEveryPieceSize() {
        var rng = SeededGenerator(seed: Self.seed)
        let hex = Array("0123456789ABCDEF".utf8)
        let sizes = (0..<200).map { _ in Int.random(in: 0...3000, using: &rng) } + Self.pastTheFlush
        for (round, size) in sizes.enumerated() {
            let bytes = (0..<size).map { _ in UInt8.random(in: 0...255, using: &rng) }
            var encoded = Array(Data(bytes).base64EncodedString(options: .lineLength64Characters).utf8)
            if round % 3 == 0, !encoded.isEmpty { encoded.insert(UInt8(ascii: "!"), at: Int.random(in: 0..<encoded.count, using: &rng)) }
            var qp: [UInt8] = []
            for b in bytes {
                if b == 0x3D || b > 0x7E { qp += [0x3D, hex[Int(b >> 4)], hex[Int(b & 15)]] } else { qp.append(b) }
                if Int.random(in: 0..<40, using: &rng) == 0 { qp += Array(["=\n", "=\r\n", "= \t\n"].randomElement(using: &rng)!.utf8) }
            }
            for (input, encoding) in [(encoded, "base64"), (qp, "quoted-printable")] {
                let context = "\(encoding), \(size) bytes, seed \(Self.seed) round \(round)"
                XCTAssertEqual(Array(TransferDecoding.decoded(input[...], encoding: encoding)), bytes, context)
                // Small pieces on the small inputs; the large ones are for the 64 KB flush (and time).
                for chunk in (size > 3000 ? [] : Array(3...8) + [64]) + [4096, 64 << 10] {
                    var pieces: [UInt8] = []
                    var largest = 0
                    let clean = encoding == "base64"
                        ? TransferDecoding.base64(input[...], chunkBytes: chunk) { largest = max(largest, $0.count); pieces += $0 }
                        : TransferDecoding.quotedPrintable(input[...], chunkBytes: chunk) { largest = max(largest, $0.count); pieces += $0 }
                    XCTAssertEqual(pieces, bytes, "\(context), in pieces of \(chunk)")
                    XCTAssertEqual(clean, encoding == "quoted-printable" || round % 3 != 0 || encoded.isEmpty, "\(context), in pieces of \(chunk)")
                    XCTAssertLessThanOrEqual(largest, chunk, "\(context), in pieces of \(chunk)")
                }
            }
        }
    }

    /// The group-at-a-time base64 decoder gives exactly what a plain one-character-at-a-time
    /// decoder gives (bytes and cleanliness), on clean input, odd line lengths, white space,
    /// noise, padding in the middle and at the end, and missing padding; whole, in pieces of 3 to
    /// 8 bytes (its buffer fills inside the group loop), and past the 64 KB default piece.
    func testBase64FastPathAgreesWithACharacterAtATimeDecoder() {
        var rng = SeededGenerator(seed: Self.seed)
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        let extras = Array(" \t\r\n=!-_*".utf8)
        let rounds = 2000
        for round in 0..<(rounds + Self.pastTheFlush.count) {
            var input: [UInt8]
            if round % 2 == 0 || round >= rounds {
                let size = round >= rounds ? Self.pastTheFlush[round - rounds] : Int.random(in: 0...600, using: &rng)
                let bytes = (0..<size).map { _ in UInt8.random(in: 0...255, using: &rng) }
                let lineLength = [Data.Base64EncodingOptions.lineLength64Characters, .lineLength76Characters, []].randomElement(using: &rng)!
                input = Array(Data(bytes).base64EncodedString(options: lineLength.union(.endLineWithLineFeed)).utf8)
                for _ in 0..<Int.random(in: 0...3, using: &rng) where !input.isEmpty {
                    input.insert(extras.randomElement(using: &rng)!, at: Int.random(in: 0...input.count, using: &rng))
                }
                if Bool.random(using: &rng), !input.isEmpty { input.removeLast(Int.random(in: 0...min(3, input.count), using: &rng)) }
            } else {
                input = (0..<Int.random(in: 0...200, using: &rng)).map { _ in
                    Int.random(in: 0..<8, using: &rng) == 0 ? extras.randomElement(using: &rng)! : alphabet.randomElement(using: &rng)!
                }
            }
            let context = "seed \(Self.seed) round \(round): " + (input.count > 600 ? "\(input.count) characters" : String(decoding: input, as: UTF8.self))
            let slow = Self.base64OneCharacterAtATime(input)
            let fast = TransferDecoding.base64(input[...])
            XCTAssertEqual(fast.bytes, slow.bytes, context)
            XCTAssertEqual(fast.clean, slow.clean, context)
            let measured = TransferDecoding.base64Size(input[...])
            XCTAssertEqual(measured.size, slow.bytes.count, "measured without decoding, \(context)")
            XCTAssertEqual(measured.clean, slow.clean, "measured without decoding, \(context)")
            for chunk in 3...8 where round % 4 == 0 && round < rounds {
                var pieces: [UInt8] = []
                let clean = TransferDecoding.base64(input[...], chunkBytes: chunk) { pieces += $0 }
                XCTAssertEqual(pieces, slow.bytes, "in pieces of \(chunk), \(context)")
                XCTAssertEqual(clean, slow.clean, "in pieces of \(chunk), \(context)")
            }
            if slow.bytes.count > 64 << 10 {
                var pieces = 0
                TransferDecoding.base64(input[...]) { _ in pieces += 1 }
                XCTAssertGreaterThan(pieces, 1, "past 64 KB the default piece is flushed mid-input, \(context)")
            }
        }
    }

    /// The reference: RFC 4648 decoding one character at a time, with the parser's tolerance
    /// (white space skipped, noise skipped and flagged, padding ends a group, a group after
    /// padding is flagged, missing padding decoded and flagged).
    static func base64OneCharacterAtATime(_ input: [UInt8]) -> (bytes: [UInt8], clean: Bool) {
        func value(_ c: UInt8) -> Int? {
            switch c {
            case 0x41...0x5A: return Int(c - 0x41)
            case 0x61...0x7A: return Int(c - 0x61) + 26
            case 0x30...0x39: return Int(c - 0x30) + 52
            case 0x2B, 0x2D: return 62
            case 0x2F, 0x5F: return 63
            default: return nil
            }
        }
        var out: [UInt8] = [], clean = true, acc = 0, n = 0, sawPad = false
        func partial() {
            if n == 2 { out.append(UInt8(truncatingIfNeeded: acc >> 4)) }
            else if n == 3 { out.append(UInt8(truncatingIfNeeded: acc >> 10)); out.append(UInt8(truncatingIfNeeded: acc >> 2)) }
        }
        for c in input {
            if let v = value(c) {
                if sawPad { clean = false; sawPad = false }
                acc = acc << 6 | v
                n += 1
                if n == 4 { out += [UInt8(truncatingIfNeeded: acc >> 16), UInt8(truncatingIfNeeded: acc >> 8), UInt8(truncatingIfNeeded: acc)]; acc = 0; n = 0 }
            } else if c == 0x20 || c == 0x09 || c == 0x0D || c == 0x0A {
                continue
            } else if c == 0x3D {
                partial()
                if n == 1 { clean = false }
                acc = 0; n = 0; sawPad = true
            } else {
                clean = false
            }
        }
        if n != 0 { clean = false }
        partial()
        return (out, clean)
    }
}
