import Foundation
import ReliefTestSupport
import Testing
@testable import Relief

/// Every expected value below is worked by hand from the manual's rule, written beside it.
@Suite("Outcome measures: scoring as the manuals say")
struct OutcomeScoringTests {
    @Test("RMDQ is the count of yes: items 1, 2, 5, 10 and 16 of 24 give 5")
    func rmdqCount() throws {
        var items = Array(repeating: false, count: 24)
        for k in [1, 2, 5, 10, 16] { items[k - 1] = true }
        #expect(try OutcomeScoring.rmdq(items).value == 5)
        #expect(try OutcomeScoring.rmdq(Array(repeating: true, count: 24)).value == 24)
        #expect(try OutcomeScoring.rmdq(Array(repeating: false, count: 24)).value == 0)
        #expect(throws: MeasureProblem(field: "rmdq", item: nil, value: "23 items", expected: "24 items, one for each statement in order")) {
            try OutcomeScoring.rmdq(Array(repeating: true, count: 23))
        }
    }

    @Test("ODI: Fairbank & Pynsent's examples, 16 of 50 = 32 %, and with one section missed 16 of 45 = 35.6 %")
    func odiWorkedExamples() throws {
        let all: [Int?] = [2, 2, 2, 2, 2, 2, 1, 1, 1, 1]   // sum 16
        #expect(abs(try OutcomeScoring.odi(all).value - 32) < 1e-9)
        let oneMissed: [Int?] = [2, 2, 2, 2, 2, 2, 1, 1, 2, nil]   // sum 16 over 9 sections
        #expect(abs(try OutcomeScoring.odi(oneMissed).value - 1600.0 / 45) < 1e-9)
        #expect(String(format: "%.1f", try OutcomeScoring.odi(oneMissed).value) == "35.6")
        // Two skipped: 16 / 40 = 40 %; three skipped is refused.
        #expect(abs(try OutcomeScoring.odi([2, 2, 2, 2, 2, 2, 2, 2, nil, nil]).value - 40) < 1e-9)
        #expect(throws: MeasureProblem.self) { try OutcomeScoring.odi([2, 2, 2, 2, 2, 2, 2, nil, nil, nil]) }
        let problems = OutcomeAnswers(odi: [1, 1, 7, 1, 1, 1, 1, 1, 1, 1]).problems()
        #expect(problems == [MeasureProblem(field: "odi", item: 3, value: "7", expected: "a section score from 0 to 5, or skipped")])
        #expect(problems[0].description == "odi item 3: expected a section score from 0 to 5, or skipped, got 7")
    }

    @Test("PSFS is the mean of the activities; NPRS a whole number 0-10; each problem names the item")
    func psfsAndNprs() throws {
        let psfs = try OutcomeScoring.psfs([PSFSActivity(activity: "bending", score: 4), PSFSActivity(activity: "sitting", score: 6),
                                            PSFSActivity(activity: "lifting", score: 2)])
        #expect(psfs.value == 4)   // (4 + 6 + 2) / 3
        #expect(OutcomeAnswers(psfs: [PSFSActivity(activity: "a", score: 11)]).problems().first?.item == 1)
        #expect(OutcomeAnswers(psfs: Array(repeating: PSFSActivity(activity: "x", score: 1), count: 6)).problems().first?.value == "6 activities")
        #expect(try OutcomeScoring.nprs(6).value == 6)
        #expect(OutcomeAnswers(nprs: 6.5).problems().first?.description == "nprs: expected a whole number from 0 to 10, got 6.5")
        #expect(OutcomeAnswers(nprs: 11).problems().count == 1)
    }
}

@Suite("Minimal important change: both the absolute and the 30 % rule")
struct MeaningfulChangeTests {
    func verdict(_ m: OutcomeMeasure, _ b: Double, _ f: Double) -> ChangeVerdict { MeasureChange.compare(m, baseline: b, followUp: f).verdict }

