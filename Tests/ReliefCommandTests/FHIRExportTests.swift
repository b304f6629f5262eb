import Foundation
import ReliefTestSupport
import Testing

@Suite("relief programme --format fhir", .serialized)
struct FHIRExportCommandTests {
    @Test("a logged programme's Bundle passes fhir.resources and the code checks; the same files give the same bytes")
    func validated() throws {
        try withTemporaryDirectory { dir in
            let data = Fixtures.shipped
            let plan = try runRelief(["programme", "--data", data, "--minutes", "15", "--weeks", "2", "--start", "2026-12-01",
                                      "--today", "2026-12-01", "--screen", "clear", "--out", dir + "/p.json"])
            #expect(plan.status == 0, "\(plan.stderr)")
            let log = """
            {"date":"2026-12-01","kind":"session","done":"all","pain_before":5,"pain_after":4,"effort":5}
            {"date":"2026-12-02","kind":"morning","pain":4}
            {"date":"2026-12-03","kind":"morning","pain":3.5}
            {"date":"2026-12-03","kind":"symptom","symptom":"pins-and-needles"}

            """
            try write(log, to: dir + "/p.log.jsonl")
            let args = ["programme", "--replan", dir + "/p.json", "--data", data, "--today", "2026-12-05", "--out", dir + "/q.json",
                        "--format", "fhir", "--patient-id", "RP-0042", "--patient-system", "urn:oid:2.16.840.1.113883.19.5"]
            let first = try runRelief(args)
            #expect(first.status == 0 || first.status == 6, "\(first.stderr)")
            try write(first.stdout, to: dir + "/bundle.json")
            let v = try validateFHIR(dir + "/bundle.json")
            #expect(v.status == 0, "python3 with fhir.resources must be installed (make test-deps does it): \(v.output)")
            // Patient, ServiceRequest, CarePlan; four pains and one symptom.
            #expect(v.output.contains("CarePlan=1 Observation=5 Patient=1 ServiceRequest=1"), "\(v.output)")
            let again = try runRelief(args)
            #expect(again.stdout == first.stdout)
            #expect(first.stdout.contains("\"value\": \"RP-0042\""))
            #expect(!first.stdout.contains("\"name\""))

            // The validator can fail: a LOINC system with a trailing slash, a status outside
            // its binding, a reference to no entry.
            for (from, to) in [("\"system\": \"http://loinc.org\"", "\"system\": \"http://loinc.org/\""),
                               ("\"intent\": \"order\"", "\"intent\": \"ordered\""),
                               ("\"code\": \"229065009\"", "\"code\": \"229065008\"")] {
                let broken = first.stdout.replacingOccurrences(of: from, with: to)
                #expect(broken != first.stdout)
                try write(broken, to: dir + "/broken.json")
                let b = try validateFHIR(dir + "/broken.json")
                #expect(b.status == 1 && b.output.contains("invalid:"), "\(from): \(b.output)")
            }
            let entries = first.stdout.components(separatedBy: "\"fullUrl\": \"urn:uuid:")
            #expect(entries.count > 1)
            let dangling = first.stdout.replacingOccurrences(of: "\"reference\": \"urn:uuid:", with: "\"reference\": \"urn:uuid:0")
            try write(dangling, to: dir + "/dangling.json")
            #expect(try validateFHIR(dir + "/dangling.json").status == 1)
        }
    }

