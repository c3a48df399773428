#if !os(Windows)  // POSIX only (Package.swift)
import CRC64Kit

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// How `CRC64Model` reads a file: threads, buffer sizes, progress.
public struct CRC64FileOptions: Sendable {
    /// The most threads that read and hash one regular file at once (at most 32, each with its own buffer).
    /// Default: ``CRC64Kit/CRC64Model/defaultThreadCount``. Pipes, terminals and other streams are read by one thread
    /// whatever this says.
    public var threads: Int
    /// The bytes each thread reads with one `read` call into its own buffer (when not mapping), and hashes between
    /// two progress reports. Default 1 MiB, which stays in the core's cache between the copy and the hashing.
    public var bufferSize: Int
    /// The largest stretch of a regular file that one thread takes (and maps) at a time. Default 16 MiB, and at
    /// most 64 MiB divided by the threads, so that mapped windows stay under 64 MiB in all. Smaller files are cut
    /// into smaller stretches, at least ``bufferSize`` bytes, so that every thread gets some.
    public var blockSize: Int
    /// Whether regular files are memory-mapped (on Linux; elsewhere they are always read with `pread`). Default
    /// `true`: hashing the page cache in place beats copying it out by about a quarter. Stretches that cannot be
    /// mapped are read with `pread`.
    public var memoryMapping: Bool
    /// Called with the number of bytes read so far, after each buffer, on whichever thread read it (never two
    /// calls at once). Keep it cheap: it runs while the other threads wait for it.
    public var progress: (@Sendable (_ bytesRead: UInt64) -> Void)?

    /// Options with the defaults described at each property; change only what you need.
    public init(
        threads: Int = CRC64Model.defaultThreadCount, bufferSize: Int = 1 << 20, blockSize: Int = 16 << 20,
        memoryMapping: Bool = true, progress: (@Sendable (_ bytesRead: UInt64) -> Void)? = nil
    ) {
        self.threads = threads
        self.bufferSize = bufferSize
        self.blockSize = blockSize
        self.memoryMapping = memoryMapping
        self.progress = progress
    }
}

extension CRC64Model {
    /// The CRC and length of a file's contents.
    ///
    /// A regular file is cut into stretches of up to 16 MiB that up to `threads` threads take in turn, map into
    /// memory (`mmap`, `MADV_SEQUENTIAL`) and hash in place, unmapping each when done; the stretches' values are
    /// joined in order with `combine(_:_:secondLength:)`. Memory use does not grow with the file (at most 64 MiB
    /// mapped at once), offsets are 64-bit, and a page-cached file is hashed faster than `cat` copies it. Where
    /// mapping fails, stretches are read with `pread` into a 1 MiB buffer per thread. Small files are read with
    /// `pread` by the calling thread; pipes, FIFOs, character devices and the like (`/dev/stdin`) are read to their
    /// end by the calling thread.
    ///
    /// Like `cat`, reading goes on to the end of the file, also if it grows meanwhile. If it gets shorter, the
    /// bytes read would mix two versions of the file, so the function throws ``CRC64FileError/Kind/changedSize``
    /// instead of returning a value.
    ///
    /// - Throws: ``CRC64FileError`` with the path, the failed operation and the `errno` reason: a missing path,
    ///   a directory, a refused permission, an I/O error, or a file that shrank.
    public func checksum(
        contentsOfFile path: String, threads: Int = CRC64Model.defaultThreadCount
    ) throws(CRC64FileError) -> (value: UInt64, length: UInt64) {
        try checksum(contentsOfFile: path, options: CRC64FileOptions(threads: threads))
    }

    /// ``checksum(contentsOfFile:threads:)`` with every reading option.
    public func checksum(
        contentsOfFile path: String, options: CRC64FileOptions
    ) throws(CRC64FileError) -> (value: UInt64, length: UInt64) {
        let parts = try partChecksums(contentsOfFile: path, partSize: .max, options: options)
        return (parts[0].value, parts[0].length)
    }

