import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Relief
import ReliefClinic
@testable import ReliefClinicServer
import ReliefServer
import Testing

/// The published programme follows the patient's log (README, "For clinics: the programme
/// follows the log"): a symptom that stops the sessions pauses it until a clinician clears the
/// patient, and the log's pain rules adapt the weeks after it. Expectations from the rules' words:
/// saddle numbness is an emergency (the red-flag table); a clearance resumes sessions the next day;
/// a flare is two logged days in a row 2 or more above the usual pain (3 here) when fewer than 3
/// mornings make no recent median (README, "Adapting to the log").
@Suite("Clinic routes: the programme follows the log")
struct ClearanceRouteTests {
    static let request = #"{"weeks": 2, "days_per_week": 3, "minutes": 12}"#
    static let today = "2026-12-01"

    func programme(_ p: Prescribed) async throws -> [String: Any] {
        let r = try await p.web.send(.get, "/v1/patient/\(p.link)")
        #expect(r.status == .ok, "\(String(buffer: r.body).prefix(300))")
        return try #require(try body(r)["programme"] as? [String: Any])
    }

    func days(_ programme: [String: Any]) -> [[String: Any]] {
        (programme["weeks"] as? [[String: Any]] ?? []).flatMap { $0["days"] as? [[String: Any]] ?? [] }
    }

    func kinds(_ programme: [String: Any]) -> [String] {
        (programme["decisions"] as? [[String: Any]] ?? []).compactMap { $0["kind"] as? String }
    }

