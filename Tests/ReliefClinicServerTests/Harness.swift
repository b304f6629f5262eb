import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import PostgresNIO
import Relief
import ReliefClinic
@testable import ReliefClinicServer
import ReliefServer
import Testing

let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
let shippedCatalogue: Catalogue = {
    do { return try Catalogue.load(directory: repository.appendingPathComponent("data").path) } catch { fatalError("data/: \(error)") }
}()

/// A clock the test moves by hand (the store's and the routes'), so expiry needs no sleeping.
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current = Date(timeIntervalSince1970: 1_796_083_200)   // 2026-12-01T00:00:00Z
    var now: Date { lock.withLock { current } }
    func advance(_ seconds: TimeInterval) { lock.withLock { current = current.addingTimeInterval(seconds) } }
}

/// The service with the clinic's routes on a fresh SQLite store in a temporary file, driven in
/// process through Hummingbird's router test framework.
struct ClinicWeb: Sendable {
    let store: any ClinicStore
    let clock: TestClock
    let service: ReliefService
    let routes: ClinicRoutes
    let client: any TestClientProtocol

    static func run<T: Sendable>(listeningOn host: String = "127.0.0.1", backend: Backend = .sqlite, publicURL: String? = nil,
                                 _ test: @Sendable (ClinicWeb) async throws -> T) async throws -> T {
        let clock = TestClock()
        let options = ClinicStoreOptions(bcryptCost: 4, openTimeout: .seconds(300), now: { clock.now })
        let (store, cleanup) = try await backend.open(options)
        var settings = ServerSettings()
        settings.threads = 1
        settings.host = host
        let service = ReliefService(catalogue: shippedCatalogue, settings: settings)
        defer { service.shutdown() }
        var web = ClinicWebSettings(listeningOn: host, now: { clock.now })
        web.publicURL = publicURL
        let routes = ClinicRoutes(service: service, store: store, settings: web)
        do {
            let value = try await service.application(adding: routes.add(to:)).test(.router) { client in
                try await test(ClinicWeb(store: store, clock: clock, service: service, routes: routes, client: client))
            }
            try await store.close()
            await cleanup()
            return value
        } catch {
            try? await store.close()
            await cleanup()
            throw error
        }
    }

    /// One request; `json` sets the body and its Content-Type.
    @discardableResult
    func send(_ method: HTTPRequest.Method, _ path: String, headers: HTTPFields = [:], json: String? = nil) async throws -> TestResponse {
        var h = headers
        if json != nil { h[.contentType] = "application/json" }
        return try await client.executeRequest(uri: path, method: method, headers: h, body: json.map { ByteBuffer(string: $0) })
    }

    /// A clinician and their clinic, made in the store.
    func clinician(_ name: String, password: String = "correct horse battery") async throws -> (Clinician, String) {
        let clinic = try await store.createClinic(name: "clinic \(name)")
        let email = "\(name.lowercased())-\(UUID().uuidString.prefix(8).lowercased())@example.org"
        let c = try await store.createClinician(clinic: clinic.id, email: email, displayName: name, password: password)
        return (c, password)
    }

    /// Signs in through the route: the Cookie header to send back and the CSRF token.
    func signIn(email: String, password: String) async throws -> SignedIn {
        let r = try await send(.post, "/v1/clinic/sign-in", json: #"{"email": "\#(email)", "password": "\#(password)"}"#)
        guard r.status == .ok, let setCookie = r.headers[.setCookie], let pair = setCookie.split(separator: ";").first,
              let csrf = try body(r)["csrf_token"] as? String else {
            throw TestFailure("sign-in answered \(r.status): \(String(buffer: r.body))")
        }
        return SignedIn(cookie: String(pair), csrf: csrf)
    }
}

/// The store under the routes: a temporary SQLite file, or (with `RELIEF_TEST_POSTGRES_URL`, which
/// tests/clinic/postgres.sh sets, as `make test` does) a PostgreSQL schema of the test's own.
enum Backend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite, postgres

    static var postgresURL: String? { ProcessInfo.processInfo.environment["RELIEF_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 } }
    /// PostgreSQL only when a server is there; the store's own tests insist on it in CI.
    static var available: [Backend] { postgresURL != nil ? [.sqlite, .postgres] : [.sqlite] }
    var testDescription: String { rawValue }

    func open(_ options: ClinicStoreOptions) async throws -> (any ClinicStore, @Sendable () async -> Void) {
        switch self {
        case .sqlite:
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("relief-clinic-web-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            let store = try await ClinicStores.open("sqlite:" + dir.appendingPathComponent("clinic.sqlite").path, options: options)
            return (store, { try? FileManager.default.removeItem(at: dir) })
        case .postgres:
            guard let url = Self.postgresURL, case .postgres(var config, let shown) = try ClinicStores.Address(url) else {
                throw TestFailure("RELIEF_TEST_POSTGRES_URL is not a postgres:// address")
            }
            let schema = "w_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
            let admin = config
            try await Self.admin(admin, "CREATE SCHEMA \(schema)")
            config.options.additionalStartupParameters = [("search_path", schema)]
            let store = try await PostgresClinicStore(configuration: config, address: shown, options: options)
            // Dropped after the store is closed (ClinicWeb.run closes it first).
            return (store, { try? await Self.admin(admin, "DROP SCHEMA \(schema) CASCADE") })
        }
    }

    static func admin(_ config: PostgresClient.Configuration, _ sql: String) async throws {
        let client = PostgresClient(configuration: config)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            try await client.query(PostgresQuery(unsafeSQL: sql))
            group.cancelAll()
        }
    }
}

struct SignedIn: Sendable {
    let cookie: String
    let csrf: String
    var headers: HTTPFields { [.cookie: cookie, ClinicRoutes.csrfHeader: csrf] }
    var headersWithoutCSRF: HTTPFields { [.cookie: cookie] }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}

func body(_ r: TestResponse) throws -> [String: Any] {
    try JSONSerialization.jsonObject(with: Data(String(buffer: r.body).utf8)) as? [String: Any] ?? [:]
}

func bearer(_ token: String) -> HTTPFields { [.authorization: "Bearer \(token)"] }
