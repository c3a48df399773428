#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

// The operating-system helpers this module needs, shared with the package's tools (`package`, not API).

/// Seconds on the monotonic clock, from an arbitrary start: for intervals only.
package func monotonicSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
}

/// The system's text for an `errno` value (`strerror`), e.g. `"Permission denied"`.
package func systemReason(_ code: Int32) -> String {
    guard let text = strerror(code) else { return "error \(code)" }
    return String(cString: text)
}