    func clear(_ p: Prescribed, note: String? = nil) async throws -> TestResponse {
        try await p.web.send(.post, "/v1/clinic/patients/\(p.patient.id.rawValue)/clearances", headers: bearer(p.token),
                             json: note.map { #"{"note": "\#($0)"}"# })
    }

    @Test("a symptom that stops the sessions pauses the published programme from its day until a clinician clears the patient; sessions resume the next day")
    func pauseAndClear() async throws {
        try await ClinicWeb.run { web in
            let p = try await Prescribed.make(web)
            try await p.publish(Self.request)
            // Nothing to clear yet: 409, and nothing is stored.
            let early = try await clear(p, note: "just in case")
            #expect(early.status == .conflict, "\(String(buffer: early.body))")
            #expect(try await web.store.clearances(patient: p.patient.id, clinic: p.clinician.clinic).isEmpty)
            let before = try await programme(p)
            #expect(before["paused"] == nil)
            #expect(days(before).contains { !(($0["exercises"] as? [Any]) ?? []).isEmpty }, "the programme has sessions")

            let logged = try await web.send(.post, "/v1/patient/\(p.link)/log", json: #"{"done": false, "symptom": "saddle-numbness"}"#)
            #expect(logged.status == .created, "\(String(buffer: logged.body))")
            let paused = try await programme(p)
            let pause = try #require(paused["paused"] as? [String: Any])
            #expect(pause["tier"] as? String == "emergency")
            #expect(pause["from"] as? String == Self.today)
            // From its day on: no session and no walk, every day of the programme.
            for d in days(paused) {
                #expect(d["paused"] as? Bool == true, "\(d["date"] ?? "")")
                #expect((d["exercises"] as? [Any])?.isEmpty == true)
                #expect(d["walk_minutes"] as? Double == 0)
            }
            #expect(kinds(paused).contains("stop"))
            let home = String(buffer: try await web.send(.get, "/p/\(p.link)").body)
            #expect(home.contains("Your sessions are paused"))
            #expect(home.contains("Go to an emergency department now, or call an ambulance (999 or 112)."))
            #expect(!home.contains("guided?step=1"))
            // The week ahead says the days are paused, not rest days.
            #expect(home.contains("paused until your clinic says you can start again") && !home.contains("</strong>: rest</li>"))
            #expect(String(buffer: try await web.send(.get, "/p/\(p.link)/guided?step=1").body).contains("No session today"))
            // Days later, still paused: nothing but a clinician ends it.
            web.clock.advance(9 * 86_400)
            #expect(try await programme(p)["paused"] != nil)

            let cleared = try await clear(p, note: "seen in clinic, MRI clear")
            #expect(cleared.status == .created, "\(String(buffer: cleared.body))")
            let answer = try body(cleared)
            #expect(answer["resumes"] as? String == "2026-12-11")
            #expect((answer["clearance"] as? [String: Any])?["day"] as? String == "2026-12-10")
            #expect(try await clear(p).status == .conflict, "a second clearance has nothing to clear")

            let resumed = try await programme(p)
            #expect(resumed["paused"] == nil)
            let all = days(resumed)
            let pausedDates = all.filter { $0["paused"] as? Bool == true }.compactMap { $0["date"] as? String }
            // Paused from 2026-12-01 to the clearance on 2026-12-10, both included: 10 days.
            #expect(pausedDates.first == "2026-12-01" && pausedDates.last == "2026-12-10" && pausedDates.count == 10)
            // The last 4 days (2026-12-11 to 14) are week 2's, which plans 3 sessions spread over its 7 days: at least one falls in them.
            #expect(all.contains { ($0["date"] as? String ?? "") >= "2026-12-11" && !(($0["exercises"] as? [Any]) ?? []).isEmpty })
            #expect(kinds(resumed).contains("resume"))
            let list = try body(try await web.send(.get, "/v1/clinic/patients/\(p.patient.id.rawValue)/clearances", headers: bearer(p.token)))
            #expect((list["clearances"] as? [[String: Any]])?.map { $0["note"] as? String } == ["seen in clinic, MRI clear"])
            let export = try body(try await web.send(.get, "/v1/clinic/patients/\(p.patient.id.rawValue)/export", headers: bearer(p.token)))
            #expect((export["clearances"] as? [Any])?.count == 1)
            #expect(try await web.store.audit(patient: p.patient.id, clinic: p.clinician.clinic).contains { $0.action == .clearToExercise })
        }
    }

    @Test("the log's pain adapts the weeks after it: two days 4 above the usual are a flare; a session ticked on a rest day is no error")
    func adapts() async throws {
        try await ClinicWeb.run { web in
            let p = try await Prescribed.make(web)
            try await p.publish(Self.request)
            #expect(kinds(try await programme(p)).isEmpty, "nothing logged, nothing decided")
            // Ticked done every day of week 1: with 3 sessions in 7 days, some are rest days.
            for d in 0..<7 {
                let pain = d < 2 ? 7 : 3
                let r = try await web.send(.post, "/v1/patient/\(p.link)/log", json: #"{"done": true, "pain": \#(pain)}"#)
                #expect(r.status == .created, "\(String(buffer: r.body))")
                #expect(try await web.send(.get, "/p/\(p.link)").status == .ok)
                web.clock.advance(86_400)
            }
            let adapted = try await programme(p)
            #expect(kinds(adapted).contains("flare"), "\(kinds(adapted))")
        }
    }

    @Test("the clinician's page shows the pause with its tier and a clearing form; the form clears, with its note, and needs the CSRF token")
    func page() async throws {
        try await ClinicWeb.run { web in
            let pages = ClinicianPageTests()
            let (c, password) = try await web.clinician("Clea")
            let p = try await Prescribed.make(web, clinician: c, reference: "C-1")
            try await p.publish(Self.request)
            let (cookie, csrf) = try await pages.signIn(web, c, password)
            let path = "/clinic/patients/\(p.patient.id.rawValue)"
            #expect(!String(buffer: try await pages.get(web, path, cookie: cookie).body).contains("Sessions paused"))
            _ = try await web.send(.post, "/v1/patient/\(p.link)/log", json: #"{"done": false, "symptom": "saddle-numbness"}"#)
            let shown = String(buffer: try await pages.get(web, path, cookie: cookie).body)
            #expect(shown.contains("Sessions paused since 2026-12-01"))
            #expect(shown.contains("action=\"\(path)/clear\""))
            #expect(unclosedTags(shown).isEmpty, "\(unclosedTags(shown))")
            #expect(try await pages.form(web, "\(path)/clear", "note=x", cookie: cookie).status == .forbidden)
            #expect(try await web.store.clearances(patient: p.patient.id, clinic: c.clinic).isEmpty)
            let r = try await pages.form(web, "\(path)/clear", "note=phoned%2C+seen+today&csrf_token=\(csrf)", cookie: cookie)
            #expect(r.status == .seeOther)
            #expect(r.headers[.location] == "\(path)#paused")
            #expect(try await web.store.clearances(patient: p.patient.id, clinic: c.clinic).map(\.note) == ["phoned, seen today"])
            let after = String(buffer: try await pages.get(web, path, cookie: cookie).body)
            #expect(!after.contains("Sessions paused since") && after.contains("Cleared to exercise") && after.contains("phoned, seen today"))
            // Nothing open now: the form again is a 409 page, and nothing more is stored.
            #expect(try await pages.form(web, "\(path)/clear", "csrf_token=\(csrf)", cookie: cookie).status == .conflict)
            #expect(try await web.store.clearances(patient: p.patient.id, clinic: c.clinic).count == 1)
        }
    }
}
