import XCTest
@testable import Ticketing

/// `{{message.text}}` (where a reply relayed as HTML goes) stays in element content also when a
/// layout puts the template's text somewhere else: checked once the partials are filled in.
extension TemplateSetTests {
    func testALayoutCannotCarryTheRelayedReplyIntoAnAttribute() {
        var files = englishFiles()
        files["_layout.html"] = .init(text: "<div title=\"{{$tip}}{{/tip}}\">\n{{$body}}\n{{/body}}\n</div>\n", origin: "/t/_layout.html")
        files["reply.en.html"] = .init(text: "{{< layout}}{{$body}}<p>{{message.text}}</p>{{/body}}{{/layout}}\n", origin: "/t/reply.en.html")
        XCTAssertEqual(reason { try TemplateSet.build(shipped: files) }, "built", "in element content")
        files["reply.en.html"] = .init(text: "{{< layout}}{{$tip}}{{message.text}}{{/tip}}{{/layout}}\n", origin: "/t/reply.en.html")
        XCTAssertEqual(reason { try TemplateSet.build(shipped: files) },
                       "/t/reply.en.html (with its partials):1: {{message.text}} in <div> attribute title: it may stand only "
                       + "in element content (a reply relayed as HTML would be spliced into the attribute)")
    }

    func testALayoutCannotCarryTheRelayedReplyIntoAComment() {
        var files = englishFiles()
        files["_layout.html"] = .init(text: "<div>\n<!-- {{$note}}{{/note}} -->\n{{$body}}\n{{/body}}\n</div>\n", origin: "/t/_layout.html")
        files["reply.en.html"] = .init(text: "{{< layout}}{{$body}}<p>{{message.text}}</p>{{/body}}{{/layout}}\n", origin: "/t/reply.en.html")
        XCTAssertEqual(reason { try TemplateSet.build(shipped: files) }, "built", "in element content")
        files["reply.en.html"] = .init(text: "{{< layout}}{{$note}}{{message.text}}{{/note}}{{/layout}}\n", origin: "/t/reply.en.html")
        XCTAssertEqual(reason { try TemplateSet.build(shipped: files) },
                       "/t/reply.en.html (with its partials):2: {{message.text}} in an HTML comment: it may stand only "
                       + "in element content (a reply relayed as HTML would end the comment at its first \"-->\")")
    }
}
