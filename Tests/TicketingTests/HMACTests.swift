import XCTest
@testable import Ticketing
import TestSupport

final class HMACTests: XCTestCase {
    /// RFC 4231 section 4, test cases 1 to 7, HMAC-SHA-256 column. Case 5 is compared truncated to 128 bits.
    func testAllRFC4231TestCases() {
        let longKey = [UInt8](repeating: 0xaa, count: 131)
        let cases: [(name: String, key: [UInt8], data: [UInt8], mac: String)] = [
            ("1", [UInt8](repeating: 0x0b, count: 20), Array("Hi There".utf8),
             "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
            ("2", Array("Jefe".utf8), Array("what do ya want for nothing?".utf8),
             "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
            ("3", [UInt8](repeating: 0xaa, count: 20), [UInt8](repeating: 0xdd, count: 50),
             "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"),
            ("4", Array(1...25), [UInt8](repeating: 0xcd, count: 50),
             "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"),
            ("5", [UInt8](repeating: 0x0c, count: 20), Array("Test With Truncation".utf8),
             "a3b6167473100ee06e0c796c2955552b"),
            ("6", longKey, Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8),
             "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"),
            ("7", longKey, Array(("This is a test using a larger than block-size key and a larger than block-size data. "
                                  + "The key needs to be hashed before being used by the HMAC algorithm.").utf8),
             "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"),
        ]
        for test in cases {
            let mac = Hex.encode(HMAC.sha256(key: test.key, message: test.data))
            XCTAssertEqual(String(mac.prefix(test.mac.count)), test.mac, "RFC 4231 case \(test.name)")
        }
    }

    func testStreamingUpdatesGiveTheOneShotMAC() {
        var mac = HMAC(key: Array("Jefe".utf8))
        mac.update(Array("what do ya ".utf8))
        mac.update(Array("want for nothing?".utf8))
        XCTAssertEqual(Hex.encode(mac.finalize()), "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }

    func testConstantTimeEqualityComparesContentsAndLength() {
        XCTAssertTrue(ConstantTime.equals([1, 2, 3], [1, 2, 3]))
        XCTAssertFalse(ConstantTime.equals([1, 2, 3], [1, 2, 4]))
        XCTAssertFalse(ConstantTime.equals([1, 2, 3], [1, 2]))
        XCTAssertTrue(ConstantTime.equals("k7f3q", "k7f3q"))
        XCTAssertFalse(ConstantTime.equals("k7f3q", "k7f3r"))
    }

    func testSigningKeyRoundTripsThroughHexAndRefusesShortKeys() throws {
        var generator = SeededGenerator(seed: 1)
        let key = SigningKey.generate(using: &generator)
        XCTAssertEqual(key.bytes.count, 32)
        XCTAssertEqual(SigningKey(hex: key.hex + "\n"), key)
        XCTAssertNil(SigningKey(hex: "abcd"))
        XCTAssertNil(SigningKey(hex: "zz"))
        XCTAssertFalse(String(describing: key).contains(key.hex), "the key never appears in descriptions")
    }

    func testBase32EncodesPerRFC4648InLowercase() {
        // RFC 4648 section 10 vectors, lowercase and unpadded.
        let vectors = ["": "", "f": "my", "fo": "mzxq", "foo": "mzxw6", "foob": "mzxw6yq", "fooba": "mzxw6ytb", "foobar": "mzxw6ytboi"]
        for (input, expected) in vectors { XCTAssertEqual(Base32.encode(Array(input.utf8)), expected, input) }
    }
}
