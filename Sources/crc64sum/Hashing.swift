#if !os(Windows)  // POSIX only (Package.swift)
import CRC64Files
import CRC64Kit

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Opens the input `name` for reading (`-` is standard input, descriptor 0, which the caller must not close).
func openInput(_ name: [UInt8]) -> Result<Int32, CRC64FileError> {
    if name == [UInt8(ascii: "-")] { return .success(0) }
    let fd = (name + [0]).withUnsafeBufferPointer { bytes in
        bytes.withMemoryRebound(to: CChar.self) { open($0.baseAddress!, O_RDONLY | O_CLOEXEC | O_NOCTTY) }
    }
    guard fd >= 0 else {
        return .failure(CRC64FileError(path: String(decoding: name, as: UTF8.self), operation: .open, code: errno))
    }
    return .success(fd)
}

/// Reads inputs named on the command line or in check files.
struct Inputs {
    let threads: Int
    let showProgress: Bool

    init(options: Options) {
        threads = options.threads
        showProgress = options.progress && isatty(2) == 1
    }

    /// The parts of the input `name` (`-` is standard input) cut every `partSize` bytes (`.max`: one part).
    func parts(of name: [UInt8], model: CRC64Model, partSize: UInt64 = .max) -> Result<[CRC64Part], CRC64FileError> {
        let fd: Int32
        switch openInput(name) {
        case .success(let opened): fd = opened
        case .failure(let error): return .failure(error)
        }
        defer { if fd != 0 { close(fd) } }

        var fileOptions = CRC64FileOptions(threads: threads)
        let display: ProgressDisplay?
        if showProgress {
            var info = stat()
            let size: UInt64? = fstat(fd, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG && info.st_size > 0
                ? UInt64(info.st_size) : nil
            let shown = ProgressDisplay(name: quoteName(name), size: size)
            fileOptions.progress = { shown.update($0) }
            display = shown
        } else {
            display = nil
        }
        defer { display?.clear() }
        do {
            let parts = try model.partChecksums(
                fileDescriptor: fd, name: String(decoding: name, as: UTF8.self), partSize: partSize,
                options: fileOptions)
            return .success(parts)
        } catch {
            return .failure(error)
        }
    }

    /// The value and length of the input `name`.
    func checksum(of name: [UInt8], model: CRC64Model) -> Result<CRC64Part, CRC64FileError> {
        parts(of: name, model: model).map { $0[0] }
    }
}

/// A one-line progress report on standard error (a terminal), redrawn at most ten times a second and only for
/// inputs that take more than half a second, then erased.
final class ProgressDisplay: @unchecked Sendable {  // called by one thread at a time (the library serializes it)
    private let name: String
    private let size: UInt64?
    private let start = monotonicSeconds()
    private var lastDraw = 0.0
    private var drawn = false

    init(name: String, size: UInt64?) {
        self.name = name
        self.size = size
    }

    func update(_ bytes: UInt64) {
        let now = monotonicSeconds()
        guard now - start >= 0.5, now - lastDraw >= 0.1 else { return }
        lastDraw = now
        let rate = Double(bytes) / (now - start)
        var line = "\r\u{1b}[K\(Diagnostics.program): \(name): "
        if let size, size > 0 {
            line += "\(min(100, bytes * 100 / size))% (\(Self.amount(Double(bytes))) of \(Self.amount(Double(size))))"
        } else {
            line += Self.amount(Double(bytes))
        }
        line += ", \(Self.amount(rate))/s"
        Output.standard.flush()
        Diagnostics.writeError(Array(line.utf8))
        drawn = true
    }

    func clear() {
        if drawn { Diagnostics.writeError(Array("\r\u{1b}[K".utf8)) }
    }

    private static func amount(_ bytes: Double) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var value = bytes
        var unit = 0
        while value >= 1024 && unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        let tenths = Int((value * 10).rounded())
        return unit == 0 ? "\(Int(value)) B" : "\(tenths / 10).\(tenths % 10) \(units[unit])"
    }
}

/// Seconds on the monotonic clock, from an arbitrary start: for intervals only.
private func monotonicSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
}
#endif
