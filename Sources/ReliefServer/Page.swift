import Foundation
import HTTPTypes
import Hummingbird
import Relief
import ReliefFormats

/// What the page's form holds: as sent, so a refused form comes back filled in.
struct PageForm: Sendable {
    var minutes = "15"
    var conditions: Set<String> = []
    var equipment: Set<String> = []
    var excluded: Set<String> = []
    /// The person ticked "I have read the questions above".
    var screenDone = false
    /// Questions ticked "yes".
    var flags: Set<String> = []
    /// Symptoms noticed since starting (the log's symptoms, `LogEntry.Symptom`).
    var symptoms: Set<String> = []

    /// Reads an `application/x-www-form-urlencoded` body. Unknown fields are problems, like
    /// unknown JSON keys.
    static func parse(_ text: String) -> (PageForm, [RequestProblem]) {
        var form = PageForm()
        var problems: [RequestProblem] = []
        var sawMinutes = false
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = formDecode(String(parts[0]))
            let value = parts.count > 1 ? formDecode(String(parts[1])) : ""
            switch key {
            case "minutes": form.minutes = value; sawMinutes = true
            case "condition": form.conditions.insert(value)
            case "equipment": form.equipment.insert(value)
            case "exclude": form.excluded.insert(value)
            case "screen_done": form.screenDone = value == "yes"
            case "flag": form.flags.insert(value)
            case "symptom": form.symptoms.insert(value)
            default:
                problems.append(RequestProblem(field: key, value: nil,
                                               expected: "unknown field; expected minutes, condition, equipment, exclude, screen_done, flag, symptom"))
            }
        }
        if !sawMinutes { form.minutes = "" }
        return (form, problems)
    }

    /// The plan request the form stands for, with the problems the request validator finds
    /// (the same wording as the command line and the API).
    func request(catalogue: Catalogue) -> (PlanRequest, [RequestProblem]) {
        var r = PlanRequest()
        var problems: [RequestProblem] = []
        let text = minutes.trimmingCharacters(in: .whitespaces)
        if let m = Double(text), m.isFinite {
            r.budgetSeconds = m * 60
        } else if !text.isEmpty {
            problems.append(RequestProblem(field: "minutes", value: "\"\(text)\"", expected: Limits.minutes.expected))
        }
        r.conditions = conditions
        r.equipment = equipment
        r.excluded = excluded
        for q in flags where RedFlagScreen.question(q) == nil {
            problems.append(RequestProblem(field: "flag", value: "\"\(q)\"", expected: "a screen question id"))
        }
        if screenDone || !flags.isEmpty {
            var answers = RedFlagScreen.allClear
            for q in flags where answers[q] != nil { answers[q] = true }
            r.screen = answers
        }
        for s in symptoms.sorted() where LogEntry.Symptom(named: s) == nil {
            problems.append(RequestProblem(field: "symptom", value: "\"\(s)\"", expected: "one of \(LogEntry.Symptom.names)"))
        }
        if problems.isEmpty { problems = r.validate(against: catalogue) }
        return (r, problems)
    }

    /// What the ticked symptoms mean, read with the screen and conditions as the programme log
    /// reads them (``RedFlagScreen/assess(symptom:answers:conditions:)``), most urgent first.
    func symptomFindings(_ request: PlanRequest) -> [ScreenFinding] {
        symptoms.compactMap(LogEntry.Symptom.init(named:)).sorted { $0.rawValue < $1.rawValue }
            .map { RedFlagScreen.assess(symptom: $0, answers: request.screen, conditions: request.conditions) }
            .sorted { $0.urgency > $1.urgency }
    }
}

/// `+` is a space and `%XX` a byte, as browsers send forms.
public func formDecode(_ s: String) -> String {
    let spaced = s.replacingOccurrences(of: "+", with: " ")
    return spaced.removingPercentEncoding ?? spaced
}

/// Text safe inside HTML elements and quoted attributes.
public func html(_ s: String) -> String {
    var out = ""
    out.reserveCapacity(s.count)
    for c in s {
        switch c {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&#39;"
        default: out.append(c)
        }
    }
    return out
}

/// What the page shows under the form.
enum PageResult {
    case plan(Plan)
    /// A symptom ticked whose tier blocks: no routine, only its advice.
    case urgent([ScreenFinding])
    case problems([RequestProblem])
    case failure(String)
}

