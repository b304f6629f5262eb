/// Reading the two JSON shapes the store writes most, an array of strings (`["a","b"]`) and an
/// object of booleans (`{"a":true}`), without Foundation's decoder: the clinician's list reads
/// three of them per patient, and JSONDecoder took half of that list's time (measured with
/// perf: 22 of 42 %). Only the exact text the store's encoder writes is read here (no spaces,
/// no escapes); anything else returns nil and goes through JSONDecoder as before.
enum CompactJSON {
    static func strings(_ text: String) -> [String]? {
        var utf8 = Substring(text).utf8
        guard utf8.count >= 2, utf8.first == UInt8(ascii: "["), utf8.last == UInt8(ascii: "]") else { return nil }
        utf8 = utf8.dropFirst().dropLast()
        if utf8.isEmpty { return [] }
        var out: [String] = []
        for item in utf8.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false) {
            guard let s = quoted(item) else { return nil }
            out.append(s)
        }
        return out
    }

    static func flags(_ text: String) -> [String: Bool]? {
        var utf8 = Substring(text).utf8
        guard utf8.count >= 2, utf8.first == UInt8(ascii: "{"), utf8.last == UInt8(ascii: "}") else { return nil }
        utf8 = utf8.dropFirst().dropLast()
        if utf8.isEmpty { return [:] }
        var out: [String: Bool] = [:]
        for pair in utf8.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false) {
            let parts = pair.split(separator: UInt8(ascii: ":"), omittingEmptySubsequences: false)
            guard parts.count == 2, let key = quoted(parts[0]) else { return nil }
            switch String(decoding: parts[1], as: UTF8.self) {
            case "true": out[key] = true
            case "false": out[key] = false
            default: return nil
            }
        }
        return out
    }

    /// `"text"` with no backslash and no quote inside.
    private static func quoted(_ bytes: Substring.UTF8View.SubSequence) -> String? {
        guard bytes.count >= 2, bytes.first == UInt8(ascii: "\""), bytes.last == UInt8(ascii: "\"") else { return nil }
        let inner = bytes.dropFirst().dropLast()
        guard !inner.contains(UInt8(ascii: "\\")), !inner.contains(UInt8(ascii: "\"")) else { return nil }
        return String(decoding: inner, as: UTF8.self)
    }
}
