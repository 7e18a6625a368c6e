import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Open iconv converters, kept for reuse: `iconv_open` loads the charset's gconv module (a dlopen)
/// and `iconv_close` unloads it, which cost more than converting a whole message. The parser
/// converts mail's charsets to UTF-8; the writer converts UTF-8 to the charset a text goes out in.
/// A converter is used by one caller at a time: `take` hands it out, `give` resets and returns it.
final class IconvPool: @unchecked Sendable {
    static let shared = IconvPool()

    private struct Direction: Hashable {
        let from: String
        let to: String
    }

    private var idle: [Direction: [iconv_t]] = [:]
    private let lock = NSLock()
    /// Bounds on what is kept open (labels come from mail, so their number is not ours to pick).
    private let perCharset = 4
    private let charsets = 64

    /// An open converter from `charset` to `target`, or nil when iconv does not know one of them.
    func take(_ charset: String, to target: String = "UTF-8") -> iconv_t? {
        let direction = Direction(from: charset, to: target)
        lock.lock()
        if let cd = idle[direction]?.popLast() {
            lock.unlock()
            return cd
        }
        lock.unlock()
        let cd = iconv_open(target, charset)
        return cd == iconv_t(bitPattern: -1) ? nil : cd
    }

    /// Returns a converter from `take`, in its initial shift state; closes it when the pool is full.
    func give(_ cd: iconv_t, _ charset: String, to target: String = "UTF-8") {
        let direction = Direction(from: charset, to: target)
        _ = iconv(cd, nil, nil, nil, nil)
        lock.lock()
        if idle[direction, default: []].count < perCharset, idle[direction] != nil || idle.count < charsets {
            idle[direction, default: []].append(cd)
            lock.unlock()
            return
        }
        lock.unlock()
        iconv_close(cd)
    }
}
