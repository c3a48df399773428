#if !os(Windows)  // POSIX only (Package.swift)
import CRC64Files
import CRC64Kit

/// A mistake in the command line: reported as `crc64sum: MESSAGE` and a pointer to `--help`, status 2.
struct UsageError: Error {
    let message: String
    init(_ message: String) { self.message = message }
}

/// What the command line asks for.
struct Options {
    enum Mode {
        case hash
        case check
        case expect(DigestText)
        case appendTo(DigestText)
        case parts(UInt64)
        case combine
        case help
        case version
    }

    var mode: Mode = .hash
    var model: CRC64Model = .xz
    /// `--format`; `nil` when not given (then hex for output, and no hint for ambiguous input).
    var format: DigestFormat?
    var tag = false
    var quiet = false
    var status = false
    var strict = false
    var warn = false
    var ignoreMissing = false
    var threads = CRC64Model.defaultThreadCount
    var progress = false
    /// FILE operands as raw bytes (names need not be UTF-8); for `combine`, the VALUE:LENGTH operands.
    var operands: [[UInt8]] = []

    var outputFormat: DigestFormat { format ?? .hex }
}

/// Parses the arguments GNU-style: options and operands in any order, `--` ends options, `-` is an operand, short
/// options bundle (`-cw`, `-anvme`), long options take `=VALUE` or the next argument and may be abbreviated to any
/// unambiguous prefix.
func parseArguments(_ arguments: [[UInt8]]) throws(UsageError) -> Options {
    var options = Options()
    var modes: [(name: String, mode: Options.Mode)] = []
    var seen: Set<String> = []
    var expectText: String?
    var appendText: String?
    var partSize: UInt64?

    struct Spec {
        let long: String
        let short: Character?
        let takesValue: Bool
    }
    let specs: [Spec] = [
        Spec(long: "algorithm", short: "a", takesValue: true),
        Spec(long: "format", short: nil, takesValue: true),
        Spec(long: "tag", short: nil, takesValue: false),
        Spec(long: "check", short: "c", takesValue: false),
        Spec(long: "quiet", short: nil, takesValue: false),
        Spec(long: "status", short: nil, takesValue: false),
        Spec(long: "strict", short: nil, takesValue: false),
        Spec(long: "warn", short: "w", takesValue: false),
        Spec(long: "ignore-missing", short: nil, takesValue: false),
        Spec(long: "expect", short: nil, takesValue: true),
        Spec(long: "append-to", short: nil, takesValue: true),
        Spec(long: "part-size", short: nil, takesValue: true),
        Spec(long: "threads", short: "j", takesValue: true),
        Spec(long: "progress", short: nil, takesValue: false),
        Spec(long: "help", short: "h", takesValue: false),
        Spec(long: "version", short: nil, takesValue: false),
    ]

    // Option values are applied after all arguments are read: --format settles how --expect reads its VALUE.
    var assignments: [(spec: Spec, value: String?)] = []

    var index = 1
    var optionsEnded = false
    var firstOperandIsLiteral = false  // came after "--", so "combine" there is a file name
    while index < arguments.count {
        let argument = arguments[index]
        index += 1
        let text = String(decoding: argument, as: UTF8.self)
        if optionsEnded || argument.count < 2 || argument[0] != UInt8(ascii: "-") {
            if options.operands.isEmpty { firstOperandIsLiteral = optionsEnded }
            options.operands.append(argument)
            continue
        }
        if text == "--" {
            optionsEnded = true
            continue
        }
        if text.hasPrefix("--") {
            let body = text.dropFirst(2)
            let name = body.split(separator: "=", maxSplits: 1).first.map(String.init) ?? ""
            let inlineValue = body.firstIndex(of: "=").map { String(body[body.index(after: $0)...]) }
            let matches = specs.filter { $0.long.hasPrefix(name) }
            let exact = specs.first { $0.long == name }
            guard let spec = exact ?? (matches.count == 1 ? matches[0] : nil) else {
                if matches.count > 1 {
                    let list = matches.map { "'--\($0.long)'" }.joined(separator: " ")
                    throw UsageError("option '--\(name)' is ambiguous; possibilities: \(list)")
                }
                throw UsageError("unrecognized option '--\(name)'")
            }
            if spec.takesValue {
                if let inlineValue {
                    assignments.append((spec, inlineValue))
                } else if index < arguments.count {
                    assignments.append((spec, String(decoding: arguments[index], as: UTF8.self)))
                    index += 1
                } else {
                    throw UsageError("option '--\(spec.long)' requires an argument")
                }
            } else {
                if inlineValue != nil { throw UsageError("option '--\(spec.long)' doesn't allow an argument") }
                assignments.append((spec, nil))
            }
            continue
        }
        // Bundled short options.
        var characters = Array(text.dropFirst())
        while !characters.isEmpty {
            let character = characters.removeFirst()
            guard let spec = specs.first(where: { $0.short == character }) else {
                throw UsageError("invalid option -- '\(character)'")
            }
            if spec.takesValue {
                if !characters.isEmpty {
                    assignments.append((spec, String(characters)))
                    characters.removeAll()
                } else if index < arguments.count {
                    assignments.append((spec, String(decoding: arguments[index], as: UTF8.self)))
                    index += 1
                } else {
                    throw UsageError("option requires an argument -- '\(character)'")
                }
            } else {
                assignments.append((spec, nil))
            }
        }
    }

    for (spec, value) in assignments {
        seen.insert(spec.long)
        switch spec.long {
        case "algorithm":
            guard let model = CRC64Model.named(value!) else {
                throw UsageError(
                    "unknown algorithm '\(value!)': expected one of \(Algorithms.names.joined(separator: ", "))")
            }
            options.model = model
        case "format":
            guard let format = DigestFormat(argument: value!) else {
                throw UsageError("invalid format '\(value!)': expected hex, dec or base64")
            }
            options.format = format
        case "tag": options.tag = true
        case "check": modes.append(("--check", .check))
        case "quiet": options.quiet = true
        case "status": options.status = true
        case "strict": options.strict = true
        case "warn": options.warn = true
        case "ignore-missing": options.ignoreMissing = true
        case "expect": expectText = value!
        case "append-to": appendText = value!
        case "part-size":
            let size = try byteCount(value!, what: "part size")
            guard size > 0 else { throw UsageError("invalid part size '\(value!)': must be at least 1 byte") }
            partSize = size
        case "threads":
            guard let threads = Int(value!), threads >= 1, threads <= 1024 else {
                throw UsageError("invalid number of threads '\(value!)': expected 1 to 1024")
            }
            options.threads = threads
        case "progress": options.progress = true
        case "help": modes.append(("--help", .help))
        case "version": modes.append(("--version", .version))
        default: break
        }
    }
    // --help and --version win over everything else, as in coreutils.
    if seen.contains("help") { options.mode = .help; return options }
    if seen.contains("version") { options.mode = .version; return options }

    // Values are parsed after --format is known, as it settles ambiguous ones.
    if let expectText { modes.append(("--expect", .expect(try DigestText(expectText, hint: options.format)))) }
    if let appendText { modes.append(("--append-to", .appendTo(try DigestText(appendText, hint: options.format)))) }
    if let partSize { modes.append(("--part-size", .parts(partSize))) }
    if options.operands.first == Array("combine".utf8) && !firstOperandIsLiteral {
        options.operands.removeFirst()
        modes.append(("combine", .combine))
    }
    if modes.count > 1 {
        throw UsageError("\(modes[0].name) and \(modes[1].name) cannot be used together")
    }
    options.mode = modes.first?.mode ?? .hash

    // Options that only make sense in some modes, worded like coreutils.
    let verifying: Bool
    switch options.mode {
    case .check, .expect: verifying = true
    default: verifying = false
    }
    for option in ["quiet", "status"] where seen.contains(option) && !verifying {
        throw UsageError("the --\(option) option is meaningful only when verifying checksums")
    }
    for option in ["strict", "warn", "ignore-missing"] where seen.contains(option) {
        guard case .check = options.mode else {
            let spelled = option == "warn" ? "--warn" : "--\(option)"
            throw UsageError("the \(spelled) option is meaningful only when verifying checksums")
        }
    }
    if options.tag {
        switch options.mode {
        case .hash: break
        case .check: throw UsageError("the --tag option is meaningless when verifying checksums")
        default: throw UsageError("the --tag option can only be used when printing checksums of files")
        }
    }
    switch options.mode {
    case .expect, .appendTo:
        if options.operands.count > 1 {
            let name = if case .expect = options.mode { "--expect" } else { "--append-to" }
            throw UsageError("\(name) takes exactly one FILE (or standard input), not \(options.operands.count)")
        }
    case .combine:
        if options.operands.isEmpty { throw UsageError("combine needs at least one VALUE:LENGTH") }
    default: break
    }
    return options
}

