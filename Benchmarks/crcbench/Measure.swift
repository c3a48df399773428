// Calibration, warm-up and interleaved repetitions. The timed loops themselves are in CRCBenchSupport (C).

#if !os(Windows)
import CRCBenchSupport

/// Median and range of per-repetition values.
struct Stat: Encodable {
    var median: Double
    var min: Double
    var max: Double

    init(_ values: [Double]) {
        var sorted = values
        median = cb_median(&sorted, sorted.count)  // sorts in place
        min = sorted[0]
        max = sorted[sorted.count - 1]
    }
}

/// One candidate's time per call, one sample per repetition, and how those repetitions went.
struct Samples: Encodable {
    var nsPerCall: Stat
    var nsPerCallSamples: [Double]
    var iterationsPerRepetition: UInt64
    /// Repetitions timed again because the thread lost the CPU during the first attempt.
    var retimed: Int
    /// Repetitions still disturbed after every attempt (the least disturbed attempt was kept).
    var stillDisturbed: Int

    /// GB/s (10^9 bytes/s) per repetition for `size` bytes a call.
    func gbps(_ size: Int) -> Stat { Stat(nsPerCallSamples.map { Double(size) / $0 }) }
}

/// Paired per-repetition ratio of b's time over a's ("a is x times as fast as b").
func speedRatio(_ a: Samples, over b: Samples) -> Stat {
    Stat(zip(a.nsPerCallSamples, b.nsPerCallSamples).map { $1 / $0 })
}

/// A timed unit: runs `iterations` calls and returns the elapsed nanoseconds (0 = cannot run).
typealias Runner = (UInt64) -> UInt64

/// Counts of repetitions across a whole run (shared by every copy of a Bench), and the nanoseconds spent on attempts
/// that were thrown away.
final class Tally: Encodable {
    var total = 0, retimed = 0, stillDisturbed = 0, retryNs = 0.0

    private enum CodingKeys: CodingKey { case total, retimed, stillDisturbed }
}

struct Bench {
    let tally = Tally()
    /// Nanoseconds of work per timed repetition.
    var targetNs: Double
    /// Calibration and warm-up stop growing the count here.
    var maxIterations: UInt64 = 1 << 34
    /// A repetition is disturbed if the thread was switched out involuntarily or lost more than this fraction of
    /// its wall time; it is then timed again, up to `attempts` times.
    var lostFractionLimit = 0.01
    var attempts = 6
    /// Fewer attempts for runs longer than this (one call of a slow candidate at 256 MiB takes half a second).
    var longRunNs = 30e6
    /// Retiming stops for the rest of the run once this much time went into discarded attempts, so a busy machine
    /// cannot stretch the run past its time budget (the disturbed repetitions are then kept and counted).
    var retryBudgetNs: Double

    /// After one warm-up call, grows the call count until one run takes a good part of the target.
    /// Returns the count for a run of about `targetNs`, or nil if the runner cannot run.
    func calibrate(_ run: Runner) -> UInt64? {
        var iterations: UInt64 = 1
        var warm = false
        while true {
            let t = run(iterations)
            if t == 0 { return nil }
            // The very first call is a warm-up: the first touch of a buffer region (cache, TLB, pages) or of a code
            // path is slow, and would make a fast candidate look slow and get too few calls per repetition.
            // Only a call that is long anyway (a slow candidate at 256 MiB) is not repeated.
            if !warm {
                warm = true
                if Double(t) < 50e6 { continue }
            }
            var elapsed = Double(t)
            if elapsed >= targetNs / 4 || iterations >= maxIterations {
                // The estimate is the faster of two runs at this count (unless they are long).
                if elapsed < 20e6 { elapsed = Swift.min(elapsed, Double(run(iterations))) }
                let n = Double(iterations) * targetNs / elapsed
                let result = UInt64(Swift.max(1, Swift.min(Double(maxIterations), n.rounded())))
                // Warm-up at the final count unless that is long (then the calibration run was the warm-up).
                if Double(result) * elapsed / Double(iterations) < 40e6 { _ = run(result) }
                return result
            }
            let grow = elapsed <= 0 ? 16 : Swift.min(16, Swift.max(2, (targetNs / 2) / elapsed))
            iterations = Swift.min(maxIterations, UInt64((Double(iterations) * grow).rounded(.up)))
        }
    }

