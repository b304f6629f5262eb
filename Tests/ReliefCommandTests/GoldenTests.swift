import Foundation
import ReliefTestSupport
import Testing

/// The golden corpus (Tests/Golden): command lines run by the built `relief` in a folder holding a
/// frozen copy of the catalogue, their exit status, output and every file they wrote, compared
/// byte for byte with what `tests/golden/record.py` recorded before a change meant to keep
/// behaviour (a move of code between files, folders or modules). The recorder is separate code
/// (Python), so a difference in how either runs a case shows up as a failure, not as agreement.
@Suite("Golden corpus: the command line's bytes")
struct GoldenTests {
    struct Step: Decodable, Sendable {
        var args: [String]?
        var stdin: String?
        var write: [String: String]?
    }
    struct Case: Decodable, Sendable, CustomTestStringConvertible {
        var name: String
        var steps: [Step]
        var testDescription: String { name }
    }

    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Golden").path
    static let cases: [Case] = {
        let data = FileManager.default.contents(atPath: folder + "/cases.json") ?? Data()
        return (try? JSONDecoder().decode([Case].self, from: data)) ?? []
    }()

    @Test("the corpus is there: at least 80 cases, each with its recording")
    func corpusIsThere() {
        #expect(Self.cases.count >= 80)
        for c in Self.cases {
            #expect(FileManager.default.fileExists(atPath: Self.folder + "/expected/\(c.name).txt"), "no recording for \(c.name)")
        }
    }

    @Test("each case prints, exits and writes what was recorded", arguments: cases)
    func replay(_ c: Case) throws {
        let expected = try String(contentsOfFile: Self.folder + "/expected/\(c.name).txt", encoding: .utf8)
        let actual = try Self.run(c)
        if actual != expected {
            let a = actual.components(separatedBy: "\n"), e = expected.components(separatedBy: "\n")
            let k = (0..<min(a.count, e.count)).first(where: { a[$0] != e[$0] }) ?? min(a.count, e.count)
            Issue.record("""
                \(c.name) differs from its recording at line \(k + 1) \
                (tests/golden/record.py re-records it once the difference is meant):
                  recorded: \(k < e.count ? e[k] : "(end)")
                  now:      \(k < a.count ? a[k] : "(end)")
                """)
        }
    }

    /// Runs a case's steps in a fresh folder with the frozen catalogue as `data`, in the
    /// recorder's format.
    static func run(_ c: Case) throws -> String {
        let fm = FileManager.default
        let work = fm.temporaryDirectory.appendingPathComponent("relief-golden-\(UUID().uuidString)").path
        try fm.createDirectory(atPath: work, withIntermediateDirectories: true)
        defer { try? fm.removeItem(atPath: work) }
        try fm.copyItem(atPath: folder + "/data", toPath: work + "/data")
        var before = Set(files(under: work).keys)
        var out = ""
        for step in c.steps {
            for (name, text) in step.write ?? [:] {
                let path = work + "/" + name
                try fm.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                try Data(text.utf8).write(to: URL(fileURLWithPath: path))
                before.insert(name)
            }
            guard let args = step.args else { continue }
            let (status, stdout, stderr) = try runIn(work, args, stdin: step.stdin ?? "")
            out += "$ relief " + args.joined(separator: " ") + "\n"
            out += "exit \(status)\n"
            out += "--- stdout\n" + stdout + "\n"
            out += "--- stderr\n" + stderr + "\n"
        }
        for (name, data) in files(under: work).sorted(by: { $0.key.unicodeScalars.lexicographicallyPrecedes($1.key.unicodeScalars) })
        where !before.contains(name) {
            out += "--- file \(name)\n" + String(decoding: data, as: UTF8.self) + "\n"
        }
        return out
    }

    /// Every file under `folder`, by its path relative to it.
    static func files(under folder: String) -> [String: Data] {
        var found: [String: Data] = [:]
        guard let walker = FileManager.default.enumerator(atPath: folder) else { return found }
        while let name = walker.nextObject() as? String {
            var isFolder: ObjCBool = false
            let path = folder + "/" + name
            if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), !isFolder.boolValue {
                found[name] = FileManager.default.contents(atPath: path) ?? Data()
            }
        }
        return found
    }

    /// The built `relief` in `folder`, with the recorder's environment (no RELIEF_ variables,
    /// TZ=UTC); output goes to files, so neither stream can fill a pipe and stall the other.
    static func runIn(_ folder: String, _ args: [String], stdin: String) throws -> (Int32, String, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try reliefBinary())
        process.arguments = args
        process.currentDirectoryURL = URL(fileURLWithPath: folder)
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("RELIEF_") }
        env["TZ"] = "UTC"
        process.environment = env
        let streams = FileManager.default.temporaryDirectory.appendingPathComponent("relief-golden-io-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: streams, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: streams) }
        for name in ["in", "out", "err"] { FileManager.default.createFile(atPath: streams + "/" + name, contents: nil) }
        try Data(stdin.utf8).write(to: URL(fileURLWithPath: streams + "/in"))
        let input = try FileHandle(forReadingFrom: URL(fileURLWithPath: streams + "/in"))
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: streams + "/out"))
        let errors = try FileHandle(forWritingTo: URL(fileURLWithPath: streams + "/err"))
        defer { try? input.close(); try? output.close(); try? errors.close() }
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        process.waitUntilExit()
        let read = { (name: String) in String(decoding: FileManager.default.contents(atPath: streams + "/" + name) ?? Data(), as: UTF8.self) }
        return (process.terminationStatus, read("out"), read("err"))
    }
}
