import Foundation

/// Joining the clinician's list in memory from three indexed reads (patients, open alerts,
/// published versions): cheaper than one grouped join over the alert history, and the same
/// code for both stores.
enum ListAssembly {
    static func rows(patients: [Patient], openAlerts: [Alert], published: [SQLRow]) throws -> [PatientListRow] {
        let alertsByPatient = Dictionary(grouping: openAlerts, by: \.patient)
        var versions: [Patient.ID: Int] = [:]
        for r in published { versions[try r.id("patient_id")] = try r.int("version") }
        let rows = patients.map { p in
            PatientListRow(patient: p, openAlerts: (alertsByPatient[p.id] ?? []).sorted(by: Ordering.alerts),
                           publishedVersion: versions[p.id])
        }
        // Sort positions by precomputed keys: the rows are large values, and a row's severity is
        // a maximum over its alerts, so neither is recomputed or copied per comparison.
        let keys = rows.map { (severity: $0.severity, reference: $0.patient.details.reference, id: $0.patient.id.rawValue) }
        return rows.indices.sorted { i, j in
            let a = keys[i], b = keys[j]
            if a.severity != b.severity { return a.severity > b.severity }
            if a.reference != b.reference { return a.reference < b.reference }
            return a.id < b.id
        }.map { rows[$0] }
    }
}
