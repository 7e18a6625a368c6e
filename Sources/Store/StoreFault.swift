/// Whose fault an SQLite error is. A store fault (the disk, the file, a lock, memory) says
/// nothing about the message in hand: the batch rolls back whole, the cursor stays, and the
/// mailbox retries later, so nothing is skipped or wrongly quarantined. A message fault (its
/// data broke a constraint or a limit) is the message's own: it goes to quarantine alone.
public enum StoreFault: Sendable, Equatable {
    case store(StoreCondition)
    case message

    /// Every SQLite primary result code (the low byte of an extended one), decided once.
    /// Codes SQLite may add later count as store faults: retrying skips nothing, while
    /// quarantining for an unknown reason could hold good mail.
    public static func of(resultCode: Int32) -> StoreFault {
        switch resultCode & 0xff {
        case 13: return .store(.full)                        // SQLITE_FULL
        case 8: return .store(.readOnly)                     // SQLITE_READONLY
        case 3, 23: return .store(.readOnly)                 // SQLITE_PERM, SQLITE_AUTH: not allowed to write
        case 5, 6: return .store(.busy)                      // SQLITE_BUSY, SQLITE_LOCKED
        case 10, 22: return .store(.ioError)                 // SQLITE_IOERR, SQLITE_NOLFS
        case 11, 26: return .store(.corrupt)                 // SQLITE_CORRUPT, SQLITE_NOTADB
        case 14: return .store(.unavailable)                 // SQLITE_CANTOPEN
        case 7: return .store(.outOfMemory)                  // SQLITE_NOMEM
        // SQLITE_INTERNAL, PROTOCOL, SCHEMA (changed under us), ABORT (the transaction was
        // rolled back), INTERRUPT, MISUSE, and the codes SQLite never returns from a call
        // (NOTFOUND, EMPTY, FORMAT, NOTICE, WARNING): the connection, not the message.
        case 2, 4, 9, 12, 15, 16, 17, 21, 24, 27, 28: return .store(.other)
        // SQLITE_ERROR (an SQL error on this message's values), TOOBIG (a value over the
        // limits), CONSTRAINT, MISMATCH (a value of the wrong type), RANGE (a bad bind).
        case 1, 18, 19, 20, 25: return .message
        // 0, 100, 101 (OK, ROW, DONE) are not errors; anything else is unknown.
        default: return .store(.other)
        }
    }
}

/// What is wrong with the store, as logs name it (`reason=store-full`), with what to do.
public enum StoreCondition: String, Sendable, CaseIterable {
    case full = "store-full"
    case readOnly = "store-readonly"
    case busy = "store-busy"
    case ioError = "store-io-error"
    case corrupt = "store-corrupt"
    case unavailable = "store-unavailable"
    case outOfMemory = "store-out-of-memory"
    case other = "store-error"

    /// One line for the operator; the daemon keeps retrying either way.
    public var advice: String {
        switch self {
        case .full: return "free space on the filesystem holding the database (df -h); postdesk retries by itself and takes the mail in once there is room"
        case .readOnly: return "make the database, its directory and its -wal/-shm files writable by the service user (or remount the filesystem read-write); postdesk retries by itself"
        case .busy: return "another process holds the database; postdesk retries by itself"
        case .ioError: return "the disk reported an I/O error: check dmesg and the filesystem; postdesk retries by itself"
        case .corrupt: return "stop postdesk, run 'postdesk doctor' and restore the database from a backup"
        case .unavailable: return "the database file or its directory cannot be opened: check that they exist and belong to the service user"
        case .outOfMemory: return "the process ran out of memory; postdesk retries by itself"
        case .other: return "see the error; postdesk retries by itself"
        }
    }

    /// Short words for a status line (`STATUS=store full`).
    public var words: String {
        rawValue.replacingOccurrences(of: "-", with: " ")
    }
}

extension StoreError {
    /// The store's fault or the message's (see `StoreFault`).
    public var fault: StoreFault {
        switch kind {
        case .sqlite(let code): return StoreFault.of(resultCode: code)
        case .schemaTooNew: return .store(.other)
        case .notFound, .invalid: return .message
        }
    }

    public var condition: StoreCondition? {
        if case .store(let condition) = fault { return condition }
        return nil
    }

    public var isStoreFailure: Bool { condition != nil }

    /// This error as a store failure: itself when it is one, else (a step that must not fail
    /// for a message's sake failed, e.g. the quarantine insert) an abort naming what failed.
    public func asStoreFailure(while doing: String) -> StoreError {
        if isStoreFailure { return self }
        return StoreError(kind: .sqlite(code: 4), message: "\(doing) failed: \(self)")
    }
}
