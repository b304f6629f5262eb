import Foundation
import Relief

/// Output formats of a plan.
public enum OutputFormat: String, Sendable, CaseIterable {
    case table, json, markdown
    /// An HL7 FHIR R4 Bundle (``FHIRExport``): a programme's, not a single routine's.
    case fhir
}

public let medicalDisclaimer = "Not medical advice. Relief's three-cause model is an unvalidated premise and its benefit weights are expert judgement. Most back pain is not a sign of damage and improves with movement; see a clinician if it does not, and at once for numbness in the saddle area or new bladder or bowel changes."

extension Plan {
    public func rendered(_ format: OutputFormat, catalogue: Catalogue) throws -> String {
        switch format {
        case .table: tableText(catalogue: catalogue, markdown: false)
        case .markdown: tableText(catalogue: catalogue, markdown: true)
        case .json: try jsonText()
        case .fhir:
            // A routine is no prescription over weeks: FHIR export is the programme's
            // (`relief plan` refuses `--format fhir` before planning).
            throw EncodingFailure(description: "a single routine has no FHIR form; export a programme (relief programme --format fhir)")
        }
    }

    // MARK: JSON

    /// JSON schema version 1 (documented in the README). Numbers are rounded to 3 decimals
    /// so the text is the same on every machine.
    public func jsonText() throws -> String {
        try JSONWriter.spaced.text(JSONPlan(self)) + "\n"
    }

    // MARK: Table and Markdown

    func tableText(catalogue: Catalogue, markdown: Bool) -> String {
        var out: [String] = []
        out += alertLines(alerts, markdown: markdown)
        out.append(markdown ? "# \(headline)" : headline)
        if let summary { out.append(summary) }
        out.append("")
        if let flareAdvice, !exercises.isEmpty {
            out.append(flareAdvice)
            out.append("")
        }
        if status == .redFlag, let advice = screen.advice {
            out.append(advice)
            let asked = screen.positive.compactMap { RedFlagScreen.question($0)?.text }
            out.append("")
            out.append("You answered yes to:")
            for q in asked { out.append(bullet(markdown) + q) }
            out.append("")
            out.append(markdown ? "_\(medicalDisclaimer)_" : medicalDisclaimer)
            return out.joined(separator: "\n") + "\n"
        }

        if !exercises.isEmpty {
            let header = ["#", "Exercise", "Amount", "How", "Time", "Total"]
            let rows = exercises.map { e in
                [String(e.order), e.name, amount(e), e.dose, mmss(e.seconds), mmss(e.runningSeconds)]
            }
            out += grid(header: header, rows: rows, rightAligned: [0, 4, 5], markdown: markdown)
            out.append("")
            out.append("Time includes getting into position once per exercise and the rests between sets.")
            if let orderReason { out.append("Order: \(orderReason).") }
            out.append("")
            out.append(markdown ? "## How to do each exercise" : "How to do each exercise")
            out += howTo(exercises, markdown: markdown)
            out.append("")
        }

        // With no routine there is nothing to say it works on (the details give the points).
        if !exercises.isEmpty {
            out.append(markdown ? "## What the routine works on" : "What the routine works on")
            let coverRows = coverage.map { c in
                [c.name, c.met ? "the full amount" : c.achieved > 1e-9 ? "part of it" : "not in this time"]
            }
            out += grid(header: ["Area", "This routine gives"], rows: coverRows, rightAligned: [], markdown: markdown)
            out.append("")
            out.append(causesFraming)
        }
        if !focus.isEmpty && !exercises.isEmpty {
            out.append("")
            out.append(markdown ? "## What the session includes" : "What the session includes")
            for f in focus { out.append(bullet(markdown) + focusLine(f)) }
        }

        if !uncoverable.isEmpty {
            out.append("")
            out.append(markdown ? "## Cannot be covered" : "Cannot be covered")
            for u in uncoverable { out.append(bullet(markdown) + "\(u.name): \(u.reason)") }
        }
        if !excluded.isEmpty {
            out.append("")
            out.append(markdown ? "## Left out for you" : "Left out for you")
            for e in excluded { out.append(bullet(markdown) + "\(e.name) (\(e.id)): \(e.reasons.joined(separator: "; "))") }
        }
        if !equipmentSavings.isEmpty {
            out.append("")
            out.append(markdown ? "## With one more piece of kit" : "With one more piece of kit")
            for s in equipmentSavings {
                let full = (minimumSecondsNeeded ?? totalSeconds) - s.secondsSaved
                out.append(bullet(markdown) + "with a \(s.equipment): the full amount for every area in \(clock(full)), \(clock(s.secondsSaved)) shorter")
            }
        }
        // A partial routine's first note is its summary's reason, worded for the details.
        // The flare's note is the paragraph at the top.
        let shownNotes = (status == .partial || status == .overBudget ? Array(notes.dropFirst()) : notes)
            .filter { flareAdvice == nil || $0 != Plan.flareNote }
        if !shownNotes.isEmpty {
            out.append("")
            for n in shownNotes { out.append(bullet(markdown) + "Note: \(n)") }
        }
        if !exercises.isEmpty {
            out.append("")
            out.append(markdown ? "## When to stop" : "When to stop")
            for rule in stopRules { out.append(bullet(markdown) + rule) }
        }
        if !exercises.isEmpty && !newSymptoms.isEmpty {
            out.append("")
            out.append(markdown ? "## New symptoms" : "New symptoms")
            for tier in newSymptoms { out.append(bullet(markdown) + tier.line) }
        }
        out.append("")
        out.append(markdown ? "## \(Plan.detailsHeading)" : Plan.detailsHeading)
        for line in details(catalogue: catalogue) { out.append(bullet(markdown) + line) }
        out += closingLines(screen, markdown: markdown)
        // One blank line between sections, also where one is left out.
        let lines = out.enumerated().filter { k, line in !(line.isEmpty && k > 0 && out[k - 1].isEmpty) }.map(\.element)
        return lines.joined(separator: "\n") + "\n"
    }

