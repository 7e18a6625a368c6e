@testable import Ticketing
import XCTest

/// Which language a customer is answered in, and where it came from.
final class CustomerLanguageTests: XCTestCase {
    func resolve(_ profile: CustomerProfile?, _ headers: [HeaderField], queue: String? = "en") -> (String?, String) {
        let r = CustomerLanguage.resolve(profile: profile, headers: headers, queueDefault: queue)
        return (r.language, r.source)
    }

    func testTheCustomersListWinsThenContentLanguageThenAcceptLanguageThenTheQueue() {
        let headers = [HeaderField("Content-Language", "ru-RU"), HeaderField("Accept-Language", "uk;q=0.9, de-DE")]
        XCTAssertTrue(resolve(CustomerProfile(match: "@x.y", language: "de-AT"), headers) == ("de", "customers"))
        XCTAssertTrue(resolve(CustomerProfile(match: "@x.y"), headers) == ("ru", "Content-Language"), "a profile without a language")
        XCTAssertTrue(resolve(nil, [headers[1]]) == ("de", "Accept-Language"), "the highest q wins")
        XCTAssertTrue(resolve(nil, []) == ("en", "queue"))
        XCTAssertTrue(resolve(nil, [], queue: nil) == (nil, "none"))
    }

    func testOddHeadersAreSkippedNotTrusted() {
        XCTAssertTrue(resolve(nil, [HeaderField("Content-Language", "*, 12")]) == ("en", "queue"))
        XCTAssertTrue(resolve(nil, [HeaderField("Accept-Language", "fr;q=0, *;q=0.5")]) == ("en", "queue"))
        XCTAssertTrue(resolve(nil, [HeaderField("Accept-Language", "en-GB;q=0.8, uk")]) == ("uk", "Accept-Language"))
    }
}
