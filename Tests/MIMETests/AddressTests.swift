import MIME
import XCTest

/// Address list headers in the forms RFC 5322 allows and the ones mail really carries.
final class AddressTests: XCTestCase {
    func to(_ value: String) -> Message { Sample.message("From: x@example.com\nTo: \(value)\n\nbody\n") }

    func testDisplayNamesQuotedStringsAndNormalizedAddress() {
        let m = to("\"Joe Q. Public\" <John.Q.Public@Example.COM>, Mary Smith <mary@x.test>")
        XCTAssertEqual(m.to, [MailboxAddress(name: "Joe Q. Public", address: "John.Q.Public@Example.COM"),
                              MailboxAddress(name: "Mary Smith", address: "mary@x.test")])
        XCTAssertEqual(m.to.first?.normalized, "john.q.public@example.com")
    }

    func testGroupsYieldTheirMembersAndEmptyGroupsNothing() {
        let m = to("A Group:Ed Jones <c@a.test>,joe@where.test,John <jdoe@one.test>;, undisclosed-recipients:;")
        XCTAssertEqual(m.to.map(\.address), ["c@a.test", "joe@where.test", "jdoe@one.test"])
        XCTAssertTrue(m.defects.isEmpty)
    }

    func testCommentsBecomeTheNameWhenThereIsNoOther() {
        let m = Sample.message("From: MAILER-DAEMON@mx1.example.com (Mail Delivery System)\n\nx\n")
        XCTAssertEqual(m.sender, MailboxAddress(name: "Mail Delivery System", address: "MAILER-DAEMON@mx1.example.com"))
        let p = Sample.message("From: Pete(A nice \\) chap) <pete(his account)@silly.test(his host)>\n\nx\n")
        XCTAssertEqual(p.from, [MailboxAddress(name: "Pete", address: "pete@silly.test")])
    }

    func testEncodedDisplayNamesDecode() {
        XCTAssertEqual(to("=?utf-8?B?6YO955C5?= <g@example.cn>").to.first?.name, "都琹")
        XCTAssertEqual(to("\"=?iso-8859-1?q?J=F6rg?=\" <j@example.de>").to.first?.name, "Jörg")
    }

    func testObsoleteRoutesAreDropped() {
        XCTAssertEqual(to("Mary <@route1,@route2:mary@x.test>").to.first?.address, "mary@x.test")
    }

    func testMissingAngleBracketsAndUnquotedCommaNames() {
        XCTAssertEqual(to("noangle name noangle@example.com").to, [MailboxAddress(name: "noangle name", address: "noangle@example.com")])
        XCTAssertEqual(to("Smith, John <js@example.com>").to, [MailboxAddress(name: "Smith, John", address: "js@example.com")])
    }

    func testUnparseableEntriesAreSkippedWithADefect() {
        let m = to("just words, ok@example.com")
        XCTAssertEqual(m.to.map(\.address), ["ok@example.com"])
        let bad = to("[??????]")
        XCTAssertTrue(bad.to.isEmpty)
        XCTAssertEqual(Sample.kinds(bad), [.invalidAddress])
    }

    func testSenderFallsBackToTheSenderHeaderAndReturnPathNullIsEmpty() {
        let m = Sample.message("Sender: S <s@example.com>\nReturn-Path: <>\nReply-To: r@example.com\nCc: c@example.com\n\nx\n")
        XCTAssertEqual(m.sender?.address, "s@example.com")
        XCTAssertEqual(m.returnPath, "")
        XCTAssertEqual(m.replyTo.first?.address, "r@example.com")
        XCTAssertEqual(m.cc.first?.address, "c@example.com")
        XCTAssertEqual(Sample.message("Return-Path: <bounce@example.com>\n\nx\n").returnPath, "bounce@example.com")
    }

    func testMultipleFromHeadersSkipTheBrokenOne() {
        let m = Sample.message("From: [??????]\nFrom: =?utf-8?B?6YO955C5?= <ghgbwum@185.com.cn>\n\nx\n")
        XCTAssertEqual(m.sender?.address, "ghgbwum@185.com.cn")
    }
}
