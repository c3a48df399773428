#if !os(Windows)  // POSIX only (Package.swift)
// How crc64sum reports: buffered standard output, one-line diagnostics on standard error, and the exit status.

import CRC64Files

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Exit statuses. `0` success; `1` a checksum did not match; `2` trouble: a FILE that could not be read, the
/// invocation or a check file (usage, unreadable or malformed check file), a write error. Trouble outranks a mismatch.
enum ExitStatus: Int32, Comparable {
    case success = 0
    case failure = 1
    case trouble = 2

    static func < (lhs: ExitStatus, rhs: ExitStatus) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// Buffered standard output: large writes, checked; a failed write ends the program with status 2.
final class Output {
    nonisolated(unsafe) static let standard = Output(fd: 1)

    private let fd: Int32
    private var buffer: [UInt8] = []

    init(fd: Int32) {
        self.fd = fd
        buffer.reserveCapacity(1 << 16)
    }

    func write(_ bytes: some Collection<UInt8>) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= 1 << 16 { flush() }
    }

    func write(_ text: String) { write(text.utf8) }

    /// Writes everything buffered. On failure (a closed pipe, a full disk) exits with status 2: quietly for a
    /// closed pipe, as a reader that stopped reading is not an error worth a message; with the reason otherwise.
    func flush() {
        var offset = 0
        while offset < buffer.count {
            let n = buffer.withUnsafeBytes { systemWrite(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 {
                let code = errno
                if code == EINTR { continue }
                buffer.removeAll()
                if code != EPIPE { Diagnostics.error("write error: \(systemReason(code))") }
                exit(ExitStatus.trouble.rawValue)
            }
            offset += n
        }
        buffer.removeAll(keepingCapacity: true)
    }
}

@inline(__always)
private func systemWrite(_ fd: Int32, _ pointer: UnsafeRawPointer, _ count: Int) -> Int {
    write(fd, pointer, count)
}

/// Messages on standard error, each `crc64sum: ...` on one line, written at once (standard output is flushed first
/// so that both streams stay in order on a terminal).
enum Diagnostics {
    static let program = "crc64sum"

    static func error(_ message: String) {
        Output.standard.flush()
        writeError(Array("\(program): \(message)\n".utf8))
    }

    /// `crc64sum: NAME: message`, NAME quoted as coreutils quotes file names in messages.
    static func error(file name: [UInt8], _ message: String) {
        error("\(quoteName(name)): \(message)")
    }

    static func writeError(_ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { write(2, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return }
            offset += n
        }
    }
}
#endif
