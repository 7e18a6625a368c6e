import Store
import Transport

/// The mailbox and SMTP checks: each step the daemon takes, one finding per step, stopping at
/// the first that fails (the later ones cannot be tried). Nothing is fetched, flagged or sent.
extension Doctor {
    func checkMailbox(_ box: MailboxConfig, index: Int, db: Database?, _ report: (DoctorFinding) -> Void) {
        let base = "mailboxes[\(index)]"
        let check = "mailbox \(box.name)"
        let plain = box.auth == .plain
        let prefix = plain ? "password" : "token"
        let source = plain ? box.password : box.token
        let key = source.map { Self.secretKey($0, prefix: prefix, base: base) } ?? "\(base).\(prefix)_file"
        guard let secret = readSecret(source, what: prefix, check: check, key: key, report) else { return }

        let endpoint = IMAPEndpoint(host: box.host, port: box.port, implicitTLS: box.implicitTLS, requireTLS: box.tls == .required,
                                    caFile: box.caFile, user: box.user, credential: plain ? .password(secret) : .bearer(secret),
                                    timeoutSeconds: timeoutSeconds)
        let client = CurlIMAPClient(endpoint: endpoint)
        do {
            try client.connect()
        } catch {
            reportConnectFailure(error, check: check, base: base, user: box.user, key: key, implicitTLS: box.implicitTLS,
                                 tls: box.tls, host: box.host, scheme: box.implicitTLS ? "imaps" : "imap", report)
            return
        }
        defer { client.logout() }
        report(DoctorFinding(.ok, "\(check): connect", endpoint.address))
        report(tlsFinding(check: check, base: base, implicitTLS: box.implicitTLS, tls: box.tls, host: box.host,
                          negotiated: true, scheme: box.implicitTLS ? "imaps" : "imap"))
        report(DoctorFinding(.ok, "\(check): login", "logged in as \(box.user) (\(plain ? "password" : "XOAUTH2 token"))"))

        let folder: IMAPMailbox
        do {
            folder = try client.examine(box.folder)
        } catch let error as TransportError where error.kind == .rejected {
            report(DoctorFinding(.fail, "\(check): folder", "the server has no folder \"\(box.folder)\" for \(box.user) (\(error.message))",
                                 hint: "check \(base).folder (names are case-sensitive, except INBOX)"))
            return
        } catch {
            report(DoctorFinding(.fail, "\(check): folder", "EXAMINE \"\(box.folder)\" failed: \(error)",
                                 hint: "try again; if it persists, check the server's log"))
            return
        }
        report(DoctorFinding(.ok, "\(check): folder", "\"\(box.folder)\" exists: \(folder.exists) messages, UIDVALIDITY \(folder.uidValidity)"))
        report(countFinding(box, folder: folder, client: client, db: db, check: check))
    }

