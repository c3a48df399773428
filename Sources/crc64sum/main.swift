// crc64sum: print or check CRC-64 checksums, like sha256sum, for Alibaba Cloud OSS (CRC-64/XZ, decimal) and AWS S3
// (CRC-64/NVME, base64). See `crc64sum --help`.

#if os(Windows)
// The tool reads files through CRC64Files, which needs a POSIX system (Package.swift).
import ucrt

fputs("crc64sum runs on Linux and macOS; on Windows use CRC64Kit, libcrc64's C API or the crc64 Python package\n",
      stderr)
exit(2)
#else

internal import CCRC64
import CRC64Files
import CRC64Kit

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The package's version: the C library's, which crc64.h states once for every build.
let version = String(cString: libcrc64_version())

/// The arguments as the bytes the system passed (file names need not be UTF-8).
func rawArguments() -> [[UInt8]] {
    (0..<Int(CommandLine.argc)).map { index in
        guard let argument = CommandLine.unsafeArgv[index] else { return [] }
        return Array(UnsafeBufferPointer(start: argument, count: strlen(argument))).map { UInt8(bitPattern: $0) }
    }
}

/// A checksum line: `DIGEST  NAME`, or with --tag `CRC64-XZ (NAME) = DIGEST`; escaped names start with `\`.
func printLine(_ value: UInt64, name: [UInt8], options: Options) {
    let (prefix, escaped) = escapeName(name)
    let out = Output.standard
    out.write(prefix)
    if options.tag {
        out.write("\(Algorithms.tag(of: options.model)) (")
        out.write(escaped)
        out.write(") = \(options.outputFormat.render(value))\n")
    } else {
        out.write(options.outputFormat.render(value))
        out.write("  ")
        out.write(escaped)
        out.write("\n")
    }
}

func run(_ options: Options) -> ExitStatus {
    let inputs = Inputs(options: options)
    let files = options.operands.isEmpty ? [[UInt8(ascii: "-")]] : options.operands
    let out = Output.standard
    switch options.mode {
    case .help:
        out.write(helpText)
        return .success

    case .version:
        out.write("crc64sum (swift-crc64) \(version)\nCRC kernel: \(CRC64Model.activeKernel)\n")
        return .success

    case .hash:
        var status = ExitStatus.success
        for name in files {
            switch inputs.checksum(of: name, model: options.model) {
            case .success(let part): printLine(part.value, name: name, options: options)
            case .failure(let error):
                Diagnostics.error(file: name, error.reason)
                status = .trouble
            }
        }
        return status

    case .check:
        return Checker(options: options, inputs: inputs).run()

    case .expect(let expected):
        let name = files[0]
        let part: CRC64Part
        switch inputs.checksum(of: name, model: options.model) {
        case .success(let result): part = result
        case .failure(let error):
            Diagnostics.error(file: name, error.reason)
            return .trouble
        }
        let match = expected.readings.first { $0.value == part.value }
        // Show both values in the form the expected one was given in (or --format), so that they compare by eye.
        let format = options.format ?? match?.format ?? expected.readings[0].format
        let computed =
            expected.isAmbiguous && match == nil && options.format == nil
            ? "\(DigestFormat.hex.render(part.value)) (hex) = \(DigestFormat.dec.render(part.value)) (decimal)"
            : format.render(part.value)
        let shownName = quoteName(name)
        if match != nil {
            if !options.status && !options.quiet {
                out.write("\(shownName): OK: computed \(computed), expected \(expected.text)\n")
            }
            return .success
        }
        if !options.status {
            out.write("\(shownName): FAILED: computed \(computed), expected \(expected.text)\n")
        }
        return .failure

    case .appendTo(let start):
        let initial: UInt64
        do { initial = try start.single(option: "--append-to") } catch { return usage(error) }
        switch inputs.checksum(of: files[0], model: options.model) {
        case .success(let part):
            let value = options.model.combine(initial, part.value, secondLength: part.length)
            out.write(options.outputFormat.render(value) + "\n")
            return .success
        case .failure(let error):
            Diagnostics.error(file: files[0], error.reason)
            return .trouble
        }

    case .parts(let partSize):
        var status = ExitStatus.success
        for name in files {
            switch inputs.parts(of: name, model: options.model, partSize: partSize) {
            case .failure(let error):
                Diagnostics.error(file: name, error.reason)
                status = .trouble
            case .success(let parts):
                let (prefix, escaped) = escapeName(name)
                var offset: UInt64 = 0
                for (index, part) in parts.enumerated() {
                    out.write(prefix)
                    out.write(escaped)
                    out.write(
                        ": part \(index + 1) of \(parts.count) (offset \(offset), \(bytes(part.length))): "
                            + "\(options.outputFormat.render(part.value))\n")
                    offset += part.length
                }
                let whole = options.model.combine(parts: parts)
                out.write(prefix)
                out.write(escaped)
                out.write(
                    ": whole object (\(parts.count) part\(parts.count == 1 ? "" : "s"), \(bytes(offset))): "
                        + "\(options.outputFormat.render(whole))\n")
                if parts.count > 10_000 {
                    Diagnostics.error(
                        file: name,
                        "\(parts.count) parts: OSS and S3 accept at most 10000 parts; use a larger --part-size")
                }
            }
        }
        return status

    case .combine:
        var parts: [CRC64Part] = []
        for operand in options.operands {
            let text = String(decoding: operand, as: UTF8.self)
            guard let colon = text.lastIndex(of: ":") else {
                return usage(UsageError("combine: '\(text)' is not VALUE:LENGTH"))
            }
            do {
                let value = try DigestText(String(text[..<colon]), hint: options.format).single(option: "combine")
                let length = try byteCount(String(text[text.index(after: colon)...]), what: "length")
                parts.append(CRC64Part(value: value, length: length))
            } catch {
                return usage(error)
            }
        }
        out.write(options.outputFormat.render(options.model.combine(parts: parts)) + "\n")
        return .success
    }
}

func bytes(_ count: UInt64) -> String { count == 1 ? "1 byte" : "\(count) bytes" }

func usage(_ error: UsageError) -> ExitStatus {
    Diagnostics.error(error.message)
    Diagnostics.writeError(Array("Try '\(Diagnostics.program) --help' for more information.\n".utf8))
    return .trouble
}

// A closed pipe must not kill the process mid-line: writes then fail with EPIPE, which Output handles.
signal(SIGPIPE, SIG_IGN)

let status: ExitStatus
do {
    status = run(try parseArguments(rawArguments()))
} catch {
    status = usage(error)
}
Output.standard.flush()
exit(status.rawValue)
#endif
