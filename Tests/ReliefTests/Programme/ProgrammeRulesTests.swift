import Testing
@testable import Relief

/// One cause, one ladder (bridge → bridge march → single-leg bridge) and one exercise off it.
private let causesCSV = """
id,name,description,default_minimum
a,Cause A,,8
"""
private let exercisesCSV = """
id,name,modality,unit,dose,seconds_per_unit,whole,max_units,setup_seconds,equipment,avoid_if,a,source,instructions,group,harder
bridge,Bridge,strengthen,set,,60,yes,2,10,,,4,est,,g1,march
march,Bridge march,strengthen,set,,60,yes,2,10,,,5,est,,g1,single
single,Single-leg bridge,strengthen,set,,60,yes,2,10,,,6,est,,g1,
cat,Cat camel,mobilise,set,,40,yes,2,5,,,1,est,,,
"""
private let start = CalendarDate("2026-12-07")!

/// Log entries on days counted from the start, numbered as lines in order.
private struct Log {
    var entries: [LogEntry] = []
    mutating func add(_ day: Int, _ fact: LogEntry.Fact) {
        var entry = LogEntry(date: start.adding(days: day), fact: fact)
        entry.line = entries.count + 1
        entries.append(entry)
    }
    mutating func mornings(from day: Int, _ pains: [Double]) {
        for (k, p) in pains.enumerated() { add(day + k, .morning(pain: p)) }
    }
    mutating func session(_ day: Int, did ids: [String], before: Double? = nil, after: Double?, effort: Double? = 5) {
        add(day, .session(done: .some(ids), painBefore: before, painAfter: after, effort: effort))
    }
}

/// The catalogue, settings (usual pain 3 unless changed) and hand-made planned weeks the
/// rules are judged with.
private struct Fixture {
    let catalogue: Catalogue
    var settings = ProgrammeSettings(start: start)

    init() throws {
        catalogue = try Catalogue.parse(causes: causesCSV, exercises: exercisesCSV)
        settings.weeks = 6
        settings.usualPain = 3
    }

    func rules(_ log: Log) throws -> ProgrammeRules {
        let facts = LogFacts(entries: log.entries, file: "log", settings: settings)
        return ProgrammeRules(log: facts, safety: try LogSafety(entries: log.entries, request: PlanRequest(), file: "log"),
                              exercises: catalogue.exercises, ladders: Ladders(catalogue: catalogue),
                              usable: Set(catalogue.exercises.indices), excluded: [])
    }

    /// Week `w` as planned in `phase`: a bridge session on its days 0, 2 and 4.
    func week(_ w: Int, phase: Phase) -> ProgrammeWeek {
        let session = catalogue.session([(catalogue.exerciseIndex("bridge")!, 1)], conditions: [])
        let days = (0..<7).map { d in
            let planned = [0, 2, 4].contains(d)
            return ProgrammeDay(date: start.adding(days: 7 * (w - 1) + d), session: planned ? session : [],
                                walkMinutes: 0, walkID: nil, sessionName: planned ? "A" : nil)
        }
        return ProgrammeWeek(number: w, phase: phase, status: .optimal, days: days, totalSeconds: 0, coverage: [:],
                             sessionMinimums: [:], binding: [], ladders: [:], notes: [])
    }

    func judge(_ log: Log, week w: Int, state: inout ProgrammeState) throws -> [Decision] {
        try rules(log).judge(week: w, planned: week(w, phase: state.phase), state: &state)
    }
}

/// The log's rules on hand-made weeks, without GLPK: the expected decisions and states are
/// worked out by hand from README, "Adapting to the log".
@Suite("programme log rules")
struct ProgrammeRulesTests {
    @Test("the ladder runs from the easiest exercise up, by harder")
    func ladderChain() throws {
        let f = try Fixture()
        let ladders = Ladders(catalogue: f.catalogue)
        #expect(ladders.chains.map { $0.map { f.catalogue.exercises[$0].id } } == [["bridge", "march", "single"]])
        let all = Set(f.catalogue.exercises.indices)
        #expect(ladders.shown([1], bottoms: [0], usable: all, f.catalogue.exercises) == ["bridge": "march"])
        // With the bridge a variant for others, the ladder starts (and is shown) at the march.
        let march = try #require(f.catalogue.exerciseIndex("march"))
        let bridge = try #require(f.catalogue.exerciseIndex("bridge"))
        #expect(ladders.bottoms(usable: all.subtracting([bridge])) == [1])
        #expect(ladders.shown([2], bottoms: [1], usable: all.subtracting([bridge]), f.catalogue.exercises) == ["march": "single"])
        // With no step usable, the ladder is not shown.
        let single = try #require(f.catalogue.exerciseIndex("single"))
        #expect(ladders.shown([0], bottoms: [0], usable: all.subtracting([bridge, march, single]), f.catalogue.exercises).isEmpty)
    }

