// Outbox throughput through a real Postfix: N queued notifications sent by one flush over one
// kept-open SMTP connection, against the baseline of a new connection per mail (how a sender
// without connection reuse works). Prints mails/s and connections opened for both.
import Daemon
import Foundation
import Store
import Ticketing

let args = CommandLine.arguments
guard args.count == 6, let port = Int(args[2]), let n = Int(args[5]) else {
    FileHandle.standardError.write(Data("usage: NotifyBench HOST SMTP_PORT CA_FILE DIR N\n".utf8))
    exit(64)
}
let (host, caFile, dir) = (args[1], args[3], args[4])
let clock = SystemClock()
let log = Log(level: .error, timestamps: false, clock: { clock.now() }, sink: { FileHandle.standardError.write(Data(($0 + "\n").utf8)) })
let config = try Config.parse(Array("""
    {"smtp": {"url": "smtp://\(host):\(port)", "tls": "required", "ca_file": "\(caFile)", "from": "Support <support@example.test>"}}
    """.utf8), file: "bench.json")

/// Notifications as the Notifier makes them: the shipped acknowledgement in four languages,
/// multipart/alternative, about 5 KB each.
func queue(_ db: Database, count: Int) throws {
    let mails = ["en", "ru", "uk", "de"].map { NotificationPreview.sample(.acknowledgement, language: $0, config: config, clock: clock) }
    try db.transaction {
        let outbox = OutboxStore(db: db)
        for i in 0..<count {
            try outbox.enqueue(ticketID: nil, messageRow: nil, kind: "ack", mailFrom: "support@example.test",
                               recipients: [["customer1", "customer2", "customer3", "catchall"][i % 4] + "@example.test"], raw: mails[i % 4], now: clock.unixSeconds())
        }
    }
}

func run(_ name: String, count: Int, oneConnectionPerMail: Bool) throws -> (rate: Double, connections: Int, sent: Int) {
    let path = "\(dir)/\(name).db"
    try? FileManager.default.removeItem(atPath: path)
    let db = try Store.open(path: path, now: clock.unixSeconds())
    try queue(db, count: count)
    let sender = CurlMailSender(config: config.smtp!, environment: [:], log: log)
    let outbox = OutboxSender(db: db, sender: sender, clock: clock, log: log)
    let start = DispatchTime.now().uptimeNanoseconds
    var sent = 0
    if oneConnectionPerMail {
        for _ in 0..<count { sent += outbox.flush(limit: 1).sent }   // each flush: connect, send, QUIT
    } else {
        sent = outbox.flush(limit: count).sent
    }
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    return (Double(sent) / seconds, sender.connectionsOpened, sent)
}

let baselineCount = min(n, 200)
let baseline = try run("baseline", count: baselineCount, oneConnectionPerMail: true)
let ours = try run("flush", count: n, oneConnectionPerMail: false)
print("mails  method                          sent   mails/s  connections")
print(String(format: "%5d  new connection per mail (base)  %5d  %7.1f  %11d", baselineCount, baseline.sent, baseline.rate, baseline.connections))
print(String(format: "%5d  one flush, one connection       %5d  %7.1f  %11d", n, ours.sent, ours.rate, ours.connections))
print(String(format: "figure: %d notifications through Postfix: %.0f mails/s over %d connection(s); baseline %.0f mails/s with one connection per mail (%.1fx)",
             n, ours.rate, ours.connections, baseline.rate, ours.rate / baseline.rate))
