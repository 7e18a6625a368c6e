/// Which proofs make a configured agent's mail count as the agent's (`agent_proof` in config).
public enum AgentProofPolicy: String, Sendable, Equatable, CaseIterable {
    /// A reply handle or a trusted DMARC/DKIM pass.
    case replyOrDKIM = "reply-or-dkim"
    case reply
    case dkim
    /// The From header alone (the old, forgeable behaviour).
    case none

    var acceptsReply: Bool { self == .replyOrDKIM || self == .reply }
    var acceptsDKIM: Bool { self == .replyOrDKIM || self == .dkim }
}

/// What made (or failed to make) a message from an agent's address count as the agent's.
/// Stored with the decision on the message and shown by `postdesk explain`.
public enum AgentProof: Sendable, Equatable {
    /// A reply handle for this ticket and this agent: where it was found.
    case replyHandle(String)
    /// A trusted `Authentication-Results` header: its id and the passing result.
    case authenticated(String)
    /// `agent_proof: none`.
    case notRequired
    /// No proof: why not.
    case unverified(String)

    public var isProven: Bool {
        if case .unverified = self { return false }
        return true
    }

    public var explanation: String {
        switch self {
        case let .replyHandle(where_): return "reply handle in \(where_)"
        case let .authenticated(what): return "authenticated by \(what)"
        case .notRequired: return "not required (agent_proof none)"
        case let .unverified(why): return why
        }
    }
}

/// Checks an agent's proof: a reply handle (our per-agent, per-ticket Message-ID in
/// In-Reply-To/References, or the plus-address in To/Cc) or the topmost `Authentication-Results`
/// header of a trusted server saying DMARC or aligned DKIM passed for the From domain.
public struct AgentProofVerifier: Sendable {
    public var policy: AgentProofPolicy
    /// Lowercased authserv-ids whose headers we trust (our own MX); empty turns DKIM proof off.
    public var trustedAuthservIDs: Set<String>
    public var signer: MessageIDSigner
    /// Our addresses whose `+N-a…` form carries an agent's handle.
    public var plusAddressBases: [String]

    public init(policy: AgentProofPolicy, trustedAuthservIDs: [String], signer: MessageIDSigner, plusAddressBases: [String]) {
        self.policy = policy
        self.trustedAuthservIDs = Set(trustedAuthservIDs.map { $0.lowercased() })
        self.signer = signer
        self.plusAddressBases = plusAddressBases
    }

    /// The proof for `facts` coming from `agent` about ticket `ticket` (nil: no ticket joined).
    public func prove(_ facts: InboundFacts, ticket: Int?, agent: String) -> AgentProof {
        if policy == .none { return .notRequired }
        var missing: [String] = []
        if policy.acceptsReply {
            if let ticket, let found = replyHandle(facts, ticket: ticket, agent: agent) { return .replyHandle(found) }
            missing.append(ticket == nil ? "no ticket to hold a reply handle for" : "no reply handle of this agent for ticket #\(ticket!)")
        }
        if policy.acceptsDKIM {
            if trustedAuthservIDs.isEmpty {
                missing.append("no trusted_authserv_ids configured")
            } else if let header = trustedResults(facts.headers) {
                let domain = Self.domain(of: facts.from)
                if let pass = header.pass(for: domain) { return .authenticated("\(header.authservID) \(pass)") }
                missing.append("\(header.authservID) has no dmarc or aligned dkim pass for \(domain)")
            } else {
                missing.append("no Authentication-Results from a trusted server")
            }
        }
        return .unverified("agent not proven: " + missing.joined(separator: "; "))
    }

    /// Where a valid handle for this ticket and agent sits, if anywhere.
    func replyHandle(_ facts: InboundFacts, ticket: Int, agent: String) -> String? {
        for id in facts.inReplyTo.prefix(64) where signer.isHandle(id, ticket: ticket, agent: agent) { return "In-Reply-To" }
        for id in facts.references.suffix(64) where signer.isHandle(id, ticket: ticket, agent: agent) { return "References" }
        let expected = signer.agentAddressToken(ticket: ticket, agent: agent)
        for address in (facts.to + facts.cc + facts.deliveredTo).prefix(200) {
            let lower = Address.normalised(address)
            for base in plusAddressBases {
                let b = Address.normalised(base)
                guard let at = b.lastIndex(of: "@") else { continue }
                let candidate = "\(b[..<at])+\(ticket)-\(expected)\(b[at...])"
                if ConstantTime.equals(lower, candidate) { return "plus-address" }
            }
        }
        return nil
    }

    /// The topmost `Authentication-Results` header added by a trusted server; those below it (and
    /// any other server's) can be written by the sender and are ignored.
    public func trustedResults(_ headers: [HeaderField]) -> AuthenticationResults? {
        guard !trustedAuthservIDs.isEmpty else { return nil }
        for h in headers.prefix(500) where h.name.lowercased() == "authentication-results" {
            if let parsed = AuthenticationResults(h.value), trustedAuthservIDs.contains(parsed.authservID) { return parsed }
        }
        return nil
    }

    /// Whether a trusted header says the From domain failed (DMARC fail, or DKIM fail with no DKIM
    /// pass): a participant's address in From is then forged. Nil when nothing trusted says so.
    public func forgery(_ facts: InboundFacts) -> String? {
        guard let header = trustedResults(facts.headers) else { return nil }
        let domain = Self.domain(of: facts.from)
        return header.failure(for: domain).map { "\(header.authservID) \($0)" }
    }

    static func domain(of address: String) -> String {
        let normal = Address.normalised(address)
        guard let at = normal.lastIndex(of: "@") else { return normal }
        return String(normal[normal.index(after: at)...])
    }
}

extension AuthenticationResults {
    /// "dmarc=pass header.from=example.com" or "dkim=pass header.d=example.com" when one holds for `domain`.
    func pass(for domain: String) -> String? {
        guard !domain.isEmpty else { return nil }
        for r in results where r.method == "dmarc" && r.result == "pass" {
            let from = r.properties["header.from"]?.lowercased()
            if from == nil || from == domain { return "dmarc=pass header.from=\(domain)" }
        }
        for r in results where r.method == "dkim" && r.result == "pass" {
            if let d = r.properties["header.d"]?.lowercased(), d == domain { return "dkim=pass header.d=\(domain)" }
            if let i = r.properties["header.i"]?.lowercased(), AgentProofVerifier.domain(of: i) == domain { return "dkim=pass header.i=\(i)" }
        }
        return nil
    }

    /// "dmarc=fail" or "dkim=fail" when the header says the From domain failed.
    func failure(for domain: String) -> String? {
        for r in results where r.method == "dmarc" && r.result == "fail" {
            let from = r.properties["header.from"]?.lowercased()
            if from == nil || from == domain { return "dmarc=fail header.from=\(domain)" }
        }
        let dkim = results.filter { $0.method == "dkim" }
        if dkim.contains(where: { $0.result == "fail" }), !dkim.contains(where: { $0.result == "pass" }) {
            return "dkim=fail for \(domain), no dkim pass"
        }
        return nil
    }
}
