// What library, machine, compilers and peers a run has: the library's own lists (kernels, presets) through its C
// ABI, the CPU as the OS describes it, and the peers loaded at run time.

#if !os(Windows)
import CCRC64
import CRC64Kit
import CRCBenchSupport
import Foundation

/// The library's kernel table, in its ranking.
enum Kernels {
    struct Info: Encodable {
        var index: Int
        var name: String
        var supported: Bool
    }

    static let all = (0..<libcrc64_kernel_count()).map { i in
        Info(index: i, name: String(cString: libcrc64_kernel_name(i)), supported: libcrc64_kernel_supported(i) != 0)
    }
    static var names: [String] { all.map(\.name) }
    static var active: String { String(cString: libcrc64_active_kernel()) }
}

/// The library's preset models (libcrc64_preset_model 0..<LIBCRC64_PRESET_COUNT).
enum Presets {
    static let count = Int(LIBCRC64_PRESET_COUNT)
    static let xz = Int(LIBCRC64_PRESET_XZ.rawValue)

    static func model(_ i: Int) -> OpaquePointer { libcrc64_preset_model(libcrc64_preset(UInt32(i)))! }
    static func name(_ i: Int) -> String { String(cString: libcrc64_preset_name(libcrc64_preset(UInt32(i)))) }
    /// "xz" for CRC-64/XZ: what --models takes.
    static var shortNames: [String] { (0..<count).map { String(name($0).dropFirst("CRC-64/".count)).lowercased() } }

    /// The preset of an index (0-6) or a name that `CRC64Model.named` accepts ("xz", "CRC-64/XZ", "go-ecma", ...).
    static func index(of text: String) -> Int? {
        if let n = Int(text) { return (0..<count).contains(n) ? n : nil }
        return CRC64Model.named(text).flatMap { CRC64Model.presets.firstIndex(of: $0) }
    }
}

/// A peer: one function of another library, loaded with dlopen when the run starts. One that does not load is a
/// column saying "absent", not an error.
struct Peer {
    var library: String
    var symbol: String
    var header: String  // its column in the kernel tables
    var label: String  // its line in the plot's legend
    var about: String  // what it is
    var kind: cb_kind
    var color: String  // its line in the plot
    /// A variant with its own column, left out (not shown absent) when it is missing.
    var variant: Bool
    var function: UnsafeRawPointer?
    var absent: String?

    static let isalHint = "apt-get install libisal-dev"

    /// Every peer, loaded or saying why not. liblzma is xz's own CRC-64 (a table loop, or 128-bit CLMUL where the
    /// CPU has it): a peer of the portable kernel; zlib's crc32 is another CRC, a familiar yardstick.
    static func load() -> [Peer] {
        [
            ("libisal.so.2", "crc64_ecma_refl", "isal", "ISA-L, dispatched", CB_KIND_FN64, "#1f77b4", false),
            ("libisal.so.2", "crc64_ecma_refl_by8", "isal-by8", "ISA-L, 128-bit PCLMULQDQ", CB_KIND_FN64, "#17becf",
             true),
            ("libisal.so.2", "crc64_ecma_refl_base", "isal-base", "ISA-L, byte table", CB_KIND_FN64, "#9467bd", true),
            ("liblzma.so.5", "lzma_crc64", "lzma", "liblzma", CB_KIND_LZMA, "#bcbd22", false),
            ("libz.so.1", "crc32", "zlib-crc32", "zlib, CRC-32: a yardstick", CB_KIND_ZLIB, "#7f7f7f", false),
        ].map { library, symbol, header, about, kind, color, variant in
            var err = [CChar](repeating: 0, count: 512)
            let function = cb_dlsym(library, symbol, &err, err.count).map(UnsafeRawPointer.init)
            // the legend: "ISA-L crc64_ecma_refl", "liblzma lzma_crc64", "zlib crc32 (CRC-32)"
            let label = String(about.prefix { $0 != "," }) + " \(symbol)" + (kind == CB_KIND_ZLIB ? " (CRC-32)" : "")
            return Peer(library: library, symbol: symbol, header: header, label: label, about: about, kind: kind,
                        color: color, variant: variant, function: function,
                        absent: function != nil ? nil : cString(err) + (header == "isal" ? "; \(isalHint)" : ""))
        }
    }

    /// Its line in the report's header; nil for a missing variant.
    var status: String? {
        if let absent { return variant ? nil : "\(symbol): absent: \(absent)" }
        return "\(symbol): \(library) (\(about))"
    }
}

struct Environment: Encodable {
    var cpu: String
    var onlineCpus = Int(cb_online_cpus())
    var os: String
    var features: [String]
    var kernels = Kernels.all
    var dispatchedKernel = Kernels.active
    var crc64KernelEnv = getenv("CRC64_KERNEL").map { String(cString: $0) }
    /// The first line of `swift --version` from PATH: the toolchain that `swift run` and perf-reports/new-report.sh
    /// build crcbench with (a binary run by its path may come from another).
    var swiftVersion = commandLine("swift --version 2>/dev/null") ?? "Swift version unknown"
    var cCompiler = String(cString: cb_c_compiler())
    var peers: [String]
    var commit: String?
    var date: String
    var command: String

