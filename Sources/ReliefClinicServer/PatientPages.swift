import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Relief
import ReliefClinic
import ReliefFormats
import ReliefServer

/// The patient's own pages, HTML that needs no JavaScript: `/p/{token}` (today's session, the
/// week ahead, the log form), `POST /p/{token}/log` (the form's post) and
/// `/p/{token}/guided?step=N` (one exercise at a time). They use the service page's stylesheet
/// (`/page.css`) and its Content-Security-Policy (no inline script or style).
///
/// The link's token is the credential, as for `/v1/patient/{token}`: unknown, expired and
/// revoked are one 404 page. The log form is a simple form post, which a page on another site
/// could make a browser send; it is refused (403) when the browser says it came from elsewhere:
/// `Sec-Fetch-Site` other than `same-origin` or `none`, or an `Origin` that is not this server
/// (`null` included). A request with neither header (an old browser, a script holding the
/// link) is taken: the attacker would need the token itself, which is the credential.
extension ClinicRoutes {
    static let secFetchSite = HTTPField.Name("Sec-Fetch-Site")!
    static let originHeader = HTTPField.Name("Origin")!

    func addPatientPages(to router: Router<ReliefRequestContext>) {
        router.get("/p/{token}") { _, context in await self.page(context) { try await self.patientHome(context, notice: nil) } }
        router.post("/p/{token}/log") { request, context in await self.page(context) { try await self.patientFormLog(request, context) } }
        router.post("/p/{token}/outcomes") { request, context in await self.page(context) { try await self.patientFormOutcome(request, context) } }
        router.get("/p/{token}/guided") { request, context in await self.page(context) { try await self.guided(request, context) } }
        router.get("/p/{token}/week/{n}") { _, context in await self.page(context) { try await self.weekHandout(context) } }
        router.get("/p/{token}/calendar.ics") { _, context in await self.page(context) { try await self.calendar(context) } }
        router.get("/guided.js") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/javascript; charset=utf-8", .cacheControl: "public, max-age=300"],
                     body: .init(byteBuffer: ByteBuffer(string: guidedScript)))
        }
    }

    /// Any refusal as a page of its own with the refusal's status (never JSON to a browser).
    func page(_ context: ReliefRequestContext, _ work: () async throws -> Response) async -> Response {
        var response = await pageOrRefusal(context, work)
        // A patient's page is theirs alone: never kept by a shared computer's cache.
        if response.headers[.cacheControl] == nil { response.headers[.cacheControl] = "no-store" }
        return response
    }

    func pageOrRefusal(_ context: ReliefRequestContext, _ work: () async throws -> Response) async -> Response {
        do {
            return try await work()
        } catch let e as APIFailure {
            let title = e.status == .notFound ? "This link does not open a programme" : "Something is wrong"
            let text = e.status == .notFound ? "The link is unknown, expired or revoked. Ask your clinic for a new one." : e.message
            return htmlResponse(Self.document(title: title, body: "<h1>\(html(title))</h1>\n<p>\(html(text))</p>\n"), status: e.status)
        } catch let e as StoreFailure {
            context.logger.error("the clinic's store failed on a patient page: \(e.reason)")
            return htmlResponse(Self.document(title: "Try again later", body: "<h1>Try again later</h1>\n<p>The clinic's records could not be read just now.</p>\n"),
                                status: .internalServerError)
        } catch {
            context.logger.error("a patient page failed: \(error)")
            return htmlResponse(Self.document(title: "Try again later", body: "<h1>Try again later</h1>\n<p>The page could not be made just now.</p>\n"),
                                status: .internalServerError)
        }
    }

    /// A page of the clinic's (the patient's and, with `head` and `header`, the clinician's):
    /// the service's stylesheet, no referrer, the disclaimer, and at most one same-origin script.
    static func document(title: String, body: String, script: String? = nil, head: String = "", header: String = "") -> String {
        """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="referrer" content="no-referrer">
        <title>\(html(title))</title>
        <link rel="stylesheet" href="/page.css">
        \(head)</head>
        <body>
        \(header)<main>
        \(body)</main>
        <footer><p>\(html(medicalDisclaimer))</p></footer>
        \(script.map { "<script src=\"\($0)\" defer></script>\n" } ?? "")</body>
        </html>

        """
    }

    /// Today's session and the programme, or nil when nothing is published yet; `record`, when
    /// the caller has read it already.
    func patientProgramme(_ link: PatientLink, _ patient: Patient, record: FollowedRecord? = nil) async throws -> (Prescription, Programme)? {
        guard let published = try await db({ try await self.store.publishedPrescription(patient: patient.id, clinic: link.clinic) }) else { return nil }
        let followed: FollowedRecord
        if let record { followed = record } else { followed = try await followedRecord(patient, clinic: link.clinic) }
        return (published, try await publishedProgramme(published, patient: patient, record: followed))
    }

    func patientHome(_ context: ReliefRequestContext, notice: String?) async throws -> Response {
        let (link, patient) = try await linkedPatient(context)
        let today = self.today()
        let token = context.parameters.get("token") ?? ""
        // The log and clearances read once, for the programme and for its pause.
        let record = try await followedRecord(patient, clinic: link.clinic)
        let programme = try await patientProgramme(link, patient, record: record)?.1
        // A symptom that stops the sessions stays at the top until a clinician clears the
        // patient, and its advice is to stop the exercises until assessed: the programme plans
        // no session from its day (``ClinicProgrammeLog``), with or without a programme yet.
        let pause = ClinicProgrammeLog.openPause(logs: record.logs, clearances: record.clearances, patient: patient.details)
        try await audit(.patientLink(link.id), .viewPatient, patient.id, link.clinic, "patient page")
        var h = "<h1>Your programme</h1>\n"
        if let notice { h += notice }
        if notice == nil, let pause { h += Self.advice(pause) }
        guard let programme else {
            h += "<p>Your clinic has not published a programme for you yet. You can still log how you are below.</p>\n"
            h += logForm(token: token, today: today, patient: patient)
            h += try await progress(token: token, patient: patient, clinic: link.clinic)
            return htmlResponse(Self.document(title: "Your programme", body: h))
        }
        let days = programme.weeks.flatMap(\.days)
        h += "<section id=\"today\" aria-labelledby=\"today-h\">\n<h2 id=\"today-h\">Today, \(today.weekdayName) \(today)</h2>\n"
        if let pause {
            h += "<p>Your sessions are paused: you noted \(html(pause.symptoms.map(\.plainWords).joined(separator: "; "))) on or after \(pause.from). "
                + "Follow the advice above; your clinic has been alerted and will tell you when to start again.</p>\n"
        } else if let day = days.first(where: { $0.date == today }), day.paused {
            h += "<p>No session today: your sessions start again tomorrow, gently.</p>\n"
        } else if let day = days.first(where: { $0.date == today }), day.isSessionDay {
            h += "<p><a href=\"/p/\(html(token))/guided?step=1\">Start the guided session</a>: one exercise at a time.</p>\n"
            h += Self.sessionTable(day.session, caption: "Today's session")
            if day.walkMinutes > 0 { h += "<p>And a walk of \(readable(day.walkMinutes.rounded())) minutes.</p>\n" }
        } else if let day = days.first(where: { $0.date == today }) {
            h += "<p>No session today: a rest day.\(day.walkMinutes > 0 ? " A walk of \(readable(day.walkMinutes.rounded())) minutes." : "")</p>\n"
        } else if today < programme.settings.start {
            h += "<p>Your programme starts on \(programme.settings.start.weekdayName) \(programme.settings.start).</p>\n"
        } else {
            h += "<p>Your programme ended on \(programme.settings.end). Ask your clinic what comes next.</p>\n"
        }
        h += "</section>\n"
        let ahead = days.filter { $0.date > today && $0.date.ordinal <= today.ordinal + 7 }
        if !ahead.isEmpty {
            h += "<section id=\"week\" aria-labelledby=\"week-h\">\n<h2 id=\"week-h\">The week ahead</h2>\n<ul>\n"
            for d in ahead {
                let what = d.isSessionDay ? d.session.map { "\($0.name) (\($0.dose))" }.joined(separator: ", ") : d.paused ? "paused until your clinic says you can start again" : "rest"
                let walk = d.walkMinutes > 0 ? "; walk \(readable(d.walkMinutes.rounded())) min" : ""
                h += "<li><strong>\(d.date.weekdayName) \(d.date)</strong>: \(html(what + walk))</li>\n"
            }
            h += "</ul>\n</section>\n"
        }
        h += logForm(token: token, today: today, patient: patient)
        h += Self.printAndCalendar(token: token, programme: programme, today: today)
        h += try await progress(token: token, patient: patient, clinic: link.clinic)
        return htmlResponse(Self.document(title: "Your programme", body: h))
    }

    /// Links to each week's printable page (this week's first) and the calendar file.
    static func printAndCalendar(token: String, programme: Programme, today: CalendarDate) -> String {
        let t = html(token)
        var h = "<section id=\"print\" aria-labelledby=\"print-h\">\n<h2 id=\"print-h\">To print, and for your calendar</h2>\n<ul>\n"
        for w in programme.weeks {
            let first = programme.settings.start.adding(days: 7 * (w.number - 1))
            let now = first <= today && today <= first.adding(days: 6)
            h += "<li><a href=\"/p/\(t)/week/\(w.number)\">Week \(w.number)\(now ? " (this week)" : "")</a>: \(first) to \(first.adding(days: 6))</li>\n"
        }
        h += "</ul>\n<p><a href=\"/p/\(t)/calendar.ics\">Add the sessions to your calendar</a> (an .ics file, with a reminder 10 minutes before each).</p>\n</section>\n"
        return h
    }

    /// `GET /p/{token}/week/{n}`: week n's handout (its calendar, every exercise with its dose,
    /// stop cues and cautions, when to stop) as a page that prints on A4.
    func weekHandout(_ context: ReliefRequestContext) async throws -> Response {
        let (link, patient) = try await linkedPatient(context)
        let token = context.parameters.get("token") ?? ""
        guard let programme = try await patientProgramme(link, patient)?.1 else {
            return htmlResponse(Self.document(title: "No programme yet", body: "<h1>No programme yet</h1>\n<p>Your clinic has not published a programme for you yet.</p>\n"), status: .notFound)
        }
        let given = context.parameters.get("n") ?? ""
        guard let n = Int(given), programme.weeks.contains(where: { $0.number == n }) else {
            throw APIFailure(status: .notFound, message: "your programme has weeks 1 to \(programme.weeks.count); there is no week \"\(given.prefix(20))\"", retryAfter: nil)
        }
        try await audit(.patientLink(link.id), .viewPatient, patient.id, link.clinic, "handout week \(n)")
        let body = "<p class=\"no-print\"><a href=\"/p/\(html(token))\">Your programme</a> · <button type=\"button\" data-print>Print this page</button></p>\n"
            + "<article class=\"handout\">\n" + HandoutHTML.render(programme.handout(week: n)) + "</article>\n"
        return htmlResponse(Self.document(title: "Week \(n)", body: body, script: "/page.js"))
    }

    /// `GET /p/{token}/calendar.ics`: the published programme's sessions as iCalendar.
    func calendar(_ context: ReliefRequestContext) async throws -> Response {
        let (link, patient) = try await linkedPatient(context)
        guard let programme = try await patientProgramme(link, patient)?.1 else { throw linkNotFound }
        try await audit(.patientLink(link.id), .viewPatient, patient.id, link.clinic, "calendar")
        return Response(status: .ok, headers: [.contentType: "text/calendar; charset=utf-8", .cacheControl: "no-store",
                                               .contentDisposition: "attachment; filename=\"relief-programme.ics\""],
                        body: .init(byteBuffer: ByteBuffer(string: programme.iCalendar())))
    }

    /// "How you are doing": each measure's latest verdict against the first answer, in words,
    /// and the form for the questions a person answers alone (pain, their own activities, the
    /// impression of change; the Roland-Morris, Oswestry and STarT Back forms are the clinic's).
    func progress(token: String, patient: Patient, clinic: Clinic.ID) async throws -> String {
        let (stored, settings) = try await storedOutcomes(patient, clinic: clinic)
        let scored = ProgrammeOutcomes(entries: PatientOutcome.logEntries(stored), settings: settings)
        var h = "<section id=\"progress\" aria-labelledby=\"progress-h\">\n<h2 id=\"progress-h\">How you are doing</h2>\n"
        if scored.latest.isEmpty {
            h += "<p>Answer these now and every few weeks: your physiotherapist sees whether things are getting better.</p>\n"
        } else {
            h += "<ul>\n" + scored.latest.map { "<li>\(html($0.shown))</li>" }.joined(separator: "\n") + "\n</ul>\n"
        }
        if let chart = OutcomeCharts.patient(scored) {
            h += "<figure class=\"chart\">\n\(chart)<figcaption>Each dot is one of your answers; the dashed line is where you started, "
                + "and the shaded band is where a change is big enough to matter (the minimal important change).</figcaption>\n</figure>\n"
        }
        h += "<form method=\"post\" action=\"/p/\(html(token))/outcomes\">\n"
        h += "<p><label for=\"nprs\">Your back pain now, 0 (none) to 10 (worst imaginable)</label><br><input id=\"nprs\" name=\"nprs\" type=\"number\" inputmode=\"numeric\" min=\"0\" max=\"10\" step=\"1\"></p>\n"
        h += "<fieldset>\n<legend>Up to three activities your back makes hard, and how well you can do each now, 0 (unable) to 10 (as before)</legend>\n"
        for k in 1...3 {
            h += "<p><label for=\"activity\(k)\">Activity \(k)</label><br><input id=\"activity\(k)\" name=\"activity\(k)\" type=\"text\" maxlength=\"60\">"
                + " <label for=\"score\(k)\">score</label> <input id=\"score\(k)\" name=\"score\(k)\" type=\"number\" inputmode=\"numeric\" min=\"0\" max=\"10\" step=\"1\"></p>\n"
        }
        h += "</fieldset>\n"
        h += "<p><label for=\"pgic\">Since you started, your back is</label><br><select id=\"pgic\" name=\"pgic\">\n<option value=\"\">(not now: asked from week 4)</option>\n"
        for a in PGICAnswer.allCases { h += "<option value=\"\(a.key)\">\(html(a.words.prefix(1).uppercased() + a.words.dropFirst()))</option>\n" }
        h += "</select></p>\n<button type=\"submit\">Save my answers</button>\n</form>\n</section>\n"
        return h
    }

    /// A symptom's tier and what to do, in the handouts' words (``Programme/symptomAdvice(_:)``).
    /// The advice for a pause still open, at the top of the patient's page.
    static func advice(_ pause: ClinicProgrammeLog.OpenPause) -> String {
        let tier = pause.finding.urgency
        return "<section class=\"errors\" role=\"alert\" id=\"advice\">\n<h2>\(html(tier.words.prefix(1).uppercased() + tier.words.dropFirst()))</h2>\n"
            + "<p><strong>\(html(Programme.symptomAdvice(tier))).</strong> You noted \(html(pause.symptoms.map(\.plainWords).joined(separator: "; "))) on or after \(pause.from). "
            + "Your sessions are paused until your clinic tells you that you can exercise again.</p>\n</section>\n"
    }

    static func advice(_ s: LoggedSymptom, day: CalendarDate) -> String {
        let cls = s.tier == .routine ? "warn" : "errors"
        return "<section class=\"\(cls)\" role=\"alert\" id=\"advice\">\n<h2>\(html(s.tier.words.prefix(1).uppercased() + s.tier.words.dropFirst()))</h2>\n"
            + "<p><strong>\(html(Programme.symptomAdvice(s.tier))).</strong> You noted \(html(s.symptom.plainWords)) on \(day).</p>\n</section>\n"
    }

    static func sessionTable(_ session: [PlannedExercise], caption: String) -> String {
        // Two columns: the stylesheet keeps the service table's first, third and fourth columns
        // on one line, which a long dose would push off a phone's screen.
        var h = "<table class=\"routine\">\n<caption>\(html(caption))</caption>\n<thead><tr><th>Exercise</th><th>Amount and how</th></tr></thead>\n<tbody>\n"
        for e in session {
            h += "<tr><td>\(html(e.name))</td><td><p><strong>\(html(e.dose))</strong></p><p>\(html(e.instructions))</p>"
            if !e.stopIf.isEmpty { h += "<p class=\"stop\"><strong>Stop if</strong> \(html(e.stopIf))</p>" }
            for c in e.cautions { h += "<p class=\"caution\">\(html(c.cue))</p>" }
            h += "</td></tr>\n"
        }
        return h + "</tbody>\n</table>\n"
    }

    /// The symptoms a patient can log: the screen's, as the service's page lists them.
    static var formSymptoms: [LogEntry.Symptom] { LogEntry.Symptom.allCases.filter { $0 != .weakness } }

    func logForm(token: String, today: CalendarDate, patient: Patient) -> String {
        var h = "<section id=\"log\" aria-labelledby=\"log-h\">\n<h2 id=\"log-h\">Log today (\(today))</h2>\n"
        h += "<form method=\"post\" action=\"/p/\(html(token))/log\">\n"
        h += "<p><input type=\"checkbox\" id=\"done\" name=\"done\" value=\"yes\"> <label for=\"done\">I did today's session</label></p>\n"
        h += "<p><label for=\"pain\">Pain now, 0 (none) to 10 (worst)</label><br><input id=\"pain\" name=\"pain\" type=\"number\" inputmode=\"numeric\" min=\"0\" max=\"10\" step=\"1\"></p>\n"
        h += "<p><label for=\"effort\">How hard it felt, 0 (easy) to 10 (hardest)</label><br><input id=\"effort\" name=\"effort\" type=\"number\" inputmode=\"numeric\" min=\"0\" max=\"10\" step=\"1\"></p>\n"
        h += "<p><label for=\"symptom\">Have you noticed any of these?</label><br><select id=\"symptom\" name=\"symptom\">\n<option value=\"\">None of these</option>\n"
        // The short words, as the service's page lists them: a select is as wide as its longest option.
        for s in Self.formSymptoms { h += "<option value=\"\(s.rawValue)\">\(html(s.words.prefix(1).uppercased() + s.words.dropFirst()))</option>\n" }
        h += "</select></p>\n<button type=\"submit\">Save</button>\n</form>\n</section>\n"
        return h
    }

    /// Why a form post is refused as cross-site, or nil (see the extension's comment).
    func crossSite(_ request: Request) -> String? {
        // A browser that sends Sec-Fetch-Site is judged by it alone (a page's script cannot set
        // it): with the pages' `Referrer-Policy: no-referrer`, Chromium sends `Origin: null` on
        // a same-origin form post, which the Origin rule below would refuse.
        if let site = request.headers[Self.secFetchSite]?.lowercased() {
            guard site == "same-origin" || site == "none" else {
                return "the form was sent from another site (Sec-Fetch-Site: \(site)); open the page and send it from there"
            }
            return nil
        }
        if let origin = request.headers[Self.originHeader] {
            let authority = request.head.authority?.lowercased() ?? ""
            let given = origin.lowercased()
            guard let sep = given.range(of: "://"), String(given[sep.upperBound...]) == authority else {
                return "the form was sent from another site (Origin: \(origin.prefix(100))); open your link and send it from there"
            }
        }
        return nil
    }

    /// A form post's fields among `keys` (the first of each), after the cross-site and
    /// content-type checks.
    func formFields(_ request: Request, keys: Set<String>) async throws -> [String: String] {
        var fields: [String: String] = [:]
        for (key, value) in try await formPairs(request) where keys.contains(key) && fields[key] == nil { fields[key] = value }
        return fields
    }

    /// Every field of a form post in the order sent (a key may repeat: checkboxes), after the
    /// cross-site and content-type checks; at most 16 KiB.
    func formPairs(_ request: Request) async throws -> [(String, String)] {
        if let refusal = crossSite(request) { throw APIFailure(status: .forbidden, message: refusal, retryAfter: nil) }
        let type = (request.headers[.contentType] ?? "").split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        guard type == "application/x-www-form-urlencoded" else {
            throw APIFailure(status: .unsupportedMediaType, message: "the form is sent as application/x-www-form-urlencoded", retryAfter: nil)
        }
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: Self.formLimit)
        } catch is NIOTooManyBytesError {
            throw APIFailure(status: .contentTooLarge, message: "a form is at most \(Self.formLimit / 1024) KiB", retryAfter: nil)
        }
        return Self.parseForm(String(buffer: buffer))
    }

    /// The largest form body read (a page's forms are a few hundred bytes).
    static let formLimit = 16 * 1024

    /// `application/x-www-form-urlencoded` pairs in order: `a=1&b` is ("a", "1"), ("b", ""); a
    /// pair of only `=` is the empty key (never a crash: a session's form post once trapped on it).
    static func parseForm(_ text: String) -> [(String, String)] {
        text.split(separator: "&").map { pair in
            let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return (formDecode(String(kv[0])), kv.count == 2 ? formDecode(String(kv[1])) : "")
        }
    }

    /// The page again with a form's problems on top, status 400: nothing was saved.
    func refusedForm(_ e: APIFailure, _ context: ReliefRequestContext) async throws -> Response {
        let list = e.problems.map { "<li>\(html($0.description))</li>" }.joined(separator: "\n")
        let notice = "<section class=\"errors\" role=\"alert\">\n<h2>Nothing was saved</h2>\n<ul>\n\(list)\n</ul>\n</section>\n"
        var page = try await patientHome(context, notice: notice)
        page.status = .badRequest
        return page
    }

    /// `POST /p/{token}/outcomes`: the "How you are doing" form, read through the JSON route's
    /// checks (``ClinicBodies/outcome(_:today:)``), stored, and the page again with the verdicts.
    func patientFormOutcome(_ request: Request, _ context: ReliefRequestContext) async throws -> Response {
        let (link, patient) = try await linkedPatient(context)
        let fields = try await formFields(request, keys: ["nprs", "pgic", "activity1", "score1", "activity2", "score2", "activity3", "score3"])
        func given(_ key: String) -> String? { fields[key].map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 } }
        var object: [String: Any] = [:]
        if let v = given("nprs") { object["nprs"] = Int(v).map { $0 as Any } ?? v }
        if let v = given("pgic") { object["pgic"] = v }
        var activities: [[String: Any]] = []
        for k in 1...3 {
            let name = given("activity\(k)"), score = given("score\(k)")
            guard name != nil || score != nil else { continue }
            activities.append(["activity": name ?? "", "score": score.flatMap { Int($0) }.map { $0 as Any } ?? (score ?? "") as Any])
        }
        if !activities.isEmpty { object["psfs"] = activities }
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        let (day, fact): (CalendarDate, OutcomeFact)
        do {
            (day, fact) = try ClinicBodies.outcome(try JSONNode.parse(bytes: Array(data)), today: today())
        } catch let e as APIFailure where e.status == .badRequest {
            return try await refusedForm(e, context)
        }
        guard try await db({ try await self.store.appendOutcome(fact, day: day, patient: patient.id, clinic: link.clinic) }) != nil else { throw linkNotFound }
        try await audit(.patientLink(link.id), .appendOutcome, patient.id, link.clinic, "form")
        var saved: [String] = []
        if case .measures(let a) = fact, let scores = try? a.scores() { saved = scores.map(\.shown) }
        let notice = "<p class=\"saved\" role=\"status\">Saved for \(day): \(html(saved.joined(separator: ", "))). Thank you.</p>\n"
        return try await patientHome(context, notice: notice)
    }

    /// `POST /p/{token}/log`: the form, read through the JSON route's own checks
    /// (``ClinicBodies/log(_:patient:today:)``), stored, and the page again with what was saved
    /// and, for a symptom, its tier's advice at the top.
    func patientFormLog(_ request: Request, _ context: ReliefRequestContext) async throws -> Response {
        let (link, patient) = try await linkedPatient(context)
        let fields = try await formFields(request, keys: ["done", "pain", "effort", "symptom"])
        var object: [String: Any] = ["done": fields["done"] == "yes"]
        for key in ["pain", "effort"] {
            if let v = fields[key]?.trimmingCharacters(in: .whitespaces), !v.isEmpty { object[key] = Int(v).map { $0 as Any } ?? v }
        }
        if let s = fields["symptom"], !s.isEmpty { object["symptom"] = s }
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        let draft: LogDraft
        do {
            draft = try ClinicBodies.log(try JSONNode.parse(bytes: Array(data)), patient: patient, today: today())
        } catch let e as APIFailure where e.status == .badRequest {
            return try await refusedForm(e, context)
        }
        let line = (actor: Actor.patientLink(link.id), detail: draft.symptom.map { "symptom \($0.symptom.rawValue) (form)" } ?? "form")
        guard let entry = try await db({ try await self.store.appendLog(draft, patient: patient.id, clinic: link.clinic, audit: line) }) else { throw linkNotFound }
        await sweepAfterLog(patient, clinic: link.clinic, context)
        var notice = entry.entry.symptom.map { Self.advice($0, day: entry.entry.day) } ?? ""
        var saved: [String] = [entry.entry.sessionDone ? "session done" : "session not done"]
        if let p = entry.entry.pain { saved.append("pain \(p)") }
        if let e = entry.entry.effort { saved.append("effort \(e)") }
        notice += "<p class=\"saved\" role=\"status\">Saved for \(entry.entry.day): \(html(saved.joined(separator: ", "))). Thank you.</p>\n"
        return try await patientHome(context, notice: notice)
    }

    /// The exercise's timed steps as a list a person can follow without JavaScript, and the
    /// countdown `/guided.js` runs over them (each step's seconds, and a set's repetitions,
    /// movement and hold, in `data-` attributes).
    static func timeline(_ steps: [GuidedStep]) -> String {
        guard !steps.isEmpty else { return "" }
        var h = "<section id=\"timer\" aria-labelledby=\"timer-h\">\n<h2 id=\"timer-h\">Timing</h2>\n<ol class=\"timeline\">\n"
        for st in steps {
            let secs = readable(st.seconds.rounded())
            h += "<li data-kind=\"\(st.kind.rawValue)\" data-seconds=\"\(secs)\" data-reps=\"\(st.reps)\" data-move=\"\(readable(st.move))\" data-hold=\"\(readable(st.hold))\">"
                + "\(html(st.label)) (\(secs) s)</li>\n"
        }
        h += "</ol>\n<div id=\"countdown\" hidden>\n<p class=\"now\" aria-live=\"polite\"></p>\n<p class=\"clock\" aria-hidden=\"true\"></p>\n"
        h += "<p><button type=\"button\" id=\"countdown-start\">Start the timer</button> <button type=\"button\" id=\"countdown-pause\" class=\"quiet\" disabled>Pause</button></p>\n</div>\n</section>\n"
        return h
    }

    /// `GET /p/{token}/guided?step=N`: today's exercise N (from 1), its instructions, stop cue
    /// and cautions, with links to the one before and after.
    func guided(_ request: Request, _ context: ReliefRequestContext) async throws -> Response {
        let (link, patient) = try await linkedPatient(context)
        let token = context.parameters.get("token") ?? ""
        let today = self.today()
        let session = try await patientProgramme(link, patient)?.1.weeks.flatMap(\.days).first { $0.date == today }?.session ?? []
        guard !session.isEmpty else {
            return htmlResponse(Self.document(title: "No session today", body: "<h1>No session today</h1>\n<p><a href=\"/p/\(html(token))\">Back to your programme</a></p>\n"))
        }
        let given = request.uri.queryParameters.get("step") ?? "1"
        guard let step = Int(given), (1...session.count).contains(step) else {
            throw APIFailure(status: .badRequest, message: "step must be a whole number from 1 to \(session.count) (today's exercises), got \"\(given.prefix(20))\"",
                             retryAfter: nil)
        }
        let e = session[step - 1]
        var h = "<p><a href=\"/p/\(html(token))\">Your programme</a></p>\n"
        h += "<h1>Exercise \(step) of \(session.count): \(html(e.name))</h1>\n"
        h += "<p class=\"dose\"><strong>\(html(e.dose))</strong>\(e.restSeconds > 0 ? "; rest \(readable(e.restSeconds.rounded())) s between" : "")</p>\n"
        h += "<p>\(html(e.instructions))</p>\n"
        if !e.stopIf.isEmpty { h += "<p class=\"stop\"><strong>Stop if</strong> \(html(e.stopIf))</p>\n" }
        for c in e.cautions { h += "<p class=\"caution\">\(html(c.cue))</p>\n" }
        h += Self.timeline(GuidedTimeline.steps(e, service.catalogue.exerciseIndex(e.id).map { service.catalogue.exercises[$0] }))
        h += "<nav aria-label=\"Steps\"><p>"
        if step > 1 { h += "<a href=\"/p/\(html(token))/guided?step=\(step - 1)\" rel=\"prev\">Previous: \(html(session[step - 2].name))</a> " }
        if step < session.count {
            h += "<a href=\"/p/\(html(token))/guided?step=\(step + 1)\" rel=\"next\">Next: \(html(session[step].name))</a>"
        } else {
            h += "<a href=\"/p/\(html(token))#log\">Done: log your session</a>"
        }
        h += "</p></nav>\n"
        try await audit(.patientLink(link.id), .viewPatient, patient.id, link.clinic, "guided step \(step)")
        return htmlResponse(Self.document(title: "Exercise \(step) of \(session.count)", body: h, script: "/guided.js"))
    }
}