    @Test("a flare: mornings 2+ above the recent median on 2 days in a row; relief for two weeks, a step down, the next week cut and held")
    func flare() throws {
        let f = try Fixture()
        var log = Log()
        log.mornings(from: 0, [3, 3, 3, 3, 5, 6, 3])
        var state = ProgrammeState(ladders: 1)
        state.levels = [1]
        let decisions = try f.judge(log, week: 1, state: &state)
        let flare = try #require(decisions.first { $0.kind == .flare })
        #expect(flare.week == 2)
        #expect(flare.text.hasPrefix("a flare (morning pain 5, 6, 2 or more above your recent 3 for 2 days): the relief phase for weeks 2-3"))
        #expect(flare.evidence == ["line 5: 2026-12-11 morning pain 5", "line 6: 2026-12-12 morning pain 6"])
        #expect(state.levels == [0])
        #expect(state.forcedReliefThrough == 3)
        #expect(state.cutNext && state.progressionHeld)
        #expect(state.holding?.reference == 3 && state.holding?.since == 1)
        #expect(state.troubled == [1])
        #expect(state.phase == .relief)
    }

    @Test("one morning 2+ above is not a flare, nor are two that are not on consecutive days")
    func notAFlare() throws {
        let f = try Fixture()
        var log = Log()
        log.mornings(from: 0, [3, 3, 3, 5, 3, 5, 3])
        var state = ProgrammeState(ladders: 1)
        let decisions = try f.judge(log, week: 1, state: &state)
        #expect(!decisions.contains { $0.kind == .flare })
        #expect(state.holding == nil && !state.cutNext && state.forcedReliefThrough == 0)
    }

    @Test("two good sessions (at most 3 above usual, back to usual next morning, effort at most 6) step a ladder up; one does not")
    func stepUp() throws {
        let f = try Fixture()
        var one = Log()
        one.mornings(from: 0, [3, 3, 3, 3])
        one.session(0, did: ["bridge"], after: 6)
        var state = ProgrammeState(ladders: 1)
        let afterOne = try f.judge(one, week: 1, state: &state)
        #expect(afterOne.isEmpty)
        #expect(state.levels == [0] && state.goodSessions == [1])

        var two = one
        two.session(2, did: ["bridge"], after: 5)
        state = ProgrammeState(ladders: 1)
        let decisions = try f.judge(two, week: 1, state: &state)
        #expect(decisions.map(\.kind) == [.stepUp])
        #expect(decisions.first?.text.hasPrefix("Bridge → Bridge march:") == true)
        #expect(decisions.first?.evidence.count == 4)
        #expect(state.levels == [1] && state.goodSessions == [0] && state.good == [[]])
    }

    @Test("effort 7 is not a good session, and a held programme does not step up")
    func noStepUp() throws {
        let f = try Fixture()
        var hard = Log()
        hard.mornings(from: 0, [3, 3, 3, 3])
        hard.session(0, did: ["bridge"], after: 4, effort: 7)
        hard.session(2, did: ["bridge"], after: 4, effort: 7)
        var state = ProgrammeState(ladders: 1)
        let afterHard = try f.judge(hard, week: 1, state: &state)
        #expect(afterHard.isEmpty)
        #expect(state.goodSessions == [0])

        var easy = Log()
        easy.mornings(from: 7, [3, 3, 3, 3])
        easy.session(7, did: ["bridge"], after: 4)
        easy.session(9, did: ["bridge"], after: 4)
        state = ProgrammeState(ladders: 1)
        state.holding = (3, 2)
        let decisions = try f.judge(easy, week: 2, state: &state)
        #expect(decisions.map(\.kind) == [.hold])
        #expect(decisions.first?.text == "Bridge stays: no step up until mornings settle after the flare or overload")
        #expect(state.levels == [0])
    }

