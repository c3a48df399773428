#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Exit statuses. `0` success; `1` a checksum did not match; `2` trouble: a FILE that could not be read, the
/// invocation or a check file (usage, unreadable or malformed check file), a write error. Trouble outranks a mismatch.
enum ExitStatus: Int32, Comparable {
    case success = 0
    case failure = 1
    case trouble = 2

    static func < (lhs: ExitStatus, rhs: ExitStatus) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// Buffered standard output: large writes, checked; a failed write ends the program with status 2.
final class Output {
    nonisolated(unsafe) static let standard = Output(fd: 1)

    private let fd: Int32
    private var buffer: [UInt8] = []

    init(fd: Int32) {
        self.fd = fd
        buffer.reserveCapacity(1 << 16)
    }

    func write(_ bytes: some Collection<UInt8>) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= 1 << 16 { flush() }
    }

    func write(_ text: String) { write(text.utf8) }

    /// Writes everything buffered. On failure (a closed pipe, a full disk) exits with status 2: quietly for a
    /// closed pipe, as a reader that stopped reading is not an error worth a message; with the reason otherwise.
    func flush() {
        var offset = 0
        while offset < buffer.count {
            let n = buffer.withUnsafeBytes { systemWrite(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 {
                let code = errno
                if code == EINTR { continue }
                buffer.removeAll()
                if code != EPIPE { Diagnostics.error("write error: \(systemReason(code))") }
                exit(ExitStatus.trouble.rawValue)
            }
            offset += n
        }
        buffer.removeAll(keepingCapacity: true)
    }
}

@inline(__always)
private func systemWrite(_ fd: Int32, _ pointer: UnsafeRawPointer, _ count: Int) -> Int {
    write(fd, pointer, count)
}

/// The text of an `errno` value.
func systemReason(_ code: Int32) -> String {
    guard let text = strerror(code) else { return "error \(code)" }
    return String(cString: text)
}

/// Messages on standard error, each `crc64sum: ...` on one line, written at once (standard output is flushed first
/// so that both streams stay in order on a terminal).
enum Diagnostics {
    static let program = "crc64sum"

    static func error(_ message: String) {
        Output.standard.flush()
        writeError(Array("\(program): \(message)\n".utf8))
    }

    /// `crc64sum: NAME: message`, NAME quoted as coreutils quotes file names in messages.
    static func error(file name: [UInt8], _ message: String) {
        error("\(quoteName(name)): \(message)")
    }

    static func writeError(_ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { write(2, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return }
            offset += n
        }
    }
}

// MARK: - File names

/// A file name as coreutils shows it in messages (gnulib `quotef`, shell-escape style): bare when every byte is
/// safe, else in single quotes (double quotes when it holds a single quote and nothing the shell expands), with
/// control bytes and invalid UTF-8 as `$'\n'`, `$'\ooo'`.
func quoteName(_ name: [UInt8]) -> String {
    if name.isEmpty { return "''" }
    let valid = String(validating: name, as: UTF8.self) != nil
    func isSafe(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default:
            return "%+,-./:=@_^".utf8.contains(byte) || (byte >= 0x80 && valid)
        }
    }
    if name.allSatisfy(isSafe) { return String(decoding: name, as: UTF8.self) }
    let isControl: (UInt8) -> Bool = { $0 < 0x20 || $0 == 0x7f || ($0 >= 0x80 && !valid) }
    if !name.contains(where: isControl) {
        if name.contains(UInt8(ascii: "'")) && !name.contains(where: { "\"$`\\!".utf8.contains($0) }) {
            return "\"" + String(decoding: name, as: UTF8.self) + "\""
        }
        return "'" + String(decoding: name, as: UTF8.self).replacingAll("'", with: "'\\''") + "'"
    }
    var result = ""
    var run: [UInt8] = []
    func closeRun() {
        if run.isEmpty { return }
        result += "'" + String(decoding: run, as: UTF8.self).replacingAll("'", with: "'\\''") + "'"
        run.removeAll()
    }
    for byte in name {
        if isControl(byte) {
            closeRun()
            switch byte {
            case 0x0a: result += "$'\\n'"
            case 0x0d: result += "$'\\r'"
            case 0x09: result += "$'\\t'"
            default:
                let octal = String(byte, radix: 8)
                result += "$'\\" + String(repeating: "0", count: 3 - octal.count) + octal + "'"
            }
        } else {
            run.append(byte)
        }
    }
    closeRun()
    return result
}

/// The GNU escaping of a name in a checksum line: when it holds a backslash, newline or carriage return, the line
/// starts with `\` and those become `\\`, `\n`, `\r`. Returns (prefix, escaped name).
func escapeName(_ name: [UInt8], when trigger: (UInt8) -> Bool = { $0 == 0x5c || $0 == 0x0a || $0 == 0x0d })
    -> (prefix: [UInt8], name: [UInt8])
{
    guard name.contains(where: trigger) else { return ([], name) }
    var escaped: [UInt8] = []
    escaped.reserveCapacity(name.count + 4)
    for byte in name {
        switch byte {
        case 0x5c: escaped += [0x5c, 0x5c]
        case 0x0a: escaped += [0x5c, UInt8(ascii: "n")]
        case 0x0d: escaped += [0x5c, UInt8(ascii: "r")]
        default: escaped.append(byte)
        }
    }
    return ([0x5c], escaped)
}

/// Reverses ``escapeName(_:when:)`` for a name read from a check line; `nil` for a stray backslash.
func unescapeName(_ name: ArraySlice<UInt8>) -> [UInt8]? {
    var result: [UInt8] = []
    result.reserveCapacity(name.count)
    var iterator = name.makeIterator()
    while let byte = iterator.next() {
        guard byte == 0x5c else {
            result.append(byte)
            continue
        }
        switch iterator.next() {
        case 0x5c: result.append(0x5c)
        case UInt8(ascii: "n"): result.append(0x0a)
        case UInt8(ascii: "r"): result.append(0x0d)
        default: return nil
        }
    }
    return result
}

extension String {
    func replacingAll(_ target: Character, with replacement: String) -> String {
        var result = ""
        for character in self {
            if character == target { result += replacement } else { result.append(character) }
        }
        return result
    }
}
