import Foundation
import Relief
import ReliefClinic

/// The sweep that raises the alerts time and the log bring (``AlertRules``): for one patient
/// after each log they send, and for every clinic's patients when the server starts and then
/// every `--alert-sweep-minutes` (relief-serve). Raising is idempotent: a finding already
/// alerted (open or acknowledged) is not raised again.
extension ClinicRoutes {
    /// The published programme as the rules read it: its sessions per week from the programme
    /// already planned when the server has it, else from the prescription's settings (the
    /// relief weeks' sessions, then the maintenance weeks'), which is what planning gives.
    func alertProgramme(_ p: Prescription, patient: Patient) -> AlertRules.Published {
        let start = Self.start(of: p)
        let planned: [Int]
        if let kept = programmes.get(ProgrammeCache.Key(plan: p.plan, details: patient.details, start: start)) {
            planned = kept.weeks.map(\.sessionCount)
        } else {
            let s = Self.programmeSettings(p.plan, patient: patient, start: start)
            planned = (1...max(1, s.weeks)).map { $0 <= s.reliefWeeks ? s.days : s.maintenanceDays }
        }
        return AlertRules.Published(version: p.version, start: start, planned: planned)
    }

    /// Raises what the patient's record shows on `today` that has no alert yet; the alerts raised.
    @discardableResult
    func sweepAlerts(patient: Patient, clinic: Clinic.ID) async throws -> [Alert] {
        let today = self.today()
        let published = try await db { try await self.store.publishedPrescription(patient: patient.id, clinic: clinic) }
        let from = min(published.map { Self.start(of: $0).adding(days: -AlertRules.flareLookback) } ?? today, today.adding(days: -2 * AlertRules.flareLookback))
        let logs = try await db { try await self.store.logs(patient: patient.id, clinic: clinic, from: from, to: nil) }
        let existing = try await db { try await self.store.alerts(patient: patient.id, clinic: clinic) }
        let findings = AlertRules.findings(logs: logs, published: published.map { alertProgramme($0, patient: patient) },
                                           usualPain: patient.details.usualPain, today: today, existing: existing)
        var raised: [Alert] = []
        for f in findings {
            if let a = try await db({ try await self.store.raiseAlert(f.kind, detail: AlertRules.detail(f), patient: patient.id, clinic: clinic) }) {
                raised.append(a)
            }
        }
        return raised
    }

    /// Sweeps every patient of every clinic; the number of alerts raised. A patient whose
    /// sweep fails is skipped (and logged by the caller's error), the rest still swept.
    public func sweepAllAlerts() async throws -> Int {
        var count = 0
        for clinic in try await db({ try await self.store.clinics() }) {
            for patient in try await db({ try await self.store.patients(clinic: clinic.id) }) {
                count += try await sweepAlerts(patient: patient, clinic: clinic.id).count
            }
        }
        return count
    }

    /// Sweeps at once, then every `seconds`, until the task is cancelled; each sweep's outcome
    /// (alerts raised, or why it failed) goes to `log`.
    public func sweepEvery(seconds: Double, log: @escaping @Sendable (String) -> Void) async {
        while !Task.isCancelled {
            do {
                let n = try await sweepAllAlerts()
                if n > 0 { log("alert sweep: \(n) alert\(n == 1 ? "" : "s") raised") }
            } catch {
                log("alert sweep failed (tried again in \(formatAmount(seconds)) s): \(error)")
            }
            do { try await Task.sleep(nanoseconds: UInt64(max(1, seconds) * 1e9)) } catch { return }
        }
    }
}