extension ReliefService {
    /// `POST /`: the form sent without JavaScript (the whole page back) or by the page's script
    /// (`X-Relief-Fragment: 1`: only the result, which the script puts in place).
    func pagePost(_ request: Request) async throws -> Response {
        try requireContentType(request, "application/x-www-form-urlencoded")
        let fragment = request.headers[HTTPField.Name("X-Relief-Fragment")!] == "1"
        let bytes = try await collect(request.body)
        let (form, formProblems) = PageForm.parse(String(decoding: bytes, as: UTF8.self))
        let (planRequest, problems) = form.request(catalogue: catalogue)
        let result: PageResult
        let findings = form.symptomFindings(planRequest)
        if !(formProblems + problems).isEmpty {
            result = .problems(formProblems + problems)
        } else if findings.contains(where: \.blocks) {
            result = .urgent(findings)
        } else {
            do {
                var plan = try await solve("/") { session in try session.plan(planRequest) }
                // A symptom that only advises goes first with the plan's other alerts.
                plan.pathways = findings.map { "Symptom: \($0.advice) (\($0.urgency.words); \($0.source))" } + plan.pathways
                result = .plan(plan)
            } catch let e as APIFailure {
                result = e.problems.isEmpty ? .failure(e.message) : .problems(e.problems)
            }
        }
        let status: HTTPResponse.Status = switch result {
        case .plan, .urgent: .ok
        case .problems, .failure: .badRequest
        }
        return htmlResponse(fragment ? resultSection(result) : page(form: form, result: result), status: status)
    }

    /// The whole page: the form, and the result when there is one.
    func page(form: PageForm, result: PageResult?) -> String {
        var h = """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Relief: a back-pain routine for the time you have</title>
        <link rel="stylesheet" href="/page.css">
        </head>
        <body>
        <a class="skip" href="#result">Skip to your routine</a>
        <header><h1>Relief</h1><p>A short routine of gentle exercises for back pain, planned for the time you have. Moving is safe, and back pain usually settles.</p></header>
        <main>
        <form method="post" action="/" id="plan-form" class="no-print">
        <fieldset>
        <legend>Your time</legend>
        <label for="minutes">Minutes you have today</label>
        <input id="minutes" name="minutes" type="number" inputmode="decimal" min="1" max="1440" step="any" value="\(html(form.minutes))" aria-describedby="minutes-help">
        <p id="minutes-help" class="help">Leave empty for the shortest routine with the full amount of everything Relief plans for.</p>
        </fieldset>

        """
        h += checkboxes(legend: "Conditions you have", name: "condition", help: "Exercises unsafe with them are left out, and the page says which and why.",
                        items: catalogue.knownConditions.map { ($0, conditionLabel($0)) }, checked: form.conditions)
        h += checkboxes(legend: "Equipment you have", name: "equipment", help: "None ticked: a routine that needs no equipment.",
                        items: catalogue.knownEquipment.map { ($0, conditionLabel($0)) }, checked: form.equipment)
        h += "<details\(form.excluded.isEmpty ? "" : " open")><summary>Exercises you do not want</summary>\n"
        h += checkboxes(legend: "Leave out", name: "exclude", help: nil,
                        items: catalogue.exercises.map { ($0.id, $0.name) }, checked: form.excluded)
        h += "</details>\n"
        h += "<fieldset>\n<legend>Before you start: do any of these apply to you?</legend>\n<p class=\"help\">Tick any that apply. Some mean see a doctor first (no routine is planned); others are advice shown with your routine.</p>\n<ul class=\"checks\">\n"
        for (k, q) in RedFlagScreen.questions.enumerated() {
            let followUp = q.followUpOf.map { " class=\"follow-up\" data-follow-up-of=\"\(html($0))\"" } ?? ""
            h += "<li\(followUp)><input type=\"checkbox\" id=\"flag-\(k)\" name=\"flag\" value=\"\(html(q.id))\"\(form.flags.contains(q.id) ? " checked" : "")> <label for=\"flag-\(k)\">\(q.followUpOf == nil ? "" : "If yes: ")\(html(q.text))</label></li>\n"
        }
        h += "</ul>\n<p><input type=\"checkbox\" id=\"screen-done\" name=\"screen_done\" value=\"yes\"\(form.screenDone ? " checked" : "")> <label for=\"screen-done\"><strong>I have read every question above and ticked those that apply.</strong></label></p>\n</fieldset>\n"
        h += "<fieldset>\n<legend>Since you started exercising, have you noticed any of these?</legend>\n<p class=\"help\">Each sign you tick says how soon to be seen.</p>\n<ul class=\"checks cols\">\n"
        for s in LogEntry.Symptom.allCases where s != .weakness {
            h += "<li><input type=\"checkbox\" id=\"symptom-\(s.rawValue)\" name=\"symptom\" value=\"\(s.rawValue)\"\(form.symptoms.contains(s.rawValue) ? " checked" : "")> <label for=\"symptom-\(s.rawValue)\">\(html(s.words.prefix(1).uppercased() + s.words.dropFirst()))</label></li>\n"
        }
        h += "</ul>\n</fieldset>\n"
        h += "<button type=\"submit\">Plan my routine</button>\n</form>\n"
        h += "<div id=\"result\" tabindex=\"-1\" aria-live=\"polite\">\(result.map(resultSection) ?? "")</div>\n"
        h += "</main>\n<footer><p>\(html(medicalDisclaimer))</p><p class=\"no-print\">For apps: the <a href=\"/openapi.yaml\">JSON API</a>.</p></footer>\n"
        // Script and style are files of their own, so the page's Content-Security-Policy allows
        // no inline script or style at all.
        h += "<script src=\"/page.js\"></script>\n</body>\n</html>\n"
        return h
    }

