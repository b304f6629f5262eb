import ArgumentParser
import Foundation
import Relief
import ReliefFormats

struct ScreenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "screen",
        abstract: "Answer the red-flag questions before planning: some back pain needs a doctor, not exercises.",
        discussion: """
        Asks each question in turn; answer y or n. A "yes" to any of them means: do not start \
        these exercises, see a doctor (the output says how soon). With --out, the answers are \
        saved for `relief plan --screen FILE` (and a profile or batch line can carry them as \
        "screen": {"question-id": false, ...}).

        Example:
          relief screen --out screen.json && relief plan --minutes 15 --screen screen.json

        Exit status: 0 when no red flag applies, 6 when one does.
        """
    )

    @Option(help: ArgumentHelp("Save the answers (JSON) to this file.", valueName: "file")) var out: String?
    @Flag(help: "Only list the questions and their ids.") var list = false

    func run() throws {
        if list {
            try reportingErrors {
                try emit(RedFlagScreen.questions.map { "\($0.id): \($0.text)" }.joined(separator: "\n") + "\n")
            }
            return
        }
        if let out { try reportingErrors { try checkWritable(out) } }
        var answers: [String: Bool] = [:]
        try reportingErrors { try emit("Before planning, a few questions about your back pain. Answer y (yes) or n (no).\n\n") }
        for (k, q) in RedFlagScreen.questions.enumerated() {
            // NICE NG65's features are asked only after a yes to its entry criterion.
            if let parent = q.followUpOf, answers[parent] != true { answers[q.id] = false; continue }
            while true {
                try reportingErrors { try emit("\(k + 1)/\(RedFlagScreen.questions.count). \(q.text) [y/n] ") }
                guard let line = readLine() else {
                    printError("\nerror: the screen was not finished (no answer to question \(k + 1)); nothing was saved")
                    throw ExitCode.validationFailure
                }
                let word = line.trimmingCharacters(in: .whitespaces).lowercased()
                if ["y", "yes"].contains(word) { answers[q.id] = true; break }
                if ["n", "no"].contains(word) { answers[q.id] = false; break }
                try reportingErrors { try emit("Please answer y or n.\n") }
            }
        }
        let result = RedFlagScreen.assess(answers)
        if let out {
            let file = AnswersFile(answers: RedFlagScreen.questions.map { ($0.id, answers[$0.id] ?? false) })
            try reportingErrors { try writeAtomically(try JSONWriter.indented.text(file) + "\n", to: out) }
        }
        if result.status == .redFlag {
            try reportingErrors { try emit("\n" + (result.note ?? "") + "\n") }
            throw Exit.redFlag
        }
        if result.status == .advice, let note = result.note {
            try reportingErrors { try emit("\n" + note + "\n\nNothing here stops you exercising.\(out.map { " Your answers are in \($0); plan with `relief plan --screen \($0)`." } ?? "")\n") }
            return
        }
        try reportingErrors {
            try emit("\nNo red flag: exercise is a good next step.\(out.map { " Your answers are in \($0); plan with `relief plan --screen \($0)`." } ?? "")\n")
        }
    }
}

/// The answers file `relief plan --screen` reads: each question's id and answer, in the
/// screen's order.
struct AnswersFile: JSONKeysInOrder {
    let answers: [(id: String, answer: Bool)]

    struct Key: CodingKey {
        let stringValue: String
        init(stringValue: String) { self.stringValue = stringValue }
        var intValue: Int? { nil }
        init?(intValue: Int) { nil }
    }

    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        for (id, answer) in answers { try c.encode(answer, forKey: Key(stringValue: id)) }
    }
}
