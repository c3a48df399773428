/*
 * CRCBenchSupport — the one timing harness every crcbench candidate runs under, ours and peers alike.
 *
 * A candidate is a function pointer plus how to call it. The timed loop is plain C, compiled once, and calls every
 * candidate through a pointer, so the dispatched libcrc64_xz, a named kernel, ISA-L, zlib and liblzma (dlopen) pay the
 * same call and loop cost. Two call modes:
 *   throughput  acc ^= f(seed, buf, len)   independent calls; the CPU may overlap one call with the next
 *   latency     acc  = f(acc,  buf, len)   each call continues the previous value; the dependency chain is exposed
 * The accumulated value is stored to a volatile sink after every timed run, so no call can be optimised away.
 * Time is CLOCK_MONOTONIC (clock_gettime).
 */
#ifndef CRC_BENCH_SUPPORT_H
#define CRC_BENCH_SUPPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct libcrc64_model; /* opaque; the CCRC64 type, passed through untouched */

/* zlib / ISA-L / libcrc64_xz convention: pass the previous final value (or the start value) and the bytes. */
typedef uint64_t (*cb_fn64)(uint64_t crc, const void *buf, size_t len);
/* zlib's crc32: unsigned long crc32(unsigned long crc, const unsigned char *buf, unsigned int len). */
typedef unsigned long (*cb_zlib_fn)(unsigned long crc, const unsigned char *buf, unsigned int len);
/* liblzma's lzma_crc64: uint64_t lzma_crc64(const uint8_t *buf, size_t size, uint64_t crc). */
typedef uint64_t (*cb_lzma_fn)(const uint8_t *buf, size_t size, uint64_t crc);
/* CCRC64 libcrc64_update_kernel. */
typedef int (*cb_kernel_fn)(size_t index, const struct libcrc64_model *model, uint64_t crc, const void *buf,
                             size_t len, uint64_t *result);
/* CCRC64 libcrc64_update. */
typedef uint64_t (*cb_model_fn)(const struct libcrc64_model *model, uint64_t crc, const void *buf, size_t len);
/* CCRC64 libcrc64_combine. */
typedef uint64_t (*cb_combine_fn)(const struct libcrc64_model *model, uint64_t crc1, uint64_t crc2, uint64_t len2);
/* libcrc64_xz_combine (no model). */
typedef uint64_t (*cb_combine2_fn)(uint64_t crc1, uint64_t crc2, uint64_t len2);
/* Anything else (e.g. a Swift API behind a @convention(c) thunk), with a context pointer. */
typedef uint64_t (*cb_callback_fn)(void *ctx, uint64_t crc, const void *buf, size_t len);

typedef enum cb_kind {
    CB_KIND_FN64 = 0,     /* fn64 */
    CB_KIND_ZLIB = 1,     /* zlib */
    CB_KIND_KERNEL = 2,   /* kernel(kernel_index, model, ...) */
    CB_KIND_MODEL = 3,    /* model_update(model, ...) */
    CB_KIND_CALLBACK = 4, /* callback(ctx, ...) */
    CB_KIND_LZMA = 5,     /* lzma */
} cb_kind;

typedef struct cb_candidate {
    cb_kind kind;
    cb_fn64 fn64;
    cb_zlib_fn zlib;
    cb_lzma_fn lzma;
    cb_kernel_fn kernel;
    size_t kernel_index;
    cb_model_fn model_update;
    const struct libcrc64_model *model;
    cb_callback_fn callback;
    void *ctx;
    uint64_t seed; /* the start value (the model's empty CRC): throughput mode calls f(seed, ...) */
} cb_candidate;

typedef enum cb_mode { CB_THROUGHPUT = 0, CB_LATENCY = 1 } cb_mode;

/* ---- Disturbance probe ----
 * On a shared 2-core machine a timed run can lose the CPU to another process (or the VM its vCPU). A probe taken
 * around a run tells whether that happened: involuntary context switches of the thread (getrusage RUSAGE_THREAD on
 * Linux) and the wall time the thread did not spend running (CLOCK_MONOTONIC against CLOCK_THREAD_CPUTIME_ID).
 * crcbench retimes a disturbed repetition (a few attempts) rather than let it into the median. */
typedef struct cb_probe {
    uint64_t wall_ns;
    uint64_t cpu_ns;
    long involuntary;    /* involuntary context switches so far (thread; process if whole_process) */
    bool whole_process;  /* multi-threaded candidates: count the process's switches, skip the CPU-time test */
} cb_probe;
void cb_probe_start(cb_probe *probe, bool whole_process);
/* The fraction of the wall time since the start during which this thread was not running (0 when whole_process),
 * and in *switches the involuntary context switches since the start. */
