import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Relief
import ReliefClinic
import ReliefFormats
import ReliefServer

/// The clinic over HTTP, as JSON under `/v1/clinic/...` (clinicians: a session cookie, or a
/// bearer token for API clients) and `/v1/patient/{token}` (a patient's own link).
///
/// The rules, in the order a request meets them:
/// 1. a clinic route needs a live session cookie or an unrevoked bearer token (401 otherwise);
///    `Authorization`, when present, is the only credential read: a bad bearer token is 401
///    even with a good cookie beside it;
/// 2. an unsafe method (POST, PUT, PATCH, DELETE) authenticated by the cookie needs
///    `X-CSRF-Token` equal to the session's secret (403 otherwise); a bearer token needs none,
///    since a page on another site cannot make a browser send it;
/// 3. the body is read and checked (400 naming the field);
/// 4. the resource is looked up within the caller's clinic only: another clinic's patient,
///    link or alert is 404, exactly as one that does not exist.
///
/// A patient link's token is the credential of its routes: unknown, expired and revoked tokens
/// are all 404 with one message, so the answer does not tell which.
public final class ClinicRoutes: Sendable {
    let service: ReliefService
    let store: any ClinicStore
    let settings: ClinicWebSettings
    let limiter: SignInLimiter
    let programmes = ProgrammeCache()
    let listRows = ListRowTexts()

    public init(service: ReliefService, store: any ClinicStore, settings: ClinicWebSettings) {
        self.service = service
        self.store = store
        self.settings = settings
        limiter = SignInLimiter(window: settings.limitWindow)
    }

    static let csrfHeader = HTTPField.Name("X-CSRF-Token")!
    /// The methods a cookie's request must carry the CSRF token with.
    static let unsafeMethods: Set<HTTPRequest.Method> = [.post, .put, .patch, .delete]

    /// The clinic routes' contract (openapi-clinic.yaml), beside the service's own.
    static let openAPI: String = {
        guard let url = Bundle.module.url(forResource: "openapi-clinic", withExtension: "yaml"),
              let text = try? String(contentsOf: url, encoding: .utf8) else { return "" }
        return text
    }()

