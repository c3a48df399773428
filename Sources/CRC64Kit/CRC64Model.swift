internal import CCRC64

/// A 64-bit CRC, given by its parameters in the Rocksoft model used by CRC catalogues, and the functions that
/// compute it.
///
/// A model is an immutable value identified by its parameters: two models with the same parameters are equal and
/// hash alike. The seven catalogue models (``presets``) are an index into the C core's catalogue: declaring or
/// passing one costs nothing, and the C core builds its tables (about 113 KiB) the first time it computes with it,
/// once per process and without locks. A custom model
/// (``init(polynomial:initialValue:reflected:xorOutput:)``) builds its own tables when it is created and frees them
/// with its last copy; create it once and reuse it.
///
/// Every value that goes in or comes out is a *final* CRC, exactly as a catalogue prints it or a server sends it.
/// The CRC of nothing is ``emptyValue``.
///
/// ```swift
/// let crc = CRC64Model.xz.checksum(Array("123456789".utf8))
/// // 0x995dc9bbdf1939fa: the Alibaba OSS x-oss-hash-crc64ecma value, sent as the decimal 11051210869376104954
///
/// // zlib style: continue from the previous value, as `crc = crc64(crc, buf, len)` does
/// var running = CRC64Model.xz.emptyValue
/// running = CRC64Model.xz.checksum(pointer, count: count, continuing: running)
/// ```
public struct CRC64Model: Sendable, Hashable, CustomStringConvertible {
    // A catalogue model is its index in the C catalogue and nothing else, so that `CRC64Model.xz` is a constant
    // the caller's code builds in place: no global to initialise, no reference to count. A custom model adds the
    // owner of its C tables. The hot paths are inlined into the caller down to one call that takes these two
    // fields (see `_update`). Internal, not API: visible to inlined code for that reason only.
    /// The `libcrc64_preset` value of catalogue parameters; `_custom` for others.
    @usableFromInline internal let _preset: UInt8
    /// The C model of custom parameters, and its parameters; nil for catalogue parameters.
    @usableFromInline internal let _owner: _CRC64CustomModel?

    @usableFromInline internal static var _custom: UInt8 { 0xff }

    @inlinable
    internal init(_preset preset: UInt8) {
        _preset = preset
        _owner = nil
    }

    // MARK: Catalogue models

    // The indices below are the C enumeration `libcrc64_preset`; `presetIndicesMatchTheCCatalogue` (tests) checks
    // them, and every parameter comes from the C catalogue.

    /// CRC-64/XZ: the `x-oss-hash-crc64ecma` value of Alibaba Cloud OSS, and the CRC-64 of xz, Go's
    /// `crc64.MakeTable(crc64.ECMA)` and ISA-L's `crc64_ecma_refl`.
    ///
    /// Polynomial `0x42f0e1eba9ea3693`, reflected, initial value and output XOR all ones.
    /// Check value (CRC of `"123456789"`): `0x995dc9bbdf1939fa`.
    @inlinable public static var xz: CRC64Model { CRC64Model(_preset: 0) }

    /// An alias of ``xz``: the same model, named "CRC-64/XZ".
    ///
    /// The catalogue lists CRC-64/GO-ECMA as another name for CRC-64/XZ (Go's `crc64.ECMA` table with its
    /// complemented register). Because the two are one model, `CRC64Model.goECMA == CRC64Model.xz`.
    @inlinable public static var goECMA: CRC64Model { xz }

    /// CRC-64/NVME: the `x-amz-checksum-crc64nvme` value of Amazon S3 (sent base64-encoded, see
    /// ``CRC64Digest/base64``), and the NVMe end-to-end data protection CRC.
    ///
    /// Polynomial `0xad93d23594c93659`, reflected, initial value and output XOR all ones.
    /// Check value: `0xae8b14860a799888`.
    @inlinable public static var nvme: CRC64Model { CRC64Model(_preset: 1) }

    /// CRC-64/ECMA-182: the polynomial of ECMA-182, computed most significant bit first, from zero, with no output
    /// XOR.
    ///
    /// This is *not* the OSS value, despite the header name `x-oss-hash-crc64ecma`: OSS uses ``xz``.
    /// Check value: `0x6c40df5f0b497347`.
    @inlinable public static var ecma182: CRC64Model { CRC64Model(_preset: 2) }

