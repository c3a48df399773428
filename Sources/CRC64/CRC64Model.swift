internal import CCRC64

/// The parameters of a 64-bit CRC, in the Rocksoft model used by CRC catalogues, and the functions that compute it.
///
/// A model is a small value. The seven catalogue models (``presets``) are backed by tables that the C core builds
/// the first time a preset is used, once per process and without locks, so declaring or passing a preset costs
/// nothing. A custom model (``init(polynomial:initialValue:reflected:xorOutput:name:)``) builds its own tables when
/// it is created and frees them when the last copy goes away; create it once and reuse it.
///
/// Every value that goes in or comes out is a *final* CRC, exactly as a catalogue prints it or a server sends it.
/// The CRC of nothing is ``emptyValue``.
///
/// ```swift
/// let crc = CRC64Model.xz.checksum(Array("123456789".utf8))
/// // 0x995dc9bbdf1939fa: the Alibaba OSS x-oss-hash-crc64ecma value, sent as the decimal 11051210869376104954
/// ```
///
/// Two models are equal when their parameters and their ``name`` are equal.
public struct CRC64Model: Sendable, Hashable, CustomStringConvertible {
    // Layout: everything a computation needs is trivially copyable, and the one reference (`_extra`) is nil for a
    // catalogue model under its catalogue name. The hot paths are inlined into the caller and read these fields
    // directly (see `_update`). Internal, not API: visible to inlined code for that reason only.
    @usableFromInline internal var _polynomial: UInt64
    @usableFromInline internal var _initialValue: UInt64
    @usableFromInline internal var _xorOutput: UInt64
    @usableFromInline internal var _empty: UInt64
    /// The bit pattern of the C model for custom parameters, owned by `_extra`; 0 for catalogue parameters.
    @usableFromInline internal var _cModel: UInt
    /// The `crc64_preset` value of catalogue parameters; `_noPreset` for custom ones.
    @usableFromInline internal var _preset: UInt8
    @usableFromInline internal var _reflected: Bool
    /// The owner of `_cModel` and a name other than the default; nil when neither is needed.
    @usableFromInline internal var _extra: _CRC64ModelExtra?

    @usableFromInline internal static var _noPreset: UInt8 { 0xff }

    /// A catalogue model under its catalogue name. `empty` is its ``emptyValue`` (checked by the tests).
    @inlinable
    internal init(
        _preset preset: UInt8, _ polynomial: UInt64, _ initialValue: UInt64, _ reflected: Bool, _ xorOutput: UInt64,
        empty: UInt64
    ) {
        _polynomial = polynomial
        _initialValue = initialValue
        _xorOutput = xorOutput
        _empty = empty
        _cModel = 0
        _preset = preset
        _reflected = reflected
        _extra = nil
    }

    // MARK: Catalogue models

    /// CRC-64/XZ: the `x-oss-hash-crc64ecma` value of Alibaba Cloud OSS, and the CRC-64 of xz, Go's
    /// `crc64.MakeTable(crc64.ECMA)` and ISA-L's `crc64_ecma_refl`.
    ///
    /// Polynomial `0x42f0e1eba9ea3693`, reflected, initial value and output XOR all ones.
    /// Check value (CRC of `"123456789"`): `0x995dc9bbdf1939fa`.
    public static let xz = CRC64Model(_preset: 0, 0x42f0_e1eb_a9ea_3693, ~0, true, ~0, empty: 0)

    /// An alias of ``xz``: the same value, named "CRC-64/XZ".
    ///
    /// The catalogue lists CRC-64/GO-ECMA as another name for CRC-64/XZ (Go's `crc64.ECMA` table with its
    /// complemented register). Because the two are one model, `CRC64Model.goECMA == CRC64Model.xz`.
    public static let goECMA = xz

    /// CRC-64/NVME: the `x-amz-checksum-crc64nvme` value of Amazon S3 (sent base64-encoded, see
    /// ``CRC64Digest/base64``), and the NVMe end-to-end data protection CRC.
    ///
    /// Polynomial `0xad93d23594c93659`, reflected, initial value and output XOR all ones.
    /// Check value: `0xae8b14860a799888`.
    public static let nvme = CRC64Model(_preset: 1, 0xad93_d235_94c9_3659, ~0, true, ~0, empty: 0)

