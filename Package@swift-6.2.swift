// swift-tools-version:6.2
// The manifest for Swift 6.2 and later. It is Package.swift plus one C flag that tools versions before 6.2 do not
// allow in a versioned dependency; everything else must stay identical (.ci/manifests.sh checks it).
import PackageDescription

let package = Package(
    name: "swift-crc64",
    products: [
        // CRC-64 of bytes: models, the hasher, combine, header formats. No threads, signals or file access.
        .library(name: "CRC64Kit", targets: ["CRC64Kit"]),
        // Files and large buffers on several cores (threads, mmap and a SIGBUS guard: opt in by importing it). POSIX
        // only: on Windows its sources (and crc64sum's, and their tests') compile to nothing, under #if !os(Windows).
        .library(name: "CRC64Files", targets: ["CRC64Files"]),
        // The C ABI as a shared library (libcrc64.so / .dylib) for C programs and Python ctypes.
        .library(name: "crc64", type: .dynamic, targets: ["CCRC64"]),
        .executable(name: "crc64sum", targets: ["crc64sum"]),
    ],
    targets: [
        // SwiftPM builds C with frame pointers on Linux, in leaf functions too. The kernels and the entry points that
        // jump to them are leaves, and their two frames cost 0.25-0.5 ns a call at 16-64 bytes (measured with
        // perf-reports' crcbench); other functions keep theirs. Since tools version 6.2 an unsafe flag no longer keeps
        // the package from being a versioned dependency.
        .target(
            name: "CCRC64",
            cSettings: [
                .define("LIBCRC64_STATIC", .when(platforms: [.windows])),
                .unsafeFlags(["-momit-leaf-frame-pointer"], .when(platforms: [.linux])),
            ]),
        .target(name: "CRC64Kit", dependencies: ["CCRC64"]),
        .target(name: "CRC64Files", dependencies: ["CRC64Kit"]),
        .executableTarget(name: "crc64sum", dependencies: ["CCRC64", "CRC64Kit", "CRC64Files"]),
        // The benchmark, not a product: `swift run -c release crcbench` runs it from this package's checkout only.
        .target(name: "CRCBenchSupport", path: "Benchmarks/CRCBenchSupport"),
        .executableTarget(
            name: "crcbench", dependencies: ["CRC64Kit", "CRC64Files", "CCRC64", "CRCBenchSupport"],
            path: "Benchmarks/crcbench"),
        .testTarget(name: "CRC64KitTests", dependencies: ["CRC64Kit", "CCRC64"]),
        .target(name: "CRC64TestSupport", dependencies: ["CRC64Kit"], path: "Tests/CRC64TestSupport"),
        .testTarget(name: "CRC64FilesTests", dependencies: ["CRC64Files", "CRC64Kit", "CRC64TestSupport"]),
        // A module with its own `struct CRC64` that names every public API module-qualified.
        .testTarget(name: "CRC64ClashTests", dependencies: ["CRC64Kit", "CRC64Files"]),
        .testTarget(
            name: "crc64sumTests", dependencies: ["crc64sum", "CRC64Kit", "CRC64Files", "CRC64TestSupport"]),
    ]
)
