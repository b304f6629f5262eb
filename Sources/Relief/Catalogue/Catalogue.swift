import Foundation

/// One cause of back pain the routine must cover.
public struct Cause: Sendable, Hashable, Codable {
    public let id: String
    public let name: String
    public let description: String
    /// Points of coverage a routine must reach unless the request says otherwise.
    public let defaultMinimum: Double
}

/// The order a routine is followed in: release knots first, then move the joints, stretch
/// what is tight, strengthen what is weak, and finish with general activity.
public enum Modality: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case release, mobilise, stretch, strengthen, aerobic

    public static func < (a: Modality, b: Modality) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// One exercise of the catalogue.
public struct Exercise: Sendable, Hashable {
    public let id: String
    public let name: String
    public let modality: Modality
    /// What one unit is called ("set", "minute").
    public let unit: String
    /// What one unit consists of, for a person to follow ("3 holds of 30 s each side").
    public let dose: String
    /// Time one unit takes, holds and rests included.
    public let secondsPerUnit: Double
    /// Whole units only (sets), or any amount (minutes of walking).
    public let whole: Bool
    public let maxUnits: Double
    /// Getting into position or fetching equipment: paid once if the exercise is used at all.
    public let setupSeconds: Double
    public let equipment: [String]
    public let avoidIf: [String]
    /// A variant for people with one of these conditions only (`!no-floor` in `avoid_if`):
    /// the standing and sitting variants of floor exercises are for people who cannot get
    /// down to the floor (or must not lie on their back), and stay out of everyone else's
    /// routines, which keep the floor exercises they had.
    public var onlyFor: [String] = []
    /// Points of coverage per unit, one per cause, in the catalogue's cause order.
    public var benefits: [Double]
    public let source: String
    public let instructions: String
    /// When used at all, at least this many units (walking: none or at least 10 minutes).
    public var minUnits: Double = 0
    /// Where the person is: exercises are grouped by position to keep transfers few.
    public var position: Position? = nil
    /// 2 when the dose is done on each side.
    public var sides: Int = 1
    /// Rest after each set (included in `secondsPerUnit`).
    public var restSeconds: Double = 0
    /// A gentle exercise to start with (cat-camel, a walk).
    public var warmUp: Bool = false
    /// When to stop this exercise, for every person.
    public var stopIf: String = ""
    /// Cues for people with a given condition (shown only to them).
    public var cautions: [Caution] = []
    /// What this exercise does that a condition of `avoid_if` rules out, in the person's words
    /// ("twists the spine"), by condition: the reason a plan gives for leaving it out
    /// (``Exclusion/unsafe(_:why:)``; fourth physiotherapist read, WRONG 11).
    public var avoidWhy: [String: String] = [:]
    /// The muscle group a strengthening exercise works ("trunk-side", "hips"): a programme
    /// never strengthens the same group on consecutive days.
    public var group: String? = nil
    /// The next harder variant on this exercise's progression ladder (an exercise id).
    public var harder: String? = nil
    /// One set in numbers (`dose_kind`, `reps`, `rep_seconds`, `hold_seconds`), when the
    /// catalogue gives it: `dose` is then generated from it, and `secondsPerUnit` derived from
    /// it or checked against it (``Dose``).
    public var setDose: Dose? = nil

    /// The group of the balance exercises (heel-to-toe stand, single-leg stance).
    public static let balanceGroup = "balance"

    /// Whether the exercise's sets count as strengthening (the strength share, the week's
    /// strengthening): a strengthening exercise that is not balance. Balance is trained, not
    /// loaded (Too Fit To Fracture keeps balance and strength training apart), so standing
    /// heel-to-toe never fills a session's strengthening (the fourth physiotherapist read, WRONG 9).
    public var strengthens: Bool { modality == .strengthen && group != Exercise.balanceGroup }

    /// Whether it is balance training: counted apart, neither strengthening nor time the
    /// strength share is taken of.
    public var isBalance: Bool { modality == .strengthen && group == Exercise.balanceGroup }
}

/// A cue for people with one condition ("radicular-pain: keep the roller off the sciatic notch").
public struct Caution: Sendable, Hashable, Codable {
    public let condition: String
    public let cue: String
}

/// The position an exercise is done in, in the order a session moves through them: up on the
/// feet first, then a chair, then down to the floor (kneeling, then lying).
public enum Position: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case standing, sitting, kneeling, lying

    public static func < (a: Position, b: Position) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// Causes and exercises, validated together.
