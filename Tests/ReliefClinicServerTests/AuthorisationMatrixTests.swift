import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
import Relief
import ReliefClinic
@testable import ReliefClinicServer

/// Every clinic route × every kind of caller, against clinic A's resources, with the status the
/// rules give (ClinicRoutes' doc comment), written out by hand:
/// - no credentials, or a credential that is not a clinician's (a patient link's token, live,
///   expired or revoked, sent as a bearer token): 401 on every clinic route;
/// - a cookie without X-CSRF-Token: 403 on POST, PUT and DELETE, as A on GET;
/// - clinic B's clinician: 404 on anything of A's; their own list, a patient or a token of
///   their own otherwise;
/// - A's bearer token: as A's cookie, except that a token cannot issue tokens (403);
/// - a patient route's credential is the token in its path: A's live link 200/201; an expired
///   or revoked one, or none (clinicians send a made-up token with their own credentials), 404;
/// - sign-in is open to anyone with A's email and password (any cookie or token is ignored).
@Suite("Clinic routes: the authorisation matrix")
struct AuthorisationMatrixTests {
    enum Caller: String, CaseIterable, Sendable {
        case aCookie = "A cookie+CSRF", aBearer = "A bearer", bCookie = "B cookie+CSRF", aLink = "A's patient link",
             none = "no credentials", expiredLink = "expired link", revokedLink = "revoked link", aCookieNoCSRF = "A cookie, no CSRF"
    }

    struct Row: Sendable {
        let route: String
        let expected: [Caller: Int]
        /// Statuses in ``Caller/allCases``' order.
        init(_ route: String, _ statuses: Int...) {
            precondition(statuses.count == Caller.allCases.count, "\(route): one status per caller")
            self.route = route
            expected = Dictionary(uniqueKeysWithValues: zip(Caller.allCases, statuses))
        }
    }

