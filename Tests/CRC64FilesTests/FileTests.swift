#if !os(Windows)  // POSIX only (Package.swift)
import CRC64Files
import CRC64Kit
import CRC64TestSupport
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite("CRC64Model.checksum(_:threads:)")
struct ParallelBufferTests {
    @Test("equals the single-threaded value around chunk boundaries, for every model and thread count")
    func aroundBoundaries() {
        let mib = CRC64Model.minimumParallelChunk
        let data = randomBytes(16 * mib + 4099, seed: 11)
        let sizes = [0, 1, 255, mib - 1, mib, mib + 1, 2 * mib - 1, 2 * mib, 2 * mib + 1, 3 * mib + 7, 4 * mib,
                     8 * mib + 255, 8 * mib + 256, 9 * mib - 3, 16 * mib + 4099]
        data.withUnsafeBytes { all in
            for model in CRC64Model.presets {
                for size in sizes {
                    let buffer = UnsafeRawBufferPointer(rebasing: all[..<size])
                    let expected = model.checksum(buffer)
                    for threads in [-1, 0, 1, 2, 3, 4, 7, 16] {
                        #expect(model.checksum(buffer, threads: threads) == expected, "\(model.name) \(size) \(threads)")
                    }
                }
            }
            // A buffer that does not start on an aligned address.
            let odd = UnsafeRawBufferPointer(rebasing: all[3..<(all.count - 5)])
            #expect(CRC64Model.nvme.checksum(odd, threads: 2) == CRC64Model.nvme.checksum(odd))
        }
    }

    @Test("many callers at once, and calls in a row, all get the right value")
    func concurrentCallers() {
        let data = randomBytes(6 << 20, seed: 12)
        let expected = CRC64Model.xz.checksum(data)
        let wrong = Box(0)
        let lock = NSLock()
        DispatchQueue.concurrentPerform(iterations: 12) { caller in
            data.withUnsafeBytes { buffer in
                for round in 0..<20 {
                    let size = buffer.count - (caller * 4099 + round * 131) % (3 << 20)
                    let slice = UnsafeRawBufferPointer(rebasing: buffer[..<size])
                    if CRC64Model.xz.checksum(slice, threads: 2 + caller % 3) != CRC64Model.xz.checksum(slice) {
                        lock.lock()
                        wrong.value += 1
                        lock.unlock()
                    }
                }
            }
        }
        #expect(wrong.value == 0)
        data.withUnsafeBytes { buffer in
            for _ in 0..<200 { #expect(CRC64Model.xz.checksum(buffer, threads: 2) == expected) }
            #expect(CRC64Model.xz.checksum(buffer, threads: 4) == expected)
        }
    }
}

@Suite("CRC64Model file and descriptor functions")
struct FileFunctionTests {
    /// Small buffers and blocks, so that a few MiB cross many buffer, block, round and part boundaries.
    static let small = CRC64FileOptions(threads: 3, bufferSize: 4096, blockSize: 8192)

    @Test("whole files, every thread count and buffer layout")
    func wholeFiles() throws {
        let dir = try TemporaryDirectory()
        let all = randomBytes(5 << 20 + 3, seed: 21)
        let sizes = [0, 1, 4095, 4096, 4097, 8191, 8192, 8193, 3 * 8192 + 5, (1 << 20) - 1, 1 << 20, (2 << 20) + 1,
                     (2 << 20) + 65537, 5 << 20 + 3]
        for size in sizes {
            let data = Array(all[..<size])
            let path = try dir.write("f\(size)", data)
            for model in [CRC64Model.xz, .we, .ms] {
                let expected = model.checksum(data)
                for threads in [1, 2, 3, 4] {
                    var options = Self.small
                    options.threads = threads
                    let small = try model.checksum(contentsOfFile: path, options: options)
                    #expect(small.value == expected && small.length == UInt64(size), "\(size) \(threads)")
                    options.memoryMapping = false
                    let read = try model.checksum(contentsOfFile: path, options: options)
                    #expect(read.value == expected && read.length == UInt64(size), "\(size) \(threads) pread")
                    let standard = try model.checksum(contentsOfFile: path, threads: threads)
                    #expect(standard.value == expected && standard.length == UInt64(size), "\(size) \(threads)")
                }
            }
        }
    }

