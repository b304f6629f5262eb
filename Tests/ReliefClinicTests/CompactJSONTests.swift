import Foundation
import Testing
@testable import ReliefClinic

/// The fast reader must agree with JSONDecoder on everything the store writes, and step aside
/// (nil) on anything else.
@Suite("Compact JSON")
struct CompactJSONTests {
    @Test("what the store's encoder writes reads back the same as through JSONDecoder")
    func agrees() throws {
        let lists: [[String]] = [[], ["mat"], ["flexion-intolerant", "radicular-pain"], ["día", "a b", ""]]
        for l in lists {
            guard case .text(let text) = try SQLValue.json(l) else { Issue.record("not text"); continue }
            #expect(CompactJSON.strings(text) == l, "\(text)")
        }
        let maps: [[String: Bool]] = [[:], ["fever": false], ["fever": true, "night-pain": false]]
        for m in maps {
            guard case .text(let text) = try SQLValue.json(m) else { Issue.record("not text"); continue }
            #expect(CompactJSON.flags(text) == m, "\(text)")
        }
    }

    @Test("text it does not read exactly is left to JSONDecoder", arguments: [
        "[\"a\\\"b\"]", "[ \"a\"]", "[\"a\",]", "[a]", "", "[", "{\"a\":1}", "{\"a\":true,}", "{\"a\\\\\":true}",
    ])
    func declines(_ text: String) {
        #expect(CompactJSON.strings(text) == nil && CompactJSON.flags(text) == nil)
    }

    @Test("an escaped string still reads, through the fallback")
    func fallback() throws {
        let row = SQLRow(table: "t", columns: ["c": .text("[\"a\\\"b\",\"c,d\"]")])
        #expect(try row.strings("c") == ["a\"b", "c,d"])
    }
}