/// The guided session's countdown: each step of the timing list in turn (a set's repetitions
/// as movement then hold), the seconds left in large type, the current step marked, a short
/// vibration where the phone has one at each change; Pause and resume. Without JavaScript the
/// list is still there to follow by the clock.
let guidedScript = """
(function(){
var box=document.getElementById('countdown');var list=document.querySelector('.timeline');
if(!box||!list)return;
var items=[].slice.call(list.querySelectorAll('li'));var phases=[];
items.forEach(function(li,i){
var reps=+li.dataset.reps,move=+li.dataset.move,hold=+li.dataset.hold,secs=+li.dataset.seconds,label=li.textContent.replace(/ \\(\\d+ s\\)$/,'');
if(li.dataset.kind==='work'&&reps>1||li.dataset.kind==='work'&&hold>0&&move>0){
for(var r=1;r<=reps;r++){
if(move>0)phases.push({item:i,text:label+' \\u2014 '+(hold>0?'move into it':'rep '+r+' of '+reps),secs:move});
if(hold>0)phases.push({item:i,text:label+' \\u2014 hold '+r+' of '+reps,secs:hold});}
}else if(secs>0){phases.push({item:i,text:label,secs:secs});}
});
if(!phases.length)return;
box.hidden=false;
var now=box.querySelector('.now'),clock=box.querySelector('.clock'),start=document.getElementById('countdown-start'),pause=document.getElementById('countdown-pause');
var k=0,left=phases[0].secs,timer=null,last=0;
function show(){items.forEach(function(li,i){li.classList.toggle('current',i===phases[Math.min(k,phases.length-1)].item);});
clock.textContent=Math.ceil(left)+' s';}
function next(){k++;if(navigator.vibrate)navigator.vibrate(150);
if(k>=phases.length){stop();now.textContent='Done. Go on to the next exercise.';clock.textContent='';start.textContent='Start again';k=0;left=phases[0].secs;var n=document.querySelector('a[rel=next]')||document.querySelector('nav a:last-child');if(n)n.focus();return;}
left=phases[k].secs;now.textContent=phases[k].text;}
function tick(){var t=Date.now();left-=(t-last)/1000;last=t;while(left<=0&&timer){var over=-left;next();if(!timer)return;left-=over;}show();}
function stop(){if(timer){clearInterval(timer);timer=null;}pause.disabled=true;start.disabled=false;}
start.addEventListener('click',function(){if(timer)return;last=Date.now();now.textContent=phases[k].text;timer=setInterval(tick,250);start.disabled=true;pause.disabled=false;show();});
pause.addEventListener('click',function(){stop();start.textContent='Resume';now.textContent='Paused: '+phases[k].text;});
now.textContent=phases[0].text;show();
})();
"""
