import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// The golden corpus's HTTP half (Tests/Golden/api.json): each request's status, content type
/// and body, byte for byte as recorded before a change meant to keep behaviour. Record with
/// `RELIEF_GOLDEN_RECORD=1 swift test --filter GoldenAPITests` and read the difference.
@Suite("Golden corpus: the API's bytes")
struct GoldenAPITests {
    struct Exchange: Decodable, Sendable {
        var name: String
        var method: String
        var path: String
        var body: String?
        var type: String
    }

    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Golden").path
    static let exchanges: [Exchange] = {
        let data = FileManager.default.contents(atPath: folder + "/api.json") ?? Data()
        return (try? JSONDecoder().decode([Exchange].self, from: data)) ?? []
    }()

    @Test("every request answers the status, type and body recorded")
    func replay() async throws {
        #expect(Self.exchanges.count >= 25)
        let recording = ProcessInfo.processInfo.environment["RELIEF_GOLDEN_RECORD"] == "1"
        try await withService { _, client in
            for x in Self.exchanges {
                let response = try await client.executeRequest(
                    uri: x.path, method: x.method == "POST" ? .post : .get,
                    headers: x.body == nil ? [:] : [.contentType: x.type],
                    body: x.body.map { ByteBuffer(string: $0) })
                let actual = "\(x.method) \(x.path)\n\(x.body ?? "")\n--- \(response.status.code) \(response.headers[.contentType] ?? "")\n"
                    + String(buffer: response.body) + "\n"
                let path = Self.folder + "/api/\(x.name).txt"
                if recording {
                    try FileManager.default.createDirectory(atPath: Self.folder + "/api", withIntermediateDirectories: true)
                    try Data(actual.utf8).write(to: URL(fileURLWithPath: path))
                    continue
                }
                let expected = try String(contentsOfFile: path, encoding: .utf8)
                if actual != expected {
                    let a = actual.components(separatedBy: "\n"), e = expected.components(separatedBy: "\n")
                    let k = (0..<min(a.count, e.count)).first(where: { a[$0] != e[$0] }) ?? min(a.count, e.count)
                    Issue.record("""
                        \(x.name) differs from its recording at line \(k + 1):
                          recorded: \(k < e.count ? e[k] : "(end)")
                          now:      \(k < a.count ? a[k] : "(end)")
                        """)
                }
            }
        }
    }
}
