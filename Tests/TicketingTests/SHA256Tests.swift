import XCTest
@testable import Ticketing

final class SHA256Tests: XCTestCase {
    /// FIPS 180-2 appendix B and the NIST example vectors (also run on each engine: SHA256EngineTests).
    static let fipsVectors: [(String, String)] = [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
        ("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
         "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"),
    ]

    func testDigestsMatchTheFIPSVectors() {
        for (input, expected) in Self.fipsVectors {
            XCTAssertEqual(SHA256.hex(Array(input.utf8)), expected, "SHA-256(\"\(input)\")")
        }
    }

    func testOneMillionAsMatchesTheFIPSVector() {
        var hasher = SHA256()
        let chunk = [UInt8](repeating: UInt8(ascii: "a"), count: 1000)
        for _ in 0..<1000 { hasher.update(chunk) }
        XCTAssertEqual(Hex.encode(hasher.finalize()), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    func testStreamingInAnyPiecesGivesTheOneShotDigest() {
        let data = (0..<1_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        let whole = SHA256.hash(data)
        for split in [0, 1, 55, 56, 63, 64, 65, 127, 128, 999, 1_000] {
            var hasher = SHA256()
            hasher.update(data[..<split])
            hasher.update(data[split...])
            XCTAssertEqual(hasher.finalize(), whole, "split at \(split)")
        }
        var bytewise = SHA256()
        for byte in data { bytewise.update([byte]) }
        XCTAssertEqual(bytewise.finalize(), whole)
    }

    func testBodyHashIgnoresWhitespaceRewrapping() {
        XCTAssertEqual(BodyHash.of("Hello  world\r\nbye"), BodyHash.of("Hello world bye\n"))
        XCTAssertNotEqual(BodyHash.of("Hello world"), BodyHash.of("Hello world!"))
    }
}
