#if !os(Windows)  // POSIX only (Package.swift)
import CRC64Files
import CRC64Kit
import CRC64TestSupport
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The result of running the built `crc64sum` once.
struct Run {
    let status: Int32
    let stdoutBytes: [UInt8]
    let stderr: String

    var stdout: String { String(decoding: stdoutBytes, as: UTF8.self) }
    var lines: [String] { stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init) }
    var errorLines: [String] { stderr.split(separator: "\n").map(String.init) }
}

/// What the child gets as standard input.
enum Input {
    case none  // /dev/null
    case bytes([UInt8])
    case file(String)
    case handle(FileHandle)
}

/// Runs the `crc64sum` executable that `swift build` / `swift test` built next to this test bundle.
enum Tool {
    static let path: String = {
        var candidates: [String] = []
        if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            candidates.append((exe as NSString).deletingLastPathComponent + "/crc64sum")
        }
        candidates.append(Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("crc64sum").path)
        candidates.append(Bundle.main.bundleURL.appendingPathComponent("crc64sum").path)
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        candidates.append(root.appendingPathComponent(".build/debug/crc64sum").path)
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates.last!
    }()

    static func run(
        _ arguments: [String], stdin: Input = .none, stdout: FileHandle? = nil, currentDirectory: String? = nil,
        executable: String = Tool.path, prefix: [String] = []
    ) throws -> Run {
        let process = Process()
        if prefix.isEmpty {
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
        } else {
            process.executableURL = URL(fileURLWithPath: prefix[0])
            process.arguments = Array(prefix.dropFirst()) + [executable] + arguments
        }
        if let currentDirectory { process.currentDirectoryURL = URL(fileURLWithPath: currentDirectory) }
        var environment = ProcessInfo.processInfo.environment
        environment["LC_ALL"] = "C"
        process.environment = environment

        var stdinPipe: Pipe?
        switch stdin {
        case .none: process.standardInput = FileHandle(forReadingAtPath: "/dev/null")
        case .bytes:
            stdinPipe = Pipe()
            process.standardInput = stdinPipe
        case .file(let path): process.standardInput = FileHandle(forReadingAtPath: path)
        case .handle(let handle): process.standardInput = handle
        }
        let outPipe = Pipe()
        let errPipe = Pipe()
        process.standardOutput = stdout ?? outPipe
        process.standardError = errPipe
        try process.run()

        // Feed stdin and drain stderr on other threads so that no pipe fills up.
        let group = DispatchGroup()
        if case .bytes(let bytes) = stdin, let stdinPipe {
            DispatchQueue.global().async(group: group) {
                let handle = stdinPipe.fileHandleForWriting
                _ = try? handle.write(contentsOf: Data(bytes))
                try? handle.close()
            }
        }
        let errorBox = Box<Data>(Data())
        DispatchQueue.global().async(group: group) {
            errorBox.value = errPipe.fileHandleForReading.readDataToEndOfFile()
        }
        let outData = stdout == nil ? outPipe.fileHandleForReading.readDataToEndOfFile() : Data()
        group.wait()
        process.waitUntilExit()
        return Run(
            status: process.terminationStatus, stdoutBytes: Array(outData),
            stderr: String(decoding: errorBox.value, as: UTF8.self))
    }
}

/// The catalogue check values: the CRC of "123456789" for each `--algorithm` name.
let catalogue: [(name: String, tag: String, model: CRC64Model, check: UInt64)] = [
    ("xz", "CRC64-XZ", .xz, 0x995d_c9bb_df19_39fa),
    ("nvme", "CRC64-NVME", .nvme, 0xae8b_1486_0a79_9888),
    ("ecma-182", "CRC64-ECMA-182", .ecma182, 0x6c40_df5f_0b49_7347),
    ("go-iso", "CRC64-GO-ISO", .goISO, 0xb909_56c7_75a4_1001),
    ("we", "CRC64-WE", .we, 0x62ec_59e3_f1a4_f00a),
    ("ms", "CRC64-MS", .ms, 0x75d4_b74f_024e_ceea),
    ("redis", "CRC64-REDIS", .redis, 0xe9c6_d914_c4b8_d9ca),
]
#endif
