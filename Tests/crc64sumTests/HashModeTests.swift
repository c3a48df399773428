#if !os(Windows)  // POSIX only (Package.swift)
import CRC64Files
import CRC64Kit
import CRC64TestSupport
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite("crc64sum: printing checksums")
struct HashModeTests {
    @Test("catalogue check values of every algorithm, in every format and style")
    func catalogueValues() throws {
        let dir = try TemporaryDirectory()
        let file = try dir.write("check", "123456789")
        for entry in catalogue {
            #expect(entry.model.checksum(Array("123456789".utf8)) == entry.check)
            let digest = CRC64Digest(entry.check)
            let plain = try Tool.run(["-a", entry.name, file])
            #expect(plain.status == 0)
            #expect(plain.stdout == "\(digest.hex)  \(file)\n")
            #expect(plain.stderr == "")
            let decimal = try Tool.run(["--algorithm=\(entry.name)", "--format", "dec", file])
            #expect(decimal.stdout == "\(digest.decimal)  \(file)\n")
            let tagged = try Tool.run(["-a", entry.name.uppercased(), "--tag", "--format=base64", file])
            #expect(tagged.stdout == "\(entry.tag) (\(file)) = \(digest.base64)\n")
        }
        // The OSS value: CRC-64/XZ as unsigned decimal.
        let oss = try Tool.run(["--format", "dec", file])
        #expect(oss.stdout == "11051210869376104954  \(file)\n")
        // The S3 value: CRC-64/NVME as base64 of the big-endian bytes.
        let s3 = try Tool.run(["-a", "nvme", "--format", "base64", file])
        #expect(s3.stdout == "rosUhgp5mIg=  \(file)\n")
        let alias = try Tool.run(["-a", "go-ecma", "--tag", file])
        #expect(alias.stdout == "CRC64-XZ (\(file)) = 995dc9bbdf1939fa\n")
    }

