import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import ReliefFormats
import ReliefTestSupport
import Testing
@testable import Relief

/// The clinic's counts and the charts, on patients whose verdicts are worked by hand.
@Suite("Outcome charts and the clinic's share better")
struct OutcomeChartTests {
    static let start = CalendarDate("2026-11-02")!

    /// A patient's RMDQ (or NPRS) answers on days after `start`.
    static func patient(_ measure: OutcomeMeasure, _ answers: [(day: Int, score: Int)]) -> ProgrammeOutcomes {
        let entries = answers.enumerated().map { k, a -> LogEntry in
            var o = OutcomeAnswers()
            switch measure {
            case .rmdq: o.rmdq = (0..<24).map { $0 < a.score }
            default: o.nprs = Double(a.score)
            }
            var e = LogEntry(date: start.adding(days: a.day), fact: .outcome(o))
            e.line = k + 1
            return e
        }
        return ProgrammeOutcomes(entries: entries, settings: ProgrammeSettings(start: start))
    }

    @Test("at weeks 4, 8 and 12: the latest follow-up in the two weeks up to the week, judged against the MIC; no follow-up, not counted")
    func shares() {
        let patients = [
            // RMDQ 12 → 6 on day 28 (6 ≥ max(5, 3.6): better at week 4), → 10 on day 56 (2: not better at 8).
            Self.patient(.rmdq, [(0, 12), (28, 6), (56, 10)]),
            // RMDQ 20 → 16 on day 20 (4 < max(5, 6): not better at 4), → 13 on day 84 (7 ≥ 6: better at 12).
            Self.patient(.rmdq, [(0, 20), (20, 16), (84, 13)]),
            // NPRS only (no RMDQ or ODI): 8 → 5 on day 27 (3 ≥ max(2, 2.4): better at 4); day 10 is
            // too early for week 4's window (days 15-28) and is not the one judged.
            Self.patient(.nprs, [(0, 8), (10, 8), (27, 5)]),
            // A baseline and nothing after: counted nowhere.
            Self.patient(.rmdq, [(0, 9)]),
        ]
        let s = ClinicOutcomeSummary(patients)
        #expect(s.weeks.map(\.week) == [4, 8, 12])
        #expect(s.weeks.map(\.counted) == [3, 1, 1])
        #expect(s.weeks.map(\.better) == [2, 0, 1])
        #expect(s.measureWords == "RMDQ, NPRS")
    }

    @Test("a patient's chart: a dot per answer, the baseline dashed, the band of meaningfully better, the words in its description; the same bytes twice")
    func patientChart() throws {
        let p = Self.patient(.rmdq, [(0, 12), (28, 6), (56, 10)])
        let svg = try #require(OutcomeCharts.patient(p))
        #expect(svg.components(separatedBy: "<circle").count - 1 == 3)
        #expect(svg.contains("stroke-dasharray"))
        // Better is at or below 12 − 5 = 7; the latest, 10, is no meaningful change (2 < 5).
        #expect(svg.contains("RMDQ from 12 at the start to 10: no meaningful change; meaningfully better is at or below 7"), "\(svg)")
        #expect(!svg.contains("style="))
        #expect(OutcomeCharts.patient(p) == svg)
        #expect(OutcomeCharts.patient(ProgrammeOutcomes(entries: [], settings: ProgrammeSettings(start: Self.start))) == nil)
        // Well-formed XML.
        let parser = XMLParser(data: Data(svg.utf8))
        #expect(parser.parse(), "\(parser.parserError.map { "\($0)" } ?? "")")
    }

    @Test("the clinic's chart: a bar and 'k of n' for each week, in its description too")
    func clinicChart() {
        let s = ClinicOutcomeSummary([Self.patient(.rmdq, [(0, 12), (28, 6)]), Self.patient(.rmdq, [(0, 20), (27, 18)])])
        let svg = OutcomeCharts.clinic(s)
        #expect(svg.contains("week 4: 1 of 2 (50 %); week 8: 0 of 0; week 12: 0 of 0"), "\(svg)")
        #expect(svg.components(separatedBy: ">1 of 2<").count - 1 == 1)
        let parser = XMLParser(data: Data(svg.utf8))
        #expect(parser.parse())
    }
}
