/// A short pain-science message for each week (README, "Education"): reassurance in place of
/// structural framing (Stewart & Loftus, JOSPT 2018;48:519), each with its source key in
/// docs/sources.md.
public struct PainMessage: Sendable, Hashable, Codable {
    public let key: String
    public let title: String
    public let text: String
    /// Keys in docs/sources.md.
    public let sources: [String]
}

public enum PainEducation {
    /// The messages, in the order a programme gives them by default.
    public static let messages: [PainMessage] = [
        PainMessage(key: "hurt-not-harm", title: "Hurt does not mean harm",
                    text: "Back pain is real, but how much it hurts is not a measure of damage: the nervous system turns pain up when it is on guard. Some discomfort while you exercise is safe and expected; it settles as your back gets used to moving again.",
                    sources: ["louw-2016", "moseley-butler-2015", "smith-2017"]),
        PainMessage(key: "backs-are-strong", title: "Your back is strong",
                    text: "The spine is a strong, adaptable structure built to bend, lift and twist. Most back pain is not caused by serious damage, and backs get stronger and more confident with use.",
                    sources: ["osullivan-2020"]),
        PainMessage(key: "movement-helps", title: "Movement helps, rest prolongs",
                    text: "Staying active and returning to your usual activities helps back pain settle sooner; long rest and avoiding movement tend to keep it going. Keep moving through the day, a little at a time.",
                    sources: ["nice-ng59", "osullivan-2020"]),
        PainMessage(key: "scans", title: "Scan findings are normal with age",
                    text: "Disc changes and bulges show on the scans of most people who have no pain at all, and more so with each decade, like grey hair. They are normal signs of age, not a reason to fear moving.",
                    sources: ["brinjikji-2015"]),
        PainMessage(key: "flares-settle", title: "Flares are common and settle",
                    text: "Ups and downs are normal. A flare is not a setback or a new injury: most settle within days to a few weeks. Ease back, keep gently moving, then build up again.",
                    sources: ["costa-2012", "osullivan-2020"]),
        PainMessage(key: "sleep-stress", title: "Sleep, stress and mood turn the volume up",
                    text: "Poor sleep, stress, worry and low mood all make pain louder, and pain disturbs sleep in turn. A regular sleep routine, time to unwind and doing things you enjoy are part of the treatment too.",
                    sources: ["finan-2013", "osullivan-2020"]),
        PainMessage(key: "build-gradually", title: "Build up bit by bit",
                    text: "Confidence grows with doing: pick an activity you have been avoiding, start with an amount that feels manageable and add a little each week. Good days are not a reason to overdo it, nor bad days a reason to stop.",
                    sources: ["osullivan-2020", "louw-2016"]),
        PainMessage(key: "keep-going", title: "You are in charge",
                    text: "What you do day to day matters more than any one treatment. Keep the exercises and walking you like after the programme ends; if your back flares later, you know how to settle it.",
                    sources: ["osullivan-2020", "nice-ng59"]),
    ]

    /// The order the messages come in: a person at high risk on STarT Back (fear, worry, low
    /// mood) hears first that hurt is not harm and how sleep, stress and mood turn pain up,
    /// then that flares settle (the psychosocial items are what put them at high risk).
    public static func order(for group: StartBack.Group?) -> [PainMessage] {
        guard group == .high else { return messages }
        let first = ["hurt-not-harm", "sleep-stress", "flares-settle"]
        return first.compactMap { k in messages.first { $0.key == k } } + messages.filter { !first.contains($0.key) }
    }

    /// Week `w`'s message (from 1), repeating after the last.
    public static func message(week w: Int, group: StartBack.Group? = nil) -> PainMessage {
        let list = order(for: group)
        return list[(max(w, 1) - 1) % list.count]
    }
}
