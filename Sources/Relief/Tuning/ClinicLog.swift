import Foundation

/// A clinic's outcomes: each patient's outcome measure and baseline, what they did week by week,
/// and their follow-up scores (README, "A clinic's outcomes: `relief tune --clinic`").
///
/// Three CSV files in one folder, one fact per row, ids checked against the catalogue:
/// - `patients.csv`: `patient_id,measure,baseline` (measure `rmdq`, `odi` or `nprs`);
/// - `done.csv`: `patient_id,week,exercise_id,units` (units: sets, or minutes, done that week);
/// - `scores.csv`: `patient_id,week,score` (the follow-up scores, after that week's exercise).
public struct ClinicLog: Sendable, Hashable {
    public struct Patient: Sendable, Hashable {
        public let id: String
        public let measure: OutcomeMeasure
        public let baseline: Double
        /// Units done per week (1-based) and catalogue exercise index.
        public var done: [Int: [Int: Double]]
        /// Follow-up score per week.
        public var scores: [Int: Double]

        public init(id: String, measure: OutcomeMeasure, baseline: Double, done: [Int: [Int: Double]] = [:], scores: [Int: Double] = [:]) {
            self.id = id; self.measure = measure; self.baseline = baseline; self.done = done; self.scores = scores
        }
    }
    public let patients: [Patient]

    public init(patients: [Patient]) { self.patients = patients }

    /// The measures a clinic's outcomes may use: the ones scored on a fixed range, so that an
    /// improvement as a share of the range pools them.
    public static let measures: [OutcomeMeasure] = [.rmdq, .odi, .nprs]

    /// A measure's full range in points (RMDQ 0-24, ODI 0-100, NPRS 0-10); nil for the others.
    public static func range(_ m: OutcomeMeasure) -> Double? {
        switch m {
        case .rmdq: 24
        case .odi: 100
        case .nprs: 10
        case .psfs, .pgic: nil
        }
    }

    /// Weeks of a clinic's programme: 1 to 104 (two years).
    public static let weeks = NumberRange(1, 104, whole: true)

    /// Reads and checks a clinic folder; every problem is reported with file, line and column.
    public static func load(directory: String, catalogue: Catalogue) throws -> ClinicLog {
        let dir = directory.hasSuffix("/") ? directory : directory + "/"
        let names = (dir + "patients.csv", dir + "done.csv", dir + "scores.csv")
        return try parse(patients: CSVTable.read(path: names.0, displayName: names.0),
                         done: CSVTable.read(path: names.1, displayName: names.1),
                         scores: CSVTable.read(path: names.2, displayName: names.2), catalogue: catalogue)
    }

    /// Reads a clinic from the texts of its three files.
    public static func parse(patients: String, done: String, scores: String, catalogue: Catalogue) throws -> ClinicLog {
        try parse(patients: CSVTable.parse(patients, file: "patients.csv"), done: CSVTable.parse(done, file: "done.csv"),
                  scores: CSVTable.parse(scores, file: "scores.csv"), catalogue: catalogue)
    }

