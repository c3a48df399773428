// Command-line options of crcbench. Bad options print one clear line on stderr and exit with status 2.

import CRCBenchSupport

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

struct Options {
    static let defaultSizes = [16, 32, 64, 128, 256, 1 << 10, 4 << 10, 64 << 10, 1 << 20, 16 << 20, 256 << 20]
    static let quickSizes = [16, 32, 64, 128, 256, 1 << 10, 4 << 10, 64 << 10, 1 << 20, 16 << 20]

    /// Sizes from here on get at most 3 repetitions unless --repetitions is given: one call can take half a second.
    static let largeSize = 64 << 20

    var sizes: [Int] = Options.defaultSizes
    var sizesGiven = false
    /// Kernel names to time as their own columns; nil = every supported kernel.
    var kernels: [String]? = nil
    /// Preset indices to time; nil = all.
    var models: [Int]? = nil
    var repetitions: Int? = nil
    var threads: Int? = nil
    var quick = false
    var jsonPath: String? = nil
    var markdownPath: String? = nil
    var svgPath: String? = nil
    var commit: String? = nil
    /// Largest size timed in latency mode (chained calls): beyond it streaming is throughput anyway.
    var latencyMaxSize = 1 << 20
    /// Sections to run.
    var sections: Set<String> = ["kernels", "models", "combine", "swift", "parallel"]

    static let allSections = ["kernels", "models", "combine", "swift", "parallel"]

    /// Milliseconds of work per timed repetition of one candidate.
    var targetMilliseconds: Double { quick ? 1.0 : 4.0 }
    var defaultRepetitions: Int { quick ? 5 : 11 }
    var parallelSizes: [Int] { quick ? [16 << 20] : [16 << 20, 512 << 20] }

    static let usage = """
        usage: swift run -c release crcbench [OPTIONS]

        Times every CRC-64 kernel this CPU supports (CRC-64/XZ) at a range of sizes, side by side with ISA-L
        (libisal.so.2), liblzma (liblzma.so.5) and zlib's crc32, loaded with dlopen when present, in two call modes:
          throughput  acc ^= libcrc64_xz(0, buf, n)    independent calls (many objects)
          latency     acc  = libcrc64_xz(acc, buf, n)  each call continues the last (streaming update)
        then every preset model, combine, the Swift one-shot API against the C ABI, and multi-core hashing.
        Candidates are interleaved within each repetition; medians are reported with the min-max spread.
        GB/s = 10^9 bytes per second.

        options:
          --sizes LIST         sizes to time, e.g. 16,64,1K,1M,256M (K/M/G = KiB/MiB/GiB)
                               (default 16,32,64,128,256,1K,4K,64K,1M,16M,256M; --quick stops at 16M)
          --kernels LIST       kernel columns to time: names from the library's list (avx512, avx2, pclmul,
                               pmull-eor3, pmull, slice16), 'all' (default: every supported one) or 'none';
                               the dispatched libcrc64_xz and the peers are always timed
          --models LIST        preset models to time: xz, nvme, ecma-182, go-iso, we, ms, redis (or 0-6),
                               'all' (default) or 'none'
          --sections LIST      parts to run: kernels, models, combine, swift, parallel (default: all)
          --repetitions N      timed repetitions per candidate (default 11, --quick 5; sizes of 64 MiB
                               and more use at most 3 unless N is given)
          --threads N          threads for the multi-core section (default: online CPUs)
          --quick              fewer repetitions and sizes, shorter repetitions (a few seconds)
          --json FILE          write the results as JSON
          --markdown FILE      write a markdown report
          --svg FILE           write the kernels section as a GB/s-versus-size plot (log-log) in SVG
                               (needs the kernels section: refused with --sections that leave it out)
          --commit HASH        the commit to name in reports (default: git rev-parse --short HEAD)
          -h, --help           show this help

        environment: CRC64_KERNEL=<name> forces the library's dispatch (see the library README).
        """

    static func fail(_ message: String) -> Never {
        cb_print_stderr("crcbench: \(message)\n")
        cb_print_stderr("run 'crcbench --help' for the options\n")
        exit(2)
    }