    @Test("NPRS: 2 points and 30 %; at a high baseline the 30 % rule decides, at a low one the 2 points")
    func nprs() {
        #expect(verdict(.nprs, 6, 4) == .better)    // 2 ≥ max(2, 1.8)
        #expect(verdict(.nprs, 6, 5) == .same)      // 1 < 2
        #expect(verdict(.nprs, 10, 8) == .same)     // 2 points, but 20 % < 30 %: the rules disagree, both are needed
        #expect(verdict(.nprs, 10, 7) == .better)   // 3 = 30 % of 10, exactly at the threshold
        #expect(verdict(.nprs, 3, 2) == .same)      // 33 %, but 1 point < 2
        #expect(verdict(.nprs, 3, 1) == .better)
        #expect(verdict(.nprs, 4, 6) == .worse)     // symmetric: 2 points the other way, ≥ 1.2
        #expect(verdict(.nprs, 4, 5) == .same)
    }

    @Test("RMDQ 5 points and 30 %; ODI 10 points and 30 %; PSFS 2 points (higher is better)")
    func disability() {
        #expect(verdict(.rmdq, 20, 15) == .same)    // 5 points, 25 % < 30 % (needs 6)
        #expect(verdict(.rmdq, 20, 14) == .better)
        #expect(verdict(.rmdq, 10, 5) == .better)   // 5 ≥ max(5, 3)
        #expect(verdict(.rmdq, 10, 6) == .same)
        #expect(verdict(.rmdq, 10, 15) == .worse)
        #expect(verdict(.rmdq, 10, 14) == .same)
        #expect(verdict(.odi, 40, 30) == .same)     // 10 points, 25 % (needs 12)
        #expect(verdict(.odi, 40, 28) == .better)
        #expect(verdict(.odi, 20, 10) == .better)   // 10 ≥ max(10, 6)
        #expect(verdict(.odi, 20, 11) == .same)
        #expect(verdict(.psfs, 4, 6) == .better)
        #expect(verdict(.psfs, 4, 5.8) == .same)
        #expect(verdict(.psfs, 6, 4) == .worse)
        #expect(MeasureChange.compare(.rmdq, baseline: 20, followUp: 14).threshold == 6)
    }

    @Test("PGIC: much or very much improved is better, much or very much worse is worse (Farrar et al. 2001)")
    func pgic() {
        let expected: [PGICAnswer: ChangeVerdict] = [.veryMuchImproved: .better, .muchImproved: .better, .minimallyImproved: .same,
                                                     .noChange: .same, .minimallyWorse: .same, .muchWorse: .worse, .veryMuchWorse: .worse]
        for a in PGICAnswer.allCases { #expect(MeasureChange.pgic(a).verdict == expected[a], "\(a)") }
        #expect(PGICAnswer(key: "2") == .muchImproved)
        #expect(PGICAnswer(key: "much-improved") == .muchImproved)
        #expect(PGICAnswer(key: "8") == nil)
    }
}

@Suite("STarT Back: Hill et al. 2008's scoring")
struct StartBackTests {
    func group(_ answers: [Int]) throws -> StartBack.Group { try StartBack.read(answers).get().group }

    @Test("total 3 is low, 4 goes to the subscale: 3 medium, 4 high; item 9 counts only very much or extremely")
    func boundaries() throws {
        #expect(try group([1, 1, 1, 0, 0, 0, 0, 0, 0]) == .low)      // total 3
        #expect(try group([1, 1, 1, 1, 0, 0, 0, 0, 0]) == .medium)   // total 4, subscale 0
        #expect(try group([1, 0, 0, 0, 1, 1, 1, 0, 2]) == .medium)   // total 4, subscale 3 (moderately scores 0)
        #expect(try group([0, 0, 0, 0, 1, 1, 1, 1, 0]) == .high)     // total 4, subscale 4
        #expect(try group([0, 0, 0, 0, 1, 1, 1, 0, 3]) == .high)     // very much scores 1: total 4, subscale 4
        #expect(try group([0, 0, 0, 0, 1, 1, 1, 0, 2]) == .low)      // total 3: low even with 3 psychosocial items
        #expect(try group([1, 1, 1, 1, 1, 1, 1, 1, 4]) == .high)     // 9 and 5
        let s = try StartBack.read([1, 0, 0, 0, 1, 1, 1, 0, 4]).get()
        #expect(s.total == 5 && s.psychosocial == 4)
    }