    //                                                     A    A-bear  B   link none  exp  rev  noCSRF
    static let matrix: [Row] = [
        Row("POST /v1/clinic/sign-in",                       200, 200, 200, 200, 200, 200, 200, 200),
        Row("POST /v1/clinic/sign-out",                      204, 204, 204, 401, 401, 401, 401, 403),
        Row("POST /v1/clinic/tokens",                        201, 403, 201, 401, 401, 401, 401, 403),
        Row("GET /v1/clinic/patients",                       200, 200, 200, 401, 401, 401, 401, 200),
        Row("POST /v1/clinic/patients",                      201, 201, 201, 401, 401, 401, 401, 403),
        Row("GET /v1/clinic/patients/{id}",                  200, 200, 404, 401, 401, 401, 401, 200),
        Row("PUT /v1/clinic/patients/{id}",                  200, 200, 404, 401, 401, 401, 401, 403),
        Row("DELETE /v1/clinic/patients/{id}",               204, 204, 404, 401, 401, 401, 401, 403),
        Row("GET /v1/clinic/patients/{id}/export",           200, 200, 404, 401, 401, 401, 401, 200),
        Row("POST /v1/clinic/patients/{id}/links",           201, 201, 404, 401, 401, 401, 401, 403),
        Row("GET /v1/clinic/patients/{id}/alerts",           200, 200, 404, 401, 401, 401, 401, 200),
        Row("GET /v1/clinic/outcomes",                       200, 200, 200, 401, 401, 401, 401, 200),
        Row("GET /v1/clinic/patients/{id}/outcomes",         200, 200, 404, 401, 401, 401, 401, 200),
        Row("POST /v1/clinic/patients/{id}/outcomes",        201, 201, 404, 401, 401, 401, 401, 403),
        Row("DELETE /v1/clinic/links/{id}",                  204, 204, 404, 401, 401, 401, 401, 403),
        Row("POST /v1/clinic/alerts/{id}/acknowledge",       200, 200, 404, 401, 401, 401, 401, 403),
        Row("POST /v1/clinic/patients/{id}/clearances",      201, 201, 404, 401, 401, 401, 401, 403),
        Row("GET /v1/clinic/patients/{id}/clearances",       200, 200, 404, 401, 401, 401, 401, 200),
        Row("POST /v1/clinic/patients/{id}/prescriptions",   201, 201, 404, 401, 401, 401, 401, 403),
        Row("GET /v1/clinic/patients/{id}/prescriptions",    200, 200, 404, 401, 401, 401, 401, 200),
        Row("POST /v1/clinic/patients/{id}/prescriptions/{pid}/publish", 200, 200, 404, 401, 401, 401, 401, 403),
        Row("GET /v1/patient/{token}",                       404, 404, 404, 200, 404, 404, 404, 404),
        Row("POST /v1/patient/{token}/log",                  404, 404, 404, 201, 404, 404, 404, 404),
        Row("POST /v1/patient/{token}/outcomes",             404, 404, 404, 201, 404, 404, 404, 404),
        // The patient's HTML pages: the link in the path is the only credential, as above; the
        // form post answers the page again (200). Clinicians' cookies and tokens open nothing.
        Row("GET /p/{token}",                                404, 404, 404, 200, 404, 404, 404, 404),
        Row("POST /p/{token}/log",                           404, 404, 404, 200, 404, 404, 404, 404),
        Row("POST /p/{token}/outcomes",                      404, 404, 404, 200, 404, 404, 404, 404),
        Row("GET /p/{token}/guided",                         404, 404, 404, 200, 404, 404, 404, 404),
        Row("GET /p/{token}/week/{n}",                       404, 404, 404, 200, 404, 404, 404, 404),
        Row("GET /p/{token}/calendar.ics",                   404, 404, 404, 200, 404, 404, 404, 404),
        // The clinician's HTML pages: the session cookie is their only credential (a bearer
        // token or a link's is not a browser's), a page without one goes to the sign-in page
        // (303) and a form post without one is 401; every form carries the session's CSRF
        // token in `csrf_token` (none: 403); another clinic's patient is 404; a form's success
        // is 303 to the page it changed (a new link: the page with the link, 200).
        Row("GET /clinic/sign-in",                           303, 200, 303, 200, 200, 200, 200, 303),
        Row("POST /clinic/sign-in",                          303, 303, 303, 303, 303, 303, 303, 303),
        Row("POST /clinic/sign-out",                         303, 401, 303, 401, 401, 401, 401, 403),
        Row("GET /clinic",                                   200, 303, 200, 303, 303, 303, 303, 200),
        Row("GET /clinic/patients/new",                      200, 303, 200, 303, 303, 303, 303, 200),
        Row("POST /clinic/patients",                         303, 401, 303, 401, 401, 401, 401, 403),
        Row("GET /clinic/patients/{id}",                     200, 303, 404, 303, 303, 303, 303, 200),
        Row("POST /clinic/patients/{id}/prescriptions",      303, 401, 404, 401, 401, 401, 401, 403),
        Row("GET /clinic/patients/{id}/prescriptions/{pid}", 200, 303, 404, 303, 303, 303, 303, 200),
        Row("POST /clinic/patients/{id}/prescriptions/{pid}/publish", 303, 401, 404, 401, 401, 401, 401, 403),
        Row("POST /clinic/patients/{id}/links",              200, 401, 404, 401, 401, 401, 401, 403),
        Row("POST /clinic/patients/{id}/links/{lid}/revoke", 303, 401, 404, 401, 401, 401, 401, 403),
        Row("POST /clinic/patients/{id}/alerts/{aid}/acknowledge", 303, 401, 404, 401, 401, 401, 401, 403),
        Row("POST /clinic/patients/{id}/clear",              303, 401, 404, 401, 401, 401, 401, 403),
    ]

