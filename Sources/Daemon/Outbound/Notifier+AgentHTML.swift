import Foundation
import MIME
import Store
import Ticketing

extension Notifier {
    /// An agent's reply to the customer keeps her HTML (see `AgentHTMLRelay`): sets the
    /// rendered HTML and returns the files with the images it shows made inline (related parts).
    func relayAgentHTML(_ mail: PlannedMail, ticket: TicketRecord, tickets: TicketStore, messageRow: Int64,
                        rendered: inout RenderedNotification, files: [OutgoingAttachment]) throws -> [OutgoingAttachment] {
        guard let text = mail.messageText, let raw = try tickets.raw(row: messageRow) else { return files }
        var marked = mail
        marked.messageText = AgentHTMLRelay.marker
        let (relayed, reason) = AgentHTMLRelay.html(raw: raw, text: TemplateValues.clippedMessageText(text), files: files,
                                                    templateHTML: render(marked, ticket: ticket, tickets: tickets).html)
        guard let relayed else {
            if reason != "no HTML part" { log.info("relay.html_not_kept", ["ticket": ticket.number, "reason": reason]) }
            return files
        }
        rendered.html = relayed.html
        return files.map { file in
            var f = file
            if let id = f.contentID, relayed.inlineContentIDs.contains(AgentHTMLRelay.bare(id)) { f.isInline = true }
            return f
        }
    }

    /// The language `mail`'s template speaks for `ticket`.
    func templateLanguage(_ mail: PlannedMail, ticket: TicketRecord, tickets: TicketStore) -> String {
        templates.template(for: mail.event, languages: languages(for: ticket, tickets: tickets)).language
    }
}
