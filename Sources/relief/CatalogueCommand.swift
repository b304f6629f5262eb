import ArgumentParser
import Relief

struct CatalogueCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "catalogue",
        abstract: "Check or list the exercise catalogue.",
        subcommands: [Check.self, List.self]
    )

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate causes.csv and exercises.csv and report every problem, not just the first.",
            discussion: "Every number and id in range, every dose doable in its time (reps × (rep_seconds + hold_seconds) × sides + rest_seconds ≤ seconds_per_unit), ladders of strengthening exercises within one group without loops, every source key in sources.md. Each problem is printed as file:line:column: message; exit 65 on any problem, 0 with a one-line summary when clean.")

        @OptionGroup var data: DataOption<DataFolderOnlyWords>

        func run() throws {
            let dir = data.directory
            let issues = Catalogue.check(directory: dir)
            if issues.isEmpty {
                try reportingErrors {
                    let catalogue = try Catalogue.load(directory: dir)
                    let derived = catalogue.exercises.filter { $0.setDose != nil }.count
                    let doses = derived == 0 ? "" : ", every dose within its time (\(derived) dose\(derived == 1 ? "" : "s") in numbers)"
                    try emit("\(dir): ok, \(catalogue.causes.count) causes and \(catalogue.exercises.count) exercises\(doses)\n")
                }
                return
            }
            for issue in issues { printError("error: \(issue)") }
            printError("\(issues.count) problem\(issues.count == 1 ? "" : "s") found")
            throw Exit.badData
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List exercise ids, modalities, conditions and equipment.")
        @OptionGroup var data: DataOption<DataFolderOnlyWords>

        func run() throws {
            try reportingErrors {
                let catalogue = try data.loadCatalogue()
                var lines = catalogue.exercises.map { ex in
                    let avoid = ex.avoidIf.isEmpty ? "" : "  avoid if: \(ex.avoidIf.joined(separator: ", "))"
                    return "\(ex.id)  [\(ex.modality.rawValue)]  \(ex.name)\(avoid)"
                }
                lines += ["", "conditions: \(catalogue.knownConditions.joined(separator: ", "))",
                          "equipment:  \(catalogue.knownEquipment.joined(separator: ", "))"]
                try emit(lines.joined(separator: "\n") + "\n")
            }
        }
    }
}
