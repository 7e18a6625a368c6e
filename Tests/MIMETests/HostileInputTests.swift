import MIME
import XCTest
import TestSupport

/// Hostile input is bounded: each limit gives a defect and a message that is still usable, and
/// nothing crashes, hangs or grows out of proportion to the input.
final class HostileInputTests: XCTestCase {
    func testTenThousandDeepMultipartStopsAtTheDepthLimit() {
        var text = "From: a@example.com\r\nSubject: deep\r\n"
        let depth = 10_000
        for i in 0..<depth { text += "Content-Type: multipart/mixed; boundary=\"b\(i)\"\r\n\r\n--b\(i)\r\n" }
        text += "Content-Type: text/plain\r\n\r\ndeep inside\r\n"
        for i in (0..<depth).reversed() { text += "--b\(i)--\r\n" }
        let m = Message.parse(Array(text.utf8))
        XCTAssertEqual(m.subject, "deep")
        XCTAssertTrue(m.defects.contains { $0.kind == .depthLimit })
        var levels = 0
        var e = m.root
        while let child = e.children.first { e = child; levels += 1 }
        XCTAssertEqual(levels, ParserLimits.default.maxDepth)
        XCTAssertEqual(e.contentType, "application/octet-stream", "the rest is kept as opaque content")
        XCTAssertFalse(e.body.isEmpty)
    }

    func testTenThousandNestedMessagesStopAtTheDepthLimitWithoutCopies() {
        var bytes = Array("Subject: outer\r\n".utf8)
        for _ in 0..<10_000 { bytes += Array("Content-Type: message/rfc822\r\n\r\nSubject: inner\r\n".utf8) }
        bytes += Array("\r\nbottom\r\n".utf8)
        let m = Message.parse(bytes)
        XCTAssertEqual(m.subject, "outer")
        XCTAssertEqual(m.defects.filter { $0.kind == .depthLimit }.count, 1)
        XCTAssertEqual(m.attachments.count, 1, "the enclosed message is one attachment")
    }

    func testHundredThousandPartsStopAtThePartLimit() {
        var bytes = Array("From: a@example.com\r\nContent-Type: multipart/mixed; boundary=p\r\n\r\n".utf8)
        let part = Array("--p\r\nContent-Type: text/plain\r\n\r\nx\r\n".utf8)
        bytes.reserveCapacity(bytes.count + part.count * 100_000 + 16)
        for _ in 0..<100_000 { bytes += part }
        bytes += Array("--p--\r\n".utf8)
        let m = Message.parse(bytes)
        XCTAssertEqual(m.root.children.count, ParserLimits.default.maxParts - 1, "the root counts as one part")
        XCTAssertEqual(m.defects.filter { $0.kind == .partLimit }.count, 1)
        XCTAssertEqual(m.text?.hasPrefix("x\n\nx"), true)
    }

    func testFiftyMegabyteBase64PartDecodes() {
        let line = Array("QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAxMjM0\r\n".utf8)
        let lines = 50 * 1024 * 1024 / line.count
        var bytes = Array("From: a@example.com\r\nContent-Type: multipart/mixed; boundary=big\r\n\r\n--big\r\nContent-Type: text/plain\r\n\r\nsee file\r\n--big\r\nContent-Type: application/octet-stream; name=big.bin\r\nContent-Transfer-Encoding: base64\r\n\r\n".utf8)
        bytes.reserveCapacity(lines * line.count + 1024)
        for _ in 0..<lines { bytes += line }
        bytes += Array("--big--\r\n".utf8)
        let m = Message.parse(bytes)
        XCTAssertEqual(m.text, "see file")
        XCTAssertEqual(m.attachments.first?.size, lines * 57)
        XCTAssertTrue(m.defects.isEmpty, "\(m.defects)")
    }

    func testAMegabyteHeaderIsCutWithADefect() {
        let huge = [UInt8](repeating: 0x61, count: 1 << 20)
        let m = Sample.subject(huge)
        XCTAssertEqual(m.subject?.utf8.count, ParserLimits.default.maxHeaderLength - 1, "cut, then the leading space trimmed")
        XCTAssertEqual(Sample.kinds(m), [.headerLineTooLong])
        XCTAssertEqual(m.text, "body")
        // The same amount as a million folded lines.
        var folded = Array("To: a@example.com\r\nReferences: <r@x>".utf8)
        for _ in 0..<(1 << 17) { folded += Array("\r\n <a@b>".utf8) }
        folded += Array("\r\n\r\nbody\r\n".utf8)
        let f = Message.parse(folded)
        XCTAssertEqual(f.to.first?.address, "a@example.com")
        XCTAssertTrue(Sample.kinds(f).contains(.headerLineTooLong))
        XCTAssertEqual(f.text, "body")
    }

    func testTooManyHeadersAreDroppedWithADefect() {
        var text = "Subject: many\r\n"
        for i in 0..<5_000 { text += "X-H\(i): v\r\n" }
        text += "\r\nbody\r\n"
        let m = Message.parse(Array(text.utf8))
        XCTAssertEqual(m.headers.count, ParserLimits.default.maxHeaders)
        XCTAssertEqual(Sample.kinds(m), [.tooManyHeaders])
        XCTAssertEqual(m.subject, "many")
    }

    func testTheTotalSizeLimitCutsTheInput() {
        var limits = ParserLimits.default
        limits.maxMessageBytes = 64
        let input = Sample.bytes("Subject: s\n\n" + String(repeating: "long body line\n", count: 100))
        let m = Message.parse(input, limits: limits)
        XCTAssertEqual(m.subject, "s")
        XCTAssertEqual(m.defects.first?.kind, .sizeLimit)
        XCTAssertLessThan(m.text?.utf8.count ?? 0, 64)
        XCTAssertEqual(m.size, input.count, "size reports the whole input")
    }

    func testRandomBytesNeverCrash() {
        var rng = SeededGenerator(seed: 0x5EED)
        for round in 0..<300 {
            let count = Int(rng.next() % 8_192)
            var bytes = [UInt8](repeating: 0, count: count)
            for i in 0..<count { bytes[i] = UInt8(truncatingIfNeeded: rng.next()) }
            if round % 3 == 0 { bytes = Array("Content-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\n".utf8) + bytes }
            let m = Message.parse(bytes)
            _ = m.rendered()
            XCTAssertLessThanOrEqual(m.attachments.reduce(0) { $0 + $1.size }, bytes.count)
        }
    }

    func testEmptyInputIsAnEmptyMessage() {
        let m = Message.parse([])
        XCTAssertTrue(m.headers.isEmpty)
        XCTAssertNil(m.text)
        XCTAssertTrue(m.defects.isEmpty)
    }
}

extension HostileInputTests {
    func testAHeaderFullOfUnterminatedEncodedWordsStaysLinear() {
        let junk = [UInt8](String(repeating: "=?utf-8?q?ab ", count: 5_000).utf8)   // 65 KB, no "?="
        let m = Sample.subject(junk)
        XCTAssertEqual(m.subject?.utf8.count, junk.count - 1, "kept as written, minus the trailing space")
    }
}

extension HostileInputTests {
    func testThousandsOfParametersAreCutWithADefect() {
        let params = String(repeating: "; a=1", count: 10_000)
        let m = Message.parse(Array("Content-Type: text/plain; charset=utf-8\(params)\r\n\r\nbody\r\n".utf8))
        XCTAssertEqual(m.root.charset, "utf-8")
        XCTAssertEqual(m.text, "body")
        XCTAssertTrue(Sample.kinds(m).contains(.invalidParameter))
    }
}
