import Store

extension Intake {
    /// Runs a quarantined message through the intake again (after a fix or a raised limit).
    /// Success marks the entry imported and links its delivery; failure counts an attempt.
    /// `asNew`: an operator reviewed a message held by `stranger_policy: hold` and releases it
    /// as a new (linked) ticket instead of holding it again.
    public func retryQuarantined(_ id: Int64, asNew: Bool = false) throws -> IntakeOutcome {
        router.releaseHeld = asNew
        defer { router.releaseHeld = false }
        guard let entry = try quarantine.entry(id), entry.status == "held", let raw = try quarantine.raw(id) else {
            throw IntakeError(reason: "quarantine entry \(id) is not held")
        }
        let now = clock.unixSeconds()
        if raw.count > config.maxMessageBytes {
            let reason = "oversized: \(raw.count) bytes > max_message_bytes \(config.maxMessageBytes)"
            try quarantine.recordFailedRetry(id, reason: reason, error: nil, now: now)
            return .quarantined(id: id, reason: reason)
        }
        do {
            return try db.transaction {
                let outcome = try process(raw: raw, key: nil)
                try quarantine.markImported(id, now: now)
                switch outcome {
                case .imported(_, let row, _), .duplicate(let row), .ownMail(let row, _):
                    try db.execute("UPDATE deliveries SET message_row = ?, outcome = 'imported' WHERE quarantine_id = ?", [row, id])
                default: break
                }
                return outcome
            }
        } catch let error as StoreError where error.isStoreFailure {
            throw error
        } catch {
            let reason = (error as? IntakeError)?.reason ?? "processing failed"
            try quarantine.recordFailedRetry(id, reason: reason, error: "\(error)", now: now)
            return .quarantined(id: id, reason: reason)
        }
    }
}
