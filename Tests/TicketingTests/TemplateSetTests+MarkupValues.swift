import XCTest
@testable import Ticketing

/// `{{message.text}}` (where a reply relayed as HTML goes) stays in element content also when a
/// layout puts the template's text somewhere else: checked once the partials are filled in.
extension TemplateSetTests {
    func testALayoutCannotCarryTheRelayedReplyIntoAnAttribute() {
        XCTAssertEqual(relayedReplyThroughALayout(slot: "<div title=\"{{$aside}}{{/aside}}\">\n"),
                       "/t/reply.en.html (with its partials):1: {{message.text}} in <div> attribute title: it may stand only "
                       + "in element content (a reply relayed as HTML would be spliced into the attribute)")
    }

    func testALayoutCannotCarryTheRelayedReplyIntoAComment() {
        XCTAssertEqual(relayedReplyThroughALayout(slot: "<div>\n<!-- {{$aside}}{{/aside}} -->\n"),
                       "/t/reply.en.html (with its partials):2: {{message.text}} in an HTML comment: it may stand only "
                       + "in element content (a reply relayed as HTML would end the comment at its first \"-->\")")
    }

    /// A layout opening with `slot` (which holds the slot `aside`) around a `body` slot: a reply
    /// template putting `{{message.text}}` in `body` builds; the reason it does not when it puts
    /// the placeholder in `aside`.
    func relayedReplyThroughALayout(slot: String) -> String {
        var files = englishFiles()
        files["_layout.html"] = .init(text: slot + "{{$body}}\n{{/body}}\n</div>\n", origin: "/t/_layout.html")
        files["reply.en.html"] = .init(text: "{{< layout}}{{$body}}<p>{{message.text}}</p>{{/body}}{{/layout}}\n", origin: "/t/reply.en.html")
        XCTAssertEqual(reason { try TemplateSet.build(shipped: files) }, "built", "in element content")
        files["reply.en.html"] = .init(text: "{{< layout}}{{$aside}}{{message.text}}{{/aside}}{{/layout}}\n", origin: "/t/reply.en.html")
        return reason { try TemplateSet.build(shipped: files) }
    }
}