    /// CRC-64/GO-ISO: Go's `crc64.MakeTable(crc64.ISO)`. Polynomial `0x1b`, reflected, initial value and output XOR
    /// all ones. Check value: `0xb90956c775a41001`.
    @inlinable public static var goISO: CRC64Model { CRC64Model(_preset: 3) }

    /// CRC-64/WE: polynomial `0x42f0e1eba9ea3693`, not reflected, initial value and output XOR all ones.
    /// Check value: `0x62ec59e3f1a4f00a`.
    @inlinable public static var we: CRC64Model { CRC64Model(_preset: 4) }

    /// CRC-64/MS: polynomial `0x259c84cba6426349`, reflected, initial value all ones, no output XOR.
    /// Check value: `0x75d4b74f024eceea`.
    @inlinable public static var ms: CRC64Model { CRC64Model(_preset: 5) }

    /// CRC-64/REDIS: the CRC of Redis `DUMP` payloads. Polynomial `0xad93d23594c935a9`, reflected, initial value
    /// zero, no output XOR. Check value: `0xe9c6d914c4b8d9ca`.
    @inlinable public static var redis: CRC64Model { CRC64Model(_preset: 6) }

    /// The seven catalogue models, in the order of the C enumeration `libcrc64_preset`:
    /// ``xz``, ``nvme``, ``ecma182``, ``goISO``, ``we``, ``ms``, ``redis``.
    public static var presets: [CRC64Model] {
        (0..<LIBCRC64_PRESET_COUNT).map { CRC64Model(_preset: UInt8($0)) }
    }

    /// Looks a catalogue model up by name, ignoring case.
    ///
    /// Accepts the catalogue name (`"CRC-64/XZ"`) or the part after `CRC-64/` (`"xz"`) of every preset, and the
    /// alias GO-ECMA: `"xz"`, `"go-ecma"`, `"nvme"`, `"ecma-182"`, `"go-iso"`, `"we"`, `"ms"`, `"redis"`.
    ///
    /// - Returns: The model, or `nil` if no catalogue model has that name.
    public static func named(_ name: String) -> CRC64Model? {
        var key = name.lowercased()
        if key.hasPrefix("crc-64/") { key.removeFirst(7) }
        if key == "go-ecma" { return .xz }
        return presets.first { $0.name!.lowercased() == "crc-64/" + key }
    }

    // MARK: Creating a model

    /// Creates a model from its catalogue parameters (width 64, `refin == refout`).
    ///
    /// Any 64-bit polynomial works, including even ones (without an x⁰ term). Parameters equal to a catalogue
    /// model's give that model, which allocates nothing; others build their tables here, about 113 KiB, freed with
    /// the last copy of the model.
    ///
    /// - Parameters:
    ///   - polynomial: The generator without its x⁶⁴ term, most significant bit first (the catalogue's `poly`).
    ///   - initialValue: The register before the first bit, as the catalogue states it (`init`, unreflected).
    ///   - reflected: Whether bytes enter least significant bit first and the result is reflected
    ///     (`refin = refout`).
    ///   - xorOutput: XORed into the final register (`xorout`).
    public init(polynomial: UInt64, initialValue: UInt64, reflected: Bool, xorOutput: UInt64) {
        let params = libcrc64_params(
            poly: polynomial, init: initialValue, xorout: xorOutput, reflected: reflected ? 1 : 0)
        if let preset = Self.presets.first(where: { Self.same($0.parameters, params) }) {
            self = preset
        } else {
            _preset = Self._custom
            _owner = _CRC64CustomModel(params)
        }
    }

    // MARK: Parameters

    /// The catalogue name, e.g. `"CRC-64/XZ"`, when the parameters are a catalogue model's; `nil` for others.
    ///
    /// A model is identified by its parameters alone: the name is derived from them.
    public var name: String? {
        guard let preset = presetIndex else { return nil }
        return String(cString: libcrc64_preset_name(preset)!)
    }

    /// The generator polynomial without its x⁶⁴ term, most significant bit = x⁶³ (the catalogue's `poly`).
    public var polynomial: UInt64 { parameters.poly }

    /// The register before the first bit, as the catalogue states it (`init`, unreflected).
    public var initialValue: UInt64 { parameters.`init` }

    /// Whether the model is reflected (`refin = refout = true`): bytes enter least significant bit first.
    public var reflected: Bool { parameters.reflected != 0 }

