/// The one JSON writer: every JSON document Relief writes (the plan, the programme file, batch
/// lines and the API's documents) is an `Encodable` value written by it, never text put
/// together by hand.
///
/// The text is the same for the same value, always:
/// - keys are snake_case (`secondsPerPoint` → `seconds_per_point`); a dictionary's keys are
///   written as they are;
/// - an object's keys are sorted by their UTF-8 bytes, except in a value that is
///   ``JSONKeysInOrder``, whose keys are in the order its `encode(to:)` writes them;
/// - numbers in their shortest round-trip form, integers without `.0` (`12`, `0.25`,
///   `1e+16`), never `-0`; a number that is not finite is an ``EncodingFailure``;
/// - strings escape `"`, `\` and the control characters (`\b`, `\f`, `\n`, `\r`, `\t`, others
///   as `\u00XX`), nothing else: `/` and every other character are written as they are.
public struct JSONWriter: Sendable {
    public enum Layout: Sendable {
        /// One line, no spaces: `{"a":[1,2],"b":[]}`.
        case compact
        /// Two spaces a level, `"key" : value`, and an empty array or object over two lines
        /// (`[`, a blank line, `]`): Foundation's pretty-printing, the plan document's.
        case spaced
        /// Two spaces a level, `"key": value`, `[]` and `{}`: the programme file's.
        case indented
    }

    public let layout: Layout

    public init(_ layout: Layout) { self.layout = layout }

    public static let compact = JSONWriter(.compact)
    public static let spaced = JSONWriter(.spaced)
    public static let indented = JSONWriter(.indented)

    /// The value as JSON, without a final newline. Throws rather than writing anything else.
    public func text<T: Encodable>(_ value: T) throws(EncodingFailure) -> String {
        let root = JSONTree()
        do {
            try root.encode(value, path: [])
        } catch let failure as EncodingFailure {
            throw failure
        } catch {
            throw EncodingFailure(description: "the result could not be written as JSON (\(error)); nothing was printed")
        }
        var out = ""
        write(root, depth: 0, into: &out)
        return out
    }

    private func write(_ node: JSONTree, depth: Int, into out: inout String) {
        switch node.kind {
        case .scalar(let text): out += text
        case .array: writeContainer("[", "]", node.items, depth: depth, into: &out) { item, out in write(item, depth: depth + 1, into: &out) }
        case .object, .unset:
            let members = node.keysInOrder ? node.members : node.members.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
            writeContainer("{", "}", members, depth: depth, into: &out) { member, out in
                out += JSONTree.quoted(member.key)
                out += layout == .spaced ? " : " : layout == .indented ? ": " : ":"
                write(member.node, depth: depth + 1, into: &out)
            }
        }
    }

    private func writeContainer<Element>(_ open: String, _ close: String, _ elements: [Element], depth: Int, into out: inout String,
                                         element: (Element, inout String) -> Void) {
        out += open
        if layout == .compact || (layout == .indented && elements.isEmpty) {
            for (k, e) in elements.enumerated() {
                if k > 0 { out += "," }
                element(e, &out)
            }
        } else {
            let pad = String(repeating: "  ", count: depth + 1)
            out += "\n"
            for (k, e) in elements.enumerated() {
                out += (k > 0 ? ",\n" : "") + pad
                element(e, &out)
            }
            out += "\n" + String(repeating: "  ", count: depth)
        }
        out += close
    }
}

/// A value whose object ``JSONWriter`` writes with its keys in the order its `encode(to:)`
/// writes them, rather than sorted (the programme file's sections, a request's fields).
public protocol JSONKeysInOrder: Encodable {}

/// A document that could not be turned into JSON (a number that is not finite): never printed
/// as something else.
public struct EncodingFailure: Error, Sendable, CustomStringConvertible {
    public let description: String
}

/// An optional that is written as `null` when it is absent, where a synthesized `Encodable`
/// would leave its key out.
struct Nullable<Wrapped: Encodable>: Encodable {
    let value: Wrapped?
    init(_ value: Wrapped?) { self.value = value }

    func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        if let value { try c.encode(value) } else { try c.encodeNil() }
    }
}

// MARK: The tree an encoded value becomes

/// One JSON value being encoded: a scalar (its JSON text), an array or an object. A class, as
/// `Encoder`'s containers are written to after they are handed out.
private final class JSONTree {
    enum Kind { case unset, scalar(String), array, object }
    var kind = Kind.unset
    var items: [JSONTree] = []
    var members: [(key: String, node: JSONTree)] = []
    var keysInOrder = false