    /// The heading of every format's answer, in the person's words: what they have, not how
    /// it was computed (the proof status is in ``details(catalogue:)`` and the JSON).
    public var headline: String {
        let budget = budgetSeconds.map { " of your \(clock($0))" } ?? ""
        switch status {
        case .optimal, .feasible: return "Your routine: \(clock(totalSeconds))\(budget)"
        // In a flare a short session is the point, not a shortfall (fourth physiotherapist read,
        // WRONG 5): the status, in the details and the JSON, still says partial.
        case .partial: return "Your routine: \(clock(totalSeconds))\(budget)" + (flareAdvice == nil ? " (partial)" : "")
        case .overBudget: return "Nothing usable fits in \(clock(budgetSeconds ?? 0))"
        case .uncoverable: return "No routine can give every area its full amount with the exercises left"
        case .noSolution: return "No routine found (the note below says why)"
        case .redFlag: return "Please do not start these exercises yet: your answers need a doctor first"
        }
    }

    /// The sentence under the headline: what the routine gives, and for a partial one what
    /// more time would give (the shortest routine with every full amount, not a difference
    /// that reads as more of this routine).
    public var summary: String? {
        let fullIn = minimumSecondsNeeded.map { "With \(clock($0)) you could do the full amount for every area." }
        switch status {
        case .optimal: return "It gives every area Relief plans for its full amount, in the shortest time possible."
        case .feasible: return "It gives every area Relief plans for its full amount; a slightly shorter routine may exist."
        case .partial where flareAdvice != nil:
            let worked = coverage.filter { $0.minimum <= 0 || $0.achieved > 1e-9 }.count
            return worked == coverage.count ? "A short, gentle session for a flare: it works on every area as evenly as that time allows."
                : "A short, gentle session for a flare: it does as much as fits in that time."
        case .partial:
            let worked = coverage.filter { $0.minimum <= 0 || $0.achieved > 1e-9 }.count
            let what = worked == coverage.count ? "It works on every area as evenly as that time allows, though not the full amount of each."
                : "It does as much as fits: in that time no routine can work on every area."
            return what + (fullIn.map { " " + $0 } ?? "")
        case .overBudget: return "Every usable exercise takes longer than that." + (fullIn.map { " " + $0 } ?? "")
        case .uncoverable, .noSolution, .redFlag: return nil
        }
    }

