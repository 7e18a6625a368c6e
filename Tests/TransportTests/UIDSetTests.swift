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

    func testAServersSequenceSetParsesInAnyOrderAndOverlap() {
        XCTAssertEqual(UIDSet(parsing: "1:3,5,9:7,4")?.description, "1:5,7:9")
        XCTAssertEqual(UIDSet(parsing: "4294967295,4294967294")?.description, "4294967294:4294967295")
        XCTAssertEqual(UIDSet(parsing: "0:2")?.description, "1:2", "UID 0 does not exist")
        XCTAssertNil(UIDSet(parsing: "1:*"))
        XCTAssertNil(UIDSet(parsing: "1,,2"))
        XCTAssertNil(UIDSet(parsing: "a"))
        XCTAssertNil(UIDSet(parsing: "1:2:3"))
    }

    func testAPrefixKeepsTheUIDsUpToAndIncludingTheGivenOne() {
        let set = UIDSet(parsing: "1:3,7:9,20")!
        XCTAssertEqual(set.prefix(through: 8).description, "1:3,7:8")
        XCTAssertEqual(set.prefix(through: 3).description, "1:3")
        XCTAssertTrue(set.prefix(through: 0).isEmpty)
        XCTAssertEqual(set.prefix(through: 100), set)
    }
}
