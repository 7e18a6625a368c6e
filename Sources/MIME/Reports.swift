/// Finding report parts and reading their header-style field blocks.
enum Reports {
    /// Depth-first search of the tree (not into enclosed messages).
    static func find(_ entity: Entity, where match: (Entity) -> Bool) -> Entity? {
        if match(entity) { return entity }
        for child in entity.children { if let hit = find(child, where: match) { return hit } }
        return nil
    }

    static let perRecipient: Set<String> = ["final-recipient", "original-recipient", "action", "status"]

    /// Header-style field blocks separated by blank lines, names lowercased.
    static func fieldBlocks(_ content: ArraySlice<UInt8>) -> [[String: String]] {
        let bytes = Array(content)
        let parser = MessageParser(buf: bytes, context: ParseContext(limits: .default))
        var blocks: [[String: String]] = []
        var i = 0
        while i < bytes.count, blocks.count < 1000 {
            // Skip blank lines between blocks.
            while i < bytes.count, bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x20 || bytes[i] == 0x09 { i += 1 }
            guard i < bytes.count else { break }
            var defects: [Defect] = []
            let (headers, next) = parser.parseHeaders(i..<bytes.count, path: "", defects: &defects)
            if !headers.isEmpty {
                var block: [String: String] = [:]
                for h in headers {
                    let name = h.name.lowercased()
                    // Two recipient groups run together without a blank line: a per-recipient field
                    // comes again, or an Original-Recipient follows a finished group.
                    let repeated = block[name] != nil && perRecipient.contains(name)
                    let nextOriginal = name == "original-recipient" && block["final-recipient"] != nil && block["action"] != nil
                    if repeated || nextOriginal { blocks.append(block); block = [:] }
                    if block[name] == nil { block[name] = h.value }
                }
                blocks.append(block)
            }
            // A line that is not a field: skip it.
            if next <= i { i = (bytes[i...].firstIndex(of: 0x0A) ?? bytes.count - 1) + 1 } else { i = next }
            if headers.isEmpty, next > i { continue }
        }
        return blocks
    }
}
