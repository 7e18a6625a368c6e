import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Open iconv converters to UTF-8, kept for reuse: `iconv_open` loads the charset's gconv module
/// (a dlopen) and `iconv_close` unloads it, which cost more than converting a whole message.
/// A converter is used by one caller at a time: `take` hands it out, `give` resets and returns it.
final class IconvPool: @unchecked Sendable {
    static let shared = IconvPool()

    private var idle: [String: [iconv_t]] = [:]
    private let lock = NSLock()
    /// Bounds on what is kept open (labels come from mail, so their number is not ours to pick).
    private let perCharset = 4
    private let charsets = 64

    /// An open converter from `charset` to UTF-8, or nil when iconv does not know the charset.
    func take(_ charset: String) -> iconv_t? {
        lock.lock()
        if let cd = idle[charset]?.popLast() {
            lock.unlock()
            return cd
        }
        lock.unlock()
        let cd = iconv_open("UTF-8", charset)
        return cd == iconv_t(bitPattern: -1) ? nil : cd
    }

    /// Returns a converter from `take`, in its initial shift state; closes it when the pool is full.
    func give(_ cd: iconv_t, _ charset: String) {
        _ = iconv(cd, nil, nil, nil, nil)
        lock.lock()
        if idle[charset, default: []].count < perCharset, idle[charset] != nil || idle.count < charsets {
            idle[charset, default: []].append(cd)
            lock.unlock()
            return
        }
        lock.unlock()
        iconv_close(cd)
    }
}