    func encode<T: Encodable>(_ value: T, path: [CodingKey]) throws {
        if let dictionary = value as? any StringKeyedDictionary {
            try dictionary.encodeMembers(into: self, path: path)
            return
        }
        if value is any JSONKeysInOrder { keysInOrder = true }
        try value.encode(to: TreeEncoder(node: self, codingPath: path))
    }

    func appendItem() -> JSONTree {
        kind = .array
        let item = JSONTree()
        items.append(item)
        return item
    }

    func member(_ key: String) -> JSONTree {
        kind = .object
        let node = JSONTree()
        members.append((key, node))
        return node
    }

    func set(_ text: String) { kind = .scalar(text) }

    func set<F: BinaryFloatingPoint & CustomStringConvertible>(_ x: F, path: [CodingKey]) throws {
        guard x.isFinite else {
            let at = path.isEmpty ? "" : " at " + path.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
            throw EncodingFailure(description: "the result could not be written as JSON (the number \(x)\(at) is not finite); nothing was printed")
        }
        let text = (x + 0).description   // + 0: -0 is written 0
        set(text.hasSuffix(".0") ? String(text.dropLast(2)) : text)
    }

    static func quoted(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{00}"..."\u{1F}": out += "\\u00" + (u.value < 0x10 ? "0" : "") + String(u.value, radix: 16)
            default: out.unicodeScalars.append(u)
            }
        }
        return out + "\""
    }

    /// `secondsPerPoint` → `seconds_per_point`: a `_` before each capital that follows a
    /// lower-case letter or a digit, or that starts a word after capitals (`someURLText` →
    /// `some_url_text`), and all in lower case.
    static func snakeCase(_ key: String) -> String {
        let chars = Array(key)
        var out = ""
        for (k, c) in chars.enumerated() {
            if c.isUppercase, k > 0 {
                let before = chars[k - 1]
                let startsWord = before.isLowercase || before.isNumber
                    || (before.isUppercase && k + 1 < chars.count && chars[k + 1].isLowercase)
                if startsWord { out += "_" }
            }
            out += c.lowercased()
        }
        return out
    }
}

/// A dictionary with string keys: its keys are data (ids), written as they are.
private protocol StringKeyedDictionary {
    func encodeMembers(into node: JSONTree, path: [CodingKey]) throws
}

extension Dictionary: StringKeyedDictionary where Key == String, Value: Encodable {
    fileprivate func encodeMembers(into node: JSONTree, path: [CodingKey]) throws {
        node.kind = .object
        for (key, value) in self {
            try node.member(key).encode(value, path: path + [TreeKey(key)])
        }
    }
}

private struct TreeKey: CodingKey {
    let stringValue: String
    let intValue: Int?
    init(_ string: String) { stringValue = string; intValue = nil }
    init(index: Int) { stringValue = "\(index)"; intValue = index }
    init?(stringValue: String) { self.init(stringValue) }
    init?(intValue: Int) { self.init(index: intValue) }
}

// MARK: Encoder

private struct TreeEncoder: Encoder {
    let node: JSONTree
    let codingPath: [CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        node.kind = .object
        return KeyedEncodingContainer(KeyedTreeContainer<Key>(node: node, codingPath: codingPath))
    }

    func unkeyedContainer() -> UnkeyedEncodingContainer {
        node.kind = .array
        return UnkeyedTreeContainer(node: node, codingPath: codingPath)
    }

    func singleValueContainer() -> SingleValueEncodingContainer { SingleTreeContainer(node: node, codingPath: codingPath) }
}

private struct SingleTreeContainer: SingleValueEncodingContainer {
    let node: JSONTree
    let codingPath: [CodingKey]

    mutating func encodeNil() throws { node.set("null") }
    mutating func encode(_ value: Bool) throws { node.set(value ? "true" : "false") }
    mutating func encode(_ value: String) throws { node.set(JSONTree.quoted(value)) }
    mutating func encode(_ value: Double) throws { try node.set(value, path: codingPath) }
    mutating func encode(_ value: Float) throws { try node.set(value, path: codingPath) }
    mutating func encode(_ value: Int) throws { node.set(String(value)) }
    mutating func encode(_ value: Int8) throws { node.set(String(value)) }
    mutating func encode(_ value: Int16) throws { node.set(String(value)) }
    mutating func encode(_ value: Int32) throws { node.set(String(value)) }
    mutating func encode(_ value: Int64) throws { node.set(String(value)) }
    mutating func encode(_ value: UInt) throws { node.set(String(value)) }
    mutating func encode(_ value: UInt8) throws { node.set(String(value)) }
    mutating func encode(_ value: UInt16) throws { node.set(String(value)) }
    mutating func encode(_ value: UInt32) throws { node.set(String(value)) }
    mutating func encode(_ value: UInt64) throws { node.set(String(value)) }
    mutating func encode<T: Encodable>(_ value: T) throws { try node.encode(value, path: codingPath) }
}