    /// CRC-64/ECMA-182: the polynomial of ECMA-182, computed most significant bit first, from zero, with no output XOR.
    ///
    /// This is *not* the OSS value, despite the header name `x-oss-hash-crc64ecma`: OSS uses ``xz``.
    /// Check value: `0x6c40df5f0b497347`.
    public static let ecma182 = CRC64Model(_preset: 2, 0x42f0_e1eb_a9ea_3693, 0, false, 0, empty: 0)

    /// CRC-64/GO-ISO: Go's `crc64.MakeTable(crc64.ISO)`. Polynomial `0x1b`, reflected, initial value and output XOR
    /// all ones. Check value: `0xb90956c775a41001`.
    public static let goISO = CRC64Model(_preset: 3, 0x0000_0000_0000_001b, ~0, true, ~0, empty: 0)

    /// CRC-64/WE: polynomial `0x42f0e1eba9ea3693`, not reflected, initial value and output XOR all ones.
    /// Check value: `0x62ec59e3f1a4f00a`.
    public static let we = CRC64Model(_preset: 4, 0x42f0_e1eb_a9ea_3693, ~0, false, ~0, empty: 0)

    /// CRC-64/MS: polynomial `0x259c84cba6426349`, reflected, initial value all ones, no output XOR.
    /// Check value: `0x75d4b74f024eceea`.
    public static let ms = CRC64Model(_preset: 5, 0x259c_84cb_a642_6349, ~0, true, 0, empty: ~0)

    /// CRC-64/REDIS: the CRC of Redis `DUMP` payloads. Polynomial `0xad93d23594c935a9`, reflected, initial value
    /// zero, no output XOR. Check value: `0xe9c6d914c4b8d9ca`.
    public static let redis = CRC64Model(_preset: 6, 0xad93_d235_94c9_35a9, 0, true, 0, empty: 0)

    /// The seven catalogue models, in the order of the C enumeration `crc64_preset`:
    /// ``xz``, ``nvme``, ``ecma182``, ``goISO``, ``we``, ``ms``, ``redis``.
    public static let presets: [CRC64Model] = [.xz, .nvme, .ecma182, .goISO, .we, .ms, .redis]

    /// Looks a catalogue model up by name, ignoring case.
    ///
    /// Accepts the catalogue name (`"CRC-64/XZ"`) or the part after `CRC-64/` (`"xz"`) of every preset, and the
    /// alias GO-ECMA: `"xz"`, `"go-ecma"`, `"nvme"`, `"ecma-182"`, `"go-iso"`, `"we"`, `"ms"`, `"redis"`.
    ///
    /// - Returns: The model, or `nil` if no catalogue model has that name.
    public static func named(_ name: String) -> CRC64Model? {
        var key = name.lowercased()
        if key.hasPrefix("crc-64/") { key.removeFirst(7) }
        switch key {
        case "xz", "go-ecma": return .xz
        case "nvme": return .nvme
        case "ecma-182": return .ecma182
        case "go-iso": return .goISO
        case "we": return .we
        case "ms": return .ms
        case "redis": return .redis
        default: return nil
        }
    }

    // MARK: Creating a model

