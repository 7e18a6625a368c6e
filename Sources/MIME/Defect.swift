/// Something wrong with a message that the parser noticed and worked around.
/// Broken mail is recorded, never thrown: the message stays usable.
public enum Defect: Sendable, Equatable, Hashable {
    case placeholder(String)
}
