import Foundation

/// A rule set's conditions compiled to flat tables of plain values: nodes, their children,
/// field tests and one arena of needle bytes. Evaluating walks indices through buffers that
/// never change after `init`, so a message costs no reference counting and no allocation per
/// rule (the condition tree cost both: profiles showed retain/release as a quarter of the time).
/// Immutable once built, hence `@unchecked Sendable`.
final class RuleProgram: @unchecked Sendable {
    enum NodeKind: UInt8 { case test, all, any, not }

    struct Node {
        var kind: NodeKind
        /// test: index in `tests`; all/any: first index in `children`; not: the inner node.
        var a: Int32
        /// all/any: number of children.
        var b: Int32
    }

    enum Op: UInt8 {
        case equals, contains, startsWith, endsWith, oneOf, matches
        case isTrue, numberEquals, greaterThan, lessThan
        case weekday, hour, outsideBusinessHours
    }

    enum Source: UInt8 { case text, hasAttachment, customerVIP, size, arrival }

    struct Test {
        var op: Op
        var source: Source
        /// Text fields: the slot of the field's values in a `RuleInput`.
        var slot: Int32
        /// Text operators: the first needle (index in `needleSpans`) and how many (`in` lists);
        /// `matches`: index in `patterns`; `weekday`: a bit per ISO weekday; `hour`: from, to.
        var first: Int32
        var count: Int32
        var number: Double
        /// `matches` with a required literal: its needle index, else -1.
        var literal: Int32
    }

    struct Span {
        var offset: Int32
        var length: Int32
    }

    let nodes: UnsafeMutableBufferPointer<Node>
    let children: UnsafeMutableBufferPointer<Int32>
    let tests: UnsafeMutableBufferPointer<Test>
    let needles: UnsafeMutableBufferPointer<UInt8>
    let needleSpans: UnsafeMutableBufferPointer<Span>
    let patterns: [RulePattern]
    /// Each rule's root node.
    let roots: [Int32]
    /// The condition each node was made from, for `because` (read only when shown).
    let conditions: [RuleCondition]
    /// Each node's condition in words, made at load: a hit's `because` costs no formatting per message.
    let because: [String]
    /// The fields text tests read, one slot each (folded and exact forms are separate slots).
    let slots: [RuleInput.SlotKey]
    /// Per slot: every needle that reads it is ASCII and folded, so its values need only their
    /// ASCII form when nothing in them folds into ASCII (see `TextFold.appendASCIIForm`).
    let asciiSlots: [Bool]
    let readsArrival: Bool
    let readsBusinessHours: Bool

    init(_ rules: [Rule]) {
        var builder = Builder()
        roots = rules.map { builder.add($0.when) }
        nodes = .copy(builder.nodes)
        children = .copy(builder.children)
        tests = .copy(builder.tests)
        needles = .copy(builder.needles)
        needleSpans = .copy(builder.spans)
        patterns = builder.patterns
        conditions = builder.conditions
        because = builder.conditions.map(\.description)
        slots = builder.slots
        asciiSlots = zip(builder.slots, builder.slotHasNonASCII).map { !$0.caseSensitive && !$1 }
        readsArrival = builder.tests.contains { $0.source == .arrival }
        readsBusinessHours = builder.tests.contains { $0.source == .arrival && $0.op == .outsideBusinessHours }
    }

    deinit {
        for buffer in [UnsafeMutableRawBufferPointer(nodes), UnsafeMutableRawBufferPointer(children), UnsafeMutableRawBufferPointer(tests),
                       UnsafeMutableRawBufferPointer(needles), UnsafeMutableRawBufferPointer(needleSpans)] {
            buffer.deallocate()
        }
    }

    /// Whether node `index` holds, and the node that decided: the failing part of an `all`, the
    /// matching part of an `any`, the node itself otherwise.
    func evaluate(_ index: Int32, _ input: inout RuleInput) -> (Bool, Int32) {
        let node = nodes[Int(index)]
        switch node.kind {
        case .test:
            // Rules repeat tests (the same `subject contains` in several rules): each distinct
            // test runs once per message.
            let i = Int(node.a)
            if input.known[i] == 0 { input.known[i] = test(tests[i], &input) ? 2 : 1 }
            return (input.known[i] == 2, index)
        case .all:
            for c in node.a..<node.a + node.b {
                let (ok, why) = evaluate(children[Int(c)], &input)
                if !ok { return (false, why) }
            }
            return (true, index)
        case .any:
            for c in node.a..<node.a + node.b {
                let (ok, why) = evaluate(children[Int(c)], &input)
                if ok { return (true, why) }
            }
            return (false, index)
        case .not:
            return (!evaluate(node.a, &input).0, index)
        }
    }

