// What machine, compilers (Swift: `swift --version` on PATH), library and peers this run has.

import CCRC64
import CRC64Kit
import CRCBenchSupport

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The library's kernel list (C ABI).
enum Kernels {
    struct Info {
        var index: Int
        var name: String
        var supported: Bool
    }

    static var all: [Info] {
        (0..<libcrc64_kernel_count()).map { i in
            Info(index: i, name: String(cString: libcrc64_kernel_name(i)), supported: libcrc64_kernel_supported(i) != 0)
        }
    }

    static var active: String { String(cString: libcrc64_active_kernel()) }
}

/// The library's preset models (C ABI: libcrc64_preset_model 0..<LIBCRC64_PRESET_COUNT).
enum Presets {
    static var count: Int { Int(LIBCRC64_PRESET_COUNT) }

    static func model(_ i: Int) -> OpaquePointer { libcrc64_preset_model(libcrc64_preset(UInt32(i)))! }
    static func name(_ i: Int) -> String { String(cString: libcrc64_preset_name(libcrc64_preset(UInt32(i)))) }
    static func params(_ i: Int) -> libcrc64_params { libcrc64_model_params(model(i)) }
    static func check(_ i: Int) -> UInt64 { libcrc64_preset_check(libcrc64_preset(UInt32(i))) }

    /// The preset of an index (0-6) or a name that `CRC64Model.named` accepts ("xz", "CRC-64/XZ", "go-ecma", ...).
    static func index(of text: String) -> Int? {
        if let n = Int(text) { return (0..<count).contains(n) ? n : nil }
        return CRC64Model.named(text).flatMap { CRC64Model.presets.firstIndex(of: $0) }
    }
}

struct MachineInfo {
    var cpu: String
    var features: [String]
    var dispatched: String
    var kernelForced: String?
    /// The first line of `swift --version`, e.g. "Swift version 6.3.1 (swift-6.3.1-RELEASE)".
    var swiftVersion: String
    var cCompiler: String
    var onlineCPUs: Int
    var commit: String?
    var date: String
    var command: String
    var os: String
    var loadAtStart: Double?
    /// Each peer symbol: (label, what it is or why it is absent).
    var peers: [(String, String)]

    static let interestingFlags: [String] = [
        // x86
        "sse4_2", "pclmulqdq", "avx", "avx2", "avx512f", "avx512bw", "avx512vl", "vpclmulqdq",
        // arm
        "asimd", "pmull", "sha3",
    ]

    static func collect(options: Options, arguments: [String]) -> MachineInfo {
        var buffer = [CChar](repeating: 0, count: 16384)
        let cpu = cb_cpu_model(&buffer, buffer.count) == 0 ? cString(buffer) : "unknown CPU"
        var flags: [String] = []
        if cb_cpu_flags(&buffer, buffer.count) == 0 {
            let all = cString(buffer).split(separator: " ").map { String($0).lowercased() }
            let set = Set(all)
            flags = interestingFlags.filter { set.contains($0) }
        }
        let forced = getenv("CRC64_KERNEL").map { String(cString: $0) }
        var commit = options.commit
        if commit == nil, cb_command_line("git rev-parse --short HEAD 2>/dev/null", &buffer, buffer.count) == 0 {
            commit = cString(buffer)
            // Numbers from uncommitted library code must not pass for the commit's.
            if cb_command_line(
                "git status --porcelain --untracked-files=no -- Sources Package.swift 2>/dev/null | head -1",
                &buffer, buffer.count) == 0
            {
                commit! += " (with uncommitted changes to Sources/ or Package.swift)"
            }
        }
        var os = "unknown OS"
        var u = utsname()
        if uname(&u) == 0 {
            let sys = withUnsafeBytes(of: &u.sysname) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
            let rel = withUnsafeBytes(of: &u.release) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
            let mach = withUnsafeBytes(of: &u.machine) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
            os = "\(sys) \(rel) \(mach)"
        }
        let shown = arguments.dropFirst().map { $0.contains(" ") ? "'\($0)'" : $0 }
        return MachineInfo(
            cpu: cpu, features: flags, dispatched: Kernels.active, kernelForced: forced,
            swiftVersion: swiftVersionOnPath(), cCompiler: String(cString: cb_c_compiler()),
            onlineCPUs: Int(cb_online_cpus()), commit: commit, date: utcDate(),
            command: (["swift run -c release crcbench"] + shown).joined(separator: " "), os: os,
            loadAtStart: loadAverage(), peers: peerStatus())
    }
}

func utcDate() -> String {
    var t = time(nil)
    var tmv = tm()
    gmtime_r(&t, &tmv)
    var out = [CChar](repeating: 0, count: 64)
    let n = strftime(&out, out.count, "%Y-%m-%d %H:%M UTC", &tmv)
    return n > 0 ? cString(out) : "unknown date"
}

/// The first line of `swift --version` from PATH: the toolchain that `swift run` and perf-reports/new-report.sh
/// build crcbench with (a binary run by its path may come from another). Asked at run time, so no list of versions
/// in the source goes stale.
func swiftVersionOnPath() -> String {
    var line = [CChar](repeating: 0, count: 256)
    let ok = cb_command_line("swift --version 2>/dev/null", &line, line.count) == 0
    return ok ? cString(line) : "Swift version unknown"
}

/// A NUL-terminated C string held in an array.
func cString(_ chars: [CChar]) -> String {
    chars.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
}

/// The 1-minute load average, if the OS tells.
func loadAverage() -> Double? {
    var l = [Double](repeating: 0, count: 3)
    return getloadavg(&l, 3) >= 1 ? l[0] : nil
}

/// Which peers dlopen/dlsym can load here (a failure is not an error: the column says absent).
func peerStatus() -> [(String, String)] {
    var out: [(String, String)] = []
    for (symbol, what) in [
        ("crc64_ecma_refl", "ISA-L, dispatched"), ("crc64_ecma_refl_by8", "ISA-L, 128-bit PCLMULQDQ"),
        ("crc64_ecma_refl_base", "ISA-L, byte table"),
    ] {
        let (p, err) = Peers.symbol(Peers.isal, symbol)
        if p != nil {
            out.append((symbol, "\(Peers.isal) (\(what))"))
        } else if symbol == "crc64_ecma_refl" {
            out.append((symbol, "absent: \(err.isEmpty ? "not found" : err); \(Peers.isalHint)"))
        }
    }
    let (l, lerr) = Peers.symbol(Peers.lzma, "lzma_crc64")
    out.append(("lzma_crc64", l != nil ? "\(Peers.lzma) (liblzma)" : "absent: \(lerr.isEmpty ? "not found" : lerr)"))
    let (z, zerr) = Peers.symbol(Peers.zlib, "crc32")
    out.append(("crc32", z != nil ? "\(Peers.zlib) (zlib, CRC-32: a yardstick)" : "absent: \(zerr.isEmpty ? "not found" : zerr)"))
    return out
}
