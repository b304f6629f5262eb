import Foundation
import PostgresNIO

/// Opening a store from the address a person writes in a configuration or on a command line:
///
/// - `sqlite:PATH`, or a plain path: an SQLite file (created when missing);
/// - `postgres://user[:password]@host[:port]/database` (or `postgresql://`): a PostgreSQL server.
public enum ClinicStores {
    public static func open(_ address: String, options: ClinicStoreOptions = ClinicStoreOptions()) async throws -> any ClinicStore {
        switch try Address(address) {
        case .sqlite(let path): return try await SQLiteClinicStore(path: path, options: options)
        case let .postgres(configuration, shown): return try await PostgresClinicStore(configuration: configuration, address: shown, options: options)
        }
    }

    /// A parsed address. `shown` is the address with its password replaced by `***`.
    public enum Address {
        case sqlite(path: String)
        case postgres(PostgresClient.Configuration, shown: String)

        public init(_ text: String) throws {
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("postgres://") || trimmed.hasPrefix("postgresql://") {
                self = try Self.postgres(trimmed)
            } else {
                let path = trimmed.hasPrefix("sqlite:") ? String(trimmed.dropFirst("sqlite:".count)) : trimmed
                guard !path.isEmpty else {
                    throw ClinicStoreError.cannotOpen(url: text, reason: "expected sqlite:PATH, a path, or postgres://user@host:port/database")
                }
                self = .sqlite(path: path)
            }
        }

        static func postgres(_ text: String) throws -> Address {
            guard let u = URLComponents(string: text), let host = u.host, !host.isEmpty else {
                throw ClinicStoreError.cannotOpen(url: redacted(text), reason: "expected postgres://user@host:port/database")
            }
            var shown = u
            if shown.password != nil { shown.password = "***" }
            let display = shown.string ?? redacted(text)
            guard let user = u.user, !user.isEmpty else {
                throw ClinicStoreError.cannotOpen(url: display, reason: "the address names no user (postgres://user@host:port/database)")
            }
            let port = u.port ?? 5432
            guard (1...65_535).contains(port) else { throw ClinicStoreError.cannotOpen(url: display, reason: "port \(port) is outside 1-65535") }
            let database = u.path.hasPrefix("/") ? String(u.path.dropFirst()) : u.path
            var config = PostgresClient.Configuration(host: host, port: port, username: user, password: u.password,
                                                      database: database.isEmpty ? nil : database, tls: .disable)
            config.options.connectTimeout = .seconds(5)
            return .postgres(config, shown: display)
        }

        /// Everything between `://` and `@` hidden, for an address too broken to parse.
        static func redacted(_ text: String) -> String {
            guard let scheme = text.range(of: "://"), let at = text.range(of: "@", range: scheme.upperBound..<text.endIndex) else { return text }
            return text.replacingCharacters(in: scheme.upperBound..<at.lowerBound, with: "***")
        }
    }
}