    /// The CRC and length of what remains to be read from an open file descriptor, such as standard input (`0`).
    ///
    /// A regular file is read from its current offset to its end, with several threads, and the offset is left
    /// at the end; anything else is read to end of file by the calling thread. The descriptor stays open.
    ///
    /// - Parameters:
    ///   - fileDescriptor: An open descriptor, read from its current offset.
    ///   - name: The name that errors show, `"-"` by default.
    ///   - options: How to read: threads, buffer sizes, progress.
    public func checksum(
        fileDescriptor: Int32, name: String = "-", options: CRC64FileOptions = CRC64FileOptions()
    ) throws(CRC64FileError) -> (value: UInt64, length: UInt64) {
        let parts = try partChecksums(fileDescriptor: fileDescriptor, name: name, partSize: .max, options: options)
        return (parts[0].value, parts[0].length)
    }

    /// The CRC of each `partSize`-byte part of a file, as a multipart upload would cut it: every part is
    /// `partSize` bytes except the last, which has the rest (an empty file gives one empty part).
    ///
    /// These are the values that OSS's UploadPart returns for the parts; `combine(parts:)` of the result is
    /// the whole file's CRC, which CompleteMultipartUpload returns. Reads like ``checksum(contentsOfFile:threads:)``.
    ///
    /// - Precondition: `partSize > 0`.
    public func partChecksums(
        contentsOfFile path: String, partSize: UInt64, options: CRC64FileOptions = CRC64FileOptions()
    ) throws(CRC64FileError) -> [CRC64Part] {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)
        guard fd >= 0 else { throw CRC64FileError(path: path, operation: .open, code: errno) }
        defer { close(fd) }
        return try partChecksums(fileDescriptor: fd, name: path, partSize: partSize, options: options)
    }

    /// ``partChecksums(contentsOfFile:partSize:options:)`` for what remains to be read from an open file
    /// descriptor (see ``checksum(fileDescriptor:name:options:)``).
    public func partChecksums(
        fileDescriptor: Int32, name: String = "-", partSize: UInt64,
        options: CRC64FileOptions = CRC64FileOptions()
    ) throws(CRC64FileError) -> [CRC64Part] {
        precondition(partSize > 0, "partSize must be positive")
        var reader = _FileReader(model: self, fd: fileDescriptor, name: name, partSize: partSize, options: options)
        return try reader.run()
    }
}

// MARK: - Reading

/// One pass over one file descriptor, cutting the data into parts.
private struct _FileReader {
    let model: CRC64Model
    let fd: Int32
    let name: String
    let partSize: UInt64
    let threads: Int
    let bufferSize: Int
    let blockSize: Int
    let progress: _Progress?
    let memoryMapping: Bool

    /// Finished parts.
    var parts: [CRC64Part] = []
    /// The part being filled.
    var partValue: UInt64
    var partLength: UInt64 = 0
    /// Bytes of the data (from the start offset) passed to the parts so far.
    var total: UInt64 = 0

    /// More threads than this add no speed (memory and storage bandwidth run out first) but would add buffers.
    static let maximumThreads = 32

    init(model: CRC64Model, fd: Int32, name: String, partSize: UInt64, options: CRC64FileOptions) {
        self.model = model
        self.fd = fd
        self.name = name
        self.partSize = partSize
        threads = Swift.min(Swift.max(1, options.threads), Self.maximumThreads)
        bufferSize = Swift.max(4096, options.bufferSize)
        blockSize = Swift.max(bufferSize, options.blockSize)
        progress = options.progress.map(_Progress.init)
        memoryMapping = options.memoryMapping
        partValue = model.emptyValue
    }

    mutating func run() throws(CRC64FileError) -> [CRC64Part] {
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw error(.stat, errno) }
        let type = info.st_mode & S_IFMT
        if type == S_IFDIR { throw error(.read, EISDIR) }
        // Regular files with a size are read by offset, in parallel when large. Everything else (pipes, devices,
        // sockets, and /proc files that claim a size of 0) is read as a stream to its end.
        let start = type == S_IFREG && info.st_size > 0 ? lseek(fd, 0, SEEK_CUR) : -1
        if start < 0 {
            try readToEnd(offset: nil)
            return finish()
        }
        let base = UInt64(start)
        let initialSize = UInt64(info.st_size)
        let size = initialSize > base ? initialSize - base : 0
        #if os(Linux)
        _ = posix_fadvise(fd, off_t(start), 0, POSIX_FADV_SEQUENTIAL)
        #endif

