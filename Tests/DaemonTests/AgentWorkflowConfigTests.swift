import Daemon
import Foundation
import Ticketing
import XCTest

/// The agent keys of the config: proof policy, trusted authserv-ids, workflow switches.
final class AgentWorkflowConfigTests: XCTestCase {
    func parse(_ text: String) throws -> Config { try Config.parse(Array(text.utf8), file: "config.json") }

    func problem(_ text: String) -> String {
        do { _ = try parse(text); XCTFail("expected a config error"); return "" } catch { return "\(error)" }
    }

    func testDefaultsAreReplyOrDKIMWithoutTrustedServers() throws {
        let w = try parse("{}").agentWorkflow
        XCTAssertEqual(w.proof, .replyOrDKIM)
        XCTAssertEqual(w.trustedAuthservIDs, [])
        XCTAssertFalse(w.plusAddressing)
    }

    func testEveryKeyIsRead() throws {
        let w = try parse("""
            {"agent_proof": "dkim", "trusted_authserv_ids": ["MX.Example.com"], "plus_addressing": true}
            """).agentWorkflow
        XCTAssertEqual(w.proof, .dkim)
        XCTAssertEqual(w.trustedAuthservIDs, ["mx.example.com"])
        XCTAssertTrue(w.plusAddressing)
    }

    func testBadValuesNameTheKey() {
        XCTAssertTrue(problem(#"{"agent_proof": "from"}"#).contains("agent_proof"))
        XCTAssertTrue(problem(#"{"agent_proof": "dkim"}"#).contains("agent_proof: agent_proof dkim needs trusted_authserv_ids"))
        XCTAssertTrue(problem(#"{"trusted_authserv_ids": ["mx example"]}"#).contains("trusted_authserv_ids[0]"))
        XCTAssertTrue(problem(#"{"trusted_authserv_ids": "mx.example.com"}"#).contains("trusted_authserv_ids"))
        XCTAssertTrue(problem(#"{"agent_proofs": "none"}"#).contains("agent_proofs"))
    }

    func testProofOffIsAWarning() throws {
        let config = try parse(#"{"agent_proof": "none"}"#)
        XCTAssertEqual(config.agentWorkflow.proof, AgentProofPolicy.none)
        XCTAssertTrue(config.warnings.contains { $0.contains("agent_proof is none") }, "\(config.warnings)")
    }

    func testMacrosAreLoadedAndCheckedAtStart() throws {
        let dir = NSTemporaryDirectory() + "macros-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Data("Hello {{customer.email}}, see ticket {{ticket.number}}.".utf8).write(to: URL(fileURLWithPath: dir + "/hello.txt"))
        XCTAssertEqual(try parse("{\"macros_directory\": \"\(dir)\"}").agentWorkflow.macros.keys.sorted(), ["hello"])
        try Data("Hi {{customer.nmae}}".utf8).write(to: URL(fileURLWithPath: dir + "/typo.txt"))
        XCTAssertTrue(problem("{\"macros_directory\": \"\(dir)\"}").contains("typo.txt"))
        XCTAssertTrue(problem(#"{"macros_directory": "/nonexistent/macros"}"#).contains("macros_directory"))
    }
}