    /// Calibrates each runner, then times `repetitions` rounds; in each round every runner runs once, in a shuffled
    /// order, so drift of the machine hits all of them alike. nil entries could not run.
    /// A disturbed repetition is timed again (up to `attempts` times) before the next candidate runs.
    func interleaved(_ runners: [Runner], repetitions: Int, wholeProcess: Bool = false) -> [Samples?] {
        let counts = runners.map { calibrate($0) }
        var samples = [[Double]](repeating: [], count: runners.count)
        var retimed = [Int](repeating: 0, count: runners.count)
        var disturbed = [Int](repeating: 0, count: runners.count)
        let live = runners.indices.filter { counts[$0] != nil }
        if live.isEmpty { return runners.map { _ in nil } }
        // Each round runs the candidates in a fresh pseudo-random order (fixed seed), so no candidate always
        // follows the same neighbour or always runs first.
        var rng: UInt64 = 0x243F_6A88_85A3_08D3 &+ UInt64(runners.count)
        for _ in 0..<repetitions {
            var order = live
            for i in stride(from: order.count - 1, to: 0, by: -1) {
                order.swapAt(i, Int(cb_splitmix(&rng) % UInt64(i + 1)))
            }
            for j in order {
                let n = counts[j]!
                var best: (t: UInt64, badness: Double)? = nil
                var attempt = 0, stillDisturbed = false
                while true {
                    var probe = cb_probe(), switches = 0
                    cb_probe_start(&probe, wholeProcess)
                    let t = runners[j](n)
                    let lost = cb_probe_stop(&probe, &switches)
                    if attempt > 0 { tally.retryNs += Double(t) }
                    if best == nil || lost + Double(switches) < best!.badness { best = (t, lost + Double(switches)) }
                    if switches == 0 && lost <= lostFractionLimit { break }
                    attempt += 1
                    if attempt >= (Double(t) > longRunNs ? 2 : attempts) || tally.retryNs > retryBudgetNs {
                        stillDisturbed = true
                        break
                    }
                }
                if attempt > 0 { retimed[j] += 1 }
                if stillDisturbed { disturbed[j] += 1 }
                tally.total += 1
                tally.retimed += attempt > 0 ? 1 : 0
                tally.stillDisturbed += stillDisturbed ? 1 : 0
                samples[j].append(Double(best!.t) / Double(n))
            }
        }
        return runners.indices.map { j in
            counts[j].map {
                Samples(nsPerCall: Stat(samples[j]), nsPerCallSamples: samples[j], iterationsPerRepetition: $0,
                        retimed: retimed[j], stillDisturbed: disturbed[j])
            }
        }
    }
}

/// A C-harness runner for a candidate over buf[0..<size].
func cRunner(_ candidate: cb_candidate, buffer: UnsafeRawPointer, size: Int, mode: Mode) -> Runner {
    var c = candidate
    return { iterations in cb_time(&c, buffer, size, iterations, mode.c) }
}

/// Spins for a moment so the core leaves its idle clock before the first timing.
func spinUp(milliseconds: Double) {
    let end = cb_now_ns() + UInt64(milliseconds * 1e6)
    var x: UInt64 = 1
    while cb_now_ns() < end {
        for _ in 0..<1000 { x = x &* 6364136223846793005 &+ 1442695040888963407 }
    }
    cb_consume(x)
}

/// A section's rows, and how many cores other processes kept busy meanwhile (1.0 = one core all the time; nil where
/// the OS does not tell): timing loops cannot see a neighbour that shares the caches, the memory bandwidth or the
/// power budget; this can.
struct Measured<Row: Encodable>: Encodable {
    var rows: [Row]
    var otherProcessesCores: Double?

    init(_ measure: () -> [Row]) {
        let machine = cb_machine_busy_ns(), mine = cb_process_cpu_ns(), start = cb_now_ns()
        rows = measure()
        let others = Double(cb_machine_busy_ns() - machine) - Double(cb_process_cpu_ns() - mine)
        otherProcessesCores = machine < 0 ? nil : max(0, others / Double(cb_now_ns() - start))
    }
}
#endif