    @Test("standard input: no FILE, -, empty input, several files in order")
    func standardInputAndSeveralFiles() throws {
        let dir = try TemporaryDirectory()
        let a = try dir.write("a", randomBytes(1000, seed: 1))
        let b = try dir.write("b", randomBytes(3000, seed: 2))
        let empty = try dir.write("empty", [])
        let data = randomBytes(70_000, seed: 3)
        let value = CRC64Model.xz.checksum(data)

        #expect(try Tool.run([], stdin: .bytes(data)).stdout == "\(hex(value))  -\n")
        #expect(try Tool.run(["-"], stdin: .bytes(data)).stdout == "\(hex(value))  -\n")
        #expect(try Tool.run([], stdin: .bytes([])).stdout == "0000000000000000  -\n")
        #expect(try Tool.run(["-a", "ecma-182"], stdin: .none).stdout == "0000000000000000  -\n")
        #expect(try Tool.run(["-a", "ms", empty]).stdout == "\(hex(CRC64Model.ms.emptyValue))  \(empty)\n")
        // Standard input redirected from a regular file is read from its offset, with threads.
        #expect(try Tool.run([], stdin: .file(b)).stdout == "\(hex(CRC64Model.xz.checksum(randomBytes(3000, seed: 2))))  -\n")

        let several = try Tool.run([a, "-", b, empty], stdin: .bytes(data))
        #expect(several.status == 0)
        #expect(several.lines == [
            "\(hex(CRC64Model.xz.checksum(randomBytes(1000, seed: 1))))  \(a)",
            "\(hex(value))  -",
            "\(hex(CRC64Model.xz.checksum(randomBytes(3000, seed: 2))))  \(b)",
            "0000000000000000  \(empty)",
        ])
        // Options after operands and after --, GNU style; -- makes "-x" a file name.
        let dashFile = try dir.write("-x", "123456789")
        let afterDashes = try Tool.run(["--", "-x"], currentDirectory: dir.path)
        #expect(afterDashes.stdout == "995dc9bbdf1939fa  -x\n")
        #expect(FileManager.default.fileExists(atPath: dashFile))
        #expect(try Tool.run([a, "--format", "dec"]).stdout.hasSuffix("  \(a)\n"))
    }

    @Test("names with backslash, newline or carriage return are escaped as coreutils does")
    func escapedNames() throws {
        let dir = try TemporaryDirectory()
        let nine = Array("123456789".utf8)
        try dir.write("new\nline", nine)
        try dir.write("back\\slash", nine)
        try dir.write("carriage\rreturn", nine)
        try dir.write("plain name", nine)
        let run = try Tool.run(["new\nline", "back\\slash", "carriage\rreturn", "plain name"], currentDirectory: dir.path)
        #expect(run.status == 0)
        #expect(run.stdout == """
            \\995dc9bbdf1939fa  new\\nline
            \\995dc9bbdf1939fa  back\\\\slash
            \\995dc9bbdf1939fa  carriage\\rreturn
            995dc9bbdf1939fa  plain name

            """)
        let tagged = try Tool.run(["--tag", "-a", "nvme", "new\nline", "back\\slash"], currentDirectory: dir.path)
        #expect(tagged.stdout == """
            \\CRC64-NVME (new\\nline) = ae8b14860a799888
            \\CRC64-NVME (back\\\\slash) = ae8b14860a799888

            """)
        // Both styles read back, the names unescaped.
        try dir.write("sums", run.stdoutBytes + tagged.stdoutBytes)
        let check = try Tool.run(["-c", "sums"], currentDirectory: dir.path)
        #expect(check.status == 0)
        #expect(check.stdout == """
            \\new\\nline: OK
            back\\slash: OK
            carriage\rreturn: OK
            plain name: OK
            \\new\\nline: OK
            back\\slash: OK

            """)
    }

    @Test("missing file, directory, unreadable file: message, other files still done, status 2")
    func unreadableFiles() throws {
        let dir = try TemporaryDirectory()
        let good = try dir.write("good", "123456789")
        try FileManager.default.createDirectory(atPath: dir.url("sub dir"), withIntermediateDirectories: false)
        let run = try Tool.run(["missing", good, "sub dir", "-"], stdin: .bytes([]), currentDirectory: dir.path)
        #expect(run.status == 2)
        #expect(run.lines == ["995dc9bbdf1939fa  \(good)", "0000000000000000  -"])
        #expect(run.errorLines == [
            "crc64sum: missing: No such file or directory",
            "crc64sum: 'sub dir': Is a directory",
        ])
        let notDirectory = try Tool.run([good + "/x"])
        #expect(notDirectory.status == 2)
        #expect(notDirectory.stderr == "crc64sum: \(good)/x: Not a directory\n")
    }

    @Test(
        "permission denied",
        .enabled(if: getuid() != 0 || Host.hasExecutable("/usr/bin/setpriv"), "as root, needs setpriv (util-linux)"))
    func permissionDenied() throws {
        let dir = try TemporaryDirectory()
        chmod(dir.path, 0o755)
        let secret = try dir.write("secret", "123456789")
        let open = try dir.write("open", "123456789")
        chmod(secret, 0o000)
        chmod(open, 0o644)
        // root reads anything: run the tool as nobody (a copy of it, in case the build tree is not world-readable).
        var prefix: [String] = []
        var executable = Tool.path
        if getuid() == 0 {
            prefix = ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--"]
            executable = dir.url("crc64sum")
            try FileManager.default.copyItem(atPath: Tool.path, toPath: executable)
            chmod(executable, 0o755)
        }
        let run = try Tool.run([secret, open], executable: executable, prefix: prefix)
        #expect(run.status == 2)
        #expect(run.stdout == "995dc9bbdf1939fa  \(open)\n")
        #expect(run.stderr == "crc64sum: \(secret): Permission denied\n")
    }

    @Test("a FIFO is read as a stream")
    func fifo() throws {
        let dir = try TemporaryDirectory()
        let fifo = dir.url("fifo")
        #expect(mkfifo(fifo, 0o644) == 0)
        let data = randomBytes(3 << 20, seed: 7)
        let source = try dir.write("source", data)
        let writer = Process()
        writer.executableURL = URL(fileURLWithPath: "/bin/sh")
        writer.arguments = ["-c", "cat \"$1\" > \"$2\"", "sh", source, fifo]
        try writer.run()
        let run = try Tool.run(["-a", "nvme", fifo])
        writer.waitUntilExit()
        #expect(run.status == 0)
        #expect(run.stdout == "\(hex(CRC64Model.nvme.checksum(data)))  \(fifo)\n")
    }

    @Test("large files with any number of threads match the library's single-threaded value")
    func largeFilesAndThreads() throws {
        let dir = try TemporaryDirectory()
        for (index, size) in [(16 << 20) + 12345, (40 << 20) - 1].enumerated() {
            let data = randomBytes(size, seed: UInt64(index + 10))
            let file = try dir.write("big\(index)", data)
            for entry in catalogue where ["xz", "nvme", "we"].contains(entry.name) {
                let expected = "\(hex(entry.model.checksum(data)))  \(file)\n"
                for threads in ["1", "2", "3", "8"] {
                    let run = try Tool.run(["-a", entry.name, "--threads", threads, file])
                    #expect(run.stdout == expected, "threads \(threads) \(entry.name)")
                }
            }
        }
    }

    // Under ThreadSanitizer this poller cannot see the child map the file before the child has read all of it, so
    // the truncation comes too late to test anything (the TSan-built tool itself detects a shrink: checked by hand,
    // and the library's shrink tests run under TSan).
    @Test(
        "a file that shrinks while it is read gives an error, never a digest",
        .enabled(if: Host.hasProcFiles, "polls /proc/PID (Linux)"),
        .disabled(if: Host.sanitizer == "thread", "the poller is too slow under TSan"),
        arguments: ["1", "2"])
    func shrinkingFile(threads: String) throws {
        let dir = try TemporaryDirectory()
        let file = dir.url("shrinking")
        // A sparse file, free on disk, so big that the tool cannot finish it before the truncation below even when a
        // sanitizer slows this poller down (the tool stops soon after the truncation, so the test stays short).
        try makeSparseFile(file, size: 32 << 30, data: randomBytes(4096), at: 0)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Tool.path)
        process.arguments = ["--threads", threads, file]
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Truncate once the tool has started reading: it has the file mapped, or has read a few MiB with read().
        let pid = process.processIdentifier
        while process.isRunning, !hasMapped(file, pid: pid), (bytesRead(by: pid) ?? 0) < 4 << 20 { usleep(100) }
        #expect(truncate(file, 1 << 20) == 0)
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 2)
        #expect(stdout.isEmpty)
        #expect(stderr == "crc64sum: \(file): file changed size while being read\n")
    }

    @Test("offsets past 4 GiB: standard input positioned inside a sparse file")
    func offsetsPastFourGiB() throws {
        let dir = try TemporaryDirectory()
        let file = dir.url("sparse")
        let data = randomBytes(3 << 20, seed: 42)
        let offset: UInt64 = (4 << 30) - (1 << 20)  // straddles 4 GiB
        try makeSparseFile(file, size: offset + UInt64(data.count) + 4096, data: data, at: offset)
        let expectedTail = data + [UInt8](repeating: 0, count: 4096)
        let handle = try #require(FileHandle(forReadingAtPath: file))
        try handle.seek(toOffset: offset)
        let run = try Tool.run(["--threads", "2"], stdin: .handle(handle))
        #expect(run.stdout == "\(hex(CRC64Model.xz.checksum(expectedTail)))  -\n")
        try handle.seek(toOffset: offset + 1)
        let parts = try Tool.run(["--part-size", "1M", "--format", "dec"], stdin: .handle(handle))
        let tail = Array(expectedTail.dropFirst())
        #expect(parts.lines.count == 5)
        #expect(parts.lines.last == "-: whole object (4 parts, \(tail.count) bytes): \(CRC64Model.xz.checksum(tail))")
    }

    @Test(
        "peak memory does not grow with the file",
        .enabled(if: Host.isLinux && Host.hasExecutable("/usr/bin/time"), "needs GNU time (/usr/bin/time -f)"),
        // A sanitizer's shadow memory makes any RSS ceiling meaningless.
        .disabled(if: Host.sanitizer != nil, "RSS is not meaningful under a sanitizer"))
    func peakMemory() throws {
        let dir = try TemporaryDirectory()
        let file = dir.url("sparse")
        try makeSparseFile(file, size: 600 << 20, data: randomBytes(1 << 20), at: 100 << 20)
        // GNU time reports the peak resident set (KiB) of its child, forked from itself rather than from this big
        // test process, whose size a child's peak would otherwise include.
        for threads in ["1", "2"] {
            let run = try Tool.run(["--threads", threads, file], prefix: ["/usr/bin/time", "-f", "%M"])
            #expect(run.status == 0)
            let peak = try #require(Int(run.stderr.trimmingCharacters(in: .whitespacesAndNewlines)))
            #expect(peak < 64 * 1024, "peak RSS \(peak) KiB")
        }
    }

    @Test("--progress writes nothing when standard error is not a terminal")
    func progressOnlyOnTerminal() throws {
        let dir = try TemporaryDirectory()
        let file = try dir.write("file", randomBytes(5 << 20))
        let run = try Tool.run(["--progress", file])
        #expect(run.status == 0)
        #expect(run.stderr == "")
    }

    @Test(
        "--progress draws on a terminal for a slow input, and erases itself",
        .enabled(if: Host.isLinux && Host.hasExecutable("/usr/bin/script"), "needs util-linux script -qec"))
    func progressOnTerminal() throws {
        let dir = try TemporaryDirectory()
        let fifo = dir.url("fifo")
        #expect(mkfifo(fifo, 0o644) == 0)
        let writer = Process()
        writer.executableURL = URL(fileURLWithPath: "/bin/sh")
        writer.arguments = ["-c", "{ head -c 2097152 /dev/zero; sleep 1; head -c 2097152 /dev/zero; } > \"$1\"", "sh", fifo]
        try writer.run()
        // script(1) gives the tool a terminal; its output holds what the tool wrote there.
        let command = "'\(Tool.path)' --progress '\(fifo)'"
        let run = try Tool.run(["-qec", command, "/dev/null"], executable: "/usr/bin/script")
        writer.waitUntilExit()
        #expect(run.stdout.contains("crc64sum: \(fifo): "))
        #expect(run.stdout.contains(" MiB/s"))
        #expect(run.stdout.contains("\r\u{1b}[K"))
        #expect(run.stdout.contains("\(hex(CRC64Model.xz.checksum([UInt8](repeating: 0, count: 4 << 20))))  \(fifo)"))
    }

    /// Reads a whole sparse file of more than 4 GiB (slow: set CRC64_LARGE_TESTS=1).
    @Test(
        "a whole file of more than 4 GiB",
        .enabled(if: ProcessInfo.processInfo.environment["CRC64_LARGE_TESTS"] == "1", "set CRC64_LARGE_TESTS=1"))
    func largerThanFourGiB() throws {
        let dir = try TemporaryDirectory()
        let path = dir.url("huge")
        let data = randomBytes(1 << 20, seed: 28)
        let size: UInt64 = (4 << 30) + (3 << 20) + 17
        let offset: UInt64 = (4 << 30) - 4096
        try makeSparseFile(path, size: size, data: data, at: offset)
        let model = CRC64Model.xz
        var expected = model.extend(model.emptyValue, zeroBytes: offset)
        expected = model.combine(expected, model.checksum(data), secondLength: UInt64(data.count))
        let tail = size - offset - UInt64(data.count)
        expected = model.combine(expected, model.extend(model.emptyValue, zeroBytes: tail), secondLength: tail)
        let result = try model.checksum(contentsOfFile: path, threads: 2)
        #expect(result.length == size)
        #expect(result.value == expected)
        let run = try Tool.run([path])
        #expect(run.stdout == "\(hex(expected))  \(path)\n")
    }
}
#endif