    @Test("pain 4-5 above usual holds the step; next morning 2+ above usual steps it down")
    func holdAndStepDown() throws {
        let f = try Fixture()
        var held = Log()
        held.mornings(from: 0, [3, 3, 3])
        held.session(0, did: ["march"], after: 7)
        var state = ProgrammeState(ladders: 1)
        state.levels = [1]
        state.goodSessions = [1]
        let holds = try f.judge(held, week: 1, state: &state)
        #expect(holds.map(\.kind) == [.hold])
        #expect(holds.first?.text == "Bridge march stays: pain rose 4-5 above your usual")
        #expect(state.levels == [1] && state.goodSessions == [0])

        var bad = Log()
        bad.mornings(from: 0, [3, 5, 3])
        bad.session(0, did: ["march"], after: 4)
        state = ProgrammeState(ladders: 1)
        state.levels = [1]
        let downs = try f.judge(bad, week: 1, state: &state)
        #expect(downs.map(\.kind) == [.stepDown])
        #expect(downs.first?.text.hasPrefix("Bridge march → Bridge:") == true)
        #expect(downs.first?.evidence == ["line 4: 2026-12-07 session did 1 exercise, pain after 4, effort 5",
                                          "line 2: 2026-12-08 morning pain 5"])
        #expect(state.levels == [0])
    }

    @Test("two sessions too much (pain after above 5 and 2+ above before) cut the load and step down; one does not")
    func overload() throws {
        let f = try Fixture()
        var one = Log()
        one.mornings(from: 0, [3, 3, 3, 3, 3, 3, 3])
        one.session(0, did: ["cat"], before: 3, after: 6)
        var state = ProgrammeState(ladders: 1)
        state.levels = [1]
        let afterOne = try f.judge(one, week: 1, state: &state)
        #expect(!afterOne.contains { $0.kind == .overload })
        #expect(!state.cutNext && state.levels == [1])

        var two = one
        two.session(2, did: ["cat"], before: 3, after: 6)
        state = ProgrammeState(ladders: 1)
        state.levels = [1]
        let decisions = try f.judge(two, week: 1, state: &state)
        let overload = try #require(decisions.first { $0.kind == .overload })
        #expect(overload.text.hasPrefix("2 sessions were too much"))
        #expect(overload.evidence.count == 2)
        #expect(state.cutNext && state.levels == [0] && state.troubled == [1])
        // Held against the recent median of the week's mornings, 3.
        #expect(state.holding?.reference == 3)
        // Before 5 and after 6 is not 2 above before: not too much.
        #expect(PainRules.tooMuch(after: 6, before: 5, reference: 3) == false)
    }

    @Test("after a flare, 3 mornings in a row at most 1 above its reference settle it; a 5 among them does not")
    func settled() throws {
        let f = try Fixture()
        var calm = Log()
        calm.mornings(from: 7, [4, 3, 4])
        var state = ProgrammeState(ladders: 1)
        state.holding = (3, 1)
        let decisions = try f.judge(calm, week: 2, state: &state)
        #expect(decisions.map(\.kind) == [.settled])
        #expect(state.holding == nil)

        var rough = Log()
        rough.mornings(from: 7, [4, 5, 4])
        state = ProgrammeState(ladders: 1)
        state.holding = (3, 1)
        let afterRough = try f.judge(rough, week: 2, state: &state)
        #expect(afterRough.isEmpty)
        #expect(state.holding?.reference == 3)
        // Mornings in the flare's own week do not count.
        var early = Log()
        early.mornings(from: 4, [3, 3, 3])
        state = ProgrammeState(ladders: 1)
        state.holding = (3, 1)
        _ = try f.judge(early, week: 2, state: &state)
        #expect(state.holding != nil)
    }

    @Test("relief goes on after its weeks while morning pain is not down 30% (or to 3), and moves to maintenance when it is")
    func reliefToMaintenance() throws {
        var f = try Fixture()
        f.settings.usualPain = 6
        f.settings.reliefWeeks = 2
        func afterWeek2(mornings pain: Double) throws -> (ProgrammeState, [Decision]) {
            var log = Log()
            for day in [0, 2, 4, 7, 9, 11] {
                log.session(day, did: ["cat"], after: nil)
                log.add(day + 1, .morning(pain: pain))
            }
            var state = ProgrammeState(ladders: 1)
            state.reliefWeeksDone = 2
            state.adherence = (3, 3)   // week 1: three of three
            let decisions = try f.judge(log, week: 2, state: &state)
            return (state, decisions)
        }
        // 5 is above max(0.7 × 6, 3) = 4.2: relief goes on.
        let (stuck, stayed) = try afterWeek2(mornings: 5)
        #expect(stuck.phase == .relief)
        let stay = try #require(stayed.first { $0.kind == .stayInRelief })
        #expect(stay.text == "stay in the relief phase: morning pain averaged 5, above 4.2 (30% below your usual, or 3)")
        #expect(stay.evidence.count == 6)
        // 4 is at most 4.2, and 6 of 6 relief sessions were done.
        let (better, moved) = try afterWeek2(mornings: 4)
        #expect(better.phase == .maintenance)
        #expect(better.adherence.planned == 6 && better.adherence.done == 6)
        #expect(moved.map(\.kind) == [.toMaintenance])
    }

    @Test("from week 4, mean morning pain less than 2 points and 30% below usual asks for a review, once")
    func review() throws {
        var f = try Fixture()
        f.settings.usualPain = 6
        var stuck = Log()
        stuck.mornings(from: 21, [5, 5, 5])
        stuck.mornings(from: 28, [5, 5, 5])
        var state = ProgrammeState(ladders: 1)
        let decisions = try f.judge(stuck, week: 4, state: &state)
        let review = try #require(decisions.first { $0.kind == .review })
        #expect(review.week == 5)
        #expect(review.text.hasPrefix("see your GP or physiotherapist for a review: after 4 weeks your morning pain averages 5 against your usual 6"))
        #expect(state.reviewed)
        let nextWeek = try f.judge(stuck, week: 5, state: &state)
        #expect(!nextWeek.contains { $0.kind == .review })

        // 2 points down is a real change; and week 3 is too early.
        var better = Log()
        better.mornings(from: 14, [5, 5, 5])
        better.mornings(from: 21, [4, 4, 4])
        state = ProgrammeState(ladders: 1)
        let week4 = try f.judge(better, week: 4, state: &state)
        #expect(!week4.contains { $0.kind == .review })
        let week3 = try f.judge(better, week: 3, state: &state)
        #expect(!week3.contains { $0.kind == .review })
        #expect(!state.reviewed)
    }

    @Test("the usual pain is learned as the median of the first 14 days' mornings, at least 3, never one entry")
    func learnedUsualPain() throws {
        var f = try Fixture()
        f.settings.usualPain = nil
        var log = Log()
        log.mornings(from: 0, [4, 6, 5])
        log.mornings(from: 14, [9, 9, 9])
        let facts = LogFacts(entries: log.entries, file: "log", settings: f.settings)
        #expect(facts.usualPain(by: start.adding(days: 1)) == nil)
        #expect(facts.usualPain(by: start.adding(days: 2)) == 5)
        #expect(facts.usualPain(by: start.adding(days: 20)) == 5)
        var state = ProgrammeState(ladders: 1)
        let decisions = try f.judge(log, week: 1, state: &state)
        #expect(decisions.first?.kind == .baseline)
        #expect(decisions.first?.text == "usual pain learned as 5/10: the median of the 3 mornings logged in the first 14 days (set it with usual_pain)")
        #expect(state.learned)
        let nextWeek = try f.judge(log, week: 2, state: &state)
        #expect(!nextWeek.contains { $0.kind == .baseline })
    }

    @Test("done \"all\" on a day without a session is refused with the log's line and column")
    func doneAllOnRestDay() throws {
        let f = try Fixture()
        var log = Log()
        log.add(1, .session(done: .all, painBefore: nil, painAfter: nil, effort: nil))
        var state = ProgrammeState(ladders: 1)
        #expect(throws: DataErrors.self) { try f.judge(log, week: 1, state: &state) }
    }

    @Test("walking: a week's minutes on as many days as keep each walk 10-30 min; the ramp from 50 to 65")
    func walking() throws {
        let catalogue = try Catalogue.parse(causes: causesCSV, exercises: """
            id,name,modality,unit,dose,seconds_per_unit,whole,min_units,max_units,setup_seconds,equipment,avoid_if,a,source,instructions,group,harder
            walk,Brisk walk,aerobic,minute,,60,yes,10,30,0,,,1,est,,,
            """)
        let walk = catalogue.exercises[0]
        // 50 minutes: 5 walks of 10, spread through the week; 150: 7 of 22 (whole minutes, up).
        #expect(WalkingSchedule.walkingDays(minutes: 50, exercise: walk) == [10, 10, 10, 0, 10, 10, 0])
        #expect(WalkingSchedule.walkingDays(minutes: 150, exercise: walk) == [Double](repeating: 22, count: 7))
        #expect(WalkingSchedule.walkingDays(minutes: 50, exercise: nil) == [Double](repeating: 0, count: 7))

        let schedule = WalkingSchedule(catalogue: catalogue, usable: [0], settings: ProgrammeSettings(start: start))
        let first = schedule.week(minutes: DoseRamp.walk(after: nil, ProgrammeSettings(start: start)))
        // The ramp's first week: 10 a relief session day (5 days): 50 minutes, the walk's own line.
        #expect(first.minutes == 50 && first.exerciseID == "walk")
        // Then up by max(15, 20%) a week: 65 minutes over 6 walks of 11 (whole minutes, up).
        let second = schedule.week(minutes: DoseRamp.walk(after: 50, ProgrammeSettings(start: start)))
        #expect(second.days.filter { $0 > 0 } == [Double](repeating: 11, count: 6))
        #expect(WalkingSchedule(catalogue: catalogue, usable: [], settings: ProgrammeSettings(start: start))
            .week(minutes: 50).minutes == 0)
    }
}
