#if os(Linux) && canImport(Synchronization)
import CRC64Kit
import Glibc
import Synchronization

/// Worker threads that wait for work by spinning for a millisecond before they sleep.
///
/// Hashing 16 MiB takes a core about 0.3 ms; waking a sleeping core (a futex wake, and in a virtual machine an
/// interrupt to an idle virtual CPU) takes tens of microseconds, a large part of the half that a second thread
/// saves. Workers that have just finished a job stay awake for ``spinSeconds``, so back-to-back parallel calls
/// find them ready, as with the spin-then-block waiting of OpenMP runtimes. After that they sleep on a condition
/// variable and cost nothing.
///
/// One caller at a time: a call that finds the pool busy (another thread's call, or a call from inside a job)
/// returns `false` and the caller uses Dispatch instead. Workers are created on first use, one per processor but
/// the caller's, and live as long as the process. In a child of `fork()` the pool's threads do not exist, so the
/// pool declines every call there.
final class _SpinPool: @unchecked Sendable {  // shared state is atomics, or guarded by `busy` and the handshakes
    static let spinSeconds = 0.001

    /// The process's pool, created (with its threads) on first use.
    static let shared: _SpinPool = {
        pthread_atfork(nil, nil, { _SpinPool.forked.store(true, ordering: .relaxed) })
        return _SpinPool(count: Swift.min(CRC64Model.defaultThreadCount - 1, 63))
    }()

    private static let forked = Atomic<Bool>(false)

    private final class Worker: @unchecked Sendable {
        /// 0: idle; 1: a job is posted. The worker runs it and stores 0 (release); the caller waits for 0 (acquire).
        let state = Atomic<Int>(0)
        /// The job and this worker's index in it: written by the caller before it stores 1 in `state`.
        var job: ((Int) -> Void)?
        var index = 0
        let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
        let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
        /// Guarded by `mutex`.
        var sleeping = false

        init() {
            mutex.initialize(to: pthread_mutex_t())
            condition.initialize(to: pthread_cond_t())
            pthread_mutex_init(mutex, nil)
            pthread_cond_init(condition, nil)
        }
    }

    private let workers: [Worker]
    private let busy = Atomic<Bool>(false)

    private init(count: Int) {
        var started: [Worker] = []
        for _ in 0..<Swift.max(0, count) {
            let worker = Worker()
            var thread = pthread_t()
            let context = Unmanaged.passRetained(worker).toOpaque()
            let created = pthread_create(&thread, nil, { context in
                _SpinPool.serve(Unmanaged<Worker>.fromOpaque(context!).takeRetainedValue())
            }, context)
            guard created == 0 else {
                Unmanaged<Worker>.fromOpaque(context).release()
                break
            }
            pthread_detach(thread)
            started.append(worker)
        }
        workers = started
    }

    /// Runs `body(0)` on the calling thread and `body(1)`, `body(2)`... on up to `count - 1` workers, and returns
    /// when all have returned; fewer than `count` indices are used if the pool has fewer workers, so `body` must
    /// share its work out dynamically. Returns `false`, having run nothing, if the pool cannot take the call.
    func run(_ count: Int, _ body: (Int) -> Void) -> Bool {
        guard count > 1, !workers.isEmpty, !Self.forked.load(ordering: .relaxed),
            busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged
        else { return false }
        let helpers = Swift.min(count - 1, workers.count)
        withoutActuallyEscaping(body) { body in
            for index in 1...helpers {
                let worker = workers[index - 1]
                worker.job = body
                worker.index = index
                worker.state.store(1, ordering: .releasing)
                pthread_mutex_lock(worker.mutex)
                if worker.sleeping { pthread_cond_signal(worker.condition) }
                pthread_mutex_unlock(worker.mutex)
            }
            body(0)
            for index in 1...helpers {
                let worker = workers[index - 1]
                var spins = 0
                while worker.state.load(ordering: .acquiring) != 0 {
                    spins &+= 1
                    if spins & 4095 == 0 { sched_yield() }  // the worker may have lost its core: give it back
                }
                worker.job = nil  // the job's closure does not outlive this call
            }
        }
        busy.store(false, ordering: .releasing)
        return true
    }

    private static func serve(_ worker: Worker) -> UnsafeMutableRawPointer? {
        var spinUntil = monotonicSeconds() + spinSeconds
        while true {
            var spins = 0
            while worker.state.load(ordering: .acquiring) != 1 {
                spins &+= 1
                guard spins & 255 == 0, monotonicSeconds() > spinUntil else { continue }
                pthread_mutex_lock(worker.mutex)
                while worker.state.load(ordering: .acquiring) != 1 {
                    worker.sleeping = true
                    pthread_cond_wait(worker.condition, worker.mutex)
                }
                worker.sleeping = false
                pthread_mutex_unlock(worker.mutex)
            }
            worker.job!(worker.index)
            worker.state.store(0, ordering: .releasing)
            spinUntil = monotonicSeconds() + spinSeconds
        }
    }
}
#endif
