import TestSupport
import XCTest
@testable import Ticketing

/// The hardware compression (CSHA256: SHA-NI / ARMv8 SHA2) against the Swift one: the FIPS vectors
/// on both, and the same digest for random inputs of random lengths fed in random pieces.
final class SHA256EngineTests: XCTestCase {
    func engines() throws -> [SHA256.Engine] {
        SHA256.preferredEngine == .hardware ? [.hardware, .software] : [.software]
    }

    func digest(_ bytes: [UInt8], engine: SHA256.Engine, splits: [Int] = []) -> String {
        var hasher = SHA256(engine: engine)
        var start = 0
        for split in splits.sorted() where split >= start && split <= bytes.count {
            hasher.update(bytes[start..<split])
            start = split
        }
        hasher.update(bytes[start...])
        return Hex.encode(hasher.finalize())
    }

    func testBothEnginesGiveTheFIPSDigests() throws {
        for engine in try engines() {
            XCTAssertEqual(SHA256(engine: engine).engine, engine)
            for (input, expected) in SHA256Tests.fipsVectors {
                XCTAssertEqual(digest(Array(input.utf8), engine: engine), expected, "\(engine) \"\(input)\"")
            }
            let million = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
            XCTAssertEqual(digest(million, engine: engine, splits: [1, 64, 999_999]),
                           "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0", "\(engine) a×10⁶")
        }
    }

    func testHardwareAndSoftwareAgreeOnRandomInputsAndSplits() throws {
        guard SHA256.preferredEngine == .hardware else {
            throw XCTSkip("this CPU has no SHA-256 instructions: only the Swift engine runs here")
        }
        var random = SeededGenerator(seed: 0x5EED_17)
        for round in 0..<340 {
            // Lengths around every block boundary up to a few blocks, then some large ones.
            let length = round < 300 ? Int.random(in: 0...300, using: &random) : Int.random(in: 0...65_536, using: &random)
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &random) }
            let splits = (0..<Int.random(in: 0...4, using: &random)).map { _ in Int.random(in: 0...length, using: &random) }
            XCTAssertEqual(digest(bytes, engine: .hardware, splits: splits), digest(bytes, engine: .software),
                           "length \(length), splits \(splits)")
        }
    }

    func testAskingForHardwareOnACPUWithoutItGivesSoftware() {
        let hasher = SHA256(engine: .hardware)
        XCTAssertEqual(hasher.engine, SHA256.preferredEngine)
        XCTAssertEqual(SHA256(engine: .software).engine, .software)
    }
}
