#if !os(Windows)  // POSIX only (Package.swift)
// File names as coreutils shows them: quoted in messages, escaped in checksum lines.

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
#endif
