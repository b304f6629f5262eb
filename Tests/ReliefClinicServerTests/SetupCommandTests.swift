import Foundation
import Testing
import ReliefClinic

/// `relief-serve --create-clinic` run as a person runs it: the built binary, its output and exit code.
@Suite("relief-serve --create-clinic")
struct SetupCommandTests {
    /// The built relief-serve beside the test bundle, else in the checkout's .build.
    static func binary() throws -> String {
        let candidates = [URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("relief-serve").path]
            + ["debug", "release"].map { repository.appendingPathComponent(".build/\($0)/relief-serve").path }
        guard let path = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw TestFailure("no relief-serve binary (run `swift build` first)")
        }
        return path
    }

    static func run(_ arguments: [String], stdin: String? = nil) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try binary())
        process.arguments = arguments
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        let stdout = out.fileHandleForReading.readDataToEndOfFile(), stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self))
    }

    @Test("creates a clinic and a clinician who can sign in; the exit codes of each refusal")
    func setUp() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("relief-setup-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let db = dir.appendingPathComponent("clinic.sqlite").path
        let file = dir.appendingPathComponent("pw").path
        // An editor's final CRLF is not part of the password.
        try "a long passphrase\r\n".write(toFile: file, atomically: true, encoding: .utf8)

        var r = try Self.run(["--clinic", db, "--create-clinic", "Riverside", "--clinician-email", "Ana@Example.org", "--password-file", file])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("created clinic \"Riverside\""))
        #expect(r.stdout.contains("created clinician ana@example.org"))
        // The password from standard input, for a second clinic's clinician.
        r = try Self.run(["--clinic", "sqlite:" + db, "--create-clinic", "Northside", "--clinician-email", "bo@example.org", "--password-file", "-"],
                         stdin: "another passphrase\n")
        #expect(r.status == 0, "\(r.stderr)")

        // Taken email: 73. Short password: 73. Unreadable password file: 66. Flags missing: 64.
        r = try Self.run(["--clinic", db, "--create-clinic", "Again", "--clinician-email", "ana@example.org", "--password-file", file])
        #expect(r.status == 73)
        #expect(r.stderr.contains("already taken"))
        r = try Self.run(["--clinic", db, "--create-clinic", "Short", "--clinician-email", "cy@example.org", "--password-file", "-"], stdin: "short\n")
        #expect(r.status == 73)
        #expect(r.stderr.contains("8 to 72 bytes"))
        r = try Self.run(["--clinic", db, "--create-clinic", "X", "--clinician-email", "dee@example.org", "--password-file", dir.appendingPathComponent("none").path])
        #expect(r.status == 66)
        r = try Self.run(["--create-clinic", "X", "--clinician-email", "dee@example.org", "--password-file", file])
        #expect(r.status == 64)
        r = try Self.run(["--clinic", db, "--clinician-email", "dee@example.org"])
        #expect(r.status == 64)

        let store = try await ClinicStores.open(db)
        let ana = try await store.verifySignIn(email: "ana@example.org", password: "a long passphrase")
        let bo = try await store.verifySignIn(email: "bo@example.org", password: "another passphrase")
        #expect(ana != nil && bo != nil)
        #expect(ana?.clinic != bo?.clinic)
        #expect(try await store.verifySignIn(email: "cy@example.org", password: "short") == nil)
        try await store.close()
    }
}
