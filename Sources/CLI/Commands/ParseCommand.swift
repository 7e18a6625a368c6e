import Daemon
import Foundation
import MIME

/// `postdesk parse FILE.eml [--json]`: what postdesk makes of one message file — headers, MIME
/// tree, chosen text, reply text, attachments and every defect. Operators use it to inspect mail;
/// keep its JSON keys stable.
enum ParseCommand {
    static let command = Command(
        name: "parse", synopsis: "<file.eml> [--json]",
        summary: "Parse a message file and show its headers, MIME tree, text, attachments and defects.",
        help: """
              <file.eml>  a raw RFC 5322 message (CRLF or LF line ends)
              --json      print {from, to, cc, subject, date, message_id, in_reply_to, references,
                          text, reply_text, attachments, parts, defects}
              --bench     treat the operand as a directory: parse every .eml in it repeatedly
                          (--rounds N, default 20) and print MB/s and messages/s, wall and CPU,
                          for each kind of work (--work desk|full|lazy; default all; bench/mime/run.sh)
            Exit 0 even when the message has defects; 66 when the file cannot be read.
            """,
        values: ["rounds", "work"], flags: ["json", "bench"], operands: 1...1, run: run)

    static func run(_ inv: Invocation) throws -> ExitCode {
        let path = inv.operand(0) ?? ""
        if inv.arguments.has("bench") { return try ParseBench.run(inv, directory: path) }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CLIError(.noInput, "postdesk: \(path): cannot read file")
        }
        let message = Message.parse([UInt8](data))
        if inv.arguments.has("json") {
            inv.io.print(json(message).serialized())
        } else {
            inv.io.write(Array(message.rendered(textLines: 20).utf8))
        }
        return .ok
    }

    static func json(_ m: Message) -> JSON {
        func addresses(_ list: [MailboxAddress]) -> JSON {
            .array(list.map { .object([("name", .str($0.name)), ("address", .string($0.address))]) })
        }
        let attachments: [JSON] = m.attachments.map {
            .object([("filename", .str($0.filename)), ("content_type", .string($0.contentType)),
                     ("size", .number(Double($0.size))), ("inline", .bool($0.isInline))])
        }
        let defects: [JSON] = m.defects.map {
            .object([("kind", .string($0.kind.rawValue)), ("part", .string($0.path)), ("detail", .string($0.detail))])
        }
        return .object([
            ("from", addresses(m.from)), ("to", addresses(m.to)), ("cc", addresses(m.cc)),
            ("subject", .str(m.subject)), ("date", .str(m.date.map(Message.iso8601))),
            ("message_id", .str(m.messageID)), ("in_reply_to", .array(m.inReplyTo.map { .string($0) })),
            ("references", .array(m.references.map { .string($0) })),
            ("text", .str(m.text)), ("reply_text", .str(m.replyText)),
            ("attachments", .array(attachments)), ("parts", part(m.root)), ("defects", .array(defects)),
        ])
    }

    static func part(_ e: Entity) -> JSON {
        var pairs: [(String, JSON)] = [
            ("path", .string(e.path)), ("content_type", .string(e.contentType)), ("charset", .str(e.charset ?? e.guessedCharset)),
            ("encoding", .string(e.transferEncoding)), ("size", .number(Double(e.isMultipart ? e.encodedSize : e.bodySize))),
            ("disposition", .str(e.disposition)), ("filename", .str(e.filename)), ("content_id", .str(e.contentID)),
        ]
        var children = e.children.map(part)
        if let inner = e.message { children.append(part(inner.root)) }
        pairs.append(("children", .array(children)))
        return .object(pairs)
    }
}