    /// Adds every clinic route to `router` (after the service's middleware).
    public func add(to router: Router<ReliefRequestContext>) {
        router.get("/openapi-clinic.yaml") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/yaml; charset=utf-8"],
                     body: .init(byteBuffer: ByteBuffer(string: Self.openAPI)))
        }
        router.post("/v1/clinic/sign-in") { request, context in try await self.signIn(request, context) }
        router.post("/v1/clinic/sign-out") { request, _ in try await self.signOut(request) }
        router.post("/v1/clinic/tokens") { request, _ in try await self.createToken(request) }
        router.get("/v1/clinic/patients") { request, _ in try await self.listPatients(request) }
        router.post("/v1/clinic/patients") { request, _ in try await self.createPatient(request) }
        router.get("/v1/clinic/patients/{id}") { request, context in try await self.showPatient(request, context) }
        router.put("/v1/clinic/patients/{id}") { request, context in try await self.updatePatient(request, context) }
        router.delete("/v1/clinic/patients/{id}") { request, context in try await self.erasePatient(request, context) }
        router.get("/v1/clinic/patients/{id}/export") { request, context in try await self.exportPatient(request, context) }
        router.post("/v1/clinic/patients/{id}/links") { request, context in try await self.createLink(request, context) }
        router.get("/v1/clinic/outcomes") { request, _ in try await self.clinicOutcomes(request) }
        router.get("/v1/clinic/patients/{id}/outcomes") { request, context in try await self.patientOutcomes(request, context) }
        router.post("/v1/clinic/patients/{id}/outcomes") { request, context in try await self.recordOutcome(request, context) }
        router.get("/v1/clinic/patients/{id}/alerts") { request, context in try await self.patientAlerts(request, context) }
        router.delete("/v1/clinic/links/{id}") { request, context in try await self.revokeLink(request, context) }
        router.post("/v1/clinic/alerts/{id}/acknowledge") { request, context in try await self.acknowledge(request, context) }
        router.post("/v1/clinic/patients/{id}/prescriptions") { request, context in try await self.savePrescription(request, context) }
        router.get("/v1/clinic/patients/{id}/prescriptions") { request, context in try await self.listPrescriptions(request, context) }
        router.post("/v1/clinic/patients/{id}/prescriptions/{pid}/publish") { request, context in try await self.publishPrescription(request, context) }
        router.get("/v1/patient/{token}") { _, context in try await self.patientPage(context) }
        router.post("/v1/patient/{token}/log") { request, context in try await self.patientLog(request, context) }
        router.post("/v1/patient/{token}/outcomes") { request, context in try await self.patientOutcome(request, context) }
        addPatientPages(to: router)
        addClinicianPages(to: router)
        addClearanceRoutes(to: router)
    }

    // MARK: Signing in and out

    func signIn(_ request: Request, _ context: ReliefRequestContext) async throws -> Response {
        let body = try ClinicBodies.signIn(try await service.jsonBody(request))
        let (clinician, issued) = try await openSession(email: body.email, password: body.password, context)
        struct Body: Encodable { let clinician: Views.ClinicianView; let csrfToken: String; let expiresAt: Date }
        var response = Views.json(Body(clinician: Views.ClinicianView(clinician), csrfToken: issued.record.csrfSecret, expiresAt: issued.record.expiresAt))
        response.headers[.setCookie] = cookie(value: issued.token, maxAge: Int(settings.sessionLifetime))
        return response
    }

    /// Checks a sign-in against the limits and the store and opens a new session: the JSON
    /// route's and the sign-in page's one path (429 past the limits; 401 with one message for
    /// an unknown email and a wrong password).
    func openSession(email given: String, password: String, _ context: ReliefRequestContext) async throws -> (Clinician, IssuedSession) {
        let email = given.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        let address = context.remoteAddress?.ipAddress ?? "unknown"
        let emailKey = "email:" + email
        let keys = [(key: emailKey, limit: settings.failuresPerEmail), (key: "address:" + address, limit: settings.failuresPerAddress)]
        let now = settings.now()
        if let wait = limiter.retryAfter(keys, now: now) {
            throw APIFailure(status: .tooManyRequests, message: "too many failed sign-ins; try again in \(wait) s", retryAfter: wait)
        }
        guard let clinician = try await db({ try await self.store.verifySignIn(email: email, password: password) }) else {
            limiter.fail(keys.map(\.key), now: now)
            // One message for an unknown email and a wrong password (the store takes as long for both).
            throw Unauthorized(message: "the email or password is wrong")
        }
        limiter.clear(emailKey)
        // Always a new session: a cookie the browser already had (planted, or an old one) is
        // never carried into the signed-in state (no session fixation).
        guard let issued = try await db({
            try await self.store.createSession(clinician: clinician.id, clinic: clinician.clinic, lifetime: self.settings.sessionLifetime)
        }) else { throw Unauthorized(message: "the email or password is wrong") }
        return (clinician, issued)
    }

    /// Ends the credential the request carried: the cookie's session (and the cookie), or the
    /// bearer token (revoked).
    func signOut(_ request: Request) async throws -> Response {
        let caller = try await authenticate(request)
        var response = Views.noContent()
        switch caller.credential {
        case .session(_, let token):
            try await db { try await self.store.deleteSession(token: token) }
            response.headers[.setCookie] = cookie(value: "", maxAge: 0)
        case .bearer(let t):
            _ = try await db { try await self.store.revokeApiToken(id: t.id, clinic: t.clinic) }
        }
        return response
    }

    func cookie(value: String, maxAge: Int) -> String {
        "\(settings.cookieName)=\(value); Path=/; Max-Age=\(maxAge); HttpOnly; SameSite=Strict" + (settings.secureCookies ? "; Secure" : "")
    }

    /// A bearer token for an API client acting as the signed-in clinician; shown once. Only a
    /// signed-in session issues them: a token cannot mint further tokens (403).
    func createToken(_ request: Request) async throws -> Response {
        let caller = try await authenticate(request)
        guard case .session = caller.credential else {
            throw APIFailure(status: .forbidden, message: "API tokens are issued to a signed-in session (the cookie), not to another token", retryAfter: nil)
        }
        let name = try ClinicBodies.tokenName(try await optionalBody(request))
        guard let issued = try await db({ try await self.store.createApiToken(clinician: caller.clinician, clinic: caller.clinic, name: name) }) else {
            throw Unauthorized(message: "the session's clinician no longer exists; sign in again")
        }
        return Views.json(Views.IssuedTokenView(id: issued.record.id.rawValue, name: issued.record.name, createdAt: issued.record.createdAt,
                                                token: issued.token), status: .created)
    }

    // MARK: Patients

    func listPatients(_ request: Request) async throws -> Response {
        let caller = try await authenticate(request)
        let rows = try await db { try await self.store.patientList(clinic: caller.clinic) }
        try await audit(caller.actor, .viewPatient, nil, caller.clinic, "patient list (\(rows.count) patients)")
        // {"patients":[row,row,...]}: each row's text as `Views.text` writes that row (compact,
        // sorted keys), reused while the row is unchanged (``ListRowTexts``).
        let text = "{\"patients\":[" + listRows.texts(rows, clinic: caller.clinic).joined(separator: ",") + "]}\n"
        return Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
                        body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    func createPatient(_ request: Request) async throws -> Response {
        let caller = try await authenticate(request)
        let details = try ClinicBodies.patient(try await service.jsonBody(request), catalogue: service.catalogue)
        let patient = try await db { try await self.store.createPatient(details, clinic: caller.clinic, by: caller.actor) }
        var response = Views.json(PatientBody(patient: Views.PatientView(patient)), status: .created)
        response.headers[.location] = "/v1/clinic/patients/\(patient.id.rawValue)"
        return response
    }

    struct PatientBody: Encodable { let patient: Views.PatientView }

    func showPatient(_ request: Request, _ context: ReliefRequestContext) async throws -> Response {
        let caller = try await authenticate(request)
        let patient = try await clinicPatient(context, caller)
        let links = try await db { try await self.store.links(patient: patient.id, clinic: caller.clinic) }
        try await audit(caller.actor, .viewPatient, patient.id, caller.clinic, "")
        struct Body: Encodable { let patient: Views.PatientView; let links: [Views.LinkView] }
        return Views.json(Body(patient: Views.PatientView(patient), links: links.map(Views.LinkView.init)))
    }

    func updatePatient(_ request: Request, _ context: ReliefRequestContext) async throws -> Response {
        let caller = try await authenticate(request)
        let details = try ClinicBodies.patient(try await service.jsonBody(request), catalogue: service.catalogue)
        let id = try pathID(context, Patient.self, "patient")
        guard let patient = try await db({ try await self.store.updatePatient(id: id, clinic: caller.clinic, details: details, by: caller.actor) }) else {
            throw notFound("patient", id.rawValue)
        }
        return Views.json(PatientBody(patient: Views.PatientView(patient)))
    }

    func erasePatient(_ request: Request, _ context: ReliefRequestContext) async throws -> Response {
        let caller = try await authenticate(request)
        let id = try pathID(context, Patient.self, "patient")
        guard try await db({ try await self.store.erasePatient(id: id, clinic: caller.clinic, by: caller.actor) }) else {
            throw notFound("patient", id.rawValue)
        }
        return Views.noContent()
    }

    /// `GET /v1/clinic/patients/{id}/export`: the whole record as Relief's JSON, or with
    /// `?format=fhir` an HL7 FHIR R4 Bundle (`application/fhir+json`) of the patient, the
    /// published programme and what they logged.
    func exportPatient(_ request: Request, _ context: ReliefRequestContext) async throws -> Response {
        let caller = try await authenticate(request)
        let format: String = request.uri.queryParameters.get("format").map { String($0) } ?? "json"
        guard format == "json" || format == "fhir" else {
            throw APIFailure(problems: [RequestProblem(field: "format", value: "\"\(String(format.prefix(64)))\"", expected: "json or fhir")])
        }
        let id = try pathID(context, Patient.self, "patient")
        guard let record = try await db({ try await self.store.export(patient: id, clinic: caller.clinic, by: caller.actor) }) else {
            throw notFound("patient", id.rawValue)
        }
        guard format == "fhir" else { return Views.json(Views.RecordView(record)) }
        var programme: Programme?
        let published = record.prescriptions.first { $0.status == .published }
        if let published {
            // The export has read the log and clearances already.
            programme = try await publishedProgramme(published, patient: record.patient,
                                                     record: FollowedRecord(logs: record.logs, clearances: record.clearances))
        }
        let text = try Self.fhirExport(record, programme: programme, published: published).jsonText()
        return Response(status: .ok, headers: [.contentType: "application/fhir+json; charset=utf-8", .cacheControl: "no-store"],
                        body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// The FHIR export of a record: the patient by the clinic's reference and Relief's id (each
    /// in a namespace of the clinic's own, a name-based urn:uuid), every logged pain as a day's
    /// pain and every symptom, each named by its stored entry's id.
    static func fhirExport(_ record: PatientRecord, programme: Programme?, published: Prescription?) -> FHIRExport {
        let clinic = record.patient.clinic.rawValue
        let ids = [
            FHIRIdentifier(system: FHIRSystems.namespace("relief clinic \(clinic) patient references"), value: record.patient.details.reference),
            FHIRIdentifier(system: FHIRSystems.namespace("relief clinic \(clinic) patient ids"), value: record.patient.id.rawValue),
        ]
        var pains: [FHIRPainReport] = [], symptoms: [FHIRSymptomReport] = []
        for log in record.logs {
            if let pain = log.entry.pain {
                pains.append(FHIRPainReport(date: log.entry.day, pain: Double(pain), context: .day, key: log.id.rawValue))
            }
            if let s = log.entry.symptom { symptoms.append(FHIRSymptomReport(date: log.entry.day, symptom: s.symptom, key: log.id.rawValue)) }
        }
        let authored = published?.publishedAt.map { date -> String in
            let f = ISO8601DateFormatter()
            f.formatOptions = [.withInternetDateTime]
            return f.string(from: date)
        }
        let settings = Views.OutcomesView.settings(record.outcomes, published: published)
        let keys = Dictionary(uniqueKeysWithValues: record.outcomes.enumerated().map { ($0 + 1, $1.id.rawValue) })
        let outcomes = FHIROutcomeScore.scores(of: PatientOutcome.logEntries(record.outcomes), settings: settings) { keys[$0.line] ?? "line-\($0.line)" }
        return FHIRExport(identifiers: ids, programme: programme, pains: pains, symptoms: symptoms, outcomes: outcomes, authoredOn: authored)
    }

    func createLink(_ request: Request, _ context: ReliefRequestContext) async throws -> Response {
        let caller = try await authenticate(request)
        let days = try ClinicBodies.linkDays(try await optionalBody(request), settings: settings)
        let id = try pathID(context, Patient.self, "patient")
        let expires = settings.now().addingTimeInterval(Double(days) * 86_400)
        guard let issued = try await db({ try await self.store.createLink(patient: id, clinic: caller.clinic, by: caller.clinician, expiresAt: expires) }) else {
            throw notFound("patient", id.rawValue)
        }
        return Views.json(Views.IssuedLinkView(link: Views.LinkView(issued.record), token: issued.token, path: "/v1/patient/\(issued.token)"),
                          status: .created)
    }

    func revokeLink(_ request: Request, _ context: ReliefRequestContext) async throws -> Response {
        let caller = try await authenticate(request)
        let id = try pathID(context, PatientLink.self, "link")
        guard try await db({ try await self.store.revokeLink(id: id, clinic: caller.clinic, by: caller.clinician) }) else {
            throw notFound("link", id.rawValue)
        }
        return Views.noContent()
    }

    // MARK: Outcome measures

    /// The patient's outcome records and the settings they are read against (the published
    /// programme's weeks).
    func storedOutcomes(_ patient: Patient, clinic: Clinic.ID) async throws -> ([PatientOutcome], ProgrammeSettings) {
        let stored = try await db { try await self.store.outcomes(patient: patient.id, clinic: clinic) }
        let published = try await db { try await self.store.publishedPrescription(patient: patient.id, clinic: clinic) }
        return (stored, Views.OutcomesView.settings(stored, published: published))
    }

    /// The patient's outcome records, scored.
    func outcomesView(_ patient: Patient, clinic: Clinic.ID) async throws -> Views.OutcomesView {
        let (stored, settings) = try await storedOutcomes(patient, clinic: clinic)
        return Views.OutcomesView(stored, settings: settings)
    }

    /// `?format=json` (the default) or `svg`, the two formats of the outcome reads.
    func outcomeFormat(_ request: Request) throws -> String {
        let format: String = request.uri.queryParameters.get("format").map { String($0) } ?? "json"
        guard format == "json" || format == "svg" else {
            throw APIFailure(problems: [RequestProblem(field: "format", value: "\"\(String(format.prefix(64)))\"", expected: "json or svg")])
        }
        return format
    }

    static func svgResponse(_ text: String) -> Response {
        Response(status: .ok, headers: [.contentType: "image/svg+xml; charset=utf-8", .cacheControl: "no-store"],
                 body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// `GET /v1/clinic/patients/{id}/outcomes`: the records scored, or with `?format=svg` the
    /// chart of each measure against the minimal important change.
    func patientOutcomes(_ request: Request, _ context: ReliefRequestContext) async throws -> Response {
        let caller = try await authenticate(request)
        let format = try outcomeFormat(request)
        let patient = try await clinicPatient(context, caller)
        let (stored, settings) = try await storedOutcomes(patient, clinic: caller.clinic)
        try await audit(caller.actor, .viewPatient, patient.id, caller.clinic, "outcomes")
        guard format == "svg" else { return Views.json(Views.OutcomesView(stored, settings: settings)) }
        let scored = ProgrammeOutcomes(entries: PatientOutcome.logEntries(stored), settings: settings)
        return Self.svgResponse(OutcomeCharts.patient(scored) ?? OutcomeCharts.empty("No outcome measures recorded yet"))
    }

    /// `GET /v1/clinic/outcomes`: how many of the clinic's patients are meaningfully better at
    /// 4, 8 and 12 weeks after their baseline (``ClinicOutcomeSummary``), or its chart.
    func clinicOutcomes(_ request: Request) async throws -> Response {
        let caller = try await authenticate(request)
        let format = try outcomeFormat(request)
        let all = try await db { try await self.store.outcomes(clinic: caller.clinic) }
        var byPatient: [[PatientOutcome]] = []
        for o in all {
            if let last = byPatient.last?.last, last.patient == o.patient { byPatient[byPatient.count - 1].append(o) } else { byPatient.append([o]) }
        }
        let scored = byPatient.map { records in
            ProgrammeOutcomes(entries: PatientOutcome.logEntries(records), settings: ProgrammeSettings(start: records[0].day))
        }
        let summary = ClinicOutcomeSummary(scored)
        try await audit(caller.actor, .viewPatient, nil, caller.clinic, "clinic outcomes (\(byPatient.count) patients)")
        if format == "svg" { return Self.svgResponse(OutcomeCharts.clinic(summary)) }
        struct Week: Encodable { let week: Int, counted: Int, better: Int }
        struct Body: Encodable { let patients: Int, measures: String, weeks: [Week] }
        return Views.json(Body(patients: byPatient.count, measures: summary.measureWords,
                               weeks: summary.weeks.map { Week(week: $0.week, counted: $0.counted, better: $0.better) }))
    }

    /// A clinician records a day's measures or a STarT Back screen (at a visit, or from paper).
    func recordOutcome(_ request: Request, _ context: ReliefRequestContext) async throws -> Response {
        let caller = try await authenticate(request)
        let (day, fact) = try ClinicBodies.outcome(try await service.jsonBody(request), today: today())
        let id = try pathID(context, Patient.self, "patient")
        guard let patient = try await db({ try await self.store.patient(id: id, clinic: caller.clinic) }),
              try await db({ try await self.store.appendOutcome(fact, day: day, patient: id, clinic: caller.clinic) }) != nil else {
            throw notFound("patient", id.rawValue)
        }
        try await audit(caller.actor, .appendOutcome, id, caller.clinic, fact.kind)
        return Views.json(try await outcomesView(patient, clinic: caller.clinic), status: .created)
    }

    func patientAlerts(_ request: Request, _ context: ReliefRequestContext) async throws -> Response {
        let caller = try await authenticate(request)
        let patient = try await clinicPatient(context, caller)
        let alerts = try await db { try await self.store.alerts(patient: patient.id, clinic: caller.clinic) }
        try await audit(caller.actor, .viewPatient, patient.id, caller.clinic, "alerts")
        struct Body: Encodable { let alerts: [Views.AlertView] }
        return Views.json(Body(alerts: alerts.map(Views.AlertView.init)))
    }

    func acknowledge(_ request: Request, _ context: ReliefRequestContext) async throws -> Response {
        let caller = try await authenticate(request)
        let note = try ClinicBodies.note(try await optionalBody(request))
        let id = try pathID(context, Alert.self, "alert")
        guard let alert = try await db({ try await self.store.acknowledgeAlert(id: id, clinic: caller.clinic, by: caller.clinician, note: note) }) else {
            throw notFound("alert", id.rawValue)
        }
        return Views.json(Views.AlertView(alert))
    }

    // MARK: A patient's own link

    func patientPage(_ context: ReliefRequestContext) async throws -> Response {
        let (link, patient) = try await linkedPatient(context)
        let today = self.today()
        let published = try await db { try await self.store.publishedPrescription(patient: patient.id, clinic: link.clinic) }
        let logs = try await db {
            try await self.store.logs(patient: patient.id, clinic: link.clinic, from: CalendarDate(ordinal: today.ordinal - 27), to: nil)
        }
        var programme: ProgrammeView?
        if let published { programme = ProgrammeView(try await publishedProgramme(published, patient: patient, clinic: link.clinic), today: today) }
        let outcomes = try await outcomesView(patient, clinic: link.clinic)
        try await audit(.patientLink(link.id), .viewPatient, patient.id, link.clinic, "patient link")
        return Views.json(Views.PatientPageView(reference: patient.details.reference, prescription: published.map(Views.PrescriptionView.init),
                                                programme: programme, logs: logs.map(Views.LogView.init), outcomes: outcomes,
                                                linkExpiresAt: link.expiresAt))
    }

    func patientLog(_ request: Request, _ context: ReliefRequestContext) async throws -> Response {
        let (link, patient) = try await linkedPatient(context)
        let draft = try ClinicBodies.log(try await service.jsonBody(request), patient: patient, today: today())
        let line = (actor: Actor.patientLink(link.id), detail: draft.symptom.map { "symptom \($0.symptom.rawValue)" } ?? "")
        guard let entry = try await db({ try await self.store.appendLog(draft, patient: patient.id, clinic: link.clinic, audit: line) }) else {
            throw linkNotFound
        }
        await sweepAfterLog(patient, clinic: link.clinic, context)
        return Views.json(Views.LogView(entry), status: .created)
    }

    /// The patient answers their questionnaires through their link.
    func patientOutcome(_ request: Request, _ context: ReliefRequestContext) async throws -> Response {
        let (link, patient) = try await linkedPatient(context)
        let (day, fact) = try ClinicBodies.outcome(try await service.jsonBody(request), today: today())
        guard try await db({ try await self.store.appendOutcome(fact, day: day, patient: patient.id, clinic: link.clinic) }) != nil else {
            throw linkNotFound
        }
        try await audit(.patientLink(link.id), .appendOutcome, patient.id, link.clinic, fact.kind)
        return Views.json(try await outcomesView(patient, clinic: link.clinic), status: .created)
    }

    /// The patient's alert sweep after their log was stored (a flare shows at once). The log
    /// is acknowledged whatever the sweep does: a failure here is logged, not answered.
    func sweepAfterLog(_ patient: Patient, clinic: Clinic.ID, _ context: ReliefRequestContext) async {
        do { try await sweepAlerts(patient: patient, clinic: clinic) } catch {
            context.logger.error("the alert sweep after a log failed: \(error)")
        }
    }

    var linkNotFound: APIFailure {
        APIFailure(status: .notFound, message: "this link is unknown, expired or revoked; ask your clinic for a new one", retryAfter: nil)
    }

    func linkedPatient(_ context: ReliefRequestContext) async throws -> (PatientLink, Patient) {
        let token = context.parameters.get("token") ?? ""
        guard (1...200).contains(token.count), let link = try await db({ try await self.store.resolveLink(token: token) }),
              let patient = try await db({ try await self.store.patient(id: link.patient, clinic: link.clinic) }) else {
            throw linkNotFound
        }
        return (link, patient)
    }

    func today() -> CalendarDate { CalendarDate.today(secondsSince1970: settings.now().timeIntervalSince1970) }

    // MARK: Who is asking

    struct Caller {
        enum Credential { case session(ClinicianSession, token: String), bearer(ApiToken) }
        let credential: Credential
        var clinic: Clinic.ID {
            switch credential { case .session(let s, _): s.clinic; case .bearer(let t): t.clinic }
        }
        var clinician: Clinician.ID {
            switch credential { case .session(let s, _): s.clinician; case .bearer(let t): t.clinician }
        }
        /// Who the audit log names: the clinician for a browser, the token for an API client.
        var actor: Actor {
            switch credential { case .session(let s, _): .clinician(s.clinician); case .bearer(let t): .apiToken(t.id) }
        }
    }

    func authenticate(_ request: Request) async throws -> Caller {
        if let authorization = request.headers[.authorization] {
            let parts = authorization.split(separator: " ", maxSplits: 1)
            guard parts.count == 2, parts[0].lowercased() == "bearer" else {
                throw Unauthorized(message: "Authorization must be \"Bearer TOKEN\" with a token from POST /v1/clinic/tokens")
            }
            let token = parts[1].trimmingCharacters(in: .whitespaces)
            guard (1...200).contains(token.count), let t = try await db({ try await self.store.apiToken(token: token) }) else {
                throw Unauthorized(message: "the bearer token is unknown or revoked")
            }
            return Caller(credential: .bearer(t))
        }
        guard let token = sessionCookie(request) else {
            throw Unauthorized(message: "sign in first (POST /v1/clinic/sign-in sets the session cookie) or send Authorization: Bearer TOKEN")
        }
        guard (1...200).contains(token.count), let session = try await db({ try await self.store.session(token: token) }) else {
            throw Unauthorized(message: "the session has ended or is unknown; sign in again")
        }
        if Self.unsafeMethods.contains(request.method) {
            guard let given = request.headers[Self.csrfHeader], constantTimeEqual(given, session.csrfSecret) else {
                throw APIFailure(status: .forbidden,
                                 message: "X-CSRF-Token is missing or wrong: send the csrf_token that sign-in answered with every POST, PUT, PATCH and DELETE",
                                 retryAfter: nil)
            }
        }
        return Caller(credential: .session(session, token: token))
    }

    /// The session cookie's value from every Cookie header (a browser may send several pairs).
    func sessionCookie(_ request: Request) -> String? {
        for header in request.headers[values: .cookie] {
            for pair in header.split(separator: ";") {
                let kv = pair.split(separator: "=", maxSplits: 1)
                if kv.count == 2, kv[0].trimmingCharacters(in: .whitespaces) == settings.cookieName {
                    return kv[1].trimmingCharacters(in: .whitespaces)
                }
            }
        }
        return nil
    }

    // MARK: Helpers

    /// The path's `{id}`: ids longer than any the store makes are simply not found.
    func pathID<Entity>(_ context: ReliefRequestContext, _: Entity.Type, _ what: String) throws -> EntityID<Entity> {
        let raw = context.parameters.get("id") ?? ""
        guard (1...64).contains(raw.count) else { throw notFound(what, String(raw.prefix(64))) }
        return EntityID(rawValue: raw)
    }

    func clinicPatient(_ context: ReliefRequestContext, _ caller: Caller) async throws -> Patient {
        let id = try pathID(context, Patient.self, "patient")
        guard let p = try await db({ try await self.store.patient(id: id, clinic: caller.clinic) }) else { throw notFound("patient", id.rawValue) }
        return p
    }

    /// The same answer for another clinic's record as for none at all.
    func notFound(_ what: String, _ id: String) -> APIFailure {
        APIFailure(status: .notFound, message: "your clinic has no \(what) \(id)", retryAfter: nil)
    }

    func audit(_ actor: Actor, _ action: AuditAction, _ patient: Patient.ID?, _ clinic: Clinic.ID, _ detail: String) async throws {
        try await db { try await self.store.appendAudit(actor: actor, action: action, patient: patient, clinic: clinic, detail: detail) }
    }

    /// A body that may be left out: none when the request has neither a type nor a length.
    func optionalBody(_ request: Request) async throws -> JSONNode? {
        if request.headers[.contentType] == nil && (request.headers[.contentLength] ?? "0") == "0" && request.headers[.transferEncoding] == nil {
            return nil
        }
        return try await service.jsonBody(request)
    }

    /// Store errors as the API's refusals; a database failure is 500 without its details.
    func db<T: Sendable>(_ work: @Sendable () async throws -> T) async throws -> T {
        do {
            return try await work()
        } catch let e as ClinicStoreError {
            switch e {
            case .invalid(let problems): throw APIFailure(problems: problems.map(\.requestProblem))
            case let .conflict(field, value):
                throw APIFailure(status: .conflict, message: "\(field) \"\(value)\" is already taken in this clinic", retryAfter: nil)
            case .cannotOpen, .corruptRow, .database:
                throw StoreFailure(reason: e.localizedDescription)
            }
        }
    }
}

/// The store failed: 500 to the client without the details, which go to the server's log (a
/// ``ClinicStoreError`` never carries a password, token or hash).
struct StoreFailure: HTTPResponseError {
    let reason: String
    var status: HTTPResponse.Status { .internalServerError }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        context.logger.error("the clinic's store failed on \(request.method) \(context.endpointPath ?? "?"): \(reason)")
        return APIFailure(status: .internalServerError, message: "the clinic's store failed; try again later", retryAfter: 1).response()
    }
}

/// 401 with `WWW-Authenticate`, as RFC 9110 asks of it.
struct Unauthorized: HTTPResponseError {
    let message: String
    var status: HTTPResponse.Status { .unauthorized }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = APIFailure(status: .unauthorized, message: message, retryAfter: nil).response()
        response.headers[.wwwAuthenticate] = #"Bearer realm="relief-clinic""#
        return response
    }
}

/// Equal strings in a time that depends only on their lengths (a CSRF secret's is fixed).
func constantTimeEqual(_ a: String, _ b: String) -> Bool {
    let x = Array(a.utf8), y = Array(b.utf8)
    guard x.count == y.count else { return false }
    var diff: UInt8 = 0
    for i in x.indices { diff |= x[i] ^ y[i] }
    return diff == 0
}