    func checkboxes(legend: String, name: String, help: String?, items: [(String, String)], checked: Set<String>) -> String {
        var h = "<fieldset>\n<legend>\(html(legend))</legend>\n"
        if let help { h += "<p class=\"help\">\(html(help))</p>\n" }
        h += "<ul class=\"checks cols\">\n"
        for (id, label) in items {
            let domID = "\(name)-\(id)"
            h += "<li><input type=\"checkbox\" id=\"\(html(domID))\" name=\"\(name)\" value=\"\(html(id))\"\(checked.contains(id) ? " checked" : "")> <label for=\"\(html(domID))\">\(html(label))</label></li>\n"
        }
        return h + "</ul>\n</fieldset>\n"
    }

    /// The result: the routine, its chart and its words, or what to fix in the form.
    func resultSection(_ result: PageResult) -> String {
        switch result {
        case .problems(let problems):
            var h = "<section class=\"errors\" role=\"alert\"><h2>Please check the form</h2><ul>\n"
            for p in problems { h += "<li>\(html(p.message))</li>\n" }
            return h + "</ul></section>\n"
        case .failure(let message):
            return "<section class=\"errors\" role=\"alert\"><h2>No routine this time</h2><p>\(html(message))</p></section>\n"
        case .plan(let plan):
            return planSection(plan)
        case .urgent(let findings):
            var h = "<section class=\"plan\" role=\"alert\">\n<h2>Stop the exercises: \(html(findings[0].urgency.words))</h2>\n"
            for f in findings {
                h += "<p class=\"warn\" data-urgency=\"\(f.urgency.rawValue)\"><strong>\(html(f.advice))</strong> <span class=\"help\">(\(html(f.urgency.words)); \(html(f.source)))</span></p>\n"
            }
            return h + "<p>No routine is planned until a clinician has seen you and cleared you to exercise.</p>\n</section>\n"
        }
    }

