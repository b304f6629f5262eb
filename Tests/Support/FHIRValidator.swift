import Foundation

/// Runs tests/fhir/validate.py (Python's fhir.resources, R4B models) on a Bundle file.
public func validateFHIR(_ path: String) throws -> (status: Int32, output: String) {
    let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("tests/fhir/validate.py").path
    let python = Process()
    python.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    python.arguments = ["python3", script, path]
    let out = Pipe()
    python.standardOutput = out
    python.standardError = out
    try python.run()
    let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    python.waitUntilExit()
    return (python.terminationStatus, text)
}