private struct KeyedTreeContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let node: JSONTree
    let codingPath: [CodingKey]

    private func child(_ key: Key) -> SingleTreeContainer {
        SingleTreeContainer(node: node.member(JSONTree.snakeCase(key.stringValue)), codingPath: codingPath + [key])
    }

    mutating func encodeNil(forKey key: Key) throws { var c = child(key); try c.encodeNil() }
    mutating func encode(_ value: Bool, forKey key: Key) throws { var c = child(key); try c.encode(value) }
    mutating func encode(_ value: String, forKey key: Key) throws { var c = child(key); try c.encode(value) }
    mutating func encode(_ value: Double, forKey key: Key) throws { var c = child(key); try c.encode(value) }
    mutating func encode(_ value: Float, forKey key: Key) throws { var c = child(key); try c.encode(value) }
    mutating func encode(_ value: Int, forKey key: Key) throws { var c = child(key); try c.encode(value) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { var c = child(key); try c.encode(value) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { var c = child(key); try c.encode(value) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { var c = child(key); try c.encode(value) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { var c = child(key); try c.encode(value) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { var c = child(key); try c.encode(value) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { var c = child(key); try c.encode(value) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { var c = child(key); try c.encode(value) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { var c = child(key); try c.encode(value) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { var c = child(key); try c.encode(value) }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws { var c = child(key); try c.encode(value) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        let c = child(key)
        return TreeEncoder(node: c.node, codingPath: c.codingPath).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> UnkeyedEncodingContainer {
        let c = child(key)
        return TreeEncoder(node: c.node, codingPath: c.codingPath).unkeyedContainer()
    }

    mutating func superEncoder() -> Encoder {
        let c = child(Key(stringValue: "super")!)
        return TreeEncoder(node: c.node, codingPath: c.codingPath)
    }

    mutating func superEncoder(forKey key: Key) -> Encoder {
        let c = child(key)
        return TreeEncoder(node: c.node, codingPath: c.codingPath)
    }
}

private struct UnkeyedTreeContainer: UnkeyedEncodingContainer {
    let node: JSONTree
    let codingPath: [CodingKey]
    var count: Int { node.items.count }

    private func next() -> SingleTreeContainer {
        let index = TreeKey(index: count)
        return SingleTreeContainer(node: node.appendItem(), codingPath: codingPath + [index])
    }

    mutating func encodeNil() throws { var c = next(); try c.encodeNil() }
    mutating func encode(_ value: Bool) throws { var c = next(); try c.encode(value) }
    mutating func encode(_ value: String) throws { var c = next(); try c.encode(value) }
    mutating func encode(_ value: Double) throws { var c = next(); try c.encode(value) }
    mutating func encode(_ value: Float) throws { var c = next(); try c.encode(value) }
    mutating func encode(_ value: Int) throws { var c = next(); try c.encode(value) }
    mutating func encode(_ value: Int8) throws { var c = next(); try c.encode(value) }
    mutating func encode(_ value: Int16) throws { var c = next(); try c.encode(value) }
    mutating func encode(_ value: Int32) throws { var c = next(); try c.encode(value) }
    mutating func encode(_ value: Int64) throws { var c = next(); try c.encode(value) }
    mutating func encode(_ value: UInt) throws { var c = next(); try c.encode(value) }
    mutating func encode(_ value: UInt8) throws { var c = next(); try c.encode(value) }
    mutating func encode(_ value: UInt16) throws { var c = next(); try c.encode(value) }
    mutating func encode(_ value: UInt32) throws { var c = next(); try c.encode(value) }
    mutating func encode(_ value: UInt64) throws { var c = next(); try c.encode(value) }
    mutating func encode<T: Encodable>(_ value: T) throws { var c = next(); try c.encode(value) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let c = next()
        return TreeEncoder(node: c.node, codingPath: c.codingPath).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer() -> UnkeyedEncodingContainer {
        let c = next()
        return TreeEncoder(node: c.node, codingPath: c.codingPath).unkeyedContainer()
    }

    mutating func superEncoder() -> Encoder {
        let c = next()
        return TreeEncoder(node: c.node, codingPath: c.codingPath)
    }
}
