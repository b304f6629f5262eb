import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Relief
import ReliefClinic

/// What the clinic's routes answer, as JSON objects with snake_case keys, sorted keys and lists
/// in a fixed order (sets sorted), so one record always prints the same bytes.
enum Views {
    struct ClinicianView: Encodable {
        let id: String, clinic: String, email: String, displayName: String
        init(_ c: Clinician) { id = c.id.rawValue; clinic = c.clinic.rawValue; email = c.email; displayName = c.displayName }
    }

    struct PatientView: Encodable {
        let id: String, reference: String, conditions: [String], equipment: [String]
        let screenAnswers: [String: Bool], usualPain: Int, createdAt: Date, updatedAt: Date, lastLogDay: String?
        init(_ p: Patient) {
            id = p.id.rawValue
            reference = p.details.reference
            conditions = p.details.conditions.sorted()
            equipment = p.details.equipment.sorted()
            screenAnswers = p.details.screenAnswers
            usualPain = p.details.usualPain
            createdAt = p.createdAt
            updatedAt = p.updatedAt
            lastLogDay = p.lastLogDay?.description
        }
    }

    struct AlertView: Encodable {
        let id: String, patient: String, kind: String, tier: String?, severity: Int, detail: String, raisedAt: Date
        let acknowledgedBy: String?, acknowledgedAt: Date?, note: String?
        init(_ a: Alert) {
            id = a.id.rawValue
            patient = a.patient.rawValue
            kind = a.kind.code
            tier = a.kind.tier?.rawValue
            severity = a.kind.severity
            detail = a.detail
            raisedAt = a.raisedAt
            acknowledgedBy = a.acknowledged?.by.rawValue
            acknowledgedAt = a.acknowledged?.at
            note = a.acknowledged?.note
        }
    }

    struct ListRowView: Encodable {
        let patient: PatientView, openAlerts: [AlertView], publishedVersion: Int?, severity: Int
        init(_ r: PatientListRow) {
            patient = PatientView(r.patient); openAlerts = r.openAlerts.map(AlertView.init); publishedVersion = r.publishedVersion
            severity = r.severity
        }
    }

    struct LogView: Encodable {
        let id: String, day: String, done: Bool, exercisesDone: [String], pain: Int?, effort: Int?
        let symptom: String?, tier: String?, recordedAt: Date
        init(_ e: PatientLogEntry) {
            id = e.id.rawValue
            day = e.entry.day.description
            done = e.entry.sessionDone
            exercisesDone = e.entry.exercisesDone
            pain = e.entry.pain
            effort = e.entry.effort
            symptom = e.entry.symptom?.symptom.rawValue
            tier = e.entry.symptom?.tier.rawValue
            recordedAt = e.recordedAt
        }
    }

    struct LinkView: Encodable {
        let id: String, patient: String, createdBy: String, createdAt: Date, expiresAt: Date, revokedAt: Date?
        init(_ l: PatientLink) {
            id = l.id.rawValue; patient = l.patient.rawValue; createdBy = l.createdBy.rawValue
            createdAt = l.createdAt; expiresAt = l.expiresAt; revokedAt = l.revokedAt
        }
    }

    /// A new link: the token (and the path it opens) appear here once and are stored nowhere.
    struct IssuedLinkView: Encodable {
        let link: LinkView, token: String, path: String
    }

    struct IssuedTokenView: Encodable {
        let id: String, name: String, createdAt: Date, token: String
    }

    struct PrescriptionView: Encodable {
        let id: String, version: Int, status: String, weeks: Int, daysPerWeek: Int, minutes: Int
        let minimums: [String: Double], locked: [LockedExercise], excluded: [String], notes: String
        let createdAt: Date, publishedAt: Date?
        init(_ p: Prescription) {
            id = p.id.rawValue; version = p.version; status = p.status.rawValue
            weeks = p.plan.weeks; daysPerWeek = p.plan.daysPerWeek; minutes = p.plan.minutes
            minimums = p.plan.minimums; locked = p.plan.locked; excluded = p.plan.excluded.sorted(); notes = p.plan.notes
            createdAt = p.createdAt; publishedAt = p.publishedAt
        }
    }

