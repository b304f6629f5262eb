import Foundation
import Relief

/// The alerts that time and the log raise (a logged symptom raises its red flag itself, in the
/// log's transaction): a flare, low adherence, no log, non-response at the review week. Pure
/// functions of the record, so the sweep that stores them (``ClinicRoutes``) can run as often
/// as it likes: each finding has a key at the start of its detail ("flare from 2026-12-05",
/// "week 2", "no log since 2026-12-03", "review of version 1"), and a finding whose key an
/// alert of the same kind already has (open or acknowledged) is not raised again.
public enum AlertRules {
    /// No log for this many whole days (today not counted) while a programme runs is an alert.
    public static let noLogDays = 7
    /// A flare is looked for in the last this many days (an old store's first sweep does not
    /// raise alerts about months ago).
    public static let flareLookback = 14

    /// The published programme as the rules need it.
    public struct Published: Sendable, Hashable {
        public let version: Int
        public let start: CalendarDate
        /// Sessions planned in each week, from week 1.
        public let planned: [Int]
        public init(version: Int, start: CalendarDate, planned: [Int]) {
            self.version = version
            self.start = start
            self.planned = planned
        }
        public var end: CalendarDate { start.adding(days: 7 * planned.count - 1) }
        public func first(ofWeek w: Int) -> CalendarDate { start.adding(days: 7 * (w - 1)) }
    }

    /// A programme week's sessions: those logged done (days with a session marked done) and
    /// those planned.
    public struct WeekSessions: Sendable, Hashable {
        public let week: Int
        public let first: CalendarDate
        public let done: Int
        public let planned: Int
        public var last: CalendarDate { first.adding(days: 6) }
    }

    public struct Finding: Sendable, Hashable {
        public let kind: AlertKind
        public let key: String
        public let detail: String
    }

    /// Each programme week begun by `today`, with its sessions logged done (at most the planned).
    public static func weeks(_ logs: [PatientLogEntry], _ p: Published, through today: CalendarDate) -> [WeekSessions] {
        let doneDays = Set(logs.filter(\.entry.sessionDone).map(\.entry.day))
        var out: [WeekSessions] = []
        for (k, planned) in p.planned.enumerated() {
            let first = p.first(ofWeek: k + 1)
            guard first <= today else { break }
            let done = (0..<7).filter { doneDays.contains(first.adding(days: $0)) }.count
            out.append(WeekSessions(week: k + 1, first: first, done: min(done, planned), planned: planned))
        }
        return out
    }

    /// Pain by day: the last pain logged each day.
    public static func pains(_ logs: [PatientLogEntry]) -> [CalendarDate: Double] {
        var out: [CalendarDate: (Date, Double)] = [:]
        for l in logs {
            guard let p = l.entry.pain else { continue }
            if let kept = out[l.entry.day], kept.0 > l.recordedAt { continue }
            out[l.entry.day] = (l.recordedAt, Double(p))
        }
        return out.mapValues(\.1)
    }

    /// What the record shows on `today` that has no alert yet, most severe first.
    public static func findings(logs: [PatientLogEntry], published: Published?, usualPain: Int, today: CalendarDate,
                                existing: [Alert]) -> [Finding] {
        var out: [Finding] = []
        let pains = pains(logs)
        // A flare: the programme's own rule (PainSignals), on the days logged.
        let recent = today.adding(days: -flareLookback)...today
        for f in PainSignals.flares(in: recent, pains, usual: Double(usualPain)) {
            let values = f.days.compactMap { pains[$0] }.map(formatAmount).joined(separator: ", ")
            out.append(Finding(kind: .flare, key: "flare from \(f.days[0])",
                               detail: "pain \(values) on \(f.days.count) logged days running from \(f.days[0]), "
                                   + "\(formatAmount(PainSignals.flareRise)) or more above \(formatAmount(f.reference)) before"))
        }
        if let p = published {
            let weeks = weeks(logs, p, through: today)
            // Weeks with a symptom that paused the sessions do not count against adherence.
            let paused = Set(logs.filter { ($0.entry.symptom?.tier ?? .routine) != .routine }.map { ($0.entry.day.ordinal - p.start.ordinal) / 7 + 1 })
            if let w = weeks.last(where: { $0.last < today }), w.planned > 0, 2 * w.done < w.planned, !paused.contains(w.week) {
                out.append(Finding(kind: .lowAdherence, key: "week \(w.week)",
                                   detail: "\(w.done) of \(w.planned) sessions logged done (\(w.first) to \(w.last)), under half"))
            }
            if p.start <= today, today <= p.end.adding(days: 1) {
                let last = logs.map(\.entry.day).filter { $0 <= today }.max()
                let since = last ?? p.start.adding(days: -1)
                // Whole days: today is not over, and a log may still come.
                let days = today.ordinal - since.ordinal - 1
                if days >= noLogDays {
                    let key = last.map { "no log since \($0)" } ?? "no log since the programme began on \(p.start)"
                    out.append(Finding(kind: .noLog, key: key, detail: "\(days) whole days without a log"))
                }
            }
            if let w = weeks.last(where: { $0.last < today }), w.week >= PainSignals.reviewWeeks {
                let xs = (0..<7).compactMap { pains[w.first.adding(days: $0)] }
                if !xs.isEmpty {
                    let mean = xs.reduce(0, +) / Double(xs.count)
                    if !PainSignals.improved(from: Double(usualPain), to: mean) {
                        out.append(Finding(kind: .nonResponse, key: "review of version \(p.version)",
                                           detail: "after \(w.week) weeks pain averages \(formatAmount((mean * 10).rounded() / 10)) against the usual \(usualPain), "
                                               + "less than the 2 points or 30% of a real change (Ostelo et al. 2008)"))
                    }
                }
            }
        }
        let seen = Set(existing.map { "\($0.kind.code)|\(key(of: $0.detail))" })
        return out.filter { !seen.contains("\($0.kind.code)|\($0.key)") }.sorted { $0.kind.severity > $1.kind.severity }
    }