    /// The server's count against what the store took from this mailbox.
    func countFinding(_ box: MailboxConfig, folder: IMAPMailbox, client: CurlIMAPClient, db: Database?, check: String) -> DoctorFinding {
        let label = "\(check): count"
        guard let db else {
            return DoctorFinding(.ok, label, "server \(folder.exists) messages; no usable store to compare with")
        }
        let store = MailboxStore(db: db)
        guard let counts = try? store.counts(mailbox: box.name), let cursor = try? store.cursor(box.name) else {
            return DoctorFinding(.ok, label, "server \(folder.exists) messages; not polled yet, the first poll takes them all")
        }
        if cursor.uidValidity != 0 && cursor.uidValidity != Int64(folder.uidValidity) {
            return DoctorFinding(.warn, label, "UIDVALIDITY changed (store \(cursor.uidValidity), server \(folder.uidValidity)): the next poll walks the folder again",
                                 hint: "nothing to do (known messages are matched, not imported twice) unless it recurs: a server restore or migration renumbers folders")
        }
        var waiting = "?"
        if cursor.lastUID < Int64(UInt32.max), let uids = try? client.searchUIDs(in: UInt32(cursor.lastUID + 1)...UInt32.max) {
            waiting = String(uids.count)
        }
        let taken = counts.imported + counts.duplicate + counts.quarantined
        let detail = "server \(folder.exists) messages, \(waiting) waiting above UID \(cursor.lastUID); store took \(taken) "
            + "(imported \(counts.imported), duplicate \(counts.duplicate), quarantined \(counts.quarantined)), "
            + "\(counts.pendingActions) after-import action(s) pending"
        // The count alarm, checked live against the server (the daemon's last count may be
        // stale while the store cannot be written): what sits at or below the cursor that no
        // delivery accounts for.
        if let folderUIDs = try? client.allUIDs(exists: folder.exists),
           let reconciled = try? Reconciliation(uidValidity: Int64(folder.uidValidity), cursor: cursor.lastUID, folder: folderUIDs,
                                                store: store, mailbox: box.name),
           let (notTaken, stillThere) = try? reconciled.unaccounted(store: store, mailbox: box.name, afterImport: box.afterImport),
           !notTaken.isEmpty || !stillThere.isEmpty {
            var parts: [String] = []
            if !notTaken.isEmpty { parts.append("\(notTaken.count) at or below UID \(cursor.lastUID) never taken in (first UID \(notTaken[0]))") }
            if !stillThere.isEmpty { parts.append("\(stillThere.count) \(box.afterImport) by the store's account but still in the folder (first UID \(stillThere[0]))") }
            return DoctorFinding(.warn, label, "\(notTaken.count + stillThere.count) unaccounted: \(parts.joined(separator: "; ")); \(detail)",
                                 hint: notTaken.isEmpty ? "check the server's log for failed MOVE/EXPUNGE; postdesk does not import them twice"
                                     : "the next successful poll takes them in (postdesk reconciles the folder each poll); if the daemon is failing, see journalctl -u postdesk")
        }
        if let error = cursor.lastError {
            return DoctorFinding(.warn, label, "\(detail); the last poll failed: \(error)",
                                 hint: "if the daemon keeps failing while doctor succeeds, see journalctl -u postdesk")
        }
        return DoctorFinding(.ok, label, detail)
    }

    func checkSMTP(_ smtp: SMTPConfig, _ report: (DoctorFinding) -> Void) {
        let check = "smtp"
        var credential = MailCredential.none
        let key = smtp.password.map { Self.secretKey($0, prefix: "password", base: "smtp") } ?? "smtp.password_file"
        if let source = smtp.password {
            guard let secret = readSecret(source, what: "password", check: check, key: key, report) else { return }
            credential = .password(secret)
        }
        let endpoint = SMTPEndpoint(host: smtp.host, port: smtp.port, implicitTLS: smtp.implicitTLS, requireTLS: smtp.tls == .required,
                                    caFile: smtp.caFile, user: smtp.user, credential: credential, timeoutSeconds: timeoutSeconds)
        let probe: SMTPProbe
        do {
            probe = try CurlSMTPClient(endpoint: endpoint).probe()
        } catch {
            reportConnectFailure(error, check: check, base: "smtp", user: smtp.user ?? "-", key: key, implicitTLS: smtp.implicitTLS,
                                 tls: smtp.tls, host: smtp.host, scheme: smtp.implicitTLS ? "smtps" : "smtp", report)
            return
        }
        report(DoctorFinding(.ok, "\(check): connect", "\(endpoint.address) (nothing sent)"))
        report(tlsFinding(check: check, base: "smtp", implicitTLS: smtp.implicitTLS, tls: smtp.tls, host: smtp.host,
                          negotiated: smtp.implicitTLS || probe.startTLS, scheme: smtp.implicitTLS ? "smtps" : "smtp"))
        let offered = probe.authMechanisms.isEmpty ? "none" : probe.authMechanisms.joined(separator: " ")
        if let user = smtp.user {
            if probe.authenticated {
                report(DoctorFinding(.ok, "\(check): auth", "authenticated as \(user) (server offers \(offered))"))
            } else {
                report(DoctorFinding(.warn, "\(check): auth", "the server offers no AUTH, so the login of \(user) was not tried",
                                     hint: "use the submission port (smtp://host:587) or smtps://, or remove smtp.user for a relay that trusts this host"))
            }
        } else {
            report(DoctorFinding(.ok, "\(check): auth", "no login configured; the server must relay for this host (it offers AUTH: \(offered))"))
        }
    }

