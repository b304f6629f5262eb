import Foundation
import Relief
import ReliefFormats

/// Fuzz targets for every loader. The first byte of an input picks the loader, the rest is
/// its text; any crash, and any error that is not well formed (no place, an empty message, a
/// line or column below 1), is a finding.
///
/// - `make fuzz` builds this with libFuzzer (`-sanitize=fuzzer,address`) and runs it for
///   ten minutes on a copy of `fuzz/corpus`; `make test` runs it for a minute.
/// - Built normally (`swift build`), it replays the files or folders given as arguments.
enum FuzzTargets {
    static let causes = "id,name,description,default_minimum\na,Cause A,First,4\nb,Cause B,Second,4\n"
    static let header = "id,name,modality,unit,dose,seconds_per_unit,whole,max_units,setup_seconds,equipment,avoid_if,a,b,source,instructions\n"
    static let exercises = header + """
        e1,Strength one,strengthen,set,10 reps,60,yes,3,0,,,2,0,hand,Do it.
        e2,Mobility two,mobilise,set,5 reps,30,yes,3,30,,flexion-intolerant,1,1,hand,Do it.
        e3,Release three,release,set,60 s,40,yes,2,0,ball,,0,2,hand,Do it.
        e4,Walk,aerobic,minute,,60,no,30,0,,,0.2,0.2,hand,Walk.

        """
    nonisolated(unsafe) static let catalogue = try! Catalogue.parse(causes: causes, exercises: exercises)
    nonisolated(unsafe) static let session = PlanningSession(planner: Planner(catalogue: catalogue))

    static func run(_ input: [UInt8]) {
        guard let selector = input.first else { return }
        let body = Array(input.dropFirst())
        let text = String(decoding: body, as: UTF8.self)
        if selector >= 0xF0 {
            // A programme's log (JSON Lines), for a programme from 2026-12-01.
            var settings = ProgrammeSettings(start: CalendarDate("2026-12-01")!)
            settings.weeks = 6
            expectWellFormed { _ = try ProgrammeLog.parse(text, file: "log.jsonl", settings: settings, catalogue: catalogue,
                                                          today: CalendarDate("2026-12-20")!) }
            return
        }
        switch selector % 6 {
        case 0: expectWellFormed { _ = try Catalogue.parse(causes: causes, exercises: text) }
        case 1: expectWellFormed { _ = try Catalogue.parse(causes: text, exercises: exercises) }
        case 2: expectWellFormed { _ = try Profile.parse(bytes: body, file: "profile.json", catalogue: catalogue) }
        case 3:
            let answer = BatchPlanner.answer(text, line: 1, session: session)
            guard let node = try? JSONNode.parse(answer), case .object(let members) = node.value,
                  members.contains(where: { $0.key == "status" || $0.key == "error" }) else {
                fatalError("a batch answer is not a JSON object with status or error: \(answer)")
            }
        case 4: expectWellFormed { _ = try WeightOverrides.parse(text, file: "weights.csv", catalogue: catalogue) }
        default:
            let parts = text.split(separator: "\u{0}", maxSplits: 1, omittingEmptySubsequences: false)
            let responses = parts.count > 1 ? String(parts[1]) : "session_id,cause,response\n"
            expectWellFormed { _ = try OutcomeLog.parse(sessions: String(parts[0]), responses: responses, catalogue: catalogue) }
        }
    }

    /// Runs a loader: success, or ``DataErrors`` whose every issue has a file, a message, and a
    /// line and column of at least 1 where given. Anything else thrown is a finding.
    static func expectWellFormed(_ load: () throws -> Void) {
        do { try load() } catch let e as DataErrors {
            guard !e.issues.isEmpty else { fatalError("DataErrors with no issue") }
            for issue in e.issues {
                guard !issue.file.isEmpty, !issue.message.isEmpty, (issue.line ?? 1) >= 1, (issue.column ?? 1) >= 1 else {
                    fatalError("malformed issue: \(issue)")
                }
            }
        } catch {
            fatalError("a loader threw something other than located data errors: \(error)")
        }
    }
}

#if RELIEF_FUZZ
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let data else { return 0 }
    FuzzTargets.run(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}

@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<Int32>,
                         _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32) -> Int32

/// SwiftPM names an executable's entry point `<module>_main`; hand it to libFuzzer's driver.
@_cdecl("relief_fuzz_main")
public func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    var count = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments) { data, size in fuzzOneInput(data, size) }
}
#else
@main
struct Replay {
    static func main() {
        var files: [String] = []
        for path in CommandLine.arguments.dropFirst() {
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
                let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
                files += names.sorted().map { path + "/" + $0 }
            } else {
                files.append(path)
            }
        }
        for file in files {
            guard let data = FileManager.default.contents(atPath: file) else { continue }
            FuzzTargets.run([UInt8](data))
        }
        print("\(files.count) inputs replayed, no finding")
    }
}
#endif
