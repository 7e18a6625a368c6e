import XCTest
import TestSupport
@testable import Ticketing

/// Every proof path of an agent's mail: reply handles (right and wrong agent, ticket, MAC,
/// plus-address) and trusted `Authentication-Results` (trusted or not, topmost only, aligned
/// domains), under each `agent_proof` policy.
final class AgentProofTests: XCTestCase {
    let signer = MessageIDSigner(key: TestKeys.key, domain: "desk.example.com")
    let agent = "agent1@example.test"
    let other = "agent2@example.test"

    func verifier(_ policy: AgentProofPolicy = .replyOrDKIM, trusted: [String] = ["mx.example.test"]) -> AgentProofVerifier {
        AgentProofVerifier(policy: policy, trustedAuthservIDs: trusted, signer: signer, plusAddressBases: ["support@desk.example.com"])
    }

    func facts(from: String = "agent1@example.test", inReplyTo: [String] = [], references: [String] = [], to: [String] = [],
               ar: [String] = []) -> InboundFacts {
        InboundFacts(from: from, to: to, inReplyTo: inReplyTo, references: references,
                     headers: ar.map { HeaderField("Authentication-Results", $0) } + [HeaderField("Subject", "x")])
    }

    func handle(_ ticket: Int, _ who: String) -> String { signer.agentMessageID(ticket: ticket, agent: who, nonce: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]) }

    func tampered(_ id: String) -> String {
        var chars = Array(id)
        let i = chars.lastIndex(of: "@")! - 1
        chars[i] = chars[i] == "a" ? "b" : "a"
        return String(chars)
    }

    func testEveryProofPath() {
        let plus = "support+7-\(signer.agentAddressToken(ticket: 7, agent: agent))@desk.example.com"
        let plusOther = "support+7-\(signer.agentAddressToken(ticket: 7, agent: other))@desk.example.com"
        let rows: [(String, InboundFacts, AgentProofVerifier, AgentProof?)] = [
            ("handle in In-Reply-To", facts(inReplyTo: [handle(7, agent)]), verifier(), .replyHandle("In-Reply-To")),
            ("handle in References", facts(references: ["<x@y>", handle(7, agent)]), verifier(), .replyHandle("References")),
            ("handle, agent address in other case", facts(from: "Agent1@Example.TEST", inReplyTo: [handle(7, agent)]), verifier(), .replyHandle("In-Reply-To")),
            ("handle of another agent", facts(inReplyTo: [handle(7, other)]), verifier(), nil),
            ("handle of another ticket (replayed)", facts(inReplyTo: [handle(8, agent)]), verifier(), nil),
            ("tampered MAC", facts(inReplyTo: [tampered(handle(7, agent))]), verifier(), nil),
            ("a customer's signed Message-ID", facts(inReplyTo: [signer.messageID(ticket: 7, nonce: [1, 2, 3])]), verifier(), nil),
            ("another instance's handle", facts(inReplyTo: [MessageIDSigner(key: TestKeys.otherKey, domain: "desk.example.com")
                .agentMessageID(ticket: 7, agent: agent, nonce: [1])]), verifier(), nil),
            ("plus-address of this agent", facts(to: [plus.uppercased()]), verifier(), .replyHandle("plus-address")),
            ("plus-address of another agent", facts(to: [plusOther]), verifier(), nil),
            ("trusted dmarc=pass", facts(ar: ["mx.example.test; dmarc=pass (p=none) header.from=example.test"]), verifier(),
             .authenticated("mx.example.test dmarc=pass header.from=example.test")),
            ("trusted aligned dkim=pass header.d", facts(ar: ["mx.example.test 1; dkim=pass header.d=Example.test header.s=s1 header.b=abc; spf=fail"]),
             verifier(), .authenticated("mx.example.test dkim=pass header.d=example.test")),
            ("trusted dkim=pass header.i", facts(ar: ["mx.example.test; dkim=pass header.i=@example.test"]), verifier(),
             .authenticated("mx.example.test dkim=pass header.i=@example.test")),
            ("dkim pass for another domain", facts(ar: ["mx.example.test; dkim=pass header.d=evil.test; dmarc=none"]), verifier(), nil),
            ("dmarc pass for another From domain", facts(ar: ["mx.example.test; dmarc=pass header.from=evil.test"]), verifier(), nil),
            ("dmarc=fail", facts(ar: ["mx.example.test; dmarc=fail header.from=example.test"]), verifier(), nil),
            ("untrusted authserv-id", facts(ar: ["mx.evil.test; dmarc=pass header.from=example.test"]), verifier(), nil),
            ("pass forged below the trusted header", facts(ar: ["mx.example.test; dmarc=fail header.from=example.test",
                                                                "mx.example.test; dmarc=pass header.from=example.test"]), verifier(), nil),
            ("trusted header below an untrusted one", facts(ar: ["other.test; dmarc=fail", "mx.example.test; dmarc=pass header.from=example.test"]),
             verifier(), .authenticated("mx.example.test dmarc=pass header.from=example.test")),
            ("no trusted ids configured", facts(ar: ["mx.example.test; dmarc=pass header.from=example.test"]), verifier(trusted: []), nil),
            ("policy reply ignores a dkim pass", facts(ar: ["mx.example.test; dmarc=pass"]), verifier(.reply), nil),
            ("policy dkim ignores a handle", facts(inReplyTo: [handle(7, agent)]), verifier(.dkim), nil),
            ("policy dkim takes a pass", facts(ar: ["mx.example.test; dmarc=pass"]), verifier(.dkim), .authenticated("mx.example.test dmarc=pass header.from=example.test")),
            ("policy none needs nothing", facts(), verifier(.none), .notRequired),
            ("nothing at all", facts(), verifier(), nil),
        ]
        for (name, f, v, expected) in rows {
            let proof = v.prove(f, ticket: 7, agent: agent)
            if let expected {
                XCTAssertEqual(proof, expected, name)
            } else {
                XCTAssertFalse(proof.isProven, "\(name): \(proof)")
                XCTAssertTrue(proof.explanation.hasPrefix("agent not proven: "), proof.explanation)
            }
        }
    }

    func testTheRefusalSaysWhatWasMissing() {
        let proof = verifier().prove(facts(ar: ["mx.example.test; dkim=pass header.d=evil.test"]), ticket: 7, agent: agent)
        XCTAssertEqual(proof, .unverified("agent not proven: no reply handle of this agent for ticket #7; mx.example.test has no dmarc or aligned dkim pass for example.test"))
        XCTAssertEqual(verifier(trusted: []).prove(facts(), ticket: nil, agent: agent),
                       .unverified("agent not proven: no ticket to hold a reply handle for; no trusted_authserv_ids configured"))
    }

    func testATrustedFailureUnmasksAForgedRequester() {
        let v = verifier()
        XCTAssertEqual(v.forgery(facts(from: "jo@customer.test", ar: ["mx.example.test; dmarc=fail header.from=customer.test"])),
                       "mx.example.test dmarc=fail header.from=customer.test")
        XCTAssertNotNil(v.forgery(facts(from: "jo@customer.test", ar: ["mx.example.test; dkim=fail header.d=customer.test"])))
        XCTAssertNil(v.forgery(facts(from: "jo@customer.test", ar: ["mx.example.test; dkim=fail header.d=customer.test; dkim=pass header.d=esp.test"])),
                     "a dkim pass besides the failure is no proof of forgery")
        XCTAssertNil(v.forgery(facts(from: "jo@customer.test", ar: ["mx.evil.test; dmarc=fail"])), "an untrusted header proves nothing")
        XCTAssertNil(v.forgery(facts(from: "jo@customer.test", ar: ["mx.example.test; dmarc=pass", "mx.example.test; dmarc=fail"])),
                     "only the topmost trusted header counts")
    }

    func testAuthenticationResultsParsing() throws {
        let r = try XCTUnwrap(AuthenticationResults("""
            MX.Example.test 1; (comment; with semicolon) dkim = pass (good signature) header.d="example.test"
             header.s=sel; dmarc=pass (p=reject dis=none) header.from=example.test; spf=softfail smtp.mailfrom=x@y
            """))
        XCTAssertEqual(r.authservID, "mx.example.test")
        XCTAssertEqual(r.results.map(\.method), ["dkim", "dmarc", "spf"])
        XCTAssertEqual(r.results[0].result, "pass")
        XCTAssertEqual(r.results[0].properties["header.d"], "example.test")
        XCTAssertEqual(r.results[2].properties["smtp.mailfrom"], "x@y")
        XCTAssertEqual(AuthenticationResults("mx.example.test; none")?.results, [])
        XCTAssertNil(AuthenticationResults("  ; dkim=pass"))
    }

    func testAgentHandlesThreadLikeOurOtherMessageIDsButNeverProveAnythingElse() {
        let id = handle(42, agent)
        XCTAssertTrue(id.hasPrefix("<pd.42.a."), id)
        XCTAssertEqual(signer.ticketNumber(in: id), 42)
        XCTAssertTrue(signer.isAgentHandle(id))
        XCTAssertNil(signer.ticketNumber(in: tampered(id)))
        XCTAssertFalse(signer.isAgentHandle(signer.messageID(ticket: 42, nonce: [1])))
        XCTAssertTrue(signer.isHandle(id, ticket: 42, agent: "AGENT1@example.test"))
        XCTAssertFalse(signer.isHandle(id, ticket: 43, agent: agent))
        XCTAssertNotEqual(signer.agentAddressToken(ticket: 7, agent: agent), signer.agentAddressToken(ticket: 8, agent: agent))
    }
}
