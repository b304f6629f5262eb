import ArgumentParser
import Foundation
import Relief

/// How one command's help describes `--data`; each command keeps its own words.
protocol DataFolderWords { static var help: ArgumentHelp { get } }

/// `--data`, the catalogue folder, declared once for every command that reads the catalogue.
struct DataOption<Words: DataFolderWords>: ParsableArguments {
    @Option(help: Words.help) var data: String?

    /// The data folder: --data, $RELIEF_DATA, ./data, or the checkout's data beside the binary.
    var directory: String {
        findDataDirectory(data, environment: ProcessInfo.processInfo.environment, executable: CommandLine.arguments[0])
    }

    /// The catalogue in the data folder.
    func loadCatalogue() throws -> Catalogue { try Catalogue.load(directory: directory) }
}

/// `relief plan`'s words for `--data`, shared by `programme` and `frontier`.
enum RoutineDataWords: DataFolderWords {
    static var help: ArgumentHelp {
        ArgumentHelp("A folder with causes.csv and exercises.csv.", discussion: "Default: $RELIEF_DATA, else ./data, else the data folder beside the relief checkout.", valueName: "dir")
    }
}

/// `batch`'s and `tune`'s words for `--data`.
enum CatalogueFolderWords: DataFolderWords {
    static var help: ArgumentHelp { ArgumentHelp("The catalogue folder.", valueName: "dir") }
}

/// `catalogue check`'s and `catalogue list`'s words for `--data`.
enum DataFolderOnlyWords: DataFolderWords {
    static var help: ArgumentHelp { ArgumentHelp("The data folder.", valueName: "dir") }
}

/// `log`'s words for `--data`.
enum LogDataWords: DataFolderWords {
    static var help: ArgumentHelp { ArgumentHelp("A folder with causes.csv and exercises.csv (default as for relief plan).", valueName: "dir") }
}

/// `--weights`, a weights file over the catalogue's, declared once for every command that plans.
struct WeightsOption: ParsableArguments {
    @Option(help: ArgumentHelp("A CSV of exercise_id,cause,points overriding the catalogue's weights.", valueName: "file"))
    var weights: String?

    /// The catalogue with the weights file applied (as it is without one).
    func applied(to catalogue: Catalogue) throws -> Catalogue {
        guard let weights else { return catalogue }
        return try WeightOverrides.load(path: weights, catalogue: catalogue).applied(to: catalogue)
    }
}