    @Test("parts match hashing each slice, at every part size")
    func parts() throws {
        let dir = try TemporaryDirectory()
        let data = randomBytes((3 << 20) + 777, seed: 22)
        let path = try dir.write("parts", data)
        for partSize in [1 << 20, 4096, 4097, 10_000, 8192 * 3, (3 << 20) + 777, 1 << 30, .max] as [UInt64] {
            var expected: [CRC64Part] = []
            var offset = 0
            repeat {
                let end = Int(min(UInt64(data.count), UInt64(offset) + min(partSize, UInt64(data.count))))
                let slice = Array(data[offset..<end])
                expected.append(CRC64Part(value: CRC64Model.nvme.checksum(slice), length: UInt64(slice.count)))
                offset = end
            } while offset < data.count
            for options in [Self.small, CRC64FileOptions(threads: 2), CRC64FileOptions(threads: 1),
                            CRC64FileOptions(threads: 2, bufferSize: 8192, blockSize: 65536, memoryMapping: false)] {
                let parts = try CRC64Model.nvme.partChecksums(contentsOfFile: path, partSize: partSize, options: options)
                #expect(parts == expected, "\(partSize) \(options.threads)")
                #expect(CRC64Model.nvme.combine(parts: parts) == CRC64Model.nvme.checksum(data))
            }
        }
        // Tiny parts, streamed and by offset.
        let tiny = try CRC64Model.xz.partChecksums(contentsOfFile: try dir.write("tiny", Array(data[..<10])), partSize: 3)
        #expect(tiny.map(\.length) == [3, 3, 3, 1])
        #expect(tiny[3].value == CRC64Model.xz.checksum([data[9]]))
    }

    @Test("descriptors: from the current offset, leaving it at the end; pipes are streamed")
    func descriptors() throws {
        let dir = try TemporaryDirectory()
        let data = randomBytes(3 << 20, seed: 23)
        let path = try dir.write("d", data)
        let fd = open(path, O_RDONLY)
        defer { close(fd) }
        lseek(fd, 1000, SEEK_SET)
        let result = try CRC64Model.xz.checksum(fileDescriptor: fd, options: Self.small)
        #expect(result.value == CRC64Model.xz.checksum(Array(data[1000...])))
        #expect(result.length == UInt64(data.count - 1000))
        #expect(lseek(fd, 0, SEEK_CUR) == off_t(data.count))

        // Positioned past the end: no bytes, the empty value, and no "changed size" error.
        lseek(fd, off_t(data.count + 100), SEEK_SET)
        let pastEnd = try CRC64Model.xz.checksum(fileDescriptor: fd, options: Self.small)
        #expect(pastEnd.value == CRC64Model.xz.emptyValue)
        #expect(pastEnd.length == 0)

        var ends: [Int32] = [0, 0]
        #expect(pipe(&ends) == 0)
        let writeEnd = ends[1]
        let writer = Thread {
            data.withUnsafeBytes { raw in
                var offset = 0
                while offset < raw.count {
                    let n = write(writeEnd, raw.baseAddress! + offset, min(100_000, raw.count - offset))
                    if n <= 0 { break }
                    offset += n
                }
            }
            close(writeEnd)
        }
        writer.start()
        let streamed = try CRC64Model.redis.partChecksums(fileDescriptor: ends[0], partSize: 1 << 20)
        close(ends[0])
        #expect(streamed.count == 3)
        #expect(CRC64Model.redis.combine(parts: streamed) == CRC64Model.redis.checksum(data))
    }

