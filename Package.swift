// swift-tools-version:6.0
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
        .target(name: "CCRC64"),
        .target(name: "CRC64", dependencies: ["CCRC64"]),
        .executableTarget(name: "crc64sum", dependencies: ["CRC64"]),
        .target(name: "CRCBenchSupport", path: "Benchmarks/CRCBenchSupport"),
        .executableTarget(
            name: "crcbench", dependencies: ["CRC64", "CCRC64", "CRCBenchSupport"], path: "Benchmarks/crcbench"),
        .testTarget(name: "CRC64Tests", dependencies: ["CRC64", "CCRC64"]),
        .testTarget(name: "crc64sumTests", dependencies: ["crc64sum", "CRC64"]),
    ]
)
