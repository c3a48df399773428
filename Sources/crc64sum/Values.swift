#if !os(Windows)  // POSIX only (Package.swift)
import CRC64Files
import CRC64Kit

/// How digests are written: `hex` (16 digits, the default), `dec` (unsigned decimal, as Alibaba OSS sends
/// `x-oss-hash-crc64ecma`) or `base64` (of the big-endian bytes, as AWS S3 sends `x-amz-checksum-crc64nvme`).
enum DigestFormat: String, CaseIterable {
    case hex
    case dec
    case base64

    init?(argument: String) {
        switch argument.lowercased() {
        case "hex", "hexadecimal": self = .hex
        case "dec", "decimal": self = .dec
        case "base64": self = .base64
        default: return nil
        }
    }

    func render(_ value: UInt64) -> String {
        let digest = CRC64Digest(value)
        switch self {
        case .hex: return digest.hex
        case .dec: return digest.decimal
        case .base64: return digest.base64
        }
    }
}

/// A digest given on the command line or in a check line, with the readings it allows.
///
/// Sixteen decimal digits are both a 16-digit hexadecimal value and a decimal value (about one OSS value in
/// 2,000 has 16 digits), so such a text has two readings unless `--format hex` or `--format dec` says which.
/// Comparisons accept either reading (a false match would need a 2^-63 coincidence); commands that compute a new
/// value from it refuse to guess.
struct DigestText {
    let text: String
    let readings: [(value: UInt64, format: DigestFormat)]

    var isAmbiguous: Bool { readings.count > 1 }

    /// Parses `text`; `hint` is the `--format` given explicitly, if any. Throws a one-line reason.
    init(_ text: String, hint: DigestFormat?) throws(UsageError) {
        self.text = text
        let utf8 = Array(text.utf8)
        let isHex: (UInt8) -> Bool = {
            ($0 >= 0x30 && $0 <= 0x39) || ($0 | 0x20 >= UInt8(ascii: "a") && $0 | 0x20 <= UInt8(ascii: "f"))
        }
        let isDecimal: (UInt8) -> Bool = { $0 >= 0x30 && $0 <= 0x39 }
        do {
            if utf8.count > 2, utf8[0] == UInt8(ascii: "0"), utf8[1] | 0x20 == UInt8(ascii: "x") {
                let digits = utf8[2...]
                guard digits.count <= 16, digits.allSatisfy(isHex) else {
                    throw UsageError("invalid value '\(text)': after 0x, 1 to 16 hexadecimal digits")
                }
                let padded = String(repeating: "0", count: 16 - digits.count) + String(decoding: digits, as: UTF8.self)
                readings = [(try CRC64Digest(hex: padded).value, .hex)]
            } else if utf8.count == 16, utf8.allSatisfy(isHex) {
                let hex = (try CRC64Digest(hex: text).value, DigestFormat.hex)
                if utf8.allSatisfy(isDecimal), hint != .hex {
                    let decimal = (try CRC64Digest(decimal: text).value, DigestFormat.dec)
                    readings = hint == .dec ? [decimal] : [hex, decimal]
                } else {
                    readings = [hex]
                }
            } else if utf8.count == 12, utf8.last == UInt8(ascii: "=") {
                readings = [(try CRC64Digest(base64: text).value, .base64)]
            } else {
                readings = [(try CRC64Digest(decimal: text).value, .dec)]
            }
        } catch let error as CRC64DigestParseError {
            throw UsageError(
                "invalid value: \(error) (a value is 16 hex digits, 0x and hex digits, an unsigned decimal, "
                    + "or 12 base64 characters)")
        } catch let error as UsageError {
            throw error
        } catch {
            throw UsageError("invalid value '\(text)'")
        }
    }

    /// The one reading, for commands that derive a new value from this one.
    func single(option: String) throws(UsageError) -> UInt64 {
        guard readings.count == 1 else {
            throw UsageError(
                "\(option): '\(text)' is ambiguous: 16 digits read as hexadecimal and as decimal differ; "
                    + "say which with --format hex or --format dec (or write hex as 0x\(text))")
        }
        return readings[0].value
    }
}

/// The catalogue models by their `--algorithm` names, and the tags of `--tag` lines (`CRC64-XZ`).
enum Algorithms {
    /// `xz`, `nvme`, ...: the catalogue names without `CRC-64/`, which `CRC64Model.named` accepts.
    static let names = CRC64Model.presets.map { shortName(of: $0).lowercased() }

    /// `CRC64-XZ` for CRC-64/XZ: the tag of a `--tag` line.
    static func tag(of model: CRC64Model) -> String {
        "CRC64-" + shortName(of: model).uppercased()
    }

    /// The catalogue name without `CRC-64/` (crc64sum offers catalogue models only).
    private static func shortName(of model: CRC64Model) -> String {
        String(model.name!.dropFirst("CRC-64/".count))
    }

    /// The model of a tag such as `CRC64-NVME`, case-sensitive like coreutils' tags.
    static func model(tag: String) -> CRC64Model? {
        guard tag.hasPrefix("CRC64-") else { return nil }
        let name = String(tag.dropFirst(6))
        guard name == name.uppercased(), let model = CRC64Model.named(name) else { return nil }
        return model
    }
}
#endif
