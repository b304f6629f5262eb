import Foundation
import Relief

/// A plain-text or Markdown table with padded columns.
public func grid(header: [String], rows: [[String]], rightAligned: Set<Int>, markdown: Bool) -> [String] {
    var widths = header.map(\.count)
    for row in rows { for (k, cell) in row.enumerated() { widths[k] = max(widths[k], cell.count) } }
    func line(_ cells: [String]) -> String {
        let padded = cells.enumerated().map { k, cell in
            let pad = String(repeating: " ", count: widths[k] - cell.count)
            return rightAligned.contains(k) ? pad + cell : cell + pad
        }
        return markdown ? "| " + padded.joined(separator: " | ") + " |" : "  " + padded.joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
    }
    var out = [line(header)]
    if markdown {
        out.append("|" + widths.enumerated().map { k, w in
            rightAligned.contains(k) ? String(repeating: "-", count: w + 1) + ":" : String(repeating: "-", count: w + 2)
        }.joined(separator: "|") + "|")
    }
    out += rows.map(line)
    return out
}

/// Three decimals; `+ 0` turns a negative zero into zero (IEEE 754: -0 + 0 = +0), so no
/// output says "-0".
func round3(_ x: Double) -> Double { (x * 1000).rounded() / 1000 + 0 }
