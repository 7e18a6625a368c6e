import Foundation
import Ticketing

/// A group of agents that `assign` actions pick from.
public struct GroupConfig: Sendable, Equatable {
    public var name: String
    /// Agents' addresses: those listed here plus those naming the group in their `groups`.
    public var agents: [String]
}

/// The routing part of the config: `rules` / `rules_file`, `groups`, `customers`, and the routing
/// keys of `queues` and `agents`. Every error names the file, the rule (index and name) and the key.
enum RulesConfig {
    static let queueKeys: Set<String> = ["name", "address", "addresses", "priority", "calendar", "time_zone", "language",
                                         "agents", "groups"]
    static let agentKeys: Set<String> = ["email", "name", "groups", "time_zone", "hours", "away", "max_open"]

    static func parseQueue(_ q: ConfigReader) throws -> QueueConfig {
        _ = try q.object(allowed: queueKeys)
        var addresses = try q.string("address").map { [$0] } ?? []
        for a in try stringList(q, "addresses") ?? [] where !addresses.contains(a) { addresses.append(a) }
        for (i, a) in addresses.enumerated() where !a.contains("@") {
            throw q.fail("must be an e-mail address", at: q.value["addresses"] == nil ? "address" : "addresses[\(i)]")
        }
        let zone = try CalendarConfig.timeZone(q)
        let name = try q.requiredString("name")
        let agents = try stringList(q, "agents"), groups = try stringList(q, "groups")
        // Leaving both keys out means every agent; an empty list written out is a slip (emptied by
        // hand or by a generator), and reading it as "everyone" would mail the whole team unasked.
        if agents != nil || groups != nil, agents?.isEmpty ?? true, groups?.isEmpty ?? true {
            throw q.fail("queue \"\(name)\" lists no agents: name its agents or groups, or leave out the key for every agent",
                         at: agents != nil ? "agents" : "groups")
        }
        return QueueConfig(name: name, addresses: addresses,
                           priority: try q.choice("priority", TicketPriority.allCases.map(\.rawValue)).flatMap(TicketPriority.init),
                           calendar: try q.string("calendar"), timeZone: zone, language: try q.string("language"),
                           agents: agents ?? [], groups: groups ?? [])
    }

    static func parseAgent(_ a: ConfigReader) throws -> AgentConfig {
        _ = try a.object(allowed: agentKeys)
        let email = try a.requiredString("email")
        guard email.contains("@") else { throw a.fail("must be an e-mail address", at: "email") }
        let zone = try CalendarConfig.timeZone(a) ?? TimeZone(identifier: "UTC")!
        var hours: WorkingCalendar?
        if let text = try a.string("hours") {
            do { hours = WorkingCalendar(name: email.lowercased(), timeZone: zone, hours: try WeeklyHours.parse(text)) } catch {
                throw a.fail(error.reason, at: "hours")
            }
        }
        return AgentConfig(email: email.lowercased(), name: try a.string("name"), groups: try stringList(a, "groups") ?? [],
                           hours: hours, away: try a.bool("away") ?? false,
                           maxOpen: try a.int("max_open", range: 1...100_000))
    }

    /// `groups`, `customers`, then the rules (which may name all of those); the one call from `Config.parse`.
    static func parse(_ root: ConfigReader, into config: inout Config) throws {
        let queueList = try root.child("queues")?.items() ?? []
        for (queue, reader) in zip(config.queues, queueList) {
            if let name = queue.calendar, name != WorkingCalendar.alwaysName, config.calendars[name] == nil {
                throw reader.fail("names no calendar defined under calendars (\"\(name)\")", at: "calendar")
            }
        }
        config.groups = try parseGroups(root, agents: &config.agents)
        try resolveQueueMembers(queueList, config: &config)
        config.customers = CustomerDirectory(try parseCustomers(root, agents: config.agents))
        let (rules, warnings) = try parseRules(root, config: config)
        config.rules = rules
        config.warnings += warnings
    }

