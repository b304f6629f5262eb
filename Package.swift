// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Relief",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "relief", targets: ["relief"]),
        .library(name: "Relief", targets: ["Relief"]),
        .library(name: "GLPK", targets: ["GLPK"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.2"),
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
        .executableTarget(
            name: "relief",
            dependencies: ["Relief", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        // Fuzz targets for every loader (`make fuzz`); built normally it replays a corpus.
        .executableTarget(name: "relief-fuzz", dependencies: ["Relief"]),
        // Speed measurements (`make bench`); its sources live under benchmarks/.
        .executableTarget(
            name: "relief-bench",
            dependencies: ["Relief", "GLPK", "CGLPK"],
            path: "benchmarks/Sources/relief-bench"
        ),
        .testTarget(name: "GLPKTests", dependencies: ["GLPK"]),
        .testTarget(
            name: "ReliefTests",
            dependencies: ["Relief", "GLPK"],
            resources: [.copy("Fixtures")]
        ),
    ]
)
