import Foundation

/// Amazon SES bounce notifications delivered by e-mail through SNS (`no-reply@sns.amazonaws.com`):
/// the body is the JSON notification (`"notificationType":"Bounce"`), or the SNS envelope around it
/// (`"Message"` holds the notification as a string).
enum BounceNotificationJSON {
    /// Whether `text` looks like an SES/SNS bounce notification (cheap check, no parse).
    static func isBounceNotification(_ text: String) -> Bool {
        text.contains("bouncedRecipients") && text.contains("notificationType")
    }

    static func recipients(in text: String) -> [BounceReport.Recipient]? {
        guard isBounceNotification(text), let object = jsonObject(in: text) else { return nil }
        var notification = object
        if let inner = object["Message"] as? String, let parsed = jsonObject(in: inner) { notification = parsed }
        guard (notification["notificationType"] as? String)?.lowercased() == "bounce",
              let bounce = notification["bounce"] as? [String: Any],
              let list = bounce["bouncedRecipients"] as? [[String: Any]] else { return nil }
        // "Transient" and "Undetermined" are not a reason to stop mailing an address.
        let permanentType = (bounce["bounceType"] as? String)?.lowercased() == "permanent"
        return list.prefix(BounceReport.maxRecipients).compactMap { entry in
            guard let address = entry["emailAddress"] as? String else { return nil }
            let status = (entry["status"] as? String).flatMap(EnhancedStatus.first(in:))
            let diagnostic = (entry["diagnosticCode"] as? String).map { String(DeliveryStatusText.afterType($0).prefix(BounceReport.maxDiagnostic)) }
            let permanent = permanentType && (status.map { $0.hasPrefix("5") } ?? true)
            return BounceReport.Recipient(address: Address.normalised(BounceProse.addresses(in: address).first ?? address),
                                          permanent: permanent,
                                          status: status, action: (entry["action"] as? String)?.lowercased(), diagnostic: diagnostic)
        }
    }

    /// The outermost `{...}` of `text`, parsed.
    static func jsonObject(in text: String) -> [String: Any]? {
        guard let open = text.firstIndex(of: "{"), let close = text.lastIndex(of: "}"), open < close,
              let data = String(text[open...close]).data(using: .utf8) else { return nil }
        return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
    }
}
