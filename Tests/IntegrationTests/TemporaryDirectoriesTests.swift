import Foundation
import TestSupport
import XCTest

/// The test suite cleans up after itself: every desk's directory goes when the process exits.
final class TemporaryDirectoriesTests: XCTestCase {
    private func makeDirectory() throws -> URL {
        let url = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("postdesk-cleanup-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url.appendingPathComponent("nested"), withIntermediateDirectories: true)
        try Data("store".utf8).write(to: url.appendingPathComponent("nested/postdesk.db"))
        return url
    }

    func testRegisteredDirectoriesAreRemovedWithTheirContents() throws {
        let registry = TemporaryDirectories(removesAtExit: false)
        let first = try makeDirectory(), second = try makeDirectory()
        registry.register(first)
        registry.register(second)
        registry.removeAll(environment: [:])
        XCTAssertFalse(FileManager.default.fileExists(atPath: first.path))
        XCTAssertFalse(FileManager.default.fileExists(atPath: second.path))
    }

    func testKeepTestDirsKeepsThemForAPostMortem() throws {
        let registry = TemporaryDirectories(removesAtExit: false)
        let dir = try makeDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        registry.register(dir)
        registry.removeAll(environment: ["POSTDESK_KEEP_TEST_DIRS": "1"])
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir.appendingPathComponent("nested/postdesk.db").path))
    }

    func testFixturesRegisterTheDirectoriesTheyMake() throws {
        let dir = Fixtures.temporaryDirectory("postdesk-cleanup")
        XCTAssertTrue(TemporaryDirectories.shared.isRegistered(dir))
    }
}
