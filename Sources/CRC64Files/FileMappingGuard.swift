#if !os(Windows)  // POSIX only (Package.swift)
#if os(Linux) && canImport(Synchronization)
import Glibc
import Synchronization

/// Makes reading a memory-mapped file safe when the file is truncated meanwhile.
///
/// Touching a page of a file mapping that lies past the end of the file raises SIGBUS, which kills the process. While
/// a window of a file is mapped and hashed, its address range is registered here. A SIGBUS handler, installed once
/// per process on first use, looks the faulting address up: if it lies in a registered window, the handler maps
/// anonymous zero pages over the rest of the window (`MAP_FIXED`), marks the window as faulted and returns, so the
/// hashing finishes on zeros; the reader then sees the mark and throws instead of returning that value. A SIGBUS
/// anywhere else goes to the handler that was installed before (the Swift runtime's crash reporter, say), or to the
/// default action.
///
/// A process that installs its own SIGBUS handler later, without chaining, loses this protection: a truncation then
/// kills the process, but it still never produces a wrong value.
enum _MappingGuard {
    /// Windows mapped at once, across all threads and calls; a reader that finds none free reads with `pread`.
    static let slotCount = 64

    final class Slot: Sendable {
        /// The window's first address, 0 when the slot is free. Stored last when registering (release), cleared
        /// first when unregistering, so that the handler sees a consistent `end`.
        let start = Atomic<UInt>(0)
        let end = Atomic<UInt>(0)
        let faulted = Atomic<Bool>(false)
        /// Taken by a reader; changed only under `mutex`.
        let taken = Atomic<Bool>(false)
    }

    static let slots: [Slot] = (0..<slotCount).map { _ in Slot() }
    static let pageSize = UInt(sysconf(Int32(_SC_PAGESIZE)))
    private static let mutex = _Mutex()
    /// The SIGBUS action before ours: written once, before ours is installed.
    nonisolated(unsafe) private static var previous = sigaction()

    /// Whether the handler is in place (installing it on first use).
    static let isInstalled: Bool = {
        _ = slots.count  // create the slots before the handler can look at them
        _ = pageSize
        var action = sigaction()
        action.__sigaction_handler.sa_sigaction = { signal, info, context in
            _MappingGuard.handle(signal, info, context)
        }
        action.sa_flags = SA_SIGINFO | SA_ONSTACK
        sigemptyset(&action.sa_mask)
        return sigaction(SIGBUS, &action, &previous) == 0
    }()

    /// Registers `[start, end)` before it is read. `nil` if no slot is free or the handler could not be installed.
    static func register(start: UnsafeRawPointer, length: Int) -> Int? {
        guard isInstalled else { return nil }
        let index: Int? = mutex.withLock {
            guard let index = slots.firstIndex(where: { !$0.taken.load(ordering: .relaxed) }) else { return nil }
            slots[index].taken.store(true, ordering: .relaxed)
            return index
        }
        guard let index else { return nil }
        let slot = slots[index]
        let first = UInt(bitPattern: start)
        slot.faulted.store(false, ordering: .relaxed)
        slot.end.store(first + UInt(length), ordering: .relaxed)
        slot.start.store(first, ordering: .releasing)
        return index
    }

    /// Unregisters a window after it is read and before it is unmapped; returns whether it faulted.
    static func unregister(_ index: Int) -> Bool {
        let slot = slots[index]
        slot.start.store(0, ordering: .releasing)
        slot.end.store(0, ordering: .relaxed)
        let faulted = slot.faulted.load(ordering: .acquiring)
        mutex.withLock { slot.taken.store(false, ordering: .relaxed) }
        return faulted
    }

    private static func handle(
        _ signal: Int32, _ info: UnsafeMutablePointer<siginfo_t>?, _ context: UnsafeMutableRawPointer?
    ) {
        // si_code > 0: raised by the kernel for a fault, not sent by kill() (whose sender fields overlay si_addr).
        if let info, info.pointee.si_code > 0 {
            let address = UInt(bitPattern: info.pointee._sifields._sigfault.si_addr)
            for slot in slots {
                let start = slot.start.load(ordering: .acquiring)
                guard start != 0, address >= start else { continue }
                let end = slot.end.load(ordering: .relaxed)
                guard address < end else { continue }
                let page = address & ~(pageSize - 1)
                let zeros = mmap(
                    UnsafeMutableRawPointer(bitPattern: page), Int(end - page), PROT_READ,
                    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0)
                if zeros != MAP_FAILED {
                    slot.faulted.store(true, ordering: .releasing)
                    return  // the faulting read is retried, on zeros
                }
            }
        }
        // Not one of ours: whoever handled SIGBUS before.
        let before = previous
        if before.sa_flags & SA_SIGINFO != 0, let chained = before.__sigaction_handler.sa_sigaction {
            chained(signal, info, context)
            return
        }
        let plain = before.__sigaction_handler.sa_handler
        let raw = unsafeBitCast(plain, to: Int.self)
        if let plain, raw != 1 {  // neither SIG_DFL (0) nor SIG_IGN (1)
            plain(signal)
            return
        }
        // The default action: reinstate it and return; the fault happens again and ends the process as it would
        // have without us.
        var fallback = sigaction()
        fallback.__sigaction_handler.sa_handler = nil
        sigemptyset(&fallback.sa_mask)
        sigaction(SIGBUS, &fallback, nil)
    }
}
#endif
#endif
