import Foundation
import ReliefTestSupport
import Testing
@testable import Relief
import ReliefFormats
#if canImport(Glibc)
import Glibc
#endif

/// Issue "Reliability II": each test failed on the code before its fix (a lost log line, an
/// input overwritten, a half-written set of outputs, a quadratic read, a batch that waited for
/// the end of its input, an answer that depended on the machine's load, an unclear error).
@Suite("Reliability: no lost entry, no overwritten input, no stall, the same bytes", .serialized)
struct ReliabilityTests {
    /// Starts `relief` with `arguments` without waiting for it.
    static func start(_ arguments: [String], input: Pipe? = nil, output: Pipe? = nil) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try reliefBinary())
        process.arguments = arguments
        process.standardInput = input ?? FileHandle.nullDevice
        process.standardOutput = output ?? FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// `relief ARGS` with `stdin` as its standard input.
    static func run(_ arguments: [String], stdin: String) throws -> (status: Int32, stdout: String) {
        let input = Pipe(), output = Pipe()
        let process = try start(arguments, input: input, output: output)
        input.fileHandleForWriting.write(Data(stdin.utf8))
        try input.fileHandleForWriting.close()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: out, as: UTF8.self))
    }

    /// A four-week programme from 2026-12-01 (to 2026-12-28) in `dir`/p.json.
    static func programme(in dir: String) throws -> String {
        let path = dir + "/p.json"
        let r = try runRelief(["programme", "--minutes", "10", "--weeks", "4", "--screen", "clear", "--start", "2026-12-01",
                               "--out", path, "--data", Fixtures.shipped])
        #expect(r.status == 0, "\(r.stderr)")
        return path
    }

    // MARK: No lost log entry

    @Test("twenty relief log at once: twenty lines, each of them once")
    func concurrentLogWriters() throws {
        try withTemporaryDirectory { dir in
            let programme = try Self.programme(in: dir)
            // Twenty different mornings, written by twenty processes started together.
            let processes = try (1...20).map { day in
                try Self.start(["log", "--programme", programme, "--data", Fixtures.shipped, "--today", "2026-12-31",
                                "morning", "--date", String(format: "2026-12-%02d", day), "--pain", "3"])
            }
            for p in processes { p.waitUntilExit() }
            #expect(processes.allSatisfy { $0.terminationStatus == 0 })
            let lines = try String(contentsOfFile: dir + "/p.log.jsonl", encoding: .utf8).split(separator: "\n")
            #expect(lines.count == 20)
            let dates = Set(lines.compactMap { line in line.range(of: #"2026-12-\d\d"#, options: .regularExpression).map { String(line[$0]) } })
            #expect(dates == Set((1...20).map { String(format: "2026-12-%02d", $0) }))
        }
    }

    @Test("SIGKILL during log writes: the log always reads, and every acknowledged entry is in it")
    func killedWriters() throws {
        try withTemporaryDirectory { dir in
            let programme = try Self.programme(in: dir)
            var acknowledged: Set<String> = []
            for round in 0..<4 {
                let processes = try (1...6).map { k in
                    try Self.start(["log", "--programme", programme, "--data", Fixtures.shipped, "--today", "2026-12-31",
                                    "morning", "--date", String(format: "2026-12-%02d", round * 6 + k), "--pain", "4"])
                }
                // Kill half of them part-way, at different moments.
                usleep(UInt32(30_000 + round * 40_000))
                for (k, p) in processes.enumerated() where k % 2 == 1 { kill(p.processIdentifier, SIGKILL) }
                for (k, p) in processes.enumerated() {
                    p.waitUntilExit()
                    if p.terminationReason == .exit && p.terminationStatus == 0 {
                        acknowledged.insert(String(format: "2026-12-%02d", round * 6 + k + 1))
                    }
                }
                // Whatever was killed, the log is whole: a plain read of it plans.
                let check = try runRelief(["programme", "--replan", programme, "--data", Fixtures.shipped, "--today", "2026-12-31",
                                           "--out", dir + "/check.json"])
                #expect(check.status == 0, "round \(round): \(check.stderr)")
            }
            let text = try String(contentsOfFile: dir + "/p.log.jsonl", encoding: .utf8)
            #expect(text.isEmpty || text.hasSuffix("\n"))
            for date in acknowledged { #expect(text.contains(date), "acknowledged \(date) is missing") }
            #expect(acknowledged.count >= 12)   // the three unkilled writers of each round at least
        }
    }

    // MARK: Inputs never overwritten, outputs all or nothing

    @Test("--export-lp onto the catalogue is refused and the catalogue is unchanged")
    func exportOverInput() throws {
        try withTemporaryDirectory { dir in
            for name in ["causes.csv", "exercises.csv"] {
                try FileManager.default.copyItem(atPath: Fixtures.shipped + "/" + name, toPath: dir + "/" + name)
            }
            let before = try String(contentsOfFile: dir + "/exercises.csv", encoding: .utf8)
            let r = try runRelief(["plan", "--screen", "clear", "--data", dir, "--export-lp", dir + "/exercises.csv"])
            #expect(r.status == 73)
            #expect(r.stderr.contains("is an input of this command"))
            #expect(try String(contentsOfFile: dir + "/exercises.csv", encoding: .utf8) == before)
            // Another name for the same file is caught too.
            try FileManager.default.createSymbolicLink(atPath: dir + "/link.lp", withDestinationPath: dir + "/causes.csv")
            let linked = try runRelief(["plan", "--screen", "clear", "--data", dir, "--export-lp", dir + "/link.lp"])
            #expect(linked.status == 73)
        }
    }

    @Test("a programme whose handouts cannot be written leaves --out and --ics as they were")
    func allOrNothing() throws {
        try withTemporaryDirectory { dir in
            try write("old programme\n", to: dir + "/ho.json")
            try write("a file where the handouts folder should be\n", to: dir + "/handouts")
            let r = try runRelief(["programme", "--minutes", "10", "--weeks", "2", "--screen", "clear", "--start", "2026-12-01",
                                   "--out", dir + "/ho.json", "--ics", dir + "/ho.ics", "--handouts", dir + "/handouts",
                                   "--data", Fixtures.shipped])
            #expect(r.status == 73)
            #expect(try String(contentsOfFile: dir + "/ho.json", encoding: .utf8) == "old programme\n")
            #expect(!FileManager.default.fileExists(atPath: dir + "/ho.ics"))
            #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == ["handouts", "ho.json"])
        }
    }

    @Test("relative output names: a new handouts folder \"h\" beside a programme \"p.json\" in the working folder")
    func relativeOutputs() throws {
        #expect(folderOf("h") == "." && folderOf("h/week-01.md") == "h" && folderOf("/p.json") == "/"
                && folderOf("a/b/") == "a" && folderOf("a//b") == "a" && folderOf("/") == "/")
        try withTemporaryDirectory { dir in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: try reliefBinary())
            process.arguments = ["programme", "--minutes", "10", "--weeks", "1", "--screen", "clear", "--start", "2026-12-07",
                                 "--out", "p.json", "--handouts", "h", "--data", Fixtures.shipped]
            process.currentDirectoryURL = URL(fileURLWithPath: dir)
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
            #expect(process.terminationReason == .exit && process.terminationStatus == 0)
            #expect(FileManager.default.fileExists(atPath: dir + "/p.json"))
            #expect(FileManager.default.fileExists(atPath: dir + "/h/week-01.md"))
        }
    }

    // MARK: Linear reading

    @Test("a JSON line of 400,000 values is read in one pass, each value at its own column")
    func linearColumns() throws {
        let count = 400_000
        // Quadratic (each value's column counted from the line's start) this is about 10^11
        // steps: minutes. Linear it is a fraction of a second.
        let text = "[" + Array(repeating: "1", count: count).joined(separator: ",") + "]"
        let clock = ContinuousClock()
        let started = clock.now
        let node = try JSONNode.parse(text)
        #expect(clock.now - started < .seconds(20))
        guard case .array(let items) = node.value else { Issue.record("not an array"); return }
        #expect(items.count == count)
        // Value k starts after "[" and k copies of "1,": column 2 + 2k.
        for k in [0, 1, 2, 1_000, count - 1] { #expect(items[k].column == 2 + 2 * k) }
        // Multi-byte characters count once, and columns restart on each line.
        let mixed = try JSONNode.parse("[\"é\", 1,\n  \"ü\", 2]")
        guard case .array(let m) = mixed.value else { Issue.record("not an array"); return }
        #expect(m.map(\.column) == [2, 7, 3, 8])
        #expect(m.map(\.line) == [1, 1, 2, 2])
    }

    @Test("a 20,000-step progression ladder loads in one pass; a loop anywhere in it is still found")
    func linearLadder() throws {
        let n = 20_000
        func catalogue(loop: Bool) -> String {
            var rows = DataTests.header + "\n"
            for k in 0..<n {
                let harder = k + 1 < n ? "e\(k + 1)" : (loop ? "e\(n / 2)" : "")
                rows += "e\(k),E\(k),strengthen,set,,30,yes,3,0,,,2,0,src,Do.\n"
                    .replacingOccurrences(of: ",Do.\n", with: ",Do.,\(harder)\n")
            }
            return rows
        }
        try withTemporaryDirectory { dir in
            try write(DataTests.causes, to: dir + "/causes.csv")
            let header = DataTests.header + ",harder"
            let clock = ContinuousClock()
            let started = clock.now
            try write(catalogue(loop: false).replacingOccurrences(of: DataTests.header, with: header), to: dir + "/exercises.csv")
            let loaded = try Catalogue.load(directory: dir)
            #expect(loaded.exercises.count == n)
            // Quadratic this was 2 × 10^8 dictionary steps (46 s for 16,000 steps measured).
            #expect(clock.now - started < .seconds(20))
            try write(catalogue(loop: true).replacingOccurrences(of: DataTests.header, with: header), to: dir + "/exercises.csv")
            do {
                _ = try Catalogue.load(directory: dir)
                Issue.record("a looping ladder loaded")
            } catch let e as DataErrors {
                // Every step from e0 leads into the loop e10000 → … → e19999 → e10000, and
                // e10000 is the harder variant of two (e9999 and e19999).
                #expect(e.issues.filter { $0.message.contains("loops back") }.count == n)
                #expect(e.issues.filter { $0.message.contains("is already the harder variant of") }.count == 1)
                #expect(e.issues.count == n + 1)
            }
        }
    }

    // MARK: A batch that streams

    @Test("relief batch answers a line before its input ends, and says which line was too long")
    func streamingBatch() throws {
        let input = Pipe(), output = Pipe()
        let process = try Self.start(["batch", "--data", Fixtures.shipped], input: input, output: output)
        defer { if process.isRunning { process.terminate() } }
        input.fileHandleForWriting.write(Data(#"{"minutes": 15}"#.utf8 + [0x0A]))
        // The answer arrives while standard input is still open.
        let fd = output.fileHandleForReading.fileDescriptor
        var ready = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        #expect(poll(&ready, 1, 30_000) == 1, "no answer within 30 s while the input is open")
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        var got: [UInt8] = []
        while !got.contains(0x0A) {
            let n = read(fd, &buffer, buffer.count)
            guard n > 0 else { break }
            got += buffer[0..<n]
        }
        // The plan for 15 minutes: its JSON says so.
        let answer = try JSONSerialization.jsonObject(with: Data(got.prefix { $0 != 0x0A })) as? [String: Any]
        #expect(answer?["budget_seconds"] as? Double == 900)
        try input.fileHandleForWriting.close()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }

    @Test("a batch's invalid byte is reported at its own place, not at a replacement character")
    func invalidByte() throws {
        let bytes: [UInt8] = Array(#"{"exclude": ["a"#.utf8) + [0xFF] + Array(#""]}"#.utf8) + [0x0A]
        let process = Pipe(), out = Pipe()
        let p = try Self.start(["batch", "--data", Fixtures.shipped], input: process, output: out)
        process.fileHandleForWriting.write(Data(bytes))
        try process.fileHandleForWriting.close()
        let answer = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        // The string starts at column 14 ("a" is its first byte, 0xFF the second): the error is
        // about invalid UTF-8, never about a byte 0xEF that the line does not have.
        #expect(answer.contains("not valid UTF-8"), "\(answer)")
        #expect(!answer.contains("0xEF"))
    }

    // MARK: The same bytes on a loaded machine

    @Test("plans on a busy machine are byte for byte the plans of a quiet one")
    func loadNeverChangesBytes() throws {
        try withTemporaryDirectory { dir in
            // A generated catalogue large enough that every stage does real branch-and-cut.
            let files = CatalogueGenerator(seed: 7).catalogue(count: 300).csvFiles()
            try write(files.causes, to: dir + "/causes.csv")
            try write(files.exercises, to: dir + "/exercises.csv")
            let args = ["plan", "--screen", "clear", "--format", "json", "--data", dir]
            let quiet = try runRelief(args)
            #expect(quiet.status == 0 || quiet.status == 3)
            // Busy loops on every core beside four plans at once.
            let stop = StopFlag()
            let spinners = (0..<ProcessInfo.processInfo.activeProcessorCount).map { _ in
                Thread { var x = 0.0; while !stop.isSet { x += 1 }; _ = x }
            }
            spinners.forEach { $0.start() }
            defer { stop.set() }
            let outputs = try (0..<4).map { _ -> (Process, Pipe) in
                let out = Pipe()
                return (try Self.start(args, output: out), out)
            }.map { p, out -> String in
                let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                p.waitUntilExit()
                return text
            }
            for text in outputs { #expect(text == quiet.stdout) }
        }
    }

    @Test("a batch gives the same bytes on 1 and 2 threads, and each line equals the line planned alone")
    func threadsNeverChangeBytes() throws {
        let catalogue = try Catalogue.load(directory: Fixtures.shipped)
        let lines = RequestGenerator(seed: 22).requests(count: 120, catalogue: catalogue).map(\.batchLine)
        let input = lines.joined(separator: "\n") + "\n"
        let one = try Self.run(["batch", "--threads", "1", "--data", Fixtures.shipped], stdin: input)
        let two = try Self.run(["batch", "--threads", "2", "--data", Fixtures.shipped], stdin: input)
        #expect(one.status == 0 && two.status == 0)
        #expect(one.stdout == two.stdout)
        let answers = one.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(answers.count == lines.count)
        let session = PlanningSession(planner: Planner(catalogue: catalogue))
        for (k, line) in lines.enumerated() where k % 10 == 0 {
            #expect(String(answers[k]) == BatchPlanner.answer(line, line: k + 1, session: session))
        }
    }

    // MARK: Numbers and messages

    @Test("flags take decimals only: 0x10, nan and inf are usage errors, like in the CSV")
    func decimalFlags() throws {
        for (flag, value) in [("--minutes", "0x10"), ("--minutes", "nan"), ("--minutes", "inf"), ("--time-limit", "0x1p3")] {
            let r = try runRelief(["plan", flag, value, "--screen", "clear", "--data", Fixtures.shipped])
            #expect(r.status == 64, "\(flag) \(value)")
            #expect(r.stderr.contains("expected a number in decimals"), "\(r.stderr)")
        }
        let min = try runRelief(["plan", "--min", "muscle=0x10", "--screen", "clear", "--data", Fixtures.shipped])
        #expect(min.status == 64)
        #expect(decimalNumber("16") == 16 && decimalNumber("-2.5") == -2.5 && decimalNumber("1e3") == 1000 && decimalNumber(".5") == 0.5)
        #expect(decimalNumber("0x10") == nil && decimalNumber("nan") == nil && decimalNumber("inf") == nil && decimalNumber("1e") == nil
                && decimalNumber("") == nil && decimalNumber("+") == nil && decimalNumber("1.2.3") == nil)
        // A negative zero reads as zero.
        #expect(decimalNumber("-0")?.sign == .plus)
    }

    @Test("no output says -0: a minimum of -0 is 0 and reads back as 0 from JSON")
    func negativeZero() throws {
        let r = try runRelief(["plan", "--min", "muscle=-0", "--screen", "clear", "--format", "json", "--data", Fixtures.shipped])
        #expect(r.status == 0)
        #expect(!r.stdout.contains("-0,") && !r.stdout.contains("-0}") && !r.stdout.contains(":-0\n"))
        guard case .number(let x, _) = try JSONNode.parse("-0").value else { Issue.record("not a number"); return }
        #expect(x.sign == .plus)
    }

    @Test("a minimum too small to tell from none is refused, not called met with nothing achieved")
    func tinyMinimum() throws {
        let r = try runRelief(["plan", "--min", "trigger=1e-9", "--screen", "clear", "--data", Fixtures.shipped])
        #expect(r.status == 64)
        #expect(r.stderr.contains("--min trigger must be 0, or a number from 0.001 to 100,000, got 1e-09"))
        #expect(Limits.minimum.contains(0) && Limits.minimum.contains(0.001) && !Limits.minimum.contains(0.0009))
    }

    @Test("tuned weights are always weights relief plan --weights accepts")
    func tunedWeightsLoad() {
        for w in [1e8, 1000.5, 0.0005, 0.0004, -1, .nan, 0.5] {
            let a = Tuner.admissible(w)
            #expect(Limits.benefit.contains(a), "\(w) → \(a)")
        }
        // By the stated rule: above the largest → the largest; from half the smallest up → at
        // least the smallest; below half the smallest → none.
        #expect(Tuner.admissible(1e8) == 1000)
        #expect(Tuner.admissible(0.0005) == 0.001)
        #expect(Tuner.admissible(0.0004) == 0)
        #expect(Tuner.admissible(0.5) == 0.5)
    }

    @Test("errors name the real problem: a folder, an empty file, an empty --data, a date out of range, a typo'd cause")
    func clearErrors() throws {
        try withTemporaryDirectory { dir in
            let folder = try runRelief(["plan", "--profile", dir, "--data", Fixtures.shipped])
            #expect(folder.status == 65 && folder.stderr.contains("\(dir): is a folder"))
            let empty = try runRelief(["plan", "--profile", "/dev/null", "--data", Fixtures.shipped])
            #expect(empty.status == 65 && empty.stderr.contains("/dev/null:1:1: not valid JSON: empty document"))
            let noData = try runRelief(["plan", "--data", "", "--screen", "clear"])
            #expect(noData.status == 65 && noData.stderr.contains("the data folder is an empty name"))
            #expect(!noData.stderr.contains("/causes.csv"))
            let late = try runRelief(["programme", "--start", "2200-01-01", "--screen", "clear", "--data", Fixtures.shipped])
            #expect(late.status == 64 && late.stderr.contains("from 2000-01-01 to 2199-12-31"))
            // A programme that would run past the last date is refused before planning.
            let tooLong = try runRelief(["programme", "--start", "2199-12-01", "--weeks", "6", "--screen", "clear", "--data", Fixtures.shipped])
            #expect(tooLong.status == 64 && tooLong.stderr.contains("end by 2199-12-31"), "\(tooLong.stderr)")
            let typo = try Self.run(["batch", "--data", Fixtures.shipped], stdin: #"{"minimums": {"Muscle": 5}}"# + "\n")
            #expect(typo.stdout.contains(#"got \"Muscle\""#) && typo.stdout.contains(#"did you mean \"muscle\"?"#))
            let pipe = try runRelief(["frontier", "--from", "1", "--to", "1001", "--step", "1", "--data", Fixtures.shipped])
            // 1, 2, …, 1001 is 1,001 budgets: one more than allowed (it used to pass).
            #expect(pipe.status == 64 && pipe.stderr.contains("--step must be large enough for at most 1000 budgets from 1 to 1001, got 1"), "\(pipe.stderr)")
        }
        #expect(frontierBudgets(from: 1, to: 1000, step: 1).count == 1000)
        #expect(frontierBudgets(from: 5, to: 30, step: 1) == (5...30).map(Double.init))
        #expect(frontierBudgets(from: 5, to: 6, step: 0.25) == [5, 5.25, 5.5, 5.75, 6])
    }

    @Test("a closed pipe is exit 74, not death by SIGPIPE")
    func closedPipe() throws {
        let input = Pipe(), output = Pipe()
        let catalogue = try Catalogue.load(directory: Fixtures.shipped)
        let lines = RequestGenerator(seed: 3).requests(count: 300, catalogue: catalogue).map(\.batchLine)
        let process = try Self.start(["batch", "--data", Fixtures.shipped], input: input, output: output)
        try output.fileHandleForReading.close()
        input.fileHandleForWriting.write(Data((lines.joined(separator: "\n") + "\n").utf8))
        try input.fileHandleForWriting.close()
        process.waitUntilExit()
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 74)
    }
}

/// A flag one thread sets and others read.
final class StopFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    func set() { lock.lock(); value = true; lock.unlock() }
    var isSet: Bool { lock.lock(); defer { lock.unlock() }; return value }
}
