import Foundation
import XCTest

extension XCTestCase {
    /// Tries `condition` every `interval` seconds until it holds; false when it still does not
    /// after `seconds` of waiting between tries. The tries' own time is not counted, so a slow
    /// condition on a loaded machine still gets all its tries; the last comes after the wait.
    public func waitUntil(_ seconds: Double = 30, every interval: Double = 0.05, _ condition: () throws -> Bool) rethrows -> Bool {
        for _ in 0..<Int(seconds / interval) {
            if try condition() { return true }
            usleep(useconds_t(interval * 1_000_000))
        }
        return try condition()
    }
}
