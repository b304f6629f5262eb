import ArgumentParser
import Foundation
import Relief
import ReliefFormats
import Synchronization

/// Everything the command prints goes through here: a write that fails (a full disk, a
/// closed pipe, /dev/full) is an error with exit status 74, never a silent exit 0.
func emit(_ text: String) throws {
    try writeAll(1, Array(text.utf8), name: "standard output")
}

func printError(_ text: String, terminator: String = "\n") {
    try? writeAll(2, Array((text + terminator).utf8), name: "standard error")
}

/// SIGTERM and SIGINT during long work: the handler only records the signal; the work stops
/// between whole output lines and the command exits 128 + the signal's number.
enum Interrupt {
    static let signal = Atomic<Int32>(0)

    static func install() {
        // A parent may have blocked them (some test runners and process spawners do); a
        // command that promises to stop cleanly on them must receive them.
        var unblock = sigset_t()
        sigemptyset(&unblock)
        sigaddset(&unblock, SIGTERM)
        sigaddset(&unblock, SIGINT)
        pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
        let handler: @convention(c) (Int32) -> Void = { number in Interrupt.signal.store(number, ordering: .relaxed) }
        for number in [SIGTERM, SIGINT] {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = handler
            sigemptyset(&action.sa_mask)
            action.sa_flags = SA_RESTART
            sigaction(number, &action, nil)
        }
    }

    static var requested: Int32? {
        let n = signal.load(ordering: .relaxed)
        return n == 0 ? nil : n
    }
}

/// Runs `body`, turning every failure into a message on stderr and its documented exit code
/// (README, "Exit status"); a request's fields are named by their command-line flags.
func reportingErrors<R>(afterData: String = "nothing was planned. `relief catalogue check` lists every problem in a catalogue.",
                        _ body: () throws -> R) throws -> R {
    do {
        return try body()
    } catch let e as DataErrors {
        for issue in e.issues { printError("error: \(issue)") }
        printError("\(e.issues.count) problem\(e.issues.count == 1 ? "" : "s") in the data; \(afterData)")
        throw Exit.badData
    } catch let e as RequestError {
        for p in e.problems { printError("error: \(p.message(naming: flagName(p.field)))") }
        throw ExitCode.validationFailure
    } catch let e as OutputError {
        printError("error: \(e)")
        throw e.kind == .cannotCreate ? Exit.cannotCreate : Exit.ioError
    } catch let e as LineReader.Failed {
        printError("error: \(e)")
        throw Exit.noInput
    } catch let e as ExitCode {
        throw e
    } catch let e as EncodingFailure {
        printError("error: \(e)")
        throw Exit.software
    }
}

/// The command-line flag for a request field.
func flagName(_ field: String) -> String {
    if field.hasPrefix("minimums.") { return "--min \(field.dropFirst("minimums.".count))" }
    switch field {
    case "minutes": return "--minutes"
    case "max_share": return "--max-share"
    case "max_exercises": return "--max-exercises"
    case "time_limit": return "--time-limit"
    case "gap": return "--gap"
    case "minimums": return "--min"
    case "conditions": return "--avoid"
    case "exclude": return "--exclude"
    case "include": return "--include"
    case "equipment": return "--equipment"
    case "strength_share": return "--strength-share"
    case "screen": return "--screen"
    default:
        // Programme settings: relief_weeks → --relief-weeks.
        return ProgrammeSettings.keys.contains(field) ? "--" + field.replacingOccurrences(of: "_", with: "-") : field
    }
}

/// A flag's number, read as decimals only: "0x10", "nan" and "inf" are refused (exit 64), as
/// they are in the catalogue's CSV, rather than read as 16 or as no number at all.
func decimalFlag(_ text: String) throws -> Double {
    guard let x = decimalNumber(text) else {
        throw ValidationError("expected a number in decimals (e.g. 16 or 2.5), got \"\(text)\"")
    }
    return x
}

/// The value of `--format`: a format, or a word that names none. ArgumentParser's own refusal
/// of an unknown value has other words than relief's, so the word is kept and ``validated()``
/// refuses it in relief's ("--format must be one of table, json, markdown, got \"xml\"").
enum FormatArgument: ExpressibleByArgument {
    case format(OutputFormat)
    case unknown(String)

    init(argument: String) { self = OutputFormat(rawValue: argument).map(Self.format) ?? .unknown(argument) }

    /// Shown in `--help` as the default: the format's name.
    var defaultValueDescription: String {
        switch self {
        case .format(let f): f.rawValue
        case .unknown(let word): word
        }
    }

    /// The format, or the usage error (exit 64) for a word that names none of `allowed` (a
    /// command's own formats: `fhir` is a programme's, so `relief plan` lists and takes only
    /// the other three, and says where `fhir` belongs).
    func validated(allowing allowed: [OutputFormat] = OutputFormat.allCases) throws -> OutputFormat {
        switch self {
        case .format(let f) where allowed.contains(f): return f
        case .format(.fhir):
            throw ValidationError("--format fhir exports a programme and its log (relief programme --format fhir); this command writes \(allowed.map(\.rawValue).joined(separator: ", "))")
        case .format(let f):
            throw ValidationError("--format must be one of \(allowed.map(\.rawValue).joined(separator: ", ")), got \"\(f.rawValue)\"")
        case .unknown(let word):
            throw ValidationError("--format must be one of \(allowed.map(\.rawValue).joined(separator: ", ")), got \"\(word)\"")
        }
    }

    /// The format of a value ``validated()`` accepted (a command's `validate()` runs before `run()`).
    var chosen: OutputFormat {
        if case .format(let f) = self { return f }
        return .table
    }
}
