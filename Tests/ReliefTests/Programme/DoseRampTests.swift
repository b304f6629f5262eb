import Foundation
import ReliefTestSupport
import Testing
@testable import Relief
import ReliefFormats

/// A hand-checkable catalogue: two causes, two strengthening exercises in different groups (the
/// second left out in a flare), two others, no walking. Every session (units 0-2 each) is
/// enumerated below.
private let causes = """
id,name,description,default_minimum
a,Cause A,,8
b,Cause B,,5
"""
private let exercises = """
id,name,modality,unit,dose,seconds_per_unit,whole,max_units,setup_seconds,equipment,avoid_if,a,b,source,instructions,group
s1,Strength one,strengthen,set,,60,yes,2,10,,,4,1,est,,g1
s2,Strength two,strengthen,set,,90,yes,2,10,,acute-flare,5,2,est,,g2
m1,Mobility,mobilise,set,,40,yes,2,5,,,1,3,est,,
m2,Stretch,stretch,set,,50,yes,2,5,,,2,2,est,,
"""
private let secs = [60.0, 90, 40, 50], setup = [10.0, 10, 5, 5], pa = [4.0, 5, 1, 2], pb = [1.0, 2, 3, 2]
private let strong = [true, true, false, false]

/// Every session within 300 s covering both minimums with 30% strengthening, no exercise giving
/// more than a whole minimum: (units, time, strengthening).
private func allSessions() -> [([Int], Double, Double)] {
    var out: [([Int], Double, Double)] = []
    for code in 0..<81 {
        var units: [Int] = [], c = code
        for _ in 0..<4 { units.append(c % 3); c /= 3 }
        var time = 0.0, a = 0.0, b = 0.0, s = 0.0
        var capped = true
        for (k, u) in units.enumerated() where u > 0 {
            // No exercise gives more than the whole of a minimum (max_share 1).
            if Double(u) * pa[k] > 8 + 1e-9 || Double(u) * pb[k] > 5 + 1e-9 { capped = false }
            time += Double(u) * secs[k] + setup[k]
            a += Double(u) * pa[k]; b += Double(u) * pb[k]
            if strong[k] { s += Double(u) * secs[k] }
        }
        if capped, time <= 300 + 1e-9, a >= 8 - 1e-9, b >= 5 - 1e-9, s >= 0.3 * time - 1e-9 { out.append((units, time, s)) }
    }
    return out
}

private func planner() throws -> ProgrammePlanner {
    ProgrammePlanner(planner: Planner(catalogue: try Catalogue.parse(causes: causes, exercises: exercises)))
}

private func request() -> PlanRequest {
    var r = PlanRequest()
    r.budgetSeconds = 300
    r.maxShare = 1
    r.strengthShare = 0.3
    r.equipment = nil
    r.screen = RedFlagScreen.allClear
    r.explain = false
    return r
}

private let start = CalendarDate("2026-12-07")!

@Suite("Programme: a dose that builds")
struct DoseRampTests {
    @Test("the ramp's numbers by hand: session shares, walking minutes, the strengthening target")
    func arithmetic() {
        var s = ProgrammeSettings(start: start)
        // 0.5 + 0.1 a step, at most 0.9.
        #expect(abs(DoseRamp.sessionShare(step: 0, s) - 0.5) < 1e-12)
        #expect(abs(DoseRamp.sessionShare(step: 2, s) - 0.7) < 1e-12)
        #expect(abs(DoseRamp.sessionShare(step: 4, s) - 0.9) < 1e-12)
        #expect(abs(DoseRamp.sessionShare(step: 9, s) - 0.9) < 1e-12)
        // Walking: 10 a relief day (5 days: 50), then + max(15, 20%) to 150.
        var walk: [Double] = []
        var last: Double? = nil
        for _ in 0..<8 { let m = DoseRamp.walk(after: last, s); walk.append(m); last = m }
        let expected = [50, 65, 80, 96, 115.2, 138.24, 150, 150]
        #expect(zip(walk, expected).allSatisfy { abs($0 - $1) < 1e-9 }, "\(walk)")
        // Target: max(5 × 900 × 0.9 × 0.4, 3 × 1500 × 0.9 × 0.5) = max(1620, 2025).
        #expect(abs(DoseRamp.strengthTarget(s, reliefBudget: 900, reliefShare: 0.4) - 2025) < 1e-9)
        // The ramp's strengthening: target × share / 0.9, never below last week's, at most the target.
        #expect(abs(DoseRamp.strengthFloor(step: 0, previous: nil, target: 1800, s) - 1000) < 1e-9)
        #expect(abs(DoseRamp.strengthFloor(step: 0, previous: 1200, target: 1800, s) - 1200) < 1e-9)
        #expect(abs(DoseRamp.strengthFloor(step: 1, previous: 2000, target: 1800, s) - 1800) < 1e-9)
        s.startShare = 1
        #expect(abs(DoseRamp.sessionShare(step: 3, s) - 1) < 1e-12, "a start above 90% stays")
    }

