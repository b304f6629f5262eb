import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Relief
import ReliefClinic
import ReliefFormats
import ReliefServer

/// The clinician's pages, HTML that needs no JavaScript, under `/clinic`:
///
/// - `GET /clinic/sign-in` and `POST /clinic/sign-in`: the form, through the JSON route's own
///   checks and limits (``ClinicRoutes/openSession(email:password:_:)``); a new session every
///   time (no fixation), then 303 to the list;
/// - `GET /clinic`: the patient list, those with open alerts first (red flags by tier, then a
///   flare, low adherence, no log, non-response), the clinic's outcome chart;
/// - `GET /clinic/patients/new`, `POST /clinic/patients`: a new patient;
/// - `GET /clinic/patients/{id}`: the patient: alerts with their acknowledgement forms, pain
///   and sessions done over the weeks (SVG), outcome measures, prescriptions, the prescribing
///   form, links, the export;
/// - `POST .../prescriptions` saves a draft and shows its preview
///   (`GET .../prescriptions/{pid}`), `POST .../prescriptions/{pid}/publish` publishes it;
/// - `POST .../links` makes a patient link (shown once), `POST .../links/{lid}/revoke`;
/// - `POST .../alerts/{aid}/acknowledge`; `POST /clinic/sign-out`.
///
/// The session cookie is the only credential here (a bearer token is for the JSON API). Every
/// form post carries the session's CSRF secret in `csrf_token`, compared in constant time, and
/// is refused when the browser says it came from another site (``ClinicRoutes/crossSite(_:)``).
/// Another clinic's patient is the same 404 page as none at all.
extension ClinicRoutes {
    func addClinicianPages(to router: Router<ReliefRequestContext>) {
        router.get("/clinic.css") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "public, max-age=300"],
                     body: .init(byteBuffer: ByteBuffer(string: clinicStyle)))
        }
        router.get("/clinic/sign-in") { request, context in await self.clinicPage(context) { try await self.signInPage(request) } }
        router.post("/clinic/sign-in") { request, context in await self.clinicPage(context) { try await self.signInForm(request, context) } }
        router.post("/clinic/sign-out") { request, context in await self.clinicPage(context) { try await self.signOutForm(request) } }
        router.get("/clinic") { request, context in await self.clinicPage(context) { try await self.listPage(request) } }
        router.get("/clinic/patients/new") { request, context in await self.clinicPage(context) { try await self.newPatientPage(request) } }
        router.post("/clinic/patients") { request, context in await self.clinicPage(context) { try await self.newPatientForm(request) } }
        router.get("/clinic/patients/{id}") { request, context in await self.clinicPage(context) { try await self.patientPageHTML(request, context, notice: nil) } }
        router.post("/clinic/patients/{id}/prescriptions") { request, context in
            await self.clinicPage(context) { try await self.prescribeForm(request, context) }
        }
        router.get("/clinic/patients/{id}/prescriptions/{pid}") { request, context in
            await self.clinicPage(context) { try await self.previewPage(request, context) }
        }
        router.post("/clinic/patients/{id}/prescriptions/{pid}/publish") { request, context in
            await self.clinicPage(context) { try await self.publishForm(request, context) }
        }
        router.post("/clinic/patients/{id}/links") { request, context in await self.clinicPage(context) { try await self.linkForm(request, context) } }
        router.post("/clinic/patients/{id}/links/{lid}/revoke") { request, context in
            await self.clinicPage(context) { try await self.revokeForm(request, context) }
        }
        router.post("/clinic/patients/{id}/alerts/{aid}/acknowledge") { request, context in
            await self.clinicPage(context) { try await self.acknowledgeForm(request, context) }
        }
    }

    // MARK: Pages and their refusals

    /// Refusals as pages: not signed in is the sign-in page (401, or 303 to it for a page
    /// asked for with GET), everything else a page naming the problem with its status.
    func clinicPage(_ context: ReliefRequestContext, _ work: () async throws -> Response) async -> Response {
        var response = await clinicPageOrRefusal(context, work)
        // Patients' records and one-time links: never kept by the browser's cache (a shared
        // clinic computer, the Back button after signing out).
        response.headers[.cacheControl] = "no-store"
        return response
    }

    func clinicPageOrRefusal(_ context: ReliefRequestContext, _ work: () async throws -> Response) async -> Response {
        do {
            return try await work()
        } catch let e as SignInNeeded {
            if e.redirect { return Self.seeOther("/clinic/sign-in") }
            return htmlResponse(Self.signInDocument(email: "", problem: e.message), status: .unauthorized)
        } catch let e as Unauthorized {
            return htmlResponse(Self.signInDocument(email: "", problem: e.message), status: .unauthorized)
        } catch let e as APIFailure {
            let title = e.status == .notFound ? "Not found in your clinic" : e.status == .tooManyRequests ? "Too many attempts" : "That could not be done"
            var body = "<h1>\(html(title))</h1>\n<p>\(html(e.message.prefix(1).uppercased() + e.message.dropFirst())).</p>\n"
            if !e.problems.isEmpty { body += "<ul>\n" + e.problems.map { "<li>\(html($0.description))</li>" }.joined(separator: "\n") + "\n</ul>\n" }
            body += "<p><a href=\"/clinic\">Back to your patients</a></p>\n"
            var response = htmlResponse(Self.clinicDocument(title: title, body: body, csrf: nil), status: e.status)
            if let wait = e.retryAfter { response.headers[.retryAfter] = String(wait) }
            return response
        } catch let e as StoreFailure {
            context.logger.error("the clinic's store failed on a clinician page: \(e.reason)")
            return htmlResponse(Self.clinicDocument(title: "Try again later", body: "<h1>Try again later</h1>\n<p>The clinic's records could not be read just now.</p>\n", csrf: nil),
                                status: .internalServerError)
        } catch {
            context.logger.error("a clinician page failed: \(error)")
            return htmlResponse(Self.clinicDocument(title: "Try again later", body: "<h1>Try again later</h1>\n<p>The page could not be made just now.</p>\n", csrf: nil),
                                status: .internalServerError)
        }
    }

    /// No live session: a GET goes to the sign-in page, a form post is answered 401.
    struct SignInNeeded: Error { let message: String; let redirect: Bool }

    static func seeOther(_ path: String, cookie: String? = nil) -> Response {
        var headers: HTTPFields = [.location: path, .cacheControl: "no-store"]
        if let cookie { headers[.setCookie] = cookie }
        return Response(status: .seeOther, headers: headers)
    }

    /// A clinician page: the clinic's stylesheet after the service's, and, signed in, the
    /// navigation with the sign-out form.
    static func clinicDocument(title: String, body: String, csrf: String?) -> String {
        var nav = ""
        if let csrf {
            nav = "<header class=\"clinic-nav\"><nav aria-label=\"Clinic\"><a href=\"/clinic\">Patients</a> <a href=\"/clinic/patients/new\">New patient</a></nav>"
                + "<form method=\"post\" action=\"/clinic/sign-out\">\(csrfField(csrf))<button type=\"submit\" class=\"quiet\">Sign out</button></form></header>\n"
        }
        return document(title: title + " · Relief clinic", body: body,
                        head: "<link rel=\"stylesheet\" href=\"/clinic.css\">\n<link rel=\"icon\" href=\"data:,\">\n", header: nav)
    }

    static func csrfField(_ csrf: String) -> String { "<input type=\"hidden\" name=\"csrf_token\" value=\"\(html(csrf))\">" }

    /// The signed-in session of a page's request (cookie only), or `SignInNeeded`.
    func pageSession(_ request: Request) async throws -> ClinicianSession {
        guard let token = sessionCookie(request), (1...200).contains(token.count),
              let session = try await db({ try await self.store.session(token: token) }) else {
            throw SignInNeeded(message: "Sign in to see your clinic's patients.", redirect: request.method == .get)
        }
        return session
    }

    /// A clinician's form post: its fields (every value of each key among `keys`) once the
    /// session and its CSRF secret are checked, after the cross-site check.
    func clinicForm(_ request: Request, keys: Set<String>) async throws -> (ClinicianSession, FormValues) {
        let pairs = try await formPairs(request)
        let session = try await pageSession(request)
        let values = FormValues(pairs.filter { keys.contains($0.0) || $0.0 == "csrf_token" })
        guard let given = values.first("csrf_token"), constantTimeEqual(given, session.csrfSecret) else {
            throw APIFailure(status: .forbidden, message: "the form's security token is missing or out of date; open the page again and resend it", retryAfter: nil)
        }
        return (session, values)
    }

    // MARK: Signing in and out

    static func signInDocument(email: String, problem: String?) -> String {
        var h = "<h1>Sign in to your clinic</h1>\n"
        if let problem { h += "<section class=\"errors\" role=\"alert\"><p>\(html(problem))</p></section>\n" }
        h += "<form method=\"post\" action=\"/clinic/sign-in\" class=\"stack\">\n"
        h += "<p><label for=\"email\">Email</label><br><input id=\"email\" name=\"email\" type=\"email\" autocomplete=\"username\" required maxlength=\"320\" value=\"\(html(email))\"></p>\n"
        h += "<p><label for=\"password\">Password</label><br><input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\" required maxlength=\"1000\"></p>\n"
        h += "<button type=\"submit\">Sign in</button>\n</form>\n"
        h += "<p class=\"help\">Patients do not sign in: their physiotherapist gives them a personal link.</p>\n"
        return clinicDocument(title: "Sign in", body: h, csrf: nil)
    }

    func signInPage(_ request: Request) async throws -> Response {
        if let token = sessionCookie(request), (1...200).contains(token.count), try await db({ try await self.store.session(token: token) }) != nil {
            return Self.seeOther("/clinic")
        }
        return htmlResponse(Self.signInDocument(email: "", problem: nil))
    }

    func signInForm(_ request: Request, _ context: ReliefRequestContext) async throws -> Response {
        let values = FormValues(try await formPairs(request))
        let email = values.first("email") ?? ""
        do {
            let (_, issued) = try await openSession(email: email, password: values.first("password") ?? "", context)
            return Self.seeOther("/clinic", cookie: cookie(value: issued.token, maxAge: Int(settings.sessionLifetime)))
        } catch let e as Unauthorized {
            return htmlResponse(Self.signInDocument(email: String(email.prefix(320)), problem: e.message.prefix(1).uppercased() + e.message.dropFirst() + "."),
                                status: .unauthorized)
        }
    }

    func signOutForm(_ request: Request) async throws -> Response {
        let (_, _) = try await clinicForm(request, keys: [])
        if let token = sessionCookie(request) { try await db { try await self.store.deleteSession(token: token) } }
        return Self.seeOther("/clinic/sign-in", cookie: cookie(value: "", maxAge: 0))
    }

    // MARK: The patient list

    func listPage(_ request: Request) async throws -> Response {
        let session = try await pageSession(request)
        let rows = try await db { try await self.store.patientList(clinic: session.clinic) }
        try await audit(.clinician(session.clinician), .viewPatient, nil, session.clinic, "patient list page (\(rows.count) patients)")
        let who = try await db { try await self.store.clinician(id: session.clinician, clinic: session.clinic) }
        var h = "<h1>Your patients</h1>\n"
        if let who { h += "<p class=\"help\">Signed in as \(html(who.displayName)) (\(html(who.email))).</p>\n" }
        let alerting = rows.filter { !$0.openAlerts.isEmpty }.count
        h += "<p>\(rows.count) patient\(rows.count == 1 ? "" : "s"); \(alerting) with open alerts, listed first. <a href=\"/clinic/patients/new\">Add a patient</a>.</p>\n"
        if !rows.isEmpty {
            h += "<table class=\"patients\">\n<thead><tr><th>Patient</th><th>Needs attention</th><th>Programme</th><th>Last log</th></tr></thead>\n<tbody>\n"
            for r in rows {
                let ref = "<a href=\"/clinic/patients/\(html(r.patient.id.rawValue))\">\(html(r.patient.details.reference))</a>"
                let alerts = r.openAlerts.isEmpty ? "nothing open" : "<ul class=\"alerts\">" + r.openAlerts.map { "<li>\(Self.alertBadge($0)) \(html($0.detail))</li>" }.joined() + "</ul>"
                let programme = r.publishedVersion.map { "version \($0)" } ?? "none published"
                h += "<tr\(r.openAlerts.isEmpty ? "" : " class=\"attention\"")><td>\(ref)</td><td data-label=\"Alerts\">\(alerts)</td><td data-label=\"Programme\">\(programme)</td>"
                    + "<td data-label=\"Last log\">\(r.patient.lastLogDay?.description ?? "none")</td></tr>\n"
            }
            h += "</tbody>\n</table>\n"
            h += "<h2>The clinic's outcomes</h2>\n<figure class=\"chart\"><img src=\"/v1/clinic/outcomes?format=svg\" alt=\"Share of the clinic's patients meaningfully better at 4, 8 and 12 weeks\"></figure>\n"
        }
        return htmlResponse(Self.clinicDocument(title: "Your patients", body: h, csrf: session.csrfSecret))
    }

    /// An alert's kind (and a red flag's tier) as a short label a list can be scanned by.
    static func alertBadge(_ a: Alert) -> String {
        let words: String
        switch a.kind {
        case .redFlag(let tier): words = "Red flag: \(tier.words)"
        case .flare: words = "Flare"
        case .lowAdherence: words = "Low adherence"
        case .noLog: words = "No log"
        case .nonResponse: words = "Not responding"
        }
        let level = a.kind.severity >= 80 ? "urgent" : a.kind.severity >= 70 ? "high" : "watch"
        return "<strong class=\"badge \(level)\">\(html(words))</strong>"
    }

    // MARK: A new patient

    static let patientKeys: Set<String> = ["reference", "usual_pain", "conditions", "equipment", "screen_yes"]

    func patientFormHTML(_ values: FormValues, csrf: String) -> String {
        var h = "<form method=\"post\" action=\"/clinic/patients\" class=\"stack\">\n\(Self.csrfField(csrf))\n"
        h += "<p><label for=\"reference\">Reference (a pseudonym or your record number, not a name)</label><br>"
            + "<input id=\"reference\" name=\"reference\" type=\"text\" required maxlength=\"64\" value=\"\(html(values.first("reference") ?? ""))\"></p>\n"
        h += "<p><label for=\"usual_pain\">Usual pain, 0 (none) to 10 (worst)</label><br>"
            + "<input id=\"usual_pain\" name=\"usual_pain\" type=\"number\" inputmode=\"numeric\" min=\"0\" max=\"10\" step=\"1\" required value=\"\(html(values.first("usual_pain") ?? ""))\"></p>\n"
        let conditions = Set(values.all("conditions")), equipment = Set(values.all("equipment")), yes = Set(values.all("screen_yes"))
        h += "<fieldset>\n<legend>Conditions</legend>\n<ul class=\"checks cols\">\n"
        for c in service.catalogue.knownConditions {
            h += "<li><input type=\"checkbox\" id=\"c-\(html(c))\" name=\"conditions\" value=\"\(html(c))\"\(conditions.contains(c) ? " checked" : "")> <label for=\"c-\(html(c))\">\(html(c))</label></li>\n"
        }
        h += "</ul>\n</fieldset>\n<fieldset>\n<legend>Equipment they have at home</legend>\n<ul class=\"checks cols\">\n"
        for e in service.catalogue.knownEquipment {
            h += "<li><input type=\"checkbox\" id=\"e-\(html(e))\" name=\"equipment\" value=\"\(html(e))\"\(equipment.contains(e) ? " checked" : "")> <label for=\"e-\(html(e))\">\(html(e))</label></li>\n"
        }
        h += "</ul>\n</fieldset>\n<fieldset>\n<legend>The red-flag screen</legend>\n"
        h += "<p class=\"help\">Tick each question the patient answered yes to; every one left unticked is recorded as no. With a red flag nothing is planned until it is assessed.</p>\n<ul class=\"checks\">\n"
        for q in RedFlagScreen.questions {
            let note = q.followUpOf.map { _ in " <span class=\"help\">(only if yes to the question on pain for more than 3 months)</span>" } ?? ""
            h += "<li><input type=\"checkbox\" id=\"q-\(q.id)\" name=\"screen_yes\" value=\"\(q.id)\"\(yes.contains(q.id) ? " checked" : "")> <label for=\"q-\(q.id)\">\(html(q.text))</label>\(note)</li>\n"
        }
        h += "</ul>\n</fieldset>\n<button type=\"submit\">Add the patient</button>\n</form>\n"
        return h
    }

    func newPatientPage(_ request: Request) async throws -> Response {
        let session = try await pageSession(request)
        let h = "<h1>A new patient</h1>\n" + patientFormHTML(FormValues([]), csrf: session.csrfSecret)
        return htmlResponse(Self.clinicDocument(title: "A new patient", body: h, csrf: session.csrfSecret))
    }

    func newPatientForm(_ request: Request) async throws -> Response {
        let (session, values) = try await clinicForm(request, keys: Self.patientKeys)
        var object: [String: Any] = ["reference": values.first("reference") ?? "", "conditions": values.all("conditions"), "equipment": values.all("equipment")]
        let pain = (values.first("usual_pain") ?? "").trimmingCharacters(in: .whitespaces)
        object["usual_pain"] = Int(pain).map { $0 as Any } ?? pain
        let yes = Set(values.all("screen_yes"))
        var answers: [String: Bool] = [:]
        for q in RedFlagScreen.questions where q.followUpOf == nil || yes.contains("inflammatory") { answers[q.id] = yes.contains(q.id) }
        for id in yes where answers[id] == nil { answers[id] = true }   // an unknown id is refused by name below
        object["screen_answers"] = answers
        let details: PatientDetails
        do {
            details = try ClinicBodies.patient(try JSONNode.parse(bytes: Array(try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]))),
                                               catalogue: service.catalogue)
            let patient = try await db { try await self.store.createPatient(details, clinic: session.clinic, by: .clinician(session.clinician)) }
            return Self.seeOther("/clinic/patients/\(patient.id.rawValue)")
        } catch let e as APIFailure where e.status == .badRequest || e.status == .conflict {
            let h = "<h1>A new patient</h1>\n" + Self.problems(e) + patientFormHTML(values, csrf: session.csrfSecret)
            return htmlResponse(Self.clinicDocument(title: "A new patient", body: h, csrf: session.csrfSecret), status: e.status)
        }
    }

    /// "Nothing was saved" with each problem of a refused form.
    static func problems(_ e: APIFailure) -> String {
        let items = e.problems.isEmpty ? [e.message] : e.problems.map(\.description)
        return "<section class=\"errors\" role=\"alert\">\n<h2>Nothing was saved</h2>\n<ul>\n" + items.map { "<li>\(html($0))</li>" }.joined(separator: "\n") + "\n</ul>\n</section>\n"
    }

    // MARK: The patient

    func pagePatient(_ context: ReliefRequestContext, _ session: ClinicianSession) async throws -> Patient {
        let id = try pathID(context, Patient.self, "patient")
        guard let p = try await db({ try await self.store.patient(id: id, clinic: session.clinic) }) else { throw notFound("patient", id.rawValue) }
        return p
    }

    func patientPageHTML(_ request: Request, _ context: ReliefRequestContext, notice: String?) async throws -> Response {
        let session = try await pageSession(request)
        let patient = try await pagePatient(context, session)
        let clinic = session.clinic
        let alerts = try await db { try await self.store.alerts(patient: patient.id, clinic: clinic) }
        let prescriptions = try await db { try await self.store.prescriptions(patient: patient.id, clinic: clinic) }.sorted { $0.version > $1.version }
        let links = try await db { try await self.store.links(patient: patient.id, clinic: clinic) }
        let logs = try await db { try await self.store.logs(patient: patient.id, clinic: clinic, from: nil, to: nil) }
        let clearances = try await db { try await self.store.clearances(patient: patient.id, clinic: clinic) }
        try await audit(.clinician(session.clinician), .viewPatient, patient.id, clinic, "patient page")
        let id = html(patient.id.rawValue), csrf = session.csrfSecret
        let d = patient.details
        var h = "<h1>\(html(d.reference))</h1>\n"
        if let notice { h += notice }
        h += "<p>Usual pain \(d.usualPain)/10. Conditions: \(html(d.conditions.isEmpty ? "none" : d.conditions.sorted().joined(separator: ", "))). "
            + "Equipment: \(html(d.equipment.isEmpty ? "none" : d.equipment.sorted().joined(separator: ", "))).</p>\n"
        let yes = RedFlagScreen.questions.filter { d.screenAnswers[$0.id] == true }
        h += "<p>Red-flag screen: " + (d.screenAnswers.isEmpty ? "not recorded" : yes.isEmpty ? "no to every question"
            : "yes to " + yes.map { html($0.text) }.joined(separator: " ")) + "</p>\n"

        let open = alerts.filter { $0.acknowledged == nil }, done = alerts.filter { $0.acknowledged != nil }
        h += "<section id=\"alerts\" aria-labelledby=\"alerts-h\">\n<h2 id=\"alerts-h\">Alerts</h2>\n"
        if open.isEmpty { h += "<p>Nothing open.</p>\n" }
        for a in open {
            h += "<div class=\"alert-card\">\n<p>\(Self.alertBadge(a)) \(html(a.detail)) <span class=\"help\">(raised \(html(Views.timestamp(a.raisedAt).prefix(16).replacingOccurrences(of: "T", with: " "))) UTC)</span></p>\n"
            h += "<form method=\"post\" action=\"/clinic/patients/\(id)/alerts/\(html(a.id.rawValue))/acknowledge\">\(Self.csrfField(csrf))"
                + "<p><label for=\"note-\(html(a.id.rawValue))\">Note (what you did)</label><br><textarea id=\"note-\(html(a.id.rawValue))\" name=\"note\" rows=\"2\" maxlength=\"2000\"></textarea></p>"
                + "<button type=\"submit\">Acknowledge</button></form>\n</div>\n"
        }
        if !done.isEmpty {
            h += "<details><summary>Acknowledged (\(done.count))</summary>\n<ul>\n"
            for a in done {
                h += "<li>\(Self.alertBadge(a)) \(html(a.detail)); acknowledged \(a.acknowledged.map { html(String(Views.timestamp($0.at).prefix(10))) } ?? "")"
                    + "\(a.acknowledged.map { $0.note.isEmpty ? "" : ": " + html($0.note) } ?? "")</li>\n"
            }
            h += "</ul>\n</details>\n"
        }
        h += "</section>\n"
        h += Self.pauseSection(ClinicProgrammeLog.openPause(logs: logs, clearances: clearances, patient: patient.details),
                               clearances: clearances, patient: patient, csrf: csrf)

        let published = prescriptions.first { $0.status == .published }
        h += "<section id=\"progress\" aria-labelledby=\"progress-h\">\n<h2 id=\"progress-h\">Pain and sessions</h2>\n"
        if logs.isEmpty {
            h += "<p>Nothing logged yet.</p>\n"
        } else {
            h += "<figure class=\"chart\">\n\(ClinicCharts.painAndSessions(logs, published: published.map { AlertRules.Published(version: $0.version, start: $0.startDay, planned: plannedSessions($0, patient: patient)) }, today: today()))"
                + "<figcaption>Pain as logged each day (dots, 0-10) and sessions logged done each week (bars, against the sessions prescribed).</figcaption>\n</figure>\n"
        }
        h += "<figure class=\"chart\"><img src=\"/v1/clinic/patients/\(id)/outcomes?format=svg\" alt=\"Outcome measures against the minimal important change\"></figure>\n</section>\n"

        h += "<section id=\"programme\" aria-labelledby=\"programme-h\">\n<h2 id=\"programme-h\">Programme</h2>\n"
        if prescriptions.isEmpty { h += "<p>Nothing prescribed yet.</p>\n" } else {
            h += "<ul>\n"
            for p in prescriptions {
                h += "<li><a href=\"/clinic/patients/\(id)/prescriptions/\(html(p.id.rawValue))\">Version \(p.version)</a>: \(p.status.rawValue), "
                    + "\(p.plan.weeks) weeks, \(p.plan.daysPerWeek) days a week, \(p.plan.minutes) minutes"
                    + "\(p.plan.locked.isEmpty ? "" : "; locked " + html(p.plan.locked.map { "\($0.exercise) \(readable($0.units))" }.joined(separator: ", ")))</li>\n"
            }
            h += "</ul>\n"
        }
        h += prescribeFormHTML(patient: patient, values: nil, last: prescriptions.first, csrf: csrf)
        h += "</section>\n"

        h += "<section id=\"links\" aria-labelledby=\"links-h\">\n<h2 id=\"links-h\">The patient's link</h2>\n"
        let live = links.filter { $0.revokedAt == nil && $0.expiresAt > settings.now() }
        if live.isEmpty { h += "<p>No link open.</p>\n" }
        for l in live {
            h += "<form method=\"post\" action=\"/clinic/patients/\(id)/links/\(html(l.id.rawValue))/revoke\" class=\"inline\">\(Self.csrfField(csrf))"
                + "Link made \(html(String(Views.timestamp(l.createdAt).prefix(10)))), open until \(html(String(Views.timestamp(l.expiresAt).prefix(10)))) "
                + "<button type=\"submit\" class=\"quiet\">Revoke</button></form>\n"
        }
        h += "<form method=\"post\" action=\"/clinic/patients/\(id)/links\">\(Self.csrfField(csrf))"
            + "<p><label for=\"expires_in_days\">Open for (days)</label> <input id=\"expires_in_days\" name=\"expires_in_days\" type=\"number\" min=\"1\" max=\"\(settings.maxLinkDays)\" value=\"\(settings.defaultLinkDays)\"> "
            + "<button type=\"submit\">Make a new link</button></p></form>\n"
        h += "<p class=\"help\">The link is shown once: give it to the patient (it opens their programme and nothing else).</p>\n</section>\n"
        h += "<section id=\"record\" aria-labelledby=\"record-h\">\n<h2 id=\"record-h\">The record</h2>\n"
            + "<p><a href=\"/v1/clinic/patients/\(id)/export\">Export as JSON</a> · <a href=\"/v1/clinic/patients/\(id)/export?format=fhir\">Export as FHIR R4</a></p>\n</section>\n"
        return htmlResponse(Self.clinicDocument(title: d.reference, body: h, csrf: csrf))
    }

    // MARK: Prescribing

    static let prescriptionKeys: Set<String> = ["weeks", "days_per_week", "minutes", "lock1", "units1", "lock2", "units2", "excluded", "notes"]

    /// The prescribing form, filled from what was sent (a refused form) or the last version.
    func prescribeFormHTML(patient: Patient, values: FormValues?, last: Prescription?, csrf: String) -> String {
        func value(_ key: String, _ fallback: String) -> String { html(values?.first(key) ?? fallback) }
        let plan = last?.plan
        var h = "<h3>Prescribe</h3>\n<form method=\"post\" action=\"/clinic/patients/\(html(patient.id.rawValue))/prescriptions\" class=\"stack\">\n\(Self.csrfField(csrf))\n"
        h += "<p><label for=\"weeks\">Weeks</label> <input id=\"weeks\" name=\"weeks\" type=\"number\" min=\"1\" max=\"52\" required value=\"\(value("weeks", String(plan?.weeks ?? 6)))\"> "
            + "<label for=\"days_per_week\">sessions a week</label> <input id=\"days_per_week\" name=\"days_per_week\" type=\"number\" min=\"1\" max=\"6\" required value=\"\(value("days_per_week", String(plan?.daysPerWeek ?? 5)))\"> "
            + "<label for=\"minutes\">minutes a session</label> <input id=\"minutes\" name=\"minutes\" type=\"number\" min=\"1\" max=\"240\" required value=\"\(value("minutes", String(plan?.minutes ?? 15)))\"></p>\n"
        let usable = service.catalogue.exercises.filter { ex in
            ex.avoidIf.allSatisfy { !patient.details.conditions.contains($0) } && ex.equipment.allSatisfy { patient.details.equipment.contains($0) }
        }
        for k in 1...2 {
            let chosen = values?.first("lock\(k)") ?? (plan.map { $0.locked.count >= k ? $0.locked[k - 1].exercise : "" } ?? "")
            let units = values?.first("units\(k)") ?? (plan.map { $0.locked.count >= k ? readable($0.locked[k - 1].units) : "" } ?? "")
            h += "<p><label for=\"lock\(k)\">Lock in</label> <select id=\"lock\(k)\" name=\"lock\(k)\">\n<option value=\"\">(none)</option>\n"
            for ex in usable { h += "<option value=\"\(html(ex.id))\"\(ex.id == chosen ? " selected" : "")>\(html(ex.name)) (\(html(ex.unit)))</option>\n" }
            h += "</select> <label for=\"units\(k)\">units</label> <input id=\"units\(k)\" name=\"units\(k)\" type=\"number\" min=\"0\" step=\"any\" value=\"\(html(units))\"></p>\n"
        }
        let excluded = Set(values?.all("excluded") ?? plan?.excluded ?? [])
        h += "<details\(excluded.isEmpty ? "" : " open")><summary>Leave out (\(excluded.count))</summary>\n<ul class=\"checks cols\">\n"
        for ex in usable {
            h += "<li><input type=\"checkbox\" id=\"x-\(html(ex.id))\" name=\"excluded\" value=\"\(html(ex.id))\"\(excluded.contains(ex.id) ? " checked" : "")> <label for=\"x-\(html(ex.id))\">\(html(ex.name))</label></li>\n"
        }
        h += "</ul>\n</details>\n"
        h += "<p><label for=\"notes\">Notes for the patient's record</label><br><textarea id=\"notes\" name=\"notes\" rows=\"3\" maxlength=\"4000\">\(value("notes", plan?.notes ?? ""))</textarea></p>\n"
        h += "<p class=\"help\">Exercises unsafe with the patient's conditions, or needing equipment they lack, are not offered. Relief plans the rest exactly; you see the preview before publishing.</p>\n"
        h += "<button type=\"submit\">Preview</button>\n</form>\n"
        return h
    }

    func prescribeForm(_ request: Request, _ context: ReliefRequestContext) async throws -> Response {
        let (session, values) = try await clinicForm(request, keys: Self.prescriptionKeys)
        let patient = try await pagePatient(context, session)
        func number(_ key: String) -> Any {
            let v = (values.first(key) ?? "").trimmingCharacters(in: .whitespaces)
            return Int(v).map { $0 as Any } ?? Double(v).map { $0 as Any } ?? v
        }
        var object: [String: Any] = ["weeks": number("weeks"), "days_per_week": number("days_per_week"), "minutes": number("minutes"),
                                     "excluded": values.all("excluded"), "notes": values.first("notes") ?? ""]
        var locked: [[String: Any]] = []
        for k in 1...2 {
            guard let e = values.first("lock\(k)"), !e.isEmpty else { continue }
            locked.append(["exercise": e, "units": number("units\(k)")])
        }
        object["locked"] = locked
        do {
            let plan = try ClinicBodies.prescription(try JSONNode.parse(bytes: Array(try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]))),
                                                     catalogue: service.catalogue)
            _ = try await self.plan(plan, patient: patient, start: today())
            guard let draft = try await db({ try await self.store.saveDraft(plan, patient: patient.id, clinic: session.clinic, by: session.clinician) }) else {
                throw notFound("patient", patient.id.rawValue)
            }
            return Self.seeOther("/clinic/patients/\(patient.id.rawValue)/prescriptions/\(draft.id.rawValue)")
        } catch let e as APIFailure where e.status == .badRequest {
            let h = "<h1>\(html(patient.details.reference)): prescribe</h1>\n" + Self.problems(e)
                + prescribeFormHTML(patient: patient, values: values, last: nil, csrf: session.csrfSecret)
            return htmlResponse(Self.clinicDocument(title: "Prescribe", body: h, csrf: session.csrfSecret), status: .badRequest)
        }
    }

    /// A version's preview: what Relief plans for it (the week-1 sessions in full, every week
    /// in a line, the binding limits, what was left out and why, the locked exercises against
    /// the preview) and, for a draft, the publish button.
    func previewPage(_ request: Request, _ context: ReliefRequestContext) async throws -> Response {
        let session = try await pageSession(request)
        let patient = try await pagePatient(context, session)
        let p = try await pathPrescription(context, patient: patient, clinic: session.clinic)
        let start = p.status == .draft ? today() : p.startDay
        let programme = try await plan(p.plan, patient: patient, start: start)
        try await audit(.clinician(session.clinician), .viewPatient, patient.id, session.clinic, "prescription \(p.version) preview")
        let id = html(patient.id.rawValue)
        var h = "<p><a href=\"/clinic/patients/\(id)\">\(html(patient.details.reference))</a></p>\n"
        h += "<h1>Version \(p.version) (\(p.status.rawValue))</h1>\n"
        h += "<p>\(p.plan.weeks) weeks from \(programme.settings.start), \(p.plan.daysPerWeek) sessions a week of up to \(p.plan.minutes) minutes. \(html(programme.doseSummary)).</p>\n"
        if p.status == .draft {
            h += "<form method=\"post\" action=\"/clinic/patients/\(id)/prescriptions/\(html(p.id.rawValue))/publish\">\(Self.csrfField(session.csrfSecret))"
                + "<button type=\"submit\">Publish to the patient</button> <span class=\"help\">The patient's link then opens this programme; the log is kept.</span></form>\n"
        }
        if programme.screen.status == .redFlag || programme.weeks.isEmpty {
            h += "<section class=\"errors\" role=\"alert\"><p>Nothing is planned: the red-flag screen needs assessment first.</p></section>\n"
        }
        if !p.plan.locked.isEmpty {
            h += "<h2>Locked in</h2>\n<ul>\n"
            for l in Self.lockedInPreview(p.plan, programme) {
                let shown = l.unitsInPreview.map(readable).joined(separator: ", ")
                h += "<li>\(html(l.exercise)): prescribed \(readable(l.unitsPrescribed)), in the preview \(shown.isEmpty ? "none" : shown); "
                    + "in \(l.sessionsWith) of \(l.sessions) sessions and \(l.weeksWith) of \(l.weeks) weeks</li>\n"
            }
            h += "</ul>\n<p class=\"help\">\("Each locked exercise is kept in at least one session every week, at the units prescribed in every session that has it.")</p>\n"
        }
        h += "<h2>The weeks</h2>\n<table class=\"patients\">\n<thead><tr><th>Week</th><th>Phase</th><th>Sessions</th><th>Minutes</th><th>Limits that bind</th></tr></thead>\n<tbody>\n"
        for w in programme.weeks {
            h += "<tr><td data-label=\"Week\">\(w.number)</td><td data-label=\"Phase\">\(w.phase.rawValue)</td><td data-label=\"Sessions\">\(w.sessionCount)</td>"
                + "<td data-label=\"Minutes\">\(readable((w.totalSeconds / 60).rounded()))</td><td data-label=\"Limits that bind\">\(html(w.binding.joined(separator: "; ")))</td></tr>\n"
        }
        h += "</tbody>\n</table>\n"
        if let first = programme.weeks.first?.days.first(where: \.isSessionDay) {
            h += Self.sessionTable(first.session, caption: "The first session (\(first.date.weekdayName) \(first.date))")
        }
        let left = programme.excluded.filter(\.shown)
        if !left.isEmpty {
            h += "<h2>Left out</h2>\n<ul>\n" + left.map { "<li>\(html($0.name)): \(html($0.reasons.joined(separator: "; ")))</li>" }.joined(separator: "\n") + "\n</ul>\n"
        }
        return htmlResponse(Self.clinicDocument(title: "Version \(p.version)", body: h, csrf: session.csrfSecret))
    }

    func publishForm(_ request: Request, _ context: ReliefRequestContext) async throws -> Response {
        let (session, _) = try await clinicForm(request, keys: [])
        let patient = try await pagePatient(context, session)
        let found = try await pathPrescription(context, patient: patient, clinic: session.clinic)
        guard try await db({ try await self.store.publish(prescription: found.id, clinic: session.clinic, by: session.clinician) }) != nil else {
            throw notFound("prescription", found.id.rawValue)
        }
        return Self.seeOther("/clinic/patients/\(patient.id.rawValue)#programme")
    }

    // MARK: Links and alerts

    func linkForm(_ request: Request, _ context: ReliefRequestContext) async throws -> Response {
        let (session, values) = try await clinicForm(request, keys: ["expires_in_days"])
        let patient = try await pagePatient(context, session)
        let given = (values.first("expires_in_days") ?? "").trimmingCharacters(in: .whitespaces)
        let object: [String: Any] = given.isEmpty ? [:] : ["expires_in_days": Int(given).map { $0 as Any } ?? given]
        let days = try ClinicBodies.linkDays(try JSONNode.parse(bytes: Array(try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]))),
                                             settings: settings)
        let expires = settings.now().addingTimeInterval(Double(days) * 86_400)
        guard let issued = try await db({ try await self.store.createLink(patient: patient.id, clinic: session.clinic, by: session.clinician, expiresAt: expires) }) else {
            throw notFound("patient", patient.id.rawValue)
        }
        let scheme = settings.secureCookies ? "https" : "http"
        let base = settings.publicURL.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 } ?? "\(scheme)://\(request.head.authority ?? "this-server")"
        let url = "\(base)/p/\(issued.token)"
        let notice = "<section class=\"saved\" role=\"status\" id=\"new-link\">\n<h2>The patient's new link</h2>\n"
            + "<p class=\"link\"><a href=\"/p/\(html(issued.token))\">\(html(url))</a></p>\n"
            + "<p>Open until \(html(String(Views.timestamp(issued.record.expiresAt).prefix(10)))). It is shown only now: copy it for the patient. Anyone with it sees this patient's programme, so give it to them alone.</p>\n</section>\n"
        return try await patientPageHTML(request, context, notice: notice)
    }

    func revokeForm(_ request: Request, _ context: ReliefRequestContext) async throws -> Response {
        let (session, _) = try await clinicForm(request, keys: [])
        let patient = try await pagePatient(context, session)
        let raw = context.parameters.get("lid") ?? ""
        let links = try await db { try await self.store.links(patient: patient.id, clinic: session.clinic) }
        guard (1...64).contains(raw.count), let link = links.first(where: { $0.id.rawValue == raw }),
              try await db({ try await self.store.revokeLink(id: link.id, clinic: session.clinic, by: session.clinician) }) else {
            throw notFound("link", String(raw.prefix(64)))
        }
        return Self.seeOther("/clinic/patients/\(patient.id.rawValue)#links")
    }

    func acknowledgeForm(_ request: Request, _ context: ReliefRequestContext) async throws -> Response {
        let (session, values) = try await clinicForm(request, keys: ["note"])
        let patient = try await pagePatient(context, session)
        let raw = context.parameters.get("aid") ?? ""
        let note = values.first("note") ?? ""
        guard note.count <= 2_000 else {
            throw APIFailure(problems: [RequestProblem(field: "note", value: "\(note.count) characters", expected: "at most 2000 characters")])
        }
        // The alert must be this patient's: an id from another patient's page is not found here.
        let alerts = try await db { try await self.store.alerts(patient: patient.id, clinic: session.clinic) }
        guard (1...64).contains(raw.count), let alert = alerts.first(where: { $0.id.rawValue == raw }),
              try await db({ try await self.store.acknowledgeAlert(id: alert.id, clinic: session.clinic, by: session.clinician, note: note) }) != nil else {
            throw notFound("alert", String(raw.prefix(64)))
        }
        return Self.seeOther("/clinic/patients/\(patient.id.rawValue)#alerts")
    }
}

