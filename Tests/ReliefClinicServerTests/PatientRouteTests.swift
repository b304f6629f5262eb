import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import Relief
import ReliefClinic
@testable import ReliefClinicServer

@Suite("Clinic routes: patients, links, logs, alerts and the audit")
struct PatientRouteTests {
    /// A signed-in clinician of a new clinic.
    func signedIn(_ web: ClinicWeb) async throws -> (Clinician, SignedIn) {
        let (c, password) = try await web.clinician("A")
        return (c, try await web.signIn(email: c.email, password: password))
    }

    func createPatient(_ web: ClinicWeb, _ s: SignedIn, _ reference: String, pain: Int = 3) async throws -> String {
        let r = try await web.send(.post, "/v1/clinic/patients", headers: s.headers, json: #"{"reference": "\#(reference)", "usual_pain": \#(pain)}"#)
        #expect(r.status == .created, "\(String(buffer: r.body))")
        let patient = try #require(try body(r)["patient"] as? [String: Any])
        return try #require(patient["id"] as? String)
    }

    @Test("a red-flag symptom logged through the patient's link is the patient's first alert, and the patient tops the list")
    func redFlagTopsTheList() async throws {
        try await ClinicWeb.run { web in
            let (c, s) = try await signedIn(web)
            // Two patients; the one sorted first by reference has a flare, a lesser alert.
            let first = try await createPatient(web, s, "AAA")
            let flagged = try await createPatient(web, s, "ZZZ")
            _ = try await web.store.raiseAlert(.flare, detail: "pain above usual", patient: Patient.ID(rawValue: first), clinic: c.clinic)
            let link = try await web.send(.post, "/v1/clinic/patients/\(flagged)/links", headers: s.headers)
            #expect(link.status == .created)
            let path = try #require(try body(link)["path"] as? String)
            // The link's default life is 28 days: the clock's 2026-12-01 at midnight, plus 28 days.
            let expires = try #require((try body(link)["link"] as? [String: Any])?["expires_at"] as? String)
            #expect(expires == "2026-12-29T00:00:00.000Z")

            let log = try await web.send(.post, path + "/log", json: #"{"done": false, "pain": 6, "symptom": "saddle-numbness"}"#)
            #expect(log.status == .created, "\(String(buffer: log.body))")
            // Saddle numbness is cauda equina's sign: an emergency in the red-flag table.
            #expect(try body(log)["tier"] as? String == "emergency")

            let list = try await web.send(.get, "/v1/clinic/patients", headers: s.headers)
            let rows = try #require(try body(list)["patients"] as? [[String: Any]])
            #expect(rows.count == 2)
            #expect((rows.first?["patient"] as? [String: Any])?["id"] as? String == flagged)
            let alert = try #require((rows.first?["open_alerts"] as? [[String: Any]])?.first)
            #expect(alert["kind"] as? String == "red-flag")
            #expect(alert["tier"] as? String == "emergency")
            #expect((rows.last?["patient"] as? [String: Any])?["id"] as? String == first)

            // The patient's own page shows the entry, and nothing of the clinic's.
            let page = try await web.send(.get, path)
            #expect(page.status == .ok)
            let pageBody = try body(page)
            #expect(pageBody["reference"] as? String == "ZZZ")
            #expect((pageBody["logs"] as? [[String: Any]])?.count == 1)
            #expect(!String(buffer: page.body).contains(c.clinic.rawValue))
            #expect(!String(buffer: page.body).contains(first))
        }
    }

    @Test("a symptom the screen does not know, pain 11, an unknown key: 400 naming each field")
    func logRefusals() async throws {
        try await ClinicWeb.run { web in
            let (c, s) = try await signedIn(web)
            let id = try await createPatient(web, s, "P-1")
            for days in ["0", "366", "2.5", "\"7\""] {
                let bad = try await web.send(.post, "/v1/clinic/patients/\(id)/links", headers: s.headers, json: #"{"expires_in_days": \#(days)}"#)
                #expect(bad.status == .badRequest, "\(days)")
                #expect((try body(bad)["problems"] as? [[String: Any]])?.first?["field"] as? String == "expires_in_days")
            }
            let link = try await web.send(.post, "/v1/clinic/patients/\(id)/links", headers: s.headers, json: #"{"expires_in_days": 3}"#)
            let path = try #require(try body(link)["path"] as? String)
            let r = try await web.send(.post, path + "/log", json: #"{"done": "yes", "pain": 11, "symptom": "headache", "mood": 3}"#)
            #expect(r.status == .badRequest)
            let fields = Set((try body(r)["problems"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String })
            #expect(fields == ["done", "pain", "symptom", "mood"])
            // A day after today (the clock's 2026-12-01) is refused; nothing was written.
            let future = try await web.send(.post, path + "/log", json: #"{"done": true, "day": "2026-12-02"}"#)
            #expect(future.status == .badRequest)
            #expect(try await web.store.logs(patient: Patient.ID(rawValue: id), clinic: c.clinic, from: nil, to: nil).isEmpty)
            // A link of 3 days has expired after 3 days and a second: 404, as a revoked one.
            web.clock.advance(3 * 86_400 + 1)
            #expect(try await web.send(.post, path + "/log", json: #"{"done": true}"#).status == .notFound)
        }
    }

    @Test("patients are checked against the catalogue and the screen: 400 naming the field; a taken reference is 409")
    func patientRefusals() async throws {
        try await ClinicWeb.run { web in
            let (_, s) = try await signedIn(web)
            var r = try await web.send(.post, "/v1/clinic/patients", headers: s.headers,
                                       json: #"{"reference": "P-1", "usual_pain": 3, "conditions": ["flexion-intolerant", "broken-leg"], "equipment": ["trampoline"], "screen_answers": {"fever": "no", "made-up": true}, "age": 40}"#)
            #expect(r.status == .badRequest)
            let problems = try body(r)["problems"] as? [[String: Any]] ?? []
            let fields = problems.compactMap { $0["field"] as? String }
            #expect(fields.contains("conditions") && fields.contains("equipment") && fields.contains("age"))
            #expect(fields.contains("screen_answers.fever") && fields.contains("screen_answers"))
            #expect(problems.contains { $0["field"] as? String == "conditions" && $0["value"] as? String == "\"broken-leg\"" })
            // A slip gets the near name, as /v1/plan gives it.
            r = try await web.send(.post, "/v1/clinic/patients", headers: s.headers, json: #"{"reference": "P-1", "usual_pain": 3, "conditions": ["flexion-intolerent"]}"#)
            let slip = try body(r)["error"] as? String
            #expect(slip == #"1:53: conditions must be a known condition, one of \#(shippedCatalogue.knownConditions.joined(separator: ", ")), got "flexion-intolerent"; did you mean "flexion-intolerant"?"#)
            r = try await web.send(.post, "/v1/clinic/patients", headers: s.headers, json: #"{"reference": "P-1", "usual_pain": 10.5}"#)
            #expect(r.status == .badRequest)
            #expect((try body(r)["problems"] as? [[String: Any]])?.first?["field"] as? String == "usual_pain")
            r = try await web.send(.post, "/v1/clinic/patients", headers: s.headers, json: #"{"usual_pain": 3}"#)
            #expect((try body(r)["problems"] as? [[String: Any]])?.first?["field"] as? String == "reference")
            r = try await web.send(.post, "/v1/clinic/patients", headers: s.headers, json: #"{"reference": "P-1", "usual_pain": 3"#)
            #expect(r.status == .badRequest)
            #expect((try body(r)["problems"] as? [[String: Any]])?.first?["field"] as? String == "body")
            _ = try await createPatient(web, s, "P-1")
            r = try await web.send(.post, "/v1/clinic/patients", headers: s.headers, json: #"{"reference": "P-1", "usual_pain": 3}"#)
            #expect(r.status == .conflict)
        }
    }

    @Test("views and changes are audited with their actor: the clinician, the API token, the patient's link")
    func audit() async throws {
        try await ClinicWeb.run { web in
            let (c, s) = try await signedIn(web)
            let id = try await createPatient(web, s, "P-1")
            let patient = Patient.ID(rawValue: id)
            let issued = try await web.send(.post, "/v1/clinic/tokens", headers: s.headers)
            let tokenBody = try body(issued)
            let token = try #require(tokenBody["token"] as? String), tokenID = try #require(tokenBody["id"] as? String)
            #expect(try await web.send(.get, "/v1/clinic/patients/\(id)", headers: s.headers).status == .ok)
            #expect(try await web.send(.get, "/v1/clinic/patients/\(id)", headers: bearer(token)).status == .ok)
            #expect(try await web.send(.put, "/v1/clinic/patients/\(id)", headers: bearer(token), json: #"{"reference": "P-1", "usual_pain": 6}"#).status == .ok)
            #expect(try await web.send(.get, "/v1/clinic/patients/\(id)/alerts", headers: s.headers).status == .ok)
            let link = try await web.send(.post, "/v1/clinic/patients/\(id)/links", headers: s.headers)
            let path = try #require(try body(link)["path"] as? String)
            let linkID = try #require((try body(link)["link"] as? [String: Any])?["id"] as? String)
            #expect(try await web.send(.get, path).status == .ok)
            #expect(try await web.send(.post, path + "/log", json: #"{"done": true}"#).status == .created)
            #expect(try await web.send(.get, "/v1/clinic/patients/\(id)/export", headers: s.headers).status == .ok)

            let rows = try await web.store.audit(patient: patient, clinic: c.clinic)
            func has(_ action: AuditAction, _ actor: Actor) -> Bool { rows.contains { $0.action == action && $0.actor == actor } }
            #expect(has(.createPatient, .clinician(c.id)))
            #expect(has(.viewPatient, .clinician(c.id)))
            #expect(has(.viewPatient, .apiToken(ApiToken.ID(rawValue: tokenID))))
            #expect(has(.updatePatient, .apiToken(ApiToken.ID(rawValue: tokenID))))
            #expect(has(.createLink, .clinician(c.id)))
            #expect(has(.viewPatient, .patientLink(PatientLink.ID(rawValue: linkID))))
            #expect(has(.appendLog, .patientLink(PatientLink.ID(rawValue: linkID))))
            #expect(has(.exportPatient, .clinician(c.id)))
            // Two clinician views (the record, its alerts) and one by the token.
            #expect(rows.filter { $0.action == .viewPatient && $0.actor == .clinician(c.id) }.count == 2)

            // /metrics (open to anyone) counts the route by its pattern, never the link's token.
            let metrics = String(buffer: try await web.send(.get, "/metrics").body)
            #expect(metrics.contains("/v1/patient/{token}"))
            #expect(!metrics.contains(String(path.dropFirst("/v1/patient/".count))))

            // Erasing is audited too, and the line outlives the patient.
            #expect(try await web.send(.delete, "/v1/clinic/patients/\(id)", headers: s.headers).status == .noContent)
            #expect(try await web.store.audit(patient: patient, clinic: c.clinic).contains { $0.action == .erasePatient })
            #expect(try await web.send(.get, "/v1/clinic/patients/\(id)", headers: s.headers).status == .notFound)
            // Its link went with it.
            #expect(try await web.send(.get, path).status == .notFound)
        }
    }

    @Test("another clinic's patient answers exactly as a patient that does not exist")
    func otherClinicIsNotFound() async throws {
        try await ClinicWeb.run { web in
            let (_, a) = try await signedIn(web)
            let (_, b) = try await signedIn(web)
            let id = try await createPatient(web, a, "P-1")
            let made = "0190a000-0000-7000-8000-000000000000"
            let theirs = try await web.send(.get, "/v1/clinic/patients/\(id)", headers: b.headers)
            let none = try await web.send(.get, "/v1/clinic/patients/\(made)", headers: a.headers)
            #expect(theirs.status == .notFound && none.status == .notFound)
            #expect(String(buffer: theirs.body).replacingOccurrences(of: id, with: made) == String(buffer: none.body))
        }
    }

    @Test("an acknowledged alert keeps its note, and the export holds the whole record")
    func acknowledgeAndExport() async throws {
        try await ClinicWeb.run { web in
            let (c, s) = try await signedIn(web)
            let id = try await createPatient(web, s, "P-1")
            let alert = try #require(try await web.store.raiseAlert(.noLog, detail: "no log for 5 days", patient: Patient.ID(rawValue: id), clinic: c.clinic))
            let r = try await web.send(.post, "/v1/clinic/alerts/\(alert.id.rawValue)/acknowledge", headers: s.headers, json: #"{"note": "phoned"}"#)
            #expect(r.status == .ok)
            #expect(try body(r)["note"] as? String == "phoned")
            #expect(try body(r)["acknowledged_by"] as? String == c.id.rawValue)
            let export = try body(try await web.send(.get, "/v1/clinic/patients/\(id)/export", headers: s.headers))
            #expect(Set(export.keys) == ["patient", "prescriptions", "logs", "outcomes", "alerts", "clearances", "links", "audit", "exported_at"])
            #expect((export["alerts"] as? [[String: Any]])?.first?["note"] as? String == "phoned")
        }
    }
}