    @Test("outcome measures and STarT Back: a score Observation each, derived from its QuestionnaireResponse, re-scored by the validator")
    func outcomes() throws {
        try withTemporaryDirectory { dir in
            let data = Fixtures.shipped
            let plan = try runRelief(["programme", "--data", data, "--minutes", "15", "--weeks", "2", "--start", "2026-12-01",
                                      "--today", "2026-12-01", "--screen", "clear", "--out", dir + "/p.json"])
            #expect(plan.status == 0, "\(plan.stderr)")
            // Baseline on day 1: STarT Back (items 1, 3, 6, 7 agreed, item 9 "very much"), NPRS 6,
            // RMDQ with the first 10 statements, ODI with section 3 skipped. Day 5: RMDQ 4, PGIC
            // much improved, PSFS bending 4 and sitting 7.
            let rmdq10 = (Array(repeating: "1", count: 10) + Array(repeating: "0", count: 14)).joined(separator: ",")
            let rmdq4 = (Array(repeating: "1", count: 4) + Array(repeating: "0", count: 20)).joined(separator: ",")
            let log = """
            {"date":"2026-12-01","kind":"startback","answers":[1,0,1,0,0,1,1,0,3]}
            {"date":"2026-12-01","kind":"outcome","nprs":6,"rmdq":[\(rmdq10)],"odi":[2,1,null,3,2,1,0,2,1,3]}
            {"date":"2026-12-05","kind":"outcome","rmdq":[\(rmdq4)],"pgic":"much-improved","psfs":[{"activity":"bending","score":4},{"activity":"sitting","score":7}]}

            """
            try write(log, to: dir + "/p.log.jsonl")
            let run = try runRelief(["programme", "--replan", dir + "/p.json", "--data", data, "--today", "2026-12-05",
                                     "--out", dir + "/q.json", "--format", "fhir", "--patient-id", "RP-7"])
            #expect(run.status == 0, "\(run.stderr)")
            try write(run.stdout, to: dir + "/bundle.json")
            let v = try validateFHIR(dir + "/bundle.json")
            #expect(v.status == 0, "\(v.output)")
            // Seven scores (day 1: NPRS, RMDQ, ODI, STarT Back; day 5: RMDQ, PGIC, PSFS), six of
            // them from a response (NPRS is its number alone).
            #expect(v.output.contains("CarePlan=1 Observation=7 Patient=1 QuestionnaireResponse=6 ServiceRequest=1"), "\(v.output)")

            let bundle = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
            let resources = (bundle["entry"] as? [[String: Any]] ?? []).compactMap { $0["resource"] as? [String: Any] }
            func score(_ code: String, on date: String) -> [String: Any]? {
                resources.first { r in
                    r["resourceType"] as? String == "Observation" && r["effectiveDateTime"] as? String == date
                        && ((r["code"] as? [String: Any])?["coding"] as? [[String: Any]] ?? []).contains { $0["code"] as? String == code }
                }
            }
            func value(_ r: [String: Any]?) -> Double? { (r?["valueQuantity"] as? [String: Any])?["value"] as? Double }
            func words(_ r: [String: Any]?) -> String {
                ((r?["interpretation"] as? [[String: Any]])?.first?["text"] as? String) ?? ""
            }
            #expect(value(score("72514-3", on: "2026-12-01")) == 6)
            #expect(value(score("rmdq", on: "2026-12-01")) == 10)
            #expect(words(score("rmdq", on: "2026-12-01")).hasSuffix("the baseline"))
            // ODI: 15 of 45 (section 3 skipped) is 33.3 %.
            let odi = try #require(value(score("odi", on: "2026-12-01")))
            #expect(abs(odi - 100.0 / 3) < 1e-9)
            #expect((score("odi", on: "2026-12-01")?["valueQuantity"] as? [String: Any])?["code"] as? String == "%")
            // STarT Back: 4 agreed + item 9 = 5; psychosocial items 5-9: 6, 7 and 9 = 3 (< 4): medium.
            #expect(value(score("startback", on: "2026-12-01")) == 5)
            #expect(words(score("startback", on: "2026-12-01")).contains("medium risk"))
            // RMDQ 10 → 4: 6 points against a threshold of max(5, 30 % of 10) = 5: better.
            #expect(value(score("rmdq", on: "2026-12-05")) == 4)
            #expect(words(score("rmdq", on: "2026-12-05")).contains("meaningfully better"), "\(words(score("rmdq", on: "2026-12-05")))")
            #expect(value(score("pgic", on: "2026-12-05")) == 2)
            #expect(value(score("psfs", on: "2026-12-05")) == 5.5)

            // The validator re-scores: a response with one more statement answered yes no longer
            // gives the Observation's score.
            var broken = bundle
            var entries = bundle["entry"] as? [[String: Any]] ?? []
            let k = try #require(entries.firstIndex { e in
                let r = e["resource"] as? [String: Any]
                return r?["resourceType"] as? String == "QuestionnaireResponse" && (r?["questionnaire"] as? String)?.hasSuffix("/rmdq") == true
            })
            var response = try #require(entries[k]["resource"] as? [String: Any])
            var items = try #require(response["item"] as? [[String: Any]])
            items[23]["answer"] = [["valueBoolean": true]]
            response["item"] = items
            entries[k]["resource"] = response
            broken["entry"] = entries
            try JSONSerialization.data(withJSONObject: broken, options: [.sortedKeys]).write(to: URL(fileURLWithPath: dir + "/broken.json"))
            let b = try validateFHIR(dir + "/broken.json")
            #expect(b.status == 1 && b.output.contains("is not the 11 its response's answers give"), "\(b.output)")

            // The handouts: the scores' picture beside the weeks, one dot per score with a
            // baseline measure (NPRS day 1, RMDQ days 1 and 5, ODI day 1, PSFS day 5: five; PGIC
            // has no chart), and each week's page links it.
            let h = try runRelief(["programme", "--replan", dir + "/p.json", "--data", data, "--today", "2026-12-05",
                                   "--out", dir + "/r.json", "--handouts", dir + "/handouts"])
            #expect(h.status == 0, "\(h.stderr)")
            let chart = try String(contentsOfFile: dir + "/handouts/progress.svg", encoding: .utf8)
            #expect(chart.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\""))
            #expect(chart.components(separatedBy: "<circle ").count - 1 == 5, "\(chart)")
            let week1 = try String(contentsOfFile: dir + "/handouts/week-01.md", encoding: .utf8)
            #expect(week1.contains("](progress.svg)"), "\(week1)")
        }
    }

    @Test("relief plan refuses --format fhir (exit 64) and says where it belongs; the patient flags need it")
    func refusals() throws {
        let plan = try runRelief(["plan", "--data", Fixtures.shipped, "--minutes", "15", "--screen", "clear", "--format", "fhir"])
        #expect(plan.status == 64)
        #expect(plan.stderr.contains("--format fhir exports a programme and its log (relief programme --format fhir); this command writes table, json, markdown"), "\(plan.stderr)")
        let id = try runRelief(["programme", "--data", Fixtures.shipped, "--start", "2026-12-01", "--screen", "clear", "--patient-id", "X"])
        #expect(id.status == 64 && id.stderr.contains("--patient-id goes with --format fhir"), "\(id.stderr)")
        let system = try runRelief(["programme", "--data", Fixtures.shipped, "--start", "2026-12-01", "--screen", "clear", "--format", "fhir",
                                    "--patient-id", "X", "--patient-system", "not a uri"])
        #expect(system.status == 64 && system.stderr.contains("--patient-system must be an absolute URI"), "\(system.stderr)")
        let unknown = try runRelief(["programme", "--data", Fixtures.shipped, "--start", "2026-12-01", "--format", "xml"])
        #expect(unknown.status == 64 && unknown.stderr.contains("--format must be one of table, json, markdown, fhir, got \"xml\""), "\(unknown.stderr)")
    }
}