    static func parse(_ arguments: [String]) -> Options {
        var o = Options()
        var i = 0
        func value(_ name: String, inline: String?) -> String {
            if let inline { return inline }
            i += 1
            guard i < arguments.count else { fail("\(name) needs a value") }
            return arguments[i]
        }
        while i < arguments.count {
            var arg = arguments[i]
            var inline: String? = nil
            if arg.hasPrefix("--"), let eq = arg.firstIndex(of: "=") {
                inline = String(arg[arg.index(after: eq)...])
                arg = String(arg[..<eq])
            }
            switch arg {
            case "-h", "--help":
                print(usage)
                exit(0)
            case "--quick":
                if inline != nil { fail("--quick takes no value") }
                o.quick = true
            case "--sizes":
                o.sizes = parseSizes(value(arg, inline: inline))
                o.sizesGiven = true
            case "--kernels":
                o.kernels = parseKernels(value(arg, inline: inline))
            case "--models":
                o.models = parseModels(value(arg, inline: inline))
            case "--sections":
                o.sections = parseSections(value(arg, inline: inline))
            case "--repetitions":
                o.repetitions = parseInt(value(arg, inline: inline), name: arg, range: 1...1000)
            case "--threads":
                o.threads = parseInt(value(arg, inline: inline), name: arg, range: 1...256)
            case "--json":
                o.jsonPath = nonEmpty(value(arg, inline: inline), name: arg)
            case "--markdown":
                o.markdownPath = nonEmpty(value(arg, inline: inline), name: arg)
            case "--svg":
                o.svgPath = nonEmpty(value(arg, inline: inline), name: arg)
            case "--commit":
                o.commit = nonEmpty(value(arg, inline: inline), name: arg)
            default:
                if arg.hasPrefix("-") {
                    fail("unknown option '\(arguments[i])'")
                } else {
                    fail("unexpected argument '\(arg)' (crcbench takes options only)")
                }
            }
            i += 1
        }
        if o.quick && !o.sizesGiven { o.sizes = quickSizes }
        // Rejected before the run rather than leaving an empty plot (or none) behind after it.
        if o.svgPath != nil && !o.sections.contains("kernels") {
            fail("--svg plots the kernels section: add kernels to --sections or leave out --svg")
        }
        return o
    }

    static func nonEmpty(_ s: String, name: String) -> String {
        if s.isEmpty { fail("\(name) needs a file name") }
        return s
    }

    static func parseInt(_ s: String, name: String, range: ClosedRange<Int>) -> Int {
        guard let n = Int(s), range.contains(n) else {
            fail("\(name) expects an integer from \(range.lowerBound) to \(range.upperBound), not '\(s)'")
        }
        return n
    }

    static func list(_ s: String, name: String) -> [String] {
        let items = s.split(separator: ",", omittingEmptySubsequences: false).map {
            String($0).trimmingSpaces()
        }
        if items.isEmpty || items.contains(where: \.isEmpty) { fail("\(name): empty item in '\(s)'") }
        return items
    }

    static func parseSizes(_ s: String) -> [Int] {
        Set(list(s, name: "--sizes").map(size)).sorted()
    }

    /// A --sizes item: a whole number of bytes, optionally followed by K, M or G (KiB, MiB, GiB), from 1 byte to
    /// 16 GiB: 16, 1K, 4k, 1M, 256M, 1G.
    static func size(_ text: String) -> Int {
        var digits = Substring(text)
        let shift = digits.last.flatMap { ["K": 10, "M": 20, "G": 30][$0.uppercased()] } ?? 0
        if shift > 0 { digits.removeLast() }
        guard !digits.isEmpty, digits.utf8.allSatisfy({ (0x30...0x39).contains($0) }), let n = Int(digits), n > 0,
            n <= (16 << 30) >> shift
        else {
            fail("--sizes: '\(text)' is not a size: a whole number of bytes from 1 to 16G, optionally with K, M or G "
                + "(KiB, MiB, GiB), e.g. 16, 1K, 256M")
        }
        return n << shift
    }

    static func parseKernels(_ s: String) -> [String] {
        let items = list(s, name: "--kernels")
        if items == ["all"] { return Kernels.all.map(\.name) }
        if items == ["none"] { return [] }
        let known = Kernels.all.map(\.name)
        for item in items where !known.contains(item) {
            fail("--kernels: unknown kernel '\(item)' (kernels: \(known.joined(separator: ", ")), all, none)")
        }
        return items
    }

    static func parseModels(_ s: String) -> [Int] {
        let items = list(s, name: "--models")
        if items == ["all"] { return Array(0..<Presets.count) }
        if items == ["none"] { return [] }
        var result: [Int] = []
        for item in items {
            guard let index = Presets.index(of: item) else {
                fail("--models: unknown model '\(item)' (models: \((0..<Presets.count).map(Presets.name).joined(separator: ", ")) or their part after CRC-64/, 0-\(Presets.count - 1), all, none)")
            }
            if !result.contains(index) { result.append(index) }
        }
        return result
    }

    static func parseSections(_ s: String) -> Set<String> {
        let items = list(s, name: "--sections")
        if items == ["all"] { return Set(allSections) }
        for item in items where !allSections.contains(item) {
            fail("--sections: unknown section '\(item)' (sections: \(allSections.joined(separator: ", ")), all)")
        }
        return Set(items)
    }
}

extension String {
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" { s.removeLast() }
        return String(s)
    }
}