    /// The value XORed into the final register (`xorout`).
    public var xorOutput: UInt64 { parameters.xorout }

    /// The CRC of zero bytes: the value a computation starts from, and what ``checksum(_:)-(UnsafeRawBufferPointer)``
    /// returns for an empty buffer. `0` for CRC-64/XZ and CRC-64/NVME.
    public var emptyValue: UInt64 { libcrc64_params_empty(parameters) }

    /// The catalogue check value, the CRC of the nine ASCII bytes `"123456789"`, when the parameters are those of a
    /// catalogue model; `nil` for other parameters.
    public var catalogueCheck: UInt64? {
        presetIndex.map { libcrc64_preset_check($0) }
    }

    /// The parameters in the form of a CRC catalogue entry, e.g.
    /// `width=64 poly=0x42f0e1eba9ea3693 init=0xffffffffffffffff refin=true refout=true xorout=0xffffffffffffffff check=0x995dc9bbdf1939fa name="CRC-64/XZ"`.
    /// A custom model has no `name` field.
    public var description: String {
        let p = parameters
        let check = catalogueCheck ?? checksum(Array("123456789".utf8))
        let hex = { (value: UInt64) in "0x" + CRC64Digest(value).hex }
        return "width=64 poly=\(hex(p.poly)) init=\(hex(p.`init`)) refin=\(reflected) refout=\(reflected) "
            + "xorout=\(hex(p.xorout)) check=\(hex(check))" + (name.map { " name=\"\($0)\"" } ?? "")
    }

    /// Whether two models have the same parameters.
    public static func == (lhs: CRC64Model, rhs: CRC64Model) -> Bool {
        // Catalogue parameters always give the catalogue model, so the index decides unless both are custom.
        lhs._preset == rhs._preset && (lhs._preset != _custom || same(lhs.parameters, rhs.parameters))
    }

    /// Hashes the parameters, consistently with ``==(_:_:)``.
    public func hash(into hasher: inout Hasher) {
        let p = parameters
        hasher.combine(p.poly)
        hasher.combine(p.`init`)
        hasher.combine(p.reflected != 0)
        hasher.combine(p.xorout)
    }

    // MARK: Computing

    /// The CRC of the bytes in `buffer`.
    ///
    /// This is one call into the C core: no allocation, no copy. Use ``CRC64Hasher`` to hash data that arrives in
    /// pieces, or ``checksum(_:continuing:)-(UnsafeRawBufferPointer,_)`` to continue a value zlib style.
    @inlinable
    public func checksum(_ buffer: UnsafeRawBufferPointer) -> UInt64 {
        Self._checksum(_preset, _owner, buffer.baseAddress, buffer.count)
    }

    /// The CRC of `count` bytes at `pointer` (which may be `nil` when `count` is 0).
    ///
    /// - Precondition: `count >= 0`; a negative count stops the program, as `UnsafeRawBufferPointer(start:count:)`
    ///   does.
    @inlinable
    public func checksum(_ pointer: UnsafeRawPointer?, count: Int) -> UInt64 {
        precondition(count >= 0, "CRC64Model.checksum: negative count")
        return Self._checksum(_preset, _owner, pointer, count)
    }

    /// The CRC of an array of bytes: the array's storage goes straight to the C core, in one call.
    @inlinable
    public func checksum(_ bytes: [UInt8]) -> UInt64 {
        bytes.withUnsafeBytes { Self._checksum(_preset, _owner, $0.baseAddress, $0.count) }
    }

    /// The CRC of any sequence of bytes: `Data`, `ArraySlice<UInt8>`, `String.UTF8View`, `ByteBuffer`-like views...
    ///
    /// A sequence with contiguous storage (`withContiguousStorageIfAvailable`) is hashed in place in one call.
    /// Any other sequence is copied through a 512-byte stack buffer, so nothing is allocated either way.
    @inlinable
    public func checksum(_ bytes: some Sequence<UInt8>) -> UInt64 {
        if let crc = bytes.withContiguousStorageIfAvailable({
            Self._checksum(_preset, _owner, $0.baseAddress, $0.count)
        }) {
            return crc
        }
        var count: UInt64 = 0
        return _updateCopying(emptyValue, bytes, count: &count)
    }

