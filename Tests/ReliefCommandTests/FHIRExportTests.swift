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