    private func needle(_ i: Int32) -> UnsafeRawBufferPointer {
        let span = needleSpans[Int(i)]
        return UnsafeRawBufferPointer(start: needles.baseAddress.map { UnsafeRawPointer($0 + Int(span.offset)) }, count: Int(span.length))
    }

    private func test(_ t: Test, _ input: inout RuleInput) -> Bool {
        switch t.source {
        case .hasAttachment: return t.number == (input.hasAttachment ? 1 : 0)
        case .customerVIP: return t.number == (input.vip ? 1 : 0)
        case .size:
            switch t.op {
            case .greaterThan: return input.size > t.number
            case .lessThan: return input.size < t.number
            default: return input.size == t.number
            }
        case .arrival:
            let arrival = input.facts.arrival
            switch t.op {
            case .weekday: return t.first & (1 << Int32(arrival.weekday)) != 0
            case .hour:
                let (from, to) = (Int(t.first), Int(t.count))
                return from <= to ? (arrival.hour >= from && arrival.hour < to) : (arrival.hour >= from || arrival.hour < to)
            default: return !arrival.businessHours
            }
        case .text:
            let slot = Int(t.slot)
            if t.op == .matches {
                if t.literal >= 0 {
                    let literal = needle(t.literal)
                    guard input.anyValue(slot, where: { TextFold.contains($0, literal) }) else { return false }
                }
                let pattern = patterns[Int(t.first)]
                return input.patternInput(slot).contains { pattern.matches($0) }
            }
            return input.anyValue(slot) { value in
                switch t.op {
                case .equals:
                    let n = needle(t.first)
                    return value.count == n.count && (n.isEmpty || TextFold.same(value.baseAddress!, n.baseAddress!, n.count))
                case .contains: return TextFold.contains(value, needle(t.first))
                case .startsWith:
                    let n = needle(t.first)
                    return value.count >= n.count && (n.isEmpty || TextFold.same(value.baseAddress!, n.baseAddress!, n.count))
                case .endsWith:
                    let n = needle(t.first)
                    return value.count >= n.count
                        && (n.isEmpty || TextFold.same(value.baseAddress! + (value.count - n.count), n.baseAddress!, n.count))
                case .oneOf:
                    for i in t.first..<t.first + t.count {
                        let n = needle(i)
                        if value.count == n.count && (n.isEmpty || TextFold.same(value.baseAddress!, n.baseAddress!, n.count)) { return true }
                    }
                    return false
                default: return false
                }
            }
        }
    }

    /// Flattens condition trees into the tables.
    private struct Builder {
        var nodes: [Node] = []
        var children: [Int32] = []
        var tests: [Test] = []
        var needles: [UInt8] = []
        var spans: [Span] = []
        var patterns: [RulePattern] = []
        var conditions: [RuleCondition] = []
        var slots: [RuleInput.SlotKey] = []
        /// Per slot: some needle reading it holds a non-ASCII byte.
        var slotHasNonASCII: [Bool] = []
        /// Each distinct test once: by field, case and operator with its operands.
        var seen: [String: Int32] = [:]