    @Test(
        "pseudo-files that report no size are read to their end",
        .enabled(if: FileManager.default.fileExists(atPath: "/proc/version"), "needs /proc (Linux)"))
    func procFiles() throws {
        let path = "/proc/version"
        let bytes = try Array(Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(!bytes.isEmpty)
        let result = try CRC64Model.xz.checksum(contentsOfFile: path)
        #expect(result.value == CRC64Model.xz.checksum(bytes))
        #expect(result.length == UInt64(bytes.count))
    }

    @Test("errors carry the path, the operation and the system's reason")
    func errors() throws {
        let dir = try TemporaryDirectory()
        do {
            _ = try CRC64Model.xz.checksum(contentsOfFile: dir.url("missing"))
            Issue.record("no error")
        } catch {
            #expect(error.kind == .notFound)
            #expect(error.operation == .open)
            #expect(error.path == dir.url("missing"))
            #expect(error.reason == "No such file or directory")
            #expect(error.description == "open \(dir.url("missing")): No such file or directory")
        }
        do {
            _ = try CRC64Model.xz.checksum(contentsOfFile: dir.path)
            Issue.record("no error")
        } catch {
            #expect(error.kind == .isDirectory)
            #expect(error.reason == "Is a directory")
        }
        #expect(CRC64FileError(path: "x", operation: .read, code: EIO).kind == .ioError)
        #expect(CRC64FileError(path: "x", operation: .open, code: EACCES).kind == .permissionDenied)
        #expect(CRC64FileError.changedSize(path: "x").description == "read x: file changed size while being read")
    }

    /// Small blocks (the cut comes between blocks) and large ones (a mapped block loses its pages while it is
    /// hashed: SIGBUS, caught), mapped or read.
    @Test(
        "a file that shrinks while it is read throws changedSize",
        arguments: [1, 2, 3], [(4096, 8192, true), (1 << 20, 16 << 20, true), (4096, 8192, false), (1 << 20, 16 << 20, false)])
    func shrinking(threads: Int, layout: (bufferSize: Int, blockSize: Int, mapping: Bool)) throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("shrinks", randomBytes(24 << 20, seed: 24))
        let truncated = Box(false)
        var options = CRC64FileOptions(
            threads: threads, bufferSize: layout.bufferSize, blockSize: layout.blockSize, memoryMapping: layout.mapping)
        options.progress = { _ in
            if !truncated.value {
                truncated.value = true
                truncate(path, 1 << 20)
            }
        }
        do {
            let result = try CRC64Model.xz.checksum(contentsOfFile: path, options: options)
            Issue.record("returned \(result)")
        } catch {
            #expect(error.kind == .changedSize)
            #expect(error.description == "read \(path): file changed size while being read")
        }
    }

    @Test("a file that grows while it is read is read to its new end", arguments: [1, 2])
    func growing(threads: Int) throws {
        let dir = try TemporaryDirectory()
        let data = randomBytes(3 << 20, seed: 25)
        let extra = randomBytes(12_345, seed: 26)
        let path = try dir.write("grows", data)
        let grown = Box(false)
        var options = CRC64FileOptions(threads: threads, bufferSize: 4096, blockSize: 8192)
        options.progress = { _ in
            if !grown.value {
                grown.value = true
                let handle = FileHandle(forWritingAtPath: path)!
                handle.seekToEndOfFile()
                handle.write(Data(extra))
                handle.closeFile()
            }
        }
        let result = try CRC64Model.xz.checksum(contentsOfFile: path, options: options)
        #expect(result.length == UInt64(data.count + extra.count))
        #expect(result.value == CRC64Model.xz.checksum(data + extra))
    }

    @Test("offsets past 4 GiB, without reading 4 GiB: a descriptor positioned in a sparse file")
    func pastFourGiB() throws {
        let dir = try TemporaryDirectory()
        let path = dir.url("sparse")
        let data = randomBytes(4 << 20, seed: 27)
        let offset: UInt64 = (4 << 30) - (2 << 20)
        try makeSparseFile(path, size: offset + UInt64(data.count), data: data, at: offset)
        let fd = open(path, O_RDONLY)
        defer { close(fd) }
        for threads in [1, 2] {
            lseek(fd, off_t(offset), SEEK_SET)
            let parts = try CRC64Model.xz.partChecksums(
                fileDescriptor: fd, partSize: 1 << 20, options: CRC64FileOptions(threads: threads))
            #expect(parts.count == 4)
            #expect(parts[2].value == CRC64Model.xz.checksum(Array(data[(2 << 20)..<(3 << 20)])))  // above 4 GiB
            #expect(CRC64Model.xz.combine(parts: parts) == CRC64Model.xz.checksum(data))
            #expect(UInt64(lseek(fd, 0, SEEK_CUR)) == offset + UInt64(data.count))
        }
    }
}
#endif
