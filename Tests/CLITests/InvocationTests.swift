@testable import CLI
import Foundation
import Store
import TestSupport
import XCTest

/// What every command gets from its invocation.
final class InvocationTests: XCTestCase {
    /// A command prints "queued" once its change committed; the commit is on disk by then (an
    /// fsync of the log at each commit, as the daemon's writer), so a power cut cannot take back
    /// a reply or a status change the operator was told about.
    func testTheStoreACommandOpensIsDurableAtEachCommit() throws {
        let directory = Fixtures.temporaryDirectory("invocation")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("postdesk.db").path
        let command = try XCTUnwrap(CommandTable.find("tickets"))
        let arguments = try ParsedArguments.parse(["--db", path], valueOptions: ["db"], flagOptions: [], aliases: [:])
        let invocation = Invocation(command: command, arguments: arguments, io: CapturedOutput().io(environment: [:]), clock: FakeClock())
        let db = try invocation.openStore()
        XCTAssertEqual(try db.row("PRAGMA synchronous")?[0].int, 2, "FULL")
        XCTAssertEqual(try db.row("PRAGMA journal_mode")?[0].string, "wal")
    }
}