    /// What every plan says of its three causes: a model's premise, not a diagnosis.
    public var causesFraming: String {
        "These areas are Relief's model (an unvalidated premise), not a diagnosis: none of them means your back is damaged. Moving is safe, and back pain usually settles."
    }

    /// The heading of the section for whoever hands the routine out.
    public static let detailsHeading = "For your physiotherapist (details)"

    /// The technical facts behind the routine, for a clinician: the status and what GLPK
    /// proved, each cause's points against its minimum, the limits the routine reaches and the
    /// price of one more point of each minimum. `optimal` is said only when GLPK proved it.
    public func details(catalogue: Catalogue) -> [String] {
        var out: [String] = []
        let budget = budgetSeconds.map(clock)
        switch status {
        case .optimal: out.append("Status optimal: GLPK proved that no shorter routine meets every minimum\(budget.map { " within \($0)" } ?? "").")
        case .feasible: out.append("Status feasible: every minimum is met, but GLPK stopped before proving this the shortest; relative gap \(percent(gap)) (the most this routine can be longer than the shortest).")
        case .partial: out.append("Status partial: the budget (\(budget ?? "none")) is shorter than the shortest routine that meets every minimum (\(minimumSecondsNeeded.map(clock) ?? "unknown")); this routine raises the smallest share of any minimum as far as the budget allows.")
        case .overBudget: out.append("Status over_budget: no usable exercise fits in the budget (\(budget ?? "none")); the shortest routine that meets every minimum takes \(minimumSecondsNeeded.map(clock) ?? "an unknown time").")
        case .uncoverable: out.append("Status uncoverable: some minimum cannot be reached with the usable exercises.")
        case .noSolution: out.append("Status no_solution: GLPK found no routine (see the notes).")
        case .redFlag: out.append("Status red_flag: nothing is planned.")
        }
        // In a flare the status line says what the full amount would take; the planner's note
        // would say it again as "you could do the full amount" (WRONG 5).
        if status == .partial && flareAdvice == nil || status == .overBudget, let first = notes.first { out.append("Planner's note: \(first).") }
        if !coverage.isEmpty {
            out.append("Points against each minimum: " + coverage.map { c in
                "\(c.name.lowercased()) \(format(c.achieved)) of \(format(c.minimum))"
            }.joined(separator: ", ") + ".")
        }
        if let explanation {
            out.append("Limits this routine is at: " + bindingWords(explanation.binding, catalogue: catalogue) + ".")
            if !explanation.marginalCosts.isEmpty {
                let costs = explanation.marginalCosts.map { m -> String in
                    let name = catalogue.causes.first { $0.id == m.cause }?.name.lowercased() ?? m.cause
                    if let s = m.secondsPerPoint {
                        return s < 0 ? "\(name) \(format(s)) s (\(m.note ?? "shorter"))" : "\(name) +\(format(s)) s"
                    }
                    return "\(name): \(m.note ?? "not available")"
                }
                out.append("Time one more point of each minimum would add (each solved again exactly with that minimum one point higher): " + costs.joined(separator: ", ") + ".")
            }
        }
        if !equipmentSavings.isEmpty {
            out.append("To plan with a piece of kit named above, add it to the equipment of this request.")
        }
        return out
    }

