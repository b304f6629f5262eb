import Foundation
import ReliefTestSupport
import Testing
@testable import Relief
import ReliefFormats

/// The outcome and STarT Back lines of the programme log, and what the programme shows of them.
@Suite("Outcome measures in the log and the programme")
struct OutcomeLogTests {
    static let start = CalendarDate("2026-12-01")!

    func setup(weeks: Int = 8) throws -> (ProgrammePlanner, ProgrammeSettings, PlanRequest, Catalogue) {
        try ProgrammeFixture.setup(weeks: weeks)
    }

    func parse(_ lines: [String], _ settings: ProgrammeSettings, _ catalogue: Catalogue) throws -> ProgrammeLog {
        try ProgrammeFixture.log(lines, settings, catalogue)
    }

    /// 24 RMDQ answers with the first `yes` yes.
    func rmdq(yes: Int) -> [Bool] { (0..<24).map { $0 < yes } }

    @Test("an outcome and a STarT Back entry write one JSON line each and read back to the same facts")
    func roundTrip() throws {
        let (_, settings, _, catalogue) = try setup()
        let answers = OutcomeAnswers(nprs: 6, rmdq: rmdq(yes: 14), odi: [2, 1, nil, 3, 2, 2, 1, 0, 2, 1],
                                     psfs: [PSFSActivity(activity: "bending", score: 4)], pgic: .muchImproved)
        let screening = try StartBack.read([1, 0, 1, 0, 0, 1, 1, 0, 3]).get()
        let entries = [LogEntry(date: Self.start, fact: .outcome(answers)), LogEntry(date: Self.start, fact: .startBack(screening))]
        let lines = try entries.map { try $0.jsonLine() }
        #expect(lines[1] == #"{"date":"2026-12-01","kind":"startback","answers":[1,0,1,0,0,1,1,0,3]}"#)
        #expect(lines[0].contains(#""odi":[2,1,null,3,2,2,1,0,2,1]"#))
        #expect(lines[0].contains(#""psfs":[{"activity":"bending","score":4}],"pgic":"much-improved"}"#))
        let log = try parse(lines, settings, catalogue)
        #expect(log.entries.map(\.fact) == entries.map(\.fact))
    }

    @Test("a wrong item count and a value out of range are refused at file:line:column with the item and the value")
    func errors() throws {
        let (_, settings, _, catalogue) = try setup()
        let ok = #"{"date":"2026-12-01","kind":"morning","pain":4}"#
        let short = #"{"date":"2026-12-02","kind":"outcome","rmdq":[1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1]}"#
        let prefix = #"{"date":"2026-12-03","kind":"outcome","odi":[1,2,"#
        let outOfRange = prefix + #"7,1,1,1,1,1,1,1]}"#
        let badStartBack = #"{"date":"2026-12-04","kind":"startback","answers":[1,0,1,0,0,1,1,0,5]}"#
        let empty = #"{"date":"2026-12-05","kind":"outcome"}"#
        let wrongKey = #"{"date":"2026-12-05","kind":"outcome","nprs":3,"answers":[1]}"#
        do {
            _ = try parse([ok, short, outOfRange, badStartBack, empty, wrongKey], settings, catalogue)
            Issue.record("the log was read")
        } catch let e as DataErrors {
            let text = e.description
            // Line 2: the list starts at column 46 (45 characters before it, counted by hand).
            #expect(text.contains("log.jsonl:2:46: rmdq: expected 24 items, one for each statement in order, got 23 items"), "\(text)")
            // Line 3: the 7 is the character after the prefix.
            #expect(text.contains("log.jsonl:3:\(prefix.count + 1): odi item 3: expected a section score from 0 to 5, or null for a section skipped, got 7"), "\(text)")
            #expect(text.contains("log.jsonl:4:"), "\(text)")
            #expect(text.contains("startback item 9: expected 0-4 (0 not-at-all, 1 slightly, 2 moderately, 3 very-much, 4 extremely), got 5"), "\(text)")
            #expect(text.contains("log.jsonl:5:") && text.contains("at least one of nprs, rmdq, odi, psfs, pgic"), "\(text)")
            #expect(text.contains("log.jsonl:6:") && text.contains("answers does not belong in an outcome entry"), "\(text)")
            #expect(!text.contains("log.jsonl:1:"), "\(text)")
        }
    }

