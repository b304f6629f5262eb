import Foundation
import Relief
#if canImport(Glibc)
import Glibc
#endif

/// Reads lines from a file descriptor as they arrive (a pipe answers as soon as a line is
/// whole), in one pass over the bytes however long a line is. A line longer than `limit` is
/// dropped as it is read and reported as ``Read/tooLong``; waiting for input wakes every
/// 200 ms to ask whether to stop (SA_RESTART signals do not end a blocked read).
final class LineReader {
    enum Read { case line([UInt8]), tooLong }

    struct Failed: Error, CustomStringConvertible {
        let name: String, reason: String
        var description: String { "\(name): cannot be read: \(reason)" }
    }

    private let fd: Int32
    private let name: String
    private let limit: Int
    private var buffer: [UInt8] = []
    private var head = 0           // first byte of the next line
    private var scanned = 0        // bytes from head on already searched for "\n"
    private var dropping = false   // inside a line over the limit
    private var atEnd = false
    private var chunk = [UInt8](repeating: 0, count: 1 << 16)

    init(fd: Int32, name: String, limit: Int) {
        self.fd = fd
        self.name = name
        self.limit = limit
    }

    /// The next line without its "\n" (nor a "\r" before it); nil at the end of input or
    /// once `shouldStop` says yes while waiting.
    func next(shouldStop: () -> Bool) throws -> Read? {
        while true {
            if let newline = buffer[scanned...].firstIndex(of: 0x0A) {
                let read = take(upTo: newline)
                head = newline + 1
                scanned = head
                if head >= 1 << 16 && head * 2 >= buffer.count {
                    buffer.removeFirst(head)
                    head = 0
                    scanned = 0
                }
                return read
            }
            scanned = buffer.count
            if buffer.count - head > limit {
                dropping = true
                buffer.removeAll(keepingCapacity: true)
                head = 0
                scanned = 0
            }
            if atEnd {
                guard head < buffer.count || dropping else { return nil }
                let read = take(upTo: buffer.count)
                head = buffer.count
                scanned = head
                return read
            }
            var waiting = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&waiting, 1, 200)
            if ready < 0 && errno != EINTR { throw Failed(name: name, reason: String(cString: strerror(errno))) }
            if ready <= 0 {
                if shouldStop() { return nil }
                continue
            }
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                throw Failed(name: name, reason: String(cString: strerror(errno)))
            }
            if n == 0 { atEnd = true } else { buffer.append(contentsOf: chunk[0..<n]) }
        }
    }

    private func take(upTo end: Int) -> Read {
        if dropping {
            dropping = false
            return .tooLong
        }
        var last = end
        if last > head && buffer[last - 1] == 0x0D { last -= 1 }
        return .line(Array(buffer[head..<last]))
    }
}

/// Opens an input file for reading, or says why it cannot be (exit 66).
func openForReading(_ path: String) throws -> Int32 {
    var st = stat()
    if stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR {
        printError("error: \(path): is a folder; give a file inside it")
        throw Exit.noInput
    }
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else {
        printError("error: \(path): cannot be read: \(String(cString: strerror(errno)))")
        throw Exit.noInput
    }
    return fd
}
