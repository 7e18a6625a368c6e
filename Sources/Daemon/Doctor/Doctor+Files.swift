import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// File permissions: the config, secret files, the signing key and the database. A secret
/// readable by every user fails; a file owned by someone other than root or this user warns
/// (they could change it).
extension Doctor {
    enum FileRole {
        /// The config; `holdsSecret` when a password is written in it.
        case config(holdsSecret: Bool)
        case secret
        case signingKey
        case database
    }

    func checkFiles(_ report: (DoctorFinding) -> Void) {
        report(checkFile(config.file, label: "file: config", role: .config(holdsSecret: config.holdsInlineSecret), key: "the config file"))
        for (index, mailbox) in config.mailboxes.enumerated() {
            for (prefix, source) in [("password", mailbox.password), ("token", mailbox.token)] {
                guard case .file(let path)? = source else { continue }
                let key = Self.secretKey(.file(path), prefix: prefix, base: "mailboxes[\(index)]")
                report(checkFile(path, label: "file: \(key)", role: .secret, key: key))
            }
        }
        if case .file(let path)? = config.smtp?.password {
            report(checkFile(path, label: "file: smtp.password_file", role: .secret, key: "smtp.password_file"))
        }
        report(checkFile(config.signingKeyFile, label: "file: signing key", role: .signingKey, key: "signing_key_file"))
        if databasePath != ":memory:", FileManager.default.fileExists(atPath: databasePath) {
            report(checkFile(databasePath, label: "file: database", role: .database, key: "database"))
        }
    }

    func checkFile(_ path: String, label: String, role: FileRole, key: String) -> DoctorFinding {
        var info = stat()
        guard stat(path, &info) == 0 else {
            let reason = String(cString: strerror(errno))
            switch role {
            case .signingKey where errno == ENOENT:
                if let blocked = Self.unwritableAncestor(of: path) {
                    return DoctorFinding(.fail, label, "\(path) does not exist and \(blocked) is not writable by \(Self.userName(geteuid()))",
                                         hint: "create the state directory owned by the service user, or set signing_key_file")
                }
                return DoctorFinding(.ok, label, "\(path) does not exist yet; the first run creates it (mode 600)")
            default:
                return DoctorFinding(.fail, label, "\(path): \(reason)", hint: "create it or correct \(key)")
            }
        }
        let mode = Int(info.st_mode) & 0o7777
        let modeText = "mode " + String(format: "%04o", mode)
        let owner = info.st_uid
        let me = geteuid()
        let isSecret: Bool = {
            switch role {
            case .config(let holdsSecret): return holdsSecret
            case .secret, .signingKey: return true
            case .database: return false
            }
        }()

        if mode & 0o002 != 0 {
            return DoctorFinding(.fail, label, "\(path) is writable by every user (\(modeText))", hint: "chmod o-w \(path)")
        }
        if isSecret && mode & 0o004 != 0 {
            let what = role.isConfig ? "holds a password and is readable by every user" : "is readable by every user"
            let alternative = role.isConfig ? " (or move the password to a password_file)" : ""
            return DoctorFinding(.fail, label, "\(path) \(what) (\(modeText))",
                                 hint: "chmod 600 \(path), or chmod 640 with the service user's group\(alternative)")
        }
        if access(path, R_OK) != 0 {
            return DoctorFinding(.fail, label, "\(path) cannot be read by \(Self.userName(me)) (\(modeText), owner \(Self.userName(owner)))",
                                 hint: "let the service user read it, e.g. chown root:postdesk \(path) && chmod 640 \(path)")
        }
        if case .signingKey = role {
            do { _ = try SigningKeyFile.load(path: path) } catch {
                return DoctorFinding(.fail, label, "\(error)", hint: "restore the key from a backup (a new key makes old ticket tag tokens unverifiable)")
            }
        }
        if owner != 0 && owner != me {
            return DoctorFinding(.warn, label, "\(path) is owned by \(Self.userName(owner)), who can change it (\(modeText))",
                                 hint: "chown root \(path) (or the service user)")
        }
        if case .database = role, mode & 0o004 != 0 {
            return DoctorFinding(.warn, label, "\(path) holds customer mail and is readable by every user (\(modeText))",
                                 hint: "chmod 600 \(path) (the service's UMask=0077 does this for new files)")
        }
        return DoctorFinding(.ok, label, "\(path) (\(modeText), owner \(Self.userName(owner)))")
    }
}

extension Doctor.FileRole {
    var isConfig: Bool {
        if case .config = self { return true }
        return false
    }
}
