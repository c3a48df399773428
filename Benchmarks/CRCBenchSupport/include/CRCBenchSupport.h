/*
 * CRCBenchSupport — the one timing harness every crcbench candidate runs under, ours and peers alike; its clock,
 * median and peer loading also serve Benchmarks/portable and Benchmarks/cmake-speed.
 *
 * A candidate is a function pointer plus how to call it. The timed loops are plain C, compiled once, and call every
 * candidate through a pointer, so the dispatched libcrc64_xz, a kernel, ISA-L, zlib and liblzma pay the same call and
 * loop cost, in two modes: throughput, acc ^= f(seed, buf, len) (independent calls the CPU may overlap), and latency,
 * acc = f(acc, buf, len) (each call continues the last: the dependency chain is exposed). The accumulated value goes
 * to a volatile sink after every timed run, so no call can be optimised away. POSIX only (dlopen, pthreads,
 * getrusage): on Windows the source defines nothing, and crcbench says that it runs on Linux and macOS.
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

/* The calls a candidate can be, by kind. */
typedef uint64_t (*cb_fn64)(uint64_t crc, const void *buf, size_t len); /* libcrc64_xz, ISA-L */
typedef unsigned long (*cb_zlib_fn)(unsigned long crc, const unsigned char *buf, unsigned int len); /* zlib crc32 */
typedef uint64_t (*cb_lzma_fn)(const uint8_t *buf, size_t size, uint64_t crc);              /* liblzma lzma_crc64 */
typedef int (*cb_kernel_fn)(size_t index, const struct libcrc64_model *model, uint64_t crc, const void *buf,
                            size_t len, uint64_t *result);                                /* libcrc64_update_kernel */
typedef uint64_t (*cb_model_fn)(const struct libcrc64_model *model, uint64_t crc, const void *buf, size_t len);
typedef uint64_t (*cb_callback_fn)(const void *ctx, uint64_t crc, const void *buf, size_t len); /* anything else */

typedef enum cb_kind {
    CB_KIND_FN64 = 0, /* fn is a cb_fn64 (as in a zeroed candidate) */
    CB_KIND_ZLIB,     /* fn is a cb_zlib_fn */
    CB_KIND_LZMA,     /* fn is a cb_lzma_fn */
    CB_KIND_KERNEL,   /* fn is a cb_kernel_fn: kernel `index` of the model `ctx` */
    CB_KIND_MODEL,    /* fn is a cb_model_fn (libcrc64_update): the model `ctx` */
    CB_KIND_CALLBACK, /* fn is a cb_callback_fn (e.g. a Swift API behind a @convention(c) thunk), called with `ctx` */
} cb_kind;

typedef struct cb_candidate {
    cb_kind kind;
    const void *fn;  /* the function, of the kind's type: what dlsym returned, or one of ours */
    const void *ctx; /* the model (kernel, model) or the callback's context */
    size_t index;    /* the kernel's index (kernel) */
    uint64_t seed;   /* the start value (the model's empty CRC): throughput mode calls f(seed, ...) */
} cb_candidate;

typedef enum cb_mode { CB_THROUGHPUT = 0, CB_LATENCY = 1 } cb_mode;

/* Runs `iterations` calls of the candidate over buf[0..<len] in the given mode; returns elapsed nanoseconds, or 0
 * (having done nothing) for an unusable candidate, e.g. a kernel the CPU does not support. */
uint64_t cb_time(const cb_candidate *candidate, const void *buf, size_t len, uint64_t iterations, cb_mode mode);
/* The candidate's value for buf[0..<len] from its seed, from one call of the timed loop (latency mode), to
 * cross-check candidates; 0 for an unusable candidate. */
uint64_t cb_value(const cb_candidate *candidate, const void *buf, size_t len);

/* Combine in the same loop shape (crc1 in place of the seed) and a combine operator made once applied. */
typedef uint64_t (*cb_combine_fn)(const struct libcrc64_model *model, uint64_t crc1, uint64_t crc2, uint64_t len2);
uint64_t cb_time_combine(cb_combine_fn combine, const struct libcrc64_model *model, uint64_t crc1, uint64_t crc2,
                         uint64_t len2, uint64_t iterations, cb_mode mode);
typedef uint64_t (*cb_apply_fn)(const void *op, uint64_t crc1, uint64_t crc2);
uint64_t cb_time_apply(cb_apply_fn apply, const void *op, uint64_t crc1, uint64_t crc2, uint64_t iterations,
                       cb_mode mode);

void cb_consume(uint64_t value);              /* into the timed loops' volatile sink (for loops written in Swift) */
uint64_t cb_now_ns(void);                     /* the monotonic clock */
double cb_median(double *values, size_t n);   /* n > 0; sorts values in place; an even count: the middle two's mean */

/* Disturbance: on a shared machine a timed run can lose the CPU to another process (or the VM its vCPU). A probe
 * around a run counts the thread's involuntary context switches (the process's if whole_process: multi-threaded
 * candidates) and the fraction of the wall time the thread did not run (0 if whole_process). */
typedef struct cb_probe {
    uint64_t wall_ns;
    uint64_t cpu_ns;
    long involuntary;
    bool whole_process;
} cb_probe;
void cb_probe_start(cb_probe *probe, bool whole_process);
double cb_probe_stop(const cb_probe *probe, long *switches); /* the lost fraction; *switches since the start */

/* CPU time of the whole machine (/proc/stat; -1 where the OS does not tell) and of this process, in ns: their
 * difference over an interval is what other processes took from the cores meanwhile. */
int64_t cb_machine_busy_ns(void);
int64_t cb_process_cpu_ns(void);

/* Any fn64 over `threads` equal parts, threads - 1 of them on pthreads spawned per call, combined: the peers'
 * multi-core baseline, a cb_callback_fn whose ctx is a cb_parallel_ctx. */
typedef uint64_t (*cb_combine2_fn)(uint64_t crc1, uint64_t crc2, uint64_t len2); /* libcrc64_xz_combine */
typedef struct cb_parallel_ctx {
    cb_fn64 fn;
    cb_combine2_fn combine;
    int threads;
} cb_parallel_ctx;
uint64_t cb_parallel_fn64(const void *ctx, uint64_t crc, const void *buf, size_t len);

/* Reads every byte once and does nothing else (an XOR of the words): the memory-bandwidth ceiling that a checksum of
 * a buffer larger than the caches cannot beat, timed like any fn64 and split across threads the same way. */
uint64_t cb_read_only(uint64_t seed, const void *buf, size_t len);

/* dlopen(library) (RTLD_NOW | RTLD_LOCAL) and dlsym(symbol); NULL if either fails, with the reason (dlerror) in err
 * (may be NULL). A peer that does not load is no error: its column says "absent". */
void *cb_dlsym(const char *library, const char *symbol, char *err, size_t err_capacity);

const char *cb_c_compiler(void); /* e.g. "Clang 21.0.0 (...)", from __VERSION__ */
int cb_online_cpus(void);
uint64_t cb_splitmix(uint64_t *state); /* the next SplitMix64 value: the input bytes, each repetition's order */
void *cb_alloc_random(size_t n, uint64_t seed); /* 4096-byte aligned, filled from cb_splitmix(seed); free() it */

#ifdef __cplusplus
}
#endif

#endif /* CRC_BENCH_SUPPORT_H */
