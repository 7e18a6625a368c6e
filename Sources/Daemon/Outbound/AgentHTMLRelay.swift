import Foundation
import MIME
import Store
import Ticketing

/// An agent's HTML reply, passed on to the customer as the HTML of the relayed mail (with its
/// inline images as related parts) instead of the template's plain text in HTML dress.
///
/// Safety rests on the plain text, which the relay already trusts: the agent's new text with
/// commands, quoted history and signature removed (`PlannedMail.messageText`). The HTML is
/// sanitised and cut (`HTMLReply`), then used only when it shows the same words as that text:
/// nothing more (a quote the cut missed would carry the notice's handles, note address or an
/// internal note to the customer) and nothing less (a `#macro` inserts text the HTML lacks).
/// Every link must appear in the text too. Otherwise the mail goes as before, text only.
struct AgentHTMLRelay {
    /// Stands for the message in the template's HTML, replaced by the agent's HTML after
    /// rendering (private-use characters: no escaping touches them, no mail contains them).
    static let marker = "\u{E000}postdesk-agent-html\u{E001}"

    struct Result: Equatable {
        var html: String
        /// Content-IDs (without brackets) of the images the HTML shows: related parts, not attachments.
        var inlineContentIDs: Set<String>
    }

    /// `raw`: the agent's stored message; `text`: what the relay sends as text; `files`: the
    /// files going with the mail; `templateHTML`: the template's HTML rendered with `marker`
    /// as the message. Nil: send the template's own HTML.
    static func html(raw: [UInt8], text: String, files: [OutgoingAttachment], templateHTML: String?) -> (Result?, reason: String) {
        guard let templateHTML, templateHTML.contains(marker) else { return (nil, "template has no HTML message") }
        guard let source = Message.parse(raw).html else { return (nil, "no HTML part") }
        let fragment = HTMLReply.sanitise(source, isCommand: { $0.hasPrefix("#") })
        let shown = HTMLReply.words(html: fragment.html)
        let sent = HTMLReply.words(text: text)
        let sentSet = Set(sent)
        guard !shown.isEmpty else { return (nil, "empty HTML") }
        guard Set(shown).isSubset(of: sentSet) else { return (nil, "HTML shows more than the text") }
        let linkWords = Set(HTMLReply.links(fragment.html).flatMap { HTMLReply.words(text: $0) })
        guard sentSet.isSubset(of: Set(shown).union(linkWords)) else { return (nil, "text has words the HTML lacks") }
        let plain = text.lowercased()
        for link in HTMLReply.links(fragment.html) {
            let target = link.lowercased().hasPrefix("mailto:") ? String(link.dropFirst(7)) : link
            guard plain.contains(target.lowercased()) else { return (nil, "a link not in the text") }
        }
        let available = Set(files.compactMap { $0.contentID.map(bare) })
        let images = Set(fragment.contentIDs.map(bare))
        guard images.isSubset(of: available) else { return (nil, "an image not sent with the mail") }
        let html = templateHTML.replacingOccurrences(of: marker, with: fragment.html)
        return (Result(html: html, inlineContentIDs: images), "ok")
    }

    static func bare(_ id: String) -> String { id.trimmingCharacters(in: CharacterSet(charactersIn: "<> ")) }
}