    @Test("the floor rows, by enumeration: each session ≥ 270 s and strengthening ≥ 162 s, each second short costing 10")
    func floorRows() throws {
        var settings = ProgrammeSettings(start: start)
        settings.weeks = 1
        settings.reliefWeeks = 1
        settings.days = 2
        settings.maxDaysPerExercise = 1
        settings.startShare = 0.9
        settings.firstWeekExercises = 100
        settings.maintenanceDays = 1
        settings.maintenanceMinutes = 5
        // Floor 0.9 × 300 = 270 s a session; strengthening target max(2 × 300 × 0.9 × 0.3, 1 × 300 × 0.9 × 0.5) = 162 s.
        let all = allSessions()
        func cost(_ a: ([Int], Double, Double), _ b: ([Int], Double, Double)) -> Double {
            a.1 + b.1 + 10 * max(0, 270 - a.1) + 10 * max(0, 270 - b.1) + 10 * max(0, 162 - a.2 - b.2)
        }
        var best = Double.infinity
        for a in all { for b in all where zip(a.0, b.0).allSatisfy({ $0 == 0 || $1 == 0 }) { best = min(best, cost(a, b)) } }
        #expect(best.isFinite)
        let p = try planner()
        let programme = try p.plan(settings: settings, request: request())
        let week = try #require(programme.weeks.first)
        #expect(week.status == .optimal)
        let days = week.days.filter(\.isSessionDay)
        #expect(days.count == 2)
        func point(_ day: ProgrammeDay) -> ([Int], Double, Double) {
            let units = ["s1", "s2", "m1", "m2"].map { id in Int(day.session.first { $0.id == id }?.units ?? 0) }
            return (units, day.sessionSeconds, day.session.filter { $0.modality == .strengthen }.reduce(0) { $0 + $1.seconds - $1.setupSeconds })
        }
        #expect(abs(cost(point(days[0]), point(days[1])) - best) < 1e-6, "week \(cost(point(days[0]), point(days[1]))), enumeration \(best)")
        let lp = try #require(try p.exportWeeks(settings: settings, request: request()).first?.1)
        for row in ["floor_A", "floor_B", "strength_floor", "new_exercises"] { #expect(lp.contains(row), "\(row) in the LP") }
        #expect(!lp.contains("strength_kept"), "nothing to keep in the first week")
    }

    @Test("at most first_week_exercises different exercises in week 1, then max_new_exercises a week not done before")
    func newExercises() throws {
        var settings = ProgrammeSettings(start: start)
        settings.weeks = 3
        settings.reliefWeeks = 3
        settings.days = 2
        settings.firstWeekExercises = 2
        settings.maxNewExercises = 1
        let programme = try planner().plan(settings: settings, request: request())
        var known: Set<String> = []
        for (w, week) in programme.weeks.enumerated() {
            let new = week.exerciseIDs.subtracting(known)
            #expect(new.count <= (w == 0 ? 2 : 1), "week \(w + 1): \(new.sorted())")
            known.formUnion(week.exerciseIDs)
        }
        #expect(programme.weeks[0].exerciseIDs.count <= 2)
    }

    @Test("an included exercise is in the week but on at most max_days_per_exercise days (5 sessions, 4 days)")
    func includedFourDays() throws {
        var settings = ProgrammeSettings(start: start)
        settings.weeks = 1
        settings.reliefWeeks = 1
        settings.days = 5
        var r = request()
        r.included = ["m1"]
        let programme = try planner().plan(settings: settings, request: r)
        let week = try #require(programme.weeks.first)
        let days = week.days.filter { $0.session.contains { $0.id == "m1" } }.count
        #expect(days >= 1 && days <= 4, "m1 on \(days) days")
        let lp = try #require(try planner().exportWeeks(settings: settings, request: r).first?.1)
        #expect(lp.contains("include_m1") && lp.contains("days_m1"))
    }

    @Test("a flare at the start lifts: acute-flare's exclusions hold in weeks 1-2 only, and a decision says it has ended")
    func flareEnds() throws {
        var settings = ProgrammeSettings(start: start)
        settings.weeks = 4
        settings.reliefWeeks = 4
        settings.days = 2
        var r = request()
        r.conditions = ["acute-flare"]
        let p = try planner()
        let programme = try p.plan(settings: settings, request: r)
        #expect(programme.flareWeeks == 2)
        for week in programme.weeks.prefix(2) { #expect(!week.exerciseIDs.contains("s2"), "s2 in flare week \(week.number)") }
        let ends = try #require(programme.decisions.first { $0.kind == .flareEnds })
        #expect(ends.week == 3)
        #expect(ends.text.contains("Strength two"))
        let lps = try p.exportWeeks(settings: settings, request: r)
        #expect(lps.count == 4)
        for (w, text) in lps { #expect(text.contains("x_A_s2") == (w >= 3), "week \(w): s2 usable only after the flare") }
        // flare_weeks 0: the condition holds no weeks; flare_weeks 1: one.
        settings.flareWeeks = 1
        let one = try p.plan(settings: settings, request: r)
        #expect(one.decisions.contains { $0.kind == .flareEnds && $0.week == 2 })
        #expect(one.excluded.first { $0.id == "s2" }?.reasons.allSatisfy { $0.hasSuffix("(in the flare, week 1)") } == true)
    }

    @Test("handouts carry no commands, setup.md does, and a symptom logged twice is advised once")
    func handouts() throws {
        var settings = ProgrammeSettings(start: start)
        settings.weeks = 2
        settings.reliefWeeks = 2
        settings.days = 2
        let catalogue = try Catalogue.parse(causes: causes, exercises: exercises)
        let lines = ["{\"date\":\"2026-12-08\",\"kind\":\"symptom\",\"symptom\":\"night-pain\"}",
                     "{\"date\":\"2026-12-10\",\"kind\":\"symptom\",\"symptom\":\"night-pain\"}"]
        let log = try ProgrammeLog.parse(lines.joined(separator: "\n"), file: "log.jsonl", settings: settings, catalogue: catalogue,
                                         today: CalendarDate("2027-06-01")!)
        let programme = try planner().plan(settings: settings, request: request(), log: log)
        let advice = programme.alerts.filter { $0.hasPrefix("Symptom logged on") }
        #expect(advice.count == 1, "\(advice)")
        #expect(advice.first?.hasPrefix("Symptom logged on 2026-12-08 and 2026-12-10:") == true)
        for w in 1...2 {
            let page = programme.handout(week: w)
            for command in ["relief log", "relief programme ", "relief screen", "--programme", "--date"] {
                #expect(!page.contains(command), "week \(w) names a command (\(command))")
            }
            #expect(!page.contains("`"), "week \(w) has code")
            #expect(page.contains("## Your notes"))
            // Symptoms in plain words, never the log's ids; the cauda equina signs under the
            // emergency department now (GIRFT 2023; NICE NG59), not beside the others.
            #expect(!page.contains("saddle-numbness") && !page.contains("bladder-bowel") && !page.contains("pins-and-needles"))
            let emergency = try #require(page.split(separator: "\n").first { $0.hasPrefix("- Go to an emergency department now, or call an ambulance (999 or 112):") })
            #expect(emergency.contains("saddle area") && emergency.contains("urine or stools"), "\(emergency)")
            // The solver's details are for setup.md.
            #expect(!page.contains("At their limit") && !page.contains("short of the dose ramp's"))
        }
        let setup = programme.setupSheet()
        #expect(setup.contains("relief log --programme programme.json session"))
        #expect(setup.contains("relief programme --replan"))
        #expect(Programme.forPerson("log it (relief log ... symptom fall): at once") == "log it: at once")
    }
}

@Suite("Programme: a progression is kept")
struct ProgressionKeptTests {
    @Test("a ladder step reached in relief stays in every maintenance week")
    func keptIntoMaintenance() throws {
        let catalogue = try Catalogue.load(directory: Fixtures.shipped)
        let begin = CalendarDate("2026-12-01")!
        var r = PlanRequest()
        r.budgetSeconds = 900
        r.screen = RedFlagScreen.allClear
        r.explain = false
        var settings = ProgrammeSettings(start: begin)
        settings.weeks = 6
        settings.reliefWeeks = 4
        settings.usualPain = 5
        var lines: [String] = []
        for week in 0..<4 {
            for d in [0, 1, 3, 4, 5] {
                lines.append("{\"date\":\"\(begin.adding(days: 7 * week + d))\",\"kind\":\"session\",\"done\":\"all\",\"pain_before\":5,\"pain_after\":5,\"effort\":4}")
            }
            for d in 0..<7 { lines.append("{\"date\":\"\(begin.adding(days: 7 * week + d + 1))\",\"kind\":\"morning\",\"pain\":\(week < 2 ? 5 : 3)}") }
        }
        let log = try ProgrammeLog.parse(lines.joined(separator: "\n"), file: "log.jsonl", settings: settings, catalogue: catalogue,
                                         today: CalendarDate("2027-06-01")!)
        let programme = try ProgrammePlanner(planner: Planner(catalogue: catalogue)).plan(settings: settings, request: r, log: log)
        #expect(programme.weeks.map(\.phase) == [.relief, .relief, .relief, .relief, .maintenance, .maintenance])
        #expect(programme.decisions.contains { $0.kind == .stepUp }, "\(programme.decisions.map(\.text))")
        var kept = 0
        for week in programme.weeks where week.phase == .maintenance {
            for (easiest, current) in week.ladders where current != easiest {
                #expect(week.exerciseIDs.contains(current), "week \(week.number) drops \(current)")
                kept += 1
            }
        }
        #expect(kept > 0, "some ladder stepped up before maintenance")
    }
}
