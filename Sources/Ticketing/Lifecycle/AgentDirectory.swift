/// The configured agents, for commands that name one: `#assign alice@example.com`,
/// `#assign Alice Agent`, `#assign alice`. Only a configured agent can be named.
public struct AgentDirectory: Sendable, Equatable {
    /// Normalised address → display name.
    public var agents: [String: String?]

    public init(_ agents: [(address: String, name: String?)]) {
        var map: [String: String?] = [:]
        for a in agents { map[Address.normalised(a.address)] = a.name }
        self.agents = map
    }

    /// The agent's address for `text` (an address, a full name, or the part before the "@"),
    /// or nil when nobody or more than one agent answers to it.
    public func resolve(_ text: String) -> String? {
        let wanted = text.trimmingWhitespace().lowercased()
        guard !wanted.isEmpty else { return nil }
        if wanted.contains("@") { return agents[Address.normalised(wanted)] != nil ? Address.normalised(wanted) : nil }
        let byName = agents.filter { ($0.value ?? nil)?.lowercased() == wanted }.map(\.key)
        if byName.count == 1 { return byName[0] }
        let byLocal = agents.keys.filter { Address.localPart($0) == wanted }
        if byName.isEmpty, byLocal.count == 1 { return byLocal[0] }
        return nil
    }
}
