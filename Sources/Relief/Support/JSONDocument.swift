/// A strict JSON reader (RFC 8259) that remembers where each value starts, so that every
/// problem in a profile, a batch line or an HTTP body can be reported as `line:column` with
/// the key, the value and what was expected. Foundation's decoders say only "not valid JSON".
///
/// Strict: no comments, no trailing commas, no duplicate keys, numbers must be finite
/// doubles, nesting at most 64 deep, and the text must be valid UTF-8.
public struct JSONNode: Sendable, Hashable {
    public enum Value: Sendable, Hashable {
        case null
        case bool(Bool)
        /// The number and its text as written (for messages).
        case number(Double, String)
        case string(String)
        case array([JSONNode])
        /// Members in the order written.
        case object([Member])
    }
    public struct Member: Sendable, Hashable {
        public let key: String
        public let value: JSONNode
    }

    public let value: Value
    /// 1-based line and column (in characters) of the value's first character.
    public let line: Int
    public let column: Int

    /// The value as it would be quoted in a message: `1.5`, `"abc"`, `[…]`.
    public var shown: String {
        switch value {
        case .null: "null"
        case .bool(let b): b ? "true" : "false"
        case .number(_, let text): text
        case .string(let s): "\"\(s.count > 60 ? String(s.prefix(60)) + "…" : s)\""
        case .array: "an array"
        case .object: "an object"
        }
    }

