#if !os(Windows)  // POSIX only (Package.swift)
// Helpers shared by the test targets: temporary files, deterministic bytes, process probes.
import CRC64Kit
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// What some tests need from the host. A test that needs what this host lacks is reported as skipped (with
/// `.enabled(if:)`, never by returning early), and `.ci/swift-test.sh` fails a CI run on a skip it does not expect.
public enum Host {
    /// Linux, whose tools (GNU time, util-linux script) and files (/proc, /dev/full) some tests drive.
    public static let isLinux: Bool = {
        #if os(Linux)
        return true
        #else
        return false
        #endif
    }()
    /// Per-process files under /proc (Linux): a running process's mappings and bytes read.
    public static let hasProcFiles = FileManager.default.fileExists(atPath: "/proc/self/maps")
    /// The sanitizer the tests run under (`CRC64_SANITIZER`, set by .ci/sanitizers.sh), if any.
    public static let sanitizer = ProcessInfo.processInfo.environment["CRC64_SANITIZER"]

    public static func hasExecutable(_ path: String) -> Bool { FileManager.default.isExecutableFile(atPath: path) }
}

/// A mutable value shared with a closure that runs elsewhere (tests wait for it before reading).
public final class Box<T>: @unchecked Sendable {
    public var value: T
    public init(_ value: T) { self.value = value }
}

/// A temporary directory, removed when the value goes away.
public final class TemporaryDirectory {
    public let path: String

    public init() throws {
        var base = NSTemporaryDirectory()
        while base.hasSuffix("/") { base.removeLast() }
        var template = Array((base + "/crc64sum-tests-XXXXXX").utf8CString)
        let result = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        guard let result else { throw POSIXError(.EIO) }
        path = String(cString: result)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    public func url(_ name: String) -> String { path + "/" + name }

    @discardableResult
    public func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        let file = url(name)
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        return file
    }

    @discardableResult
    public func write(_ name: String, _ text: String) throws -> String { try write(name, Array(text.utf8)) }
}

/// Deterministic pseudo-random bytes.
public func randomBytes(_ count: Int, seed: UInt64 = 0x9e37_79b9_7f4a_7c15) -> [UInt8] {
    var state = seed
    var bytes = [UInt8](repeating: 0, count: count)
    bytes.withUnsafeMutableBytes { raw in
        var index = 0
        while index < count {
            state &+= 0x9e37_79b9_7f4a_7c15
            var z = state
            z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
            z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
            z ^= z >> 31
            for byte in 0..<8 where index < count {
                raw[index] = UInt8(truncatingIfNeeded: z >> (8 * UInt64(byte)))
                index += 1
            }
        }
    }
    return bytes
}

public func hex(_ value: UInt64) -> String { CRC64Digest(value).hex }

/// Makes a sparse file of `size` bytes with `data` written at `offset`.
public func makeSparseFile(_ path: String, size: UInt64, data: [UInt8], at offset: UInt64) throws {
    let fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0o644)
    guard fd >= 0 else { throw POSIXError(.EIO) }
    defer { close(fd) }
    guard ftruncate(fd, off_t(size)) == 0 else { throw POSIXError(.EIO) }
    let written = data.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, off_t(offset)) }
    guard written == data.count else { throw POSIXError(.EIO) }
}

/// Bytes read so far by a running process (`rchar` of /proc/PID/io), or nil once it is gone.
public func bytesRead(by pid: Int32) -> UInt64? {
    guard let text = try? String(contentsOfFile: "/proc/\(pid)/io", encoding: .utf8) else { return nil }
    for line in text.split(separator: "\n") where line.hasPrefix("rchar:") {
        return UInt64(line.dropFirst(6).trimmingCharacters(in: .whitespaces))
    }
    return nil
}

/// Whether a running process has `path` memory-mapped (listed in /proc/PID/maps).
public func hasMapped(_ path: String, pid: Int32) -> Bool {
    guard let maps = try? String(contentsOfFile: "/proc/\(pid)/maps", encoding: .utf8) else { return false }
    return maps.contains(path)
}
#endif
