// crcbench: every CRC-64 kernel at every size, side by side with ISA-L and zlib (loaded at run time).
// `swift run -c release crcbench --help` for the options; perf-reports/README.md for the method.

import Foundation

#if os(Windows)
// The harness loads its peers with dlopen, splits work over pthreads and reads /proc or sysctl (CRCBenchSupport).
FileHandle.standardError.write(Data("crcbench runs on Linux and macOS; it does not run on Windows\n".utf8))
exit(2)
#elseif DEBUG
printError("crcbench must be built with -c release (swift run -c release crcbench)\n")
exit(2)
#else
import CRC64Files
import CRCBenchSupport

let started = cb_now_ns()
let options = Options.parse(Array(CommandLine.arguments.dropFirst()))

// The markdown links the plot by its file name: the two sit in one folder.
let svgName = options.svgPath.map { String($0.split(separator: "/", omittingEmptySubsequences: false).last!) }
/// The report files asked for, each opened before the run so that a bad path fails at once (exit 2), not after a
/// minute of timing.
let outputs: [(path: String, file: UnsafeMutablePointer<FILE>, render: (Report) -> String)] = [
    (options.jsonPath, { $0.json() }), (options.markdownPath, { $0.markdown(svgName: svgName) }),
    (options.svgPath, { $0.svg() }),
].compactMap { path, render in
    guard let path else { return nil }
    guard let file = fopen(path, "w") else { Options.fail("cannot write '\(path)': \(systemReason(errno))") }
    return (path, file, render)
}

let peers = Peer.load()
let bench = Bench(targetNs: options.targetMilliseconds * 1e6, retryBudgetNs: options.quick ? 2e9 : 12e9)
let repetitions = options.repetitions ?? options.defaultRepetitions
var report = Report(
    environment: Environment(peers: peers, commit: options.commit, arguments: CommandLine.arguments),
    method: Report.Method(
        repetitions: repetitions, largeSizeRepetitions: options.repetitions ?? min(repetitions, 3),
        targetMsPerRepetition: options.targetMilliseconds, quick: options.quick),
    repetitions: bench.tally)

let showProgress = isatty(2) != 0
func emit(_ text: String) {
    if showProgress { printError("\r\u{1B}[K") }
    print(text, terminator: "")
    fflush(nil)  // the tables as they come, also into a pipe
}
emit(report.terminalHeader())

// One buffer for everything: every candidate reads the same bytes from the same address.
let bufferSize = max(4096, options.sections.contains(.kernels) ? options.kernelSizes.max() ?? 0 : 0,
                     options.sections.contains(.models) ? 1 << 20 : 0,
                     options.sections.contains(.parallel) ? options.parallelSizes.max() ?? 0 : 0)
guard let buffer = cb_alloc_random(bufferSize, 0x5EED_C0DE_CAFE_F00D) else {
    printError("crcbench: cannot allocate \(formatSize(bufferSize)) for the input buffer\n")
    exit(1)
}

spinUp(milliseconds: options.quick ? 50 : 200)
let context = Context(
    options: options, bench: bench, peers: peers, buffer: buffer, method: report.method,
    threads: options.threads ?? Int(cb_online_cpus()),
    progress: { what in if showProgress { printError("\r\u{1B}[K  timing \(what)…") } })

for section in Section.allCases where options.sections.contains(section) {
    switch section {
    case .kernels: report.kernels = runKernels(context)
    case .models: report.models = options.models == [] ? nil : Measured { runModels(context) }
    case .combine: report.combine = Measured { runCombine(context) }
    case .swift: report.swiftApi = Measured { runSwiftAPI(context) }
    case .parallel: report.parallel = Measured { runParallel(context) }
    }
    if section == .kernels, let mismatches = report.kernels?.valueMismatches, !mismatches.isEmpty {
        emit("\nWARNING: values differ from libcrc64_xz: " + mismatches.joined(separator: "; ") + "\n")
    }
    for table in report.tables(.terminal, of: [section]) { emit("\n" + table.render(.terminal)) }
}
free(buffer)
report.elapsedSeconds = Double(cb_now_ns() - started) / 1e9
report.loadAverageEnd = loadAverage()

let tally = report.repetitions
emit("\n\(tally.retimed) of \(tally.total) repetitions retimed after losing the CPU, \(tally.stillDisturbed) still "
    + "disturbed; load average \(report.loadAverageEnd.map { fmt($0, 2) } ?? "?") at the end\n"
    + "finished in \(fmt(report.elapsedSeconds, 1)) s\n")
for output in outputs {
    let written = fputs(output.render(report), output.file) >= 0
    if fclose(output.file) != 0 || !written {
        printError("crcbench: error writing '\(output.path)': \(systemReason(errno))\n")
        exit(1)
    }
    emit("wrote \(output.path)\n")
}
#endif