    /// A valid body for each route that takes one, so that a status is the rules' and not a 400.
    static func body(_ route: String, world: World) -> String? {
        switch route {
        case "POST /v1/clinic/sign-in": #"{"email": "\#(world.aEmail)", "password": "\#(world.aPassword)"}"#
        case "POST /v1/clinic/tokens": #"{"name": "reporting"}"#
        case "POST /v1/clinic/patients": #"{"reference": "new-\#(UUID().uuidString.prefix(8))", "usual_pain": 2, "conditions": ["flexion-intolerant"]}"#
        case "PUT /v1/clinic/patients/{id}": #"{"reference": "A-1", "usual_pain": 5, "equipment": ["foam roller"]}"#
        case "POST /v1/clinic/patients/{id}/links": #"{"expires_in_days": 14}"#
        case "POST /v1/clinic/alerts/{id}/acknowledge": #"{"note": "phoned them"}"#
        case "POST /v1/patient/{token}/log": #"{"done": true, "pain": 3, "effort": 4}"#
        case "POST /v1/clinic/patients/{id}/outcomes", "POST /v1/patient/{token}/outcomes": #"{"nprs": 4, "pgic": "no-change"}"#
        case "POST /v1/clinic/patients/{id}/prescriptions": #"{"weeks": 1, "days_per_week": 3, "minutes": 10}"#
        case "POST /p/{token}/log": "done=yes&pain=3&effort=4"
        case "POST /p/{token}/outcomes": "nprs=4&pgic=no-change&activity1=bending&score1=5"
        case "POST /clinic/sign-in": "email=\(world.aEmail.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")&password=\(world.aPassword.replacingOccurrences(of: " ", with: "+"))"
        case "POST /clinic/patients": "reference=new-\(UUID().uuidString.prefix(8))&usual_pain=2&conditions=flexion-intolerant"
        case "POST /clinic/patients/{id}/prescriptions": "weeks=1&days_per_week=3&minutes=10"
        case "POST /clinic/patients/{id}/links": "expires_in_days=14"
        case "POST /clinic/patients/{id}/alerts/{aid}/acknowledge": "note=phoned+them"
        case let r where r.hasPrefix("POST /clinic/"): ""
        default: nil
        }
    }

    /// A clinician page's form: its fields and the caller's CSRF token in the form, as the page
    /// puts it there (none for a caller without a cookie, or without the token).
    static func formBody(_ route: String, world: World, caller: Caller) -> String {
        let fields = body(route, world: world) ?? ""
        let csrf = caller == .aCookie ? world.a.csrf : caller == .bCookie ? world.b.csrf : nil
        return [fields, csrf.map { "csrf_token=\($0)" } ?? ""].filter { !$0.isEmpty }.joined(separator: "&")
    }

    /// Clinic A with a patient, a live link, an expired one, a revoked one and an open alert;
    /// clinic B; A signed in and holding a bearer token; B signed in.
    struct World: Sendable {
        let aEmail: String, aPassword: String
        let a: SignedIn, b: SignedIn, aToken: String
        let patient: Patient.ID, link: PatientLink.ID, alert: Alert.ID, draft: Prescription.ID
        let liveToken: String, expiredToken: String, revokedToken: String

        static func make(_ web: ClinicWeb) async throws -> World {
            let (a, aPassword) = try await web.clinician("A")
            let (b, bPassword) = try await web.clinician("B")
            let store = web.store, now = web.clock.now
            let patient = try await store.createPatient(PatientDetails(reference: "A-1", usualPain: 3), clinic: a.clinic, by: .clinician(a.id))
            let live = try #require(try await store.createLink(patient: patient.id, clinic: a.clinic, by: a.id, expiresAt: now + 7 * 86_400))
            let revoked = try #require(try await store.createLink(patient: patient.id, clinic: a.clinic, by: a.id, expiresAt: now + 7 * 86_400))
            #expect(try await store.revokeLink(id: revoked.record.id, clinic: a.clinic, by: a.id))
            let expired = try #require(try await store.createLink(patient: patient.id, clinic: a.clinic, by: a.id, expiresAt: now + 60))
            let alert = try #require(try await store.raiseAlert(.flare, detail: "pain above usual", patient: patient.id, clinic: a.clinic))
            let token = try #require(try await store.createApiToken(clinician: a.id, clinic: a.clinic, name: "matrix"))
            let draft = try #require(try await store.saveDraft(PrescriptionPlan(weeks: 1, daysPerWeek: 3, minutes: 10), patient: patient.id,
                                                               clinic: a.clinic, by: a.id))
            // Published, so the patient's week pages and calendar have a programme to show.
            #expect(try await store.publish(prescription: draft.id, clinic: a.clinic, by: a.id) != nil)
            // A symptom that pauses the sessions, so a clearance has something to clear.
            #expect(try await store.appendLog(LogDraft(day: CalendarDate.today(secondsSince1970: web.clock.now.timeIntervalSince1970), sessionDone: false,
                                                       symptom: LoggedSymptom(symptom: .saddleNumbness, tier: .emergency)),
                                              patient: patient.id, clinic: a.clinic) != nil)
            let signedA = try await web.signIn(email: a.email, password: aPassword)
            let signedB = try await web.signIn(email: b.email, password: bPassword)
            web.clock.advance(120)   // the expired link's minute is over; sessions last hours
            return World(aEmail: a.email, aPassword: aPassword, a: signedA, b: signedB, aToken: token.token,
                         patient: patient.id, link: live.record.id, alert: alert.id, draft: draft.id,
                         liveToken: live.token, expiredToken: expired.token, revokedToken: revoked.token)
        }

        func headers(_ caller: Caller) -> HTTPFields {
            switch caller {
            case .aCookie: a.headers
            case .aBearer: bearer(aToken)
            case .bCookie: b.headers
            case .aLink: bearer(liveToken)
            case .none: [:]
            case .expiredLink: bearer(expiredToken)
            case .revokedLink: bearer(revokedToken)
            case .aCookieNoCSRF: a.headersWithoutCSRF
            }
        }

        /// The route's path with A's resources, and for a patient route the caller's link token.
        func path(_ template: String, _ caller: Caller) -> String {
            let token = switch caller {
            case .aLink: liveToken
            case .expiredLink: expiredToken
            case .revokedLink: revokedToken
            default: "not-a-link-token"
            }
            return template
                .replacingOccurrences(of: "/patients/{id}", with: "/patients/\(patient.rawValue)")
                .replacingOccurrences(of: "{pid}", with: draft.rawValue)
                .replacingOccurrences(of: "/links/{id}", with: "/links/\(link.rawValue)")
                .replacingOccurrences(of: "/alerts/{id}", with: "/alerts/\(alert.rawValue)")
                .replacingOccurrences(of: "{token}", with: token)
                .replacingOccurrences(of: "{lid}", with: link.rawValue)
                .replacingOccurrences(of: "{aid}", with: alert.rawValue)
                .replacingOccurrences(of: "{n}", with: "1")
        }
    }

    @Test("every clinic route has a row, and every row a route")
    func tableCoversTheRouter() async throws {
        try await ClinicWeb.run { web in
            let mounted = web.service.router(adding: web.routes.add(to:)).routes.map(\.description)
                .filter { $0.contains(" /v1/clinic") || $0.contains(" /v1/patient") || $0.contains(" /p/") || $0.contains(" /clinic") }
                .filter { !$0.hasSuffix(" /clinic.css") }
            #expect(Set(mounted) == Set(Self.matrix.map(\.route)))
            #expect(mounted.count == Self.matrix.count)
            // Without the clinic, the service has none of them.
            #expect(!web.service.router().routes.map(\.description).contains { $0.contains("/v1/clinic") || $0.contains("/v1/patient") || $0.contains(" /p/") || $0.contains(" /clinic") })
        }
    }

    @Test("each caller gets the rules' status on each route", arguments: Backend.available, matrix)
    func cell(_ backend: Backend, _ row: Row) async throws {
        try await ClinicWeb.run(backend: backend) { web in
            for caller in Caller.allCases {
                // A world of its own for every cell: a delete or a sign-out in one cell must not
                // change the next one's answer.
                let world = try await World.make(web)
                let parts = row.route.split(separator: " ", maxSplits: 1)
                let method = try #require(HTTPRequest.Method(rawValue: String(parts[0])))
                let path = world.path(String(parts[1]), caller)
                let r: TestResponse
                if row.route.hasPrefix("POST /clinic") {
                    var h = world.headers(caller)
                    h[.contentType] = "application/x-www-form-urlencoded"
                    r = try await web.client.executeRequest(uri: path, method: method, headers: h,
                                                           body: ByteBuffer(string: Self.formBody(row.route, world: world, caller: caller)))
                } else if row.route.hasPrefix("POST /p/") {
                    var h = world.headers(caller)
                    h[.contentType] = "application/x-www-form-urlencoded"
                    r = try await web.client.executeRequest(uri: path, method: method, headers: h,
                                                           body: Self.body(row.route, world: world).map { ByteBuffer(string: $0) })
                } else {
                    r = try await web.send(method, path, headers: world.headers(caller), json: Self.body(row.route, world: world))
                }
                let expected = try #require(row.expected[caller])
                #expect(Int(r.status.code) == expected, "\(row.route) as \(caller.rawValue): \(String(buffer: r.body))")
                if row.route == "GET /v1/clinic/patients", r.status == .ok {
                    let listed = String(buffer: r.body).contains(world.patient.rawValue)
                    #expect(listed == (caller != .bCookie), "\(caller.rawValue) sees A's patient: \(listed)")
                }
            }
        }
    }
}