    /// The stored detail of a finding: its key, then what was found.
    public static func detail(_ f: Finding) -> String { "\(f.key): \(f.detail)" }

    /// The key a stored detail starts with (up to its first ": ").
    static func key(of detail: String) -> String {
        detail.range(of: ": ").map { String(detail[..<$0.lowerBound]) } ?? detail
    }
}

extension Prescription {
    /// The day the programme starts: the day it was published (a draft: the day it was saved).
    public var startDay: CalendarDate { CalendarDate.today(secondsSince1970: (publishedAt ?? createdAt).timeIntervalSince1970) }
}

extension PrescriptionPlan {
    /// Sessions planned in each week, as planning the prescription gives them without a log:
    /// the relief weeks' `daysPerWeek`, then the maintenance weeks' (``ProgrammeSettings``).
    public var plannedSessions: [Int] {
        var s = ProgrammeSettings(start: CalendarDate(ordinal: 0))
        s.weeks = weeks
        s.reliefWeeks = min(s.reliefWeeks, weeks)
        s.days = daysPerWeek
        return (1...max(1, weeks)).map { $0 <= s.reliefWeeks ? s.days : s.maintenanceDays }
    }
}

/// The sweep that stores what ``AlertRules`` finds: for one patient (after each log they send)
/// or every patient of every clinic (the server's timer). Raising is idempotent: a finding
/// already alerted, open or acknowledged, is not raised again.
public enum AlertSweep {
    /// Raises what the patient's record shows on `today` that has no alert yet; the alerts
    /// raised. `planned`: the published programme's sessions per week (the server's planned
    /// programme when it has one, else ``PrescriptionPlan/plannedSessions``).
    @discardableResult
    public static func sweep(_ patient: Patient, clinic: Clinic.ID, store: any ClinicStore, today: CalendarDate,
                             planned: (Prescription) -> [Int] = { $0.plan.plannedSessions }) async throws -> [Alert] {
        let record = try await store.sweepRecord(patient: patient.id, clinic: clinic, today: today)
        let published = record.published, logs = record.logs, existing = record.alerts
        let programme = published.map { AlertRules.Published(version: $0.version, start: $0.startDay, planned: planned($0)) }
        var raised: [Alert] = []
        for f in AlertRules.findings(logs: logs, published: programme, usualPain: patient.details.usualPain, today: today, existing: existing) {
            if let a = try await store.raiseAlert(f.kind, detail: AlertRules.detail(f), patient: patient.id, clinic: clinic) { raised.append(a) }
        }
        return raised
    }

    /// The first day of the logs a sweep reads: a fortnight before the programme (a flare's
    /// reference) or four weeks back, the earlier.
    public static func logsFrom(published: Prescription?, today: CalendarDate) -> CalendarDate {
        min(published.map { $0.startDay.adding(days: -AlertRules.flareLookback) } ?? today, today.adding(days: -2 * AlertRules.flareLookback))
    }

    /// Sweeps every patient of every clinic; the number of alerts raised.
    public static func sweepAll(store: any ClinicStore, today: CalendarDate,
                                planned: (Prescription, Patient) -> [Int] = { p, _ in p.plan.plannedSessions }) async throws -> Int {
        var count = 0
        for clinic in try await store.clinics() {
            for patient in try await store.patients(clinic: clinic.id) {
                count += try await sweep(patient, clinic: clinic.id, store: store, today: today, planned: { planned($0, patient) }).count
            }
        }
        return count
    }
}