    @Test("a wrong count or an answer out of range names the item and the value")
    func problems() {
        guard case .failure(let e) = StartBack.read([1, 0, 1]) else { Issue.record("3 answers were read"); return }
        #expect(e.description == "startback: expected 9 answers: items 1-8 0 or 1, item 9 0-4, got 3 answers")
        guard case .failure(let f) = StartBack.read([1, 0, 2, 0, 0, 0, 0, 0, 5]) else { Issue.record("read"); return }
        #expect(f.problems.map(\.item) == [3, 9])
        #expect(f.problems[0].value == "2" && f.problems[1].value == "5")
    }

    @Test("NICE NG59's care for each group: high risk is psychologically informed care with referral considered")
    func care() {
        #expect(StartBack.Group.low.care.contains("self-management"))
        #expect(StartBack.Group.medium.care.contains("physiotherapy-led exercise"))
        #expect(StartBack.Group.high.care.contains("psychologically informed care"))
        #expect(StartBack.Group.high.care.contains("consider referral"))
    }
}

@Suite("The measures' schedule")
struct MeasureScheduleTests {
    @Test("8 weeks: baseline in week 1, follow-ups in weeks 4 and 8, PGIC only at follow-ups; high risk adds week 2's review")
    func eightWeeks() {
        let s = MeasureSchedule(weeks: 8)
        #expect(s.visits.map(\.week) == [1, 4, 8])
        #expect(s.due(week: 1) == [.startBack, .nprs, .rmdq, .psfs])
        for w in [2, 3, 5, 6, 7] { #expect(s.due(week: w).isEmpty, "week \(w)") }
        #expect(s.due(week: 4) == [.nprs, .rmdq, .psfs, .pgic])
        #expect(s.due(week: 8) == [.nprs, .rmdq, .psfs, .pgic])
        #expect(s.visits.last?.purpose == .end)
        let high = MeasureSchedule(weeks: 8, group: .high)
        #expect(high.visits.map(\.week) == [1, 2, 4, 8])
        #expect(high.due(week: 2) == [.clinicianReview])
        #expect(MeasureSchedule(weeks: 8, group: .medium).visits.map(\.week) == [1, 4, 8])
        #expect(MeasureSchedule(weeks: 8, functionMeasure: .odi).due(week: 4) == [.nprs, .odi, .psfs, .pgic])
    }

    @Test("other lengths: 6 weeks 1, 4, 6; 12 weeks 1, 4, 8, 12; 4 weeks 1, 4; 1 week the baseline only")
    func lengths() {
        #expect(MeasureSchedule(weeks: 6).visits.map(\.week) == [1, 4, 6])
        #expect(MeasureSchedule(weeks: 12).visits.map(\.week) == [1, 4, 8, 12])
        #expect(MeasureSchedule(weeks: 4).visits.map(\.week) == [1, 4])
        #expect(MeasureSchedule(weeks: 1).visits.map(\.week) == [1])
    }

    @Test("a message each week, each with a source in docs/sources.md; high risk hears about worry and flares early")
    func messages() throws {
        let sources = try String(contentsOfFile: Fixtures.shipped + "/../docs/sources.md", encoding: .utf8)
        for m in PainEducation.messages {
            for key in m.sources { #expect(sources.contains("- **\(key)**:"), "\(m.key): \(key)") }
        }
        #expect(Set((1...8).map { PainEducation.message(week: $0).key }).count == 8)
        #expect(PainEducation.message(week: 2, group: .high).key == "sleep-stress")
        #expect(PainEducation.message(week: 9).key == PainEducation.message(week: 1).key)
        // No structural framing in the messages (Stewart & Loftus 2018).
        for m in PainEducation.messages {
            for word in ["out of place", "weak core", "wear and tear", "slipped", "degenerat"] {
                #expect(!m.text.lowercased().contains(word), "\(m.key): \(word)")
            }
        }
    }
}
