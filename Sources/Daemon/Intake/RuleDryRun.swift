import Foundation
import MIME
import Store
import Ticketing

/// `postdesk rules test`: the intake pipeline of the config, run on one message file against the
/// store read-only (or an empty store when there is none), at a chosen time. Writes nothing.
public struct RuleDryRun {
    public struct Result {
        public var input: PipelineInput
        public var plan: TicketPlan
    }

    public enum Failure: Error {
        /// Not an e-mail message (no header fields, not readable text): exit 65.
        case notAMessage
    }

    let config: Config
    let db: Database

    /// Opens the store read-only; a missing one is an empty, in-memory store.
    public init(config: Config, databasePath: String) throws {
        self.config = config
        if FileManager.default.fileExists(atPath: databasePath) {
            db = try Database(path: databasePath, readOnly: true)
        } else {
            db = try Store.open(path: ":memory:", now: 0)
        }
    }

    init(config: Config, db: Database) {
        self.config = config
        self.db = db
    }

    /// Plans `raw` as if it arrived at `at` in `mailbox` (the mailbox decides its queue).
    /// The signing key is read when it exists (tag tokens are checked with it), never created.
    public func run(raw: [UInt8], mailbox: String?, at: Date) throws -> Result {
        let prepared = PreparedMessage(raw: raw)
        guard Intake.looksLikeMail(prepared.message) || Intake.isReadableText(raw) else { throw Failure.notAMessage }
        let key = (try? SigningKeyFile.load(path: config.signingKeyFile)).flatMap { $0 } ?? SigningKey.generate()
        let router = MessageRouter(config: config, key: key, clock: FixedClock(date: at),
                                   log: Log(level: .error, timestamps: false, clock: { at }, sink: { _ in }))
        let input = router.input(prepared, size: raw.count, mailbox: mailbox)
        return Result(input: input, plan: router.plan(input, db: db))
    }
}

/// A clock stopped at one instant: "what if this mail arrived then".
struct FixedClock: Clock {
    let date: Date
    func now() -> Date { date }
}
