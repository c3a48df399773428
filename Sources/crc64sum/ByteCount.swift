#if !os(Windows)  // POSIX only (Package.swift)
// Byte counts on crc64sum's command line: --part-size and the lengths of `combine`.

/// A byte count as crc64sum reads it: decimal digits, optionally followed by a binary multiplier K, M, G or T
/// (KiB, MiB, GiB, TiB), which may be written `K`, `KB` or `KiB`, and a plain count may end in `B`; any case.
/// `nil` for anything else, and for a count above `UInt64.max`.
///
/// `"16"`, `"64B"`, `"4K"`, `"4KiB"`, `"8M"`, `"1g"`, `"2TB"`.
func parseByteCount(_ text: String) -> UInt64? {
    var digits = Substring(text.lowercased())
    if digits.hasSuffix("ib") {
        digits.removeLast(2)
        guard let last = digits.last, "kmgt".contains(last) else { return nil }  // "iB" needs a multiplier
    } else if digits.hasSuffix("b") {
        digits.removeLast()
    }
    var shift: UInt64 = 0
    if let last = digits.last, let index = "kmgt".firstIndex(of: last) {
        shift = 10 * UInt64("kmgt".distance(from: "kmgt".startIndex, to: index) + 1)
        digits.removeLast()
    }
    guard !digits.isEmpty, digits.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let number = UInt64(digits),
        number <= UInt64.max >> shift
    else { return nil }
    return number << shift
}

/// A byte count (see `parseByteCount(_:)`), or a usage error that names what it was for.
func byteCount(_ text: String, what: String) throws(UsageError) -> UInt64 {
    guard let bytes = parseByteCount(text) else {
        throw UsageError(
            "invalid \(what) '\(text)': expected a number of bytes, optionally with K, M, G or T (at most 2^64 - 1)")
    }
    return bytes
}
#endif
