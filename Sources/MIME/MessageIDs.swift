/// Message-ID, In-Reply-To and References values: lists of `<id>` tolerant of missing brackets,
/// comments and junk between them. Works on UTF-8 bytes: References can be long.
enum MessageIDs {
    /// The IDs in order, without angle brackets, duplicates removed.
    static func parse(_ text: String) -> [String] {
        let u = Array(text.utf8)
        var ids: [String] = []
        var seen = Set<String>()
        func add(_ bytes: ArraySlice<UInt8>) {
            guard !bytes.isEmpty, bytes.count <= 998 else { return }
            let id = String(decoding: bytes, as: UTF8.self)
            if seen.insert(id).inserted { ids.append(id) }
        }
        @inline(__always) func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0D || b == 0x0A }
        if u.contains(0x3C) {
            var i = 0
            while i < u.count {
                guard u[i] == 0x3C else { i += 1; continue }
                var j = i + 1
                var inner: [UInt8] = []
                while j < u.count, u[j] != 0x3E {
                    if !isSpace(u[j]) { inner.append(u[j]) }
                    j += 1
                }
                if j >= u.count {
                    // Unterminated: take up to the next space.
                    let end = u[(i + 1)...].firstIndex(where: isSpace) ?? u.count
                    add(u[(i + 1)..<end])
                    break
                }
                add(inner[...])
                i = j + 1
            }
            return ids
        }
        // No brackets: whitespace- or comma-separated tokens that look like IDs.
        var start = 0
        for k in 0...u.count {
            if k == u.count || isSpace(u[k]) || u[k] == 0x2C {
                let token = u[start..<k]
                if token.contains(0x40) || token.count >= 8 { add(token) }
                start = k + 1
            }
        }
        return ids
    }
}
