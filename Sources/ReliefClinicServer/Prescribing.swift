import Foundation
import Hummingbird
import Relief
import ReliefClinic
import ReliefFormats
import ReliefServer

/// Prescribing over HTTP: a draft is saved with the programme Relief plans for it (the
/// preview), published (one published version a patient; the older one is superseded, the log
/// stays), and the patient's link then follows the published one.
///
/// The preview is the programme `/v1/programme` plans (``ReliefService/planProgramme(_:settings:request:)``,
/// on the service's planning threads), for the patient's conditions, equipment and screen
/// answers. A locked exercise stays *in* the programme (``PlanRequest/included``: at least one
/// session every week, never more days than `max_days_per_exercise`) *at its dose*
/// (``PlanRequest/lockedUnits``: exactly the units prescribed in every session that has it).
/// The answer's `locked` says, for each, the units prescribed and those the preview gives.
extension ClinicRoutes {
    /// The request a prescription plans: the patient's own facts plus the clinician's choices.
    static func planRequest(_ plan: PrescriptionPlan, patient: Patient) -> PlanRequest {
        var r = PlanRequest()
        r.budgetSeconds = Double(plan.minutes) * 60
        r.minimums = plan.minimums
        r.conditions = patient.details.conditions
        r.equipment = patient.details.equipment
        r.screen = patient.details.screenAnswers.isEmpty ? nil : patient.details.screenAnswers
        r.included = Set(plan.locked.map(\.exercise))
        r.lockedUnits = Dictionary(plan.locked.map { ($0.exercise, $0.units) }, uniquingKeysWith: { a, _ in a })
        r.excluded = Set(plan.excluded)
        // The preview shows binding limits from the weeks' own solves; pricing each cause by
        // re-solving would multiply the planning time for a page the clinician is waiting on.
        r.explain = false
        return r
    }

    /// The programme's shape from the prescription: its weeks and sessions a week, from `start`.
    static func programmeSettings(_ plan: PrescriptionPlan, patient: Patient, start: CalendarDate) -> ProgrammeSettings {
        var s = ProgrammeSettings(start: start)
        s.weeks = plan.weeks
        s.reliefWeeks = min(s.reliefWeeks, plan.weeks)
        s.days = plan.daysPerWeek
        s.usualPain = Double(patient.details.usualPain)
        return s
    }

    /// Plans the prescription, checking it against the patient first (a locked exercise unsafe
    /// with their conditions, or needing equipment they lack, is 400 naming `locked`); with
    /// `log`, adapted to it (the published programme, ``publishedProgramme(_:patient:clinic:)``).
    func plan(_ plan: PrescriptionPlan, patient: Patient, start: CalendarDate, log: ProgrammeLog? = nil) async throws -> Programme {
        let key = ProgrammeCache.Key(plan: plan, details: patient.details, start: start, log: log?.entries ?? [])
        if let kept = programmes.get(key) { return kept }
        let request = Self.planRequest(plan, patient: patient)
        let settings = Self.programmeSettings(plan, patient: patient, start: start)
        let problems = request.validate(against: service.catalogue).map { p -> RequestProblem in
            var q = p
            let field = p.field == "include" ? "locked" : p.field == "exclude" ? "excluded" : p.field
            q = RequestProblem(field: field, value: p.value, expected: p.expected, line: p.line, column: p.column)
            q.suggestion = p.suggestion
            return q
        } + settings.problems()
        if !problems.isEmpty { throw APIFailure(problems: problems) }
        let programme = try await service.planProgramme("/v1/clinic/patients/{id}/prescriptions", settings: settings, request: request, log: log)
        programmes.put(key, programme)
        return programme
    }

    struct LockedInPreview: Encodable {
        let exercise: String
        let unitsPrescribed: Double
        /// The units the preview gives it, each distinct value once, in order.
        let unitsInPreview: [Double]
        /// Sessions of the preview with it, of all its sessions.
        let sessionsWith: Int
        let sessions: Int
        /// Weeks with it in at least one session, of the programme's weeks.
        let weeksWith: Int
        let weeks: Int
    }

    static let doseLockingNote = "Relief keeps each locked exercise in the programme (in at least one session every week, "
        + "on no more days than the weekly limit) at the units prescribed, in every session that has it, whatever the blend rule would allow. "
        + "units_in_preview lists the units the preview gives it (the prescribed ones only)."

