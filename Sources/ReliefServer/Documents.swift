import Foundation
import Relief
import ReliefFormats

/// `GET /v1/catalogue`: the causes and every exercise with its dose, time, benefits,
/// instructions, stop cue, cautions, equipment and the conditions it is unsafe with.
struct CatalogueDocument: Encodable {
    struct CauseItem: Encodable { let id: String, name: String, description: String, defaultMinimum: Double }
    struct ExerciseItem: Encodable {
        let id: String, name: String, modality: String, unit: String, dose: String
        let secondsPerUnit: Double, setupSeconds: Double, restSeconds: Double, sides: Int
        let minUnits: Double, maxUnits: Double, whole: Bool
        let benefits: [String: Double]
        let equipment: [String], avoidIf: [String]
        let instructions: String, stopIf: String
        let cautions: [Caution]
        let position: String?, group: String?, harder: String?
        let source: String
    }
    let causes: [CauseItem]
    let exercises: [ExerciseItem]

    init(_ catalogue: Catalogue) {
        causes = catalogue.causes.map { CauseItem(id: $0.id, name: $0.name, description: $0.description, defaultMinimum: $0.defaultMinimum) }
        exercises = catalogue.exercises.map { e in
            ExerciseItem(id: e.id, name: e.name, modality: e.modality.rawValue, unit: e.unit, dose: e.dose,
                         secondsPerUnit: e.secondsPerUnit, setupSeconds: e.setupSeconds, restSeconds: e.restSeconds, sides: e.sides,
                         minUnits: e.minUnits, maxUnits: e.maxUnits, whole: e.whole,
                         benefits: Dictionary(uniqueKeysWithValues: zip(catalogue.causes.map(\.id), e.benefits)),
                         equipment: e.equipment, avoidIf: e.avoidIf, instructions: e.instructions, stopIf: e.stopIf,
                         cautions: e.cautions, position: e.position?.rawValue, group: e.group, harder: e.harder, source: e.source)
        }
    }

    func json() -> String { documentText(self) }
}

/// `GET /v1/conditions`: what the form offers, with the exercises each leaves out.
struct ConditionsDocument: Encodable {
    struct Item: Encodable { let id: String, label: String, excludes: [String], cautions: [String] }
    let conditions: [Item]

    init(_ catalogue: Catalogue) {
        conditions = catalogue.knownConditions.map { c in
            Item(id: c, label: conditionLabel(c),
                 excludes: catalogue.exercises.filter { $0.avoidIf.contains(c) }.map(\.id),
                 cautions: catalogue.exercises.filter { $0.cautions.contains { $0.condition == c } }.map(\.id))
        }
    }

    func json() -> String { documentText(self) }
}

/// `GET /v1/equipment`: each piece of kit and the exercises that need it.
struct EquipmentDocument: Encodable {
    struct Item: Encodable { let id: String, label: String, exercises: [String] }
    let equipment: [Item]

    init(_ catalogue: Catalogue) {
        equipment = catalogue.knownEquipment.map { k in
            Item(id: k, label: conditionLabel(k), exercises: catalogue.exercises.filter { $0.equipment.contains(k) }.map(\.id))
        }
    }

    func json() -> String { documentText(self) }
}

/// `GET /v1/screen`: the red-flag questions, asked before any plan, and the table that reads
/// the answers (and the symptoms a programme's log reports).
struct ScreenDocument: Encodable {
    struct Item: Encodable { let id: String, text: String, urgency: String, followUpOf: String? }
    struct Rule: Encodable { let id: String, all: [String], some: [String], count: Int, urgency: String, blocks: Bool, advice: String, source: String }
    let questions: [Item]
    let rules: [Rule]
    let symptoms: [String]
    init() {
        questions = RedFlagScreen.questions.map { Item(id: $0.id, text: $0.text, urgency: $0.urgency.rawValue, followUpOf: $0.followUpOf) }
        rules = RedFlagScreen.rules.map {
            Rule(id: $0.id, all: $0.all, some: $0.some, count: $0.count, urgency: $0.urgency.rawValue, blocks: $0.urgency.blocks,
                 advice: $0.advice, source: $0.source)
        }
        symptoms = LogEntry.Symptom.allCases.map(\.rawValue)
    }
    func json() -> String { documentText(self) }
}

/// `POST /v1/frontier`'s answer.
struct FrontierDocument: Encodable {
    struct Point: Encodable { let minutes: Double, status: String, weakestCoverage: Double, exerciseCount: Int, totalSeconds: Double }
    let points: [Point]
    init(_ points: [FrontierPoint]) {
        self.points = points.map {
            Point(minutes: $0.minutes, status: $0.status.rawValue, weakestCoverage: ($0.weakestCoverage * 1000).rounded() / 1000,
                  exerciseCount: $0.exerciseCount, totalSeconds: ($0.totalSeconds * 1000).rounded() / 1000)
        }
    }
    func json() -> String { documentText(self) }
}

/// A document as the API writes it: one line, then a newline. The documents' numbers come
/// from the checked catalogue and the solves, so they are finite and the writer cannot fail.
func documentText<T: Encodable>(_ value: T) -> String {
    ((try? JSONWriter.compact.text(value)) ?? #"{"error":"the answer could not be encoded"}"#) + "\n"
}

/// "flexion-intolerant" → "Flexion intolerant".
func conditionLabel(_ id: String) -> String {
    let words = id.replacingOccurrences(of: "-", with: " ")
    return words.prefix(1).uppercased() + words.dropFirst()
}
