#if !os(Windows)  // POSIX only (Package.swift)
import CRC64Files
import CRC64Kit

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// One parsed line of a check file.
struct CheckLine {
    let digest: DigestText
    let name: [UInt8]
    let model: CRC64Model
}

/// Parses a check line (without its line end), as coreutils does: leading blanks are skipped; a leading `\` means
/// the name is escaped; then either a tagged line `CRC64-ALG (NAME) = DIGEST` (whose algorithm wins over `-a`) or an
/// untagged line `DIGEST  NAME` / `DIGEST *NAME`. Digests may be hex, decimal or base64. `nil` if malformed.
func parseCheckLine(_ line: ArraySlice<UInt8>, model defaultModel: CRC64Model, hint: DigestFormat?) -> CheckLine? {
    var rest = line
    while let first = rest.first, first == 0x20 || first == 0x09 { rest.removeFirst() }
    var escaped = false
    if rest.first == 0x5c {
        escaped = true
        rest.removeFirst()
    }
    func finish(_ digest: ArraySlice<UInt8>, _ rawName: ArraySlice<UInt8>, _ model: CRC64Model) -> CheckLine? {
        guard !digest.isEmpty, !rawName.isEmpty,
            let text = String(validating: digest, as: UTF8.self),
            let parsed = try? DigestText(text, hint: hint)
        else { return nil }
        let name: [UInt8]
        if escaped {
            guard let unescaped = unescapeName(rawName) else { return nil }
            name = unescaped
        } else {
            name = Array(rawName)
        }
        return CheckLine(digest: parsed, name: name, model: model)
    }

    if rest.starts(with: "CRC64-".utf8) {
        // Tagged: ALG, an optional space, "(", the name up to the last ")", blanks, "=", blanks, the digest.
        guard let tagEnd = rest.firstIndex(where: { $0 == 0x20 || $0 == UInt8(ascii: "(") }),
            let tag = String(validating: rest[..<tagEnd], as: UTF8.self),
            let model = Algorithms.model(tag: tag)
        else { return nil }
        var afterTag = rest[tagEnd...]
        if afterTag.first == 0x20 { afterTag.removeFirst() }
        guard afterTag.first == UInt8(ascii: "(") else { return nil }
        afterTag.removeFirst()
        guard let close = afterTag.lastIndex(of: UInt8(ascii: ")")) else { return nil }
        let name = afterTag[..<close]
        var tail = afterTag[(close + 1)...]
        while let first = tail.first, first == 0x20 || first == 0x09 { tail.removeFirst() }
        guard tail.first == UInt8(ascii: "=") else { return nil }
        tail.removeFirst()
        while let first = tail.first, first == 0x20 || first == 0x09 { tail.removeFirst() }
        guard !tail.contains(where: { $0 == 0x20 || $0 == 0x09 }) else { return nil }
        return finish(tail, name, model)
    }

    // Untagged: DIGEST, a space, a space or "*" (binary mode marker), the name.
    guard let space = rest.firstIndex(of: 0x20) else { return nil }
    let digest = rest[..<space]
    var name = rest[(space + 1)...]
    guard let marker = name.first, marker == 0x20 || marker == UInt8(ascii: "*") else { return nil }
    name.removeFirst()
    return finish(digest, name, defaultModel)
}

/// `crc64sum --check`: verifies every check file named (standard input if none), with coreutils' messages.
struct Checker {
    let options: Options
    let inputs: Inputs

    func run() -> ExitStatus {
        let files = options.operands.isEmpty ? [[UInt8(ascii: "-")]] : options.operands
        var status = ExitStatus.success
        for file in files { status = max(status, check(file)) }
        return status
    }

    private func check(_ file: [UInt8]) -> ExitStatus {
        let isStandardInput = file == [UInt8(ascii: "-")]
        let displayName = isStandardInput ? Array("standard input".utf8) : file
        let contents: [UInt8]
        switch readAll(file) {
        case .success(let bytes): contents = bytes
        case .failure(let error):
            Diagnostics.error(file: displayName, error.reason)
            return .trouble
        }

        var properlyFormatted = 0
        var misformatted = 0
        var unreadable = 0
        var mismatched = 0
        var verified = 0
        var lineNumber = 0
        var lineStart = contents.startIndex
        while lineStart < contents.endIndex {
            let newline = contents[lineStart...].firstIndex(of: 0x0a) ?? contents.endIndex
            var line = contents[lineStart..<newline]
            lineStart = newline == contents.endIndex ? newline : newline + 1
            lineNumber += 1
            if line.last == 0x0d { line.removeLast() }
            if line.isEmpty || line.first == UInt8(ascii: "#") { continue }

            guard let entry = parseCheckLine(line, model: options.model, hint: options.format) else {
                misformatted += 1
                if options.warn {
                    Diagnostics.error(
                        "\(quoteName(displayName)): \(lineNumber): improperly formatted CRC-64 checksum line")
                }
                continue
            }
            properlyFormatted += 1

            switch inputs.checksum(of: entry.name, model: entry.model) {
            case .failure(let error):
                if options.ignoreMissing && error.code == ENOENT { continue }
                Diagnostics.error(file: entry.name, error.reason)
                unreadable += 1
                if !options.status { report(entry.name, "FAILED open or read") }
            case .success(let part):
                if entry.digest.readings.contains(where: { $0.value == part.value }) {
                    verified += 1
                    if !options.status && !options.quiet { report(entry.name, "OK") }
                } else {
                    mismatched += 1
                    if !options.status { report(entry.name, "FAILED") }
                }
            }
        }

        let nothingVerified = options.ignoreMissing && verified == 0
        if properlyFormatted == 0 {
            Diagnostics.error("\(quoteName(displayName)): no properly formatted checksum lines found")
            return .trouble
        }
        if !options.status {
            if misformatted > 0 {
                Diagnostics.error(
                    misformatted == 1
                        ? "WARNING: 1 line is improperly formatted"
                        : "WARNING: \(misformatted) lines are improperly formatted")
            }
            if unreadable > 0 {
                Diagnostics.error(
                    unreadable == 1
                        ? "WARNING: 1 listed file could not be read"
                        : "WARNING: \(unreadable) listed files could not be read")
            }
            if mismatched > 0 {
                Diagnostics.error(
                    mismatched == 1
                        ? "WARNING: 1 computed checksum did NOT match"
                        : "WARNING: \(mismatched) computed checksums did NOT match")
            }
            if nothingVerified {
                Diagnostics.error("\(quoteName(displayName)): no file was verified")
            }
        }
        if options.strict && misformatted > 0 { return .trouble }
        if unreadable > 0 { return .trouble }
        if mismatched > 0 || nothingVerified { return .failure }
        return .success
    }

    /// `NAME: RESULT`, the name escaped (with a leading `\`) only when it holds a newline, as coreutils does.
    private func report(_ name: [UInt8], _ result: String) {
        let (prefix, escaped) = escapeName(name, when: { $0 == 0x0a })
        Output.standard.write(prefix)
        Output.standard.write(escaped)
        Output.standard.write(": \(result)\n")
    }

    private func readAll(_ file: [UInt8]) -> Result<[UInt8], CRC64FileError> {
        let fd: Int32
        switch openInput(file) {
        case .success(let opened): fd = opened
        case .failure(let error): return .failure(error)
        }
        defer { if fd != 0 { close(fd) } }
        var contents: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                let code = errno, path = String(decoding: file, as: UTF8.self)
                return .failure(CRC64FileError(path: path, operation: .read, code: code))
            }
            if n == 0 { return .success(contents) }
            contents.append(contentsOf: chunk[..<n])
        }
    }
}
#endif
