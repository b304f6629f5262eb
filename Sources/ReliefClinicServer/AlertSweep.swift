import Foundation
import Relief
import ReliefClinic

/// The alert sweep (``AlertSweep``) on the server: for one patient after each log they send,
/// and for every clinic when the server starts and then every `--alert-sweep-minutes`
/// (relief-serve). Store errors become the routes' (a 500 without details).
extension ClinicRoutes {
    /// A published programme's sessions per week: from the programme this server already
    /// planned when it has it, else from the prescription's settings, which is what planning gives.
    func plannedSessions(_ p: Prescription, patient: Patient) -> [Int] {
        programmes.get(ProgrammeCache.Key(plan: p.plan, details: patient.details, start: p.startDay, log: []))?.weeks.map(\.sessionCount) ?? p.plan.plannedSessions
    }

    @discardableResult
    func sweepAlerts(patient: Patient, clinic: Clinic.ID) async throws -> [Alert] {
        let today = self.today()
        return try await db { try await AlertSweep.sweep(patient, clinic: clinic, store: self.store, today: today) { self.plannedSessions($0, patient: patient) } }
    }

    /// Sweeps every patient of every clinic; the number of alerts raised.
    public func sweepAllAlerts() async throws -> Int {
        let today = self.today()
        return try await db { try await AlertSweep.sweepAll(store: self.store, today: today) { self.plannedSessions($0, patient: $1) } }
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
