// swift-tools-version: 6.1
import PackageDescription

/// A system-library target: a module map and a shim header, nothing else.
func systemLibrary(_ name: String, pkgConfig: String, apt: [String]) -> Target {
    .systemLibrary(name: name, path: "Sources/\(name)", pkgConfig: pkgConfig, providers: [.apt(apt)])
}

/// The YAML library of the ASDF trees (FITS reads and writes them; steps that edit a tree build its nodes).
let yams: Target.Dependency = .product(name: "Yams", package: "Yams")

/// For numeric kernels only: their hot loops index raw buffers, where checked arithmetic costs a factor of several.
/// Targets that parse untrusted downloads (FITS, Pipeline, Daemon) keep their checks.
let uncheckedKernels: [SwiftSetting] = [.unsafeFlags(["-Ounchecked"], .when(configuration: .release))]

let system: Target.Dependency = .product(name: "SystemPackage", package: "swift-system")
let logging: Target.Dependency = .product(name: "Logging", package: "swift-log")

/// A step plugin: an ordinary target whose sources live under Plugins/ (`exclude`: documentation beside them).
func plugin(_ name: String, exclude: [String] = [], resources: [Resource] = [], dependencies: [Target.Dependency] = []) -> Target {
    .target(name: name, dependencies: ["Pipeline", "FITS", "Numerics", "Platform", yams, logging] + dependencies,
            path: "Plugins/\(name)", exclude: exclude, resources: resources, swiftSettings: uncheckedKernels)
}

func tests(_ module: String, _ dependencies: [Target.Dependency] = [], exclude: [String] = []) -> Target {
    .testTarget(name: "\(module)Tests", dependencies: [.byName(name: module), "TestSupport"] + dependencies, path: "Tests/\(module)Tests",
                exclude: exclude)
}

let package = Package(
    name: "webbflow",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "webbflow", targets: ["webbflow"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-system", from: "1.8.1"),
        .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
    ],
    targets: [
        systemLibrary("CFITSIO", pkgConfig: "cfitsio", apt: ["libcfitsio-dev"]),
        systemLibrary("CWCSLIB", pkgConfig: "wcslib", apt: ["wcslib-dev"]),
        systemLibrary("COpenBLAS", pkgConfig: "openblas", apt: ["libopenblas-dev", "liblapacke-dev"]),
        systemLibrary("CFFTW", pkgConfig: "fftw3", apt: ["libfftw3-dev"]),
        systemLibrary("CNLopt", pkgConfig: "nlopt", apt: ["libnlopt-dev"]),
        systemLibrary("CSystemd", pkgConfig: "libsystemd", apt: ["libsystemd-dev"]),
        systemLibrary("CSQLite", pkgConfig: "sqlite3", apt: ["libsqlite3-dev"]),
        systemLibrary("CCairo", pkgConfig: "cairo", apt: ["libcairo2-dev", "fonts-dejavu-core"]),
        systemLibrary("CPNG", pkgConfig: "libpng", apt: ["libpng-dev"]),
        systemLibrary("CZlib", pkgConfig: "zlib", apt: ["zlib1g-dev"]),
        systemLibrary("CXXHash", pkgConfig: "libxxhash", apt: ["libxxhash-dev"]),
        // glibc's malloc tuning (malloc.h): part of libc, nothing to install.
        .systemLibrary(name: "CMalloc", path: "Sources/CMalloc"),

        // What every layer needs from the machine: locks, parallel loops, shared buffers, huge pages, malloc policy.
        .target(name: "Platform", dependencies: ["CMalloc", system], swiftSettings: uncheckedKernels),
        // Each C library the daemon needs, wrapped once.
        .target(name: "SQLite", dependencies: ["CSQLite"]),
        .target(name: "Inotify", dependencies: ["Platform", system]),
        .target(name: "Systemd", dependencies: ["CSystemd", "Platform", logging]),
        .target(name: "XXHash", dependencies: ["CXXHash"]),
        .target(name: "GzipStream", dependencies: ["CZlib", system]),
        .target(name: "FITS", dependencies: ["CFITSIO", "CWCSLIB", "Platform", "GzipStream", yams]),
        .target(name: "Numerics", dependencies: ["COpenBLAS", "CFFTW", "CNLopt", "Platform"], swiftSettings: uncheckedKernels),
        .target(name: "Optics", dependencies: ["Numerics"], swiftSettings: uncheckedKernels),
        .target(name: "QuickLook", dependencies: ["FITS", "CCairo", "CPNG"], swiftSettings: uncheckedKernels),
        .target(name: "Pipeline", dependencies: ["FITS", "Numerics", "Platform", "QuickLook", "XXHash", yams, logging, system]),
        .target(name: "Simulator", dependencies: ["Pipeline", "FITS", "Numerics", "Optics", "Platform"]),
        .target(name: "OutboxPage", dependencies: [.product(name: "Mustache", package: "swift-mustache")]),
        .target(name: "InstanceLock", dependencies: [system]),
        .target(name: "Daemon", dependencies: [
            "Pipeline", "FITS", "Platform", "SQLite", "Inotify", "Systemd", "InstanceLock", "OutboxPage", system, logging,
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            .product(name: "TOMLKit", package: "TOMLKit"),
            .product(name: "Subprocess", package: "swift-subprocess"),
        ]),

        plugin("NSClean"),
        plugin("AdaptiveTraceModel"),
        plugin("SlitExtraction", exclude: ["README.md"]),
        plugin("Fusion", resources: [.copy("Resources/throughputs")], dependencies: ["Optics"]),

        .executableTarget(name: "webbflow", dependencies: [
            "FITS", "Numerics", "Platform", "Pipeline", "Simulator", "Daemon",
            "NSClean", "AdaptiveTraceModel", "SlitExtraction", "Fusion",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            logging,
        ]),

        tests("FITS", [yams]),
        tests("Platform", [system]),
        tests("SQLite"),
        tests("Inotify"),
        tests("Systemd"),
        tests("Numerics"),
        tests("Optics"),
        tests("QuickLook", ["FITS"]),
        tests("OutboxPage"),
        tests("Pipeline", ["FITS", yams]),
        tests("Simulator", ["Pipeline", "FITS"]),
        tests("Daemon", ["Pipeline", "FITS", "Platform", "Simulator", "OutboxPage", "SQLite", "InstanceLock"]),
        tests("NSClean", ["Simulator", "Pipeline", "FITS", "Numerics"]),
        tests("AdaptiveTraceModel", ["Simulator", "Pipeline", "FITS"]),
        // CEERS: real MOS cut-outs and msaexp's spectrum of the same source, the fixture of the real-data test.
        tests("SlitExtraction", ["Simulator", "Pipeline", "FITS"], exclude: ["CEERS"]),
        tests("Fusion", ["Simulator", "Pipeline", "FITS", "Optics"]),
        .testTarget(name: "webbflowTests", dependencies: ["FITS", "Simulator", "QuickLook", "TestSupport"], path: "Tests/webbflowTests"),
        // What every test target needs from outside the code under test: scratch folders, external tools, ../shared.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
    ],
    swiftLanguageModes: [.v6]
)