    private func bullet(_ markdown: Bool) -> String { markdown ? "- " : "  - " }

    private func amount(_ e: PlannedExercise) -> String { amountText(e) }

    /// The limits an explanation names, in words ("the time budget; the trigger points minimum").
    public func bindingWords(_ binding: [BindingLimit], catalogue: Catalogue) -> String {
        if binding.isEmpty { return "none (every limit has room to spare)" }
        func causeName(_ id: String) -> String { catalogue.causes.first { $0.id == id }?.name.lowercased() ?? id }
        func exerciseName(_ id: String) -> String { catalogue.exerciseIndex(id).map { catalogue.exercises[$0].name } ?? id }
        return binding.map { limit -> String in
            switch limit {
            case .budget: "the time budget"
            case .causeMinimum(let cause): "the \(causeName(cause)) minimum"
            case .blend(let exercise, let cause): "the most of the \(causeName(cause)) minimum one exercise may give (\(exerciseName(exercise)))"
            case .maxUnits(let exercise): "the most of \(exerciseName(exercise)) one routine may have"
            case .maxExercises: "the cap on the number of exercises"
            case .strengthShare: "the share of time on strengthening"
            }
        }.joined(separator: "; ")
    }
}

/// Each exercise's amount, dose, instructions, sides and rest, stop cue and the person's
/// cautions: what a session (and a programme's weekly handout) shows under "How to do each exercise".
func howTo(_ exercises: [PlannedExercise], markdown: Bool) -> [String] {
    var out: [String] = []
    for e in exercises {
        var lines = ["\(e.order). \(e.name): \(amountText(e))\(e.dose.isEmpty ? "" : ", \(e.dose)")"]
        if !e.instructions.isEmpty { lines.append(e.instructions) }
        if let practical = practicalText(e) { lines.append(practical) }
        if !e.stopIf.isEmpty { lines.append("Stop if: " + e.stopIf) }
        for c in e.cautions { lines.append("Take care (\(c.condition)): \(c.cue)") }
        if markdown {
            out.append(lines[0].replacingOccurrences(of: "\(e.order). ", with: "\(e.order). **").replacingOccurrences(of: "\(e.name):", with: "\(e.name)**:"))
            out += lines.dropFirst().map { "   - " + $0 }
        } else {
            out.append("  " + lines[0])
            out += lines.dropFirst().map { "     " + $0 }
        }
    }
    return out
}

/// Sides and rests: "Do both sides. Rest 15 s between sets.", or nil when neither applies.
public func practicalText(_ e: PlannedExercise) -> String? {
    var practical: [String] = []
    if e.sides == 2 { practical.append("Do both sides.") }
    if e.units > 1, e.restSeconds > 0 { practical.append("Rest \(clock(e.restSeconds)) between sets.") }
    return practical.isEmpty ? nil : practical.joined(separator: " ")
}

/// How much of an exercise to do: "3 sets", "12.5 minutes".
public func amountText(_ e: PlannedExercise) -> String {
    if e.units == e.units.rounded(), abs(e.units) < 1e9 {
        let n = Int(e.units)
        return "\(n) \(e.unit)\(n == 1 ? "" : "s")"
    }
    return "\(formatAmount(e.units)) \(e.unit)s"
}

extension Plan {
    /// What comes before anything else in every format: the red-flag screen's advice, or that
    /// it was not done (a plan with a blocking red flag shows its advice as its heading).
    public var alerts: [String] {
        guard status != .redFlag else { return [] }
        return (screen.note.map { ["Red-flag screen: " + $0] } ?? []) + pathways
    }
}

/// Alerts at the very top of a text or Markdown document, then a blank line.
func alertLines(_ alerts: [String], markdown: Bool) -> [String] {
    guard !alerts.isEmpty else { return [] }
    if markdown { return alerts.flatMap { ["> **\($0)**", ""] } }
    return alerts.map { "!! " + $0 } + [""]
}