    static func lockedInPreview(_ plan: PrescriptionPlan, _ programme: Programme) -> [LockedInPreview] {
        let sessions = programme.weeks.flatMap(\.days).filter(\.isSessionDay)
        return plan.locked.map { l in
            var units: [Double] = []
            for d in sessions { for e in d.session where e.id == l.exercise && !units.contains(e.units) { units.append(e.units) } }
            return LockedInPreview(exercise: l.exercise, unitsPrescribed: l.units, unitsInPreview: units,
                                   sessionsWith: sessions.filter { $0.session.contains { $0.id == l.exercise } }.count,
                                   sessions: sessions.count,
                                   weeksWith: programme.weeks.filter { $0.exerciseIDs.contains(l.exercise) }.count,
                                   weeks: programme.weeks.count)
        }
    }

    /// `POST /v1/clinic/patients/{id}/prescriptions`: saves a draft (a new version) and answers
    /// it with its preview. Nothing is saved when the plan is refused (400) or the planning
    /// threads cannot take it (503): a draft always has a preview that could be shown.
    func savePrescription(_ request: Request, _ context: ReliefRequestContext) async throws -> Response {
        let caller = try await authenticate(request)
        let plan = try ClinicBodies.prescription(try await service.jsonBody(request), catalogue: service.catalogue)
        let patient = try await clinicPatient(context, caller)
        let programme = try await self.plan(plan, patient: patient, start: today())
        guard let draft = try await db({ try await self.store.saveDraft(plan, patient: patient.id, clinic: caller.clinic, by: caller.clinician) }) else {
            throw notFound("patient", patient.id.rawValue)
        }
        struct Head: Encodable {
            let doseLocking: String, locked: [LockedInPreview], prescription: Views.PrescriptionView
        }
        let head = Views.text(Head(doseLocking: plan.locked.isEmpty ? "no exercise is locked" : Self.doseLockingNote,
                                   locked: Self.lockedInPreview(plan, programme), prescription: Views.PrescriptionView(draft)))
        let preview = try programme.jsonText()
        var response = Self.jsonSplicing(head, key: "preview", raw: preview, status: .created)
        response.headers[.location] = "/v1/clinic/patients/\(patient.id.rawValue)/prescriptions"
        return response
    }

