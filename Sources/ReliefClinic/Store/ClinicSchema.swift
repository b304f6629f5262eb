/// The clinic's tables, one list of named migrations that both stores apply in order: GRDB's
/// `DatabaseMigrator` on SQLite, a `relief_migrations` table on PostgreSQL. The SQL is the
/// common subset of the two dialects: `TEXT` and `BIGINT` columns only (times are milliseconds
/// since 1970, booleans 0/1, lists and maps JSON text), random text ids instead of
/// auto-increment keys, and partial indexes, which both support.
///
/// A migration, once released, is never edited: a change is a new migration at the end.
public enum ClinicSchema {
    public struct Migration: Sendable {
        public let name: String
        public let statements: [String]
    }

    public static let migrations: [Migration] = [
        Migration(name: "v1-accounts", statements: [
            """
            CREATE TABLE clinic (
                id TEXT PRIMARY KEY,
                name TEXT NOT NULL,
                created_at BIGINT NOT NULL)
            """,
            """
            CREATE TABLE clinician (
                id TEXT PRIMARY KEY,
                clinic_id TEXT NOT NULL REFERENCES clinic(id) ON DELETE CASCADE,
                email TEXT NOT NULL UNIQUE,
                display_name TEXT NOT NULL,
                password_hash TEXT NOT NULL,
                created_at BIGINT NOT NULL)
            """,
            "CREATE INDEX clinician_by_clinic ON clinician(clinic_id)",
            """
            CREATE TABLE clinician_session (
                id_hash TEXT PRIMARY KEY,
                clinician_id TEXT NOT NULL REFERENCES clinician(id) ON DELETE CASCADE,
                clinic_id TEXT NOT NULL REFERENCES clinic(id) ON DELETE CASCADE,
                csrf_secret TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                expires_at BIGINT NOT NULL)
            """,
            """
            CREATE TABLE api_token (
                id TEXT PRIMARY KEY,
                token_hash TEXT NOT NULL UNIQUE,
                clinician_id TEXT NOT NULL REFERENCES clinician(id) ON DELETE CASCADE,
                clinic_id TEXT NOT NULL REFERENCES clinic(id) ON DELETE CASCADE,
                name TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                revoked_at BIGINT)
            """,
        ]),
        Migration(name: "v1-patients", statements: [
            """
            CREATE TABLE patient (
                id TEXT PRIMARY KEY,
                clinic_id TEXT NOT NULL REFERENCES clinic(id) ON DELETE CASCADE,
                reference TEXT NOT NULL,
                conditions TEXT NOT NULL,
                equipment TEXT NOT NULL,
                screen_answers TEXT NOT NULL,
                usual_pain BIGINT NOT NULL CHECK (usual_pain BETWEEN 0 AND 10),
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL,
                UNIQUE (clinic_id, reference))
            """,
            """
            CREATE TABLE prescription (
                id TEXT PRIMARY KEY,
                patient_id TEXT NOT NULL REFERENCES patient(id) ON DELETE CASCADE,
                clinic_id TEXT NOT NULL REFERENCES clinic(id) ON DELETE CASCADE,
                version BIGINT NOT NULL,
                status TEXT NOT NULL CHECK (status IN ('draft', 'published', 'superseded')),
                plan TEXT NOT NULL,
                created_by TEXT NOT NULL REFERENCES clinician(id),
                created_at BIGINT NOT NULL,
                published_at BIGINT,
                UNIQUE (patient_id, version))
            """,
            // One published and one draft version per patient at most, enforced by the database.
            "CREATE UNIQUE INDEX prescription_one_published ON prescription(patient_id) WHERE status = 'published'",
            "CREATE UNIQUE INDEX prescription_one_draft ON prescription(patient_id) WHERE status = 'draft'",
            // The clinician's list shows each patient's published version.
            "CREATE INDEX prescription_published_by_clinic ON prescription(clinic_id) WHERE status = 'published'",
            """
            CREATE TABLE patient_link (
                id TEXT PRIMARY KEY,
                token_hash TEXT NOT NULL UNIQUE,
                patient_id TEXT NOT NULL REFERENCES patient(id) ON DELETE CASCADE,
                clinic_id TEXT NOT NULL REFERENCES clinic(id) ON DELETE CASCADE,
                created_by TEXT NOT NULL REFERENCES clinician(id),
                created_at BIGINT NOT NULL,
                expires_at BIGINT NOT NULL,
                revoked_at BIGINT)
            """,
            "CREATE INDEX patient_link_by_patient ON patient_link(patient_id)",
        ]),
        Migration(name: "v1-logs-alerts-audit", statements: [
            """
            CREATE TABLE log_entry (
                id TEXT PRIMARY KEY,
                patient_id TEXT NOT NULL REFERENCES patient(id) ON DELETE CASCADE,
                clinic_id TEXT NOT NULL REFERENCES clinic(id) ON DELETE CASCADE,
                day TEXT NOT NULL,
                session_done BIGINT NOT NULL CHECK (session_done IN (0, 1)),
                exercises_done TEXT NOT NULL,
                pain BIGINT CHECK (pain BETWEEN 0 AND 10),
                effort BIGINT CHECK (effort BETWEEN 0 AND 10),
                symptom TEXT,
                symptom_tier TEXT,
                recorded_at BIGINT NOT NULL)
            """,
            // A patient's log by date range (the page's week, the charts, the export), and the
            // latest day for the clinician's list: a per-patient MAX(day) read from the index's
            // end, so a log write touches no other row (concurrent writes never queue on one).
            "CREATE INDEX log_entry_by_patient_day ON log_entry(patient_id, day, recorded_at)",
            """
            CREATE TABLE alert (
                id TEXT PRIMARY KEY,
                patient_id TEXT NOT NULL REFERENCES patient(id) ON DELETE CASCADE,
                clinic_id TEXT NOT NULL REFERENCES clinic(id) ON DELETE CASCADE,
                kind TEXT NOT NULL,
                tier TEXT,
                severity BIGINT NOT NULL,
                detail TEXT NOT NULL,
                raised_at BIGINT NOT NULL,
                acknowledged_by TEXT REFERENCES clinician(id),
                acknowledged_at BIGINT,
                note TEXT)
            """,
            // The clinician's list reads only open alerts of one clinic: a partial index keeps
            // that read as small as the number of open alerts, however long the history.
            "CREATE INDEX alert_open_by_clinic ON alert(clinic_id, severity) WHERE acknowledged_at IS NULL",
            "CREATE INDEX alert_by_patient ON alert(patient_id, raised_at)",
            """
            CREATE TABLE audit_event (
                id TEXT PRIMARY KEY,
                clinic_id TEXT NOT NULL REFERENCES clinic(id) ON DELETE CASCADE,
                actor_kind TEXT NOT NULL,
                actor_id TEXT NOT NULL,
                action TEXT NOT NULL,
                patient_id TEXT,
                at BIGINT NOT NULL,
                detail TEXT NOT NULL)
            """,
            "CREATE INDEX audit_by_patient ON audit_event(clinic_id, patient_id, at)",
        ]),
        // Outcome measures and STarT Back screens (issue 25): a day's answers as JSON, scored
        // when read, so a change of scoring never rewrites a record.
        Migration(name: "v2-outcomes", statements: [
            """
            CREATE TABLE outcome_entry (
                id TEXT PRIMARY KEY,
                patient_id TEXT NOT NULL REFERENCES patient(id) ON DELETE CASCADE,
                clinic_id TEXT NOT NULL REFERENCES clinic(id) ON DELETE CASCADE,
                day TEXT NOT NULL,
                kind TEXT NOT NULL CHECK (kind IN ('measures', 'startback')),
                answers TEXT NOT NULL,
                recorded_at BIGINT NOT NULL)
            """,
            "CREATE INDEX outcome_entry_by_patient_day ON outcome_entry(patient_id, day, recorded_at)",
            // The clinic's outcome chart reads every patient's records of one clinic.
            "CREATE INDEX outcome_entry_by_clinic ON outcome_entry(clinic_id, patient_id, day)",
        ]),
        // A clinician's clearance after a symptom paused the sessions (issue 24): the published
        // programme follows the patient's log, and a symptom that stops the sessions stops them
        // until a clinician clears the patient.
        Migration(name: "v3-clearances", statements: [
            """
            CREATE TABLE clearance (
                id TEXT PRIMARY KEY,
                patient_id TEXT NOT NULL REFERENCES patient(id) ON DELETE CASCADE,
                clinic_id TEXT NOT NULL REFERENCES clinic(id) ON DELETE CASCADE,
                day TEXT NOT NULL,
                cleared_by TEXT NOT NULL REFERENCES clinician(id),
                note TEXT NOT NULL,
                recorded_at BIGINT NOT NULL)
            """,
            "CREATE INDEX clearance_by_patient ON clearance(patient_id, day, recorded_at)",
        ]),
    ]
}
