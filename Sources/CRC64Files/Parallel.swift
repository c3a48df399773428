#if !os(Windows)  // POSIX only (Package.swift)
import CRC64Kit

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
#if canImport(Dispatch)
import Dispatch
#endif

extension CRC64Model {
    /// The number of threads the multi-threaded functions use by default: the processors online.
    public static var defaultThreadCount: Int {
        Swift.max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    }

    /// The smallest piece of a buffer that one thread hashes in ``checksum(_:threads:)``: 1 MiB.
    ///
    /// Below about this size, handing work to another thread costs more than hashing it (one core hashes 1 MiB in
    /// some 20 µs).
    public static let minimumParallelChunk = 1 << 20

    /// The CRC of the bytes in `buffer`, computed by up to `threads` threads at once.
    ///
    /// The buffer is cut into pieces of at least ``minimumParallelChunk`` bytes that the threads take in turn;
    /// their CRCs are joined in order with `combine(_:_:secondLength:)`, so the result is exactly
    /// `checksum(_:)`'s. With `threads <= 1`, or a buffer too small for two pieces, this
    /// is a single call on the calling thread. Nothing is allocated per byte: one small object per call, and the
    /// piece values on the stack.
    ///
    /// Worth it for large buffers: on two cores about 1.7× for 16 MiB in cache; memory bandwidth limits the gain
    /// for buffers that are not (about 1.2× for 512 MiB on the same machine). Dispatch runs the pieces
    /// (`DispatchQueue.concurrentPerform`).
    public func checksum(_ buffer: UnsafeRawBufferPointer, threads: Int) -> UInt64 {
        let count = buffer.count
        let minimum = Self.minimumParallelChunk
        guard threads > 1, count >= 2 * minimum else { return checksum(buffer) }
        // More threads than pieces would idle (and 4x could overflow).
        let threads = Swift.min(threads, count / minimum)
        // Four pieces a thread (when big enough) so that a thread that starts late or is preempted costs little.
        let pieceCount = Swift.min(threads * 4, count / minimum)
        let workers = Swift.min(threads, pieceCount)
        let pieceLength = (count / pieceCount) & ~255  // 256-byte multiples keep every piece start cache aligned
        let lastLength = count - (pieceCount - 1) * pieceLength
        return withUnsafeTemporaryAllocation(of: UInt64.self, capacity: pieceCount) { values in
            let queue = _WorkQueue(count: pieceCount)
            let shared = _SharedBuffers(input: buffer, values: values)
            let model = self
            _runConcurrently(workers) { _ in
                while let piece = queue.next() {
                    let start = piece * pieceLength
                    let length = piece == pieceCount - 1 ? lastLength : pieceLength
                    shared.values[piece] = model.checksum(
                        UnsafeRawBufferPointer(rebasing: shared.input[start..<(start + length)]))
                }
            }
            var crc = values[0]
            if pieceCount > 2 {
                let step = combiner(secondLength: UInt64(pieceLength))
                for piece in 1..<(pieceCount - 1) { crc = step.combine(crc, values[piece]) }
            }
            return combine(crc, values[pieceCount - 1], secondLength: UInt64(lastLength))
        }
    }
}

/// Runs `body` with indices in `0..<workers` on up to `workers` threads at once (the calling thread is one of them,
/// with index 0) and returns when all have returned. Not every index need be used, so `body` takes its work from
/// a shared queue.
///
/// Dispatch's pool, not threads of our own: a pool that kept its threads spinning between calls was measured against
/// it (two cores, Zen 3) and won by 6% at 16 MiB and nothing at 512 MiB, too little for threads that live as long
/// as the process.
@inline(__always)
internal func _runConcurrently(_ workers: Int, _ body: @Sendable (Int) -> Void) {
    if workers <= 1 {
        body(0)
        return
    }
    #if canImport(Dispatch)
    DispatchQueue.concurrentPerform(iterations: workers, execute: body)
    #else
    for worker in 0..<workers { body(worker) }
    #endif
}

/// Raw buffers shared by the workers of one call. Each worker writes only the slots of the pieces it took, and the
/// caller reads them after all workers have returned.
private struct _SharedBuffers: @unchecked Sendable {
    let input: UnsafeRawBufferPointer
    let values: UnsafeMutableBufferPointer<UInt64>
}

/// A mutex (pthread, so that it works on every platform the package builds on).
internal final class _Mutex: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>

    init() {
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    @inline(__always)
    func withLock<R>(_ body: () throws -> R) rethrows -> R {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body()
    }
}

/// Hands out the numbers `0..<count` in order, each once, to whichever worker asks first.
internal final class _WorkQueue: @unchecked Sendable {
    private let mutex = _Mutex()
    private var nextIndex = 0
    private var stopped = false
    let count: Int

    init(count: Int) { self.count = count }

    /// The next number, or `nil` when all are taken or ``stop()`` was called.
    func next() -> Int? {
        mutex.withLock {
            guard !stopped, nextIndex < count else { return nil }
            defer { nextIndex += 1 }
            return nextIndex
        }
    }

    /// Makes every later ``next()`` return `nil`.
    func stop() { mutex.withLock { stopped = true } }
}
#endif
