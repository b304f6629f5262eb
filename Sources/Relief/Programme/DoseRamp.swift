/// A programme's dose, rising from a gentle start to a target (README, "A dose that builds"):
/// each week's least session time and least strengthening time (rows of ``WeekModel``), the
/// week's walking (``WalkingSchedule``), and the programme's hours against Hayden et al.'s 20.
enum DoseRamp {
    /// Once the ramp is past, every session uses at least this share of the minutes the person
    /// gave (whole sets leave the rest).
    static let fullShare = 0.9
    /// Walking rises each week by the larger of `max_growth` and this many minutes, up to
    /// `walk_minutes` (WHO 2020: 150-300 minutes of moderate activity a week).
    static let walkStep = 15.0
    /// A flare at the start lasts this many weeks unless `flare_weeks` says otherwise (the
    /// README's flare rule: the relief phase for 2 weeks, then back to the plan).
    static let flareWeeks = 2
    /// Programmes of about 20 hours or more did better (Hayden et al., Ann Intern Med
    /// 2005;142:776, meta-regression of exercise therapy for chronic low back pain).
    static let haydenHours = 20.0
    /// A flare or overload steps the session ramp back this many steps from the next one: the
    /// week after is two steps below the week that flared (about the 80% cut).
    static let stepsBackAfterCut = 3
    /// What one second short of a floor costs in a week's objective (one second of time costs
    /// 1): a floor is kept whenever the week's other rules and the exercises allow it, even when
    /// it is a few seconds short and closing it takes a whole set (at 10 a second, 3 s short
    /// of the osteoporosis week's strengthening cost less than a 40 s plank set, and the week
    /// stayed short).
    static let shortPenalty = 50.0
    /// What one second of strengthening below last week's costs: twice a floor's second,
    /// so the week keeps last week's strengthening before it fills the ramp.
    static let keepPenalty = 100.0
    /// What one exercise of a focus missing from one session costs (seconds): more than any
    /// exercise's least dose takes (bird dog's 279 s set and its setup), so a session keeps its
    /// focus whenever the week's hard rules leave room.
    static let focusPenalty = 1000.0
    /// A condition's focus (extension first for flexion intolerance, flexion for extension
    /// intolerance, leg strength with osteoporosis) weighs this many times a default's in a
    /// week: directional preference is the treatment, and it comes from the first week.
    static let conditionFocusWeight = 5.0
    /// A condition's focus is on at least this many days of every week (Too Fit To Fracture and
    /// Osteoporosis Canada: strength and balance training 2 or more days a week); a default or a
    /// profile's region on at least one (each of McGill's three every week, alternating between
    /// the sessions when the cap on exercises leaves no room for all of them in one).
    static let conditionFocusDays = 2.0
    /// What each day a focus is short of its days in a week costs, per session day of the week
    /// (× ``conditionFocusWeight`` for a condition's): a staple missing from the whole week costs
    /// twice what missing from every session does, so the week alternates staples rather than
    /// doubling one.
    static let focusDayPenalty = focusPenalty
    /// What a unit of coverage shortfall costs in a week: one focus exercise is worth 5% of
    /// every target (1000 s / 0.05). A week (the first, with its few exercises, or a full
    /// maintenance week with no room left in its sessions) may give up to ``coverageTrade`` of
    /// coverage below the most it can reach for McGill's three, the bridge or a profile's
    /// balance or region.
    static let coveragePenalty = focusPenalty / 0.05
    /// The most coverage a week trades for its focus (10%: two 5% steps).
    static let coverageTrade = 0.1

    /// The least share of its minutes a session uses at ramp step `r` (0: the first week):
    /// `start_share` rising by `dose_step` a step, up to ``fullShare`` (or `start_share` when
    /// that is already higher).
    static func sessionShare(step r: Int, _ s: ProgrammeSettings) -> Double {
        s.startShare >= fullShare ? s.startShare : min(fullShare, s.startShare + Double(max(0, r)) * s.doseStep)
    }

    /// The week's strengthening target (seconds): the larger of the two phases' full doses,
    /// each its sessions × minutes × ``fullShare`` × its strengthening share.
    static func strengthTarget(_ s: ProgrammeSettings, reliefBudget: Double, reliefShare: Double) -> Double {
        max(Double(s.days) * reliefBudget * fullShare * reliefShare,
            Double(s.maintenanceDays) * s.maintenanceMinutes * 60 * fullShare * s.maintenanceStrengthShare)
    }

    /// The least strengthening (seconds) a week at ramp step `r` asks for, after a week with
    /// `previous` seconds of strengthening (nil: none before, or a cut): the ramp's share of the
    /// target, and never less than last week's until the target is reached. (The week model
    /// states the two as separate rows, `strength_floor` and `strength_kept`.)
    static func strengthFloor(step r: Int, previous: Double?, target: Double, _ s: ProgrammeSettings) -> Double {
        let ramp = target * sessionShare(step: r, s) / max(fullShare, s.startShare)
        return min(target, max(ramp, previous ?? 0))
    }

    /// The week's walking (minutes) after a week that walked `previous` by the ramp (nil: the
    /// first week): the start, then up by the larger of `max_growth` and ``walkStep`` a week, to
    /// `walk_minutes`.
    static func walk(after previous: Double?, _ s: ProgrammeSettings) -> Double {
        guard let previous else { return min(s.walkMinutes, s.reliefWalk) }
        guard previous < s.walkMinutes else { return s.walkMinutes }
        return min(s.walkMinutes, previous + max(walkStep, previous * s.maxGrowth))
    }
}
