import CRC64Kit
import Dispatch
import Foundation
import Testing

/// A barrier: every thread blocks until the last one arrives, then all are released together, so that their next
/// calls are as simultaneous as the scheduler allows.
private final class StartingLine: @unchecked Sendable {
    private let condition = NSCondition()
    private var waiting = 0
    private let parties: Int

    init(parties: Int) { self.parties = parties }

    func wait() {
        condition.lock()
        waiting += 1
        if waiting == parties {
            condition.broadcast()
        } else {
            while waiting < parties { condition.wait() }
        }
        condition.unlock()
    }
}

@Suite("Concurrency")
struct ConcurrencyTests {
    #if compiler(>=6.2)
    /// The process's first calls into the C core come from sixteen threads at the same moment, in a process of their
    /// own (an exit test), so that no other test has chosen the kernel or built a preset's tables before: the threads
    /// race through the kernel dispatch and the lazy construction of every preset. Under ThreadSanitizer
    /// (.ci/sanitizers.sh) the child process is instrumented too, and a data race there fails the test.
    @Test func simultaneousFirstUse() async {
        await #expect(processExitsWith: .success) {
            exit(ConcurrencyTests.raceFirstCalls() ? EXIT_SUCCESS : EXIT_FAILURE)
        }
    }
    #endif

    /// The same race inside this process: later calls, and the first calls of fresh custom models.
    @Test func simultaneousCalls() {
        #expect(Self.raceFirstCalls())
    }

    /// Sixteen threads start together and call every preset and three custom models, in a different order each:
    /// whole messages, hashers, combine, combiners, extend. In round 0 each thread also creates the custom models
    /// itself, after the start, so that nothing touches the C core before the threads do (the expected values come
    /// from the reference); later rounds create fresh custom models first and race on their first use. Whether every
    /// thread got every value right.
    static func raceFirstCalls() -> Bool {
        let threads = 16
        let seed = Seeds.derive(0x7261_6365)
        var random = SplitMix64(seed: seed)
        var allRight = true
        for round in 0..<4 {
            let customs = (0..<3).map { _ in
                ReferenceParameters(
                    poly: random.next(), initial: random.next(), reflected: random.next() & 1 == 1, xorout: random.next())
            }
            let parameters = Subjects.presets.map(\.parameters) + customs
            @Sendable func makeModels() -> [CRC64Model] {
                Subjects.presets.map(\.model)
                    + customs.map { p in
                        CRC64Model(polynomial: p.poly, initialValue: p.initial, reflected: p.reflected,
                                   xorOutput: p.xorout)
                    }
            }
            let prebuilt = round == 0 ? nil : makeModels()
            let message = random.bytes(3000)
            let split = 1234
            let whole = parameters.map { ReferenceCRC.checksum($0, message) }
            let first = parameters.map { ReferenceCRC.checksum($0, message[..<split]) }
            let second = parameters.map { ReferenceCRC.checksum($0, message[split...]) }
            let zeros: UInt64 = 1 << 40
            let extended = parameters.indices.map { referenceExtend(parameters[$0], whole[$0], zeros: zeros) }

            let line = StartingLine(parties: threads)
            let results = Results(count: threads)
            // Real threads (not concurrentPerform, which runs only as many at once as there are cores).
            runThreads(threads) { thread in
                line.wait()
                let models = prebuilt ?? makeModels()
                var ok = true
                // Each thread visits the models in a different order, so first uses collide in many ways.
                for step in models.indices {
                    let i = (step + thread) % models.count
                    let model = models[i]
                    let secondLength = UInt64(message.count - split)
                    ok = ok && model.checksum(message) == whole[i]
                    var hasher = CRC64Hasher(model: model)
                    hasher.update(message[..<split])
                    ok = ok && hasher.value == first[i]
                    ok = ok && model.combine(first[i], second[i], secondLength: secondLength) == whole[i]
                    ok = ok && model.combiner(secondLength: secondLength).combine(first[i], second[i]) == whole[i]
                    ok = ok && model.extend(whole[i], zeroBytes: zeros) == extended[i]
                }
                results.set(thread, ok)
            }
            if results.all != Array(repeating: true, count: threads) {
                print("simultaneous calls: round \(round) seed \(seed): wrong values on threads \(results.all)")
                allRight = false
            }
        }
        return allRight
    }

    /// Models and hashers are values: copies used on different threads, and models dropped on one thread while
    /// another still uses a copy, stay correct.
    @Test func copiesAcrossTasks() async {
        let seed = Seeds.derive(0x7461_736b_73)
        var random = SplitMix64(seed: seed)
        let p = ReferenceParameters(poly: random.next() | 1, initial: random.next(), reflected: true, xorout: random.next())
        let message = random.bytes(10_000)
        let expected = ReferenceCRC.checksum(p, message)
        let outcomes = await withTaskGroup(of: Bool.self) { group in
            for task in 0..<32 {
                let model = CRC64Model(polynomial: p.poly, initialValue: p.initial, reflected: p.reflected, xorOutput: p.xorout)
                group.addTask {
                    var hasher = CRC64Hasher(model: model)
                    for chunk in stride(from: 0, to: message.count, by: 97 + task) {
                        hasher.update(message[chunk..<min(chunk + 97 + task, message.count)])
                    }
                    return hasher.value == expected && model.checksum(message) == expected
                }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(outcomes.count == 32 && outcomes.allSatisfy { $0 }, "seed \(seed)")
    }
}

/// Runs `body` on `count` new threads at once and waits for all of them.
private func runThreads(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
    let group = DispatchGroup()
    for index in 0..<count {
        group.enter()
        let thread = Thread {
            body(index)
            group.leave()
        }
        thread.start()
    }
    group.wait()
}

@Suite("Lifetimes")
struct LifetimeTests {
    /// Custom models used only as temporaries: their C tables must outlive every call made through them (run under
    /// `-c release` and `--sanitize=address` to make a premature free visible).
    @Test func temporaryCustomModels() {
        let seed = Seeds.derive(0x7465_6d70)
        var random = SplitMix64(seed: seed)
        for _ in 0..<50 {
            let p = ReferenceParameters(poly: random.next(), initial: random.next(), reflected: random.next() & 1 == 1, xorout: random.next())
            let bytes = random.bytes(Int(random.next() % 300))
            let expected = ReferenceCRC.checksum(p, bytes)
            func make() -> CRC64Model {
                CRC64Model(polynomial: p.poly, initialValue: p.initial, reflected: p.reflected, xorOutput: p.xorout)
            }
            #expect(make().checksum(bytes) == expected, "seed \(seed)")
            #expect(bytes.withUnsafeBytes { make().checksum($0) } == expected, "seed \(seed)")
            #expect(make().checksum(bytes[...]) == expected, "seed \(seed)")
            #expect(make().extend(expected, zeroBytes: 5) == ReferenceCRC.checksum(p, bytes + [0, 0, 0, 0, 0]))
            #expect(make().combiner(secondLength: 0).combine(expected, ReferenceCRC(p).value) == expected)
            var hasher = CRC64Hasher(model: make())
            hasher.update(bytes)
            #expect(hasher.value == expected, "seed \(seed)")
        }
    }
}

private final class Results: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Bool]

    init(count: Int) { values = Array(repeating: false, count: count) }

    func set(_ index: Int, _ value: Bool) {
        lock.lock()
        values[index] = value
        lock.unlock()
    }

    var all: [Bool] {
        lock.lock()
        defer { lock.unlock() }
        return values
    }
}