    #if compiler(>=6.2)
    /// The CRC of the bytes in a `RawSpan`. Pass `array.span.bytes`, `data.bytes` or any other raw span.
    ///
    /// Swift 6.2 and later (`RawSpan` is new in 6.2), on the platform versions that have it.
    @available(macOS 10.14.4, iOS 12.2, watchOS 5.2, tvOS 12.2, visionOS 1.0, *)
    @inlinable
    public func checksum(_ span: RawSpan) -> UInt64 {
        span.withUnsafeBytes { checksum($0) }
    }
    #endif

    // MARK: Continuing a value (zlib style)

    /// Continues the CRC `crc` over the bytes in `buffer`: the CRC of a message whose CRC was `crc`, followed by
    /// these bytes.
    ///
    /// This is zlib's `crc = crc32(crc, buf, len)` and ISA-L's `crc64_ecma_refl(crc, buf, len)` in one call, with no
    /// hasher to keep: start from ``emptyValue`` (0 for CRC-64/XZ and CRC-64/NVME, as with zlib) and pass each
    /// result back. An empty buffer returns `crc` unchanged.
    @inlinable
    public func checksum(_ buffer: UnsafeRawBufferPointer, continuing crc: UInt64) -> UInt64 {
        Self._update(_preset, _owner, crc, buffer.baseAddress, buffer.count)
    }

    /// Continues the CRC `crc` over `count` bytes at `pointer`: `crc64(crc, buf, len)` in Swift.
    ///
    /// `count == 0` returns `crc` unchanged, with any `pointer`, including `nil`.
    ///
    /// - Precondition: `count >= 0`; a negative count stops the program (zlib's length is unsigned, so it has no
    ///   such case; a negative count is a bug in the caller, never a length).
    @inlinable
    public func checksum(_ pointer: UnsafeRawPointer?, count: Int, continuing crc: UInt64) -> UInt64 {
        precondition(count >= 0, "CRC64Model.checksum: negative count")
        return Self._update(_preset, _owner, crc, pointer, count)
    }

    /// Continues the CRC `crc` over an array of bytes (see ``checksum(_:continuing:)-(UnsafeRawBufferPointer,_)``).
    @inlinable
    public func checksum(_ bytes: [UInt8], continuing crc: UInt64) -> UInt64 {
        bytes.withUnsafeBytes { Self._update(_preset, _owner, crc, $0.baseAddress, $0.count) }
    }

    /// Continues the CRC `crc` over any sequence of bytes (see
    /// ``checksum(_:continuing:)-(UnsafeRawBufferPointer,_)``), in place when it has contiguous storage.
    @inlinable
    public func checksum(_ bytes: some Sequence<UInt8>, continuing crc: UInt64) -> UInt64 {
        var count: UInt64 = 0
        return _update(crc, bytes, count: &count)
    }

    #if compiler(>=6.2)
    /// Continues the CRC `crc` over the bytes of a `RawSpan` (Swift 6.2 and later).
    @available(macOS 10.14.4, iOS 12.2, watchOS 5.2, tvOS 12.2, visionOS 1.0, *)
    @inlinable
    public func checksum(_ span: RawSpan, continuing crc: UInt64) -> UInt64 {
        span.withUnsafeBytes { checksum($0, continuing: crc) }
    }
    #endif

    // MARK: Combining

    /// The CRC of `A` followed by `B`, from `first` = CRC(A), `second` = CRC(B) and the length of `B`; no data needed.
    ///
    /// This is how a multipart object's value follows from its parts' values (see ``combine(parts:)``), and zlib's
    /// `crc32_combine`. It takes O(log `secondLength`) carry-less multiplications.
    ///
    /// With `secondLength == 0` the result is `first`, whatever `second` is: `B` is empty, so `A` followed by `B` is
    /// `A`. Every CRC-64 combine does this (Redis, and the Alibaba Cloud OSS SDKs for C, Go, Java, Python and
    /// Swift), and so did zlib's `crc32_combine` up to 1.2.11. zlib 1.2.12 and later return `crc1 ^ crc2` instead,
    /// which is `first` only when `second` is the CRC of no bytes. The length is unsigned, so there is no negative
    /// case: a caller holding a signed length (`UInt(len2)` from a C `uintmax_t`, say) converts it first.
    @inlinable
    public func combine(_ first: UInt64, _ second: UInt64, secondLength: UInt64) -> UInt64 {
        Self._combine(_preset, _owner, first, second, secondLength)
    }