    /// The CPU features the library's kernels need (libcrc64_kernel_features), in the library's order, each once.
    static let kernelFeatures = (0..<libcrc64_kernel_count()).flatMap {
        String(cString: libcrc64_kernel_features($0)).split(separator: " ").map(String.init)
    }.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }

    init(peers: [Peer], commit: String?, arguments: [String]) {
        let (cpu, flags) = cpuDescription()
        self.cpu = cpu
        features = Self.kernelFeatures.filter(flags.contains)
        self.peers = peers.compactMap(\.status)
        self.commit = commit ?? commandLine("git rev-parse --short HEAD 2>/dev/null").map { hash in
            // Numbers from uncommitted library code must not pass for the commit's.
            let dirty = commandLine("git status --porcelain --untracked-files=no -- Sources Package.swift 2>/dev/null")
            return hash + (dirty == nil ? "" : " (with uncommitted changes to Sources/ or Package.swift)")
        }
        var u = utsname()
        os = uname(&u) != 0 ? "unknown OS" : [u.sysname, u.release, u.machine].map { field in
            withUnsafeBytes(of: field) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        }.joined(separator: " ")
        var now = time(nil), utc = tm(), text = [CChar](repeating: 0, count: 64)
        gmtime_r(&now, &utc)
        date = strftime(&text, text.count, "%Y-%m-%d %H:%M UTC", &utc) > 0 ? cString(text) : "unknown date"
        command = (["swift run -c release crcbench"] + arguments.dropFirst().map { $0.contains(" ") ? "'\($0)'" : $0 })
            .joined(separator: " ")
    }
}

/// The CPU's name and the feature flags the OS reports for it (lower case).
func cpuDescription() -> (name: String, flags: Set<String>) {
    #if canImport(Darwin)
    func sysctl(_ name: String) -> [UInt8]? {
        var size = 0
        guard sysctlbyname(name, nil, &size, nil, 0) == 0 else { return nil }
        var value = [UInt8](repeating: 0, count: size)
        return sysctlbyname(name, &value, &size, nil, 0) == 0 ? Array(value.prefix(size)) : nil
    }
    func text(_ name: String) -> String? { sysctl(name).map { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) } }
    // arm64 has one flag (an integer, 0 or 1) a feature; x86 lists them in two strings ("SSE4.1 AVX1.0 ..." and
    // "AVX2 AVX512F VPCLMULQDQ ..."), renamed here as /proc/cpuinfo and libcrc64_kernel_features name them
    let named = ["arm.FEAT_PMULL": "pmull", "arm.FEAT_SHA3": "sha3"]
    let listed = ["machdep.cpu.features", "machdep.cpu.leaf7_features"].map { text($0) ?? "" }.joined(separator: " ")
    let flags = named.filter { sysctl("hw.optional." + $0.key)?.first == 1 }.map(\.value)
        + listed.lowercased().split(separator: " ").map {
            $0 == "avx1.0" ? "avx" : $0.replacingOccurrences(of: ".", with: "_")
        }
    return (text("machdep.cpu.brand_string") ?? "unknown CPU", Set(flags))
    #else
    let lines = ((try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? "").split(separator: "\n")
    /// The value of the first "key : value" line whose key is `key`.
    func value(_ key: String) -> String? {
        lines.lazy.map { $0.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false) }
            .first { $0.count == 2 && $0[0].trimmingCharacters(in: .whitespaces) == key }?[1]
            .trimmingCharacters(in: .whitespaces)
    }
    let flags = Set((value("flags") ?? value("Features") ?? "").lowercased().split(separator: " ").map(String.init))
    if let name = value("model name") {  // x86
        guard let family = value("cpu family") else { return (name, flags) }
        let model = value("model") ?? "?", stepping = value("stepping") ?? "?"
        return ("\(name) (family \(family), model \(model), stepping \(stepping))", flags)
    }
    // aarch64: no brand string; implementer and part identify the core
    guard let implementer = value("CPU implementer") else { return ("unknown CPU", flags) }
    return ("CPU implementer \(implementer) part \(value("CPU part") ?? "?")", flags)
    #endif
}

/// The first output line of a shell command, trimmed, or nil if the command fails or prints nothing.
func commandLine(_ command: String) -> String? {
    guard let pipe = popen(command, "r") else { return nil }
    var line = [CChar](repeating: 0, count: 1024)
    let first = fgets(&line, Int32(line.count), pipe) != nil ? cString(line) : ""
    while fgets(&line, Int32(line.count), pipe) != nil {}  // read to the end: the command may not like a closed pipe
    let trimmed = first.trimmingCharacters(in: .whitespacesAndNewlines)
    return pclose(pipe) == 0 && !trimmed.isEmpty ? trimmed : nil
}

/// A NUL-terminated C string held in an array.
func cString(_ chars: [CChar]) -> String { chars.withUnsafeBufferPointer { String(cString: $0.baseAddress!) } }

/// The 1-minute load average, if the OS tells.
func loadAverage() -> Double? {
    var l = [Double](repeating: 0, count: 3)
    return getloadavg(&l, 3) >= 1 ? l[0] : nil
}
#endif
