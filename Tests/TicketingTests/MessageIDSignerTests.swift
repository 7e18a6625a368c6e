import XCTest
@testable import Ticketing
import TestSupport

final class MessageIDSignerTests: XCTestCase {
    let signer = MessageIDSigner(key: TestKeys.key, domain: "desk.example.com")

    func testSignedIDsCarryTheTicketNumberAndVerify() {
        var generator = SeededGenerator(seed: 7)
        let id = signer.messageID(ticket: 1234, using: &generator)
        XCTAssertTrue(id.hasPrefix("<pd.1234."), id)
        XCTAssertTrue(id.hasSuffix("@desk.example.com>"), id)
        XCTAssertEqual(signer.ticketNumber(in: id), 1234)
        XCTAssertEqual(signer.ticketNumber(in: String(id.dropFirst().dropLast())), 1234, "brackets optional")
        XCTAssertEqual(signer.ticketNumber(in: id.uppercased()), 1234, "case-folding relays")
        XCTAssertNotEqual(signer.messageID(ticket: 1234, using: &generator), id, "each ID is unique")
    }

    func testDomainChangesDoNotBreakVerification() {
        let id = signer.messageID(ticket: 5, nonce: [1, 2, 3, 4, 5])
        let moved = id.replacingOccurrences(of: "@desk.example.com", with: "@new.example.org")
        XCTAssertEqual(signer.ticketNumber(in: moved), 5)
    }

    /// Attempts to mint or alter an ID without the key.
    func testForgedAndAlteredIDsDoNotVerify() {
        let id = signer.messageID(ticket: 1234, nonce: [9, 9, 9, 9, 9, 9, 9, 9, 9, 9])
        let parts = id.dropFirst().dropLast().split(separator: "@")[0].split(separator: ".")
        let (nonce, mac) = (parts[2], parts[3])
        let forgeries = [
            "<pd.1235.\(nonce).\(mac)@desk.example.com>",                 // number changed
            "<pd.1234.\(nonce)a.\(mac)@desk.example.com>",                // nonce changed
            "<pd.1234.\(nonce).\(mac.dropLast())a@desk.example.com>",     // mac altered
            "<pd.1234.\(nonce).\(mac.prefix(10))@desk.example.com>",      // mac truncated
            "<pd.1234.\(nonce)@desk.example.com>",                        // mac missing
            MessageIDSigner(key: TestKeys.otherKey, domain: "desk.example.com").messageID(ticket: 1234, nonce: [1]),
            "<CAF=abc@mail.gmail.com>", "", "<>", "<pd.@x>", "<pd.99999999999999999999.aa.bb@x>",
            String(repeating: "a", count: 10_000),
        ]
        for forged in forgeries { XCTAssertNil(signer.ticketNumber(in: forged), forged) }
    }

    func testLoopMarkerRecognisesOurInstanceAndOthers() {
        let ours = LoopMarker(key: TestKeys.key)
        let theirs = LoopMarker(key: TestKeys.otherKey)
        XCTAssertEqual(ours.header.name, "X-Postdesk-Loop")
        XCTAssertNotEqual(ours.instanceID, theirs.instanceID)
        XCTAssertFalse(TestKeys.key.hex.contains(ours.instanceID))
        XCTAssertTrue(ours.isOurs([HeaderField("x-postdesk-loop", " \(ours.instanceID) ")]))
        XCTAssertFalse(ours.isOurs([theirs.header]))
        XCTAssertTrue(LoopMarker.isPresent(in: [theirs.header]))
        XCTAssertEqual(ours.automaticHeaders.map(\.name), ["X-Postdesk-Loop", "Auto-Submitted", "X-Auto-Response-Suppress"])
    }
}
