// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Relief",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "relief", targets: ["relief"]),
        .library(name: "Relief", targets: ["Relief"]),
        .library(name: "GLPK", targets: ["GLPK"]),
        .library(name: "ReliefServer", targets: ["ReliefServer"]),
        .executable(name: "relief-serve", targets: ["relief-serve"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        // The clinic's store (ReliefClinic): SQLite through GRDB, PostgreSQL through postgres-nio,
        // bcrypt for clinicians' passwords, SHA-256 and random tokens from swift-crypto (the graph
        // already resolves swift-crypto 4, which Hummingbird's dependencies accept).
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CGLPK",
            providers: [.apt(["libglpk-dev"])]
        ),
        .target(name: "GLPK", dependencies: ["CGLPK"]),
        .target(
            name: "Relief",
            dependencies: ["GLPK", .product(name: "CSV", package: "CSV.swift")]
        ),
        // What people and apps read: plans, programmes, frontiers and reports as text, Markdown,
        // JSON, SVG and iCalendar, and batch JSON lines, from the domain's values.
        .target(name: "ReliefFormats", dependencies: ["Relief"]),
        .executableTarget(
            name: "relief",
            dependencies: ["Relief", "ReliefFormats", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        // The HTTP service and page (`relief serve` runs it; `make serve`). Its own library and
        // executable, so `relief plan` neither links nor builds the HTTP stack.
        .target(
            name: "ReliefServer",
            dependencies: [
                "Relief", "ReliefFormats",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            resources: [.copy("openapi.yaml")]
        ),
        // The clinic's data store: one protocol, an SQLite and a PostgreSQL implementation. Beside
        // the server, not in it, so neither `relief` nor the domain links a database.
        .target(
            name: "ReliefClinic",
            dependencies: [
                "Relief",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        // The clinic over HTTP: sign-in, sessions, bearer tokens, CSRF and the clinic boundary, as
        // JSON routes added to the service's router. It imports the server and the store; neither
        // imports it, so the service without `--clinic` is the service it was.
        .target(
            name: "ReliefClinicServer",
            dependencies: [
                "Relief", "ReliefFormats", "ReliefClinic", "ReliefServer",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            resources: [.copy("openapi-clinic.yaml")]
        ),
        .executableTarget(
            name: "relief-serve",
            dependencies: ["ReliefServer", "ReliefClinicServer", "ReliefClinic", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        // Fuzz targets for every loader (`make fuzz`); built normally it replays a corpus.
        .executableTarget(name: "relief-fuzz", dependencies: ["Relief", "ReliefFormats"]),
        // Speed measurements (`make bench`); its sources live under benchmarks/.
        .executableTarget(
            name: "relief-bench",
            dependencies: ["Relief", "ReliefFormats", "GLPK", "CGLPK"],
            path: "benchmarks/Sources/relief-bench"
        ),
        // The clinic store's targets (`relief-clinic-bench`, under benchmarks/ like relief-bench).
        .executableTarget(
            name: "relief-clinic-bench",
            dependencies: ["ReliefClinic", "Relief"],
            path: "benchmarks/Sources/relief-clinic-bench"
        ),
        .testTarget(name: "GLPKTests", dependencies: ["GLPK"]),
        // What the test targets share: fixtures, temporary folders, running the built `relief`.
        .target(
            name: "ReliefTestSupport",
            dependencies: ["Relief"],
            path: "Tests/Support",
            resources: [.copy("Fixtures")]
        ),
        .testTarget(name: "ReliefTests", dependencies: ["Relief", "ReliefFormats", "GLPK", "ReliefTestSupport"]),
        // The executables from outside: the relief command as a person or a script runs it,
        // and the golden corpus of its bytes.
        .testTarget(name: "ReliefCommandTests", dependencies: ["Relief", "ReliefFormats", "ReliefTestSupport"]),
        // The store tests, one suite run against SQLite and (with RELIEF_TEST_POSTGRES_URL) PostgreSQL.
        .testTarget(
            name: "ReliefClinicTests",
            dependencies: [
                "ReliefClinic", "Relief",
                .product(name: "PostgresNIO", package: "postgres-nio"), .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        // The clinic's routes driven in process against an SQLite store in a temporary file (and the
        // authorisation matrix on PostgreSQL too, with RELIEF_TEST_POSTGRES_URL).
        .testTarget(
            name: "ReliefClinicServerTests",
            dependencies: [
                "ReliefClinicServer", "ReliefClinic", "ReliefServer", "Relief", "ReliefTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ]
        ),
        .testTarget(
            name: "ReliefServerTests",
            dependencies: [
                "ReliefServer", "Relief", "ReliefFormats", "ReliefTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ]
        ),
    ]
)
