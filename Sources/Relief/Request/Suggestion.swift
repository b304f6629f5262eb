// "did you mean …?" for a mistyped id: the nearest known word by edit distance.

public enum Suggestion {
    /// The known word nearest to `word` (case-insensitive), when it is near enough to be a
    /// slip of the keyboard: at most one edit in a word of up to 4 letters, two up to 8, three
    /// beyond (an edit: a letter added, dropped, changed, or two neighbours swapped). Ties go to
    /// the earlier word of `known`; nil when nothing is that near or `word` is itself known.
    public static func closest(to word: String, among known: [String]) -> String? {
        let w = Array(word.lowercased())
        guard !w.isEmpty, !known.contains(word) else { return nil }
        let limit = w.count <= 4 ? 1 : w.count <= 8 ? 2 : 3
        var best: (distance: Int, word: String)?
        for candidate in known {
            let d = distance(w, Array(candidate.lowercased()))
            if d <= limit, d < (best?.distance ?? .max) { best = (d, candidate) }
        }
        return best?.word
    }

    /// The optimal-string-alignment distance: insertions, deletions, substitutions and swaps
    /// of adjacent letters, each costing one.
    static func distance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        // Past the longest id a catalogue has, the words are not slips of each other.
        guard a.count <= 200, b.count <= 200 else { return .max }
        var d = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { d[i][0] = i }
        for j in 0...b.count { d[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
                }
            }
        }
        return d[a.count][b.count]
    }
}