    /// Creates a model from its catalogue parameters (width 64, `refin == refout`).
    ///
    /// Any 64-bit polynomial works, including even ones (without an x⁰ term). Parameters equal to a catalogue
    /// model's share that preset's tables and allocate nothing; others build their tables here, about 113 KiB,
    /// freed with the last copy of the model.
    ///
    /// - Parameters:
    ///   - polynomial: The generator without its x⁶⁴ term, most significant bit first (the catalogue's `poly`).
    ///   - initialValue: The register before the first bit, as the catalogue states it (`init`, unreflected).
    ///   - reflected: Whether bytes enter least significant bit first and the result is reflected
    ///     (`refin = refout`).
    ///   - xorOutput: XORed into the final register (`xorout`).
    ///   - name: A name for ``description``. When `nil`, the catalogue name if the parameters are a catalogue
    ///     model's, otherwise `"custom"`.
    public init(polynomial: UInt64, initialValue: UInt64, reflected: Bool, xorOutput: UInt64, name: String? = nil) {
        let preset = Self.presetIndex(polynomial, initialValue, reflected, xorOutput)
        _polynomial = polynomial
        _initialValue = initialValue
        _xorOutput = xorOutput
        _reflected = reflected
        _empty = crc64_params_empty(
            crc64_params(poly: polynomial, init: initialValue, xorout: xorOutput, reflected: reflected))
        if let preset {
            _preset = UInt8(preset)
            _cModel = 0
            let defaultName = Self.defaultName(preset: preset)
            _extra = name == nil || name == defaultName ? nil : _CRC64ModelExtra(name: name!, owner: nil)
        } else {
            _preset = Self._noPreset
            let params = crc64_params(poly: polynomial, init: initialValue, xorout: xorOutput, reflected: reflected)
            let owner = CModelOwner(params)
            _cModel = UInt(bitPattern: owner.pointer)
            _extra = _CRC64ModelExtra(name: name ?? Self.defaultName(preset: nil), owner: owner)
        }
    }

    // MARK: Parameters

    /// The model's name, e.g. `"CRC-64/XZ"`. Setting it changes only the name (and so equality), not the CRC.
    public var name: String {
        get { _extra?.name ?? Self.defaultName(preset: presetIndex) }
        set {
            if presetIndex != nil && newValue == Self.defaultName(preset: presetIndex) {
                _extra = nil
            } else {
                _extra = _CRC64ModelExtra(name: newValue, owner: _extra?.owner)
            }
        }
    }

    /// The generator polynomial without its x⁶⁴ term, most significant bit = x⁶³ (the catalogue's `poly`).
    ///
    /// Setting a parameter builds a new model as ``init(polynomial:initialValue:reflected:xorOutput:name:)`` does,
    /// so prefer the initializer when changing several. A name that was the default for the old parameters becomes
    /// the default for the new ones; a name you chose is kept.
    public var polynomial: UInt64 {
        get { _polynomial }
        set { rebuild(newValue, _initialValue, _reflected, _xorOutput) }
    }

    /// The register before the first bit, as the catalogue states it (`init`, unreflected).
    /// Setting it builds a new model (see ``polynomial``).
    public var initialValue: UInt64 {
        get { _initialValue }
        set { rebuild(_polynomial, newValue, _reflected, _xorOutput) }
    }

    /// Whether the model is reflected (`refin = refout = true`): bytes enter least significant bit first.
    /// Setting it builds a new model (see ``polynomial``).
    public var reflected: Bool {
        get { _reflected }
        set { rebuild(_polynomial, _initialValue, newValue, _xorOutput) }
    }

    /// The value XORed into the final register (`xorout`). Setting it builds a new model (see ``polynomial``).
    public var xorOutput: UInt64 {
        get { _xorOutput }
        set { rebuild(_polynomial, _initialValue, _reflected, newValue) }
    }

    /// The CRC of zero bytes: the value a computation starts from, and what ``checksum(_:)-(UnsafeRawBufferPointer)``
    /// returns for an empty buffer. `0` for CRC-64/XZ and CRC-64/NVME.
    public var emptyValue: UInt64 { _empty }

    /// The catalogue check value, the CRC of the nine ASCII bytes `"123456789"`, when the parameters are those of a
    /// catalogue model; `nil` for other parameters.
    public var catalogueCheck: UInt64? {
        guard let index = presetIndex else { return nil }
        return crc64_preset_check(crc64_preset(rawValue: index))
    }

