import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Room and write access for the store: a full or read-only filesystem stops intake (the mail
/// waits on the server, nothing is lost), so doctor says so before the daemon has to.
extension Doctor {
    func checkStoreSpace(_ path: String, _ report: (DoctorFinding) -> Void) {
        let dir = Self.directory(of: path)
        guard let space = FilesystemSpace.of(dir) else {
            report(DoctorFinding(.warn, "store: space", "cannot read the free space of \(dir): \(String(cString: strerror(errno)))"))
            return
        }
        report(Self.spaceFinding(space, directory: dir))
        report(Self.writableFinding(path: path, readOnlyFilesystem: space.readOnly))
    }

    static func spaceFinding(_ space: FilesystemSpace, directory dir: String) -> DoctorFinding {
        let detail = "\(FilesystemSpace.text(space.free)) free of \(FilesystemSpace.text(space.size)) "
            + "(\(String(format: "%.0f", space.percentFree)) %) on the filesystem of \(dir)"
        guard space.isLow else { return DoctorFinding(.ok, "store: space", detail) }
        return DoctorFinding(.warn, "store: space", "\(detail): under 10 % or 500 MB; when it runs out, new mail waits on the server",
                             hint: "free space or grow the filesystem (df -h \(dir)); postdesk takes the waiting mail in by itself once there is room")
    }

    /// The store, its -wal/-shm and its directory must be writable by the service user: the
    /// owner of the database file (whoever runs doctor).
    static func writableFinding(path: String, readOnlyFilesystem: Bool) -> DoctorFinding {
        let dir = directory(of: path)
        if readOnlyFilesystem {
            return DoctorFinding(.fail, "store: writable", "the filesystem holding \(dir) is mounted read-only: no mail can be taken in",
                                 hint: "remount it read-write (mount -o remount,rw); postdesk retries by itself")
        }
        var file = stat()
        guard stat(path, &file) == 0 else {
            return DoctorFinding(.fail, "store: writable", "cannot stat \(path): \(String(cString: strerror(errno)))")
        }
        var problems: [String] = []
        if file.st_mode & S_IWUSR == 0 { problems.append("\(path) is not writable by its owner \(userName(file.st_uid))") }
        var folder = stat()
        if stat(dir, &folder) == 0 {
            let writable = folder.st_uid == file.st_uid ? folder.st_mode & S_IWUSR != 0
                : folder.st_gid == file.st_gid ? folder.st_mode & S_IWGRP != 0 : folder.st_mode & S_IWOTH != 0
            if !writable && file.st_uid != 0 { problems.append("\(dir) is not writable by \(userName(file.st_uid)) (SQLite creates its -wal and -shm there)") }
        }
        for suffix in ["-wal", "-shm"] {
            var side = stat()
            if stat(path + suffix, &side) == 0, side.st_uid != file.st_uid, file.st_uid != 0 {
                problems.append("\(path + suffix) belongs to \(userName(side.st_uid)), not to \(userName(file.st_uid))")
            } else if stat(path + suffix, &side) == 0, side.st_mode & S_IWUSR == 0 {
                problems.append("\(path + suffix) is not writable by its owner")
            }
        }
        guard problems.isEmpty else {
            return DoctorFinding(.fail, "store: writable", problems.joined(separator: "; "),
                                 hint: "chown -R \(ownerName(file.st_uid)) \(dir) and make the files mode 0600; postdesk retries by itself")
        }
        return DoctorFinding(.ok, "store: writable", "\(path), its directory and log files are writable by \(userName(file.st_uid))")
    }

    static func directory(of path: String) -> String {
        let dir = (path as NSString).deletingLastPathComponent
        return dir.isEmpty ? "." : dir
    }

    static func ownerName(_ uid: uid_t) -> String {
        getpwuid(uid).flatMap { $0.pointee.pw_name.map { String(cString: $0) } } ?? "\(uid)"
    }
}