public struct Catalogue: Sendable {
    public let causes: [Cause]
    public let exercises: [Exercise]
    /// Sets of exercises a session should include some of (``Focus``, `focus.csv`): none when
    /// the data folder has no such file.
    public let focuses: [Focus]
    /// Exercise id → index, built once: look-ups inside loops stay linear on large catalogues.
    private let indexByID: [String: Int]

    public init(causes: [Cause], exercises: [Exercise], focuses: [Focus] = []) {
        self.causes = causes
        self.exercises = exercises
        self.focuses = focuses
        var index: [String: Int] = [:]
        for (k, ex) in exercises.enumerated() where index[ex.id] == nil { index[ex.id] = k }   // the first, as before
        indexByID = index
    }

    public func causeIndex(_ id: String) -> Int? { causes.firstIndex { $0.id == id } }
    public func exerciseIndex(_ id: String) -> Int? { indexByID[id] }

    /// Every condition some exercise is to be avoided with.
    public var knownConditions: [String] {
        let focusConditions = focuses.flatMap { f -> [String] in if case .conditions(let cs) = f.applies { Array(cs) } else { [] } }
        return Array(Set(exercises.flatMap(\.avoidIf) + exercises.flatMap(\.onlyFor) + exercises.flatMap { $0.cautions.map(\.condition) }
                         + focusConditions)).sorted()
    }
    /// Every piece of equipment some exercise needs.
    public var knownEquipment: [String] { Array(Set(exercises.flatMap(\.equipment))).sorted() }

    static let exerciseFields = ["id", "name", "modality", "unit", "dose", "seconds_per_unit", "whole",
                                 "max_units", "setup_seconds", "equipment", "avoid_if"]
    static let trailingFields = ["source", "instructions"]
    /// Columns a catalogue may have; absent, they take their defaults (no minimum dose, no
    /// position, one side, no rest, not a warm-up, no cues).
    static let optionalFields = ["min_units", "position", "sides", "rest_seconds", "warm_up", "stop_if", "cautions",
                                 "group", "harder", "dose_kind", "reps", "rep_seconds", "hold_seconds", "avoid_why"]
    /// The columns of a dose in numbers (``Dose``): in a file that has `dose_kind`, every row fills it.
    static let doseFields = ["dose_kind", "reps", "rep_seconds", "hold_seconds"]

    /// Loads `causes.csv` and `exercises.csv` from `directory`, strictly: any problem in
    /// either file throws ``DataErrors`` listing every problem found.
    public static func load(directory: String) throws -> Catalogue {
        guard !directory.isEmpty else {
            throw DataErrors([DataIssue(file: "\"\"", "the data folder is an empty name: give a folder with causes.csv and exercises.csv")])
        }
        var st = stat()
        if stat(directory, &st) == 0 && (st.st_mode & S_IFMT) != S_IFDIR {
            throw DataErrors([DataIssue(file: directory, "is a file, not a folder: give the folder with causes.csv and exercises.csv")])
        }
        let display = directory.hasSuffix("/") ? directory : directory + "/"
        let causes = try loadCauses(path: display + "causes.csv")
        let exercises = try loadExercises(path: display + "exercises.csv", causes: causes)
        return Catalogue(causes: causes, exercises: exercises, focuses: try loadFocuses(directory: display, exercises: exercises))
    }

    /// `focus.csv` in the folder, if there is one (``Focus``).
    static func loadFocuses(directory display: String, exercises: [Exercise]) throws -> [Focus] {
        let path = display + "focus.csv"
        guard FileManager.default.fileExists(atPath: path) else { return [] }
        return try focuses(from: CSVTable.read(path: path, displayName: path), exercises: exercises)
    }

    static func loadCauses(path: String) throws -> [Cause] {
        try causes(from: CSVTable.read(path: path, displayName: path))
    }

    /// Reads a catalogue from the texts of its two files; `names` are how messages call them.
    /// The same checks as ``load(directory:)``.
    public static func parse(causes causesText: String, exercises exercisesText: String,
                             names: (causes: String, exercises: String) = ("causes.csv", "exercises.csv")) throws -> Catalogue {
        let causes = try causes(from: CSVTable.parse(causesText, file: names.causes))
        return Catalogue(causes: causes, exercises: try exercises(from: CSVTable.parse(exercisesText, file: names.exercises), causes: causes))
    }

