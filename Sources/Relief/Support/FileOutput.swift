import Foundation
import Synchronization
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
    let folder = folderOf(target)
    var dirStat = stat()
    guard stat(folder, &dirStat) == 0, (dirStat.st_mode & S_IFMT) == S_IFDIR else {
        throw OutputError(kind: .cannotCreate, path: path, reason: "its folder \(folder) does not exist; create it first (mkdir -p \(folder))")
    }
    guard access(folder, W_OK) == 0 else {
        throw OutputError(kind: .cannotCreate, path: path, reason: "its folder \(folder) is not writable")
    }
}

/// The folder `path` is in: "." for a bare name ("h"), "/" for a name at the root, trailing
/// slashes ignored ("a/b/" → "a"). Plain string work: Foundation's NSString bridging of
/// `deletingLastPathComponent` trapped on a one-letter relative name (`--handouts h`).
func folderOf(_ path: String) -> String {
    var name = Substring(path)
    while name.count > 1 && name.hasSuffix("/") { name = name.dropLast() }
    guard let slash = name.lastIndex(of: "/") else { return "." }
    var folder = name[..<slash]
    while folder.count > 1 && folder.hasSuffix("/") { folder = folder.dropLast() }
    return folder.isEmpty ? "/" : String(folder)
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
    let file = try StagedFile(path: path)
    try file.append(text)
    try file.commit()
}

/// Removes `.<base>.relief-tmp-<pid>-<n>` files in `folder` whose process is gone.
private func removeStaleTemporaries(folder: String, base: String) {
    let prefix = ".\(base).relief-tmp-"
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return }
    for name in names where name.hasPrefix(prefix) {
        guard let pid = Int32(name.dropFirst(prefix.count).prefix { $0 != "-" }), pid != getpid() else { continue }
        if kill(pid, 0) != 0 && errno == ESRCH {
            unlink((folder as NSString).appendingPathComponent(name))
        }
    }
}

/// A file written in pieces that appears whole or not at all: the pieces go to a temporary
/// file beside the target, and ``commit()`` flushes it to disk and renames it over the target
/// (a special file such as /dev/null or a pipe is written straight through instead). Until
/// then any existing file at the path is untouched; ``discard()`` (or a failure) removes the
/// temporary file.
public final class StagedFile: @unchecked Sendable {
    public let path: String
    private let target: String
    private let temporary: String?
    private var fd: Int32
    private let mode: mode_t
    private let lock = NSLock()

    public init(path: String) throws {
        self.path = path
        target = resolvedTarget(path)
        var st = stat()
        let exists = stat(target, &st) == 0
        if exists && (st.st_mode & S_IFMT) != S_IFREG {
            if (st.st_mode & S_IFMT) == S_IFDIR { throw OutputError(kind: .cannotCreate, path: path, reason: "is a folder") }
            temporary = nil
            mode = 0
            fd = open(target, O_WRONLY | O_CLOEXEC)
            guard fd >= 0 else { throw OutputError(kind: .cannotCreate, path: path, reason: "cannot be opened: \(String(cString: strerror(errno)))") }
        } else {
            let folder = folderOf(target)
            let base = (target as NSString).lastPathComponent
            removeStaleTemporaries(folder: folder, base: base)
            let name = (folder as NSString).appendingPathComponent(".\(base).relief-tmp-\(getpid())-\(stagedCounter.add(1, ordering: .relaxed).newValue)")
            temporary = name
            mode = exists ? (st.st_mode & 0o7777) : 0o644
            fd = open(name, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        }
        guard fd >= 0 else { throw OutputError(kind: .cannotCreate, path: path, reason: "cannot be written: \(String(cString: strerror(errno)))") }
    }

    deinit { discard() }

    public func append(_ text: String) throws {
        try lock.withLock {
            guard fd >= 0 else { throw OutputError(kind: .ioError, path: path, reason: "already closed") }
            do { try writeAll(fd, Array(text.utf8), name: path) } catch { discardLocked(); throw error }
        }
    }

    /// Flushes the whole file to disk and puts it in place (the folder flushed too).
    public func commit() throws {
        try lock.withLock {
            guard fd >= 0 else { throw OutputError(kind: .ioError, path: path, reason: "already closed") }
            guard let temporary else { close(fd); fd = -1; return }
            guard fsync(fd) == 0 else {
                let reason = String(cString: strerror(errno))
                discardLocked()
                throw OutputError(kind: .ioError, path: path, reason: "fsync failed: \(reason)")
            }
            close(fd)
            fd = -1
            guard rename(temporary, target) == 0 else {
                let reason = String(cString: strerror(errno))
                unlink(temporary)
                throw OutputError(kind: .cannotCreate, path: path, reason: "cannot be written: \(reason)")
            }
            let folder = folderOf(target)
            let dirfd = open(folder, O_RDONLY | O_CLOEXEC)
            if dirfd >= 0 { _ = fsync(dirfd); close(dirfd) }
        }
    }

    /// Drops what was written; the target stays as it was.
    public func discard() { lock.withLock { discardLocked() } }

    private func discardLocked() {
        guard fd >= 0 else { return }
        close(fd)
        fd = -1
        if let temporary { unlink(temporary) }
    }
}

private let stagedCounter = Atomic<Int>(0)

/// Several output files written all or nothing: each is staged whole (``StagedFile``), and
/// only when every one is written are they put in place. A failure before that leaves every
/// existing file as it was and no temporary file behind.
public struct OutputSet {
    private var staged: [(String, String)] = []
    private var folders: [String] = []
    public init() {}

