#if !os(Windows)  // POSIX only (Package.swift)
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

// The system's error text, for this module's errors and the package's tools (`package`, not API).

/// The system's text for an `errno` value (`strerror`), e.g. `"Permission denied"`.
package func systemReason(_ code: Int32) -> String {
    guard let text = strerror(code) else { return "error \(code)" }
    return String(cString: text)
}
#endif