    /// The parameters in the form of a CRC catalogue entry, e.g.
    /// `width=64 poly=0x42f0e1eba9ea3693 init=0xffffffffffffffff refin=true refout=true xorout=0xffffffffffffffff check=0x995dc9bbdf1939fa name="CRC-64/XZ"`.
    public var description: String {
        let check = catalogueCheck ?? checksum(Array("123456789".utf8))
        return "width=64 poly=\(Self.hex(_polynomial)) init=\(Self.hex(_initialValue)) refin=\(_reflected) "
            + "refout=\(_reflected) xorout=\(Self.hex(_xorOutput)) check=\(Self.hex(check)) name=\"\(name)\""
    }

    /// Whether two models have the same parameters and the same ``name``.
    public static func == (lhs: CRC64Model, rhs: CRC64Model) -> Bool {
        lhs._polynomial == rhs._polynomial && lhs._initialValue == rhs._initialValue
            && lhs._reflected == rhs._reflected && lhs._xorOutput == rhs._xorOutput && lhs.name == rhs.name
    }

    /// Hashes the parameters and the ``name``, consistently with ``==(_:_:)``.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(_polynomial)
        hasher.combine(_initialValue)
        hasher.combine(_reflected)
        hasher.combine(_xorOutput)
        hasher.combine(name)
    }

    // MARK: Computing

    /// The CRC of the bytes in `buffer`.
    ///
    /// This is one call into the C core: no allocation, no copy. Use ``CRC64`` to hash data that arrives in pieces.
    @inlinable
    public func checksum(_ buffer: UnsafeRawBufferPointer) -> UInt64 {
        // Fields, not a nested method call: that would copy `self` (see `_update`).
        if _cModel == 0 { return Self._update(_preset, 0, nil, _empty, buffer.baseAddress, buffer.count) }
        return Self._update(_preset, _cModel, _extra, _empty, buffer.baseAddress, buffer.count)
    }

    /// The CRC of an array of bytes: the array's storage goes straight to the C core, in one call.
    @inlinable
    public func checksum(_ bytes: [UInt8]) -> UInt64 {
        if _cModel == 0 { return Self._update(_preset, 0, nil, _empty, bytes) }
        return Self._update(_preset, _cModel, _extra, _empty, bytes)
    }

    /// The CRC of any sequence of bytes: `Data`, `ArraySlice<UInt8>`, `String.UTF8View`, `ByteBuffer`-like views...
    ///
    /// A sequence with contiguous storage (`withContiguousStorageIfAvailable`) is hashed in place in one call.
    /// Any other sequence is copied through a 512-byte stack buffer, so nothing is allocated either way.
    @inlinable
    public func checksum(_ bytes: some Sequence<UInt8>) -> UInt64 {
        _update(emptyValue, bytes)
    }

    /// The CRC of the bytes in a `RawSpan`. Pass `array.span.bytes`, `data.bytes` or any other raw span.
    @available(macOS 10.14.4, iOS 12.2, watchOS 5.2, tvOS 12.2, visionOS 1.0, *)
    public func checksum(_ span: RawSpan) -> UInt64 {
        span.withUnsafeBytes { checksum($0) }
    }

    // MARK: Combining

    /// The CRC of `A` followed by `B`, from `first` = CRC(A), `second` = CRC(B) and the length of `B`; no data needed.
    ///
    /// This is how a multipart object's value follows from its parts' values (see ``combine(parts:)``). It takes
    /// O(log `secondLength`) carry-less multiplications. `secondLength == 0` returns `first` when
    /// `second == emptyValue`.
    public func combine(_ first: UInt64, _ second: UInt64, secondLength: UInt64) -> UInt64 {
        withModel { crc64_combine($0, first, second, secondLength) }
    }

    /// The CRC of the concatenation of `parts`, in order, from their values and lengths alone.
    ///
    /// This is the value OSS returns from CompleteMultipartUpload: pass each uploaded part's
    /// `x-oss-hash-crc64ecma` value and size, in part-number order. No parts give ``emptyValue``.
    public func combine(parts: some Sequence<CRC64Part>) -> UInt64 {
        withModel { model in
            var crc = _empty
            for part in parts { crc = crc64_combine(model, crc, part.value, part.length) }
            return crc
        }
    }

    /// The CRC after appending `zeroBytes` zero bytes to a message whose CRC is `value`, in O(log `zeroBytes`).
    public func extend(_ value: UInt64, zeroBytes: UInt64) -> UInt64 {
        withModel { crc64_extend_zeros($0, value, zeroBytes) }
    }

    /// A combine operation for second parts of one fixed length, prepared once and applied in constant time.
    ///
    /// Use it for the many equal-sized parts of a multipart upload; ``CRC64Combiner/combine(_:_:)`` gives the same
    /// result as ``combine(_:_:secondLength:)`` with this `secondLength`.
    public func combiner(secondLength: UInt64) -> CRC64Combiner {
        let multiplier = withModel { crc64_combiner_make($0, secondLength).multiplier }
        return CRC64Combiner(model: self, secondLength: secondLength, multiplier: multiplier)
    }

    // MARK: Internals

    // The hot paths are inlined into the caller down to one call that takes the fields of the model rather than
    // the model, so that using `CRC64Model.xz` in place copies nothing and counts no references. A custom model
    // passes `owner` (`_extra`, the owner of its C tables) as a borrowed argument, which keeps the tables alive
    // across the call even when the model is a temporary; a preset has nothing to keep alive. The public entry
    // points read the fields themselves: calling one inlinable method from another makes the optimizer copy
    // `self` (a retain and release of `_extra`) when `self` is a global such as `CRC64Model.xz`.

    /// Continues the final value `crc` over `buffer`.
    @inlinable
    internal func _update(_ crc: UInt64, _ buffer: UnsafeRawBufferPointer) -> UInt64 {
        if _cModel == 0 { return Self._update(_preset, 0, nil, crc, buffer.baseAddress, buffer.count) }
        return Self._update(_preset, _cModel, _extra, crc, buffer.baseAddress, buffer.count)
    }

    /// Continues the final value `crc` over an array's storage.
    @inlinable
    internal func _update(_ crc: UInt64, _ bytes: [UInt8]) -> UInt64 {
        if _cModel == 0 { return Self._update(_preset, 0, nil, crc, bytes) }
        return Self._update(_preset, _cModel, _extra, crc, bytes)
    }

    /// `crc64_update` for the model given by its trivial fields. CRC-64/XZ and CRC-64/NVME go through the C core's
    /// drop-in functions, which reach their preset with one call less.
    @usableFromInline @_effects(releasenone)
    internal static func _update(
        _ preset: UInt8, _ cModel: UInt, _ owner: _CRC64ModelExtra?, _ crc: UInt64, _ base: UnsafeRawPointer?,
        _ count: Int
    ) -> UInt64 {
        switch preset {
        case 0: return crc64_xz(crc, base, count)
        case 1: return crc64_nvme(crc, base, count)
        default: return _updateOtherModel(preset, cModel, owner, crc, base, count)
        }
    }

    /// `_update` for the other presets and custom models, out of line: what they need (a custom model's lifetime, a
    /// stack frame) then stays off the path of the two most used presets, which is a compare and a tail call.
    @inline(never) @_effects(releasenone)
    internal static func _updateOtherModel(
        _ preset: UInt8, _ cModel: UInt, _ owner: _CRC64ModelExtra?, _ crc: UInt64, _ base: UnsafeRawPointer?,
        _ count: Int
    ) -> UInt64 {
        if preset == _noPreset {
            // `owner` holds the custom model's tables: keep it alive across the call.
            return withExtendedLifetime(owner) { crc64_update(OpaquePointer(bitPattern: cModel)!, crc, base, count) }
        }
        return crc64_update(crc64_preset_model(crc64_preset(rawValue: UInt32(preset)))!, crc, base, count)
    }

    /// `_update` over an array's storage.
    @usableFromInline @_effects(releasenone)
    internal static func _update(
        _ preset: UInt8, _ cModel: UInt, _ owner: _CRC64ModelExtra?, _ crc: UInt64, _ bytes: [UInt8]
    ) -> UInt64 {
        bytes.withUnsafeBytes { _update(preset, cModel, owner, crc, $0.baseAddress, $0.count) }
    }

    /// Continues the final value `crc` over `bytes`, in place if they are contiguous, else through a stack buffer.
    @inlinable
    internal func _update(_ crc: UInt64, _ bytes: some Sequence<UInt8>) -> UInt64 {
        var count: UInt64 = 0
        return _update(crc, bytes, count: &count)
    }

    /// Continues the final value `crc` over `bytes` and adds their number to `count`.
    @inlinable
    internal func _update(_ crc: UInt64, _ bytes: some Sequence<UInt8>, count: inout UInt64) -> UInt64 {
        if let result = bytes.withContiguousStorageIfAvailable({ buffer in
            count &+= UInt64(buffer.count)
            return _update(crc, UnsafeRawBufferPointer(buffer))
        }) {
            return result
        }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 512) { chunk in
            var crc = crc
            var filled = 0
            for byte in bytes {
                chunk[filled] = byte
                filled += 1
                if filled == chunk.count {
                    crc = _update(crc, UnsafeRawBufferPointer(chunk))
                    count &+= UInt64(filled)
                    filled = 0
                }
            }
            count &+= UInt64(filled)
            return _update(crc, UnsafeRawBufferPointer(UnsafeMutableBufferPointer(rebasing: chunk[..<filled])))
        }
    }

    /// Calls `body` with the C model, which stays alive at least as long as `self`.
    /// (Internal: for the other files of this module that call the C core directly.)
    @inline(__always)
    internal func withModel<R>(_ body: (OpaquePointer) throws -> R) rethrows -> R {
        if let custom = OpaquePointer(bitPattern: _cModel) {
            return try withExtendedLifetime(_extra) { try body(custom) }
        }
        return try body(crc64_preset_model(crc64_preset(rawValue: UInt32(_preset)))!)
    }

    /// The `crc64_preset` value of catalogue parameters, nil for custom ones.
    private var presetIndex: UInt32? { _preset == Self._noPreset ? nil : UInt32(_preset) }

    private mutating func rebuild(_ polynomial: UInt64, _ initialValue: UInt64, _ reflected: Bool, _ xorOutput: UInt64) {
        let oldDefault = Self.defaultName(preset: Self.presetIndex(_polynomial, _initialValue, _reflected, _xorOutput))
        let keepName = name != oldDefault
        self = CRC64Model(
            polynomial: polynomial, initialValue: initialValue, reflected: reflected, xorOutput: xorOutput,
            name: keepName ? name : nil)
    }

    private static func presetIndex(
        _ polynomial: UInt64, _ initialValue: UInt64, _ reflected: Bool, _ xorOutput: UInt64
    ) -> UInt32? {
        for (index, p) in presets.enumerated()
        where p._polynomial == polynomial && p._initialValue == initialValue && p._reflected == reflected
            && p._xorOutput == xorOutput
        {
            return UInt32(index)
        }
        return nil
    }

    private static func defaultName(preset: UInt32?) -> String {
        guard let preset else { return "custom" }
        return String(cString: crc64_preset_name(crc64_preset(rawValue: preset))!)
    }

    private static func hex(_ value: UInt64) -> String {
        "0x" + CRC64Digest(value).hex
    }
}

/// The part of a ``CRC64Model`` that needs reference counting: a name other than the catalogue name, and the owner
/// of a custom model's C tables. (Visible to inlined code only so that copying a model needs no runtime type
/// information; not API.)
@usableFromInline
internal final class _CRC64ModelExtra: Sendable {
    let name: String
    let owner: CModelOwner?

    init(name: String, owner: CModelOwner?) {
        self.name = name
        self.owner = owner
    }
}

/// Owns a model from `crc64_model_create`.
internal final class CModelOwner: @unchecked Sendable {  // immutable, and the C functions are thread-safe
    let pointer: OpaquePointer

    init(_ params: crc64_params) {
        guard let pointer = crc64_model_create(params) else { fatalError("CRC64Model: out of memory") }
        self.pointer = pointer
    }

    deinit { crc64_model_free(pointer) }
}
