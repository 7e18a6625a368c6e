/// Finding our tags in subjects and addresses, tolerant of what mail clients do to them.
extension TicketTagFormat {
    /// Subjects longer than this are only scanned this far: tags sit near the start and input is hostile.
    static let scanLimit = 2_000
    /// At most this many tags are taken from one subject.
    static let tagLimit = 8

    struct Match {
        var tag: TicketTag
        /// Offsets in the subject's unicode scalars, brackets included.
        var range: Range<Int>
    }

    /// Every tag of ours in `subject`, in order: `[#1234]`, `[ACME#1234]`, `[ acme # 1234 - K7F3Q ]`,
    /// full-width `［＃１２３４］`. Tags with someone else's prefix (`[OTHER #5]`) are not ours.
    public func tags(in subject: String) -> [TicketTag] { matches(in: subject).map(\.tag) }

    /// The first tag of ours in `subject`, if any.
    public func firstTag(in subject: String) -> TicketTag? { matches(in: subject).first?.tag }

    /// `subject` without our tags, whitespace tidied; reply prefixes are kept.
    public func strippingTags(from subject: String) -> String {
        let found = matches(in: subject)
        guard !found.isEmpty else { return SubjectLine.collapsingSpaces(subject) }
        var scalars = Array(subject.unicodeScalars)
        for match in found.reversed() { scalars.removeSubrange(match.range) }
        var text = String(String.UnicodeScalarView(scalars))
        text = SubjectLine.collapsingSpaces(text)
        return text
    }

    func matches(in subject: String) -> [Match] {
        let original = Array(subject.unicodeScalars.prefix(TicketTagFormat.scanLimit))
        let folded = original.map(SubjectLine.foldWidth)
        var found: [Match] = []
        var index = 0
        while index < folded.count, found.count < TicketTagFormat.tagLimit {
            guard folded[index] == "[" else { index += 1; continue }
            let limit = min(folded.count, index + 80)
            guard let close = (index + 1..<limit).first(where: { folded[$0] == "]" || folded[$0] == "[" }),
                  folded[close] == "]" else { index += 1; continue }
            if let tag = parseInner(folded[(index + 1)..<close]) {
                found.append(Match(tag: tag, range: index..<(close + 1)))
                index = close + 1
            } else {
                index += 1
            }
        }
        return found
    }

    /// Parses what sits between the brackets: `prefix? # digits (- token)?`, spaces allowed anywhere.
    private func parseInner(_ inner: ArraySlice<Unicode.Scalar>) -> TicketTag? {
        guard let hash = inner.firstIndex(of: "#") else { return nil }
        let prefixText = String(String.UnicodeScalarView(inner[inner.startIndex..<hash]))
        guard accepts(prefix: prefixText) else { return nil }
        var rest = inner[(hash + 1)...]
        func skipSpaces() { while let c = rest.first, c.properties.isWhitespace { rest.removeFirst() } }
        skipSpaces()
        var digits = ""
        while let c = rest.first, c.isASCIIDigit { digits.unicodeScalars.append(c); rest.removeFirst() }
        guard !digits.isEmpty, digits.count <= TicketTagFormat.maxDigits, let number = Int(digits), number > 0 else { return nil }
        skipSpaces()
        var token: String?
        if let dash = rest.first {
            guard dash == "-" else { return nil }
            rest.removeFirst()
            skipSpaces()
            var tokenText = ""
            while let c = rest.first, !c.properties.isWhitespace { tokenText.unicodeScalars.append(c); rest.removeFirst() }
            skipSpaces()
            tokenText = tokenText.lowercased()
            guard rest.isEmpty, tokenText.count <= TicketTagFormat.maxTokenLength, Base32.isEncoded(tokenText) else { return nil }
            token = tokenText
        }
        let prefix = prefixText.lowercased().split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
        return TicketTag(number: number, token: token, prefix: prefix, source: .subject)
    }

    /// The tag in a plus-address of ours: `support+1234@example.com` or `support+1234-k7f3q@example.com`.
    public func tag(inAddress address: String) -> TicketTag? {
        let lower = address.trimmingWhitespace().lowercased()
        guard lower.utf8.count <= 320, let at = lower.lastIndex(of: "@") else { return nil }
        let local = lower[..<at], domain = lower[lower.index(after: at)...]
        for base in plusAddressBases {
            let baseLower = base.trimmingWhitespace().lowercased()
            guard let baseAt = baseLower.lastIndex(of: "@"), baseLower[baseLower.index(after: baseAt)...] == domain else { continue }
            let head = baseLower[..<baseAt] + "+"
            guard local.hasPrefix(head) else { continue }
            let detail = local.dropFirst(head.count)
            let parts = detail.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
            guard let first = parts.first, !first.isEmpty, first.count <= TicketTagFormat.maxDigits,
                  first.unicodeScalars.allSatisfy(\.isASCIIDigit), let number = Int(first), number > 0 else { continue }
            var token: String?
            if parts.count == 2 {
                guard parts[1].count <= TicketTagFormat.maxTokenLength, Base32.isEncoded(parts[1]) else { continue }
                token = String(parts[1])
            }
            return TicketTag(number: number, token: token, prefix: "", source: .plusAddress)
        }
        return nil
    }
}

extension Unicode.Scalar {
    var isASCIIDigit: Bool { value >= 48 && value <= 57 }
}