    struct ClearanceView: Encodable {
        let id: String, patient: String, day: String, clearedBy: String, note: String, recordedAt: Date
        init(_ c: Clearance) {
            id = c.id.rawValue; patient = c.patient.rawValue; day = c.day.description; clearedBy = c.clearedBy.rawValue
            note = c.note; recordedAt = c.recordedAt
        }
    }

    struct AuditView: Encodable {
        let id: String, actor: String, actorId: String, action: String, patient: String?, at: Date, detail: String
        init(_ e: AuditEvent) {
            id = e.id.rawValue
            switch e.actor {
            case .clinician(let c): actor = "clinician"; actorId = c.rawValue
            case .patientLink(let l): actor = "patient-link"; actorId = l.rawValue
            case .apiToken(let t): actor = "api-token"; actorId = t.rawValue
            }
            action = e.action.rawValue
            patient = e.patient?.rawValue
            at = e.at
            detail = e.detail
        }
    }

    /// A patient's whole record (a person's data), every part of it.
    struct RecordView: Encodable {
        let patient: PatientView, prescriptions: [PrescriptionView], logs: [LogView], outcomes: OutcomesView, alerts: [AlertView]
        let clearances: [ClearanceView], links: [LinkView], audit: [AuditView], exportedAt: Date
        init(_ r: PatientRecord) {
            patient = PatientView(r.patient); prescriptions = r.prescriptions.map(PrescriptionView.init)
            logs = r.logs.map(LogView.init)
            outcomes = OutcomesView(r.outcomes, settings: OutcomesView.settings(r.outcomes, published: r.prescriptions.first { $0.status == .published }))
            alerts = r.alerts.map(AlertView.init); clearances = r.clearances.map(ClearanceView.init); links = r.links.map(LinkView.init)
            audit = r.audit.map(AuditView.init); exportedAt = r.exportedAt
        }
    }

    /// What a patient's link opens: their own reference, published programme and recent logs,
    /// and nothing of the clinic's.
    struct PatientPageView: Encodable {
        let reference: String, prescription: PrescriptionView?, programme: ProgrammeView?, logs: [LogView], outcomes: OutcomesView
        let linkExpiresAt: Date
    }

    /// A patient's outcome records, scored as the manuals score them, each follow-up against
    /// its baseline with the minimal important change (README, "Outcome measures"), the latest
    /// verdict of each measure and the STarT Back group with what NICE NG59 advises for it.
    struct OutcomesView: Encodable {
        struct Score: Encodable {
            let measure: String, value: Double, shown: String, detail: String
        }
        struct Change: Encodable {
            let measure: String, baseline: Double?, followUp: Double, improvement: Double?, threshold: Double?, verdict: String, shown: String
            init(_ c: MeasureChange) {
                measure = c.measure.rawValue; baseline = c.baseline; followUp = c.followUp; improvement = c.improvement
                threshold = c.threshold; verdict = c.verdict.rawValue; shown = c.shown
            }
        }
        struct Screening: Encodable {
            let day: String, total: Int, psychosocial: Int, group: String, care: String, shown: String
            init(day: CalendarDate, _ s: StartBack) {
                self.day = day.description; total = s.total; psychosocial = s.psychosocial; group = s.group.rawValue
                care = s.group.care; shown = s.shown
            }
        }
        struct Record: Encodable {
            let id: String, day: String, week: Int, kind: String, scores: [Score], changes: [Change], startback: Screening?, recordedAt: Date
        }
        let records: [Record]
        let startback: Screening?
        let latest: [Change]
        /// The week the records count from: the published programme's first day, else the first record's.
        let programmeStart: String

