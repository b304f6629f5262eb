import Foundation

/// Joining the clinician's list in memory from three indexed reads (patients, open alerts,
/// published versions): cheaper than one grouped join over the alert history, and the same
/// code for both stores.
enum ListAssembly {
    static func rows(patients: [Patient], openAlerts: [Alert], published: [SQLRow]) throws -> [PatientListRow] {
        let alertsByPatient = Dictionary(grouping: openAlerts, by: \.patient)
        var versions: [Patient.ID: Int] = [:]
        for r in published { versions[try r.id("patient_id")] = try r.int("version") }
        return patients.map { p in
            PatientListRow(patient: p, openAlerts: (alertsByPatient[p.id] ?? []).sorted(by: Ordering.alerts),
                           publishedVersion: versions[p.id])
        }.sorted(by: Ordering.listRows)
    }
}