    /// What kind of value this is, for messages.
    public var kind: String {
        switch value {
        case .null: "null"
        case .bool: "true/false"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}

/// A syntax error at a place in the text.
public struct JSONSyntaxError: Error, Sendable, Hashable {
    public let line: Int
    public let column: Int
    public let message: String
}

extension JSONNode {
    /// Parses a whole document; throws ``JSONSyntaxError`` with its line and column.
    public static func parse(_ text: String) throws -> JSONNode {
        var parser = JSONParser(bytes: Array(text.utf8))
        return try parser.document()
    }

    /// Parses UTF-8 bytes; invalid UTF-8 is a syntax error at its place.
    public static func parse(bytes: [UInt8]) throws -> JSONNode {
        var parser = JSONParser(bytes: bytes)
        return try parser.document()
    }
}

private struct JSONParser {
    let bytes: [UInt8]
    var i = 0
    var line = 1
    var lineStart = 0        // byte offset where the current line starts
    var depth = 0
    static let maxDepth = 64

    /// The last column counted, so that the columns of a line's values are found in one pass
    /// over the line rather than a rescan from its start for each value (a 24 MB line of
    /// numbers was quadratic).
    var counted = (lineStart: -1, offset: 0, column: 1)

    init(bytes: [UInt8]) { self.bytes = bytes }

    /// Column in characters (UTF-8 continuation bytes do not count).
    func column(at offset: Int) -> Int {
        let resume = counted.lineStart == lineStart && counted.offset <= offset
        return Self.count(bytes, from: resume ? counted.offset : lineStart, to: offset, startColumn: resume ? counted.column : 1)
    }

    /// As ``column(at:)``, remembering where it got to for the next value on the same line.
    mutating func advancingColumn(at offset: Int) -> Int {
        let n = column(at: offset)
        counted = (lineStart, offset, n)
        return n
    }

    private static func count(_ bytes: [UInt8], from start: Int, to offset: Int, startColumn: Int) -> Int {
        var n = startColumn
        var k = start
        while k < offset && k < bytes.count {
            if bytes[k] & 0xC0 != 0x80 { n += 1 }
            k += 1
        }
        return n
    }

    func fail(_ message: String, at offset: Int? = nil) -> JSONSyntaxError {
        JSONSyntaxError(line: line, column: column(at: offset ?? i), message: message)
    }

    /// The current place, to report an error found later (after line breaks) where it began.
    struct Mark { let offset: Int, line: Int, lineStart: Int }
    var mark: Mark { Mark(offset: i, line: line, lineStart: lineStart) }

    func fail(_ message: String, at mark: Mark) -> JSONSyntaxError {
        var at = self
        at.line = mark.line
        at.lineStart = mark.lineStart
        return at.fail(message, at: mark.offset)
    }

    mutating func document() throws -> JSONNode {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { i = 3; lineStart = 3 }
        skipSpace()
        guard i < bytes.count else { throw fail("empty document: expected a JSON value") }
        let node = try value()
        skipSpace()
        if i < bytes.count { throw fail("unexpected \(describe(i)) after the JSON value") }
        return node
    }

    mutating func skipSpace() {
        while i < bytes.count {
            switch bytes[i] {
            case 0x20, 0x09, 0x0D: i += 1
            case 0x0A: i += 1; line += 1; lineStart = i
            default: return
            }
        }
    }

    func describe(_ k: Int) -> String {
        guard k < bytes.count else { return "end of text" }
        let b = bytes[k]
        if b >= 0x21 && b < 0x7F { return "'\(Character(Unicode.Scalar(b)))'" }
        return "byte 0x" + (b < 16 ? "0" : "") + String(b, radix: 16, uppercase: true)
    }

    mutating func value() throws -> JSONNode {
        let startLine = line, startColumn = advancingColumn(at: i)
        func node(_ v: JSONNode.Value) -> JSONNode { JSONNode(value: v, line: startLine, column: startColumn) }
        guard i < bytes.count else { throw fail("unexpected end of text: expected a value") }
        switch bytes[i] {
        case UInt8(ascii: "{"): return node(try object())
        case UInt8(ascii: "["): return node(try array())
        case UInt8(ascii: "\""): return node(.string(try string()))
        case UInt8(ascii: "t"): try literal("true"); return node(.bool(true))
        case UInt8(ascii: "f"): try literal("false"); return node(.bool(false))
        case UInt8(ascii: "n"): try literal("null"); return node(.null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return node(try number())
        default: throw fail("unexpected \(describe(i)): expected a value (object, array, string, number, true, false or null)")
        }
    }

    mutating func literal(_ word: String) throws {
        let w = Array(word.utf8)
        guard i + w.count <= bytes.count, Array(bytes[i..<i + w.count]) == w else {
            throw fail("unexpected \(describe(i)): expected a value (did you mean \(word)?)")
        }
        i += w.count
    }

    mutating func enter() throws {
        depth += 1
        if depth > Self.maxDepth { throw fail("nested more than \(Self.maxDepth) levels deep") }
    }

    mutating func object() throws -> JSONNode.Value {
        try enter()
        defer { depth -= 1 }
        i += 1
        var members: [JSONNode.Member] = []
        var seen: Set<String> = []
        skipSpace()
        if i < bytes.count && bytes[i] == UInt8(ascii: "}") { i += 1; return .object([]) }
        while true {
            skipSpace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else {
                throw fail("unexpected \(describe(i)): expected a key in double quotes")
            }
            let keyOffset = i
            let key = try string()
            if seen.contains(key) { throw fail("the key \"\(key)\" appears twice in one object", at: keyOffset) }
            seen.insert(key)
            skipSpace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else {
                throw fail("unexpected \(describe(i)): expected ':' after the key \"\(key)\"")
            }
            i += 1
            skipSpace()
            members.append(JSONNode.Member(key: key, value: try value()))
            skipSpace()
            guard i < bytes.count else { throw fail("unexpected end of text: expected ',' or '}'") }
            if bytes[i] == UInt8(ascii: ",") {
                let comma = mark
                i += 1
                skipSpace()
                if i < bytes.count && bytes[i] == UInt8(ascii: "}") { throw fail("a trailing comma before '}' is not allowed in JSON", at: comma) }
                continue
            }
            if bytes[i] == UInt8(ascii: "}") { i += 1; return .object(members) }
            throw fail("unexpected \(describe(i)): expected ',' or '}'")
        }
    }

    mutating func array() throws -> JSONNode.Value {
        try enter()
        defer { depth -= 1 }
        i += 1
        var items: [JSONNode] = []
        skipSpace()
        if i < bytes.count && bytes[i] == UInt8(ascii: "]") { i += 1; return .array([]) }
        while true {
            skipSpace()
            items.append(try value())
            skipSpace()
            guard i < bytes.count else { throw fail("unexpected end of text: expected ',' or ']'") }
            if bytes[i] == UInt8(ascii: ",") {
                let comma = mark
                i += 1
                skipSpace()
                if i < bytes.count && bytes[i] == UInt8(ascii: "]") { throw fail("a trailing comma before ']' is not allowed in JSON", at: comma) }
                continue
            }
            if bytes[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
            throw fail("unexpected \(describe(i)): expected ',' or ']'")
        }
    }

    mutating func string() throws -> String {
        let open = i
        i += 1
        var scalars = String.UnicodeScalarView()
        var chunkStart = i
        func flush(_ end: Int) throws {
            guard end > chunkStart else { return }
            guard let s = String(validating: bytes[chunkStart..<end], as: UTF8.self) else {
                throw fail("the string is not valid UTF-8", at: chunkStart)
            }
            scalars.append(contentsOf: s.unicodeScalars)
        }
        while true {
            guard i < bytes.count else { throw fail("the string that starts here is never closed", at: open) }
            let b = bytes[i]
            if b == UInt8(ascii: "\"") {
                try flush(i)
                i += 1
                return String(scalars)
            }
            if b < 0x20 { throw fail("a control character (byte 0x\(String(b, radix: 16))) inside a string must be escaped") }
            if b == UInt8(ascii: "\\") {
                try flush(i)
                i += 1
                guard i < bytes.count else { throw fail("unexpected end of text in an escape") }
                switch bytes[i] {
                case UInt8(ascii: "\""): scalars.append("\"")
                case UInt8(ascii: "\\"): scalars.append("\\")
                case UInt8(ascii: "/"): scalars.append("/")
                case UInt8(ascii: "b"): scalars.append("\u{08}")
                case UInt8(ascii: "f"): scalars.append("\u{0C}")
                case UInt8(ascii: "n"): scalars.append("\n")
                case UInt8(ascii: "r"): scalars.append("\r")
                case UInt8(ascii: "t"): scalars.append("\t")
                case UInt8(ascii: "u"):
                    let escapeAt = i
                    var code = try hex4()
                    if (0xD800...0xDBFF).contains(code) {
                        guard i + 2 < bytes.count, bytes[i + 1] == UInt8(ascii: "\\"), bytes[i + 2] == UInt8(ascii: "u") else {
                            throw fail("a high surrogate \\u\(String(code, radix: 16)) must be followed by a low surrogate", at: escapeAt)
                        }
                        i += 2
                        let low = try hex4()
                        guard (0xDC00...0xDFFF).contains(low) else { throw fail("\\u\(String(low, radix: 16)) is not a low surrogate", at: escapeAt) }
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    } else if (0xDC00...0xDFFF).contains(code) {
                        throw fail("a lone low surrogate \\u\(String(code, radix: 16)) is not a character", at: escapeAt)
                    }
                    guard let scalar = Unicode.Scalar(code) else { throw fail("\\u escape is not a character") }
                    scalars.append(scalar)
                default:
                    throw fail("unknown escape \\\(describe(i)); expected one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX")
                }
                i += 1
                chunkStart = i
                continue
            }
            i += 1
        }
    }

    /// Reads the four hex digits after `\u`; leaves `i` on the last digit.
    mutating func hex4() throws -> UInt32 {
        guard i + 4 < bytes.count else { throw fail("\\u needs four hex digits") }
        var v: UInt32 = 0
        for k in 1...4 {
            let c = bytes[i + k]
            let d: UInt32
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): d = UInt32(c - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): d = UInt32(c - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): d = UInt32(c - UInt8(ascii: "A") + 10)
            default: throw fail("\\u needs four hex digits", at: i + k)
            }
            v = v * 16 + d
        }
        i += 4
        return v
    }

    mutating func number() throws -> JSONNode.Value {
        let start = i
        func digits() -> Int {
            let s = i
            while i < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[i]) { i += 1 }
            return i - s
        }
        if bytes[i] == UInt8(ascii: "-") { i += 1 }
        guard i < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[i]) else {
            throw fail("a number needs a digit here")
        }
        if bytes[i] == UInt8(ascii: "0") {
            i += 1
            if i < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[i]) {
                throw fail("a number may not have a leading zero", at: start)
            }
        } else { _ = digits() }
        if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
            i += 1
            if digits() == 0 { throw fail("a number needs digits after the decimal point") }
        }
        if i < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
            i += 1
            if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
            if digits() == 0 { throw fail("a number needs digits in its exponent") }
        }
        let text = String(decoding: bytes[start..<i], as: UTF8.self)
        guard let x = Double(text), x.isFinite else {
            throw fail("the number \(text) is too large for a double", at: start)
        }
        // -0 reads as 0 (IEEE 754: -0 + 0 = +0): no negative zero reaches a model or an output.
        return .number(x + 0, text)
    }
}

extension JSONNode {
    /// A file's bytes as JSON; text that is not JSON is a data issue at its line and column in `file`.
    public static func parse(bytes: [UInt8], file: String) throws -> JSONNode {
        do { return try parse(bytes: bytes) } catch let e as JSONSyntaxError {
            throw DataErrors([DataIssue(file: file, line: e.line, column: e.column, "not valid JSON: \(e.message)")])
        }
    }
}
