@testable import Transport
import XCTest

final class ServerURLTests: XCTestCase {
    func testIMAPAndSMTPEndpointsGiveLibcurlTheirSchemeHostPortAndPath() {
        XCTAssertEqual(IMAPEndpoint(host: "mail.example.com", port: 143, user: "u", credential: .password("p")).url,
                       "imap://mail.example.com:143/")
        XCTAssertEqual(IMAPEndpoint(host: "::1", port: 993, implicitTLS: true, user: "u", credential: .password("p")).url,
                       "imaps://[::1]:993/")
        XCTAssertEqual(SMTPEndpoint(host: "127.0.0.1", port: 25).url, "smtp://127.0.0.1:25")
        XCTAssertEqual(SMTPEndpoint(host: "2001:db8::5", port: 465, implicitTLS: true, heloName: "desk.example.com").url,
                       "smtps://[2001:db8::5]:465/desk.example.com")
    }
}