        // Small files are read with pread by this thread; larger ones by blocks (mapped, and with several threads).
        if size >= 2 * UInt64(Self.minimumBlock(bufferSize)) {
            if try readByBlocks(base: base, size: size) {
                // The file claims more bytes than it has (a pseudo-file): start over, reading to its end.
                self = _FileReader(
                    model: model, fd: fd, name: name, partSize: partSize,
                    options: CRC64FileOptions(
                        threads: 1, bufferSize: bufferSize, blockSize: blockSize, memoryMapping: false,
                        progress: progress?.callback))
            }
        }
        // The sequential pass, or after the parallel pass whatever was appended meanwhile.
        try readToEnd(offset: base + total)

        guard fstat(fd, &info) == 0 else { throw error(.stat, errno) }
        // Shorter now than it was or than what was read: the file was cut while being read, so what was read may
        // mix two versions of it. (A pseudo-file that reports a size it does not have keeps that size and passes.)
        // (Nothing read from a descriptor positioned past the end is no sign of a cut.)
        if UInt64(Swift.max(0, info.st_size)) < Swift.max(initialSize, total > 0 ? base + total : 0) {
            throw .changedSize(path: name)
        }
        _ = lseek(fd, off_t(base + total), SEEK_SET)  // leave a shared offset (standard input) after the data
        return finish()
    }

    private func error(_ operation: CRC64FileError.Operation, _ code: Int32) -> CRC64FileError {
        CRC64FileError(path: name, operation: operation, code: code)
    }

    private static func minimumBlock(_ bufferSize: Int) -> Int {
        Swift.max(bufferSize, CRC64Model.minimumParallelChunk)
    }

    /// Closes the last part (an empty input still has one, empty, part) and returns all.
    private mutating func finish() -> [CRC64Part] {
        if partLength > 0 || parts.isEmpty {
            parts.append(CRC64Part(value: partValue, length: partLength))
        }
        return parts
    }

    /// Passes bytes, in order, to the parts.
    private mutating func feed(_ buffer: UnsafeRawBufferPointer) {
        var rest = buffer
        while !rest.isEmpty {
            let room = partSize - partLength
            let n = UInt64(rest.count) <= room ? rest.count : Int(room)
            var hasher = CRC64Hasher(model: model, continuingFrom: partValue)
            hasher.update(UnsafeRawBufferPointer(rebasing: rest[..<n]))
            append(value: hasher.value, length: UInt64(n), continued: true)
            rest = UnsafeRawBufferPointer(rebasing: rest[n...])
        }
    }

    /// Adds a stretch of `length` bytes to the current part: `value` is its own CRC, or with `continued` the CRC of
    /// the part so far followed by it.
    private mutating func append(value: UInt64, length: UInt64, continued: Bool) {
        partValue = continued ? value : model.combine(partValue, value, secondLength: length)
        partLength += length
        total += length
        if partLength == partSize {
            parts.append(CRC64Part(value: partValue, length: partLength))
            partValue = model.emptyValue
            partLength = 0
        }
    }

    /// Reads from `offset` (with `pread`) or from the current position (with `read`) to end of file.
    private mutating func readToEnd(offset: UInt64?) throws(CRC64FileError) {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: bufferSize, alignment: 4096)
        defer { buffer.deallocate() }
        var position = offset
        while true {
            let n: Int
            if let position {
                n = pread(fd, buffer.baseAddress, buffer.count, off_t(position))
            } else {
                n = read(fd, buffer.baseAddress, buffer.count)
            }
            if n < 0 {
                let code = errno
                if code == EINTR { continue }
                if code == EAGAIN || code == EWOULDBLOCK {  // a non-blocking descriptor: wait for data
                    var request = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                    _ = poll(&request, 1, -1)
                    continue
                }
                throw error(.read, code)
            }
            if n == 0 { return }
            feed(UnsafeRawBufferPointer(rebasing: buffer[..<n]))
            position? += UInt64(n)
            progress?.add(UInt64(n))
        }
    }

    /// Reads `size` bytes from `base` with up to `threads` threads, in rounds of blocks that never cross a part
    /// boundary. Returns `true` if the file ended early without getting shorter (a pseudo-file): the caller starts
    /// over.
    private mutating func readByBlocks(base: UInt64, size: UInt64) throws(CRC64FileError) -> Bool {
        // About four blocks a thread for a small file, so that a slow thread costs little; whole buffers; at most
        // 64 MiB mapped by all threads together.
        let perThread = (size / UInt64(threads * 4)) / UInt64(bufferSize) * UInt64(bufferSize)
        let mappedShare = UInt64(Swift.max(bufferSize, (64 << 20) / threads / bufferSize * bufferSize))
        let blockLength = Swift.min(
            UInt64(blockSize), mappedShare, Swift.max(UInt64(Self.minimumBlock(bufferSize)), perThread))
        let roundBlocks = threads * 32  // threads wait for each other only between rounds
        let buffers = UnsafeMutableRawPointer.allocate(byteCount: threads * bufferSize, alignment: 4096)
        defer { buffers.deallocate() }
        var blocks: [(offset: UInt64, length: UInt64)] = []
        blocks.reserveCapacity(roundBlocks)
        var values = [UInt64](repeating: 0, count: roundBlocks)

        var position: UInt64 = 0  // relative to base; part boundaries are multiples of partSize from here
        while position < size {
            blocks.removeAll(keepingCapacity: true)
            while position < size && blocks.count < roundBlocks {
                let (partNumber, _) = position.quotientAndRemainder(dividingBy: partSize)
                let (partEnd, overflow) = (partNumber + 1).multipliedReportingOverflow(by: partSize)
                let end = Swift.min(size, overflow ? .max : partEnd, position + blockLength)
                blocks.append((position, end - position))
                position = end
            }
            let outcome = values.withUnsafeMutableBufferPointer { values in
                hashBlocks(base: base, blocks: blocks, values: values, buffers: buffers)
            }
            switch outcome {
            case .done: break
            case .failed(let failure): throw failure
            case .endedEarly: return true
            }
            for (index, block) in blocks.enumerated() {
                append(value: values[index], length: block.length, continued: false)
            }
        }
        return false
    }

    /// Hashes `blocks` (offsets relative to `base`) into `values` with up to `threads` threads, each reading into
    /// its own slice of `buffers`.
    private func hashBlocks(
        base: UInt64, blocks: [(offset: UInt64, length: UInt64)], values: UnsafeMutableBufferPointer<UInt64>,
        buffers: UnsafeMutableRawPointer
    ) -> _RoundOutcome {
        let queue = _WorkQueue(count: blocks.count)
        let state = _RoundState()
        let shared = _RoundShared(values: values, buffers: buffers)
        let block = _BlockReader(
            model: model, fd: fd, name: name, bufferSize: bufferSize, progress: progress,
            memoryMapping: memoryMapping)
        _runConcurrently(Swift.min(threads, blocks.count)) { worker in
            let buffer = UnsafeMutableRawBufferPointer(
                start: shared.buffers + worker * bufferSize, count: bufferSize)
            while let index = queue.next() {
                let start = base + blocks[index].offset
                switch block.hash(from: start, to: start + blocks[index].length, buffer: buffer) {
                case .success(let value):
                    shared.values[index] = value
                case .failure(let error):
                    queue.stop()
                    state.record(error.outcome)
                    return
                }
            }
        }
        return state.outcome
    }
}

