"""A local file system for fsspec that misbehaves on purpose, for the tests of crc64.dask: ``crc64fault:///path``.

What it does wrong is set by its storage options, so that it travels with the file system object to Dask's worker
processes (they import this module from the tests' folder, which they find on the sys.path they inherit):

- ``extra_size=N``: info() reports N bytes more than the file has, so the last range comes back short;
- ``fail_at=OFFSET``: a read that covers OFFSET raises OSError;
- ``die_at=OFFSET``: a read that covers OFFSET ends its process at once (os._exit), as a worker killed by the
  system would; with ``marker=PATH`` only while PATH does not exist (it is created first), so only the first time;
- ``touch_at=OFFSET``: a read that covers OFFSET first moves the file's modification time (a rewrite);
- ``log=PATH``: every read appends its size to PATH, one a line.
"""

import errno
import os

import fsspec
from fsspec.implementations.local import LocalFileSystem


class FaultFileSystem(LocalFileSystem):
    protocol = "crc64fault"

    def __init__(self, extra_size=0, fail_at=None, die_at=None, marker=None, touch_at=None, log=None, **kwargs):
        super().__init__(**kwargs)
        self.extra_size = extra_size
        self.fail_at = fail_at
        self.die_at = die_at
        self.marker = marker
        self.touch_at = touch_at
        self.log = log

    @classmethod
    def _strip_protocol(cls, path):
        return super()._strip_protocol(path.removeprefix("crc64fault://"))

    def info(self, path, **kwargs):
        info = super().info(path, **kwargs)
        return dict(info, size=info["size"] + self.extra_size) if info["type"] == "file" else info

    def _open(self, path, mode="rb", block_size=None, **kwargs):
        return FaultFile(self, path, super()._open(path, mode, block_size, **kwargs))


class FaultFile:
    def __init__(self, fs, path, file):
        self.fs = fs
        self.path = path
        self.file = file

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.file.close()

    def seek(self, offset, whence=0):
        return self.file.seek(offset, whence)

    def readinto(self, buffer):
        start = self.file.tell()
        size = len(buffer)
        if self.fs.log:
            with open(self.fs.log, "a") as log:
                log.write(f"{size}\n")

        def covers(offset):
            return offset is not None and start <= offset < start + size

        if covers(self.fs.die_at) and not (self.fs.marker and os.path.exists(self.fs.marker)):
            if self.fs.marker:
                open(self.fs.marker, "w").close()
            os._exit(17)
        if covers(self.fs.fail_at):
            raise OSError(errno.EIO, "injected I/O error")
        if covers(self.fs.touch_at):
            info = os.stat(self.path)
            os.utime(self.path, ns=(info.st_atime_ns, info.st_mtime_ns + 10**9))
        return self.file.readinto(buffer)


fsspec.register_implementation("crc64fault", FaultFileSystem, clobber=True)
