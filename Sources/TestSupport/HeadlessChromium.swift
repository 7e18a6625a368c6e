import Foundation

/// Debian's `chromium` in headless mode, for checking HTML output in a real browser.
public struct HeadlessChromium {
    public let binary: String

    /// The installed browser, or nil (tests then skip with a message).
    public static func find() -> HeadlessChromium? {
        ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) }
            .map(HeadlessChromium.init(binary:))
    }

    /// The page's DOM after loading `file`.
    public func dumpDOM(file: String, in directory: URL) throws -> String {
        let out = directory.appendingPathComponent("dom-\(UUID().uuidString).html").path
        try run(["--dump-dom", "file://" + file], output: out, directory: directory)
        return String(decoding: FileManager.default.contents(atPath: out) ?? Data(), as: UTF8.self)
    }

    /// A PNG screenshot of `file` in an 800×2400 window.
    public func screenshot(file: String, in directory: URL) throws -> [UInt8] {
        let png = directory.appendingPathComponent("shot-\(UUID().uuidString).png").path
        try run(["--screenshot=" + png, "--window-size=800,2400", "--hide-scrollbars", "file://" + file],
                output: directory.appendingPathComponent("chromium.log").path, directory: directory)
        guard let data = FileManager.default.contents(atPath: png) else {
            throw ChildProcess.Failure(description: "chromium wrote no screenshot")
        }
        return Array(data)
    }

    private func run(_ arguments: [String], output: String, directory: URL) throws {
        // Root (CI) needs --no-sandbox; a private profile keeps parallel runs apart.
        let argv = [binary, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
                    "--user-data-dir=" + directory.appendingPathComponent("chromium-profile").path] + arguments
        let pid = try ChildProcess.spawn(argv, outputFile: output, append: false)
        let code = ChildProcess.wait(pid, timeoutSeconds: 60)
        guard code == 0 else { throw ChildProcess.Failure(description: "chromium exited \(code) (see \(output))") }
    }
}
