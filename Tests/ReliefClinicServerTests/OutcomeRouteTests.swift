import Foundation
import HTTPTypes
import NIOCore
import Relief
import ReliefClinic
import ReliefTestSupport
@testable import ReliefClinicServer
import Testing

@Suite("The clinic's outcome measures")
struct OutcomeRouteTests {
    static func yes(_ n: Int) -> String { (Array(repeating: "1", count: n) + Array(repeating: "0", count: 24 - n)).joined(separator: ", ") }

    @Test("a clinician's baseline and the patient's follow-up through the link: scored, judged against the minimal important change, on the page and in the FHIR export")
    func baselineAndFollowUp() async throws {
        try await ClinicWeb.run { web in
            let p = try await Prescribed.make(web, reference: "RP-0007")
            let base = "/v1/clinic/patients/\(p.patient.id.rawValue)/outcomes"
            // The clock's day is 2026-12-01. At the first visit, 2026-11-20: STarT Back with items
            // 5-8 agreed and item 9 "moderately": total 4, psychosocial 4: high risk (Hill 2008:
            // total 4 or more and subscale 4 or more). NPRS 7, RMDQ 12 of 24.
            let screen = try await web.send(.post, base, headers: bearer(p.token), json: #"{"day": "2026-11-20", "startback": [0, 0, 0, 0, 1, 1, 1, 1, 2]}"#)
            #expect(screen.status == .created, "\(String(buffer: screen.body))")
            let first = try await web.send(.post, base, headers: bearer(p.token),
                                           json: #"{"day": "2026-11-20", "nprs": 7, "rmdq": [\#(Self.yes(12))]}"#)
            #expect(first.status == .created, "\(String(buffer: first.body))")

            // The patient answers on 2026-12-01: NPRS 4, RMDQ 6, PGIC much improved.
            let follow = try await web.send(.post, "/v1/patient/\(p.link)/outcomes",
                                            json: #"{"nprs": 4, "rmdq": [\#(Self.yes(6))], "pgic": "much-improved"}"#)
            #expect(follow.status == .created, "\(String(buffer: follow.body))")

            let r = try await web.send(.get, base, headers: bearer(p.token))
            #expect(r.status == .ok)
            let b = try body(r)
            let screening = try #require(b["startback"] as? [String: Any])
            #expect(screening["total"] as? Int == 4 && screening["psychosocial"] as? Int == 4 && screening["group"] as? String == "high")
            let records = try #require(b["records"] as? [[String: Any]])
            #expect(records.map { $0["day"] as? String } == ["2026-11-20", "2026-11-20", "2026-12-01"])
            // No programme is published: weeks count from the first record, so 2026-12-01 is week 2.
            #expect(records.last?["week"] as? Int == 2)
            let latest = try #require(b["latest"] as? [[String: Any]])
            func verdict(_ m: String) -> [String: Any]? { latest.first { $0["measure"] as? String == m } }
            // RMDQ 12 → 6: 6 points against max(5, 30 % of 12 = 3.6) = 5: better.
            #expect(verdict("rmdq")?["improvement"] as? Double == 6 && verdict("rmdq")?["threshold"] as? Double == 5)
            #expect(verdict("rmdq")?["verdict"] as? String == "meaningfully_better")
            // NPRS 7 → 4: 3 points against max(2, 30 % of 7 = 2.1) = 2.1: better.
            let nprsThreshold = try #require(verdict("nprs")?["threshold"] as? Double)
            #expect(abs(nprsThreshold - 2.1) < 1e-9 && verdict("nprs")?["verdict"] as? String == "meaningfully_better")
            // PGIC "much improved" is better on its own (Farrar 2001).
            #expect(verdict("pgic")?["verdict"] as? String == "meaningfully_better")

            // The patient's page has the same records.
            let page = try body(try await web.send(.get, "/v1/patient/\(p.link)"))
            let pageRecords = try #require((page["outcomes"] as? [String: Any])?["records"] as? [[String: Any]])
            #expect(pageRecords.count == 3)

            // The FHIR export: three scores on the first day (STarT Back, NPRS, RMDQ), three on
            // the second (NPRS, RMDQ, PGIC); responses for all but NPRS; the validator re-scores them.
            let export = try await web.send(.get, "/v1/clinic/patients/\(p.patient.id.rawValue)/export?format=fhir", headers: bearer(p.token))
            let text = String(buffer: export.body)
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("relief-outcomes-fhir-\(getpid()).json").path
            try text.write(toFile: file, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(atPath: file) }
            let (status, said) = try validateFHIR(file)
            #expect(status == 0 && said.contains("Observation=6") && said.contains("QuestionnaireResponse=4"), "\(said)")
            // Relief's JSON export carries the records too.
            let plain = try body(try await web.send(.get, "/v1/clinic/patients/\(p.patient.id.rawValue)/export", headers: bearer(p.token)))
            #expect(((plain["outcomes"] as? [String: Any])?["records"] as? [[String: Any]])?.count == 3)
        }
    }

    @Test("the patient's page: the form saves pain, activities and the impression of change, and the page shows each verdict; a bad answer saves nothing")
    func pageForm() async throws {
        try await ClinicWeb.run { web in
            let p = try await Prescribed.make(web)
            let home = String(buffer: try await web.send(.get, "/p/\(p.link)").body)
            #expect(home.contains("How you are doing") && home.contains("action=\"/p/\(p.link)/outcomes\""))
            #expect(unclosedTags(home).isEmpty, "\(unclosedTags(home))")
            // First answers: pain 8, bending 2 (PSFS mean 2).
            let first = try await p.logForm("nprs=8&activity1=bending&score1=2", to: "outcomes")
            #expect(first.status == .ok)
            #expect(String(buffer: first.body).contains("Saved for 2026-12-01: NPRS 8/10, PSFS 2/10"), "\(String(buffer: first.body).prefix(600))")
            // Again (the same day will do): pain 5 (3 points, needs max(2, 2.4) = 2.4: better),
            // bending 3 (1 point, needs 2: no meaningful change).
            let second = try await p.logForm("nprs=5&activity1=bending&score1=3&pgic=minimally-improved", to: "outcomes")
            let page = String(buffer: second.body)
            #expect(page.contains("NPRS 8 → 5: meaningfully better"), "\(page)")
            #expect(page.contains("PSFS 2 → 3: no meaningful change"), "\(page)")
            // An activity with no score is refused, named, and nothing is stored.
            let bad = try await p.logForm("activity1=lifting", to: "outcomes")
            #expect(bad.status == .badRequest && String(buffer: bad.body).contains("Nothing was saved"))
            #expect(try await web.store.outcomes(patient: p.patient.id, clinic: p.clinician.clinic).count == 2)
            // From another site: refused.
            let cross = try await p.logForm("nprs=2", to: "outcomes", headers: [HTTPField.Name("Sec-Fetch-Site")!: "cross-site"])
            #expect(cross.status == .forbidden)
        }
    }

    @Test("the clinic's share of patients better at 4, 8, 12 weeks, as JSON and as a chart; another clinic's patients are not in it; a patient's chart as SVG")
    func clinicShare() async throws {
        try await ClinicWeb.run { web in
            let p = try await Prescribed.make(web, reference: "A-1")
            let q = try await Prescribed.make(web, clinician: p.clinician, reference: "A-2")
            // A-1: RMDQ 12 on 2026-11-03, 6 on 2026-12-01 (day 28, week 4: 6 ≥ max(5, 3.6), better).
            // A-2: RMDQ 20 on 2026-11-10, 18 on 2026-12-01 (day 21, in week 4's days 15-28: 2 < 6, not better).
            for (who, day, n) in [(p, "2026-11-03", 12), (p, "2026-12-01", 6), (q, "2026-11-10", 20), (q, "2026-12-01", 18)] {
                let r = try await web.send(.post, "/v1/clinic/patients/\(who.patient.id.rawValue)/outcomes", headers: bearer(p.token),
                                           json: #"{"day": "\#(day)", "rmdq": [\#(Self.yes(n))]}"#)
                #expect(r.status == .created)
            }
            // Another clinic's patient with a better RMDQ is not counted in A's.
            let other = try await Prescribed.make(web, reference: "B-1")
            for (day, n) in [("2026-11-03", 20), ("2026-12-01", 2)] {
                _ = try await web.send(.post, "/v1/clinic/patients/\(other.patient.id.rawValue)/outcomes", headers: bearer(other.token),
                                       json: #"{"day": "\#(day)", "rmdq": [\#(Self.yes(n))]}"#)
            }
            let b = try body(try await web.send(.get, "/v1/clinic/outcomes", headers: bearer(p.token)))
            #expect(b["patients"] as? Int == 2)
            let weeks = try #require(b["weeks"] as? [[String: Any]])
            #expect(weeks.map { $0["week"] as? Int } == [4, 8, 12])
            #expect(weeks.map { $0["counted"] as? Int } == [2, 0, 0] && weeks.map { $0["better"] as? Int } == [1, 0, 0])
            let svg = try await web.send(.get, "/v1/clinic/outcomes?format=svg", headers: bearer(p.token))
            #expect(svg.headers[.contentType]?.hasPrefix("image/svg+xml") == true)
            #expect(String(buffer: svg.body).contains("week 4: 1 of 2 (50 %)"))
            let chart = try await web.send(.get, "/v1/clinic/patients/\(p.patient.id.rawValue)/outcomes?format=svg", headers: bearer(p.token))
            #expect(chart.status == .ok && String(buffer: chart.body).contains("RMDQ from 12 at the start to 6: meaningfully better"))
            #expect(try await web.send(.get, "/v1/clinic/outcomes?format=png", headers: bearer(p.token)).status == .badRequest)
            // The patient's page shows the chart inline.
            let page = String(buffer: try await web.send(.get, "/p/\(p.link)").body)
            #expect(page.contains("<figure class=\"chart\">") && page.contains("<svg"))
            #expect(unclosedTags(page).isEmpty, "\(unclosedTags(page))")
        }
    }

    @Test("bad answers are 400 naming the measure, the item, the value and where; another clinic's patient and a dead link are 404; nothing is stored")
    func refusals() async throws {
        try await ClinicWeb.run { web in
            let p = try await Prescribed.make(web)
            let base = "/v1/clinic/patients/\(p.patient.id.rawValue)/outcomes"
            // Item 3 of RMDQ is 2: not a yes/no answer.
            let bad = try await web.send(.post, base, headers: bearer(p.token), json: "{\"rmdq\": [1, 0, 2]}")
            #expect(bad.status == .badRequest)
            let problems = try #require(try body(bad)["problems"] as? [[String: Any]])
            let item = try #require(problems.first { $0["field"] as? String == "rmdq[3]" })
            #expect(item["value"] as? String == "2" && item["line"] as? Int == 1 && item["column"] as? Int == 17, "\(problems)")
            for json in [#"{"day": "2026-12-02", "nprs": 3}"#,                         // after today
                         #"{"nprs": 11}"#,                                               // out of range
                         #"{"odi": [1, 2, 3]}"#,                                         // 3 of 10 sections
                         #"{"startback": [1, 1, 1], "nprs": 2}"#,                        // STarT Back with measures
                         #"{"startback": [1, 0, 1, 0, 0, 1, 1, 0, 7]}"#,                 // item 9 outside 0-4
                         #"{"day": "2026-11-30"}"#,                                      // nothing answered
                         #"{"pain": 3}"#] {                                              // not an outcome key
                let r = try await web.send(.post, base, headers: bearer(p.token), json: json)
                #expect(r.status == .badRequest, "\(json): \(String(buffer: r.body))")
            }
            let (other, _) = try await web.clinician("Elsewhere")
            let otherToken = try #require(try await web.store.createApiToken(clinician: other.id, clinic: other.clinic, name: "other"))
            let stranger = try await web.send(.post, base, headers: bearer(otherToken.token), json: #"{"nprs": 3}"#)
            #expect(stranger.status == .notFound)
            #expect(try await web.send(.get, base, headers: bearer(otherToken.token)).status == .notFound)
            #expect(try await web.send(.post, "/v1/patient/not-a-link/outcomes", json: #"{"nprs": 3}"#).status == .notFound)
            #expect(try await web.store.outcomes(patient: p.patient.id, clinic: p.clinician.clinic).isEmpty)
        }
    }
}
