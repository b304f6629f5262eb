import Foundation

func withTemporaryDirectory<R>(_ body: (String) throws -> R) throws -> R {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("glpk-tests-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    return try body(dir)
}

extension String {
    func write(toFile path: String) throws {
        try write(toFile: path, atomically: true, encoding: .utf8)
    }
}

/// Runs `body` with file descriptor 1 pointed at a temporary file and returns what was
/// written there. Swift Testing's own output goes through its own handles, but other tests
/// may print concurrently, so callers should only assert what GLPK would have printed.
func captureStandardOutput<R>(_ body: () throws -> R) throws -> (R, String) {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("stdout-\(UUID().uuidString)").path
    fflush(nil)
    let saved = dup(1)
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    dup2(fd, 1)
    close(fd)
    let result: R
    do {
        result = try body()
    } catch {
        fflush(nil); dup2(saved, 1); close(saved)
        throw error
    }
    fflush(nil)
    dup2(saved, 1)
    close(saved)
    let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
    try? FileManager.default.removeItem(atPath: path)
    return (result, text)
}
