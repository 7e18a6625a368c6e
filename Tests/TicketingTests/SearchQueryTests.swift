import Ticketing
import XCTest

/// What a person types becomes an FTS5 query that means what they meant.
final class SearchQueryTests: XCTestCase {
    func testPlainWordsPassThrough() {
        XCTAssertEqual(SearchQuery.fts("printer  jam"), "printer jam")
        XCTAssertEqual(SearchQuery.fts("принтер Größe"), "принтер Größe")
    }

    func testWordsWithSignsBecomePhrases() {
        XCTAssertEqual(SearchQuery.fts("ann@example.com"), "\"ann@example.com\"")
        XCTAssertEqual(SearchQuery.fts("C++ v1.2"), "\"C++\" \"v1.2\"")
    }

    func testOperatorsPrefixesGroupsAndColumnsAreKept() {
        XCTAssertEqual(SearchQuery.fts("print* OR fax NOT (toner)"), "print* OR fax NOT (toner)")
        XCTAssertEqual(SearchQuery.fts("subject:invoice body:ann@x.test"), "subject:invoice body:\"ann@x.test\"")
    }

    func testAQueryWithQuotesIsFTS5AsWritten() {
        XCTAssertEqual(SearchQuery.fts("\"paper tray\" jam"), "\"paper tray\" jam")
    }
}
