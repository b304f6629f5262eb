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

/// The patient list reuses each unchanged row's JSON text (``ListRowTexts``): reuse must never
/// change a byte. The reference is the list encoded whole, as one `Encodable` value, from the
/// store's rows at the same moment.
@Suite("Clinic routes: the patient list's reused rows")
struct ListRouteTests {
    struct Whole: Encodable { let patients: [Views.ListRowView] }

    func reference(_ web: ClinicWeb, _ clinic: Clinic.ID) async throws -> String {
        Views.text(Whole(patients: try await web.store.patientList(clinic: clinic).map(Views.ListRowView.init)))
    }

    @Test("the list's bytes are the whole list encoded at once: first, again, and after rows change")
    func sameBytes() async throws {
        try await ClinicWeb.run { web in
            let (c, _) = try await web.clinician("Lia")
            let token = try #require(try await web.store.createApiToken(clinician: c.id, clinic: c.clinic, name: "t")).token
            var ids: [Patient.ID] = []
            for i in 0..<12 {
                ids.append(try await web.store.createPatient(PatientDetails(reference: "L-\(i)", conditions: i % 3 == 0 ? ["flexion-intolerant"] : [],
                                                                           screenAnswers: ["fever": false], usualPain: i % 9),
                                                            clinic: c.clinic, by: .clinician(c.id)).id)
            }
            func list() async throws -> String { String(buffer: try await web.send(.get, "/v1/clinic/patients", headers: bearer(token)).body) }
            #expect(try await list() == (try await reference(web, c.clinic)))
            #expect(try await list() == (try await reference(web, c.clinic)), "the second call, every row reused")
            // Changes: an alert (the row moves to the top), a log (its last day), new details, a patient erased.
            _ = try await web.store.raiseAlert(.redFlag(.sameDay), detail: "2026-12-01: fever", patient: ids[5], clinic: c.clinic)
            _ = try await web.store.appendLog(LogDraft(day: CalendarDate("2026-12-01")!, sessionDone: true), patient: ids[2], clinic: c.clinic)
            _ = try await web.store.updatePatient(id: ids[7], clinic: c.clinic, details: PatientDetails(reference: "L-7b", usualPain: 2), by: .clinician(c.id))
            #expect(try await web.store.erasePatient(id: ids[9], clinic: c.clinic, by: .clinician(c.id)))
            let changed = try await list()
            #expect(changed == (try await reference(web, c.clinic)))
            #expect(changed.contains("L-7b") && !changed.contains("\"L-9\"") && changed.hasPrefix("{\"patients\":[{\"open_alerts\":[{"))
        }
    }
}