    static func causes(from table: CSVTable) throws -> [Cause] {
        let path = table.file
        var issues = IssueCollector()
        let required = ["id", "name", "description", "default_minimum"]
        let columns = checkHeader(table, required: required, issues: &issues,
                                  hint: required.joined(separator: ","))
        try issues.throwIfAny()
        var causes: [Cause] = []
        var seen: [String: Int] = [:]
        for record in table.records {
            var f = FieldReader(file: path, line: record.line, columns: columns, fields: record.fields, issues: issues)
            let id = f.text("id")
            if !id.isEmpty, let problem = identifierProblem(id) { f.fail("id", problem) }
            if let first = seen[id] {
                f.fail("id", "duplicate cause id \"\(id)\" (first on line \(first))")
            }
            seen[id] = seen[id] ?? record.line
            let name = f.text("name")
            let description = f.text("description", required: false)
            let minimum = f.number("default_minimum", Limits.defaultMinimum)
            issues = f.issues
            if let minimum { causes.append(Cause(id: id, name: name, description: description, defaultMinimum: minimum)) }
        }
        if table.records.isEmpty { issues.add(path, nil, nil, "no causes: the file needs at least one row") }
        try issues.throwIfAny()
        return causes
    }

    static func loadExercises(path: String, causes: [Cause]) throws -> [Exercise] {
        try exercises(from: CSVTable.read(path: path, displayName: path), causes: causes)
    }

