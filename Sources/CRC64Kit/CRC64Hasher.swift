/// A streaming CRC-64: feed the data in pieces of any size, read the value at any point.
///
/// Shaped like swift-crypto's `HashFunction`: create, ``update(_:)-(UnsafeRawBufferPointer)`` as often as needed,
/// then ``finalize()`` (or read ``value``, which is always current). The result does not depend on how the data was
/// split. To continue a value without keeping a hasher, zlib style, use
/// ``CRC64Model/checksum(_:continuing:)-(UnsafeRawBufferPointer,_)``.
///
/// ```swift
/// var hasher = CRC64Hasher(model: .xz)
/// for chunk in chunks { hasher.update(chunk) }
/// let digest = hasher.finalize()
/// print(digest.decimal)   // compare with x-oss-hash-crc64ecma
/// ```
///
/// To continue an object that already has a CRC, such as an OSS appendable object, start from its value with
/// ``init(model:continuingFrom:)``.
public struct CRC64Hasher: Sendable {
    /// The model this hasher computes.
    public let model: CRC64Model
    @usableFromInline internal var _value: UInt64
    @usableFromInline internal var _length: UInt64

    /// Creates a hasher at the start of a message.
    public init(model: CRC64Model) {
        self.model = model
        _value = model.emptyValue
        _length = 0
    }

    /// Creates a hasher that continues a message whose CRC is `value`, as if its bytes had been fed already.
    ///
    /// `value` is a final CRC, for example the `x-oss-hash-crc64ecma` of an appendable object before an
    /// AppendObject call; after feeding the appended bytes, ``value`` is the CRC of the whole object, which is
    /// what OSS returns for the append. ``length`` counts only the bytes fed to this hasher.
    public init(model: CRC64Model, continuingFrom value: UInt64) {
        self.model = model
        _value = value
        _length = 0
    }

    /// Feeds the bytes in `buffer`.
    @inlinable
    public mutating func update(_ buffer: UnsafeRawBufferPointer) {
        _value = model.checksum(buffer, continuing: _value)
        _length &+= UInt64(buffer.count)
    }

    /// Feeds an array of bytes.
    @inlinable
    public mutating func update(_ bytes: [UInt8]) {
        _value = model.checksum(bytes, continuing: _value)
        _length &+= UInt64(bytes.count)
    }

    /// Feeds any sequence of bytes (`Data`, `ArraySlice<UInt8>`, `String.UTF8View`...), in place when it has
    /// contiguous storage, else through a stack buffer.
    @inlinable
    public mutating func update(_ bytes: some Sequence<UInt8>) {
        var count: UInt64 = 0
        _value = model._update(_value, bytes, count: &count)
        _length &+= count
    }

    #if compiler(>=6.2)
    /// Feeds the bytes of a `RawSpan` (Swift 6.2 and later).
    @available(macOS 10.14.4, iOS 12.2, watchOS 5.2, tvOS 12.2, visionOS 1.0, *)
    public mutating func update(_ span: RawSpan) {
        span.withUnsafeBytes { update($0) }
    }
    #endif

    /// The CRC of everything fed so far (including a continued prefix): a final value, current at any time.
    public var value: UInt64 { _value }

    /// The number of bytes fed since creation or the last ``reset()``, not counting a continued prefix.
    public var length: UInt64 { _length }

    /// Returns the hasher to the start of a message of its model: ``value`` becomes the model's
    /// ``CRC64Model/emptyValue`` (also for a hasher that was continuing a value) and ``length`` zero.
    public mutating func reset() {
        _value = model.emptyValue
        _length = 0
    }

    /// The digest of everything fed so far. The hasher is unchanged and can go on.
    public func finalize() -> CRC64Digest {
        CRC64Digest(_value)
    }
}