let helpText = """
    Usage: crc64sum [OPTION]... [FILE]...
      or:  crc64sum [OPTION]... combine VALUE:LENGTH...
    Print or check CRC-64 checksums (CRC-64/XZ by default: the x-oss-hash-crc64ecma
    value of Alibaba Cloud OSS; -a nvme for the x-amz-checksum-crc64nvme of AWS S3).

    With no FILE, or when FILE is -, read standard input.

      -a, --algorithm=NAME   xz (default; alias go-ecma), nvme, ecma-182, go-iso, we,
                               ms or redis
          --format=FORMAT    print digests as hex (default, 16 digits), dec (unsigned
                               decimal, as OSS sends it) or base64 (of the big-endian
                               bytes, as S3 sends it); also says how to read a 16-digit
                               all-decimal VALUE, which is otherwise ambiguous
          --tag              print BSD-style lines: CRC64-XZ (FILE) = DIGEST
      -c, --check            read checksums from the FILEs and check them
          --expect=VALUE     check one FILE against VALUE (hex, decimal or base64)
          --append-to=VALUE  print the value of an object whose value is VALUE after
                               FILE is appended to it (OSS AppendObject)
          --part-size=SIZE   print the value of each SIZE-byte part of FILE (OSS
                               UploadPart) and of the whole object (CompleteMultipart-
                               Upload); SIZE may end in K, M, G or T (powers of 1024)
      -j, --threads=N        read a large file with N threads (default: all processors)
          --progress         show progress on standard error when it is a terminal
      -h, --help             display this help and exit
          --version          output version information and exit

    The following options are useful only when verifying checksums (--check, and
    --quiet and --status also with --expect):
          --ignore-missing   don't fail or report status for missing files
          --quiet            don't print OK for each successfully verified file
          --status           don't output anything, status code shows success
          --strict           exit non-zero for improperly formatted checksum lines
      -w, --warn             warn about improperly formatted checksum lines

    combine VALUE:LENGTH...  print the value of the concatenation of parts, from each
                             part's value and length in bytes, in order (the
                             CompleteMultipartUpload value from the UploadPart values).

    Check lines may be untagged (DIGEST  FILE) or tagged (CRC64-NVME (FILE) = DIGEST,
    whose algorithm is used whatever -a says), with digests in hex, decimal or base64.
    Names holding a backslash or newline are escaped as GNU coreutils does.

    Exit status: 0 if all is well; 1 if a checksum did not match; 2 for trouble:
    a file that could not be read, a usage error, an unreadable or malformed
    check file, or an output error.

    Examples:
      crc64sum --format dec photo.jpg         # compare with x-oss-hash-crc64ecma
      crc64sum -a nvme --format base64 f.bin  # compare with x-amz-checksum-crc64nvme
      crc64sum --expect 11051210869376104954 file
      crc64sum --part-size 8M --format dec big.iso
      crc64sum combine 0x995dc9bbdf1939fa:9 1234567:1048576

    """
#endif
