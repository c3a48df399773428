"""The CRC-64 of one object, computed past one machine: Dask tasks hash byte ranges of it, each reading its own
range through fsspec (local files, ``s3://`` with s3fs, ``oss://`` with ossfs, ``http(s)://``, ...), and a tree of
``combine`` calls folds their values, in order, into the object's. Installed by ``pip install "crc64[dask]"``.

>>> import crc64.dask
>>> crc64.dask.checksum("data.bin")                                    # CRC-64/XZ, on Dask's threads
Checksum(value=11051210869376104954, length=9)
>>> crc64.dask.checksum("s3://bucket/key", model="nvme", client=client)  # on a cluster  # doctest: +SKIP

Each task streams its range in chunks of 8 MiB through one preallocated buffer and hashes each with the GIL
released, so a worker holds at most a chunk per task, whatever the part size. Nothing is ever silently wrong: a
missing object, a range that comes back short, a task that fails, a worker that dies more often than Dask retries
and an object that changed during the run all raise.
"""

from __future__ import annotations

import contextlib
import functools
import sys
import uuid
from typing import Any, NamedTuple

try:
    import dask.threaded
    import fsspec.core
    from dask.diagnostics import ProgressBar
except ImportError as error:
    raise ImportError('crc64.dask needs Dask: pip install "crc64[dask]"') from error

from . import Model, _model_named

__all__ = ["DEFAULT_PART_SIZE", "Checksum", "PartChecksum", "ReadError", "checksum", "part_checksums"]

#: 256 MiB: a task reads for about 0.27 s at 1 GB/s, past Dask's advice of 100 ms, so that its fixed costs (1-2 ms
#: on a distributed scheduler, as measured; an object store's request latency) stay near 1%; and 100 workers at
#: 1 GB/s need about 370 parts a second, which one scheduler keeps up with (64 MiB parts: 1,500, more than the 1.7 ms
#: a task measured allows). A lost worker costs one part's rerun; a task's memory does not grow with it (_CHUNK). A
#: page-cached 1 GiB on a 2-core LocalCluster: 1.8, 7.6 and 14.1 GB/s with 8, 64 and 256 MiB parts
#: (perf-reports/2026-12-04-dask.md).
DEFAULT_PART_SIZE = 256 << 20

# What a task reads and hashes at a time, into one buffer: its memory, whatever the part size. Each read is one
# request to an object store (cache_type "none"), so a chunk is also large enough that a request's latency is small
# against its transfer.
_CHUNK = 8 << 20

# How many values one fold task combines: the tree has ceil(log32(parts)) levels and 1/31 as many tasks as parts.
_FAN_IN = 32

# Keys of fsspec's info() that change when an object is rewritten, across file systems (local: mtime and inode;
# S3 and OSS: ETag, LastModified, VersionId; GCS: generation).
_VERSION_KEYS = ("size", "ETag", "etag", "LastModified", "last_modified", "mtime", "ino", "VersionId", "generation")


class Checksum(NamedTuple):
    """The CRC-64 of a whole object and its length in bytes."""

    value: int
    length: int


class PartChecksum(NamedTuple):
    """The CRC-64 of one part: ``length`` bytes from ``offset`` (what a multipart upload's UploadPart returns)."""

    value: int
    offset: int
    length: int


class ReadError(OSError):
    """The object could not be read whole and unchanged: a part failed or came back short, the workers that had a
    part died more often than Dask's allowed failures, or the object changed during the run. The message names the
    URL and, for a part, its byte range."""


class _Source:
    """What the tasks of one run share: the file system and path, the URL (for messages) and the model's parameters
    (a Model itself is not picklable)."""

    def __init__(self, fs: Any, path: str, url: str, model: Model) -> None:
        self.fs = fs
        self.path = path
        self.url = url
        self.params = (model.poly, model.init, model.xorout, model.reflected)


@functools.lru_cache(maxsize=8)
def _model(params: tuple[int, int, int, bool]) -> Model:
    # A preset's parameters share the preset's tables; a custom model builds its own once per worker process.
    return Model(*params)


def _describe(offset: int, length: int, index: int, count: int) -> str:
    if length == 0:
        return f"no bytes (part {index + 1} of {count}: an empty object)"
    return f"bytes {offset}-{offset + length - 1} (part {index + 1} of {count})"