    /// Adds a file's whole text (written at ``commit()``).
    public mutating func add(_ text: String, to path: String) { staged.append((path, text)) }

    /// A folder the files may go in, created at ``commit()`` when it is missing.
    public mutating func addFolder(_ path: String) { folders.append(path) }

    public var paths: [String] { staged.map(\.0) }

    /// Checks every target first (each folder is one or can be made, each file can be
    /// written), then makes the folders, writes every temporary file, and renames them in order.
    public func commit() throws {
        var missing: Set<String> = []
        for folder in folders {
            var st = stat()
            if stat(folder, &st) == 0 {
                guard (st.st_mode & S_IFMT) == S_IFDIR else {
                    throw OutputError(kind: .cannotCreate, path: folder, reason: "is a file, not a folder; give a folder name (or remove the file)")
                }
                guard access(folder, W_OK) == 0 else { throw OutputError(kind: .cannotCreate, path: folder, reason: "is not writable") }
            } else {
                let parent = folderOf(folder)
                var pst = stat()
                guard stat(parent, &pst) == 0, (pst.st_mode & S_IFMT) == S_IFDIR, access(parent, W_OK) == 0 else {
                    throw OutputError(kind: .cannotCreate, path: folder, reason: "cannot be created: its folder \(parent) is missing or not writable")
                }
                missing.insert(folder)
            }
        }
        for (path, _) in staged {
            let folder = (path as NSString).deletingLastPathComponent
            if !missing.contains(folder) { try checkWritable(path) }
        }
        for folder in folders where missing.contains(folder) {
            guard mkdir(folder, 0o755) == 0 || errno == EEXIST else {
                throw OutputError(kind: .cannotCreate, path: folder, reason: "cannot be created: \(String(cString: strerror(errno)))")
            }
        }
        var files: [StagedFile] = []
        do {
            for (path, text) in staged {
                let file = try StagedFile(path: path)
                files.append(file)
                try file.append(text)
            }
            for file in files { try file.commit() }
        } catch {
            for file in files { file.discard() }
            throw error
        }
    }
}

/// Refuses to write an output over one of the command's inputs (the catalogue, a profile, the
/// programme): compared by device and inode, so another name or a link for the same file is
/// caught too. `inputs` that do not exist are ignored.
public func refuseOverwritingInputs(outputs: [String], inputs: [String]) throws {
    func identity(_ path: String) -> (UInt64, UInt64)? {
        var st = stat()
        guard stat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return nil }
        return (UInt64(st.st_dev), UInt64(st.st_ino))
    }
    let known = inputs.compactMap { path in identity(path).map { ($0, path) } }
    for output in outputs {
        guard let id = identity(output) else { continue }
        if let input = known.first(where: { $0.0 == id }) {
            throw OutputError(kind: .cannotCreate, path: output,
                              reason: "is \(input.1 == output ? "" : "the same file as ")\(input.1 == output ? "an input" : input.1) of this command; writing it would overwrite the input: choose another file")
        }
    }
}

/// Reads a whole input file, saying plainly why it cannot be: missing, a folder, no
/// permission. Special files (/dev/stdin, a pipe) are read to their end.
public func readInputFile(_ path: String) throws -> [UInt8] {
    guard !path.isEmpty else { throw DataErrors([DataIssue(file: "\"\"", "an empty path: give a file name")]) }
    var st = stat()
    guard stat(path, &st) == 0 else {
        let missing = errno == ENOENT || errno == ENOTDIR
        throw DataErrors([DataIssue(file: path, missing ? "file not found" : "cannot be read: \(String(cString: strerror(errno)))",
                                    fileMissing: missing)])
    }
    if (st.st_mode & S_IFMT) == S_IFDIR {
        throw DataErrors([DataIssue(file: path, "is a folder; give a file inside it")])
    }
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { throw DataErrors([DataIssue(file: path, "cannot be read: \(String(cString: strerror(errno)))")]) }
    defer { close(fd) }
    var bytes: [UInt8] = []
    if (st.st_mode & S_IFMT) == S_IFREG { bytes.reserveCapacity(Int(st.st_size)) }
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
        let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if n < 0 {
            if errno == EINTR { continue }
            throw DataErrors([DataIssue(file: path, "cannot be read: \(String(cString: strerror(errno)))")])
        }
        if n == 0 { return bytes }
        bytes.append(contentsOf: chunk[0..<n])
    }
}

/// Runs `body` holding an exclusive lock that every writer of files in `path`'s folder takes
/// (flock on the folder itself, so no lock file is left behind): a read, change and atomic
/// replace of a file under it cannot lose another process's change made at the same time.
/// The lock is the kernel's: it goes with the process if it dies.
public func withFolderLock<R>(for path: String, _ body: () throws -> R) throws -> R {
    let target = resolvedTarget(path)
    let folder = folderOf(target)
    let fd = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    guard fd >= 0 else {
        throw OutputError(kind: .cannotCreate, path: path, reason: "its folder \(folder) cannot be opened: \(String(cString: strerror(errno)))")
    }
    defer { close(fd) }
    while flock(fd, LOCK_EX) != 0 {
        guard errno == EINTR else {
            throw OutputError(kind: .ioError, path: path, reason: "its folder \(folder) cannot be locked: \(String(cString: strerror(errno)))")
        }
    }
    defer { flock(fd, LOCK_UN) }
    return try body()
}
