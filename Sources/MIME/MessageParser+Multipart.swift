#if canImport(Glibc)
import Glibc
#endif

/// Multipart bodies: finding the delimiter lines and walking the parts.
extension MessageParser {
    /// Splits a multipart body at its delimiter lines and parses each part. Tolerant of indented
    /// delimiters, a boundary parameter with stray white space, and a wrong declared boundary.
    /// False (with a defect) when no delimiter is found: the caller reads the body as text.
    func parseMultipart(_ body: Range<Int>, entity: inout Entity, depth: Int, defects: inout [Defect]) -> Bool {
        let path = entity.path
        guard let boundary = entity.parameters["boundary"], !boundary.isEmpty, boundary.utf8.count <= 200 else {
            defects.append(Defect(.missingBoundaryParameter, path: path, "\(entity.contentType) without a usable boundary; content read as text/plain"))
            return false
        }
        var found = splitMultipart(body, boundary: Array(boundary.utf8), path: path, defects: &defects)
        if !found.boundarySeen {
            // Delimiter lines indented by a broken relay, or a boundary parameter with stray white space.
            found = splitMultipart(body, boundary: Array(boundary.utf8), path: path, defects: &defects, indented: true)
            let trimmed = Array(boundary.trimmedSpace().utf8)
            if !found.boundarySeen, !trimmed.isEmpty, trimmed.count != boundary.utf8.count {
                found = splitMultipart(body, boundary: trimmed, path: path, defects: &defects, indented: true)
            }
            if found.boundarySeen { defects.append(Defect(.indentedBoundary, path: path, "delimiter lines with leading white space")) }
        }
        if !found.boundarySeen, let guessed = guessBoundary(body) {
            // The declared boundary is wrong but the content has delimiter lines of its own.
            defects.append(Defect(.boundaryNotFound, path: path, "declared boundary never appears; used one found in the content"))
            found = splitMultipart(body, boundary: guessed, path: path, defects: &defects)
        }
        guard found.boundarySeen else {
            defects.append(Defect(.boundaryNotFound, path: path, "declared boundary never appears; content read as text/plain"))
            return false
        }
        let childDefault = entity.contentType == "multipart/digest" ? "message/rfc822" : "text/plain"
        for (n, part) in found.parts.enumerated() {
            if context.partCount >= context.limits.maxParts {
                if !context.partLimitReported {
                    context.partLimitReported = true
                    defects.append(Defect(.partLimit, path: path, "more than \(context.limits.maxParts) parts; \(found.parts.count - n) parts here and any later ones dropped"))
                }
                break
            }
            let childPath = path.isEmpty ? "\(n + 1)" : "\(path).\(n + 1)"
            entity.children.append(parseEntity(part, path: childPath, depth: depth + 1, defaultType: childDefault))
        }
        if found.parts.isEmpty { defects.append(Defect(.multipartWithoutParts, path: path, "")) }
        return true
    }

    /// Finds the body parts between "--boundary" lines. A delimiter line is the boundary followed
    /// only by whitespace (or "--" for the last), so boundaries that are prefixes of each other do
    /// not confuse it. The line break before a delimiter belongs to the delimiter.
    func splitMultipart(_ body: Range<Int>, boundary: [UInt8], path: String, defects: inout [Defect],
                        indented: Bool = false) -> (parts: [Range<Int>], boundarySeen: Bool) {
        var parts: [Range<Int>] = []
        var partStart: Int? = nil
        var closed = false
        var seen = false
        var i = body.lowerBound
        let end = body.upperBound
        let bLen = boundary.count
        let maxParts = context.limits.maxParts + 1
        // Unindented delimiters can only be lines starting "--": jump from one to the next with
        // memchr instead of visiting every line (a base64 part has no "-" at all).
        let jump = !indented
        while i < end {
            if jump {
                guard let candidate = nextDashDashLine(from: i, in: body) else { break }
                i = candidate
            }
            let nl = newline(from: i, end: end)
            let lineEnd = nl ?? end
            let next = nl.map { $0 + 1 } ?? end
            var d = i
            if indented { while d < lineEnd, buf[d] == 0x20 || buf[d] == 0x09 { d += 1 } }
            if lineEnd - d >= bLen + 2, buf[d] == 0x2D, buf[d + 1] == 0x2D, matches(boundary, at: d + 2) {
                var k = d + 2 + bLen
                var isClose = false
                if k + 2 <= lineEnd, buf[k] == 0x2D, buf[k + 1] == 0x2D {
                    isClose = true
                    k += 2
                }
                var onlySpace = true
                while k < lineEnd {
                    let c = buf[k]
                    if c != 0x20 && c != 0x09 && c != 0x0D { onlySpace = false; break }
                    k += 1
                }
                if onlySpace {
                    seen = true
                    if let s = partStart {
                        // Exclude the line break that precedes this delimiter.
                        var e = i
                        if e > s, buf[e - 1] == 0x0A { e -= 1; if e > s, buf[e - 1] == 0x0D { e -= 1 } }
                        parts.append(s..<max(s, e))
                        if parts.count >= maxParts { closed = true; break }
                    }
                    if isClose { closed = true; break }
                    partStart = next
                }
            }
            i = next
        }
        if seen, !closed {
            defects.append(Defect(.missingClosingBoundary, path: path, "last part runs to the end"))
            if let s = partStart, s < end { parts.append(s..<end) }
        }
        return (parts, seen)
    }

    /// The start of the first line at or after `from` (itself a line start) in `body` that begins
    /// with "--", or nil.
    func nextDashDashLine(from: Int, in body: Range<Int>) -> Int? {
        var i = from
        let end = body.upperBound
        return buf.withUnsafeBufferPointer { p -> Int? in
            guard let base = p.baseAddress else { return nil }
            while i < end {
                guard let hit = memchr(base + i, 0x2D, end - i) else { return nil }
                let h = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                if h + 1 < end, base[h + 1] == 0x2D, h == body.lowerBound || base[h - 1] == 0x0A { return h }
                i = h + 1
            }
            return nil
        }
    }

    /// A delimiter line near the start of a multipart body whose declared boundary is missing:
    /// "--" and a token of plausible length, within the first lines (after a short preamble).
    func guessBoundary(_ body: Range<Int>) -> [UInt8]? {
        var i = body.lowerBound
        var lines = 0
        while i < body.upperBound, lines < 40 {
            let nl = newline(from: i, end: body.upperBound)
            var e = nl ?? body.upperBound
            while e > i, buf[e - 1] == 0x0D || buf[e - 1] == 0x20 || buf[e - 1] == 0x09 { e -= 1 }
            if e - i >= 5, e - i <= 202, buf[i] == 0x2D, buf[i + 1] == 0x2D,
               !buf[(i + 2)..<e].contains(where: { $0 <= 0x20 || $0 >= 0x7F }) {
                var token = Array(buf[(i + 2)..<e])
                if token.count > 2, token.suffix(2) == [0x2D, 0x2D] { token.removeLast(2) }
                return token
            }
            guard let nl else { break }
            i = nl + 1
            lines += 1
        }
        return nil
    }
}