        mutating func add(_ condition: RuleCondition) -> Int32 {
            let index = Int32(nodes.count)
            nodes.append(Node(kind: .test, a: 0, b: 0))
            conditions.append(condition)
            switch condition {
            case .test(let t):
                nodes[Int(index)].a = addTest(t)
            case .arrival(let a):
                var test = Test(op: .outsideBusinessHours, source: .arrival, slot: -1, first: 0, count: 0, number: 0, literal: -1)
                switch a {
                case .weekday(let days):
                    test.op = .weekday
                    test.first = days.reduce(0) { $0 | 1 << Int32($1) }
                case .hour(let from, let to):
                    test.op = .hour
                    (test.first, test.count) = (Int32(from), Int32(to))
                case .outsideBusinessHours: break
                }
                nodes[Int(index)].a = Int32(tests.count)
                tests.append(test)
            case .all(let items), .any(let items):
                if case .all = condition { nodes[Int(index)].kind = .all } else { nodes[Int(index)].kind = .any }
                let inner = items.map { add($0) }
                nodes[Int(index)].a = Int32(children.count)
                nodes[Int(index)].b = Int32(inner.count)
                children += inner
            case .not(let item):
                nodes[Int(index)].kind = .not
                nodes[Int(index)].a = add(item)
            }
            return index
        }

        mutating func addNeedle(_ bytes: [UInt8], slot: Int32) -> Int32 {
            if bytes.contains(where: { $0 >= 0x80 }) { slotHasNonASCII[Int(slot)] = true }
            spans.append(Span(offset: Int32(needles.count), length: Int32(bytes.count)))
            needles += bytes
            return Int32(spans.count - 1)
        }

        mutating func addTest(_ t: RuleCondition.FieldTest) -> Int32 {
            var key = "\(t.field)|\(t.caseSensitive)|\(t.op)"
            if case .matches(let pattern) = t.op { key += "|\(pattern.caseSensitive)" }
            if let known = seen[key] { return known }
            let index = makeTest(t)
            seen[key] = index
            return index
        }

        mutating func makeTest(_ t: RuleCondition.FieldTest) -> Int32 {
            var test = Test(op: .equals, source: .text, slot: -1, first: 0, count: 1, number: 0, literal: -1)
            switch t.field {
            case .hasAttachment, .customerVIP:
                test.source = t.field == .hasAttachment ? .hasAttachment : .customerVIP
                test.op = .isTrue
                if case .isTrue(let wanted) = t.op { test.number = wanted ? 1 : 0 } else { test.number = -1 }
            case .size:
                test.source = .size
                switch t.op {
                case .greaterThan(let n): (test.op, test.number) = (.greaterThan, n)
                case .lessThan(let n): (test.op, test.number) = (.lessThan, n)
                case .numberEquals(let n): (test.op, test.number) = (.numberEquals, n)
                default: (test.op, test.number) = (.numberEquals, .nan) // never true, as before
                }
            default:
                let key = RuleInput.SlotKey(field: t.field, caseSensitive: t.caseSensitive)
                if let i = slots.firstIndex(of: key) { test.slot = Int32(i) } else {
                    slots.append(key)
                    slotHasNonASCII.append(false)
                    test.slot = Int32(slots.count - 1)
                }
                let slot = test.slot
                switch t.op {
                case .equals(let n): (test.op, test.first) = (.equals, addNeedle(n, slot: slot))
                case .contains(let n): (test.op, test.first) = (.contains, addNeedle(n, slot: slot))
                case .startsWith(let n): (test.op, test.first) = (.startsWith, addNeedle(n, slot: slot))
                case .endsWith(let n): (test.op, test.first) = (.endsWith, addNeedle(n, slot: slot))
                case .oneOf(let list):
                    test.op = .oneOf
                    test.first = Int32(spans.count)
                    test.count = Int32(list.count)
                    for n in list { _ = addNeedle(n, slot: slot) }
                case .matches(let pattern):
                    test.op = .matches
                    test.first = Int32(patterns.count)
                    patterns.append(pattern)
                    test.literal = pattern.requiredLiteral.map { addNeedle($0, slot: slot) } ?? -1
                case .isTrue, .numberEquals, .greaterThan, .lessThan:
                    test.op = .oneOf // a number or bool operator on text never holds, as before
                    test.count = 0
                }
            }
            tests.append(test)
            return Int32(tests.count - 1)
        }
    }
}

private extension UnsafeMutableBufferPointer {
    /// A buffer of its own holding `array`'s elements (plain values only).
    static func copy(_ array: [Element]) -> UnsafeMutableBufferPointer<Element> {
        let buffer = UnsafeMutableBufferPointer<Element>.allocate(capacity: Swift.max(array.count, 1))
        _ = buffer.initialize(from: array)
        return UnsafeMutableBufferPointer(rebasing: buffer[..<array.count])
    }
}
