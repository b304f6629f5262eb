import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A file that could not be written, or an output that failed part-way: never reported as a
/// problem in the data. The command maps it to exit 73 (cannot create) or 74 (I/O error).
public struct OutputError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable { case cannotCreate, ioError }
    public let kind: Kind
    public let path: String
    public let reason: String
    public var description: String { "\(path): \(reason)" }
}

/// Checks, before any work is done, that `path` can be written: its folder exists and is
/// writable, and it is not itself a folder. Throws ``OutputError`` saying what to fix.
public func checkWritable(_ path: String) throws {
    guard !path.isEmpty else { throw OutputError(kind: .cannotCreate, path: path, reason: "the output path is empty") }
    var st = stat()
    let target = resolvedTarget(path)
    if stat(target, &st) == 0 {
        if (st.st_mode & S_IFMT) == S_IFDIR {
            throw OutputError(kind: .cannotCreate, path: path, reason: "is a folder; give a file name inside it")
        }
        if (st.st_mode & S_IFMT) != S_IFREG {
            guard access(target, W_OK) == 0 else {
                throw OutputError(kind: .cannotCreate, path: path, reason: "cannot be written: \(String(cString: strerror(errno)))")
            }
            return
        }
    }
    let folder = (target as NSString).deletingLastPathComponent.isEmpty ? "." : (target as NSString).deletingLastPathComponent
    var dirStat = stat()
    guard stat(folder, &dirStat) == 0, (dirStat.st_mode & S_IFMT) == S_IFDIR else {
        throw OutputError(kind: .cannotCreate, path: path, reason: "its folder \(folder) does not exist; create it first (mkdir -p \(folder))")
    }
    guard access(folder, W_OK) == 0 else {
        throw OutputError(kind: .cannotCreate, path: path, reason: "its folder \(folder) is not writable")
    }
}

/// Where writing `path` lands: a symbolic link is followed to its target (so the link stays a
/// link), relative link targets taken from the link's folder.
func resolvedTarget(_ path: String) -> String {
    var current = path
    for _ in 0..<40 {
        guard let dest = try? FileManager.default.destinationOfSymbolicLink(atPath: current) else { return current }
        current = dest.hasPrefix("/") ? dest : ((current as NSString).deletingLastPathComponent as NSString).appendingPathComponent(dest)
    }
    return current
}

/// Writes all of `bytes` to a file descriptor, retrying on short writes and interruptions.
/// Throws ``OutputError`` (I/O) on any failure, a full disk included.
public func writeAll(_ fd: Int32, _ bytes: [UInt8], name: String) throws {
    var offset = 0
    while offset < bytes.count {
        let n = bytes[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        if n < 0 {
            if errno == EINTR { continue }
            throw OutputError(kind: .ioError, path: name, reason: "write failed: \(String(cString: strerror(errno)))")
        }
        if n == 0 { throw OutputError(kind: .ioError, path: name, reason: "write failed: no progress") }
        offset += n
    }
}

/// Writes `text` to `path` so that a failed or interrupted write leaves any existing file
/// untouched: to a temporary file beside the target, flushed to disk (fsync), then renamed
/// over it, and the folder flushed. A symbolic link is followed (its target is replaced, the
/// link kept); a special file such as /dev/null or a pipe is written through, never replaced.
/// Temporary files left by a process that no longer runs are removed.
public func writeAtomically(_ text: String, to path: String) throws {
    let target = resolvedTarget(path)
    var st = stat()
    let exists = stat(target, &st) == 0
    if exists && (st.st_mode & S_IFMT) != S_IFREG {
        if (st.st_mode & S_IFMT) == S_IFDIR { throw OutputError(kind: .cannotCreate, path: path, reason: "is a folder") }
        let fd = open(target, O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { throw OutputError(kind: .cannotCreate, path: path, reason: "cannot be opened: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        try writeAll(fd, Array(text.utf8), name: path)
        return
    }
    let folder = (target as NSString).deletingLastPathComponent.isEmpty ? "." : (target as NSString).deletingLastPathComponent
    let base = (target as NSString).lastPathComponent
    removeStaleTemporaries(folder: folder, base: base)
    let temporary = (folder as NSString).appendingPathComponent(".\(base).relief-tmp-\(getpid())")
    let mode: mode_t = exists ? (st.st_mode & 0o7777) : 0o644
    let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
    guard fd >= 0 else {
        throw OutputError(kind: .cannotCreate, path: path, reason: "cannot be written: \(String(cString: strerror(errno)))")
    }
    do {
        try writeAll(fd, Array(text.utf8), name: path)
        guard fsync(fd) == 0 else { throw OutputError(kind: .ioError, path: path, reason: "fsync failed: \(String(cString: strerror(errno)))") }
        close(fd)
    } catch {
        close(fd)
        unlink(temporary)
        throw error
    }
    guard rename(temporary, target) == 0 else {
        let reason = String(cString: strerror(errno))
        unlink(temporary)
        throw OutputError(kind: .cannotCreate, path: path, reason: "cannot be written: \(reason)")
    }
    let dirfd = open(folder, O_RDONLY | O_CLOEXEC)
    if dirfd >= 0 { _ = fsync(dirfd); close(dirfd) }
}

/// Removes `.<base>.relief-tmp-<pid>` files in `folder` whose process is gone.
private func removeStaleTemporaries(folder: String, base: String) {
    let prefix = ".\(base).relief-tmp-"
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return }
    for name in names where name.hasPrefix(prefix) {
        guard let pid = Int32(name.dropFirst(prefix.count)), pid != getpid() else { continue }
        if kill(pid, 0) != 0 && errno == ESRCH {
            unlink((folder as NSString).appendingPathComponent(name))
        }
    }
}
