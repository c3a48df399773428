internal import CCRC64

/// One piece of a larger object: its CRC and its length in bytes.
///
/// A list of parts in order is what ``CRC64Model/combine(parts:)`` turns into the value of the whole object, as
/// OSS does for CompleteMultipartUpload.
public struct CRC64Part: Sendable, Hashable {
    /// The part's CRC (a final value, e.g. the part's `x-oss-hash-crc64ecma`).
    public var value: UInt64
    /// The part's length in bytes.
    public var length: UInt64

    /// Creates a part from its CRC and its length in bytes.
    public init(value: UInt64, length: UInt64) {
        self.value = value
        self.length = length
    }
}

/// A combine operation for a fixed second length, prepared once by ``CRC64Model/combiner(secondLength:)``.
///
/// Combining needs x^(8·length) modulo the polynomial; a combiner computes it once, so that each
/// ``combine(_:_:)`` is a single carry-less multiplication. Use one for the many equal-sized parts of a multipart
/// upload:
///
/// ```swift
/// let step = CRC64Model.xz.combiner(secondLength: 8 << 20)   // 8 MiB parts
/// var whole = CRC64Model.xz.emptyValue
/// for part in fullSizedPartValues { whole = step.combine(whole, part) }
/// ```
public struct CRC64Combiner: Sendable {
    /// The model the combiner belongs to.
    public let model: CRC64Model
    /// The length in bytes of every second operand.
    public let secondLength: UInt64
    private let multiplier: UInt64

    internal init(model: CRC64Model, secondLength: UInt64, multiplier: UInt64) {
        self.model = model
        self.secondLength = secondLength
        self.multiplier = multiplier
    }

    /// The CRC of `A` followed by `B` from `first` = CRC(A) and `second` = CRC(B), where `B` is ``secondLength``
    /// bytes long. Equal to `model.combine(first, second, secondLength: secondLength)`, in constant time: `first`
    /// itself when ``secondLength`` is 0, whatever `second` is.
    public func combine(_ first: UInt64, _ second: UInt64) -> UInt64 {
        model.withModel { pointer in
            var op = libcrc64_combiner(model: pointer, len2: secondLength, multiplier: multiplier)
            return libcrc64_combiner_apply(&op, first, second)
        }
    }
}