/// Hashes one block of a regular file: mapped when possible, else with `pread`.
private struct _BlockReader: Sendable {
    let model: CRC64Model
    let fd: Int32
    let name: String
    let bufferSize: Int
    let progress: _Progress?
    let memoryMapping: Bool

    /// The CRC of the file's bytes `start..<end`, or why there is none.
    func hash(
        from start: UInt64, to end: UInt64, buffer: UnsafeMutableRawBufferPointer
    ) -> Result<UInt64, _RoundOutcomeError> {
        #if os(Linux) && canImport(Synchronization)
        if memoryMapping, let mapped = hashMapped(from: start, to: end) { return mapped }
        #endif
        return hashRead(from: start, to: end, buffer: buffer)
    }

    #if os(Linux) && canImport(Synchronization)
    /// Maps the block and hashes it in place; `nil` if it cannot be mapped (then the caller reads it).
    private func hashMapped(from start: UInt64, to end: UInt64) -> Result<UInt64, _RoundOutcomeError>? {
        let pageStart = start & ~UInt64(_MappingGuard.pageSize - 1)
        let skip = Int(start - pageStart)
        let length = skip + Int(end - start)
        guard let mapping = mmap(nil, length, PROT_READ, MAP_SHARED, fd, off_t(pageStart)), mapping != MAP_FAILED
        else { return nil }
        defer { munmap(mapping, length) }
        // A file shortened by another process while we read raises SIGBUS: the guard turns it into zeros and a mark.
        guard let slot = _MappingGuard.register(start: UnsafeRawPointer(mapping), length: length) else { return nil }
        _ = madvise(mapping, length, MADV_SEQUENTIAL)
        var hasher = CRC64Hasher(model: model)
        var offset = skip
        while offset < length {
            let step = Swift.min(bufferSize, length - offset)
            hasher.update(UnsafeRawBufferPointer(start: mapping + offset, count: step))
            offset += step
            progress?.add(UInt64(step))
        }
        if _MappingGuard.unregister(slot) {
            var info = stat()
            if fstat(fd, &info) != 0 {
                return .failure(_RoundOutcomeError(.failed(CRC64FileError(path: name, operation: .stat, code: errno))))
            }
            // Mapped pages past the end of the file. If the file did not get shorter, the reason is elsewhere (an
            // I/O error paging in, a file system that claims more than it has): reading it again with pread tells.
            let shrunk = UInt64(Swift.max(0, info.st_size)) < end
            return .failure(_RoundOutcomeError(shrunk ? .failed(.changedSize(path: name)) : .endedEarly))
        }
        return .success(hasher.value)
    }
    #endif