    func planSection(_ plan: Plan) -> String {
        var h = "<section class=\"plan\">\n"
        // The screen's advice, or that it was not done, and the condition pathways: first.
        for a in plan.alerts { h += "<p class=\"warn\" role=\"alert\"><strong>\(html(a))</strong></p>\n" }
        let budget = plan.budgetSeconds.map { " of your \(clock($0))" } ?? ""
        switch plan.status {
        case .redFlag:
            h += "<h2>Please do not start these exercises yet</h2>\n<p class=\"warn\">\(html(plan.screen.advice ?? ""))</p>\n<p>You answered yes to:</p><ul>\n"
            for id in plan.screen.positive { h += "<li>\(html(RedFlagScreen.question(id)?.text ?? id))</li>\n" }
            return h + "</ul>\n</section>\n"
        case .optimal, .feasible, .partial, .overBudget, .uncoverable, .noSolution:
            h += "<h2>\(html(plan.headline))</h2>\n"
            if let summary = plan.summary { h += "<p>\(html(summary))</p>\n" }
        }
        if !plan.exercises.isEmpty {
            h += "<table class=\"routine\">\n<caption>Do them in this order</caption>\n<thead><tr><th scope=\"col\">#</th><th scope=\"col\">Exercise and how to do it</th><th scope=\"col\">Amount</th><th scope=\"col\">Time</th></tr></thead>\n<tbody>\n"
            for e in plan.exercises {
                var how = "<strong>\(html(e.name))</strong>"
                if !e.dose.isEmpty { how += " <span class=\"dose\">(\(html(e.dose)))</span>" }
                if !e.instructions.isEmpty { how += "<p>\(html(e.instructions))</p>" }
                if let practical = practicalText(e) { how += "<p>\(html(practical))</p>" }
                if !e.stopIf.isEmpty { how += "<p class=\"stop\"><strong>Stop if:</strong> \(html(e.stopIf))</p>" }
                for c in e.cautions { how += "<p class=\"caution\"><strong>Take care (\(html(conditionLabel(c.condition).lowercased()))):</strong> \(html(c.cue))</p>" }
                h += "<tr><td>\(e.order)</td><td>\(how)</td><td>\(html(amountText(e)))</td><td>\(mmss(e.seconds))</td></tr>\n"
            }
            h += "</tbody>\n</table>\n"
            if let reason = plan.orderReason { h += "<p class=\"help\">Order: \(html(reason)). Time includes getting into position and the rests.</p>\n" }
        }
        if !plan.exercises.isEmpty {
            h += coverageChart(plan)
            h += "<p class=\"help\">\(html(plan.causesFraming))</p>\n"
        }
        h += list("Cannot be covered", plan.uncoverable.map { "\($0.name): \($0.reason)" })
        // The reasons on screen; the printed handout names what was left out (one page).
        if !plan.excluded.isEmpty {
            h += "<h3>Left out for you</h3>\n<ul class=\"left-out\">\n" + plan.excluded.map {
                "<li>\(html($0.name))<span class=\"why\">: \(html($0.reasons.joined(separator: "; ")))</span></li>\n"
            }.joined() + "</ul>\n"
        }
        h += list("Notes", plan.status == .partial || plan.status == .overBudget ? Array(plan.notes.dropFirst()) : plan.notes, className: "notes")
        h += list("When to stop", plan.exercises.isEmpty ? [] : stopRules, className: "rules")
        // What to do about a new symptom, tier by tier, as the printed plan and the handouts say it.
        h += list("New symptoms", plan.exercises.isEmpty ? [] : plan.newSymptoms.map(\.line), className: "rules")
        // For the physiotherapist on screen; the printed handout is the person's page.
        h += "<div class=\"no-print\">\n" + list(Plan.detailsHeading, plan.details(catalogue: catalogue), className: "details") + "</div>\n"
        h += "<p class=\"disclaimer print-only\">\(html(medicalDisclaimer))</p>\n"
        h += "<p class=\"no-print\"><button type=\"button\" data-print>Print this routine</button></p>\n"
        return h + "</section>\n"
    }

