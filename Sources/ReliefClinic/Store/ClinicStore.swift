import Foundation
import Relief

/// The clinic's data: clinics, clinicians and their sessions and API tokens, patients, their
/// prescriptions, links, logs and alerts, and the audit log.
///
/// Every method that reads or changes a clinic's data takes the clinic, and the implementations
/// put it in their queries' `WHERE` clauses: another clinic's patient is simply not found (nil,
/// or an empty list), whatever the caller forgot to check. Every write is one transaction.
public protocol ClinicStore: Sendable {
    // MARK: Clinics and clinicians
    func createClinic(name: String) async throws -> Clinic
    /// Every clinic, by id (the alert sweep walks them).
    func clinics() async throws -> [Clinic]
    /// A clinic and its first clinician in one transaction: a clinician that cannot be made
    /// (an email taken) leaves no clinic behind.
    func createClinic(name: String, email: String, displayName: String, password: String) async throws -> (Clinic, Clinician)
    /// Hashes `password` with bcrypt at the store's cost; the plain password is not kept.
    func createClinician(clinic: Clinic.ID, email: String, displayName: String, password: String) async throws -> Clinician
    func clinician(id: Clinician.ID, clinic: Clinic.ID) async throws -> Clinician?
    /// The clinician whose email and password match, or nil. Takes as long for an unknown email
    /// as for a wrong password (a dummy hash is checked), so timing does not tell which emails exist.
    func verifySignIn(email: String, password: String) async throws -> Clinician?

    // MARK: Sessions and API tokens
    func createSession(clinician: Clinician.ID, clinic: Clinic.ID, lifetime: TimeInterval) async throws -> IssuedSession?
    /// The live session whose cookie value is `token`; nil when unknown or expired.
    func session(token: String) async throws -> ClinicianSession?
    func deleteSession(token: String) async throws
    func createApiToken(clinician: Clinician.ID, clinic: Clinic.ID, name: String) async throws -> IssuedApiToken?
    /// The unrevoked token for this bearer value, or nil.
    func apiToken(token: String) async throws -> ApiToken?
    func revokeApiToken(id: ApiToken.ID, clinic: Clinic.ID) async throws -> Bool

    // MARK: Patients
    func createPatient(_ details: PatientDetails, clinic: Clinic.ID, by actor: Actor) async throws -> Patient
    func patients(clinic: Clinic.ID) async throws -> [Patient]
    func patient(id: Patient.ID, clinic: Clinic.ID) async throws -> Patient?
    func updatePatient(id: Patient.ID, clinic: Clinic.ID, details: PatientDetails, by actor: Actor) async throws -> Patient?
    /// Deletes the patient with their prescriptions, links, logs and alerts, and audits it.
    /// False when the clinic has no such patient.
    func erasePatient(id: Patient.ID, clinic: Clinic.ID, by actor: Actor) async throws -> Bool
    /// The clinician's list in one call: every patient of the clinic with their open alerts,
    /// those with the most severe alert first, then by reference.
    func patientList(clinic: Clinic.ID) async throws -> [PatientListRow]

    // MARK: Prescriptions
    /// Saves the patient's draft: replaces the open draft, or starts the next version.
    func saveDraft(_ plan: PrescriptionPlan, patient: Patient.ID, clinic: Clinic.ID, by clinician: Clinician.ID) async throws -> Prescription?
    /// Publishes a draft and supersedes the version published before it (one at a time).
    func publish(prescription: Prescription.ID, clinic: Clinic.ID, by clinician: Clinician.ID) async throws -> Prescription?
    func prescriptions(patient: Patient.ID, clinic: Clinic.ID) async throws -> [Prescription]
    func publishedPrescription(patient: Patient.ID, clinic: Clinic.ID) async throws -> Prescription?

    // MARK: Patient links
    /// A new link; its token is in the result and nowhere else.
    func createLink(patient: Patient.ID, clinic: Clinic.ID, by clinician: Clinician.ID, expiresAt: Date) async throws -> IssuedLink?
    /// The link for this token when it is neither expired nor revoked.
    func resolveLink(token: String) async throws -> PatientLink?
    func revokeLink(id: PatientLink.ID, clinic: Clinic.ID, by clinician: Clinician.ID) async throws -> Bool
    func links(patient: Patient.ID, clinic: Clinic.ID) async throws -> [PatientLink]