    static func parseGroups(_ root: ConfigReader, agents: inout [AgentConfig]) throws -> [GroupConfig] {
        var groups: [GroupConfig] = []
        if let section = root.child("groups") {
            switch section.value {
            case .array:
                for item in try section.items() {
                    guard case .string(let name) = item.value, !name.isEmpty else { throw item.fail("must be a group name") }
                    if groups.contains(where: { $0.name == name }) { throw item.fail("duplicate group \"\(name)\"") }
                    groups.append(GroupConfig(name: name, agents: []))
                }
            case .object(let pairs):
                for (name, _) in pairs {
                    let g = section.child(name)!
                    _ = try g.object(allowed: ["agents"])
                    var members: [String] = []
                    for (i, email) in (try stringList(g, "agents") ?? []).enumerated() {
                        guard agents.contains(where: { $0.email == email.lowercased() }) else {
                            throw g.fail("names no agent defined under agents", at: "agents[\(i)]")
                        }
                        members.append(email.lowercased())
                    }
                    groups.append(GroupConfig(name: name, agents: members))
                }
            default: throw section.fail("must be a list of names or an object of groups")
            }
        }
        let agentList = root.child("agents").map { (try? $0.items()) ?? [] } ?? []
        for (index, agent) in agents.enumerated() {
            for (i, name) in agent.groups.enumerated() {
                guard let g = groups.firstIndex(where: { $0.name == name }) else {
                    let reader = index < agentList.count ? agentList[index] : root
                    throw reader.fail("names no group defined under groups", at: "groups[\(i)]")
                }
                if !groups[g].agents.contains(agent.email) { groups[g].agents.append(agent.email) }
            }
        }
        for group in groups {
            for email in group.agents {
                if let i = agents.firstIndex(where: { $0.email == email }), !agents[i].groups.contains(group.name) {
                    agents[i].groups.append(group.name)
                }
            }
        }
        return groups
    }

    /// `queues[].agents` (addresses or names) and `queues[].groups` become the queue's agents'
    /// addresses; `config.queueMembers` is built from them (a queue naming neither: every agent).
    static func resolveQueueMembers(_ readers: [ConfigReader], config: inout Config) throws {
        var byQueue: [String: [String]] = [:]
        for (index, reader) in readers.enumerated() where index < config.queues.count {
            let queue = config.queues[index]
            guard !queue.agents.isEmpty || !queue.groups.isEmpty else { continue }
            var members: [String] = []
            for (i, who) in queue.agents.enumerated() {
                let key = reader.value["agents"].map { if case .string = $0 { "agents" } else { "agents[\(i)]" } } ?? "agents"
                let email = try agentAddress(who, agents: config.agents, reader: reader, key: key)
                if !members.contains(email) { members.append(email) }
            }
            for (i, name) in queue.groups.enumerated() {
                guard let group = config.groups.first(where: { $0.name == name }) else {
                    let key = reader.value["groups"].map { if case .string = $0 { "groups" } else { "groups[\(i)]" } } ?? "groups"
                    throw reader.fail("names no group defined under groups (\"\(name)\")\(hint(name, config.groups.map(\.name)))", at: key)
                }
                for email in group.agents where !members.contains(email) { members.append(email) }
            }
            config.queues[index].agents = members
            if members.isEmpty {
                config.warnings.append("\(reader.file): \(reader.path): queue \"\(queue.name)\" names groups without agents; its notices go to every agent")
            } else {
                byQueue[queue.name] = members
            }
        }
        config.queueMembers = QueueMembers(agents: config.agents.map(\.email), queues: byQueue)
    }

    static func parseCustomers(_ root: ConfigReader, agents: [AgentConfig]) throws -> [CustomerProfile] {
        guard let section = root.child("customers") else { return [] }
        var profiles: [CustomerProfile] = []
        for c in try section.items() {
            _ = try c.object(allowed: ["match", "vip", "tags", "agent", "language", "name"])
            let match = try c.requiredString("match").lowercased()
            let valid = match.hasPrefix("@") ? match.count > 2 && !match.dropFirst().contains("@")
                                             : match.split(separator: "@").count == 2 && match.filter { $0 == "@" }.count == 1
            guard valid else { throw c.fail("must be an address (ceo@bigcorp.com) or a domain (@bigcorp.com)", at: "match") }
            if profiles.contains(where: { $0.match == match }) { throw c.fail("duplicate customer \"\(match)\"", at: "match") }
            let agent = try c.string("agent").map { try agentAddress($0, agents: agents, reader: c, key: "agent") }
            profiles.append(CustomerProfile(match: match, vip: try c.bool("vip") ?? false, tags: try stringList(c, "tags") ?? [],
                                            agent: agent, language: try c.string("language"), name: try c.string("name")))
        }
        return profiles
    }

    /// An agent's address from an address or a configured name (case-insensitive).
    static func agentAddress(_ text: String, agents: [AgentConfig], reader: ConfigReader, key: String?) throws -> String {
        let lower = text.lowercased()
        if let agent = agents.first(where: { $0.email == lower || $0.name?.lowercased() == lower }) { return agent.email }
        let known = agents.map(\.email) + agents.compactMap(\.name)
        throw reader.fail("names no agent defined under agents (\"\(text)\")\(hint(text, known))", at: key)
    }

