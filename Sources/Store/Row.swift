/// One result row, addressable by column name or index.
public struct Row: Sendable {
    public let columns: [String]
    public let values: [SQLValue]

    public subscript(_ name: String) -> SQLValue {
        guard let i = columns.firstIndex(of: name) else { return .null }
        return values[i]
    }
    public subscript(_ index: Int) -> SQLValue { values[index] }

    public func int(_ name: String) -> Int64 { self[name].int ?? 0 }
    public func optionalInt(_ name: String) -> Int64? { self[name].int }
    public func text(_ name: String) -> String { self[name].string ?? "" }
    public func optionalText(_ name: String) -> String? { self[name].string }
    public func blob(_ name: String) -> [UInt8] { self[name].bytes ?? [] }
}
