import Foundation
import XCTest
@testable import Daemon
#if canImport(Glibc)
import Glibc
#endif

/// Signals are process-wide, so these tests raise them in the test process itself, with the
/// second-stop exit turned off; the one test that needs the exit runs in a child process.
final class SignalWatcherTests: XCTestCase {
    static let childVariable = "POSTDESK_SIGNAL_WATCHER_CHILD"

    func testSIGHUPAsksForOneReload() throws {
        let watcher = try SignalWatcher.install(exitOnSecondStop: false)
        XCTAssertFalse(watcher.takeReloadRequest())
        raise(SIGHUP)
        XCTAssertTrue(watcher.takeReloadRequest())
        XCTAssertFalse(watcher.takeReloadRequest(), "a reload request is consumed by taking it")
        XCTAssertFalse(watcher.stopRequested, "SIGHUP is not a stop")
    }

    func testSeveralQuickSIGHUPsAskForOneReload() throws {
        let watcher = try SignalWatcher.install(exitOnSecondStop: false)
        raise(SIGHUP)
        raise(SIGHUP)
        raise(SIGHUP)
        XCTAssertEqual(watcher.takeRequests(), .init(stop: false, reload: true))
        XCTAssertEqual(watcher.takeRequests(), .init(stop: false, reload: false))
    }

    func testSIGTERMAndSIGINTRequestAStopThatStays() throws {
        let watcher = try SignalWatcher.install(exitOnSecondStop: false)
        XCTAssertFalse(watcher.stopRequested)
        raise(SIGTERM)
        XCTAssertTrue(watcher.stopRequested)
        XCTAssertTrue(watcher.stopRequested, "looking does not clear a stop")
        XCTAssertEqual(watcher.stopSignalCount, 1)
        raise(SIGINT)
        XCTAssertEqual(watcher.stopSignalCount, 2)
        XCTAssertEqual(watcher.takeRequests(), .init(stop: true, reload: false))
    }

    func testANewWatcherStartsWithNoRequests() throws {
        let first = try SignalWatcher.install(exitOnSecondStop: false)
        raise(SIGTERM)
        raise(SIGHUP)
        XCTAssertTrue(first.stopRequested)
        let second = try SignalWatcher.install(exitOnSecondStop: false)
        XCTAssertEqual(second.takeRequests(), .init(stop: false, reload: false))
    }

    func testWaitReturnsEarlyWhenASignalArrivesFromAnotherThread() throws {
        let watcher = try SignalWatcher.install(exitOnSecondStop: false)
        let sender = Thread {
            usleep(100_000)
            kill(getpid(), SIGHUP)
        }
        sender.start()
        let start = SystemdNotifier.monotonicMicroseconds()
        let requests = watcher.wait(timeout: .seconds(30))
        let waitedSeconds = Double(SystemdNotifier.monotonicMicroseconds() - start) / 1e6
        XCTAssertEqual(requests, .init(stop: false, reload: true))
        XCTAssertLessThan(waitedSeconds, 20, "the wait ended because of the signal, not the timeout")
        XCTAssertTrue(watcher.takeReloadRequest(), "wait does not consume the reload")
    }

    func testWaitReturnsAtOnceWhenARequestIsAlreadyPending() throws {
        let watcher = try SignalWatcher.install(exitOnSecondStop: false)
        raise(SIGTERM)
        let start = SystemdNotifier.monotonicMicroseconds()
        XCTAssertEqual(watcher.wait(timeout: .seconds(30)), .init(stop: true, reload: false))
        XCTAssertLessThan(Double(SystemdNotifier.monotonicMicroseconds() - start) / 1e6, 20)
    }

    func testWaitWithoutSignalsLastsTheTimeout() throws {
        let watcher = try SignalWatcher.install(exitOnSecondStop: false)
        let start = SystemdNotifier.monotonicMicroseconds()
        XCTAssertEqual(watcher.wait(timeout: .milliseconds(150)), .init(stop: false, reload: false))
        XCTAssertGreaterThanOrEqual(SystemdNotifier.monotonicMicroseconds() - start, 150_000)
    }

    /// Runs itself again in a child process, which installs the real policy and sends itself two
    /// SIGTERMs: the second must end the process at once with status 0.
    func testSecondStopSignalExitsAtOnceWithStatusZero() throws {
        if ProcessInfo.processInfo.environment[Self.childVariable] == "1" {
            let watcher = try SignalWatcher.install(exitOnSecondStop: true)
            raise(SIGTERM)
            guard watcher.stopRequested else { exit(4) }
            FileHandle.standardOutput.write(Data("child: first stop seen\n".utf8))
            raise(SIGTERM)
            exit(3) // not reached when the second SIGTERM exits
        }
        let child = Process()
        child.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
        child.arguments = ["DaemonTests.SignalWatcherTests/testSecondStopSignalExitsAtOnceWithStatusZero"]
        child.environment = ProcessInfo.processInfo.environment.merging([Self.childVariable: "1"]) { $1 }
        let output = Pipe()
        child.standardOutput = output
        child.standardError = FileHandle.nullDevice
        try child.run()
        let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        child.waitUntilExit()
        XCTAssertTrue(printed.contains("child: first stop seen"), "the child ran this test: \(printed)")
        XCTAssertEqual(child.terminationReason, .exit)
        XCTAssertEqual(child.terminationStatus, 0, "3: survived the second SIGTERM; 4: first SIGTERM not seen")
    }
}
