#if !os(Windows)  // POSIX only (Package.swift)
import Testing

@testable import crc64sum

/// crc64sum's strict size parser (--part-size, combine lengths).
@Suite("Byte counts on the command line")
struct ByteCountTests {
    @Test func accepted() {
        let cases: [(String, UInt64)] = [
            ("0", 0), ("16", 16), ("64B", 64), ("64b", 64), ("4K", 4096), ("4k", 4096), ("4KB", 4096), ("4KiB", 4096),
            ("4kib", 4096), ("8M", 8 << 20), ("8MiB", 8 << 20), ("1G", 1 << 30), ("1gb", 1 << 30), ("2T", 2 << 40),
            ("2TiB", 2 << 40), ("007", 7), ("18446744073709551615", .max), ("16777215T", 16_777_215 << 40),
        ]
        for (text, bytes) in cases { #expect(parseByteCount(text) == bytes, "\(text)") }
    }

    @Test func rejected() {
        for text in [
            "", "B", "K", "KiB", "iB", "64iB", "-1", "+1", " 1", "1 ", "1.5K", "1X", "1KK", "0x10", "1Ki", "1P",
            "18446744073709551616", "16777216T", "99999999999T", "١٢",
        ] {
            #expect(parseByteCount(text) == nil, "\(text)")
        }
    }
}
#endif