    // MARK: - Shared steps

    /// The secret's value, or nil after reporting why it cannot be read.
    func readSecret(_ source: SecretSource?, what: String, check: String, key: String, _ report: (DoctorFinding) -> Void) -> String? {
        guard let source else {
            report(DoctorFinding(.fail, "\(check): secret", "no \(what) source configured", hint: "set \(key)"))
            return nil
        }
        do {
            let value = try SecretReader.read(source, environment: environment)
            report(DoctorFinding(.ok, "\(check): secret", "\(what) from \(source)"))
            return value
        } catch {
            report(DoctorFinding(.fail, "\(check): secret", "cannot read the \(what): \(error)", hint: "check \(key)"))
            return nil
        }
    }

    /// Turns a failed connect-TLS-login into findings for the steps that passed and the one that failed.
    func reportConnectFailure(_ error: Error, check: String, base: String, user: String, key: String, implicitTLS: Bool,
                              tls: TLSMode, host: String, scheme: String, _ report: (DoctorFinding) -> Void) {
        guard let error = error as? TransportError else {
            report(DoctorFinding(.fail, "\(check): connect", "\(error)", hint: "check \(base).url"))
            return
        }
        let reached = DoctorFinding(.ok, "\(check): connect", error.host)
        switch error.kind {
        case .tls:
            report(reached)
            report(DoctorFinding(.fail, "\(check): tls", error.message,
                                 hint: "check \(base).ca_file, and the scheme in \(base).url (\(implicitTLS ? "smtps/imaps: TLS from the first byte" : "smtp/imap: STARTTLS"))"))
        case .auth:
            report(reached)
            report(tlsFinding(check: check, base: base, implicitTLS: implicitTLS, tls: tls, host: host, negotiated: true, scheme: scheme))
            report(DoctorFinding(.fail, "\(check): \(base == "smtp" ? "auth" : "login")", "the server refused the login for user \(user)",
                                 hint: "check \(key) and \(base).user"))
        case .protocolError, .rejected:
            report(reached)
            report(DoctorFinding(.fail, "\(check): \(base == "smtp" ? "auth" : "login")", "unexpected reply: \(error.message)",
                                 hint: "is \(base).url the right service and port?"))
        case .connect, .timeout, .io, .config:
            report(DoctorFinding(.fail, "\(check): connect", "\(error.host): \(error.message)",
                                 hint: "is the server up, and are the host and port in \(base).url right (a firewall)?"))
        }
    }

    func tlsFinding(check: String, base: String, implicitTLS: Bool, tls: TLSMode, host: String, negotiated: Bool, scheme: String) -> DoctorFinding {
        let label = "\(check): tls"
        if implicitTLS { return DoctorFinding(.ok, label, "implicit TLS (\(scheme)://), certificate verified") }
        if tls == .required {
            return negotiated ? DoctorFinding(.ok, label, "STARTTLS, certificate verified")
                : DoctorFinding(.fail, label, "STARTTLS was required but not negotiated", hint: "check \(base).url and \(base).tls")
        }
        let loopback = host == "localhost" || host.hasPrefix("127.") || host == "::1"
        if loopback { return DoctorFinding(.ok, label, "no TLS (tls: none) on loopback") }
        return DoctorFinding(.warn, label, "no TLS (tls: none): the login and the mail cross the network in clear text",
                             hint: "use \(scheme == "smtp" ? "smtps" : "imaps"):// or set \(base).tls to required")
    }
}
