import Testing
@testable import Relief

/// The positioned JSON reader, against RFC 8259 by hand.
@Suite("Strict JSON with line and column")
struct JSONTests {
    @Test("values, nesting and positions")
    func positions() throws {
        let node = try JSONNode.parse("{\n  \"a\": [1, -2.5e3, true, null],\n  \"b\": \"é\\u00e9\\ud83d\\ude00\"\n}")
        guard case .object(let members) = node.value else { Issue.record("not an object"); return }
        #expect(members.map(\.key) == ["a", "b"])
        #expect((members[0].value.line, members[0].value.column) == (2, 8))
        guard case .array(let items) = members[0].value.value else { Issue.record("not an array"); return }
        #expect(items[1].value == .number(-2500, "-2.5e3"))
        #expect((items[1].line, items[1].column) == (2, 12))
        #expect(members[1].value.value == .string("éé😀"))
        // Columns count characters: "é" before the value is one column.
        let wide = try JSONNode.parse("{\"é\": 1}")
        if case .object(let m) = wide.value { #expect(m[0].value.column == 7) }
    }

    @Test("every syntax error has its place", arguments: [
        ("", 1, 1), ("{", 1, 2), ("{\"a\" 1}", 1, 6), ("[1,]", 1, 3), ("{\"a\":1,}", 1, 7), ("01", 1, 1),
        ("1.", 1, 3), ("1e", 1, 3), ("1e999", 1, 1), ("\"abc", 1, 1), ("\"\\x\"", 1, 3), ("\"\\ud800\"", 1, 3),
        ("{\"a\":1,\"a\":2}", 1, 8), ("[1]\n x", 2, 2), ("tru", 1, 1), ("nul", 1, 1), ("\"a\u{1}\"", 1, 3),
        (String(repeating: "[", count: 65), 1, 65),
    ])
    func errors(text: String, line: Int, column: Int) {
        do {
            _ = try JSONNode.parse(text)
            Issue.record("accepted \(text)")
        } catch let e as JSONSyntaxError {
            #expect((e.line, e.column) == (line, column), "\(text): \(e.message)")
        } catch {
            Issue.record("\(error)")
        }
    }

    @Test("invalid UTF-8 in a string is an error, not a crash")
    func invalidUTF8() {
        #expect(throws: JSONSyntaxError.self) { try JSONNode.parse(bytes: [0x22, 0xFF, 0xFE, 0x22]) }
        #expect(throws: JSONSyntaxError.self) { try JSONNode.parse(bytes: [0xC3]) }
    }
}
