import XCTest
@testable import Ticketing

final class AgentCommandTests: XCTestCase {
    func testReadsCommandLinesAtTheTopOfAReply() {
        let body = "\n#status pending\n#priority HIGH\n#assign me\n\nHi Jo, please send the logs.\n#resolve\n"
        let parsed = AgentCommand.parse(body, sender: "Agent1@Desk.example.com")
        XCTAssertEqual(parsed.commands, [.status(.pending), .priority(.high), .assign("agent1@desk.example.com")])
        XCTAssertEqual(parsed.errors, [])
        XCTAssertEqual(parsed.body, "Hi Jo, please send the logs.\n#resolve\n", "commands below the text are text")
    }

    func testShortForms() {
        let cases: [(String, AgentCommand)] = [
            ("#resolve", .status(.resolved)), ("#close", .status(.closed)), ("#pending", .status(.pending)),
            ("#reopen", .status(.open)), ("#unassign", .unassign), ("#assign b@desk.example.com", .assign("b@desk.example.com")),
            ("#priority low", .priority(.low)), ("#status closed", .status(.closed)),
        ]
        for (line, command) in cases { XCTAssertEqual(AgentCommand.parse(line, sender: "a@b").commands, [command], line) }
    }

    func testBadArgumentsAreReportedAndUnknownVerbsStopParsing() {
        let parsed = AgentCommand.parse("#priority extreme\n#stauts pending\n#resolve\ntext", sender: "a@b")
        XCTAssertEqual(parsed.commands, [])
        XCTAssertEqual(parsed.errors, ["#priority needs one of low|normal|high|urgent", "unknown command #stauts"])
        XCTAssertEqual(parsed.body, "#stauts pending\n#resolve\ntext")
    }

    func testTextThatMerelyStartsWithAHashIsNotACommand() {
        let parsed = AgentCommand.parse("#1234 is a duplicate of this\n#resolve", sender: "a@b")
        XCTAssertEqual(parsed.commands, [])
        XCTAssertEqual(parsed.errors, [])
        XCTAssertEqual(AgentCommand.parse("Thanks!\n#resolve", sender: "a@b").commands, [])
        XCTAssertEqual(AgentCommand.parse("#assign nobody", sender: "a@b").errors, ["#assign needs an address or me"])
    }

    func testCommandCountIsBounded() {
        let body = String(repeating: "#pending\n", count: 1_000)
        XCTAssertEqual(AgentCommand.parse(body, sender: "a@b").commands.count, AgentCommand.maxCommands)
    }
}