extension AuthorisationMatrixTests.Row: CustomTestStringConvertible {
    var testDescription: String { route }
}

@Suite("Clinic routes: the contract")
struct ClinicContractTests {
    @Test("openapi-clinic.yaml's enums are the shipped catalogue's conditions and equipment and the screen's questions and symptoms")
    func enumsMatch() {
        let spec = ClinicRoutes.openAPI
        #expect(spec.contains("enum: [\(shippedCatalogue.knownConditions.joined(separator: ", "))]"))
        #expect(spec.contains("enum: [\(shippedCatalogue.knownEquipment.joined(separator: ", "))]"))
        #expect(spec.contains("propertyNames: { enum: [\(RedFlagScreen.questions.map(\.id).joined(separator: ", "))] }"))
        #expect(spec.contains("enum: [\(LogEntry.Symptom.allCases.map(\.rawValue).joined(separator: ", "))]"))
    }

    @Test("the contract is served with the clinic's routes, and the service's own contract is unchanged")
    func served() async throws {
        try await ClinicWeb.run { web in
            let r = try await web.send(.get, "/openapi-clinic.yaml")
            #expect(r.status == .ok)
            #expect(String(buffer: r.body) == ClinicRoutes.openAPI)
            #expect(String(buffer: r.body).hasPrefix("openapi: 3.1.0"))
            let own = try await web.send(.get, "/openapi.yaml")
            let file = try String(contentsOf: repository.appendingPathComponent("openapi.yaml"), encoding: .utf8)
            #expect(String(buffer: own.body) == file)
        }
    }
}