/// How every plan and programme ends: the not-medical-advice line (the red-flag screen's note
/// is at the top, ``alertLines(_:markdown:)``).
func closingLines(_ screen: ScreenResult, markdown: Bool) -> [String] {
    var out: [String] = []
    out.append("")
    out.append(markdown ? "_\(medicalDisclaimer)_" : medicalDisclaimer)
    return out
}

/// The JSON document: snake_case keys, schema_version 3 (README, \"JSON output\").
struct JSONPlan: Encodable {
    struct Item: Encodable {
        let order: Int, id: String, name: String, modality: String, unit: String, dose: String
        let units: Double, seconds: Double, setupSeconds: Double, runningSeconds: Double
        let coverage: [String: Double]
        let instructions: String, sides: Int, restSeconds: Double, stopIf: String, cautions: [Caution]
        let position: String?, warmUp: Bool

        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(order, forKey: .order); try c.encode(id, forKey: .id); try c.encode(name, forKey: .name)
            try c.encode(modality, forKey: .modality); try c.encode(unit, forKey: .unit); try c.encode(dose, forKey: .dose)
            try c.encode(units, forKey: .units); try c.encode(seconds, forKey: .seconds)
            try c.encode(setupSeconds, forKey: .setupSeconds); try c.encode(runningSeconds, forKey: .runningSeconds)
            try c.encode(coverage, forKey: .coverage); try c.encode(instructions, forKey: .instructions)
            try c.encode(sides, forKey: .sides); try c.encode(restSeconds, forKey: .restSeconds)
            try c.encode(stopIf, forKey: .stopIf); try c.encode(cautions, forKey: .cautions)
            try c.encode(position, forKey: .position); try c.encode(warmUp, forKey: .warmUp)
        }
        enum CodingKeys: String, CodingKey {
            case order, id, name, modality, unit, dose, units, seconds, setupSeconds, runningSeconds, coverage
            case instructions, sides, restSeconds, stopIf, cautions, position, warmUp
        }
    }
    struct Coverage: Encodable { let id: String, name: String, achieved: Double, minimum: Double, met: Bool }
    struct FocusItem: Encodable { let id: String, name: String, least: Int, most: Int?, used: Int, met: Bool, dropped: Bool, droppedFor: String?, why: String }
    struct Marginal: Encodable { let cause: String, secondsPerPoint: Double?, note: String? }
    struct Why: Encodable { let binding: [BindingLimit], method: String, marginalCosts: [Marginal] }

    let schemaVersion = 3
    let status: String
    let totalSeconds: Double
    let budgetSeconds: Double?
    let minimumSecondsNeeded: Double?
    let gap: Double?
    let coverage: [Coverage]
    let focus: [FocusItem]
    let exercises: [Item]
    let excluded: [Exclusion]
    let uncoverable: [UncoverableCause]
    let explanation: Why?
    let notes: [String]
    let screen: ScreenResult
    let alerts: [String]
    let stopRules: [String]
    let orderReason: String?
    let equipmentSavings: [EquipmentSaving]
    let disclaimer = medicalDisclaimer

    init(_ p: Plan) {
        status = p.status.rawValue
        totalSeconds = round3(p.totalSeconds)
        budgetSeconds = p.budgetSeconds.map(round3)
        minimumSecondsNeeded = p.minimumSecondsNeeded.map(round3)
        gap = p.gap.map { (($0 * 1e6).rounded()) / 1e6 }
        coverage = p.coverage.map { Coverage(id: $0.id, name: $0.name, achieved: round3($0.achieved), minimum: round3($0.minimum), met: $0.met) }
        focus = p.focus.map { FocusItem(id: $0.id, name: $0.name, least: $0.least, most: $0.most, used: $0.used, met: $0.met,
                                        dropped: $0.dropped, droppedFor: $0.droppedFor?.rawValue, why: $0.why) }
        exercises = p.exercises.map(Item.init)
        excluded = p.excluded
        uncoverable = p.uncoverable.map {
            UncoverableCause(id: $0.id, name: $0.name, minimum: round3($0.minimum), reachable: round3($0.reachable),
                             reason: $0.reason, removedBy: $0.removedBy)
        }
        explanation = p.explanation.map { e in
            Why(binding: e.binding, method: e.method,
                marginalCosts: e.marginalCosts.map { Marginal(cause: $0.cause, secondsPerPoint: $0.secondsPerPoint.map(round3), note: $0.note) })
        }
        notes = p.notes
        screen = p.screen
        alerts = p.alerts
        stopRules = p.exercises.isEmpty ? [] : Relief.stopRules
        orderReason = p.orderReason
        equipmentSavings = p.equipmentSavings.map { EquipmentSaving(equipment: $0.equipment, secondsSaved: round3($0.secondsSaved)) }
    }

    // Optional values are written as null rather than left out, so the keys are stable.
    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(schemaVersion, forKey: .schemaVersion)
        try c.encode(status, forKey: .status)
        try c.encode(alerts, forKey: .alerts)
        try c.encode(totalSeconds, forKey: .totalSeconds)
        try c.encode(budgetSeconds, forKey: .budgetSeconds)
        try c.encode(minimumSecondsNeeded, forKey: .minimumSecondsNeeded)
        try c.encode(gap, forKey: .gap)
        try c.encode(coverage, forKey: .coverage)
        try c.encode(focus, forKey: .focus)
        try c.encode(exercises, forKey: .exercises)
        try c.encode(excluded, forKey: .excluded)
        try c.encode(uncoverable, forKey: .uncoverable)
        try c.encode(explanation, forKey: .explanation)
        try c.encode(notes, forKey: .notes)
        try c.encode(screen, forKey: .screen)
        try c.encode(stopRules, forKey: .stopRules)
        try c.encode(orderReason, forKey: .orderReason)
        try c.encode(equipmentSavings, forKey: .equipmentSavings)
        try c.encode(disclaimer, forKey: .disclaimer)
    }
    enum Keys: String, CodingKey {
        case schemaVersion, status, alerts, totalSeconds, budgetSeconds, minimumSecondsNeeded, gap, coverage, focus, exercises
        case excluded, uncoverable, explanation, notes, screen, stopRules, orderReason, equipmentSavings, disclaimer
    }
}

