/// The catalogue's progression ladders: each from its easiest exercise up, following
/// ``Exercise/harder``. A programme uses one step of each ladder a week (``ProgrammeState/levels``).
struct Ladders {
    /// Each ladder's exercises (catalogue indices), easiest first.
    let chains: [[Int]]
    /// Every exercise on some ladder.
    let members: Set<Int>

    init(catalogue: Catalogue) {
        let harderOf = Set(catalogue.exercises.compactMap(\.harder))
        var out: [[Int]] = []
        for (e, ex) in catalogue.exercises.enumerated() where ex.harder != nil && !harderOf.contains(ex.id) {
            var chain = [e]
            var seen: Set<Int> = [e]
            while let next = catalogue.exercises[chain.last!].harder.flatMap(catalogue.exerciseIndex), seen.insert(next).inserted {
                chain.append(next)
            }
            out.append(chain)
        }
        chains = out
        members = Set(out.flatMap { $0 })
    }

    /// Per ladder, its easiest step in `usable` (catalogue indices), 0 when none is: a ladder
    /// whose first steps are variants for other people (a wall side plank for older adults)
    /// starts higher.
    func bottoms(usable: Set<Int>) -> [Int] {
        chains.map { chain in chain.firstIndex(where: usable.contains) ?? 0 }
    }

    /// The exercise ladder `l` is on at `levels` (a catalogue index).
    func step(_ l: Int, _ levels: [Int]) -> Int { chains[l][levels[l]] }

    /// The steps in use at `levels` (catalogue indices).
    func rungs(_ levels: [Int]) -> Set<Int> { Set(chains.indices.map { step($0, levels) }) }

    /// Each ladder's step at `levels`, as a week shows it: the easiest exercise's id → the id used.
    /// Ladders with no usable step are not shown; a ladder whose first steps are variants for
    /// other people is shown from its easiest usable step (`bottoms`).
    func shown(_ levels: [Int], bottoms: [Int], usable: Set<Int>, _ exercises: [Exercise]) -> [String: String] {
        var out: [String: String] = [:]
        for (l, chain) in chains.enumerated() where usable.contains(chain[bottoms[l]]) {
            out[exercises[chain[bottoms[l]]].id] = exercises[step(l, levels)].id
        }
        return out
    }
}