        init(_ stored: [PatientOutcome], settings: ProgrammeSettings) {
            let entries = PatientOutcome.logEntries(stored)
            let scored = ProgrammeOutcomes(entries: entries, settings: settings)
            var records: [Record] = []
            for (k, o) in stored.enumerated() {
                let week = (o.day.ordinal - settings.start.ordinal) / 7 + 1
                switch o.fact {
                case .measures:
                    let r = scored.records.first { $0.line == k + 1 }
                    records.append(Record(id: o.id.rawValue, day: o.day.description, week: week, kind: o.fact.kind,
                                          scores: (r?.scores ?? []).map { Score(measure: $0.measure.rawValue, value: $0.value, shown: $0.shown, detail: $0.detail) },
                                          changes: (r?.changes ?? []).map(Change.init), startback: nil, recordedAt: o.recordedAt))
                case .startBack(let s):
                    records.append(Record(id: o.id.rawValue, day: o.day.description, week: week, kind: o.fact.kind, scores: [], changes: [],
                                          startback: Screening(day: o.day, s), recordedAt: o.recordedAt))
                }
            }
            self.records = records
            startback = scored.startBack.map { Screening(day: $0.date, $0.result) }
            latest = scored.latest.map(Change.init)
            programmeStart = settings.start.description
        }

        /// The settings the records are read against: the published programme's start and
        /// weeks, else from the first record's day (6 weeks, the programme's default).
        static func settings(_ stored: [PatientOutcome], published: Prescription?) -> ProgrammeSettings {
            if let published {
                var s = ProgrammeSettings(start: published.startDay)
                s.weeks = published.plan.weeks
                return s
            }
            return ProgrammeSettings(start: stored.map(\.day).min() ?? CalendarDate(ordinal: 0))
        }
    }

    /// The value's JSON text without the final newline (`text` less its "\n").
    static func compactText(_ value: some Encodable) -> String {
        var t = text(value)
        if t.hasSuffix("\n") { t.removeLast() }
        return t
    }

    static func text(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var c = encoder.singleValueContainer()
            try c.encode(Self.timestamp(date))
        }
        // Every value here is finite text, numbers and dates: the encoder cannot fail on them.
        guard let data = try? encoder.encode(value), let text = String(data: data, encoding: .utf8) else {
            return #"{"error":"the answer could not be encoded"}"#
        }
        return text + "\n"
    }

    /// ISO 8601 in UTC to the millisecond, the store's resolution. A value type, so one is
    /// shared by every request: a formatter object per date made the list of 1,000 patients
    /// take 83 ms instead of 57 (p50, debug build, loopback).
    static let timestampStyle = Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: TimeZone(identifier: "UTC") ?? .current)

    static func timestamp(_ date: Date) -> String { timestampStyle.format(date) }

    /// Answers about patients, and those carrying a secret, are never kept by a cache.
    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) -> Response {
        let headers: HTTPFields = [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"]
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text(value))))
    }

    static func noContent() -> Response {
        Response(status: .noContent, headers: [.cacheControl: "no-store"])
    }
}

/// The patient list's rows as JSON text, by clinic and patient, reused while a row is the same
/// (``PatientListRow`` is a value: equal rows write equal bytes). Encoding 1,000 rows was most of
/// the list's time (57 % of its CPU, perf, release build, 2026-12-03); the rows themselves are
/// read from the store on every call, so what is shown is never older than the store.
/// Each clinic keeps only the rows of its last list.
final class ListRowTexts: @unchecked Sendable {
    private let lock = NSLock()
    private var kept: [Clinic.ID: [Patient.ID: (row: PatientListRow, text: String)]] = [:]

    func texts(_ rows: [PatientListRow], clinic: Clinic.ID) -> [String] {
        let old = lock.withLock { kept[clinic] ?? [:] }
        var new: [Patient.ID: (row: PatientListRow, text: String)] = [:]
        new.reserveCapacity(rows.count)
        let out = rows.map { r -> String in
            if let k = old[r.patient.id], k.row == r {
                new[r.patient.id] = k
                return k.text
            }
            let t = Views.compactText(Views.ListRowView(r))
            new[r.patient.id] = (r, t)
            return t
        }
        lock.withLock { kept[clinic] = new }
        return out
    }
}
