// Command-line options of crcbench. Bad options print one clear line on stderr and exit with status 2.

#if !os(Windows)
import Foundation

enum Section: String, CaseIterable { case kernels, models, combine, swift, parallel }

struct Options {
    static let defaultSizes = [16, 32, 64, 128, 256, 1 << 10, 4 << 10, 64 << 10, 1 << 20, 16 << 20, 256 << 20]
    /// Sizes from here on get at most 3 repetitions unless --repetitions is given: one call can take half a second.
    static let largeSize = 64 << 20
    /// Largest size timed in latency mode (chained calls): beyond it streaming is throughput anyway.
    static let latencyMaxSize = 1 << 20

    var sizes: [Int]? = nil
    /// Kernel names to time as their own columns; nil = every supported kernel.
    var kernels: [String]? = nil
    /// Preset indices to time; nil = all.
    var models: [Int]? = nil
    var sections = Set(Section.allCases)
    var repetitions: Int? = nil, threads: Int? = nil
    var quick = false
    var jsonPath: String? = nil, markdownPath: String? = nil, svgPath: String? = nil, commit: String? = nil

    /// The sizes of the kernels section: --quick stops at 16 MiB.
    var kernelSizes: [Int] { sizes ?? Self.defaultSizes.filter { !quick || $0 <= 16 << 20 } }
    var parallelSizes: [Int] { quick ? [16 << 20] : [16 << 20, 512 << 20] }
    /// Milliseconds of work per timed repetition of one candidate.
    var targetMilliseconds: Double { quick ? 1 : 4 }
    var defaultRepetitions: Int { quick ? 5 : 11 }

    static var usage: String {
        """
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
          --kernels LIST       kernel columns to time: names from the library's list
                               (\(Kernels.names.joined(separator: ", "))),
                               'all' (default: every supported one) or 'none';
                               the dispatched libcrc64_xz and the peers are always timed
          --models LIST        preset models to time: \(Presets.shortNames.joined(separator: ", "))
                               (or 0-\(Presets.count - 1)), 'all' (default) or 'none'
          --sections LIST      parts to run: \(Section.allCases.map(\.rawValue).joined(separator: ", ")) (default: all)
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
    }

    static func fail(_ message: String) -> Never {
        printError("crcbench: \(message)\nrun 'crcbench --help' for the options\n")
        exit(2)
    }

    static func parse(_ arguments: [String]) -> Options {
        var o = Options()
        var i = 0
        while i < arguments.count {
            var name = arguments[i]
            var inline: String? = nil
            if name.hasPrefix("--"), let eq = name.firstIndex(of: "=") {
                inline = String(name[name.index(after: eq)...])
                name = String(name[..<eq])
            }
            func value() -> String {
                if inline == nil { i += 1 }
                guard let value = inline ?? arguments.dropFirst(i).first, !value.isEmpty else {
                    fail("\(name) needs a value")
                }
                return value
            }
            switch name {
            case "-h", "--help":
                print(usage)
                exit(0)
            case "--quick":
                if inline != nil { fail("--quick takes no value") }
                o.quick = true
            case "--sizes": o.sizes = Set(list(value(), name).map(size)).sorted()
            case "--kernels":
                // 'all' is the default: every supported kernel, without the notes about unsupported ones.
                let names = Kernels.names, text = value()
                o.kernels = list(text, name) == ["all"] ? nil
                    : choose(text, name, "kernel", choices: names, named: names.joined(separator: ", ")) {
                        names.contains($0) ? $0 : nil
                    }
            case "--models":
                o.models = choose(value(), name, "model", choices: Array(0..<Presets.count),
                                  named: Presets.shortNames.joined(separator: ", ") + ", 0-\(Presets.count - 1)",
                                  Presets.index(of:))
            case "--sections":
                let names = Section.allCases.map(\.rawValue).joined(separator: ", ")
                o.sections = Set(choose(value(), name, "section", choices: Section.allCases, named: names, none: false,
                                        Section.init(rawValue:)))
            case "--repetitions": o.repetitions = integer(value(), name, 1...1000)
            case "--threads": o.threads = integer(value(), name, 1...256)
            case "--json": o.jsonPath = value()
            case "--markdown": o.markdownPath = value()
            case "--svg": o.svgPath = value()
            case "--commit": o.commit = value()
            default:
                if name.hasPrefix("-") { fail("unknown option '\(arguments[i])'") }
                fail("unexpected argument '\(name)' (crcbench takes options only)")
            }
            i += 1
        }
        // Rejected before the run rather than leaving an empty plot (or none) behind after it.
        if o.svgPath != nil && !o.sections.contains(.kernels) {
            fail("--svg plots the kernels section: add kernels to --sections or leave out --svg")
        }
        return o
    }

    static func integer(_ text: String, _ name: String, _ range: ClosedRange<Int>) -> Int {
        guard let n = Int(text), range.contains(n) else {
            fail("\(name) expects an integer from \(range.lowerBound) to \(range.upperBound), not '\(text)'")
        }
        return n
    }

    static func list(_ text: String, _ name: String) -> [String] {
        let items = text.split(separator: ",", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        if items.contains(where: \.isEmpty) { fail("\(name): empty item in '\(text)'") }
        return items
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

    /// The items of a list option, each found by `find` among `choices` (named in the error), or 'all' of them, or
    /// 'none' where `none` is allowed; each item once, in the order given.
    static func choose<T: Equatable>(_ text: String, _ option: String, _ what: String, choices: [T], named: String,
                                     none: Bool = true, _ find: (String) -> T?) -> [T] {
        let items = list(text, option)
        if items == ["all"] { return choices }
        if items == ["none"] && none { return [] }
        var chosen: [T] = []
        for item in items {
            guard let choice = find(item) else {
                fail("\(option): unknown \(what) '\(item)' (\(what)s: \(named), all\(none ? ", none" : ""))")
            }
            if !chosen.contains(choice) { chosen.append(choice) }
        }
        return chosen
    }
}

/// Text to standard error (Swift 6 cannot reach stdio's `stderr` global safely).
func printError(_ text: String) { FileHandle.standardError.write(Data(text.utf8)) }
#endif