    // MARK: Logs
    /// Appends an entry; one with a symptom also raises a ``AlertKind/redFlag(_:)`` alert with
    /// the symptom's tier, and `audit` (who, and the line's detail) is the audit log's line for
    /// it, all in the same transaction.
    func appendLog(_ entry: LogDraft, patient: Patient.ID, clinic: Clinic.ID, audit: (actor: Actor, detail: String)?) async throws -> PatientLogEntry?
    /// What the alert sweep reads of a patient, in one read: the published prescription, the
    /// logs from ``AlertSweep/logsFrom(published:today:)`` and every alert.
    func sweepRecord(patient: Patient.ID, clinic: Clinic.ID, today: CalendarDate) async throws -> SweepRecord
    /// Entries by day then time of recording; `from`/`to` inclusive, nil for open-ended.
    func logs(patient: Patient.ID, clinic: Clinic.ID, from: CalendarDate?, to: CalendarDate?) async throws -> [PatientLogEntry]

    /// Records that the clinician cleared the patient to exercise on `day` (a symptom had paused
    /// their sessions), and audits it; nil when the patient or the clinician is not the clinic's.
    func clear(patient: Patient.ID, clinic: Clinic.ID, day: CalendarDate, by clinician: Clinician.ID, note: String) async throws -> Clearance?
    /// The patient's clearances by day, then as recorded.
    func clearances(patient: Patient.ID, clinic: Clinic.ID) async throws -> [Clearance]

    // MARK: Alerts
    /// Records a day's outcome answers; nil when the patient is not the clinic's.
    func appendOutcome(_ fact: OutcomeFact, day: CalendarDate, patient: Patient.ID, clinic: Clinic.ID) async throws -> PatientOutcome?
    /// A patient's outcome records by day, then as recorded.
    func outcomes(patient: Patient.ID, clinic: Clinic.ID) async throws -> [PatientOutcome]
    /// Every outcome record of the clinic's patients, by patient, then day (the clinic's chart).
    func outcomes(clinic: Clinic.ID) async throws -> [PatientOutcome]
    func raiseAlert(_ kind: AlertKind, detail: String, patient: Patient.ID, clinic: Clinic.ID) async throws -> Alert?
    /// The patient's alerts (or the clinic's with `patient` nil): open ones first, by severity,
    /// then the newest; acknowledged ones after, newest first.
    func alerts(patient: Patient.ID?, clinic: Clinic.ID) async throws -> [Alert]
    func acknowledgeAlert(id: Alert.ID, clinic: Clinic.ID, by clinician: Clinician.ID, note: String) async throws -> Alert?

    // MARK: Audit and a person's data
    func appendAudit(actor: Actor, action: AuditAction, patient: Patient.ID?, clinic: Clinic.ID, detail: String) async throws
    func audit(patient: Patient.ID, clinic: Clinic.ID) async throws -> [AuditEvent]
    /// The patient's whole record; the export itself is audited.
    func export(patient: Patient.ID, clinic: Clinic.ID, by actor: Actor) async throws -> PatientRecord?

    /// Releases connections; the store is unusable afterwards.
    func close() async throws
}

extension ClinicStore {
    /// Appends an entry, unaudited (the caller audits it, or it is a test's or a seed's).
    public func appendLog(_ entry: LogDraft, patient: Patient.ID, clinic: Clinic.ID) async throws -> PatientLogEntry? {
        try await appendLog(entry, patient: patient, clinic: clinic, audit: nil)
    }
}

/// What the alert sweep reads of one patient (``ClinicStore/sweepRecord(patient:clinic:today:)``).
public struct SweepRecord: Sendable {
    public let published: Prescription?
    public let logs: [PatientLogEntry]
    public let alerts: [Alert]
    public init(published: Prescription?, logs: [PatientLogEntry], alerts: [Alert]) {
        self.published = published
        self.logs = logs
        self.alerts = alerts
    }
}
