/// Process exit codes, from sysexits(3).
public enum ExitCode: Int32, Sendable {
    case ok = 0
    case failure = 1
    case usage = 64
    case dataError = 65
    case noInput = 66
    case unavailable = 69
    case software = 70
    case cannotCreate = 73
    case ioError = 74
    case tempFail = 75
    case config = 78
}

/// A command failure with the exit code it maps to.
public struct CLIError: Error, CustomStringConvertible {
    public let code: ExitCode
    public let message: String
    /// Print the command's usage after the message (for usage errors).
    public let showUsage: Bool

    public init(_ code: ExitCode, _ message: String, showUsage: Bool = false) {
        self.code = code
        self.message = message
        self.showUsage = showUsage
    }

    public var description: String { message }
}
