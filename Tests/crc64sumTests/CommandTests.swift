#if !os(Windows)  // POSIX only (Package.swift)
import CRC64Files
import CRC64Kit
import CRC64TestSupport
import Foundation
import Testing

@Suite("crc64sum --expect, --append-to, --part-size, combine, usage, output errors")
struct CommandTests {
    @Test("--expect: one-line verdict in the form the value was given; 0 on match, 1 on mismatch")
    func expect() throws {
        let dir = try TemporaryDirectory()
        let file = try dir.write("nine", "123456789")
        let cases: [(String, String)] = [
            ("11051210869376104954", "11051210869376104954"), ("995dc9bbdf1939fa", "995dc9bbdf1939fa"),
            ("995DC9BBDF1939FA", "995dc9bbdf1939fa"), ("0x995dc9bbdf1939fa", "995dc9bbdf1939fa"),
            ("mV3Ju98ZOfo=", "mV3Ju98ZOfo="),
        ]
        for (given, shown) in cases {
            let run = try Tool.run(["--expect", given, file])
            #expect(run.status == 0)
            #expect(run.stdout == "\(file): OK: computed \(shown), expected \(given)\n")
        }
        let mismatch = try Tool.run(["--expect=12345", file])
        #expect(mismatch.status == 1)
        #expect(mismatch.stdout == "\(file): FAILED: computed 11051210869376104954, expected 12345\n")
        let s3 = try Tool.run(["-a", "nvme", "--expect", "rosUhgp5mIg="], stdin: .file(file))
        #expect(s3.stdout == "-: OK: computed rosUhgp5mIg=, expected rosUhgp5mIg=\n")
        #expect(try Tool.run(["--expect", "1", "--status", file]).stdout == "")
        #expect(try Tool.run(["--expect", "1", "--status", file]).status == 1)
        #expect(try Tool.run(["--expect", "mV3Ju98ZOfo=", "--quiet", file]).stdout == "")

        let missing = try Tool.run(["--expect", "1", dir.url("missing")])
        #expect(missing.status == 2)
        #expect(missing.stderr == "crc64sum: \(dir.url("missing")): No such file or directory\n")
        let several = try Tool.run(["--expect", "1", file, file])
        #expect(several.status == 2)
        #expect(several.errorLines == [
            "crc64sum: --expect takes exactly one FILE (or standard input), not 2",
            "Try 'crc64sum --help' for more information.",
        ])
        for bad in ["", "xyz", "-5", "18446744073709551616", "mV3Ju98ZOfp=", "0x", "0x12345678901234567"] {
            let run = try Tool.run(["--expect", bad, file])
            #expect(run.status == 2, "\(bad)")
            #expect(run.stderr.hasPrefix("crc64sum: invalid value"), "\(bad)")
        }
    }

    @Test("--append-to continues a value: the OSS AppendObject result")
    func appendTo() throws {
        let dir = try TemporaryDirectory()
        let first = randomBytes(5000, seed: 1)
        let second = randomBytes(7000, seed: 2)
        let file = try dir.write("second", second)
        for entry in catalogue {
            let start = entry.model.checksum(first)
            let run = try Tool.run([
                "-a", entry.name, "--format", "dec", "--append-to", "0x" + hex(start), file,
            ])
            #expect(run.status == 0)
            #expect(run.stdout == "\(entry.model.checksum(first + second))\n", "\(entry.name)")
        }
        // Appending to the empty object gives the file's own value; standard input works too.
        let fromStdin = try Tool.run(["--append-to", "0", "--format", "base64"], stdin: .bytes(second))
        #expect(fromStdin.stdout == CRC64Digest(CRC64Model.xz.checksum(second)).base64 + "\n")
        let two = try Tool.run(["--append-to", "0", file, file])
        #expect(two.status == 2)
        let tagged = try Tool.run(["--append-to", "0", "--tag", file])
        #expect(tagged.status == 2)
    }

    @Test("--part-size: each part's value (UploadPart) and the whole object's (CompleteMultipartUpload)")
    func partSize() throws {
        let dir = try TemporaryDirectory()
        let data = randomBytes((5 << 20) + 1234, seed: 3)
        let file = try dir.write("object", data)
        let partSize = 2 << 20
        let run = try Tool.run(["--part-size", "2M", "--format", "dec", file])
        #expect(run.status == 0)
        var expected: [String] = []
        var offset = 0
        var parts: [CRC64Part] = []
        while offset < data.count {
            let slice = Array(data[offset..<min(offset + partSize, data.count)])
            let value = CRC64Model.xz.checksum(slice)
            parts.append(CRC64Part(value: value, length: UInt64(slice.count)))
            expected.append("\(file): part \(parts.count) of 3 (offset \(offset), \(slice.count) bytes): \(value)")
            offset += partSize
        }
        expected.append("\(file): whole object (3 parts, \(data.count) bytes): \(CRC64Model.xz.checksum(data))")
        #expect(run.lines == expected)
        #expect(CRC64Model.xz.combine(parts: parts) == CRC64Model.xz.checksum(data))

        for spelling in ["2097152", "2048K", "2048k", "2MiB", "2mb"] {
            #expect(try Tool.run(["--part-size", spelling, "--format", "dec", file]).lines == expected, "\(spelling)")
        }
        // With several threads, one thread, and NVME/base64.
        let nvme = try Tool.run(["-a", "nvme", "--format", "base64", "--part-size=1M", "-j", "1", file])
        #expect(nvme.lines.count == 7)
        #expect(nvme.lines.last == "\(file): whole object (6 parts, \(data.count) bytes): "
            + CRC64Digest(CRC64Model.nvme.checksum(data)).base64)
        // Empty input: one empty part.
        let empty = try Tool.run(["--part-size", "1K"], stdin: .bytes([]))
        #expect(empty.lines == ["-: part 1 of 1 (offset 0, 0 bytes): 0000000000000000",
                                "-: whole object (1 part, 0 bytes): 0000000000000000"])
        // Part boundaries in a stream.
        let streamed = try Tool.run(["--part-size", "1000", "--format", "dec"], stdin: .bytes(Array(data[..<2500])))
        #expect(streamed.lines == [
            "-: part 1 of 3 (offset 0, 1000 bytes): \(CRC64Model.xz.checksum(Array(data[..<1000])))",
            "-: part 2 of 3 (offset 1000, 1000 bytes): \(CRC64Model.xz.checksum(Array(data[1000..<2000])))",
            "-: part 3 of 3 (offset 2000, 500 bytes): \(CRC64Model.xz.checksum(Array(data[2000..<2500])))",
            "-: whole object (3 parts, 2500 bytes): \(CRC64Model.xz.checksum(Array(data[..<2500])))",
        ])
        for bad in ["0", "-1", "1X", "K", "", "99999999999T"] {
            let run = try Tool.run(["--part-size", bad, file])
            #expect(run.status == 2, "\(bad)")
            #expect(run.stderr.hasPrefix("crc64sum: invalid part size"), "\(bad)")
        }
    }

    @Test("combine VALUE:LENGTH...: the whole object's value from its parts")
    func combine() throws {
        let a = randomBytes(3000, seed: 1)
        let b = randomBytes(1 << 20, seed: 2)
        let c = randomBytes(17, seed: 3)
        for entry in catalogue {
            let m = entry.model
            let run = try Tool.run([
                "-a", entry.name, "combine", "0x" + hex(m.checksum(a)) + ":3000",
                CRC64Digest(m.checksum(b)).base64 + ":1M", "\(m.checksum(c)):17", "--format", "dec",
            ])
            #expect(run.status == 0, "\(entry.name) \(run.stderr)")
            #expect(run.stdout == "\(m.checksum(a + b + c))\n", "\(entry.name)")
        }
        #expect(try Tool.run(["combine", "995dc9bbdf1939fa:9"]).stdout == "995dc9bbdf1939fa\n")
        #expect(try Tool.run(["combine", "0:0", "995dc9bbdf1939fa:9", "0:0"]).stdout == "995dc9bbdf1939fa\n")
        for bad in [["combine"], ["combine", "12"], ["combine", "12:"], ["combine", "xyz:3"], ["combine", "1:-3"],
                    ["combine", "1234567890123456:4"], ["combine", "1:2", "--check"]] {
            let run = try Tool.run(bad)
            #expect(run.status == 2, "\(bad)")
            #expect(run.stdout == "")
            #expect(run.stderr.hasSuffix("Try 'crc64sum --help' for more information.\n"), "\(bad)")
        }
        // After "--", "combine" is a file name.
        let dir = try TemporaryDirectory()
        try dir.write("combine", "123456789")
        #expect(try Tool.run(["--", "combine"], currentDirectory: dir.path).stdout == "995dc9bbdf1939fa  combine\n")
    }

    @Test("usage errors: status 2, a reason and a hint to --help, nothing on stdout")
    func usageErrors() throws {
        let cases: [([String], String)] = [
            (["--bogus"], "crc64sum: unrecognized option '--bogus'"),
            (["-x"], "crc64sum: invalid option -- 'x'"),
            (["-a"], "crc64sum: option requires an argument -- 'a'"),
            (["--algorithm"], "crc64sum: option '--algorithm' requires an argument"),
            (["-a", "crc32"], "crc64sum: unknown algorithm 'crc32': expected one of xz, nvme, ecma-182, go-iso, we, ms, redis"),
            (["--format", "octal"], "crc64sum: invalid format 'octal': expected hex, dec or base64"),
            (["--threads", "0"], "crc64sum: invalid number of threads '0': expected 1 to 1024"),
            (["--threads", "many"], "crc64sum: invalid number of threads 'many': expected 1 to 1024"),
            (["--tag=yes"], "crc64sum: option '--tag' doesn't allow an argument"),
            (["--st"], "crc64sum: option '--st' is ambiguous; possibilities: '--status' '--strict'"),
            (["-c", "--tag"], "crc64sum: the --tag option is meaningless when verifying checksums"),
            (["--quiet"], "crc64sum: the --quiet option is meaningful only when verifying checksums"),
            (["--status"], "crc64sum: the --status option is meaningful only when verifying checksums"),
            (["--strict"], "crc64sum: the --strict option is meaningful only when verifying checksums"),
            (["-w"], "crc64sum: the --warn option is meaningful only when verifying checksums"),
            (["--ignore-missing"], "crc64sum: the --ignore-missing option is meaningful only when verifying checksums"),
            (["-c", "--part-size", "1M"], "crc64sum: --check and --part-size cannot be used together"),
            (["-c", "--expect", "1"], "crc64sum: --check and --expect cannot be used together"),
            (["--expect", "1", "--append-to", "2"], "crc64sum: --expect and --append-to cannot be used together"),
            (["--part-size", "1M", "--tag"], "crc64sum: the --tag option can only be used when printing checksums of files"),
            (["--expect", "1", "a", "b"], "crc64sum: --expect takes exactly one FILE (or standard input), not 2"),
        ]
        for (arguments, message) in cases {
            let run = try Tool.run(arguments)
            #expect(run.status == 2, "\(arguments)")
            #expect(run.stdout == "", "\(arguments)")
            #expect(run.errorLines == [message, "Try 'crc64sum --help' for more information."], "\(arguments)")
        }
        // Abbreviations and bundles work.
        let dir = try TemporaryDirectory()
        let file = try dir.write("nine", "123456789")
        #expect(try Tool.run(["--algo=nvme", "--form", "dec", file]).stdout == "12577168950296156296  \(file)\n")
        #expect(try Tool.run(["-anvme", "-j2", file]).stdout == "ae8b14860a799888  \(file)\n")
        try dir.write("sums", "ae8b14860a799888  \(file)\nbad\n")
        #expect(try Tool.run(["-cwanvme", dir.url("sums")]).stdout == "\(file): OK\n")
    }

    @Test("--help and --version")
    func helpAndVersion() throws {
        let help = try Tool.run(["--help"])
        #expect(help.status == 0)
        #expect(help.stdout.hasPrefix("Usage: crc64sum [OPTION]... [FILE]..."))
        #expect(help.stdout.contains("--part-size"))
        #expect(try Tool.run(["-h", "--bogus-is-not-seen"]).status == 2)
        #expect(try Tool.run(["--check", "--help"]).status == 0)
        let version = try Tool.run(["--version"])
        #expect(version.status == 0)
        // The version crc64.h states (the tool must not carry a copy of its own).
        let header = try String(
            contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
                .appendingPathComponent("../../Sources/CCRC64/include/crc64.h").standardized, encoding: .utf8)
        let stated = try #require(header.firstMatch(of: /#define LIBCRC64_VERSION_STRING "([^"]+)"/)?.1)
        #expect(version.stdout.hasPrefix("crc64sum (swift-crc64) \(stated)\n"))
        #expect(version.stdout.contains("CRC kernel: \(CRC64Model.activeKernel)"))
    }

    @Test("a closed standard output ends the run quietly with status 2")
    func closedPipe() throws {
        let dir = try TemporaryDirectory()
        let file = try dir.write("nine", "123456789")
        let pipe = Pipe()
        try pipe.fileHandleForReading.close()  // nobody will read: writes fail with EPIPE
        let run = try Tool.run(Array(repeating: file, count: 5000), stdout: pipe.fileHandleForWriting)
        #expect(run.status == 2)
        #expect(run.stderr == "")
    }

    @Test(
        "a failing standard output (/dev/full) gives 'write error' and status 2",
        .enabled(if: FileManager.default.fileExists(atPath: "/dev/full"), "needs /dev/full (Linux)"))
    func fullDevice() throws {
        let dir = try TemporaryDirectory()
        let file = try dir.write("nine", "123456789")
        let full = try #require(FileHandle(forWritingAtPath: "/dev/full"))
        let run = try Tool.run([file], stdout: full)
        #expect(run.status == 2)
        #expect(run.stderr == "crc64sum: write error: No space left on device\n")
        let check = try Tool.run(["-c"], stdin: .bytes(Array("995dc9bbdf1939fa  \(file)\n".utf8)), stdout: full)
        #expect(check.status == 2)
    }
}
#endif
