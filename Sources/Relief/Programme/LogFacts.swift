/// A programme's log as its rules read it: the mornings by date, the entries by week, and the
/// usual pain. Pure: a function of the log and the settings.
struct LogFacts {
    let settings: ProgrammeSettings
    let entries: [LogEntry]
    /// The log's name for errors.
    let file: String
    /// The morning entries, and their pains, by date.
    let mornings: [CalendarDate: LogEntry]
    let pains: [CalendarDate: Double]
    /// The last week with an entry (0: an empty log).
    let lastLoggedWeek: Int
    /// A `done: all` on a day with no session is left out, not refused (``ProgrammeLog/ignoresDoneOnNoSessionDays``).
    var ignoresDoneOnNoSessionDays = false

    init(entries: [LogEntry], file: String, settings: ProgrammeSettings, ignoresDoneOnNoSessionDays: Bool = false) {
        self.ignoresDoneOnNoSessionDays = ignoresDoneOnNoSessionDays
        self.settings = settings
        self.entries = entries
        self.file = file
        var mornings: [CalendarDate: LogEntry] = [:]
        for e in entries where e.morningPain != nil { mornings[e.date] = e }
        self.mornings = mornings
        pains = mornings.compactMapValues(\.morningPain)
        let start = settings.start
        lastLoggedWeek = entries.map { Self.week(of: $0.date, start: start) }.max() ?? 0
    }

    static func week(of date: CalendarDate, start: CalendarDate) -> Int { (date.ordinal - start.ordinal) / 7 + 1 }
    /// The programme week a date falls in (1: the first).
    func week(of date: CalendarDate) -> Int { Self.week(of: date, start: settings.start) }
    func firstDay(ofWeek w: Int) -> CalendarDate { settings.start.adding(days: 7 * (w - 1)) }
    func lastDay(ofWeek w: Int) -> CalendarDate { firstDay(ofWeek: w).adding(days: 6) }

    /// Week `w`'s entries, by date and line.
    func entries(ofWeek w: Int) -> [LogEntry] {
        entries.filter { week(of: $0.date) == w }.sorted { ($0.date, $0.line) < ($1.date, $1.line) }
    }

    /// Week `w`'s mornings, by date.
    func mornings(ofWeek w: Int) -> [LogEntry] {
        mornings.values.filter { week(of: $0.date) == w }.sorted { $0.date < $1.date }
    }

    /// Week `w`'s mean morning pain and the mornings it is the mean of; nil with none logged.
    func meanMorningPain(ofWeek w: Int) -> (pain: Double, evidence: [String])? {
        let ms = mornings(ofWeek: w)
        let ps = ms.compactMap(\.morningPain)
        return ps.isEmpty ? nil : (ps.reduce(0, +) / Double(ps.count), ms.map(\.summary))
    }

    /// The mornings the usual pain is learned from by `day`: those of the first
    /// `PainRules.window` days from the first morning logged, up to `day`.
    func learningMornings(by day: CalendarDate) -> [LogEntry] {
        guard let first = pains.keys.min() else { return [] }
        return (0..<PainRules.window).map { first.adding(days: $0) }.filter { $0 <= day }.compactMap { mornings[$0] }
    }

    /// The usual pain: given, or learned as the median of the learning mornings (at least
    /// `PainRules.leastMornings`), never from one entry; only mornings up to `day` count, so a
    /// later week never changes an earlier one.
    func usualPain(by day: CalendarDate) -> Double? {
        if let u = settings.usualPain { return u }
        let xs = learningMornings(by: day).compactMap(\.morningPain)
        return xs.count >= PainRules.leastMornings ? PainRules.median(xs) : nil
    }
}

extension LogEntry {
    /// The pain of a morning entry; nil for any other.
    var morningPain: Double? {
        if case .morning(let p) = fact { return p }
        return nil
    }
}