extension JSONPlan.Item {
    init(_ p: PlannedExercise) {
        self.init(order: p.order, id: p.id, name: p.name, modality: p.modality.rawValue, unit: p.unit, dose: p.dose,
                  units: round3(p.units), seconds: round3(p.seconds), setupSeconds: round3(p.setupSeconds),
                  runningSeconds: round3(p.runningSeconds), coverage: p.coverage.mapValues(round3),
                  instructions: p.instructions, sides: p.sides, restSeconds: round3(p.restSeconds), stopIf: p.stopIf,
                  cautions: p.cautions, position: p.position?.rawValue, warmUp: p.warmUp)
    }
}


/// One focus of a plan in words: "Balance: 1 exercise (balance for steadier walking)", or why
/// a default is not in this session.
func focusLine(_ f: FocusCoverage) -> String {
    let what = f.why.isEmpty ? "" : " (\(f.why))"
    if f.dropped {
        let reason = f.droppedFor == .limits
            ? "no routine with it also keeps to the session's limits (such as the number of exercises) and covers each area"
            : "there was no room for it in the time"
        return "\(f.name): not in this session, \(reason)\(what)"
    }
    if let most = f.most, f.least == 0 {
        return "\(f.name): at most \(most), this session has \(f.used)\(what)"
    }
    let n = f.used == 1 ? "1 exercise" : "\(f.used) exercises"
    return f.met ? "\(f.name): \(n)\(what)" : "\(f.name): \(n) of the \(f.least) asked for\(what)"
}
