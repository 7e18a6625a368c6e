import CCurl
import XCTest
@testable import Transport

final class TransportErrorTests: XCTestCase {
    private func classify(_ code: CURLcode) -> TransportError {
        TransportError.curl(code, host: "mail.example.test:993", command: "LOGIN", message: "detail", service: "IMAP")
    }

    func testARefusedLoginIsPermanentAndSaysWhatToFix() {
        let e = classify(CURLE_LOGIN_DENIED)
        XCTAssertEqual(e.kind, .auth)
        XCTAssertEqual(e.disposition, .permanent)
        XCTAssertTrue(e.description.contains("check the user name and the password"), e.description)
    }

    func testNetworkTroubleIsTemporary() {
        for code in [CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_OPERATION_TIMEDOUT, CURLE_RECV_ERROR,
                     CURLE_SEND_ERROR, CURLE_GOT_NOTHING, CURLE_SSL_CONNECT_ERROR] {
            XCTAssertEqual(classify(code).disposition, .temporary, "\(code)")
        }
        XCTAssertEqual(classify(CURLE_OPERATION_TIMEDOUT).kind, .timeout)
    }

    func testCertificateAndSTARTTLSProblemsArePermanentTLSErrors() {
        for code in [CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CACERT_BADFILE, CURLE_USE_SSL_FAILED] {
            XCTAssertEqual(classify(code).kind, .tls, "\(code)")
            XCTAssertEqual(classify(code).disposition, .permanent, "\(code)")
        }
        XCTAssertTrue(classify(CURLE_USE_SSL_FAILED).message.contains("STARTTLS"))
    }

    func testTheDescriptionNamesHostCommandAndDisposition() {
        XCTAssertEqual(classify(CURLE_COULDNT_CONNECT).description,
                       "connect error at mail.example.test:993 during LOGIN: detail (temporary)")
    }
}
