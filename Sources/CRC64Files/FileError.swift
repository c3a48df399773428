#if !os(Windows)  // POSIX only (Package.swift)
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a file could not be hashed: which file, which operation failed, and the system's reason.
///
/// The ``description`` reads like `open /data/x.bin: No such file or directory`; a tool that prints its own
/// prefix uses ``path`` and ``reason``, e.g. `crc64sum: /data/x.bin: No such file or directory`.
public struct CRC64FileError: Error, CustomStringConvertible, Sendable, Hashable {
    /// What went wrong, for code that reacts differently to a missing file and a broken disk.
    public enum Kind: Sendable, Hashable {
        /// The path does not exist (`ENOENT`, `ENOTDIR`).
        case notFound
        /// The path is a directory (`EISDIR`).
        case isDirectory
        /// Opening or reading was refused (`EACCES`, `EPERM`).
        case permissionDenied
        /// The device failed (`EIO`).
        case ioError
        /// The file became shorter while it was being read: the bytes read are not one version of the file, so
        /// no value is given.
        case changedSize
        /// Any other system error; see ``CRC64FileError/code``.
        case other
    }

    /// The call that failed.
    public enum Operation: String, Sendable, Hashable {
        /// Opening the path (`open`).
        case open
        /// Asking for the file's type and size (`fstat`).
        case stat
        /// Reading or mapping its contents (`read`, `pread`, `mmap`), or finding it shorter than before.
        case read
    }

    /// The path as given, or the name given for a file descriptor (`"-"` for standard input).
    public let path: String
    /// The call that failed.
    public let operation: Operation
    /// The `errno` value of the failed call; `nil` for ``Kind/changedSize``, which is no system error.
    public let code: Int32?

    /// Creates an error for a failed call with the `errno` it set.
    public init(path: String, operation: Operation, code: Int32) {
        self.path = path
        self.operation = operation
        self.code = code
    }

    private init(changedSizePath path: String) {
        self.path = path
        operation = .read
        code = nil
    }

    /// The error for a file that shrank while it was read.
    public static func changedSize(path: String) -> CRC64FileError {
        CRC64FileError(changedSizePath: path)
    }

    /// The kind of failure, from ``code``.
    public var kind: Kind {
        guard let code else { return .changedSize }
        switch code {
        case ENOENT, ENOTDIR: return .notFound
        case EISDIR: return .isDirectory
        case EACCES, EPERM: return .permissionDenied
        case EIO: return .ioError
        default: return .other
        }
    }

    /// The system's text for ``code`` (`strerror`), e.g. `"Permission denied"`, or
    /// `"file changed size while being read"`.
    public var reason: String {
        guard let code else { return "file changed size while being read" }
        return systemReason(code)
    }

    /// `"<operation> <path>: <reason>"`, e.g. `open /data/x.bin: No such file or directory`.
    public var description: String {
        "\(operation.rawValue) \(path): \(reason)"
    }
}
#endif