/// A form's fields in the order sent, every value of each key.
struct FormValues: Sendable {
    let pairs: [(String, String)]
    init(_ pairs: [(String, String)]) { self.pairs = pairs }
    func first(_ key: String) -> String? { pairs.first { $0.0 == key }?.1 }
    func all(_ key: String) -> [String] { pairs.filter { $0.0 == key }.map(\.1) }
}

/// The clinician's pages' own styles, after the service page's.
let clinicStyle = """
.clinic-nav{display:flex;justify-content:space-between;align-items:center;gap:1rem;border-bottom:1px solid #bbb;padding:.5rem 0;flex-wrap:wrap}
.clinic-nav nav a{margin-right:1rem;font-weight:bold}
.clinic-nav form{margin:0}
button.quiet{background:#e8eef4;color:#0b4f8a;padding:.3rem .8rem;font-size:.95rem}
input[type=text],input[type=email],input[type=password],textarea,select{font-size:1rem;padding:.35rem;border:1px solid #555;border-radius:4px;max-width:100%;box-sizing:border-box}
input[type=text],input[type=email],input[type=password],textarea{width:24rem}
select{max-width:min(24rem,100%)}
table.patients{border-collapse:collapse;width:100%;margin:.6rem 0}
.patients th,.patients td{border-bottom:1px solid #bbb;padding:.4rem;text-align:left;vertical-align:top}
.patients tr.attention td:first-child{border-left:4px solid #b00020}
ul.alerts{list-style:none;margin:0;padding:0}
.badge{display:inline-block;border-radius:3px;padding:0 .35rem;font-size:.9rem}
.badge.urgent{background:#b00020;color:#fff}
.badge.high{background:#a34700;color:#fff}
.badge.watch{background:#fff4e0;color:#5c3d00;border:1px solid #a34700}
.alert-card{border:1px solid #bbb;border-radius:6px;padding:.2rem .8rem;margin:.5rem 0}
.saved{background:#e6f4ea;border-left:4px solid #1e7b34;padding:.3rem 1rem;margin:1rem 0}
.link{word-break:break-all;font-family:monospace}
form.inline{margin:.3rem 0}
@media (max-width:40rem){.patients thead{display:none}.patients tr{display:block;border-bottom:1px solid #bbb;padding:.4rem 0}.patients td{display:block;border:0;padding:.1rem 0}.patients td[data-label]::before{content:attr(data-label) ": ";font-weight:bold}}
"""
