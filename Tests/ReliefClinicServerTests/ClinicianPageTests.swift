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

/// The clinician's HTML pages under /clinic, in process: signing in through the form, the
/// CSRF token on every form, the clinic boundary, and the alerts the sweep raises.
@Suite("Clinician pages")
struct ClinicianPageTests {
    static let sameOrigin: HTTPFields = [HTTPField.Name("Sec-Fetch-Site")!: "same-origin"]

    /// A form post; `cookie` the session pair, fields already encoded.
    func form(_ web: ClinicWeb, _ path: String, _ fields: String, cookie: String?, headers: HTTPFields = sameOrigin) async throws -> TestResponse {
        var h = headers
        h[.contentType] = "application/x-www-form-urlencoded"
        if let cookie { h[.cookie] = cookie }
        return try await web.client.executeRequest(uri: path, method: .post, headers: h, body: ByteBuffer(string: fields))
    }

    func get(_ web: ClinicWeb, _ path: String, cookie: String?) async throws -> TestResponse {
        try await web.send(.get, path, headers: cookie.map { [.cookie: $0] } ?? [:])
    }

    /// Signs in through the page; the cookie pair and the CSRF token the next page carries.
    func signIn(_ web: ClinicWeb, _ c: Clinician, _ password: String) async throws -> (cookie: String, csrf: String) {
        let email = c.email.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? c.email
        let r = try await form(web, "/clinic/sign-in", "email=\(email)&password=\(password.replacingOccurrences(of: " ", with: "+"))", cookie: nil)
        #expect(r.status == .seeOther)
        #expect(r.headers[.location] == "/clinic")
        let setCookie = try #require(r.headers[.setCookie])
        #expect(setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Strict"))
        let cookie = String(try #require(setCookie.split(separator: ";").first))
        let list = try await get(web, "/clinic", cookie: cookie)
        #expect(list.status == .ok)
        let page = String(buffer: list.body)
        let csrf = try #require(page.firstMatch(of: /name="csrf_token" value="([^"]+)"/)).1
        return (cookie, String(csrf))
    }

    @Test("a page without a session goes to the sign-in page; a wrong password is refused on it; signing in starts a new session")
    func signingIn() async throws {
        try await ClinicWeb.run { web in
            let (c, password) = try await web.clinician("Ada")
            let r = try await get(web, "/clinic", cookie: nil)
            #expect(r.status == .seeOther && r.headers[.location] == "/clinic/sign-in")
            let wrong = try await form(web, "/clinic/sign-in", "email=\(c.email)&password=nope", cookie: nil)
            #expect(wrong.status == .unauthorized)
            #expect(String(buffer: wrong.body).contains("The email or password is wrong."))
            #expect(wrong.headers[.setCookie] == nil)
            // A cookie planted before signing in is never the signed-in session (no fixation).
            let planted = "relief-session=planted-by-someone-else"
            let ok = try await form(web, "/clinic/sign-in", "email=\(c.email)&password=\(password.replacingOccurrences(of: " ", with: "+"))", cookie: planted)
            #expect(ok.status == .seeOther)
            let issued = try #require(ok.headers[.setCookie])
            #expect(!issued.contains("planted-by-someone-else"))
            #expect(try await get(web, "/clinic", cookie: planted).status == .seeOther)
            // Signed in, the sign-in page sends the browser on to the list.
            let cookie = String(issued.split(separator: ";")[0])
            #expect(try await get(web, "/clinic/sign-in", cookie: cookie).headers[.location] == "/clinic")
        }
    }

    @Test("every form needs the session's CSRF token and the page's own origin; signing out ends the session")
    func csrf() async throws {
        try await ClinicWeb.run { web in
            let (c, password) = try await web.clinician("Bea")
            let (cookie, csrf) = try await signIn(web, c, password)
            let fields = "reference=R-1&usual_pain=4"
            #expect(try await form(web, "/clinic/patients", fields, cookie: cookie).status == .forbidden)
            #expect(try await form(web, "/clinic/patients", fields + "&csrf_token=wrong", cookie: cookie).status == .forbidden)
            let crossSite: HTTPFields = [HTTPField.Name("Sec-Fetch-Site")!: "cross-site"]
            #expect(try await form(web, "/clinic/patients", fields + "&csrf_token=\(csrf)", cookie: cookie, headers: crossSite).status == .forbidden)
            #expect(try await web.store.patients(clinic: c.clinic).isEmpty, "nothing was saved by a refused form")
            let made = try await form(web, "/clinic/patients", fields + "&csrf_token=\(csrf)", cookie: cookie)
            #expect(made.status == .seeOther)
            let patients = try await web.store.patients(clinic: c.clinic)
            #expect(patients.map(\.details.reference) == ["R-1"])
            #expect(made.headers[.location] == "/clinic/patients/\(patients[0].id.rawValue)")
            // Unticked screen questions are recorded as no: every question that is not a follow-up.
            let asked = RedFlagScreen.questions.filter { $0.followUpOf == nil }.map(\.id)
            #expect(patients[0].details.screenAnswers == Dictionary(uniqueKeysWithValues: asked.map { ($0, false) }))
            let out = try await form(web, "/clinic/sign-out", "csrf_token=\(csrf)", cookie: cookie)
            #expect(out.status == .seeOther && out.headers[.location] == "/clinic/sign-in")
            #expect(try await get(web, "/clinic", cookie: cookie).status == .seeOther)
        }
    }

    @Test("another clinic's patient and alert are the same 404 page as none; an alert is acknowledged only through its own patient")
    func clinicBoundary() async throws {
        try await ClinicWeb.run { web in
            let (a, pa) = try await web.clinician("A")
            let (b, pb) = try await web.clinician("B")
            let mine = try await web.store.createPatient(PatientDetails(reference: "A-1", usualPain: 3), clinic: a.clinic, by: .clinician(a.id))
            let other = try await web.store.createPatient(PatientDetails(reference: "A-2", usualPain: 3), clinic: a.clinic, by: .clinician(a.id))
            let alert = try #require(try await web.store.raiseAlert(.flare, detail: "flare from 2026-12-01: test", patient: mine.id, clinic: a.clinic))
            let (cookieB, csrfB) = try await signIn(web, b, pb)
            let seen = try await get(web, "/clinic/patients/\(mine.id.rawValue)", cookie: cookieB)
            #expect(seen.status == .notFound)
            #expect(!String(buffer: seen.body).contains("A-1"))
            let none = try await get(web, "/clinic/patients/no-such-patient", cookie: cookieB)
            #expect(none.status == .notFound && String(buffer: none.body) == String(buffer: seen.body).replacingOccurrences(of: mine.id.rawValue, with: "no-such-patient"))
            let ack = "/clinic/patients/\(mine.id.rawValue)/alerts/\(alert.id.rawValue)/acknowledge"
            #expect(try await form(web, ack, "note=x&csrf_token=\(csrfB)", cookie: cookieB).status == .notFound)
            let (cookieA, csrfA) = try await signIn(web, a, pa)
            let wrongPatient = "/clinic/patients/\(other.id.rawValue)/alerts/\(alert.id.rawValue)/acknowledge"
            #expect(try await form(web, wrongPatient, "note=x&csrf_token=\(csrfA)", cookie: cookieA).status == .notFound)
            #expect(try await web.store.alerts(patient: mine.id, clinic: a.clinic).first?.acknowledged == nil)
            let done = try await form(web, ack, "note=phoned+today&csrf_token=\(csrfA)", cookie: cookieA)
            #expect(done.status == .seeOther)
            #expect(try await web.store.alerts(patient: mine.id, clinic: a.clinic).first?.acknowledged?.note == "phoned today")
        }
    }

    @Test("the sweep raises no-log after 7 whole days unlogged and low adherence after a week, once each; the list shows them first")
    func sweep() async throws {
        try await ClinicWeb.run { web in
            let p = try await Prescribed.make(web, reference: "Z-9")
            _ = try await web.store.createPatient(PatientDetails(reference: "A-1", usualPain: 3), clinic: p.clinician.clinic, by: .clinician(p.clinician.id))
            try await p.publish(#"{"weeks": 2, "days_per_week": 3, "minutes": 10}"#)
            // Published on 1 December (the test clock). On the 7th, 6 whole days have passed and
            // week 1 (1-7 December) is not over: nothing. On the 8th: 7 whole days without a log,
            // and week 1 ended with 0 of its 3 sessions done.
            web.clock.advance(6 * 86_400)
            #expect(try await web.routes.sweepAllAlerts() == 0)
            web.clock.advance(86_400)
            #expect(try await web.routes.sweepAllAlerts() == 2)   // no log, and week 1: 0 of 3 sessions
            #expect(try await web.routes.sweepAllAlerts() == 0)
            let kinds = Set(try await web.store.alerts(patient: p.patient.id, clinic: p.clinician.clinic).map(\.kind.code))
            #expect(kinds == ["no-log", "low-adherence"])
            let (cookie, _) = try await signIn(web, try #require(try await web.store.clinician(id: p.clinician.id, clinic: p.clinician.clinic)), "correct horse battery")
            let list = String(buffer: try await get(web, "/clinic", cookie: cookie).body)
            let z = try #require(list.range(of: ">Z-9<")), a = try #require(list.range(of: ">A-1<"))
            #expect(z.lowerBound < a.lowerBound, "the patient with alerts comes first though A-1 sorts before Z-9")
            #expect(list.contains("No log") && list.contains("Low adherence"))
        }
    }

    @Test("hostile form bodies: a lone '=', empty pairs, a body over 16 KiB; every page no-store", arguments: ["=", "==", "&=&", "=&=", "a==b&=c"])
    func hostileForms(_ fields: String) async throws {
        try await ClinicWeb.run { web in
            let (c, password) = try await web.clinician("Eve")
            // Parsed, not trapped on: an empty key is no field at all (the sign-in fails as a wrong password does).
            let r = try await form(web, "/clinic/sign-in", fields, cookie: nil)
            #expect(r.status == .unauthorized)
            let p = try await Prescribed.make(web, clinician: c, reference: "H-1")
            #expect(try await p.logForm(fields).status == .ok)   // no field: "session not done" is saved
            let big = try await form(web, "/clinic/sign-in", "email=" + String(repeating: "a", count: 16 * 1024), cookie: nil)
            #expect(big.status == .contentTooLarge)
            let (cookie, _) = try await signIn(web, c, password)
            for path in ["/clinic", "/clinic/patients/\(p.patient.id.rawValue)", "/clinic/sign-in", "/p/\(p.link)"] {
                #expect(try await get(web, path, cookie: cookie).headers[.cacheControl] == "no-store", "\(path)")
            }
        }
    }

    @Test("a new link is shown once, at the public address when one is set, whatever Host the request names")
    func linkAddress() async throws {
        for publicURL in [nil, "https://clinic.example.org/"] {
            try await ClinicWeb.run(publicURL: publicURL) { web in
                let (c, password) = try await web.clinician("Lin")
                let patient = try await web.store.createPatient(PatientDetails(reference: "L-1", usualPain: 3), clinic: c.clinic, by: .clinician(c.id))
                let (cookie, csrf) = try await signIn(web, c, password)
                var headers = Self.sameOrigin
                headers[HTTPField.Name("Host")!] = "attacker.example"
                let r = try await form(web, "/clinic/patients/\(patient.id.rawValue)/links", "expires_in_days=3&csrf_token=\(csrf)", cookie: cookie, headers: headers)
                #expect(r.status == .ok)
                let page = String(buffer: r.body)
                let token = try #require(page.firstMatch(of: /href="\/p\/([A-Za-z0-9_-]+)"/)).1
                if publicURL != nil {
                    #expect(page.contains(">https://clinic.example.org/p/\(token)</a>"))
                    #expect(!page.contains("attacker.example"))
                } else {
                    #expect(page.contains("/p/\(token)</a>"))
                }
                // Shown once: the patient page again has no token on it.
                #expect(!String(buffer: try await get(web, "/clinic/patients/\(patient.id.rawValue)", cookie: cookie).body).contains(String(token)))
            }
        }
    }

    @Test("the form parser keeps every pair in order, an empty value for a key alone, and decodes both")
    func parser() {
        let pairs = ClinicRoutes.parseForm("a=1&b&c=x%20y+z&=&d=e=f")
        #expect(pairs.map(\.0) == ["a", "b", "c", "", "d"])
        #expect(pairs.map(\.1) == ["1", "", "x y z", "", "e=f"])
    }

    @Test("two logged days of pain 2 above the usual raise a flare as the second is logged")
    func flareOnLog() async throws {
        try await ClinicWeb.run { web in
            let p = try await Prescribed.make(web)    // usual pain 3
            try await p.publish(#"{"weeks": 2, "days_per_week": 3, "minutes": 10}"#)
            #expect(try await p.logForm("pain=5").status == .ok)
            #expect(try await web.store.alerts(patient: p.patient.id, clinic: p.clinician.clinic).isEmpty)
            web.clock.advance(86_400)
            #expect(try await p.logForm("pain=5").status == .ok)
            let alerts = try await web.store.alerts(patient: p.patient.id, clinic: p.clinician.clinic)
            #expect(alerts.map(\.kind.code) == ["flare"])
            #expect(alerts.first?.detail.hasPrefix("flare from 2026-12-01:") == true)
        }
    }
}
