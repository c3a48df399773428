#if !os(Windows)  // POSIX only (Package.swift)
import CRC64Files
import CRC64Kit
import CRC64TestSupport
import Foundation
import Testing

@Suite("crc64sum --check")
struct CheckModeTests {
    /// A directory with a.txt ("123456789"), b.bin (random) and their XZ values.
    struct Fixture {
        let dir: TemporaryDirectory
        let bData = randomBytes(100_000, seed: 5)
        var bValue: UInt64 { CRC64Model.xz.checksum(bData) }

        init() throws {
            dir = try TemporaryDirectory()
            try dir.write("a.txt", "123456789")
            try dir.write("b.bin", bData)
        }

        func run(_ arguments: [String], stdin: Input = .none) throws -> Run {
            try Tool.run(arguments, stdin: stdin, currentDirectory: dir.path)
        }
    }

    @Test("lines in both styles and all three encodings verify; tagged lines use their own algorithm")
    func stylesAndEncodings() throws {
        let f = try Fixture()
        let b = CRC64Digest(f.bValue)
        let nvme = CRC64Digest(CRC64Model.nvme.checksum(f.bData))
        try f.dir.write("sums", """
            995dc9bbdf1939fa  a.txt
            11051210869376104954  a.txt
            mV3Ju98ZOfo=  a.txt
            0x995dc9bbdf1939fa *a.txt
            \(b.hex)  b.bin
            \(b.decimal) *b.bin
            CRC64-XZ (a.txt) = 995dc9bbdf1939fa
            CRC64-NVME (a.txt) = rosUhgp5mIg=
            CRC64-REDIS (a.txt) = \(CRC64Digest(0xe9c6_d914_c4b8_d9ca).decimal)
            CRC64-ECMA-182 (a.txt)=6c40df5f0b497347
            CRC64-NVME (b.bin) = \(nvme.base64)
            # a comment

            """)
        let run = try f.run(["-c", "sums"])
        #expect(run.status == 0)
        #expect(run.stderr == "")
        #expect(run.lines == ["a.txt: OK", "a.txt: OK", "a.txt: OK", "a.txt: OK", "b.bin: OK", "b.bin: OK",
                              "a.txt: OK", "a.txt: OK", "a.txt: OK", "a.txt: OK", "b.bin: OK"])
        // -a applies to untagged lines only.
        try f.dir.write("nvme-sums", "ae8b14860a799888  a.txt\nCRC64-XZ (a.txt) = 995dc9bbdf1939fa\r\n")
        #expect(try f.run(["-a", "nvme", "-c", "nvme-sums"]).lines == ["a.txt: OK", "a.txt: OK"])
        #expect(try f.run(["-c", "nvme-sums"]).status == 1)
        // The check file on standard input, named "standard input" in messages.
        let piped = try f.run(["-c"], stdin: .bytes(Array("995dc9bbdf1939fa  a.txt\n".utf8)))
        #expect(piped.stdout == "a.txt: OK\n")
        let dash = try f.run(["--check", "-"], stdin: .bytes(Array("995dc9bbdf1939fa  a.txt".utf8)))
        #expect(dash.stdout == "a.txt: OK\n")
    }

    @Test("what crc64sum prints, crc64sum --check accepts")
    func roundTrip() throws {
        let f = try Fixture()
        for format in ["hex", "dec", "base64"] {
            for tag in [[], ["--tag"]] {
                for algorithm in catalogue.map(\.name) {
                    let printed = try f.run(["-a", algorithm, "--format", format] + tag + ["a.txt", "b.bin"])
                    try f.dir.write("sums", printed.stdoutBytes)
                    let checked = try f.run(["-a", algorithm, "-c", "sums"])
                    #expect(checked.status == 0, "\(algorithm) \(format) \(tag)")
                    #expect(checked.lines == ["a.txt: OK", "b.bin: OK"])
                }
            }
        }
    }

    @Test("mismatch, unreadable listed file, bad lines: coreutils messages and warnings")
    func failures() throws {
        let f = try Fixture()
        try f.dir.write("sums", """
            995dc9bbdf1939fa  a.txt
            garbage line
            0000000000000001  b.bin
            995dc9bbdf1939fa  missing
            CRC64-FOO (a.txt) = 995dc9bbdf1939fa
            zz5dc9bbdf1939fa  a.txt

            """)
        let run = try f.run(["-c", "sums"])
        #expect(run.status == 2)
        #expect(run.lines == ["a.txt: OK", "b.bin: FAILED", "missing: FAILED open or read"])
        #expect(run.errorLines == [
            "crc64sum: missing: No such file or directory",
            "crc64sum: WARNING: 3 lines are improperly formatted",
            "crc64sum: WARNING: 1 listed file could not be read",
            "crc64sum: WARNING: 1 computed checksum did NOT match",
        ])

        let warned = try f.run(["-c", "-w", "sums"])
        #expect(warned.errorLines == [
            "crc64sum: sums: 2: improperly formatted CRC-64 checksum line",
            "crc64sum: missing: No such file or directory",
            "crc64sum: sums: 5: improperly formatted CRC-64 checksum line",
            "crc64sum: sums: 6: improperly formatted CRC-64 checksum line",
        ] + Array(run.errorLines.dropFirst()))

        let quiet = try f.run(["-c", "--quiet", "sums"])
        #expect(quiet.status == 2)
        #expect(quiet.lines == ["b.bin: FAILED", "missing: FAILED open or read"])

        // --status: nothing on stdout, no warnings; the open error still goes to stderr, as in coreutils.
        let status = try f.run(["-c", "--status", "sums"])
        #expect(status.status == 2)
        #expect(status.stdout == "")
        #expect(status.stderr == "crc64sum: missing: No such file or directory\n")

        let ignoring = try f.run(["-c", "--ignore-missing", "sums"])
        #expect(ignoring.lines == ["a.txt: OK", "b.bin: FAILED"])
        #expect(!ignoring.stderr.contains("missing"))
        #expect(ignoring.status == 1)

        try f.dir.write("twice", "0000000000000001  a.txt\n0000000000000002  b.bin\n")
        let two = try f.run(["-c", "twice"])
        #expect(two.errorLines == ["crc64sum: WARNING: 2 computed checksums did NOT match"])
        #expect(two.status == 1)
    }

    @Test("--strict, --ignore-missing with nothing verified, no properly formatted lines, unreadable check file")
    func troubleWithTheCheckFile() throws {
        let f = try Fixture()
        try f.dir.write("one-bad", "995dc9bbdf1939fa  a.txt\njunk\n")
        let lenient = try f.run(["-c", "one-bad"])
        #expect(lenient.status == 0)
        #expect(lenient.errorLines == ["crc64sum: WARNING: 1 line is improperly formatted"])
        let strict = try f.run(["-c", "--strict", "one-bad"])
        #expect(strict.status == 2)
        #expect(strict.stdout == "a.txt: OK\n")

        try f.dir.write("only-missing", "995dc9bbdf1939fa  gone\n")
        let none = try f.run(["-c", "--ignore-missing", "only-missing"])
        #expect(none.status == 1)
        #expect(none.stdout == "")
        #expect(none.errorLines == ["crc64sum: only-missing: no file was verified"])

        try f.dir.write("empty", "")
        try f.dir.write("nonsense", "hello\nworld\n   \n")
        for name in ["empty", "nonsense"] {
            let run = try f.run(["-c", name])
            #expect(run.status == 2)
            #expect(run.stderr.hasSuffix("crc64sum: \(name): no properly formatted checksum lines found\n"))
        }
        let fromStdin = try f.run(["-c", "--status"], stdin: .bytes([]))
        #expect(fromStdin.stderr == "crc64sum: 'standard input': no properly formatted checksum lines found\n")
        #expect(fromStdin.status == 2)

        let missing = try f.run(["-c", "no-such-sums", "one-bad"])
        #expect(missing.status == 2)
        #expect(missing.errorLines.first == "crc64sum: no-such-sums: No such file or directory")
        #expect(missing.stdout == "a.txt: OK\n")  // the next check file is still checked

        try FileManager.default.createDirectory(atPath: f.dir.url("d"), withIntermediateDirectories: false)
        let directory = try f.run(["-c", "d"])
        #expect(directory.status == 2)
        #expect(directory.stderr == "crc64sum: d: Is a directory\n")

        try f.dir.write("lists-dir", "995dc9bbdf1939fa  d\n")
        let listedDirectory = try f.run(["-c", "lists-dir"])
        #expect(listedDirectory.status == 2)
        #expect(listedDirectory.stdout == "d: FAILED open or read\n")
        #expect(listedDirectory.errorLines.first == "crc64sum: d: Is a directory")
    }

    @Test("malformed lines of every kind are counted, never crash")
    func malformedLines() throws {
        let f = try Fixture()
        let bad = [
            "995dc9bbdf1939fa", "995dc9bbdf1939fa ", "995dc9bbdf1939fa  ", "995dc9bbdf1939fa\ta.txt",
            "995dc9bbdf1939fa a.txt", "995dc9bbdf1939fa1  a.txt", "18446744073709551616  a.txt",
            "-1  a.txt", "mV3Ju98ZOfp=  a.txt", "mV3Ju98ZOf==  a.txt", "CRC64-XZ (a.txt) 995dc9bbdf1939fa",
            "CRC64-XZ a.txt) = 995dc9bbdf1939fa", "CRC64-XZ (a.txt = 995dc9bbdf1939fa",
            "CRC64-XZ (a.txt) = 995dc9bbdf1939fa trailing", "crc64-xz (a.txt) = 995dc9bbdf1939fa",
            "SHA256 (a.txt) = 995dc9bbdf1939fa", "\\995dc9bbdf1939fa  a\\q", "\\995dc9bbdf1939fa  a\\",
            "\u{FF}\u{FE}", "0x  a.txt", "0x11111111111111111  a.txt", " ", "(", ")", "=",
        ]
        try f.dir.write("bad", bad.joined(separator: "\n") + "\n995dc9bbdf1939fa  a.txt\n")
        let run = try f.run(["-c", "bad"])
        #expect(run.status == 0)
        #expect(run.stdout == "a.txt: OK\n")
        #expect(run.errorLines == ["crc64sum: WARNING: \(bad.count) lines are improperly formatted"])
        // Binary garbage as a check file.
        try f.dir.write("binary", randomBytes(10_000, seed: 99).map { $0 == 0x0a ? 0x20 : $0 })
        let garbage = try f.run(["-c", "binary"])
        #expect(garbage.status == 2)
    }

    @Test("16 decimal digits: either reading verifies unless --format says which")
    func ambiguousDigits() throws {
        let f = try Fixture()
        // Find a file content whose XZ value has exactly 16 decimal digits.
        var seed: UInt64 = 0
        var data: [UInt8] = []
        var value: UInt64 = 0
        repeat {
            seed += 1
            data = randomBytes(64, seed: seed)
            value = CRC64Model.xz.checksum(data)
        } while String(value).count != 16
        try f.dir.write("c.bin", data)
        try f.dir.write("sums", "\(value)  c.bin\n")
        #expect(try f.run(["-c", "sums"]).stdout == "c.bin: OK\n")
        #expect(try f.run(["-c", "--format", "dec", "sums"]).stdout == "c.bin: OK\n")
        #expect(try f.run(["-c", "--format", "hex", "sums"]).stdout == "c.bin: FAILED\n")
        #expect(try f.run(["--expect", String(value), "c.bin"]).status == 0)
        let appended = try f.run(["--append-to", String(value), "a.txt"])
        #expect(appended.status == 2)
        #expect(appended.stderr.contains("ambiguous"))
        #expect(appended.stderr.hasSuffix("Try 'crc64sum --help' for more information.\n"))
        let resolved = try f.run(["--append-to", String(value), "--format", "dec", "a.txt"])
        #expect(resolved.stdout == "\(CRC64Model.xz.combine(value, 0x995d_c9bb_df19_39fa, secondLength: 9))\n")
    }
}
#endif
