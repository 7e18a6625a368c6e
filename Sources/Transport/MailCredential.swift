/// How a client proves who it is. Values are secrets: never log or print them.
public enum MailCredential: Sendable, Equatable {
    /// LOGIN/PLAIN (libcurl picks the best SASL mechanism the server offers).
    case password(String)
    /// An OAuth 2 access token for SASL XOAUTH2 (Gmail, Microsoft 365); read it fresh per connect.
    case bearer(String)
    /// No authentication (SMTP relays that trust the network).
    case none
}
