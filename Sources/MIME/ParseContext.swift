/// The state shared by one parse, across nested messages: the limits and the part count.
final class ParseContext {
    let limits: ParserLimits
    var partCount = 0
    var partLimitReported = false
    init(limits: ParserLimits) { self.limits = limits }
}
