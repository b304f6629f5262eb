import Foundation
import HTTPTypes
import NIOCore
import Relief
import ReliefClinic
import ReliefTestSupport
@testable import ReliefClinicServer
import Testing

@Suite("The clinic's FHIR export")
struct FHIRExportRouteTests {
    @Test("?format=fhir answers the published programme and the logs as a Bundle fhir.resources validates; the same record, the same bytes")
    func export() async throws {
        try await ClinicWeb.run { web in
            let p = try await Prescribed.make(web, reference: "RP-0042")
            try await p.publish(#"{"weeks": 2, "days_per_week": 3, "minutes": 12}"#)
            let logged = try await p.logForm("done=yes&pain=3&effort=6")
            #expect(logged.status == .ok)
            let path = "/v1/clinic/patients/\(p.patient.id.rawValue)/export"
            let r = try await web.send(.get, path + "?format=fhir", headers: bearer(p.token))
            #expect(r.status == .ok, "\(String(buffer: r.body).prefix(400))")
            #expect(r.headers[.contentType]?.hasPrefix("application/fhir+json") == true)
            let text = String(buffer: r.body)
            let b = try body(r)
            #expect(b["resourceType"] as? String == "Bundle" && b["type"] as? String == "collection")
            let resources = ((b["entry"] as? [[String: Any]]) ?? []).compactMap { $0["resource"] as? [String: Any] }
            func of(_ type: String) -> [[String: Any]] { resources.filter { $0["resourceType"] as? String == type } }
            // Published on the clinic's clock day, 2026-12-01: two weeks end on 2026-12-14.
            let order = try #require(of("ServiceRequest").first)
            #expect(order["occurrencePeriod"] as? [String: String] == ["start": "2026-12-01", "end": "2026-12-14"])
            let values = ((of("Patient").first?["identifier"] as? [[String: Any]]) ?? []).compactMap { $0["value"] as? String }
            #expect(values == ["RP-0042", p.patient.id.rawValue])
            let pain = try #require(of("Observation").first)
            #expect(pain["effectiveDateTime"] as? String == "2026-12-01")
            #expect(((pain["valueQuantity"] as? [String: Any])?["value"] as? Int) == 3)
            let again = try await web.send(.get, path + "?format=fhir", headers: bearer(p.token))
            #expect(String(buffer: again.body) == text)

            // The independent validator, as for the command's Bundle.
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("relief-fhir-\(getpid()).json").path
            try text.write(toFile: file, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(atPath: file) }
            let (status, said) = try validateFHIR(file)
            #expect(status == 0, "\(said)")

            // Relief's JSON stays the default; another format is 400 naming it.
            let plain = try await web.send(.get, path, headers: bearer(p.token))
            #expect(plain.status == .ok && plain.headers[.contentType]?.hasPrefix("application/json") == true)
            let bad = try await web.send(.get, path + "?format=xml", headers: bearer(p.token))
            #expect(bad.status == .badRequest && String(buffer: bad.body).contains("format"))
        }
    }

    @Test("a patient with no published programme exports the Patient and the logs only")
    func unpublished() async throws {
        try await ClinicWeb.run { web in
            let p = try await Prescribed.make(web)
            let r = try await web.send(.get, "/v1/clinic/patients/\(p.patient.id.rawValue)/export?format=fhir", headers: bearer(p.token))
            #expect(r.status == .ok)
            let b = try body(r)
            let types = ((b["entry"] as? [[String: Any]]) ?? []).compactMap { ($0["resource"] as? [String: Any])?["resourceType"] as? String }
            #expect(types == ["Patient"])
        }
    }
}
