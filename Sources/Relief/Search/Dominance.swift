/// A pair of exercises where one (`better`) is at least as good as the other (`worse`) in
/// every row the routine models share: in the same focuses (``Focus``), at least the coverage of every cause per unit, at most
/// the seconds per unit and the setup, the same kind of units (whole or not), and neither with
/// a least dose.
///
/// Why a row for it loses no answer. Take any routine that uses `worse` while `better` is below
/// its cap U. Move units from `worse` to `better` (all of them when `better` is unused and can
/// take them, else as many as its cap allows). Coverage of every cause does not fall, time does
/// not rise, the number of exercises does not rise, caps hold (both are bounds), whole units
/// stay whole, and no least dose is broken (neither has one). With a strengthening share, the
/// swap must not lower the share's row: it holds when `better` strengthens and `worse` does not,
/// or both are of the same kind and, if both strengthen, take the same seconds per unit
/// (`holdsWithStrengthShare`); other pairs are switched off while a share is asked for. So every
/// stage's best value (shortest time, most even split, most coverage) is reached by a routine in
/// which `worse` is used only when `better` is at its cap (when U is at least `worse`'s cap) or,
/// if both are used, `better` is at its cap. Repeating the moves ends (units only move to
/// exercises earlier in a fixed order: the pair's relation, twins ordered by catalogue
/// position), so one routine meets every row at once.
///
/// The canonical stage (fewest, earliest exercises) ranks routines by catalogue position, which
/// a move towards a later exercise makes worse. It never has to: its routines are already the
/// shortest with the most coverage, and a move that swaps a later `better` in for an earlier
/// `worse` saves time or adds coverage (they are not twins), so none of them breaks a row; a
/// move between two exercises both in use changes no position. Between twins the earlier one
/// is the better, so the rows also settle how units split between two identical exercises (the
/// earlier one is filled first), which the positions alone leave open. The rows cut the search
/// GLPK does on catalogues full of near-twins (the shipped one: about 45 rows for 40 usable
/// exercises, and the most-even stage three times faster; benchmarks/README.md).
struct Dominance: Equatable {
    /// Positions in the model's members.
    let better: Int
    let worse: Int
    let holdsWithStrengthShare: Bool

    /// Models larger than this get no rows: finding pairs is quadratic, and the large-catalogue
    /// search has its own bound.
    static let memberLimit = 600
    /// At most this many better exercises per exercise (earlier ones first): enough to cut the
    /// search, few enough to keep the model small.
    static let perExercise = 4

    static func pairs(catalogue: Catalogue, members: [Int], hasDoseRow: (Int) -> Bool) -> [Dominance] {
        guard members.count <= memberLimit else { return [] }
        let exercises = members.map { catalogue.exercises[$0] }
        // The focuses each member is in: a swap keeps every focus row only between exercises
        // of the same focuses.
        var focusesOf: [Int: Set<Int>] = [:]
        for (f, focus) in catalogue.focuses.enumerated() { for e in focus.members { focusesOf[e, default: []].insert(f) } }
        func atLeastAsGood(_ a: Exercise, _ b: Exercise) -> Bool {
            guard a.whole == b.whole, a.secondsPerUnit <= b.secondsPerUnit, a.setupSeconds <= b.setupSeconds else { return false }
            for (ba, bb) in zip(a.benefits, b.benefits) where ba < bb { return false }
            return true
        }
        var result: [Dominance] = []
        for b in members.indices where !hasDoseRow(b) {
            var found = 0
            // Earlier exercises first (valid in every stage), then later ones that are strictly better.
            for a in Array(members.indices.prefix(b)) + Array(members.indices.suffix(from: b + 1)) where found < perExercise {
                guard !hasDoseRow(a) else { continue }
                let ea = exercises[a], eb = exercises[b]
                guard atLeastAsGood(ea, eb), focusesOf[members[a]] == focusesOf[members[b]] else { continue }
                // Twins: only the earlier one is the better (the relation must be a strict order).
                if a > b && atLeastAsGood(eb, ea) { continue }
                // In the share's row strengthening helps, balance is neutral, anything else costs.
                let rank = { (e: Exercise) in e.strengthens ? 2 : e.isBalance ? 1 : 0 }
                let holds = rank(ea) == rank(eb) ? (rank(ea) != 2 || ea.secondsPerUnit == eb.secondsPerUnit) : rank(ea) > rank(eb)
                result.append(Dominance(better: a, worse: b, holdsWithStrengthShare: holds))
                found += 1
            }
        }
        return result
    }
}