    static func exercises(from table: CSVTable, causes: [Cause]) throws -> [Exercise] {
        let path = table.file
        var issues = IssueCollector()
        let causeIDs = causes.map(\.id)
        let required = exerciseFields + causeIDs + trailingFields
        let columns = checkHeader(table, required: required, optional: optionalFields, issues: &issues,
                                  hint: "\(exerciseFields.joined(separator: ",")), one column per cause in causes.csv (\(causeIDs.joined(separator: ","))), \(trailingFields.joined(separator: ",")), and optionally \(optionalFields.joined(separator: ","))")
        for name in doseFields.dropFirst() where columns[name] != nil && columns["dose_kind"] == nil {
            issues.add(path, table.headerLine, columns[name]! + 1, "column \"\(name)\" is part of a dose in numbers and needs the dose_kind column too (\(doseFields.joined(separator: ",")))")
        }
        try issues.throwIfAny()
        var exercises: [Exercise] = []
        var seen: [String: Int] = [:]
        var ladderSteps: [(from: String, to: String, line: Int)] = []
        var ladderInfo: [String: (modality: Modality, group: String?)] = [:]
        for record in table.records {
            var f = FieldReader(file: path, line: record.line, columns: columns, fields: record.fields, issues: issues)
            if record.fields.count != table.header.count {
                issues.add(path, record.line, nil, "expected \(table.header.count) fields as in the header, got \(record.fields.count)")
                continue
            }
            let id = f.text("id")
            if !id.isEmpty, let problem = identifierProblem(id) { f.fail("id", problem) }
            if let first = seen[id] { f.fail("id", "duplicate exercise id \"\(id)\" (first on line \(first))") }
            seen[id] = seen[id] ?? record.line
            let name = f.text("name")
            let modality = Modality(rawValue: f.raw("modality").lowercased())
            if modality == nil {
                f.fail("modality", "modality must be one of \(Modality.allCases.map(\.rawValue).joined(separator: ", ")), got \"\(f.raw("modality"))\"")
            }
            let unit = f.text("unit")
            var dose = f.text("dose", required: false)
            let structured = columns["dose_kind"] != nil
            let typedSeconds = structured && f.raw("seconds_per_unit").isEmpty ? nil : f.number("seconds_per_unit", Limits.secondsPerUnit)
            var seconds = typedSeconds
            let whole = f.yesNo("whole")
            let maxUnits = f.number("max_units", Limits.maxUnits)
            if let maxUnits, whole == true, maxUnits.rounded() != maxUnits {
                f.fail("max_units", "max_units must be a whole number when whole is yes, got \"\(f.raw("max_units"))\"")
            }
            let setup = f.number("setup_seconds", Limits.setupSeconds)
            let benefits = causeIDs.map { f.number($0, Limits.benefit) }
            let source = f.text("source")
            let instructions = f.text("instructions", required: false)
            let minUnits = columns["min_units"] == nil || f.raw("min_units").isEmpty ? 0 : f.number("min_units", Limits.minUnits)
            if let minUnits, let maxUnits, minUnits > maxUnits {
                f.fail("min_units", "min_units must be at most max_units (\(readable(maxUnits))), got \"\(f.raw("min_units"))\"")
            }
            if let minUnits, whole == true, minUnits.rounded() != minUnits {
                f.fail("min_units", "min_units must be a whole number when whole is yes, got \"\(f.raw("min_units"))\"")
            }
            var position: Position?
            if !f.raw("position").isEmpty {
                position = Position(rawValue: f.raw("position").lowercased())
                if position == nil {
                    f.fail("position", "position must be one of \(Position.allCases.map(\.rawValue).joined(separator: ", ")), got \"\(f.raw("position"))\"")
                }
            }
            let sides = f.raw("sides").isEmpty ? 1 : f.number("sides", Limits.sides)
            let rest = f.raw("rest_seconds").isEmpty ? 0 : f.number("rest_seconds", Limits.setupSeconds)
            let warmUp = f.raw("warm_up").isEmpty ? false : f.yesNo("warm_up")
            var cautions: [Caution] = []
            for part in f.raw("cautions").split(separator: "|") {
                let text = part.trimmingCharacters(in: .whitespaces)
                guard !text.isEmpty else { continue }
                guard let colon = text.firstIndex(of: ":"), isIdentifier(String(text[..<colon])) else {
                    f.fail("cautions", "each caution is \"condition: cue\", separated by |, got \"\(text.prefix(40))\"")
                    continue
                }
                cautions.append(Caution(condition: String(text[..<colon]),
                                        cue: text[text.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
            }
            var avoidWhy: [String: String] = [:]
            for part in f.raw("avoid_why").split(separator: "|") {
                let text = part.trimmingCharacters(in: .whitespaces)
                guard !text.isEmpty else { continue }
                guard let colon = text.firstIndex(of: ":"), isIdentifier(String(text[..<colon])) else {
                    f.fail("avoid_why", "each reason is \"condition: what it does\", separated by |, got \"\(text.prefix(40))\"")
                    continue
                }
                let condition = String(text[..<colon])
                guard f.list("avoid_if").contains(condition) else {
                    f.fail("avoid_why", "a reason for \"\(condition)\", which is not in this exercise's avoid_if")
                    continue
                }
                avoidWhy[condition] = text[text.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
            let group = f.raw("group").isEmpty ? nil : f.raw("group")
            if let group, let problem = identifierProblem(group) { f.fail("group", problem.replacingOccurrences(of: "id must", with: "group must")) }
            let harder = f.raw("harder").isEmpty ? nil : f.raw("harder")
            if let harder { ladderSteps.append((id, harder, record.line)) }
            if let modality { ladderInfo[id] = (modality, group) }
            var setDose: Dose?
            if structured {
                setDose = readDose(&f, note: dose)
                if let setDose, let sides, let rest, let whole {
                    let need = setDose.neededSeconds(sides: Int(sides), rest: rest)
                    if let typed = typedSeconds {
                        if typed < need {
                            f.fail("seconds_per_unit", "seconds_per_unit \(readable(typed)) is less than the dose needs: \(setDose.arithmetic(sides: Int(sides), rest: rest))")
                        }
                    } else if Limits.secondsPerUnit.contains(need) {
                        seconds = need
                    } else {
                        f.fail("seconds_per_unit", "seconds_per_unit derived from the dose must be \(Limits.secondsPerUnit.expected), got \(setDose.arithmetic(sides: Int(sides), rest: rest))")
                    }
                    if setDose.note.unicodeScalars.contains(where: { ("0"..."9").contains($0) }) {
                        let bare = Dose(kind: setDose.kind, reps: setDose.reps, repSeconds: setDose.repSeconds, holdSeconds: setDose.holdSeconds)
                        f.fail("dose", "dose \"\(dose.count > 40 ? String(dose.prefix(40)) + "…" : dose)\" has numbers, but with dose_kind the text is generated from the numbers (\"\(bare.text(sides: Int(sides), whole: whole))\"); leave dose empty or give a note without numbers")
                    } else {
                        dose = setDose.text(sides: Int(sides), whole: whole)
                    }
                }
            } else if let typed = typedSeconds, let rest, typed < rest {
                f.fail("seconds_per_unit", "seconds_per_unit \(readable(typed)) is less than rest_seconds \(readable(rest)), which it includes")
            }
            let before = issues.issues.count
            issues = f.issues
            guard issues.issues.count == before, let modality, let seconds, let whole, let maxUnits, let setup,
                  let minUnits, let sides, let rest, let warmUp else { continue }
            exercises.append(Exercise(
                id: id, name: name, modality: modality, unit: unit, dose: dose, secondsPerUnit: seconds,
                whole: whole, maxUnits: maxUnits, setupSeconds: setup, equipment: f.list("equipment"),
                avoidIf: f.list("avoid_if").filter { !$0.hasPrefix("!") },
                onlyFor: f.list("avoid_if").filter { $0.hasPrefix("!") }.map { String($0.dropFirst()) },
                benefits: benefits.map { $0 ?? 0 }, source: source, instructions: instructions,
                minUnits: minUnits, position: position, sides: Int(sides),
                restSeconds: rest, warmUp: warmUp, stopIf: f.raw("stop_if"), cautions: cautions, avoidWhy: avoidWhy,
                group: group, harder: harder, setDose: setDose))
        }
        if table.records.isEmpty { issues.add(path, nil, nil, "empty catalogue: the file needs at least one exercise") }
        // Progression ladders: each `harder` names another exercise, no exercise is the harder
        // variant of two, and no ladder loops back on itself.
        let harderColumn = columns["harder"].map { $0 + 1 }
        var easierOf: [String: String] = [:]
        for step in ladderSteps {
            if seen[step.to] == nil {
                issues.add(path, step.line, harderColumn, "harder must name an exercise of this catalogue, got \"\(step.to)\"")
            } else if step.to == step.from {
                issues.add(path, step.line, harderColumn, "harder must name another exercise, not \"\(step.from)\" itself")
            } else if let other = easierOf[step.to] {
                issues.add(path, step.line, harderColumn, "\"\(step.to)\" is already the harder variant of \"\(other)\"; a ladder has one easier variant per step")
            } else if let from = ladderInfo[step.from], let to = ladderInfo[step.to],
                      let problem = ladderProblem(from: (step.from, from.modality, from.group), to: (step.to, to.modality, to.group)) {
                issues.add(path, step.line, harderColumn, problem)
                easierOf[step.to] = step.from
            } else {
                easierOf[step.to] = step.from
            }
        }
        // A ladder loops when following `harder` from its step ever comes back to an exercise
        // already passed. Each exercise has at most one next step, so every walk is settled
        // once: the walks are followed until an exercise whose answer is known, and the answer
        // is written along the way (linear in the ladder's length, where re-walking each
        // step's ladder was quadratic).
        let next = Dictionary(ladderSteps.map { ($0.from, $0.to) }, uniquingKeysWith: { a, _ in a })
        var loops: [String: Bool] = [:]
        for step in ladderSteps where loops[step.from] == nil {
            var walk: [String] = []
            var onWalk: Set<String> = []
            var current: String? = step.from
            var answer = false
            while let here = current {
                if let known = loops[here] { answer = known; break }
                if onWalk.contains(here) { answer = true; break }
                onWalk.insert(here)
                walk.append(here)
                current = next[here]
            }
            for id in walk { loops[id] = answer }
        }
        for step in ladderSteps where loops[step.from] == true {
            issues.add(path, step.line, harderColumn, "the ladder from \"\(step.from)\" loops back to it; harder variants must lead upwards")
        }
        try issues.throwIfAny()
        return exercises
    }

    /// One row's dose in numbers (``Dose``), each column checked against its kind; nil, with the
    /// problems reported, when it does not make a dose.
    static func readDose(_ f: inout FieldReader, note: String) -> Dose? {
        let kinds = Dose.Kind.allCases.map(\.rawValue).joined(separator: ", ")
        guard !f.raw("dose_kind").isEmpty else {
            f.fail("dose_kind", "dose_kind must be one of \(kinds): this catalogue gives every dose in numbers, so the time per set follows from it")
            return nil
        }
        let kind = Dose.Kind(rawValue: f.raw("dose_kind").lowercased())
        if kind == nil { f.fail("dose_kind", "dose_kind must be one of \(kinds), got \"\(f.raw("dose_kind"))\"") }
        let reps = f.number("reps", Limits.reps)
        let tempo = f.number("rep_seconds", Limits.doseSeconds)
        let hold = f.raw("hold_seconds").isEmpty ? 0 : f.number("hold_seconds", Limits.doseSeconds)
        guard let kind, let reps, let tempo, let hold else { return nil }
        var ok = true
        switch kind {
        case .timed:
            if reps != 1 { f.fail("reps", "reps must be 1 for a timed bout (its length is hold_seconds), got \"\(f.raw("reps"))\""); ok = false }
            if tempo != 0 { f.fail("rep_seconds", "rep_seconds must be 0 for a timed bout (its length is hold_seconds), got \"\(f.raw("rep_seconds"))\""); ok = false }
            if hold == 0 { f.fail("hold_seconds", "hold_seconds must be the bout's length, more than 0, for a timed bout, got \"\(f.raw("hold_seconds"))\""); ok = false }
        case .holds:
            if hold == 0 { f.fail("hold_seconds", "hold_seconds must be more than 0 for holds, got \"\(f.raw("hold_seconds"))\""); ok = false }
        default:
            if tempo == 0 { f.fail("rep_seconds", "rep_seconds must be more than 0 for \(kind.rawValue): a repetition takes time, got \"\(f.raw("rep_seconds"))\""); ok = false }
        }
        return ok ? Dose(kind: kind, reps: Int(reps), repSeconds: tempo, holdSeconds: hold, note: note) : nil
    }

    /// Why a ladder may not step from one exercise to its `harder` variant: a ladder is of
    /// strengthening exercises of one muscle group (or of none, in catalogues without groups);
    /// nil when it may.
    static func ladderProblem(from: (id: String, modality: Modality, group: String?),
                              to: (id: String, modality: Modality, group: String?)) -> String? {
        if from.modality != .strengthen {
            return "harder is for strengthening exercises only; \"\(from.id)\" is \(from.modality.rawValue)"
        }
        if to.modality != .strengthen {
            return "harder must name a strengthening exercise, got \"\(to.id)\" (\(to.modality.rawValue))"
        }
        if to.group != from.group {
            func shown(_ group: String?) -> String { group.map { "\"\($0)\"" } ?? "no group" }
            return "harder must stay in the muscle group \(shown(from.group)), got \"\(to.id)\" in \(shown(to.group))"
        }
        return nil
    }

    /// The sources file a data folder's `source` keys refer to: `sources.md` in the folder, else
    /// `docs/sources.md` beside it (the shipped layout); nil when there is none.
    public static func sourcesFile(directory: String) -> String? {
        let display = directory.hasSuffix("/") ? directory : directory + "/"
        return [display + "sources.md", display + "../docs/sources.md"].first { FileManager.default.fileExists(atPath: $0) }
    }

    /// The keys a sources file defines: every line `- **key**: …`.
    static func sourceKeys(path: String) -> Set<String> {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
        var keys: Set<String> = []
        for line in text.split(separator: "\n") where line.hasPrefix("- **") {
            let rest = line.dropFirst(4)
            if let end = rest.range(of: "**") { keys.insert(String(rest[..<end.lowerBound])) }
        }
        return keys
    }

    /// Reports every problem in a data folder, across files, instead of stopping at the first.
    /// When a sources file exists (``sourcesFile(directory:)``), every key in the `source`
    /// column must be one of its entries.
    public static func check(directory: String) -> [DataIssue] {
        let display = directory.hasSuffix("/") ? directory : directory + "/"
        var issues: [DataIssue] = []
        var causes: [Cause]?
        do { causes = try loadCauses(path: display + "causes.csv") } catch let e as DataErrors {
            issues += e.issues
        } catch { issues.append(DataIssue(file: display + "causes.csv", "\(error)")) }
        if let causes {
            do {
                let table = try CSVTable.read(path: display + "exercises.csv", displayName: display + "exercises.csv")
                let loaded = try exercises(from: table, causes: causes)
                do { _ = try loadFocuses(directory: display, exercises: loaded) } catch let e as DataErrors { issues += e.issues }
                if let sources = sourcesFile(directory: directory), let column = table.header.firstIndex(of: "source") {
                    let known = sourceKeys(path: sources)
                    for record in table.records where column < record.fields.count {
                        for key in record.fields[column].split(separator: ";").map({ $0.trimmingCharacters(in: .whitespaces) })
                        where !known.contains(key) {
                            issues.append(DataIssue(file: display + "exercises.csv", line: record.line, column: column + 1,
                                                    "source \"\(key)\" has no entry in \(sources); add \"- **\(key)**: …\" there or use one of \(known.sorted().joined(separator: ", "))"))
                        }
                    }
                }
            } catch let e as DataErrors {
                issues += e.issues
            } catch { issues.append(DataIssue(file: display + "exercises.csv", "\(error)")) }
        } else {
            issues.append(DataIssue(file: display + "exercises.csv", "not checked: causes.csv must load first, because its cause ids name the benefit columns"))
        }
        return issues
    }
}

func isIdentifier(_ s: String) -> Bool { identifierProblem(s) == nil }

/// Why `s` is not a valid id (lowercase letters, digits, - or _, at most 64 characters).
func identifierProblem(_ s: String) -> String? {
    let shown = s.count > 40 ? String(s.prefix(40)) + "…" : s
    if s.isEmpty || !s.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "_" }) {
        return "id must be lowercase letters, digits, - or _, got \"\(shown)\""
    }
    if s.count > Limits.idLength { return "id must be at most \(Limits.idLength) characters, got \(s.count) (\"\(shown)\")" }
    return nil
}

extension Catalogue {
    /// Every number and id outside its documented range (``Limits``): the same checks the
    /// CSV loader makes, for catalogues built in code. The planner refuses such a catalogue.
    public func rangeProblems() -> [RequestProblem] {
        var problems: [RequestProblem] = []
        func check(_ field: String, _ x: Double, _ range: NumberRange) {
            if !range.contains(x) { problems.append(RequestProblem(field: field, value: readable(x), expected: range.expected)) }
        }
        for cause in causes {
            if let p = identifierProblem(cause.id) { problems.append(RequestProblem(field: "cause id", value: nil, expected: p)) }
            check("causes.\(cause.id).default_minimum", cause.defaultMinimum, Limits.defaultMinimum)
        }
        for ex in exercises {
            if let p = identifierProblem(ex.id) { problems.append(RequestProblem(field: "exercise id", value: nil, expected: p)) }
            check("exercises.\(ex.id).seconds_per_unit", ex.secondsPerUnit, Limits.secondsPerUnit)
            check("exercises.\(ex.id).setup_seconds", ex.setupSeconds, Limits.setupSeconds)
            check("exercises.\(ex.id).max_units", ex.maxUnits, Limits.maxUnits)
            if ex.whole && ex.maxUnits.rounded() != ex.maxUnits {
                problems.append(RequestProblem(field: "exercises.\(ex.id).max_units", value: readable(ex.maxUnits), expected: "a whole number when whole is yes"))
            }
            if ex.benefits.count != causes.count {
                problems.append(RequestProblem(field: "exercises.\(ex.id)", value: "\(ex.benefits.count) benefits", expected: "one benefit per cause (\(causes.count))"))
            }
            for (c, b) in ex.benefits.enumerated() where c < causes.count { check("exercises.\(ex.id).\(causes[c].id)", b, Limits.benefit) }
            if let dose = ex.setDose, ex.secondsPerUnit < dose.neededSeconds(sides: ex.sides, rest: ex.restSeconds) {
                problems.append(RequestProblem(field: "exercises.\(ex.id).seconds_per_unit", value: readable(ex.secondsPerUnit),
                                               expected: "at least what the dose needs: \(dose.arithmetic(sides: ex.sides, rest: ex.restSeconds))"))
            }
        }
        return problems
    }
}

/// Where the catalogue lives: `data` as given, else `RELIEF_DATA` in `environment`, else
/// `./data`, else a `data` folder next to `executable` (the running binary's path) or up to six
/// folders above it (a build folder inside the repository). The executables pass their own
/// environment and path; the library reads neither.
public func findDataDirectory(_ data: String?, environment: [String: String], executable: String) -> String {
    if let data { return data }
    if let env = environment["RELIEF_DATA"], !env.isEmpty { return env }
    if FileManager.default.fileExists(atPath: "data/causes.csv") { return "data" }
    var dir = URL(fileURLWithPath: executable).resolvingSymlinksInPath().deletingLastPathComponent()
    for _ in 0..<6 {
        let candidate = dir.appendingPathComponent("data")
        if FileManager.default.fileExists(atPath: candidate.appendingPathComponent("causes.csv").path) { return candidate.path }
        dir = dir.deletingLastPathComponent()
    }
    return "data"
}
