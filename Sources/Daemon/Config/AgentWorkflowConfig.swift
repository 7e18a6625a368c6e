import Foundation
import Ticketing

/// How agents work by e-mail: what proves a mail is an agent's (`agent_proof`,
/// `trusted_authserv_ids`) and whether our address takes `+detail` (`plus_addressing`).
public struct AgentWorkflowConfig: Sendable, Equatable {
    public var proof: AgentProofPolicy = .replyOrDKIM
    /// authserv-ids of our own MX whose `Authentication-Results` we trust (RFC 8601).
    public var trustedAuthservIDs: [String] = []
    /// The MTA delivers `support+anything@` to `support@`: agents' notices then carry a
    /// per-agent `Reply-To: support+N-a…@` (a second reply handle).
    public var plusAddressing = false
    /// The first agent reply on an unassigned ticket assigns it to that agent.
    public var assignOnFirstReply = true
    /// Canned answers for `#macro NAME`: `<macros_directory>/NAME.txt`, parsed as templates.
    public var macros: [String: Template] = [:]
    /// Total bytes of a customer's files carried on an agent's notice; above it they are listed.
    public var attachmentLimit = 10 * 1024 * 1024

    public init() {}

    static let keys = ["agent_proof", "trusted_authserv_ids", "plus_addressing", "agent_attachment_limit", "assign_on_first_reply", "macros_directory"]

    static func parse(_ root: ConfigReader, into config: inout Config) throws {
        var w = AgentWorkflowConfig()
        if let p = try root.choice("agent_proof", AgentProofPolicy.allCases.map(\.rawValue)) { w.proof = AgentProofPolicy(rawValue: p)! }
        if let ids = root.child("trusted_authserv_ids") {
            for item in try ids.items() {
                guard case let .string(id) = item.value, !id.isEmpty, !id.contains(where: { $0 == ";" || $0.isWhitespace }) else {
                    throw item.fail("must be a host name (the authserv-id your MX writes)")
                }
                w.trustedAuthservIDs.append(id.lowercased())
            }
        }
        w.plusAddressing = try root.bool("plus_addressing") ?? false
        w.assignOnFirstReply = try root.bool("assign_on_first_reply") ?? true
        if let dir = try root.path("macros_directory") { w.macros = try loadMacros(dir, root: root) }
        w.attachmentLimit = try root.int("agent_attachment_limit", range: 0...2_000_000_000) ?? w.attachmentLimit
        if w.proof == .none {
            config.warnings.append("\(config.file): agent_proof is none: anyone can act as an agent by writing an agent's address in From")
        } else if w.proof == .dkim && w.trustedAuthservIDs.isEmpty {
            throw root.fail("agent_proof dkim needs trusted_authserv_ids (the authserv-id your MX writes in Authentication-Results)", at: "agent_proof")
        }
        config.agentWorkflow = w
    }

    /// Every `NAME.txt` in `dir` (NAME: lowercase letters, digits, `-`, `_`), each a template with
    /// the notification placeholders; a bad one names its file and line (exit 78).
    static func loadMacros(_ dir: String, root: ConfigReader) throws -> [String: Template] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir) else {
            throw root.fail(ConfigReader.unreadableDirectory(dir), at: "macros_directory")
        }
        var macros: [String: Template] = [:]
        for file in names.sorted() where file.hasSuffix(".txt") {
            let name = String(file.dropLast(4))
            let path = (dir as NSString).appendingPathComponent(file)
            guard !name.isEmpty, name.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "_" }) else {
                throw ConfigError(file: path, key: nil, reason: "a macro's name is lowercase letters, digits, - and _ (used as #macro NAME)")
            }
            guard let data = FileManager.default.contents(atPath: path), data.count <= 65_536,
                  let text = String(data: data, encoding: .utf8) else {
                throw ConfigError(file: path, key: nil, reason: "not readable UTF-8 text of at most 64 KB")
            }
            let template: Template
            do { template = try Template.parse(text.replacingOccurrences(of: "\r\n", with: "\n"), file: path) } catch let e as TemplateError {
                throw ConfigError(file: e.file, key: e.line.map { "line \($0)" }, reason: e.reason)
            }
            // The macro is the message: it cannot quote itself.
            if template.placeholders.contains(.messageText) {
                throw ConfigError(file: path, key: nil, reason: "{{message.text}} cannot be used in a macro (the macro is the message text)")
            }
            macros[name] = template
        }
        return macros
    }
}
