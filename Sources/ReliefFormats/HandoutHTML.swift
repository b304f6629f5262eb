/// A handout's Markdown (``Programme/handout(week:)``, Relief's own output) as HTML for the
/// patient's printable page: `#`/`##` headings, pipe tables (the first row a header, the rule
/// row dropped, a cell right-aligned when its rule ends in `:`), `-` lists, `1.` lists with their
/// indented `-` details, `**bold**`, a paragraph in `_underscores_` as emphasis, and paragraphs. Only the shapes Relief writes; everything
/// else is a paragraph, and all text is escaped.
public enum HandoutHTML {
    public static func render(_ markdown: String) -> String {
        var out = ""
        var lines = markdown.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)[...]
        while let line = lines.first {
            if line.trimmingCharacters(in: .whitespaces).isEmpty { lines = lines.dropFirst(); continue }
            if line.hasPrefix("# ") {
                out += "<h1>\(inline(String(line.dropFirst(2))))</h1>\n"
                lines = lines.dropFirst()
            } else if line.hasPrefix("## ") {
                out += "<h2>\(inline(String(line.dropFirst(3))))</h2>\n"
                lines = lines.dropFirst()
            } else if line.hasPrefix("|") {
                var rows: [String] = []
                while let l = lines.first, l.hasPrefix("|") { rows.append(l); lines = lines.dropFirst() }
                out += table(rows)
            } else if line.hasPrefix("- ") {
                out += "<ul>\n"
                while let l = lines.first, l.hasPrefix("- ") { out += "<li>\(inline(String(l.dropFirst(2))))</li>\n"; lines = lines.dropFirst() }
                out += "</ul>\n"
            } else if numbered(line) != nil {
                out += "<ol>\n"
                while let l = lines.first, let item = numbered(l) {
                    lines = lines.dropFirst()
                    out += "<li>\(inline(item))"
                    var details: [String] = []
                    while let d = lines.first, d.hasPrefix("   - ") { details.append(String(d.dropFirst(5))); lines = lines.dropFirst() }
                    if !details.isEmpty { out += "\n<ul>\n" + details.map { "<li>\(inline($0))</li>\n" }.joined() + "</ul>\n" }
                    out += "</li>\n"
                }
                out += "</ol>\n"
            } else {
                var text: [String] = []
                while let l = lines.first, !l.trimmingCharacters(in: .whitespaces).isEmpty, !l.hasPrefix("#"), !l.hasPrefix("|"), !l.hasPrefix("- "), numbered(l) == nil {
                    text.append(l)
                    lines = lines.dropFirst()
                }
                let joined = text.joined(separator: " ")
                if joined.count > 2, joined.hasPrefix("_"), joined.hasSuffix("_") {
                    out += "<p><em>\(inline(String(joined.dropFirst().dropLast())))</em></p>\n"
                } else {
                    out += "<p>\(inline(joined))</p>\n"
                }
            }
        }
        return out
    }

    /// "3. text" → "text".
    static func numbered(_ line: String) -> String? {
        guard let dot = line.firstIndex(of: "."), dot > line.startIndex, line[..<dot].allSatisfy(\.isNumber),
              line[line.index(after: dot)...].hasPrefix(" ") else { return nil }
        return String(line[line.index(dot, offsetBy: 2)...])
    }

    static func cells(_ row: String) -> [String] {
        var r = row.trimmingCharacters(in: .whitespaces)
        if r.hasPrefix("|") { r.removeFirst() }
        if r.hasSuffix("|") { r.removeLast() }
        return r.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
    }

    static func table(_ rows: [String]) -> String {
        guard let head = rows.first else { return "" }
        let rule = rows.count > 1 && cells(rows[1]).allSatisfy { !$0.isEmpty && $0.allSatisfy { "-:".contains($0) } }
        let right = rule ? cells(rows[1]).map { $0.hasSuffix(":") } : []
        let body = rows.dropFirst(rule ? 2 : 1)
        func cell(_ tag: String, _ text: String, _ k: Int) -> String {
            "<\(tag)\(k < right.count && right[k] ? " class=\"num\"" : "")>\(inline(text))</\(tag)>"
        }
        var h = "<table class=\"handout\">\n<thead><tr>" + cells(head).enumerated().map { cell("th", $1, $0) }.joined() + "</tr></thead>\n<tbody>\n"
        for r in body { h += "<tr>" + cells(r).enumerated().map { cell("td", $1, $0) }.joined() + "</tr>\n" }
        return h + "</tbody>\n</table>\n"
    }

    /// Escaped text with `**bold**` as `<strong>` and `` `code` `` as `<code>`.
    static func inline(_ text: String) -> String {
        var out = "", bold = false, code = false
        var i = text.startIndex
        while i < text.endIndex {
            if text[i...].hasPrefix("**") {
                out += bold ? "</strong>" : "<strong>"
                bold.toggle()
                i = text.index(i, offsetBy: 2)
                continue
            }
            let c = text[i]
            if c == "`" { out += code ? "</code>" : "<code>"; code.toggle() }
            else if c == "&" { out += "&amp;" } else if c == "<" { out += "&lt;" } else if c == ">" { out += "&gt;" }
            else if c == "\"" { out += "&quot;" } else if c == "'" { out += "&#39;" } else { out.append(c) }
            i = text.index(after: i)
        }
        if code { out += "</code>" }
        if bold { out += "</strong>" }
        return out
    }
}