    /// A headed list of plain-text items (escaped here); nothing when there are none.
    func list(_ heading: String, _ items: [String], className: String? = nil) -> String {
        guard !items.isEmpty else { return "" }
        return "<h3>\(html(heading))</h3>\n<ul\(className.map { " class=\"\($0)\"" } ?? "")>\n"
            + items.map { "<li>\(html($0))</li>\n" }.joined() + "</ul>\n"
    }

    /// Each cause's coverage against its minimum as horizontal bars (SVG, with a text
    /// alternative for screen readers), labelled in words, not percentages of a target.
    func coverageChart(_ plan: Plan) -> String {
        let rows = plan.coverage
        guard !rows.isEmpty else { return "" }
        let width = 560.0, left = 170.0, barMax = 330.0, rowHeight = 34.0
        let height = Double(rows.count) * rowHeight + 30
        let scaleTop = max(1.5, rows.map { $0.minimum > 0 ? $0.achieved / $0.minimum : 1 }.max() ?? 1)
        func x(_ share: Double) -> Double { left + min(share, scaleTop) / scaleTop * barMax }
        func words(_ c: CauseCoverage) -> String { c.met ? "the full amount" : c.achieved > 1e-9 ? "part of it" : "not in this time" }
        let summary = rows.map { "\($0.name): \(words($0))" }.joined(separator: "; ")
        var s = "<figure class=\"chart\">\n<svg role=\"img\" aria-labelledby=\"chart-title chart-desc\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" width=\"100%\" preserveAspectRatio=\"xMinYMin meet\">\n"
        s += "<title id=\"chart-title\">What the routine works on</title>\n<desc id=\"chart-desc\">\(html(summary))</desc>\n"
        for (k, c) in rows.enumerated() {
            let y = 10 + Double(k) * rowHeight
            let share = c.minimum > 0 ? c.achieved / c.minimum : 1
            let fill = c.met ? "#1b6e3a" : "#a34700"
            s += "<text x=\"0\" y=\"\(Int(y + 17))\" font-size=\"14\" fill=\"#1a1a1a\">\(html(c.name))</text>\n"
            s += "<rect x=\"\(Int(left))\" y=\"\(Int(y + 4))\" width=\"\(Int(barMax))\" height=\"18\" fill=\"#e6e6e6\"/>\n"
            s += "<rect x=\"\(Int(left))\" y=\"\(Int(y + 4))\" width=\"\(formatAmount(x(share) - left))\" height=\"18\" fill=\"\(fill)\"/>\n"
            s += "<text x=\"\(Int(left + barMax + 8))\" y=\"\(Int(y + 17))\" font-size=\"13\" fill=\"#1a1a1a\">\(c.met ? "full" : c.achieved > 1e-9 ? "part" : "none yet")</text>\n"
        }
        let full = x(1)
        s += "<line x1=\"\(formatAmount(full))\" y1=\"6\" x2=\"\(formatAmount(full))\" y2=\"\(Int(height - 20))\" stroke=\"#1a1a1a\" stroke-dasharray=\"4 3\"/>\n"
        s += "<text x=\"\(formatAmount(full - 40))\" y=\"\(Int(height - 6))\" font-size=\"12\" fill=\"#1a1a1a\">full amount</text>\n"
        s += "</svg>\n<figcaption>What the routine works on: each bar is how much of that area's full amount (dashed line) the routine gives.</figcaption>\n</figure>\n"
        return s
    }
}

