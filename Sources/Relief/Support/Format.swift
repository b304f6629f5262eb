/// Numbers in words and tables. Every function here is total: any Double, NaN and infinities
/// included, gives text and never traps (validated inputs keep them in range anyway).

/// One decimal, no trailing ".0": 12, 12.5.
public func format(_ x: Double) -> String {
    guard x.isFinite, abs(x) < 1e14 else { return readable(x) }
    let r = (x * 10).rounded() / 10
    return r == r.rounded() ? String(Int64(r)) : String(r)
}

public func percent(_ x: Double?) -> String {
    guard let x else { return "an unknown amount" }
    return format(x * 100) + "%"
}

/// "12 min 30 s"
public func clock(_ seconds: Double) -> String {
    guard seconds.isFinite, abs(seconds) < 1e14 else { return "\(readable(seconds)) s" }
    let s = Int64(seconds.rounded())
    if s < 60 { return "\(s) s" }
    return s % 60 == 0 ? "\(s / 60) min" : "\(s / 60) min \(s % 60) s"
}

/// "2:05"
public func mmss(_ seconds: Double) -> String {
    guard seconds.isFinite, seconds >= 0, seconds < 1e14 else { return readable(seconds) }
    let s = Int64(seconds.rounded())
    return "\(s / 60):" + (s % 60 < 10 ? "0" : "") + "\(s % 60)"
}

/// Up to three decimals, no trailing zeros: 0.01, 2.5, 12.
public func formatAmount(_ x: Double) -> String {
    guard x.isFinite, abs(x) < 1e12 else { return readable(x) }
    let r = (x * 1000).rounded() / 1000
    if r == r.rounded() { return String(Int64(r)) }
    var s = String(r)
    if s.contains("e") { s = String(Int64((x * 1000).rounded())) == "0" ? "0" : s }
    return s
}

/// A number written in decimals as a person types it: an optional sign, digits with an
/// optional point, an optional exponent ("16", "-2.5", "1e3"). Hexadecimal ("0x10"), "nan",
/// "inf" and the like, which Swift's `Double(_:)` also accepts, are not numbers here; a
/// negative zero reads as zero. The one reading of numbers for flags, CSV cells and `--min`.
public func decimalNumber<S: StringProtocol>(_ text: S) -> Double? {
    let bytes = Array(text.utf8)
    var i = 0
    if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
    var digits = 0
    while i < bytes.count, (0x30...0x39).contains(bytes[i]) { i += 1; digits += 1 }
    if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
        i += 1
        while i < bytes.count, (0x30...0x39).contains(bytes[i]) { i += 1; digits += 1 }
    }
    guard digits > 0 else { return nil }
    if i < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
        i += 1
        if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
        var exponent = 0
        while i < bytes.count, (0x30...0x39).contains(bytes[i]) { i += 1; exponent += 1 }
        guard exponent > 0 else { return nil }
    }
    guard i == bytes.count, let x = Double(String(decoding: bytes, as: UTF8.self)) else { return nil }
    return x + 0
}

extension String {
    /// The name as it reads inside a sentence: the first letter lowered unless the word is a
    /// proper name or an abbreviation ("Glute bridge" → "glute bridge", "McGill curl-up" stays).
    var inSentence: String {
        guard let first, first.isUppercase else { return self }
        let second = dropFirst().first
        if let second, second.isUppercase || !second.isLetter { return self }
        // A proper name keeps its capital somewhere inside its first word ("McGill").
        let word = prefix { $0.isLetter }
        if word.dropFirst().contains(where: \.isUppercase) { return self }
        return first.lowercased() + dropFirst()
    }
}