    static func parse(patients pt: CSVTable, done dt: CSVTable, scores st: CSVTable, catalogue: Catalogue) throws -> ClinicLog {
        var issues = IssueCollector()
        let pc = checkHeader(pt, required: ["patient_id", "measure", "baseline"], issues: &issues, hint: "patient_id,measure,baseline")
        let dc = checkHeader(dt, required: ["patient_id", "week", "exercise_id", "units"], issues: &issues, hint: "patient_id,week,exercise_id,units")
        let sc = checkHeader(st, required: ["patient_id", "week", "score"], issues: &issues, hint: "patient_id,week,score")
        try issues.throwIfAny()

        var order: [String] = []
        var byID: [String: Patient] = [:]
        var firstLine = FirstLines()
        let measureWords = measures.map(\.rawValue).joined(separator: ", ")
        for record in pt.records {
            var f = FieldReader(file: pt.file, line: record.line, columns: pc, fields: record.fields, issues: issues)
            let id = f.text("patient_id")
            if id.count > Limits.idLength { f.fail("patient_id", "patient_id must be at most \(Limits.idLength) characters, got \(id.count)") }
            if let first = firstLine.repeated(id, on: record.line) {
                f.fail("patient_id", "patient \"\(id)\" is listed twice (first on line \(first))")
            }
            let word = f.text("measure").lowercased()
            let measure = OutcomeMeasure(rawValue: word).flatMap { measures.contains($0) ? $0 : nil }
            if !word.isEmpty && measure == nil { f.fail("measure", "unknown measure \"\(word)\"; expected one of \(measureWords)") }
            let baseline = measure.flatMap { f.number("baseline", NumberRange(0, range($0)!)) }
            issues = f.issues
            guard let measure, let baseline, !id.isEmpty, byID[id] == nil else { continue }
            order.append(id)
            byID[id] = Patient(id: id, measure: measure, baseline: baseline)
        }
        let known = Set(pt.records.compactMap { r in pc["patient_id"].flatMap { $0 < r.fields.count ? r.fields[$0] : nil } })
        func patient(_ f: inout FieldReader) -> String? {
            let id = f.text("patient_id")
            if !id.isEmpty && byID[id] == nil && !known.contains(id) {
                f.fail("patient_id", "unknown patient \"\(id)\"; it is not in patients.csv")
            }
            return byID[id] == nil ? nil : id
        }
        var doneLine = FirstLines()
        for record in dt.records {
            var f = FieldReader(file: dt.file, line: record.line, columns: dc, fields: record.fields, issues: issues)
            let id = patient(&f)
            let week = f.number("week", weeks)
            let exercise = f.text("exercise_id")
            let e = catalogue.exerciseIndex(exercise)
            if !exercise.isEmpty && e == nil { f.fail("exercise_id", "unknown exercise id \"\(exercise)\"; it is not in the catalogue") }
            if let first = doneLine.repeated(f.raw("patient_id") + "\u{0}" + f.raw("week") + "\u{0}" + exercise, on: record.line) {
                f.fail("exercise_id", "patient \"\(f.raw("patient_id"))\" lists \"\(exercise)\" twice in week \(f.raw("week")) (first on line \(first))")
            }
            let units = f.number("units", Limits.loggedUnits)
            issues = f.issues
            guard let id, let week, let e, let units else { continue }
            byID[id]!.done[Int(week), default: [:]][e, default: 0] += units
        }
        var scoreLine = FirstLines()
        for record in st.records {
            var f = FieldReader(file: st.file, line: record.line, columns: sc, fields: record.fields, issues: issues)
            let id = patient(&f)
            let week = f.number("week", weeks)
            if let first = scoreLine.repeated(f.raw("patient_id") + "\u{0}" + f.raw("week"), on: record.line) {
                f.fail("week", "patient \"\(f.raw("patient_id"))\" has two scores in week \(f.raw("week")) (first on line \(first))")
            }
            let score = id.flatMap { f.number("score", NumberRange(0, range(byID[$0]!.measure)!)) }
            issues = f.issues
            guard let id, let week, let score else { continue }
            byID[id]!.scores[Int(week)] = score
        }
        if order.isEmpty { issues.add(pt.file, nil, nil, "no patients: the clinic needs at least one row") }
        try issues.throwIfAny()
        return ClinicLog(patients: order.map { byID[$0]! })
    }

    /// Writes the clinic in its three-file format (the synthetic-clinic generator), rows in
    /// patient, week and catalogue order.
    public func write(directory: String, catalogue: Catalogue) throws {
        var p = "patient_id,measure,baseline\n", d = "patient_id,week,exercise_id,units\n", s = "patient_id,week,score\n"
        for patient in patients {
            p += "\(patient.id),\(patient.measure.rawValue),\(formatNumber(patient.baseline))\n"
            for (week, units) in patient.done.sorted(by: { $0.key < $1.key }) {
                for (e, u) in units.sorted(by: { $0.key < $1.key }) { d += "\(patient.id),\(week),\(catalogue.exercises[e].id),\(formatNumber(u))\n" }
            }
            for (week, score) in patient.scores.sorted(by: { $0.key < $1.key }) { s += "\(patient.id),\(week),\(formatNumber(score))\n" }
        }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try writeAtomically(p, to: directory + "/patients.csv")
        try writeAtomically(d, to: directory + "/done.csv")
        try writeAtomically(s, to: directory + "/scores.csv")
    }
}