    /// An encoded object with one more member whose value is JSON text already (the programme's
    /// own document, `relief-programme` version 1), added last, as sorted keys put it.
    static func jsonSplicing(_ head: String, key: String, raw: String, status: HTTPResponse.Status) -> Response {
        var text = head.trimmingCharacters(in: .whitespacesAndNewlines)
        if text.hasSuffix("}") { text.removeLast() }
        text += (text.hasSuffix("{") ? "" : ",") + "\"\(key)\":" + raw.trimmingCharacters(in: .whitespacesAndNewlines) + "}\n"
        return Response(status: status, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
                        body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// `GET /v1/clinic/patients/{id}/prescriptions`: every version, newest first.
    func listPrescriptions(_ request: Request, _ context: ReliefRequestContext) async throws -> Response {
        let caller = try await authenticate(request)
        let patient = try await clinicPatient(context, caller)
        let list = try await db { try await self.store.prescriptions(patient: patient.id, clinic: caller.clinic) }
        try await audit(caller.actor, .viewPatient, patient.id, caller.clinic, "prescriptions")
        struct Body: Encodable { let prescriptions: [Views.PrescriptionView] }
        return Views.json(Body(prescriptions: list.sorted { $0.version > $1.version }.map(Views.PrescriptionView.init)))
    }

    /// `POST /v1/clinic/patients/{id}/prescriptions/{pid}/publish`: the version becomes the
    /// published one and the one before is superseded (publishing the published one again
    /// changes nothing; a superseded one is 400: prescribe it again as a new version).
    func publishPrescription(_ request: Request, _ context: ReliefRequestContext) async throws -> Response {
        let caller = try await authenticate(request)
        let patient = try await clinicPatient(context, caller)
        let found = try await pathPrescription(context, patient: patient, clinic: caller.clinic)
        guard let published = try await db({ try await self.store.publish(prescription: found.id, clinic: caller.clinic, by: caller.clinician) }) else {
            throw notFound("prescription", found.id.rawValue)
        }
        struct Body: Encodable { let prescription: Views.PrescriptionView }
        return Views.json(Body(prescription: Views.PrescriptionView(published)))
    }

    /// The path's `{pid}` among the patient's prescriptions (404 otherwise: another patient's
    /// or clinic's is not found here).
    func pathPrescription(_ context: ReliefRequestContext, patient: Patient, clinic: Clinic.ID) async throws -> Prescription {
        let raw = context.parameters.get("pid") ?? ""
        let versions = try await db { try await self.store.prescriptions(patient: patient.id, clinic: clinic) }
        guard (1...64).contains(raw.count), let found = versions.first(where: { $0.id.rawValue == raw }) else {
            throw APIFailure(status: .notFound, message: "patient \(patient.id.rawValue) has no prescription \(String(raw.prefix(64)))", retryAfter: nil)
        }
        return found
    }

    // MARK: The published programme, for the patient

    /// The published programme as the patient's log has it so far (``ClinicProgrammeLog``: the
    /// weeks after each logged week adapt to it, and a symptom that stops the sessions stops them
    /// until a clinician clears the patient). Planned once per plan, patient details, start and
    /// log (``ProgrammeCache``): a patient opening their page again costs no solve, nor does a
    /// draft published the day its preview was planned, before anything is logged.
    func publishedProgramme(_ p: Prescription, patient: Patient, clinic: Clinic.ID) async throws -> Programme {
        try await publishedProgramme(p, patient: patient, record: try await followedRecord(patient, clinic: clinic))
    }

    /// The same, from the log and clearances the caller has already read.
    func publishedProgramme(_ p: Prescription, patient: Patient, record: FollowedRecord) async throws -> Programme {
        let start = p.startDay
        let settings = Self.programmeSettings(p.plan, patient: patient, start: start)
        let log = ClinicProgrammeLog.log(logs: record.logs, clearances: record.clearances, patient: patient.details,
                                         start: start, end: settings.end, today: today())
        return try await plan(p.plan, patient: patient, start: start, log: log.entries.isEmpty ? nil : log)
    }
}

/// What the published programme follows of a patient's record: every log entry and clearance.
struct FollowedRecord: Sendable {
    let logs: [PatientLogEntry]
    let clearances: [Clearance]
}

/// Programmes already planned, by everything their planning reads (the plan, the patient's
/// details, the start day; the catalogue is the server's for its life), at most `capacity`
/// (the oldest goes first). Planning is a function of these, so a kept one is the same answer.
final class ProgrammeCache: @unchecked Sendable {
    struct Key: Hashable { let plan: PrescriptionPlan, details: PatientDetails, start: CalendarDate, log: [LogEntry] }
    private let lock = NSLock()
    private var kept: [Key: Programme] = [:]
    private var order: [Key] = []
    let capacity: Int
    init(capacity: Int = 256) { self.capacity = capacity }

    func get(_ key: Key) -> Programme? { lock.withLock { kept[key] } }

    func put(_ key: Key, _ programme: Programme) {
        lock.withLock {
            if kept.updateValue(programme, forKey: key) == nil { order.append(key) }
            while order.count > capacity { kept[order.removeFirst()] = nil }
        }
    }
}

/// The patient's view of a programme: today's session first (its exercises as they are to be
/// done), then the weeks, each day's exercises by name and dose.
struct ProgrammeView: Encodable {
    struct Exercise: Encodable {
        let id: String, name: String, dose: String, units: Double, instructions: String, stopIf: String, cautions: [String]
        init(_ e: PlannedExercise) {
            id = e.id; name = e.name; dose = e.dose; units = e.units; instructions = e.instructions; stopIf = e.stopIf
            cautions = e.cautions.map(\.cue)
        }
    }
    struct Day: Encodable {
        let date: String, weekday: String, exercises: [Exercise], walkMinutes: Double
        /// No session or walk: a logged symptom paused the programme.
        let paused: Bool
        init(_ d: ProgrammeDay) {
            date = d.date.description; weekday = d.date.weekdayName; exercises = d.session.map(Exercise.init); walkMinutes = d.walkMinutes
            paused = d.paused
        }
    }
    struct Week: Encodable { let number: Int, phase: String, days: [Day] }
    /// The pause still open (a symptom that stops the sessions, not yet cleared by a clinician).
    struct Pause: Encodable {
        let from: String, tier: String, symptoms: [String], advice: String
    }
    /// What the log decided, in order (the programme's own words), with the day each takes effect.
    struct DecisionView: Encodable { let date: String, kind: String, text: String }
    let today: Day?
    let weeks: [Week]
    let start: String, end: String
    let paused: Pause?
    let decisions: [DecisionView]

    init(_ p: Programme, today: CalendarDate) {
        paused = p.urgency.map { Pause(from: $0.from.description, tier: $0.finding.urgency.rawValue, symptoms: $0.symptoms, advice: $0.finding.advice) }
        decisions = p.decisions.map { DecisionView(date: p.date(of: $0).description, kind: $0.kind.rawValue, text: $0.text) }
        self.today = p.weeks.flatMap(\.days).first { $0.date == today }.map(Day.init)
        weeks = p.weeks.map { Week(number: $0.number, phase: $0.phase.rawValue, days: $0.days.map(Day.init)) }
        start = p.settings.start.description
        end = p.settings.end.description
    }
}
