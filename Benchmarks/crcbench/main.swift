// crcbench: every CRC-64 kernel at every size, side by side with ISA-L and zlib (loaded at run time).
// `swift run -c release crcbench --help` for the options; perf-reports/README.md for the method.

import CCRC64
import CRC64Files
import CRCBenchSupport

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

#if DEBUG
cb_print_stderr("crcbench must be built with -c release (swift run -c release crcbench)\n")
exit(2)
#else

let started = cb_now_ns()
let options = Options.parse(Array(CommandLine.arguments.dropFirst()))

/// Opens an output file before the run, so a bad path fails at once (exit 2), not after a minute of timing.
func openOutput(_ path: String?) -> UnsafeMutablePointer<FILE>? {
    guard let path else { return nil }
    guard let f = fopen(path, "w") else {
        Options.fail("cannot write '\(path)': \(systemReason(errno))")
    }
    return f
}
let jsonFile = openOutput(options.jsonPath)
let markdownFile = openOutput(options.markdownPath)
let svgFile = openOutput(options.svgPath)

let machine = MachineInfo.collect(options: options, arguments: CommandLine.arguments)
let repetitions = options.repetitions ?? options.defaultRepetitions
let largeRepetitions = options.repetitions ?? min(repetitions, 3)
func repetitionsFor(_ size: Int) -> Int { size >= Options.largeSize ? largeRepetitions : repetitions }
let threads = options.threads ?? Int(cb_online_cpus())

var results = RunResults(
    machine: machine, options: options, repetitions: repetitions, largeRepetitions: largeRepetitions,
    targetMs: options.targetMilliseconds, parallelThreads: threads)

let showProgress = isatty(2) != 0
func progress(_ what: String) {
    guard showProgress else { return }
    cb_print_stderr("\r\u{1B}[K  timing \(what)…")
}
func endProgress() {
    if showProgress { cb_print_stderr("\r\u{1B}[K") }
}
func emit(_ text: String) {
    endProgress()
    cb_print_stdout(text)
}

emit(results.terminalText())

// One buffer for everything: every candidate reads the same bytes from the same address.
var bufferSize = 4096
if options.sections.contains("kernels") { bufferSize = max(bufferSize, options.sizes.max() ?? 0) }
if options.sections.contains("models") { bufferSize = max(bufferSize, 1 << 20) }
if options.sections.contains("parallel") { bufferSize = max(bufferSize, options.parallelSizes.max() ?? 0) }
guard let buffer = cb_alloc_random(bufferSize, 0x5EED_C0DE_CAFE_F00D) else {
    cb_print_stderr("crcbench: cannot allocate \(formatSize(bufferSize)) for the input buffer\n")
    exit(1)
}

spinUp(milliseconds: options.quick ? 50 : 200)
var bench = Bench(targetNs: options.targetMilliseconds * 1e6)
bench.retryBudgetNs = options.quick ? 2e9 : 12e9

if options.sections.contains("kernels") {
    let k = runKernels(options: options, bench: bench, buffer: buffer, repetitions: repetitionsFor, progress: progress)
    results.kernels = k
    if !k.mismatches.isEmpty {
        emit("\nWARNING: values differ from libcrc64_xz: " + k.mismatches.joined(separator: "; ") + "\n")
    }
    for t in results.kernelTables(.terminal) { emit("\n" + t.render(.terminal)) }
}
if options.sections.contains("models") && options.models != [] {
    let modelsLoad = OtherLoad()
    results.models = runModels(options: options, bench: bench, buffer: buffer, repetitions: repetitionsFor,
                               progress: progress)
    results.otherLoad["models"] = modelsLoad.cores()
    if let t = results.modelTable(.terminal) { emit("\n" + t.render(.terminal)) }
}
if options.sections.contains("combine") {
    let combineLoad = OtherLoad()
    results.combine = runCombine(options: options, bench: bench, buffer: buffer, repetitions: repetitions,
                                 progress: progress)
    results.otherLoad["combine"] = combineLoad.cores()
    if let t = results.combineTable(.terminal) { emit("\n" + t.render(.terminal)) }
}
if options.sections.contains("swift") {
    let swiftLoad = OtherLoad()
    let (rows, mismatch) = runSwiftAPI(options: options, bench: bench, buffer: buffer, repetitions: repetitions,
                                       progress: progress)
    results.swiftAPI = rows
    results.swiftAPIMismatch = mismatch
    results.otherLoad["swift"] = swiftLoad.cores()
    if let t = results.swiftAPITable(.terminal) { emit("\n" + t.render(.terminal)) }
}
if options.sections.contains("parallel") {
    let parallelLoad = OtherLoad()
    results.parallel = runParallel(options: options, bench: bench, buffer: buffer, threads: threads,
                                   repetitions: repetitions, progress: progress)
    results.otherLoad["parallel"] = parallelLoad.cores()
    if let t = results.parallelTable(.terminal) { emit("\n" + t.render(.terminal)) }
}
cb_free(buffer)

results.elapsedSeconds = Double(cb_now_ns() - started) / 1e9
results.loadAtEnd = loadAverage()
results.tally = bench.tally

func write(_ file: UnsafeMutablePointer<FILE>?, _ path: String?, _ text: String) {
    guard let file, let path else { return }
    let ok = fputs(text, file) >= 0
    if fclose(file) != 0 || !ok {
        cb_print_stderr("crcbench: error writing '\(path)': \(systemReason(errno))\n")
        exit(1)
    }
    emit("wrote \(path)\n")
}

let t = bench.tally
emit("\n\(t.retimed) of \(t.repetitions) repetitions retimed after losing the CPU, \(t.disturbed) still disturbed; "
    + "load average \(results.loadAtEnd.map { fmt($0, 2) } ?? "?") at the end\n")
emit("finished in \(fmt(results.elapsedSeconds, 1)) s\n")
// Options refuses --svg without the kernels section, so a plot file always gets its plot.
if svgFile != nil, let kernels = results.kernels { write(svgFile, options.svgPath, results.svg(kernels)) }
let svgName: String? = options.svgPath.map { p in
    // the markdown links the plot by its file name when both sit in one folder
    if let slash = p.lastIndex(of: "/") { return String(p[p.index(after: slash)...]) }
    return p
}
write(markdownFile, options.markdownPath, results.markdown(svgName: svgName))
if let jsonFile {
    do {
        write(jsonFile, options.jsonPath, try results.json())
    } catch {
        cb_print_stderr("crcbench: cannot encode the JSON report: \(error)\n")
        exit(1)
    }
}

#endif