def _hash_range(source: _Source, offset: int, length: int, index: int, count: int) -> tuple[int, int]:
    """A leaf task: the CRC of ``length`` bytes from ``offset``, streamed in chunks; (value, length)."""
    model = _model(source.params)
    value = model.empty
    done = 0
    try:
        buffer = memoryview(bytearray(min(_CHUNK, length)))
        with source.fs.open(source.path, "rb", block_size=_CHUNK, cache_type="none") as file:
            file.seek(offset)
            while done < length:
                read = file.readinto(buffer[: min(len(buffer), length - done)])
                if not read:
                    break
                value = model.update(buffer[:read], value)
                done += read
    except Exception as error:
        raise ReadError(f"{source.url}: {_describe(offset, length, index, count)}: {error}") from error
    if done != length:
        raise ReadError(
            f"{source.url}: {_describe(offset, length, index, count)}: the range came back short, {done} of "
            f"{length} bytes: the object is shorter than when the run began"
        )
    return value, length


def _fold(source: _Source, pieces: list[tuple[int, int]]) -> tuple[int, int]:
    """A fold task: the (value, length) of consecutive pieces, in order."""
    model = _model(source.params)
    value, length = pieces[0]
    for piece_value, piece_length in pieces[1:]:
        value = model.combine(value, piece_value, piece_length)
        length += piece_length
    return value, length


def _version(info: dict) -> dict:
    return {key: info[key] for key in _VERSION_KEYS if key in info}


class _Run:
    """One call: the object as it was found, its parts, and the task graph over them."""

    def __init__(self, urlpath: str, model: Model | str, part_size: int, storage_options: dict | None) -> None:
        if isinstance(part_size, bool) or not isinstance(part_size, int):
            raise TypeError(f"part_size must be an int, not {type(part_size).__name__!r}")
        if part_size < 1:
            raise ValueError(f"part_size must be at least 1 byte, got {part_size}")
        if not isinstance(model, Model):
            model = _model_named(model)
        fs, path = fsspec.core.url_to_fs(urlpath, **(storage_options or {}))
        self.url = urlpath
        self.source = _Source(fs, path, urlpath, model)
        self.info = self._info()
        size = self.info.get("size")
        if self.info.get("type") == "directory":
            raise IsADirectoryError(f"{urlpath}: is a directory, not an object")
        if not isinstance(size, int):
            raise ReadError(f"{urlpath}: the storage does not say how long the object is")
        # As a multipart upload cuts it: every part part_size bytes but the last; an empty object is one empty part.
        self.offsets = range(0, size, part_size) if size else range(1)
        self.size = size
        self.part_size = part_size
        token = uuid.uuid4().hex  # fresh keys: a cluster never hands back another run's values
        self.leaf_name = "crc64-part-" + token
        self.fold_name = "crc64-fold-" + token

    def _info(self) -> dict:
        fs, path = self.source.fs, self.source.path
        fs.invalidate_cache(path)  # s3fs and others answer info() from a listing cache otherwise
        try:
            return fs.info(path)
        except FileNotFoundError:
            raise FileNotFoundError(f"{self.url}: no such object") from None

    def length(self, index: int) -> int:
        return min(self.part_size, self.size - self.offsets[index])

    def leaves(self) -> tuple[dict, list]:
        count = len(self.offsets)
        graph = {
            (self.leaf_name, index): (_hash_range, self.source, offset, self.length(index), index, count)
            for index, offset in enumerate(self.offsets)
        }
        return graph, list(graph)

    def tree(self) -> tuple[dict, Any]:
        """The leaves and, over them, levels of fold tasks, each combining up to _FAN_IN consecutive values."""
        graph, keys = self.leaves()
        level = 0
        while len(keys) > 1:
            level += 1
            folds = [
                ((self.fold_name, level, index), (_fold, self.source, keys[start : start + _FAN_IN]))
                for index, start in enumerate(range(0, len(keys), _FAN_IN))
            ]
            graph.update(folds)
            keys = [key for key, _ in folds]
        return graph, keys[0]

    def describe(self, key: Any) -> str:
        """The bytes behind a task's key, for messages."""
        if isinstance(key, tuple) and key[0] == self.leaf_name:
            index = key[1]
            return _describe(self.offsets[index], self.length(index), index, len(self.offsets))
        if isinstance(key, tuple) and key[0] == self.fold_name:
            level, index = key[1], key[2]
            first = index * _FAN_IN**level
            last = min(first + _FAN_IN**level, len(self.offsets)) - 1
            end = self.offsets[last] + self.length(last) - 1
            return f"bytes {self.offsets[first]}-{end} (the fold of parts {first + 1}-{last + 1})"
        return f"task {key!r}"

    def compute(self, graph: dict, keys: Any, client: Any, progress: bool) -> Any:
        client = _client(client)
        if client is None:
            with ProgressBar(out=sys.stderr) if progress else contextlib.nullcontext():
                result = dask.threaded.get(graph, keys)
        else:
            result = self._compute_on(client, graph, keys, progress)
        before, after = _version(self.info), _version(self._info())
        if after != before:
            raise ReadError(
                f"{self.url}: the object changed while it was read (before: {before}, after: {after}): its value "
                "would mix versions"
            )
        return result

    def _compute_on(self, client: Any, graph: dict, keys: Any, progress: bool) -> Any:
        from distributed import KilledWorker, progress as show_progress

        futures = client.get(graph, keys, sync=False)
        try:
            if progress:
                with contextlib.redirect_stdout(sys.stderr):  # Dask's text bar writes to standard output
                    show_progress(futures)
            return client.gather(futures)
        except KilledWorker as error:
            # The part named is the one Dask gave up on first: every part queued on a worker that dies counts that
            # death, so it need not be the part whose reading killed the workers.
            raise ReadError(
                f"{self.url}: {self.describe(error.task)}: Dask gave up on it after the workers that had it died "
                f"{error.allowed_failures + 1} times: {error}"
            ) from error
        finally:
            client.cancel(futures)