/// The page's stylesheet: readable on a phone, high contrast, and a print layout that drops the
/// form and fits the routine on one page.
let pageStyle = """
:root{color-scheme:light}
body{font-family:"DejaVu Sans",system-ui,sans-serif;line-height:1.45;color:#1a1a1a;background:#fff;margin:0 auto;max-width:60rem;padding:0 1rem}
header h1{margin:.8rem 0 .2rem;font-size:1.8rem}
fieldset{border:1px solid #767676;border-radius:6px;margin:0 0 1rem;padding:.6rem 1rem}
legend{font-weight:bold;padding:0 .3rem}
label{cursor:pointer}
input[type=number]{font-size:1.1rem;padding:.35rem;width:8rem;border:1px solid #555;border-radius:4px}
input[type=checkbox]{width:1.1rem;height:1.1rem;vertical-align:-2px}
.checks{list-style:none;padding:0;margin:.3rem 0}
.checks li{margin:.25rem 0}
.cols{columns:2 16rem}
.help{color:#444;font-size:.92rem;margin:.2rem 0}
button{font-size:1.05rem;padding:.55rem 1.2rem;border:0;border-radius:5px;background:#0b4f8a;color:#fff;cursor:pointer}
button:focus-visible,input:focus-visible,summary:focus-visible,a:focus-visible{outline:3px solid #d18b00;outline-offset:2px}
details{margin:0 0 1rem}
summary{cursor:pointer;font-weight:bold}
.skip{position:absolute;left:-999px}
.skip:focus{left:1rem;top:.5rem;background:#fff;padding:.3rem}
table.routine{border-collapse:collapse;width:100%;margin:.6rem 0}
.routine caption{text-align:left;font-weight:bold;padding:.3rem 0}
.routine th,.routine td{border-bottom:1px solid #bbb;padding:.45rem .4rem;text-align:left;vertical-align:top}
.routine td p{margin:.2rem 0}
.routine td:first-child,.routine td:nth-child(3),.routine td:nth-child(4){white-space:nowrap}
.stop{color:#8a1c00}
.caution{color:#5c3d00}
.warn{background:#fff4e0;border-left:4px solid #a34700;padding:.4rem .7rem}
.errors{background:#fde8e8;border-left:4px solid #b00020;padding:.3rem 1rem;margin:1rem 0}
.chart{margin:1rem 0;max-width:36rem}
.chart figcaption{font-size:.9rem;color:#444}
footer{border-top:1px solid #bbb;margin-top:2rem;font-size:.9rem;color:#333}
.print-only{display:none}
.timeline li.current{font-weight:bold;background:#fff4e0}
table.handout{border-collapse:collapse;margin:.4rem 0}
.handout th,.handout td{border-bottom:1px solid #bbb;padding:.2rem .5rem;text-align:left}
.handout .num{text-align:right}
#countdown .clock{font-size:3rem;font-weight:bold;margin:.2rem 0;font-variant-numeric:tabular-nums}
#countdown .now{font-size:1.15rem;margin:.3rem 0}
button.quiet{background:#e8eef4;color:#0b4f8a}
button:disabled{opacity:.5;cursor:default}
@media (max-width:40rem){.routine thead{display:none}.routine tr{display:block;border-bottom:1px solid #bbb;padding:.4rem 0}.routine td{display:block;border:0;padding:.1rem 0}.routine td:first-child::before{content:"Exercise "}.routine td:nth-child(3)::before{content:"Amount: "}.routine td:nth-child(4)::before{content:"Time: "}}
@media print{
 @page{size:A4;margin:8mm}
 body{max-width:none;padding:0;font-size:7.8pt;line-height:1.08}
 header p,.no-print,.skip,footer,.chart figcaption{display:none}
 header h1{font-size:12pt;margin:0}
 .print-only{display:block;margin:.2rem 0}
 h2{font-size:11pt;margin:.1rem 0}
 h3{font-size:9pt;margin:.25rem 0 .05rem}
 p{margin:.1rem 0}
 .routine caption{padding:0}
 .routine th,.routine td{padding:.03rem .25rem}
 .routine td p{display:inline;margin:0 0 0 .35em}
 .help{font-size:inherit}
 .plan ul{columns:3;column-gap:1.2rem}
 .plan ul.rules{columns:2;column-gap:1.2rem}
 .plan ul.notes{columns:1}
 .plan ul.left-out{columns:1;padding:0;list-style:none}
 .left-out li{display:inline}
 .left-out li:not(:last-child):after{content:","}
 .left-out .why{display:none}
 .routine tr{break-inside:avoid}
 .chart{width:7cm;float:left;margin:.1rem .8rem .1rem 0}
 .plan h3{clear:both}
 ul{margin:.05rem 0;padding-left:1.1rem}
 a{color:inherit;text-decoration:none}
}
"""

/// With JavaScript the form is sent in the background and only the result is replaced; without
/// it the browser posts the form and the server sends the whole page back.
let pageScript = """
(function(){
document.addEventListener('click',function(ev){var t=ev.target;if(t&&t.closest&&t.closest('[data-print]'))window.print();});
var form=document.getElementById('plan-form');var out=document.getElementById('result');
if(!form||!window.fetch)return;
form.addEventListener('submit',function(ev){
ev.preventDefault();
var body=new URLSearchParams(new FormData(form)).toString();
var button=form.querySelector('button[type=submit]');button.disabled=true;button.textContent='Planning…';
fetch('/',{method:'POST',headers:{'Content-Type':'application/x-www-form-urlencoded','X-Relief-Fragment':'1'},body:body})
.then(function(r){return r.text();})
.then(function(text){out.innerHTML=text;out.focus();})
.catch(function(){out.innerHTML='<section class="errors" role="alert"><h2>The server could not be reached</h2><p>Try again in a moment.</p></section>';})
.then(function(){button.disabled=false;button.textContent='Plan my routine';});
});
})();
"""
