import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Where a command writes. The real one goes to the process's stdout/stderr; tests capture.
public final class CommandIO: @unchecked Sendable {
    public let environment: [String: String]
    private let writeOut: ([UInt8]) -> Void
    private let writeErr: ([UInt8]) -> Void

    public init(environment: [String: String], out: @escaping ([UInt8]) -> Void, err: @escaping ([UInt8]) -> Void) {
        self.environment = environment
        self.writeOut = out
        self.writeErr = err
    }

    public static func process() -> CommandIO {
        CommandIO(environment: ProcessInfo.processInfo.environment,
                  out: { bytes in writeAll(fd: 1, bytes) },
                  err: { bytes in writeAll(fd: 2, bytes) })
    }

    public func print(_ line: String = "") { writeOut(Array((line + "\n").utf8)) }
    public func write(_ bytes: [UInt8]) { writeOut(bytes) }
    public func error(_ line: String) { writeErr(Array((line + "\n").utf8)) }

    private static func writeAll(fd: Int32, _ bytes: [UInt8]) {
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 { if errno == EINTR { continue }; return }
                offset += n
            }
        }
    }
}

/// Captures a command's output, for tests.
public final class CapturedOutput: @unchecked Sendable {
    public private(set) var stdout: [UInt8] = []
    public private(set) var stderr: [UInt8] = []
    public init() {}
    public var out: String { String(decoding: stdout, as: UTF8.self) }
    public var err: String { String(decoding: stderr, as: UTF8.self) }

    public func io(environment: [String: String] = [:]) -> CommandIO {
        CommandIO(environment: environment, out: { self.stdout += $0 }, err: { self.stderr += $0 })
    }
}
