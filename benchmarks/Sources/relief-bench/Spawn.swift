import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Starts a program with posix_spawn (stdout and stderr to /dev/null), waits for it, and
/// returns the wall time and exit status. Foundation's Process costs about 50 ms a start on
/// these machines, which would swamp what is being measured.
func spawnAndWait(_ path: String, _ arguments: [String]) -> (seconds: Double, status: Int32) {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    let argv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) } + [nil]
    defer { for p in argv { free(p) } }
    var pid: pid_t = 0
    let clock = ContinuousClock()
    let t0 = clock.now
    guard posix_spawn(&pid, path, &actions, nil, argv, environ) == 0 else { return (.nan, -1) }
    var status: Int32 = 0
    waitpid(pid, &status, 0)
    return (seconds(clock.now - t0), (status >> 8) & 0xff)
}

/// Runs a program and returns its standard output (for peers that report their own timing).
func spawnAndWaitCapturing(_ path: String, _ arguments: [String]) -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = FileHandle.nullDevice
    do { try process.run() } catch { return "" }
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: data, as: UTF8.self)
}
