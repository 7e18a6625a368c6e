import Foundation
import MIME
import Store
import Ticketing

/// Agents' notices name the ticket's note address, `support+N-note@…`: a mail to it from a
/// proven agent is an internal note (the other agents and the assignee hear of it, never the
/// customer). Printed only with `plus_addressing`, which says our MTA delivers `+detail`.
extension Notifier {
    /// `support+N-note@domain` for ticket `number`, or nil when plus-addressing is off.
    func noteAddress(ticket number: Int) -> String? {
        guard config.agentWorkflow.plusAddressing, let base = MessageRouter.plusAddressBases(config).first,
              let at = base.lastIndex(of: "@") else { return nil }
        return "\(base[..<at])+\(number)-note\(base[at...])"
    }

    /// `rendered` (an agent's notice about `ticket`) with the note address as the last line of
    /// its text and, in its HTML, a mailto link whose subject keeps the ticket's tag.
    func withNoteAddress(_ rendered: RenderedNotification, ticket: TicketRecord, language: String) -> RenderedNotification {
        guard let address = noteAddress(ticket: Int(ticket.number)) else { return rendered }
        var out = rendered
        let label = Self.noteLabel(language)
        out.text = rendered.text.trimmingTrailingNewlines() + "\n\(label): \(address)\n"
        if let html = rendered.html {
            let subject = "Re: " + tags.subject(rendered.subject, taggedWith: Int(ticket.number))
            // RFC 6068: UTF-8, percent-encoded; only ASCII unreserved characters stay as they are.
            let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
            let query = subject.addingPercentEncoding(withAllowedCharacters: unreserved) ?? ""
            let link = "<p>\(Template.escape(label, for: .html)): <a href=\"mailto:\(address)?subject=\(query)\">\(address)</a></p>\n"
            if let end = html.range(of: "</body>", options: [.caseInsensitive, .backwards]) {
                out.html = html.replacingCharacters(in: end.lowerBound..<end.lowerBound, with: link)
            } else {
                out.html = html + link
            }
        }
        return out
    }

    /// The footer's words in the notice's language.
    static func noteLabel(_ language: String) -> String {
        switch language {
        case "de": return "Interne Notiz an die Kollegen (nie an den Kunden)"
        case "ru": return "Внутренняя заметка коллегам (клиент её не увидит)"
        case "uk": return "Внутрішня нотатка колегам (клієнт її не побачить)"
        default: return "Internal note to the other agents (never the customer)"
        }
    }
}

private extension String {
    func trimmingTrailingNewlines() -> String {
        var s = self
        while s.hasSuffix("\n") || s.hasSuffix("\r") { s.removeLast() }
        return s
    }
}