def _client(client: Any) -> Any:
    """The distributed Client to run on: the one given, or else the current default one, or None for Dask's
    threads. distributed is only looked at when it is already imported: a Client exists only then."""
    if client is not None or "distributed" not in sys.modules:
        return client
    from distributed import default_client

    try:
        return default_client()
    except ValueError:  # no client
        return None


def checksum(
    urlpath: str,
    *,
    model: Model | str = "xz",
    part_size: int = DEFAULT_PART_SIZE,
    storage_options: dict | None = None,
    client: Any = None,
    progress: bool = False,
) -> Checksum:
    """The CRC-64 of the object at ``urlpath`` and its length, hashed as parts of ``part_size`` bytes in parallel.

    ``model`` is a crc64.Model or a catalogue name: "xz" (the default; OSS's ``x-oss-hash-crc64ecma``), "nvme"
    (S3's ``x-amz-checksum-crc64nvme``), "ecma-182", "go-iso", "we", "ms", "redis" or "CRC-64/NAME".
    ``storage_options`` go to fsspec (e.g. s3fs's ``endpoint_url``, ``key``, ``secret``). The tasks run on
    ``client`` (a distributed Client), else on the current default Client, else on Dask's local threads.
    ``progress`` shows Dask's progress bar on standard error.

    Raises FileNotFoundError for a missing object, ReadError (an OSError) when a part cannot be read whole or the
    object changes during the run, TypeError or ValueError for a bad part size or model."""
    run = _Run(urlpath, model, part_size, storage_options)
    graph, root = run.tree()
    value, length = run.compute(graph, root, client, progress)
    return Checksum(value, length)


def part_checksums(
    urlpath: str,
    *,
    model: Model | str = "xz",
    part_size: int = DEFAULT_PART_SIZE,
    storage_options: dict | None = None,
    client: Any = None,
    progress: bool = False,
) -> list[PartChecksum]:
    """The CRC-64 of each ``part_size``-byte part of the object at ``urlpath``, in order, as a multipart upload cuts
    it: every part ``part_size`` bytes but the last; an empty object is one empty part. Compare them with what
    UploadPart returned; ``crc64.combine`` folds them into the whole object's value. The arguments and errors are
    those of checksum()."""
    run = _Run(urlpath, model, part_size, storage_options)
    graph, keys = run.leaves()
    values = run.compute(graph, keys, client, progress)
    return [PartChecksum(value, offset, length) for (value, length), offset in zip(values, run.offsets)]