    @Test("the programme shows the schedule, each score against its baseline, and the STarT Back group with NG59's advice")
    func programmeShowsVerdicts() throws {
        let (planner, settings, request, catalogue) = try setup()
        let lines = [
            #"{"date":"2026-12-01","kind":"startback","answers":[0,0,0,0,1,1,1,1,0]}"#,   // total 4, subscale 4: high
            try LogEntry(date: Self.start, fact: .outcome(OutcomeAnswers(nprs: 6, rmdq: rmdq(yes: 14)))).jsonLine(),
            // Week 4 (days 21-27): RMDQ 14 → 8 is 6 ≥ max(5, 4.2); NPRS 6 → 5 is 1 < 2.
            try LogEntry(date: Self.start.adding(days: 25), fact: .outcome(OutcomeAnswers(nprs: 5, rmdq: rmdq(yes: 8), pgic: .minimallyImproved))).jsonLine(),
        ]
        let log = try parse(lines, settings, catalogue)
        let programme = try planner.plan(settings: settings, request: request, log: log)
        let o = try #require(programme.outcomes)
        #expect(o.startBack?.result.group == .high)
        #expect(o.schedule.visits.map(\.week) == [1, 2, 4, 8])
        #expect(o.latest.map(\.verdict) == [.same, .better, .same])   // NPRS, RMDQ, PGIC
        let text = try programme.rendered(.table)
        #expect(text.contains("RMDQ 14 → 8: meaningfully better"))
        #expect(text.contains("NPRS 6 → 5: no meaningful change"))
        #expect(text.contains("high risk: psychologically informed care"))
        #expect(text.contains("Questionnaires due: review: a clinician's review (STarT Back high risk)."))
        let json = try programme.rendered(.json)
        #expect(json.contains(#""verdict": "meaningfully_better""#))
        #expect(json.contains(#""group": "high""#))
        let week4 = programme.handout(week: 4)
        #expect(week4.contains("## Questionnaires this week"))
        #expect(week4.contains("RMDQ 14 → 8: meaningfully better"))
        // A week's handout shows no later score: week 3 has only the baseline, so no verdict.
        #expect(!programme.handout(week: 3).contains("meaningfully"))
        #expect(programme.handout(week: 2).contains("a clinician will talk with you"))
        // Same input, same bytes.
        #expect(try planner.plan(settings: settings, request: request, log: log).rendered(.json) == json)
    }

    @Test("relief log startback and outcome: the verdict printed, a wrong count refused (exit 64), a bad line in the file at file:line (exit 65), nothing written")
    func commandLine() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("relief-outcomes-\(getpid())").path
        try? FileManager.default.removeItem(atPath: dir)
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let data = Fixtures.shipped, programme = dir + "/p.json", log = dir + "/p.log.jsonl"
        let plan = try runRelief(["programme", "--data", data, "--minutes", "15", "--weeks", "4", "--start", "2026-12-01",
                                  "--today", "2026-12-01", "--screen", "clear", "--out", programme])
        #expect(plan.status == 0, "\(plan.stderr)")
        let common = ["log", "--data", data, "--programme", programme, "--today", "2026-12-31"]
        let screen = try runRelief(common + ["startback", "--date", "2026-12-01", "--answers", "1,0,0,0,1,1,1,0,moderately"])
        #expect(screen.status == 0, "\(screen.stderr)")
        #expect(screen.stdout.contains("total 4/9, psychosocial subscale 3/5: medium risk"))   // moderately scores 0
        let yes = { (n: Int) in (0..<24).map { $0 < n ? "1" : "0" }.joined(separator: ",") }
        let base = try runRelief(common + ["outcome", "--date", "2026-12-01", "--rmdq", yes(10), "--odi", "2,2,2,2,2,2,1,1,2,-"])
        #expect(base.status == 0, "\(base.stderr)")
        #expect(base.stdout.contains("ODI 35.6 %: the baseline (16 of 45 (1 section skipped))"), "\(base.stdout)")
        let follow = try runRelief(common + ["outcome", "--date", "2026-12-28", "--rmdq", yes(5), "--pgic", "much-worse"])
        #expect(follow.stdout.contains("RMDQ 10 → 5: meaningfully better"), "\(follow.stdout)")   // 5 ≥ max(5, 3)
        #expect(follow.stdout.contains("PGIC much worse: meaningfully worse"), "\(follow.stdout)")
        let before = try String(contentsOfFile: log, encoding: .utf8)
        #expect(before.split(separator: "\n").count == 3)
        let short = try runRelief(common + ["outcome", "--rmdq", "1,1,1"])
        #expect(short.status == 64)
        #expect(short.stderr.contains("--rmdq: expected 24 items, one for each statement in order, got 3 items"), "\(short.stderr)")
        let range = try runRelief(common + ["outcome", "--odi", "1,1,9,1,1,1,1,1,1,1"])
        #expect(range.status == 64 && range.stderr.contains("--odi section 3 must be 0-5 or - (skipped), got \"9\""), "\(range.stderr)")
        // A line in the file out of range: refused at its place, nothing added.
        try (before + #"{"date":"2026-12-29","kind":"outcome","nprs":12}"# + "\n").write(toFile: log, atomically: true, encoding: .utf8)
        let bad = try runRelief(common + ["outcome", "--nprs", "3"])
        #expect(bad.status == 65, "\(bad.stderr)")
        #expect(bad.stderr.contains("p.log.jsonl:4:46: nprs: expected a whole number from 0 to 10, got 12"), "\(bad.stderr)")
        #expect(try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").count == 4)
    }
}
