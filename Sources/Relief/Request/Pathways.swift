/// What a condition tag changes beyond the exercises it leaves out, and why (README,
/// "Condition pathways"). Each note is shown at the top of every plan and programme for a
/// person with that condition; the exclusions themselves are the catalogue's `avoid_if` tags.
/// A note is read by the person: it says what to do in words and names no command.
public enum ConditionPathway {
    public struct Pathway: Sendable, Hashable {
        public let condition: String
        public let note: String
        public let source: String
    }

    public static let all: [Pathway] = [
        Pathway(condition: "pregnancy",
                note: "Pregnancy: no exercise lying on your back is planned, because after the first trimester lying on the back for long lets the womb press on the main vein back to the heart (you may feel faint, and blood flow to the baby falls); none lying face down either. Stop and get care at once for bleeding, fluid leaking, regular painful contractions, dizziness, chest pain, calf pain or swelling, or a headache that does not go.",
                source: "ACOG Committee Opinion 804 (2020), Physical activity and exercise during pregnancy and the postpartum period"),
        Pathway(condition: "recent-spinal-surgery",
                note: "After spinal surgery your surgeon's protocol comes first: follow what your surgeon or their physiotherapist told you to do and to avoid, and how soon, over anything here. Nerve-tension end ranges (straight-leg hamstring stretches, nerve sliders), twisting, deep bending and foam rolling are left out.",
                source: "the surgeon's protocol; second clinical review (docs/clinical-review-2.md)"),
        Pathway(condition: "no-floor",
                note: "You cannot get down to the floor: every exercise is standing or sitting, at a wall, a counter or a chair. If you fall and cannot get up: keep a phone or an alarm on you, so it is within reach on the floor; call for help; keep warm with a blanket or coat while you wait.",
                source: "the catalogue's positions; first clinical review (docs/clinical-review.md); NHS, Falls (what to do if you fall); NICE NG249"),
        Pathway(condition: "osteoporosis",
                note: osteoporosisNote,
                source: "Royal Osteoporosis Society, Too Fit To Fracture (2019); NICE NG41; NICE CKS low back pain (red flags for fracture); NICE NG249"),
    ]

    /// Falls and fractures with osteoporosis, in three tiers, in the words of the red-flag
    /// table and of the handouts' "New symptoms" (fourth physiotherapist read, WRONG 3): a fall
    /// that hurts is an emergency, sudden back pain after a strain same day, a fall without
    /// injury a falls-risk check within days while the exercises go on.
    static let osteoporosisNote = "Osteoporosis: loaded forward bending, twisting and rolling on the spine are left out. "
        + "After \(LogEntry.Symptom.fall.plainWords), or \(LogEntry.Symptom.cannotBearWeight.plainWords): \(lowercasedFirst(RedFlagScreen.Urgency.emergency.action)), to check for a fracture (with osteoporosis a small fall can break a bone). "
        + "For \(LogEntry.Symptom.suddenBackPain.plainWords), with or without a fall: \(lowercasedFirst(RedFlagScreen.Urgency.sameDay.action)). "
        + "After a fall that did not hurt you: tell your GP or physiotherapist within days, so they can check your risk of falling; the exercises, balance training above all, can go on. "
        + "Note any fall in your programme's log."

    static func lowercasedFirst(_ s: String) -> String { s.prefix(1).lowercased() + s.dropFirst() }

    /// The notes for a person's conditions, in the table's order, each with its source.
    public static func notes(for conditions: Set<String>) -> [String] {
        all.filter { conditions.contains($0.condition) }.map { "\($0.note) (Source: \($0.source).)" }
    }
}
