import Daemon
import Foundation
import MIME
import Store
import Ticketing

/// `postdesk attachments <message>`: the files a stored message carries, numbered for
/// `postdesk attachment`. Read from the stored raw bytes, so incoming and outgoing mail alike.
enum AttachmentsCommand {
    static let command = Command(
        name: "attachments", synopsis: "<message-row | message-id> [--json]",
        summary: "List the attachments of a stored message, numbered for 'postdesk attachment'.",
        help: """
              <message-row>   the row number shown by 'postdesk show'
              <message-id>    its Message-ID, with or without angle brackets
              --json          an array of {"n", "filename", "content_type", "size", "inline", "content_id", "sha256"}
            """,
        flags: ["json"], operands: 1...1, run: run)

    static func run(_ inv: Invocation) throws -> ExitCode {
        let files = try attachments(inv)
        if inv.arguments.has("json") {
            let items: [JSON] = files.enumerated().map { i, a in
                .object([
                    ("n", .int(Int64(i + 1))),
                    ("filename", .str(a.filename)),
                    ("content_type", .string(a.contentType)),
                    ("size", .int(Int64(a.size))),
                    ("inline", .bool(a.isInline)),
                    ("content_id", .str(a.contentID)),
                    ("sha256", .string(SHA256.hex(a.data))),
                ])
            }
            inv.io.print(JSON.array(items).serialized())
            return .ok
        }
        guard !files.isEmpty else { inv.io.print("no attachments"); return .ok }
        var table = TextTable(["N", "SIZE", "TYPE", "INLINE", "NAME"])
        for (i, a) in files.enumerated() {
            table.add([String(i + 1), String(a.size), cell(a.contentType, max: 40), a.isInline ? "yes" : "no", cell(a.filename, max: 80)])
        }
        for line in table.render() { inv.io.print(line) }
        return .ok
    }

    /// The message's files in tree order, as the parser finds them in its stored bytes.
    static func attachments(_ inv: Invocation) throws -> [Attachment] {
        let store = TicketStore(db: try inv.openStore())
        let row = try MessageLookup.row(inv.operand(0)!, in: store)
        guard let raw = try store.raw(row: row) else { throw CLIError(.noInput, "postdesk: no stored message \(row)") }
        var limits = ParserLimits.default
        limits.maxMessageBytes = max(limits.maxMessageBytes, raw.count)
        return Message.parse(raw, limits: limits).attachments
    }
}

/// `postdesk attachment <message> <n> [-o FILE]`: one attachment's bytes, unchanged. The name in
/// the mail is only ever shown, never used as a path: the bytes go to stdout or to the FILE given.
public enum AttachmentCommand {
    static let command = Command(
        name: "attachment", synopsis: "<message-row | message-id> <n> [-o FILE]",
        summary: "Write one attachment of a stored message, byte for byte, to stdout or FILE.",
        help: """
              <n>             the number 'postdesk attachments' lists
              -o, --output FILE
                              write to FILE (created, never overwritten; mode 0600) instead of stdout
            """,
        values: ["output", "o"], operands: 2...2, run: run)

    static func run(_ inv: Invocation) throws -> ExitCode {
        guard let n = Int(inv.operand(1)!), n > 0 else { throw CLIError(.usage, "attachment: <n> must be a number from 1", showUsage: true) }
        let files = try AttachmentsCommand.attachments(inv)
        guard n <= files.count else {
            throw CLIError(.noInput, "postdesk: message \(inv.operand(0)!) has \(files.count) attachment\(files.count == 1 ? "" : "s"), no number \(n)")
        }
        let data = files[n - 1].data
        guard let path = inv.arguments.value("output") ?? inv.arguments.value("o"), path != "-" else {
            inv.io.write(data)
            return .ok
        }
        try writeNew(data, to: path)
        inv.io.error("postdesk: wrote \(data.count) bytes to \(path)")
        return .ok
    }

    /// Writes `data` to a new file `path` (mode 0600), never replacing one: exit 73 when it
    /// exists. The bytes go to a hidden file beside it first, linked into place only when all
    /// are written, so a failed write (disk full) leaves nothing behind under `path`.
    public static func writeNew(_ data: [UInt8], to path: String,
                         write: (Int32, UnsafeRawPointer?, Int) -> Int = { Glibc.write($0, $1, $2) }) throws {
        func failure(_ code: ExitCode, _ what: String = String(cString: strerror(errno))) -> CLIError {
            CLIError(code, "postdesk: \(path): \(what)")
        }
        if access(path, F_OK) == 0 { throw failure(.cannotCreate, "exists (not overwritten)") }
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).postdesk-\(getpid())").path
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw failure(.cannotCreate) }
        var linked = false
        defer { if !linked { unlink(temporary) } }
        var offset = 0
        while offset < data.count {
            let written = data[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                let error = failure(.ioError)
                close(fd)
                throw error
            }
            offset += written
        }
        let synced = fsync(fd) == 0 || errno == EINVAL
        guard close(fd) == 0, synced else { throw failure(.ioError) }
        // link(2) fails with EEXIST instead of replacing a file created meanwhile; file systems
        // without hard links (vfat) get a rename after one more check.
        if link(temporary, path) != 0 {
            let linkError = errno
            guard linkError == EPERM || linkError == EOPNOTSUPP, access(path, F_OK) != 0 else {
                throw failure(linkError == EEXIST ? .cannotCreate : .ioError, String(cString: strerror(linkError)))
            }
            guard rename(temporary, path) == 0 else { throw failure(.ioError) }
            linked = true
            return
        }
        linked = true
        unlink(temporary)
    }
}
