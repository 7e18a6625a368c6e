import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Starting programs from tests with posix_spawn, output to a file: Foundation's Process
/// waited forever here once a script had started daemons that kept the pipes open.
public enum ChildProcess {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Starts `argv` with stdin from /dev/null and stdout+stderr to `outputFile`.
    public static func spawn(_ argv: [String], outputFile: String, append: Bool = true,
                             environment: [String: String] = [:]) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputFile, O_WRONLY | O_CREAT | (append ? O_APPEND : O_TRUNC), 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let env = ProcessInfo.processInfo.environment.merging(environment) { $1 }.map { "\($0.key)=\($0.value)" }
        var cArgs = argv.map { strdup($0) } + [nil]
        var cEnv = env.map { strdup($0) } + [nil]
        defer { (cArgs + cEnv).forEach { free($0) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, argv[0], &actions, nil, &cArgs, &cEnv)
        guard rc == 0 else { throw Failure(description: "cannot start \(argv[0]): \(String(cString: strerror(rc)))") }
        return pid
    }

    /// Waits for a child; its exit code, 128+signal, or -1 after killing it at the timeout.
    public static func wait(_ pid: pid_t, timeoutSeconds: Double? = nil) -> Int32 {
        var status: Int32 = 0
        if let timeoutSeconds {
            var waited = 0.0
            while waitpid(pid, &status, WNOHANG) != pid {
                if waited > timeoutSeconds { kill(pid, SIGKILL); waitpid(pid, &status, 0); return -1 }
                usleep(20_000)
                waited += 0.02
            }
        } else {
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        }
        return status & 0x7F == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
    }
}