    /// Reads the block with `pread` into `buffer` and hashes it.
    private func hashRead(
        from start: UInt64, to end: UInt64, buffer: UnsafeMutableRawBufferPointer
    ) -> Result<UInt64, _RoundOutcomeError> {
        var hasher = CRC64Hasher(model: model)
        var offset = start
        while offset < end {
            let want = Int(Swift.min(UInt64(buffer.count), end - offset))
            let n = pread(fd, buffer.baseAddress, want, off_t(offset))
            if n > 0 {
                hasher.update(UnsafeRawBufferPointer(rebasing: buffer[..<n]))
                offset += UInt64(n)
                progress?.add(UInt64(n))
                continue
            }
            let code = n < 0 ? errno : 0
            if code == EINTR { continue }
            if code != 0 {
                return .failure(_RoundOutcomeError(.failed(CRC64FileError(path: name, operation: .read, code: code))))
            }
            // End of file before the block's end: shorter than it was, or a pseudo-file.
            var info = stat()
            if fstat(fd, &info) != 0 {
                return .failure(_RoundOutcomeError(.failed(CRC64FileError(path: name, operation: .stat, code: errno))))
            }
            if UInt64(Swift.max(0, info.st_size)) < end {
                return .failure(_RoundOutcomeError(.failed(.changedSize(path: name))))
            }
            return .failure(_RoundOutcomeError(.endedEarly))
        }
        return .success(hasher.value)
    }
}

/// A round outcome other than `.done`, as an error for `Result`.
private struct _RoundOutcomeError: Error, @unchecked Sendable {
    let outcome: _RoundOutcome
    init(_ outcome: _RoundOutcome) { self.outcome = outcome }
}

/// Pointers shared by the workers of one round: each writes only its own buffer slice and the slots of the blocks
/// it took; the caller reads the slots after all have returned.
private struct _RoundShared: @unchecked Sendable {
    let values: UnsafeMutableBufferPointer<UInt64>
    let buffers: UnsafeMutableRawPointer
}

private enum _RoundOutcome {
    case done
    case failed(CRC64FileError)
    /// A block ended before its end without the file getting shorter.
    case endedEarly
}

/// The first failure of a round.
private final class _RoundState: @unchecked Sendable {
    private let mutex = _Mutex()
    private var first: _RoundOutcome?

    func record(_ outcome: _RoundOutcome) {
        mutex.withLock { if first == nil { first = outcome } }
    }

    var outcome: _RoundOutcome { mutex.withLock { first ?? .done } }
}

/// Counts bytes and reports them, one call at a time.
private final class _Progress: @unchecked Sendable {
    let callback: @Sendable (UInt64) -> Void
    private let mutex = _Mutex()
    private var bytes: UInt64 = 0

    init(_ callback: @escaping @Sendable (UInt64) -> Void) { self.callback = callback }

    func add(_ count: UInt64) {
        mutex.withLock {
            bytes += count
            callback(bytes)
        }
    }
}
#endif