    /// The CRC of the concatenation of `parts`, in order, from their values and lengths alone.
    ///
    /// This is the value OSS returns from CompleteMultipartUpload: pass each uploaded part's
    /// `x-oss-hash-crc64ecma` value and size, in part-number order. No parts give ``emptyValue``, and a part of
    /// length 0 changes nothing, whatever its value (see ``combine(_:_:secondLength:)``).
    public func combine(parts: some Sequence<CRC64Part>) -> UInt64 {
        withModel { model in
            var crc = libcrc64_model_empty(model)
            for part in parts { crc = libcrc64_combine(model, crc, part.value, part.length) }
            return crc
        }
    }

    /// The CRC after appending `zeroBytes` zero bytes to a message whose CRC is `value`, in O(log `zeroBytes`).
    public func extend(_ value: UInt64, zeroBytes: UInt64) -> UInt64 {
        withModel { libcrc64_extend_zeros($0, value, zeroBytes) }
    }

    /// A combine operation for second parts of one fixed length, prepared once and applied in constant time.
    ///
    /// Use it for the many equal-sized parts of a multipart upload; ``CRC64Combiner/combine(_:_:)`` gives the same
    /// result as ``combine(_:_:secondLength:)`` with this `secondLength` (so `first` when it is 0).
    public func combiner(secondLength: UInt64) -> CRC64Combiner {
        let multiplier = withModel { libcrc64_combiner_make($0, secondLength).multiplier }
        return CRC64Combiner(model: self, secondLength: secondLength, multiplier: multiplier)
    }

    // MARK: Kernels

    /// The name of the kernel that computes CRCs in this process, e.g. `"avx512"`, `"pclmul"`, `"slice16"`.
    ///
    /// Chosen once from the CPU's features; the environment variable `CRC64_KERNEL=<name>` forces a lower one.
    public static var activeKernel: String {
        String(cString: libcrc64_active_kernel())
    }

    /// Every kernel compiled into the library, best first, and whether this process may use it.
    public static var kernels: [(name: String, supported: Bool)] {
        (0..<libcrc64_kernel_count()).map {
            (String(cString: libcrc64_kernel_name($0)!), libcrc64_kernel_supported($0) != 0)
        }
    }

    // MARK: Internals

    // The hot paths are inlined into the caller down to one call that takes the model's two fields rather than the
    // model. A custom model passes `owner` as a borrowed argument, which keeps its tables alive across the call even
    // when the model is a temporary; a preset has nothing to keep alive. CRC-64/XZ and CRC-64/NVME then reach the
    // C core's drop-in functions with a compare and a tail call: no stack frame, no reference counting.

    /// `libcrc64_update` from the final value `crc`.
    @usableFromInline @_effects(releasenone)
    internal static func _update(
        _ preset: UInt8, _ owner: _CRC64CustomModel?, _ crc: UInt64, _ base: UnsafeRawPointer?, _ count: Int
    ) -> UInt64 {
        switch preset {
        case 0: return libcrc64_xz(crc, base, count)
        case 1: return libcrc64_nvme(crc, base, count)
        default: return _updateOtherModel(preset, owner, crc, base, count)
        }
    }

    /// The CRC of the bytes: `_update` from the model's empty value. The drop-in functions start from 0, which is
    /// the empty value of the two presets they serve (the C header's convention). A function of its own, not an
    /// optional `crc` on `_update`: the optional cost 0.3 ns a call (16 B one-shot: 1.17x -> 1.25x the C call).
    @usableFromInline @_effects(releasenone)
    internal static func _checksum(
        _ preset: UInt8, _ owner: _CRC64CustomModel?, _ base: UnsafeRawPointer?, _ count: Int
    ) -> UInt64 {
        switch preset {
        case 0: return libcrc64_xz(0, base, count)
        case 1: return libcrc64_nvme(0, base, count)
        default: return _updateOtherModel(preset, owner, nil, base, count)
        }
    }

    /// `_update` for the other presets and custom models, out of line: what they need (a custom model's lifetime, a
    /// stack frame) then stays off the path of the two most used presets. A nil `crc` starts from the empty value.
    @inline(never) @_effects(releasenone)
    internal static func _updateOtherModel(
        _ preset: UInt8, _ owner: _CRC64CustomModel?, _ crc: UInt64?, _ base: UnsafeRawPointer?, _ count: Int
    ) -> UInt64 {
        withCModel(preset, owner) { libcrc64_update($0, crc ?? libcrc64_model_empty($0), base, count) }
    }

