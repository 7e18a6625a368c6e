import Daemon
import XCTest

final class AllocatorSettingsTests: XCTestCase {
    func testGlibcAcceptsTheDaemonsAllocatorSettings() {
        XCTAssertTrue(AllocatorSettings.apply())
        // Applying twice is harmless (the service may be started more than once in a process).
        XCTAssertTrue(AllocatorSettings.apply())
    }
}
