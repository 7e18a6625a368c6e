import Daemon
import Foundation
import Store
import Ticketing

/// An intake over a fresh in-memory store with a fake clock and a silent log: what the
/// intake unit tests share (they differ only in their config).
public enum MemoryIntake {
    /// `db`: an intake over this store instead (a second one, or one migrated from an older schema).
    public static func make(config json: String, clock: FakeClock = FakeClock(), signingKey: SigningKey? = nil,
                            db: Database? = nil) throws -> (db: Database, intake: Intake) {
        let db = try db ?? Store.open(path: ":memory:", now: clock.unixSeconds())
        let config = try Config.parse(Array(json.utf8), file: "test.json")
        let log = Log(level: .error, timestamps: false, clock: { clock.now() }, sink: { _ in })
        return (db, Intake(db: db, config: config, clock: clock, log: log, signingKey: signingKey))
    }
}