double cb_probe_stop(const cb_probe *probe, long *switches);

/* CPU time used by the whole machine (all processes, /proc/stat) and by this process (getrusage), in ns; their
 * difference over an interval is what other processes took from the cores while crcbench measured.
 * cb_machine_busy_ns returns -1 where the OS does not tell (not Linux). */
int64_t cb_machine_busy_ns(void);
int64_t cb_process_cpu_ns(void);

/* Monotonic clock in nanoseconds. */
uint64_t cb_now_ns(void);

/* Runs `iterations` calls of the candidate over buf[0..<len] in the given mode; returns elapsed nanoseconds.
 * Returns 0 (and does nothing) for an unusable candidate, e.g. a kernel the CPU does not support. */
uint64_t cb_time(const cb_candidate *candidate, const void *buf, size_t len, uint64_t iterations, cb_mode mode);

/* One call (not timed): the candidate's value for buf[0..<len] from its seed; used to cross-check candidates. */
uint64_t cb_value(const cb_candidate *candidate, const void *buf, size_t len);

/* Combine timing: `iterations` calls of combine(model, crc1, crc2, len2) (throughput: acc ^= combine(model, crc1,
 * crc2, len2); latency: acc = combine(model, acc, crc2, len2)). Returns elapsed nanoseconds. */
uint64_t cb_time_combine(cb_combine_fn combine, const struct libcrc64_model *model, uint64_t crc1, uint64_t crc2,
                         uint64_t len2, uint64_t iterations, cb_mode mode);

/* A precomputed combine operator applied: apply(op, crc1, crc2) (CCRC64 libcrc64_combiner_apply). Same loop shape. */
typedef uint64_t (*cb_apply_fn)(const void *op, uint64_t crc1, uint64_t crc2);
uint64_t cb_time_apply(cb_apply_fn apply, const void *op, uint64_t crc1, uint64_t crc2, uint64_t iterations,
                       cb_mode mode);

/* The volatile sink every timed loop writes to (exposed so Swift-side loops consume results the same way). */
void cb_consume(uint64_t value);

/* ---- Split-and-combine across threads, in C (pthreads), for any fn64: the peer's multi-core baseline ---- */
typedef struct cb_parallel_ctx {
    cb_fn64 fn;              /* e.g. ISA-L crc64_ecma_refl, or libcrc64_xz */
    cb_combine2_fn combine;  /* libcrc64_xz_combine */
    int threads;             /* parts: `threads` equal parts, threads - 1 spawned per call, one on the caller */
} cb_parallel_ctx;
/* A cb_callback_fn: ctx is a cb_parallel_ctx*. Returns fn(crc, buf, len) computed in parallel. */
uint64_t cb_parallel_fn64(void *ctx, uint64_t crc, const void *buf, size_t len);

/* Reads every byte once and does nothing else (an XOR of the words): the memory-bandwidth ceiling that a checksum of
 * a buffer larger than the caches cannot beat, timed like any fn64 and split across threads the same way. */
uint64_t cb_read_only(uint64_t seed, const void *buf, size_t len);

/* ---- Peers loaded at run time ---- */
/* dlopen(library) (RTLD_NOW | RTLD_LOCAL) once and dlsym(symbol). NULL if either fails; the reason (dlerror) is
 * copied into err (may be NULL). Failures are not errors for crcbench: the column says "absent". */
void *cb_dlsym(const char *library, const char *symbol, char *err, size_t err_capacity);

/* ---- Environment ---- */
const char *cb_c_compiler(void);            /* e.g. "clang 17.0.0 (...)" from __VERSION__ */
int cb_cpu_model(char *out, size_t capacity); /* CPU brand string (+ family/model on x86 Linux); 0 on success */
int cb_cpu_flags(char *out, size_t capacity); /* the CPU's feature flags as the OS reports them, space-separated */
int cb_online_cpus(void);
/* 64-byte-aligned allocation of n bytes filled with a fixed pseudo-random sequence; free with cb_free. */
void *cb_alloc_random(size_t n, uint64_t seed);
void cb_free(void *p);
/* Runs a shell command and returns its first output line (trimmed) in out; 0 on success. */
int cb_command_line(const char *command, char *out, size_t capacity);
/* Text to standard output (flushed) or standard error (stdio's globals are not visible to Swift 6 safely). */
void cb_print_stdout(const char *text);
void cb_print_stderr(const char *text);

#ifdef __cplusplus
}
#endif

#endif /* CRC_BENCH_SUPPORT_H */