    /// " (did you mean "x"?)" when one of `options` is close to `word` (case-insensitive).
    static func hint(_ word: String, _ options: [String]) -> String {
        let lower = word.lowercased()
        guard let best = options.min(by: { editDistance($0.lowercased(), lower) < editDistance($1.lowercased(), lower) }),
              editDistance(best.lowercased(), lower) <= 2 else { return "" }
        return " (did you mean \"\(best)\"?)"
    }

    static func stringList(_ r: ConfigReader, _ key: String) throws -> [String]? {
        guard let child = r.child(key) else { return nil }
        if case .string(let one) = child.value { return [one] }
        guard case .array = child.value else { throw child.fail("must be a string or a list of strings") }
        return try child.items().map { item in
            guard case .string(let s) = item.value, !s.isEmpty else { throw item.fail("must be a non-empty string") }
            return s
        }
    }

    // MARK: - Rules

    static func parseRules(_ root: ConfigReader, config: Config) throws -> (RuleSet, [String]) {
        let inline = root.child("rules")
        let fileName = try root.path("rules_file")
        if inline != nil && fileName != nil { throw root.fail("give only one of rules, rules_file") }
        var list: ConfigReader
        if let inline {
            list = inline
        } else if let path = fileName {
            var isDirectory: ObjCBool = false
            guard !(FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue),
                  let data = FileManager.default.contents(atPath: path) else {
                throw root.fail(ConfigReader.unreadableFile(path), at: "rules_file")
            }
            let json: JSON
            do { json = try JSON.parse(Array(data)) } catch let e as JSON.SyntaxError {
                throw ConfigError(file: path, key: nil, reason: "not valid JSON: \(e)")
            }
            let top = ConfigReader(file: path, path: "", value: json)
            if case .object = json {
                _ = try top.object(allowed: ["rules"])
                guard let r = top.child("rules") else { throw top.fail("is required", at: "rules") }
                list = r
            } else {
                list = ConfigReader(file: path, path: "rules", value: json)
            }
        } else {
            return (.empty, [])
        }
        let parser = RuleParser(config: config, policies: slaPolicyNames(root))
        var rules: [Rule] = []
        for (index, item) in try list.items().enumerated() {
            let rule = try parser.rule(item, index: index)
            if let first = rules.firstIndex(where: { $0.name == rule.name }) {
                throw ConfigError(file: item.file, key: "rules[\(index)] \"\(rule.name)\".name",
                                  reason: "duplicate rule name (also rules[\(first)])")
            }
            rules.append(rule)
        }
        return (RuleSet(rules), try businessHoursWarnings(rules, items: try list.items(), config: config))
    }

    /// `arrival: outside_business_hours` is read in the queue's calendar; a queue without working
    /// hours (no calendar, or `24x7`) is always open, so the condition never holds there. With no
    /// such queue at all it could never match: refused. With some: a warning naming the others.
    static func businessHoursWarnings(_ rules: [Rule], items: [ConfigReader], config: Config) throws -> [String] {
        func uses(_ c: RuleCondition) -> Bool {
            switch c {
            case .arrival(.outsideBusinessHours): return true
            case .all(let items), .any(let items): return items.contains(where: uses)
            case .not(let inner): return uses(inner)
            case .test, .arrival: return false
            }
        }
        let queues = config.queues.isEmpty ? [QueueConfig(name: config.defaultQueue)] : config.queues
        let open = queues.filter { $0.calendar == nil || $0.calendar == WorkingCalendar.alwaysName }.map(\.name)
        var warnings: [String] = []
        for (index, rule) in rules.enumerated() where uses(rule.when) {
            let key = "rules[\(index)] \"\(rule.name)\".when"
            if open.count == queues.count {
                throw ConfigError(file: items[index].file, key: key,
                                  reason: "arrival outside_business_hours needs working hours, and no queue has them (give queues a calendar)")
            }
            if !open.isEmpty {
                warnings.append("\(items[index].file): \(key): arrival outside_business_hours never holds in queues without working hours (\(open.joined(separator: ", ")))")
            }
        }
        return warnings
    }

    /// Names of the SLA policies (`sla_policies`, defined by the SLA part), when there are any.
    static func slaPolicyNames(_ root: ConfigReader) -> Set<String> {
        guard case .object(let pairs)? = root.value["sla_policies"] else { return [] }
        return Set(pairs.map(\.0))
    }
}
