import XCTest
import TestSupport
@testable import Ticketing

final class SendRateLimiterTests: XCTestCase {
    func testFiveAnHourThenSilenceReportingTheFirstSuppressionOnce() {
        let clock = FakeClock()
        var limiter = SendRateLimiter()
        var verdicts: [SendRateLimiter.Verdict] = []
        for index in 0..<8 {
            verdicts.append(limiter.admit("Jo@Customer.example", bodyHash: "body-\(index)", at: clock.now()))
            clock.advance(by: 60)
        }
        XCTAssertEqual(verdicts, Array(repeating: .send, count: 5) + [
            .suppress(.rateLimit, first: true), .suppress(.rateLimit, first: false), .suppress(.rateLimit, first: false),
        ])
        XCTAssertEqual(limiter.admit("other@example.com", at: clock.now()), .send, "limits are per address")
        clock.advance(by: 3_600)
        XCTAssertEqual(limiter.admit("jo@customer.example", bodyHash: "later", at: clock.now()), .send, "the window slides")
    }

    func testSuppressionReportsFirstAgainAfterSendingResumes() {
        let clock = FakeClock()
        var limiter = SendRateLimiter(limit: 1, window: 100)
        XCTAssertEqual(limiter.admit("a@x", at: clock.now()), .send)
        XCTAssertEqual(limiter.admit("a@x", at: clock.now()), .suppress(.rateLimit, first: true))
        clock.advance(by: 100)
        XCTAssertEqual(limiter.admit("a@x", at: clock.now()), .send)
        XCTAssertEqual(limiter.admit("a@x", at: clock.now()), .suppress(.rateLimit, first: true))
    }

    func testTheSameBodyToTheSameAddressIsSentOnce() {
        let clock = FakeClock()
        var limiter = SendRateLimiter(repeatWindow: 3_600)
        XCTAssertEqual(limiter.admit("a@x", bodyHash: "h1", at: clock.now()), .send)
        clock.advance(by: 600)
        XCTAssertEqual(limiter.admit("a@x", bodyHash: "h1", at: clock.now()), .suppress(.repeatedBody, first: true))
        XCTAssertEqual(limiter.admit("b@x", bodyHash: "h1", at: clock.now()), .send, "another address may get it")
        XCTAssertEqual(limiter.admit("a@x", bodyHash: "h2", at: clock.now()), .send)
        clock.advance(by: 3_600)
        XCTAssertEqual(limiter.admit("a@x", bodyHash: "h1", at: clock.now()), .send, "after the repeat window")
    }

    func testStateSurvivesARestartThroughItsHistory() throws {
        let clock = FakeClock()
        var limiter = SendRateLimiter(limit: 2)
        _ = limiter.admit("a@x", bodyHash: "h", at: clock.now())
        _ = limiter.admit("a@x", at: clock.now())
        let saved = try JSONEncoder().encode(limiter.history)
        var restored = SendRateLimiter(limit: 2, history: try JSONDecoder().decode([SendRateLimiter.History].self, from: saved))
        XCTAssertEqual(restored.history, limiter.history)
        XCTAssertEqual(restored.admit("a@x", at: clock.now()), .suppress(.rateLimit, first: true))
    }

    func testPruningForgetsIdleAddressesAndTheAddressCountIsBounded() {
        let clock = FakeClock()
        var limiter = SendRateLimiter(repeatWindow: 3_600, maxAddresses: 10)
        for index in 0..<25 { _ = limiter.admit("user\(index)@x", at: clock.now()); clock.advance(by: 1) }
        XCTAssertEqual(limiter.history.count, 10)
        XCTAssertTrue(limiter.history.contains { $0.address == "user24@x" }, "the most recent are kept")
        clock.advance(by: 7_200)
        limiter.prune(at: clock.now())
        XCTAssertEqual(limiter.history, [])
    }
}
