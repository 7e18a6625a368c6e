import Foundation
#if canImport(Glibc)
import Glibc
#endif

extension Charset {
    /// `text` in the charset `label`, or nil when iconv does not know it, a character has no
    /// place in it, or the bytes would not read back as the same text with our decoder (so what
    /// we write is what the recipient reads).
    static func encode(_ text: String, to label: String) -> [UInt8]? {
        let name = canonicalName(label)
        if name == "UTF-8" { return Array(text.utf8) }
        // A reused converter (IconvPool) comes back reset to its initial shift state.
        guard let cd = IconvPool.shared.take("UTF-8", to: name) else { return nil }
        defer { IconvPool.shared.give(cd, "UTF-8", to: name) }
        var input = Array(text.utf8)
        var out = [UInt8](repeating: 0, count: max(64, input.count * 4 + 16))
        var produced = 0
        let ok: Bool = input.withUnsafeMutableBufferPointer { ib in
            var inLeft = ib.count
            var inPtr: UnsafeMutablePointer<CChar>? = ib.baseAddress.map { UnsafeMutableRawPointer($0).assumingMemoryBound(to: CChar.self) }
            return out.withUnsafeMutableBufferPointer { ob in
                var outLeft = ob.count
                var outPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(ob.baseAddress!).assumingMemoryBound(to: CChar.self)
                if inLeft > 0, iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft) == -1 { return false }
                // Stateful charsets (ISO-2022-JP) return to their initial state at the end.
                if iconv(cd, nil, nil, &outPtr, &outLeft) == -1 { return false }
                produced = ob.count - outLeft
                return true
            }
        }
        guard ok else { return nil }
        let bytes = Array(out[..<produced])
        let back = decode(bytes, label: label)
        guard !back.lossy, !back.unknown, back.text == text else { return nil }
        return bytes
    }
}