    /// `libcrc64_combine`; the drop-in functions serve CRC-64/XZ and CRC-64/NVME with a tail call.
    @usableFromInline @_effects(releasenone)
    internal static func _combine(
        _ preset: UInt8, _ owner: _CRC64CustomModel?, _ first: UInt64, _ second: UInt64, _ secondLength: UInt64
    ) -> UInt64 {
        switch preset {
        case 0: return libcrc64_xz_combine(first, second, secondLength)
        case 1: return libcrc64_nvme_combine(first, second, secondLength)
        default: return _combineOtherModel(preset, owner, first, second, secondLength)
        }
    }

    /// `_combine` for the other models, out of line for the same reason as `_updateOtherModel`.
    @inline(never) @_effects(releasenone)
    internal static func _combineOtherModel(
        _ preset: UInt8, _ owner: _CRC64CustomModel?, _ first: UInt64, _ second: UInt64, _ secondLength: UInt64
    ) -> UInt64 {
        withCModel(preset, owner) { libcrc64_combine($0, first, second, secondLength) }
    }

    /// Continues the final value `crc` over `bytes` and adds their number to `count`, in place if they are
    /// contiguous, else through a stack buffer.
    @inlinable
    internal func _update(_ crc: UInt64, _ bytes: some Sequence<UInt8>, count: inout UInt64) -> UInt64 {
        if let result = bytes.withContiguousStorageIfAvailable({ buffer in
            count &+= UInt64(buffer.count)
            return Self._update(_preset, _owner, crc, buffer.baseAddress, buffer.count)
        }) {
            return result
        }
        return _updateCopying(crc, bytes, count: &count)
    }

    /// `_update` for a sequence without contiguous storage: copied through a 512-byte stack buffer.
    @inlinable
    internal func _updateCopying(_ crc: UInt64, _ bytes: some Sequence<UInt8>, count: inout UInt64) -> UInt64 {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 512) { chunk in
            var crc = crc
            var filled = 0
            for byte in bytes {
                chunk[filled] = byte
                filled += 1
                if filled == chunk.count {
                    crc = Self._update(_preset, _owner, crc, chunk.baseAddress, filled)
                    count &+= UInt64(filled)
                    filled = 0
                }
            }
            count &+= UInt64(filled)
            return Self._update(_preset, _owner, crc, chunk.baseAddress, filled)
        }
    }

    /// Calls `body` with the C model, which stays alive during the call.
    @inline(__always)
    private static func withCModel<R>(_ preset: UInt8, _ owner: _CRC64CustomModel?, _ body: (OpaquePointer) -> R) -> R
    {
        if let owner { return withExtendedLifetime(owner) { body(owner.pointer) } }
        return body(libcrc64_preset_model(libcrc64_preset(rawValue: UInt32(preset)))!)
    }

    /// Calls `body` with the C model, which stays alive at least as long as `self`.
    internal func withModel<R>(_ body: (OpaquePointer) -> R) -> R {
        Self.withCModel(_preset, _owner, body)
    }

    /// The `libcrc64_preset` value of catalogue parameters, nil for custom ones.
    private var presetIndex: libcrc64_preset? { _owner == nil ? libcrc64_preset(rawValue: UInt32(_preset)) : nil }

    private static func same(_ a: libcrc64_params, _ b: libcrc64_params) -> Bool {
        a.poly == b.poly && a.`init` == b.`init` && a.xorout == b.xorout && (a.reflected != 0) == (b.reflected != 0)
    }

    /// The parameters, from the C catalogue or the custom model.
    internal var parameters: libcrc64_params {
        if let _owner { return _owner.parameters }
        return libcrc64_preset_params(libcrc64_preset(rawValue: UInt32(_preset)))
    }
}


/// Owns the C model of custom parameters. (Visible to inlined code only so that copying a model needs no runtime
/// type information; not API.)
@usableFromInline
internal final class _CRC64CustomModel: @unchecked Sendable {  // immutable, and the C functions are thread-safe
    let pointer: OpaquePointer
    let parameters: libcrc64_params

    init(_ parameters: libcrc64_params) {
        guard let pointer = libcrc64_model_create(parameters) else { fatalError("CRC64Model: out of memory") }
        self.pointer = pointer
        self.parameters = parameters
    }

    deinit { libcrc64_model_free(pointer) }
}
