// Calibration, warm-up and interleaved repetitions. The timed loops themselves are in CRCBenchSupport (C).

import CRCBenchSupport

/// Median and spread of per-repetition samples (in the JSON report as median, min and max).
struct Stat: Encodable {
    var median: Double
    var min: Double
    var max: Double

    init(_ samples: [Double]) {
        let s = samples.sorted()
        precondition(!s.isEmpty)
        let n = s.count
        median = n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2
        min = s[0]
        max = s[n - 1]
    }

    init(median: Double, min: Double, max: Double) {
        self.median = median
        self.min = min
        self.max = max
    }

    /// The larger distance of min or max from the median, as a fraction of the median.
    var spread: Double { median > 0 ? Swift.max(max - median, median - min) / median : 0 }
}

/// One candidate's per-call times (ns), one sample per repetition.
struct Samples {
    var nsPerCall: [Double]
    var iterations: UInt64
    /// Repetitions timed again because the thread lost the CPU during the first attempt.
    var retimed: Int = 0
    /// Repetitions still disturbed after every attempt (the least disturbed attempt was kept).
    var disturbed: Int = 0

    var ns: Stat { Stat(nsPerCall) }
    /// GB/s (10^9 bytes/s) per repetition for `size` bytes a call.
    func gbps(_ size: Int) -> Stat { Stat(nsPerCall.map { Double(size) / $0 }) }
}

/// A timed unit: runs `iterations` calls and returns the elapsed nanoseconds (0 = cannot run).
typealias Runner = (UInt64) -> UInt64

/// Counts of repetitions across a whole run (shared by every copy of a Bench).
final class Tally {
    var repetitions = 0
    var retimed = 0
    var disturbed = 0
    /// Nanoseconds spent on attempts that were thrown away.
    var retryNs: Double = 0
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
    var retryBudgetNs = 12e9

    /// One timed run with a disturbance probe around it: (ns, disturbed, lost fraction).
    func probed(_ run: Runner, _ iterations: UInt64, wholeProcess: Bool) -> (UInt64, Bool, Double) {
        var probe = cb_probe()
        cb_probe_start(&probe, wholeProcess)
        let t = run(iterations)
        var switches = 0
        let lost = cb_probe_stop(&probe, &switches)
        return (t, switches > 0 || lost > lostFractionLimit, lost + Double(switches))
    }

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
        var rng = SplitMix(seed: 0x243F_6A88_85A3_08D3 &+ UInt64(runners.count))
        for _ in 0..<repetitions {
            var order = live
            for i in stride(from: order.count - 1, to: 0, by: -1) {
                order.swapAt(i, Int(rng.next() % UInt64(i + 1)))
            }
            for j in order {
                let n = counts[j]!
                var best: (t: UInt64, badness: Double)? = nil
                var attempt = 0
                var stillDisturbed = false
                while true {
                    let (t, bad, badness) = probed(runners[j], n, wholeProcess: wholeProcess)
                    if attempt > 0 { tally.retryNs += Double(t) }
                    if best == nil || badness < best!.badness { best = (t, badness) }
                    if !bad { break }
                    attempt += 1
                    let limit = Double(t) > longRunNs ? 2 : attempts
                    if attempt >= limit || tally.retryNs > retryBudgetNs {
                        stillDisturbed = true
                        break
                    }
                }
                if attempt > 0 { retimed[j] += 1 }
                if stillDisturbed { disturbed[j] += 1 }
                tally.repetitions += 1
                tally.retimed += attempt > 0 ? 1 : 0
                tally.disturbed += stillDisturbed ? 1 : 0
                samples[j].append(Double(best!.t) / Double(n))
            }
        }
        return runners.indices.map { j in
            counts[j].map {
                Samples(nsPerCall: samples[j], iterations: $0, retimed: retimed[j], disturbed: disturbed[j])
            }
        }
    }
}

struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// A C-harness runner for a candidate over buf[0..<size].
func cRunner(_ candidate: cb_candidate, buffer: UnsafeRawPointer, size: Int, mode: cb_mode) -> Runner {
    var c = candidate
    return { iterations in cb_time(&c, buffer, size, iterations, mode) }
}

/// Paired per-repetition ratio a/b of times (b's time over a's: "a is x times as fast as b").
func speedRatio(_ a: Samples, over b: Samples) -> Stat {
    let n = min(a.nsPerCall.count, b.nsPerCall.count)
    return Stat((0..<n).map { b.nsPerCall[$0] / a.nsPerCall[$0] })
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

/// What other processes took from the cores over an interval, in cores (1.0 = one core busy all the time).
/// Timing loops cannot see a neighbour that shares caches, memory bandwidth or the power budget; this can.
struct OtherLoad {
    let machine: Int64
    let mine: Int64
    let wall: UInt64

    init() {
        machine = cb_machine_busy_ns()
        mine = cb_process_cpu_ns()
        wall = cb_now_ns()
    }

    /// Average cores busy with other work since init; nil where the OS does not tell.
    func cores() -> Double? {
        let m = cb_machine_busy_ns()
        guard machine >= 0, m >= 0 else { return nil }
        let elapsed = Double(cb_now_ns() - wall)
        guard elapsed > 0 else { return nil }
        let others = Double(m - machine) - Double(cb_process_cpu_ns() - mine)
        return Swift.max(0, others / elapsed)
    }
}
