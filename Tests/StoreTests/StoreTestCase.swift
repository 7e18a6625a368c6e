import Foundation
import Store
import TestSupport
import XCTest

/// Runs a test body against an in-memory database and against a file on disk (WAL mode),
/// since the two differ in journaling and locking.
class StoreTestCase: XCTestCase {
    private var directories: [URL] = []

    override func tearDown() {
        for d in directories { try? FileManager.default.removeItem(at: d) }
        directories = []
        super.tearDown()
    }

    /// A fresh path in a temporary directory removed after the test.
    func temporaryDatabasePath(_ name: String = "test.db") -> String {
        let dir = Fixtures.temporaryDirectory("store")
        directories.append(dir)
        return dir.appendingPathComponent(name).path
    }

    func forEachDatabase(file: StaticString = #filePath, line: UInt = #line, _ body: (Database, String) throws -> Void) {
        for kind in ["memory", "file"] {
            do {
                let db = try Database(path: kind == "memory" ? ":memory:" : temporaryDatabasePath())
                try body(db, kind)
            } catch {
                XCTFail("[\(kind)] \(error)", file: file, line: line)
            }
        }
    }
}
