/// What the config says about a customer or a customer's whole domain (`customers`).
public struct CustomerProfile: Sendable, Equatable {
    /// `ceo@bigcorp.com` (one address) or `@bigcorp.com` (the domain and its subdomains), lowercased.
    public var match: String
    public var vip: Bool
    public var tags: [String]
    /// The account manager: an agent's address.
    public var agent: String?
    /// BCP 47 tag, e.g. `de`.
    public var language: String?
    public var name: String?

    public init(match: String, vip: Bool = false, tags: [String] = [], agent: String? = nil,
                language: String? = nil, name: String? = nil) {
        self.match = match.lowercased()
        self.vip = vip
        self.tags = tags
        self.agent = agent
        self.language = language
        self.name = name
    }

    public var isDomain: Bool { match.hasPrefix("@") }
}

/// The customers list, looked up by address: an exact address wins over its domain, a
/// longer domain over a shorter one (`@eu.bigcorp.com` before `@bigcorp.com`).
public struct CustomerDirectory: Sendable, Equatable {
    private var byAddress: [String: CustomerProfile] = [:]
    private var byDomain: [String: CustomerProfile] = [:]
    public private(set) var profiles: [CustomerProfile] = []

    public init(_ profiles: [CustomerProfile] = []) {
        for p in profiles {
            if p.isDomain { byDomain[String(p.match.dropFirst())] = p } else { byAddress[p.match] = p }
        }
        self.profiles = profiles
    }

    public func profile(for address: String) -> CustomerProfile? {
        let address = Address.normalised(address)
        if let exact = byAddress[address] { return exact }
        guard !byDomain.isEmpty, let at = address.lastIndex(of: "@") else { return nil }
        var domain = Substring(address[address.index(after: at)...])
        while !domain.isEmpty {
            if let found = byDomain[String(domain)] { return found }
            guard let dot = domain.firstIndex(of: ".") else { break }
            domain = domain[domain.index(after: dot)...]
        }
        return nil
    }
}
