import XCTest
@testable import Transport

final class UIDSetTests: XCTestCase {
    func testUIDsCollapseIntoSortedRangesWithoutDuplicatesOrZero() {
        let set = UIDSet([9, 3, 4, 5, 0, 12, 4, 10, 7])
        XCTAssertEqual(set.description, "3:5,7,9:10,12")
        XCTAssertEqual(set.count, 7)
        XCTAssertEqual(set.uids, [3, 4, 5, 7, 9, 10, 12])
    }

    func testMembershipIsExact() {
        let set = UIDSet([1, 2, 3, 10, 20, 21])
        XCTAssertEqual((0 ... 25).filter { set.contains(UInt32($0)) }, [1, 2, 3, 10, 20, 21])
    }

    func testRangesStartAtOneAndEmptySetsStayEmpty() {
        XCTAssertEqual(UIDSet(0 ... 4).description, "1:4")
        XCTAssertTrue(UIDSet(0 ... 0).isEmpty)
        XCTAssertTrue(UIDSet([UInt32]()).isEmpty)
        XCTAssertEqual(UIDSet(UInt32.max - 1 ... UInt32.max).description, "4294967294:4294967295")
    }
}
