import Foundation
import Hummingbird
import Relief
import ReliefClinic
import ReliefServer

/// Clearing a patient to exercise: a symptom that stops the sessions (its tier blocks, README
/// "Symptoms and clearance") pauses the published programme from its day, and only a clinician
/// ends the pause, here: `POST /v1/clinic/patients/{id}/clearances` (JSON) or the patient page's
/// form (`POST /clinic/patients/{id}/clear`). Sessions resume the next day in the relief phase,
/// every ladder a step down (the programme's own rule). With nothing paused it is 409: a
/// clearance is a clinical act on a symptom, never a blank one kept for later.
extension ClinicRoutes {
    func addClearanceRoutes(to router: Router<ReliefRequestContext>) {
        router.post("/v1/clinic/patients/{id}/clearances") { request, context in try await self.clearJSON(request, context) }
        router.get("/v1/clinic/patients/{id}/clearances") { request, context in try await self.listClearances(request, context) }
        router.post("/clinic/patients/{id}/clear") { request, context in await self.clinicPage(context) { try await self.clearForm(request, context) } }
    }

    /// The patient's log and clearances, which the published programme and its pauses follow.
    func followedRecord(_ patient: Patient, clinic: Clinic.ID) async throws -> FollowedRecord {
        try await db {
            FollowedRecord(logs: try await self.store.logs(patient: patient.id, clinic: clinic, from: nil, to: nil),
                           clearances: try await self.store.clearances(patient: patient.id, clinic: clinic))
        }
    }

    /// The pause the patient's record holds open (the symptoms the programme stops for).
    func openPause(_ patient: Patient, clinic: Clinic.ID) async throws -> ClinicProgrammeLog.OpenPause? {
        let record = try await followedRecord(patient, clinic: clinic)
        return ClinicProgrammeLog.openPause(logs: record.logs, clearances: record.clearances, patient: patient.details)
    }

    /// Records the clearance (audited by the store) when a pause is open; 409 otherwise.
    func clear(_ patient: Patient, clinic: Clinic.ID, by clinician: Clinician.ID, note: String) async throws -> Clearance {
        guard try await openPause(patient, clinic: clinic) != nil else {
            throw APIFailure(status: .conflict, message: "nothing to clear: no symptom that stops the sessions is open for patient \(patient.id.rawValue)", retryAfter: nil)
        }
        guard let c = try await db({ try await self.store.clear(patient: patient.id, clinic: clinic, day: self.today(), by: clinician, note: note) }) else {
            throw notFound("patient", patient.id.rawValue)
        }
        return c
    }

    struct ClearedBody: Encodable {
        let clearance: Views.ClearanceView
        /// The day sessions start again.
        let resumes: String
    }

    func clearJSON(_ request: Request, _ context: ReliefRequestContext) async throws -> Response {
        let caller = try await authenticate(request)
        let note = try ClinicBodies.note(try await optionalBody(request))
        let patient = try await clinicPatient(context, caller)
        let c = try await clear(patient, clinic: caller.clinic, by: caller.clinician, note: note)
        var response = Views.json(ClearedBody(clearance: Views.ClearanceView(c), resumes: c.day.adding(days: 1).description))
        response.status = .created
        return response
    }

    func listClearances(_ request: Request, _ context: ReliefRequestContext) async throws -> Response {
        let caller = try await authenticate(request)
        let patient = try await clinicPatient(context, caller)
        let list = try await db { try await self.store.clearances(patient: patient.id, clinic: caller.clinic) }
        try await audit(caller.actor, .viewPatient, patient.id, caller.clinic, "clearances")
        struct Body: Encodable { let clearances: [Views.ClearanceView] }
        return Views.json(Body(clearances: list.map(Views.ClearanceView.init)))
    }

    func clearForm(_ request: Request, _ context: ReliefRequestContext) async throws -> Response {
        let (session, values) = try await clinicForm(request, keys: ["note"])
        let patient = try await pagePatient(context, session)
        let note = values.first("note") ?? ""
        guard note.count <= Clearance.noteLimit else {
            throw APIFailure(problems: [RequestProblem(field: "note", value: "\(note.count) characters", expected: "at most \(Clearance.noteLimit) characters")])
        }
        _ = try await clear(patient, clinic: session.clinic, by: session.clinician, note: note)
        return Self.seeOther("/clinic/patients/\(patient.id.rawValue)#paused")
    }

    /// The patient page's section while a pause is open: since when, the symptoms and their tier,
    /// the advice, and the form that clears them; with none open, the clearances given.
    static func pauseSection(_ pause: ClinicProgrammeLog.OpenPause?, clearances: [Clearance], patient: Patient, csrf: String) -> String {
        guard let pause else {
            guard !clearances.isEmpty else { return "" }
            var h = "<section id=\"paused\" aria-labelledby=\"paused-h\">\n<h2 id=\"paused-h\">Cleared to exercise</h2>\n<ul>\n"
            for c in clearances.reversed() {
                h += "<li>\(c.day)\(c.note.isEmpty ? "" : ": " + html(c.note))</li>\n"
            }
            return h + "</ul>\n</section>\n"
        }
        let id = html(patient.id.rawValue)
        var h = "<section id=\"paused\" class=\"alert-card\" aria-labelledby=\"paused-h\">\n<h2 id=\"paused-h\">Sessions paused since \(pause.from)</h2>\n"
        h += "<p><strong>\(html(pause.finding.urgency.words))</strong>: the patient logged "
            + html(pause.symptoms.map(\.plainWords).joined(separator: "; ")) + ". "
            + "Their programme plans no session or walk from \(pause.from) until you clear them; they were told: \(html(pause.finding.advice))</p>\n"
        h += "<form method=\"post\" action=\"/clinic/patients/\(id)/clear\">\(csrfField(csrf))"
            + "<p><label for=\"clear-note\">Note (who assessed them, and what was found)</label><br><textarea id=\"clear-note\" name=\"note\" rows=\"2\" maxlength=\"\(Clearance.noteLimit)\"></textarea></p>"
            + "<p class=\"help\">Sessions start again tomorrow, in the relief phase with each exercise a step easier.</p>"
            + "<button type=\"submit\">Cleared to exercise</button></form>\n</section>\n"
        return h
    }
}
