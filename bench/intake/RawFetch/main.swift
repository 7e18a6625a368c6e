// postdesk-rawfetch: the intake benchmark's Swift baseline. It times the Transport client's
// `rawDownload`: connect, TLS and login by libcurl, then one `UID FETCH 1:* (BODY.PEEK[])`
// framed by postdesk's own response parser, bodies counted and dropped. That is the ceiling
// for `postdesk run --once` on the same transport, without parsing or storing anything.
//
// Usage: postdesk-rawfetch HOST PORT USER PASSWORD_FILE [--tls starttls|none|imaps]
//                          [--ca-file FILE] [--folder NAME]
// Prints {"client": "swift", "messages": N, "bytes": B, "seconds": S}.
import Glibc
import Transport

/// Seconds on the monotonic clock (elapsed time only: no wall-clock reading needed).
func monotonicSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

func fail(_ message: String, _ code: Int32 = 64) -> Never {
    let line = Array("postdesk-rawfetch: \(message)\n".utf8)
    _ = line.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
    exit(code)
}

func readSecret(_ path: String) -> String {
    guard let f = fopen(path, "r") else { fail("cannot read \(path)", 66) }
    defer { fclose(f) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    while true {
        let n = fread(&buffer, 1, buffer.count, f)
        if n <= 0 { break }
        bytes += buffer[0 ..< n]
    }
    while let last = bytes.last, last == 0x0A || last == 0x0D { bytes.removeLast() }
    return String(decoding: bytes, as: UTF8.self)
}

var positional: [String] = []
var tls = "starttls", caFile: String?, folder = "INBOX"
var args = CommandLine.arguments.dropFirst()

@MainActor func value(of option: String) -> String {
    guard let v = args.popFirst() else { fail("\(option) needs a value") }
    return v
}

while let arg = args.popFirst() {
    switch arg {
    case "--tls": tls = value(of: arg)
    case "--ca-file": caFile = value(of: arg)
    case "--folder": folder = value(of: arg)
    default: positional.append(arg)
    }
}
guard positional.count == 4, let port = Int(positional[1]), ["starttls", "none", "imaps"].contains(tls) else {
    fail("usage: postdesk-rawfetch HOST PORT USER PASSWORD_FILE [--tls starttls|none|imaps] [--ca-file FILE] [--folder NAME]")
}
let endpoint = IMAPEndpoint(host: positional[0], port: port, implicitTLS: tls == "imaps",
                            requireTLS: tls != "none", caFile: caFile, user: positional[2],
                            credential: .password(readSecret(positional[3])), timeoutSeconds: 300)
let client = CurlIMAPClient(endpoint: endpoint)
let start = monotonicSeconds()
do {
    try client.connect()
    let result = try client.rawDownload(mailbox: folder)
    let seconds = monotonicSeconds() - start
    client.logout()
    print("{\"client\": \"swift\", \"messages\": \(result.messages), \"bytes\": \(result.messageBytes), \"seconds\": \(seconds)}")
} catch {
    fail("\(error)", 69)
}
