// swift-tools-version:6.2
import PackageDescription

let package = Package(
    name: "swift-crc64",
    products: [
        .library(name: "CRC64", targets: ["CRC64"]),
        // The C ABI as a shared library (libcrc64.so / .dylib) for C programs and Python ctypes.
        .library(name: "crc64", type: .dynamic, targets: ["CCRC64"]),
        .executable(name: "crc64sum", targets: ["crc64sum"]),
        .executable(name: "crcbench", targets: ["crcbench"]),
    ],
    targets: [
        // SwiftPM builds C with frame pointers on Linux, in leaf functions too. The kernels and the entry points that
        // jump to them are leaves, and their two frames cost 0.25-0.5 ns a call at 16-64 bytes (measured with
        // perf-reports' crcbench); other functions keep theirs. Since tools version 6.2 an unsafe flag no longer keeps
        // the package from being a versioned dependency.
        .target(name: "CCRC64", cSettings: [.unsafeFlags(["-momit-leaf-frame-pointer"], .when(platforms: [.linux]))]),
        .target(name: "CRC64", dependencies: ["CCRC64"]),
        .executableTarget(name: "crc64sum", dependencies: ["CRC64"]),
        .target(name: "CRCBenchSupport", path: "Benchmarks/CRCBenchSupport"),
        .executableTarget(
            name: "crcbench", dependencies: ["CRC64", "CCRC64", "CRCBenchSupport"], path: "Benchmarks/crcbench"),
        .testTarget(name: "CRC64Tests", dependencies: ["CRC64", "CCRC64"]),
        .testTarget(name: "crc64sumTests", dependencies: ["crc64sum", "CRC64"]),
    ]
)
