import CLI
import Foundation
import TestSupport
import XCTest

/// `postdesk parse`: how operators see what postdesk made of a message.
final class ParseCommandTests: XCTestCase {
    func run(_ argv: [String]) -> (code: Int32, out: String, err: String) {
        let captured = CapturedOutput()
        let code = Postdesk.main(argv, io: captured.io(), clock: FakeClock())
        return (code, captured.out, captured.err)
    }

    func testParsePrintsHeadersTreeTextAndDefects() {
        let r = run(["parse", Fixtures.url("mime/boundary-missing.eml").path])
        XCTAssertEqual(r.code, 0, "defects are not an error")
        XCTAssertTrue(r.out.contains("MIME tree:"), r.out)
        XCTAssertTrue(r.out.lowercased().contains("defect"), r.out)
    }

    func testParseJSONHasTheDocumentedKeys() throws {
        let r = run(["parse", "--json", Fixtures.url("mime/address-forms.eml").path])
        XCTAssertEqual(r.code, 0, r.err)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any])
        for key in ["from", "to", "cc", "subject", "date", "message_id", "in_reply_to", "references", "text",
                    "reply_text", "attachments", "parts", "defects"] {
            XCTAssertNotNil(object[key], "key \(key)")
        }
    }

    func testParseOfAMissingFileExits66() {
        let r = run(["parse", "/nonexistent/message.eml"])
        XCTAssertEqual(r.code, 66)
        XCTAssertTrue(r.err.contains("/nonexistent/message.eml"), r.err)
    }

    func testParseWithoutAFileIsAUsageError() {
        XCTAssertEqual(run(["parse"]).code, 64)
    }
}

/// The man page is generated from `--help`; troff wants plain ASCII there.
final class HelpTextTests: XCTestCase {
    func testEveryHelpTextIsPlainASCII() {
        var texts = [Postdesk.mainHelp()]
        texts += CommandTable.all.map(\.fullHelp)
        for text in texts {
            let odd = text.unicodeScalars.filter { $0.value > 0x7E || ($0.value < 0x20 && $0 != "\n") }
            XCTAssertTrue(odd.isEmpty, "non-ASCII in help: \(String(String.UnicodeScalarView(odd)))\n\(text.prefix(80))")
        }
    }
}
