import Foundation
import Relief

/// The programme the log tests share: the shipped catalogue, 15-minute sessions after a clear
/// screen, no explanation, a usual pain of 5, from Tuesday 2026-12-01.
public enum ProgrammeFixture {
    public static let start = CalendarDate("2026-12-01")!

    public static func setup(weeks: Int, reliefWeeks: Int? = nil) throws -> (ProgrammePlanner, ProgrammeSettings, PlanRequest, Catalogue) {
        let catalogue = try Catalogue.load(directory: Fixtures.shipped)
        var request = PlanRequest()
        request.budgetSeconds = 900
        request.screen = RedFlagScreen.allClear
        request.explain = false
        var settings = ProgrammeSettings(start: start)
        settings.weeks = weeks
        if let reliefWeeks { settings.reliefWeeks = reliefWeeks }
        settings.usualPain = 5
        return (ProgrammePlanner(planner: Planner(catalogue: catalogue)), settings, request, catalogue)
    }

    /// Log lines read as `relief log` reads them, by default with a "today" far after any of them.
    public static func log(_ lines: [String], _ settings: ProgrammeSettings, _ catalogue: Catalogue,
                           today: CalendarDate = CalendarDate("2027-06-01")!) throws -> ProgrammeLog {
        try ProgrammeLog.parse(lines.joined(separator: "\n"), file: "log.jsonl", settings: settings, catalogue: catalogue,
                               today: today)
    }
}
