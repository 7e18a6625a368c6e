import Foundation
import Ticketing

/// How agents work by e-mail: what proves a mail is an agent's, and the mail-client workflow
/// (`agent_proof`, `trusted_authserv_ids`, `plus_addressing`, `assign_on_first_reply`,
/// `macros_directory`, `agent_attachment_limit`).
public struct AgentWorkflowConfig: Sendable, Equatable {
    public var proof: AgentProofPolicy = .replyOrDKIM
    /// authserv-ids of our own MX whose `Authentication-Results` we trust (RFC 8601).
    public var trustedAuthservIDs: [String] = []
    /// The MTA delivers `support+anything@` to `support@`: notices then carry a per-agent
    /// `Reply-To: support+N-a…@` and the `support+N-note@` address.
    public var plusAddressing = false
    /// The first agent reply on an unassigned ticket assigns it to that agent.
    public var assignOnFirstReply = true
    /// Canned answers: `#macro NAME` inserts `<directory>/NAME.txt`.
    public var macrosDirectory: String?
    /// Total bytes of a customer's attachments carried on an agent notice; above it they are listed.
    public var attachmentLimit = 10 * 1024 * 1024

    public init() {}

    static let keys = ["agent_proof", "trusted_authserv_ids", "plus_addressing", "assign_on_first_reply",
                       "macros_directory", "agent_attachment_limit"]

    static func parse(_ root: ConfigReader, into config: inout Config) throws {
        var w = AgentWorkflowConfig()
        if let p = try root.choice("agent_proof", AgentProofPolicy.allCases.map(\.rawValue)) { w.proof = AgentProofPolicy(rawValue: p)! }
        if let ids = root.child("trusted_authserv_ids") {
            for (i, item) in try ids.items().enumerated() {
                guard case let .string(id) = item.value, !id.isEmpty, !id.contains(where: { $0 == ";" || $0.isWhitespace }) else {
                    throw ids.fail("must be a list of host names (the authserv-id your MX writes)", at: "[\(i)]")
                }
                w.trustedAuthservIDs.append(id.lowercased())
            }
        }
        w.plusAddressing = try root.bool("plus_addressing") ?? false
        w.assignOnFirstReply = try root.bool("assign_on_first_reply") ?? true
        if let dir = try root.string("macros_directory") {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: dir, isDirectory: &isDir), isDir.boolValue else {
                throw root.fail("no such directory", at: "macros_directory")
            }
            w.macrosDirectory = dir
        }
        w.attachmentLimit = try root.int("agent_attachment_limit", range: 0...1_000_000_000) ?? w.attachmentLimit
        if w.proof == .none {
            config.warnings.append("\(config.file): agent_proof is none: anyone can act as an agent by writing an agent's address in From")
        } else if w.proof == .dkim && w.trustedAuthservIDs.isEmpty {
            throw root.fail("agent_proof dkim needs trusted_authserv_ids (the authserv-id your MX writes in Authentication-Results)", at: "agent_proof")
        }
        config.agentWorkflow = w
    }
}
