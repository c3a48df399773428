/* The timing harness of crcbench: see include/CRCBenchSupport.h. Plain C so every candidate is called the same way. */
#if !defined(_GNU_SOURCE) && defined(__linux__)
#define _GNU_SOURCE
#endif
#include "CRCBenchSupport.h"

#if !defined(_WIN32) /* POSIX only (dlopen, pthreads, getrusage, /proc): see the header */
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>
#if !defined(RUSAGE_THREAD) /* macOS: the process's switches only */
#define RUSAGE_THREAD RUSAGE_SELF
#endif

static volatile uint64_t cb_sink;

void cb_consume(uint64_t value) {
    cb_sink ^= value;
}

static uint64_t clock_ns(clockid_t clock) {
    struct timespec ts;
    if (clock_gettime(clock, &ts) != 0) return 0;
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

uint64_t cb_now_ns(void) {
    return clock_ns(CLOCK_MONOTONIC);
}

static int compare_doubles(const void *a, const void *b) {
    const double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

double cb_median(double *values, size_t n) {
    qsort(values, n, sizeof *values, compare_doubles);
    return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

static long involuntary_switches(bool whole_process) {
    struct rusage ru;
    return getrusage(whole_process ? RUSAGE_SELF : RUSAGE_THREAD, &ru) == 0 ? ru.ru_nivcsw : 0;
}

void cb_probe_start(cb_probe *p, bool whole_process) {
    p->whole_process = whole_process;
    p->involuntary = involuntary_switches(whole_process);
    p->cpu_ns = whole_process ? 0 : clock_ns(CLOCK_THREAD_CPUTIME_ID);
    p->wall_ns = cb_now_ns();
}

double cb_probe_stop(const cb_probe *p, long *switches) {
    const uint64_t wall = cb_now_ns() - p->wall_ns;
    const uint64_t cpu = p->whole_process ? 0 : clock_ns(CLOCK_THREAD_CPUTIME_ID) - p->cpu_ns;
    if (switches) *switches = involuntary_switches(p->whole_process) - p->involuntary;
    if (p->whole_process || wall == 0 || cpu == 0 || cpu >= wall) return 0;
    return (double)(wall - cpu) / (double)wall;
}

int64_t cb_machine_busy_ns(void) {
#if defined(__linux__)
    FILE *f = fopen("/proc/stat", "r");
    if (!f) return -1;
    /* user nice system idle iowait irq softirq steal (guest time is already in user) */
    unsigned long long v[8];
    const int n = fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", v, v + 1, v + 2, v + 3, v + 4, v + 5, v + 6,
                         v + 7);
    fclose(f);
    if (n < 8) return -1;
    const unsigned long long busy = v[0] + v[1] + v[2] + v[5] + v[6] + v[7];
    const long hz = sysconf(_SC_CLK_TCK);
    return (int64_t)(busy * (1000000000ull / (unsigned long long)(hz > 0 ? hz : 100)));
#else
    return -1;
#endif
}

int64_t cb_process_cpu_ns(void) {
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) != 0) return 0;
    return (int64_t)ru.ru_utime.tv_sec * 1000000000 + (int64_t)ru.ru_utime.tv_usec * 1000 +
           (int64_t)ru.ru_stime.tv_sec * 1000000000 + (int64_t)ru.ru_stime.tv_usec * 1000;
}

/* The timed loops. Each kind has its own loop so the only work per iteration is the call itself and one XOR (or
 * move) of its result; the call goes through a function pointer the compiler cannot see through. */
#define CB_LOOP(CALL_FROM_SEED, CALL_FROM_ACC)                                                                        \
    do {                                                                                                              \
        if (mode == CB_THROUGHPUT) {                                                                                  \
            t0 = cb_now_ns();                                                                                         \
            for (uint64_t i = 0; i < iterations; i++) acc ^= (CALL_FROM_SEED);                                        \
            t1 = cb_now_ns();                                                                                         \
        } else {                                                                                                      \
            t0 = cb_now_ns();                                                                                         \
            for (uint64_t i = 0; i < iterations; i++) acc = (CALL_FROM_ACC);                                          \
            t1 = cb_now_ns();                                                                                         \
        }                                                                                                             \
    } while (0)

static inline uint64_t kernel_call(cb_kernel_fn f, size_t index, const struct libcrc64_model *model, uint64_t crc,
                                   const void *buf, size_t len) {
    uint64_t out = 0;
    f(index, model, crc, buf, len, &out);
    return out;
}

#if defined(__x86_64__)
#include <cpuid.h>
__attribute__((target("avx"))) static void zero_upper(void) {
    __asm__ volatile("vzeroupper" ::: "memory");
}
/* A peer that returns with dirty upper vector halves (no vzeroupper) makes the next candidate's legacy-SSE code
 * (the pclmul kernel, ISA-L's by8) pay for merging them; each timed loop starts from a clean state instead. */
static void clear_upper_vector_state(void) {
    static int has_avx = -1;
    unsigned a, b, c, d;
    if (has_avx < 0) has_avx = __get_cpuid(1, &a, &b, &c, &d) && ((c >> 27) & 1) && ((c >> 28) & 1);
    if (has_avx) zero_upper();
}
#else
static void clear_upper_vector_state(void) {}
#endif

/* The timed run of cb_time; *value (if not NULL) gets the last accumulated value, which for one call in latency
 * mode is the candidate's value: the value cross-checked is the one the timed loop computes. */
static uint64_t run(const cb_candidate *c, const void *buf, size_t len, uint64_t iterations, cb_mode mode,
                    uint64_t *value) {
    uint64_t acc = c->seed, t0 = 0, t1 = 0;
    const uint64_t seed = c->seed;
    if (!c->fn) return 0;
    clear_upper_vector_state();
    switch (c->kind) {
    case CB_KIND_FN64: {
        const cb_fn64 f = (cb_fn64)c->fn;
        CB_LOOP(f(seed, buf, len), f(acc, buf, len));
        break;
    }
    case CB_KIND_ZLIB: {
        const cb_zlib_fn f = (cb_zlib_fn)c->fn;
        if (len > 0xFFFFFFFFu) return 0;
        const unsigned int n = (unsigned int)len;
        const unsigned char *p = (const unsigned char *)buf;
        CB_LOOP(f((unsigned long)seed, p, n), f((unsigned long)acc, p, n));
        break;
    }
    case CB_KIND_LZMA: {
        const cb_lzma_fn f = (cb_lzma_fn)c->fn;
        const uint8_t *p = (const uint8_t *)buf;
        CB_LOOP(f(p, len, seed), f(p, len, acc));
        break;
    }
    case CB_KIND_KERNEL: {
        const cb_kernel_fn f = (cb_kernel_fn)c->fn;
        const size_t k = c->index;
        const struct libcrc64_model *m = (const struct libcrc64_model *)c->ctx;
        uint64_t probe;
        if (!f(k, m, seed, buf, 0, &probe)) return 0;
        CB_LOOP(kernel_call(f, k, m, seed, buf, len), kernel_call(f, k, m, acc, buf, len));
        break;
    }
    case CB_KIND_MODEL: {
        const cb_model_fn f = (cb_model_fn)c->fn;
        const struct libcrc64_model *m = (const struct libcrc64_model *)c->ctx;
        if (!m) return 0;
        CB_LOOP(f(m, seed, buf, len), f(m, acc, buf, len));
        break;
    }
    case CB_KIND_CALLBACK: {
        const cb_callback_fn f = (cb_callback_fn)c->fn;
        const void *ctx = c->ctx;
        CB_LOOP(f(ctx, seed, buf, len), f(ctx, acc, buf, len));
        break;
    }
    default:
        return 0;
    }
    cb_sink ^= acc;
    if (value) *value = acc;
    return t1 > t0 ? t1 - t0 : 1;
}

uint64_t cb_time(const cb_candidate *c, const void *buf, size_t len, uint64_t iterations, cb_mode mode) {
    return run(c, buf, len, iterations, mode, NULL);
}

uint64_t cb_value(const cb_candidate *c, const void *buf, size_t len) {
    uint64_t value = 0;
    run(c, buf, len, 1, CB_LATENCY, &value);
    return value;
}

uint64_t cb_time_combine(cb_combine_fn combine, const struct libcrc64_model *model, uint64_t crc1, uint64_t crc2,
                         uint64_t len2, uint64_t iterations, cb_mode mode) {
    uint64_t acc = crc1, t0 = 0, t1 = 0;
    if (!combine) return 0;
    CB_LOOP(combine(model, crc1, crc2, len2), combine(model, acc, crc2, len2));
    cb_sink ^= acc;
    return t1 > t0 ? t1 - t0 : 1;
}

uint64_t cb_time_apply(cb_apply_fn apply, const void *op, uint64_t crc1, uint64_t crc2, uint64_t iterations,
                       cb_mode mode) {
    uint64_t acc = crc1, t0 = 0, t1 = 0;
    if (!apply) return 0;
    CB_LOOP(apply(op, crc1, crc2), apply(op, acc, crc2));
    cb_sink ^= acc;
    return t1 > t0 ? t1 - t0 : 1;
}

/* ---- Split-and-combine across threads ---- */

typedef struct part_job {
    cb_fn64 fn;
    const unsigned char *p;
    size_t n;
    uint64_t crc;
} part_job;

static void *part_main(void *arg) {
    part_job *job = (part_job *)arg;
    job->crc = job->fn(0, job->p, job->n);
    return NULL;
}

#define CB_MAX_THREADS 256

uint64_t cb_parallel_fn64(const void *ctx, uint64_t crc, const void *buf, size_t len) {
    const cb_parallel_ctx *pc = (const cb_parallel_ctx *)ctx;
    int parts = pc->threads < 1 ? 1 : (pc->threads > CB_MAX_THREADS ? CB_MAX_THREADS : pc->threads);
    if ((size_t)parts > len) parts = len ? (int)len : 1;
    if (parts == 1 || !pc->combine) return pc->fn(crc, buf, len);
    part_job jobs[CB_MAX_THREADS];
    pthread_t tids[CB_MAX_THREADS];
    bool spawned[CB_MAX_THREADS];
    const unsigned char *p = (const unsigned char *)buf;
    const size_t chunk = len / (size_t)parts;
    for (int i = 0; i < parts; i++)
        jobs[i] = (part_job){pc->fn, p + (size_t)i * chunk, i == parts - 1 ? len - (size_t)i * chunk : chunk, 0};
    for (int i = 1; i < parts; i++) spawned[i] = pthread_create(&tids[i], NULL, part_main, &jobs[i]) == 0;
    jobs[0].crc = pc->fn(crc, jobs[0].p, jobs[0].n);
    uint64_t result = jobs[0].crc;
    for (int i = 1; i < parts; i++) {
        if (spawned[i]) pthread_join(tids[i], NULL);
        else part_main(&jobs[i]);
        result = pc->combine(result, jobs[i].crc, jobs[i].n);
    }
    return result;
}

uint64_t cb_read_only(uint64_t seed, const void *buf, size_t len) {
    const unsigned char *p = (const unsigned char *)buf;
    uint64_t acc[8] = {0}; /* eight independent words: the loop is bound by loads, not by one XOR chain */
    size_t i = 0;
    for (; i + 64 <= len; i += 64) {
        for (int j = 0; j < 8; j++) {
            uint64_t w;
            memcpy(&w, p + i + 8 * j, 8);
            acc[j] ^= w;
        }
    }
    uint64_t x = seed;
    for (; i < len; i++) x ^= p[i];
    for (int j = 0; j < 8; j++) x ^= acc[j];
    return x;
}

void *cb_dlsym(const char *library, const char *symbol, char *err, size_t err_capacity) {
    if (err && err_capacity) err[0] = 0;
    dlerror();
    void *handle = dlopen(library, RTLD_NOW | RTLD_LOCAL);
    void *sym = handle ? dlsym(handle, symbol) : NULL; /* the handle stays open: other symbols may be asked for */
    if (!sym && err && err_capacity) {
        const char *e = dlerror();
        snprintf(err, err_capacity, "%s", e ? e : "not found");
    }
    return sym;
}

/* ---- Environment and input ---- */

const char *cb_c_compiler(void) {
#if defined(__clang__)
    return __VERSION__; /* "Clang 21.0.0 (...)" or "Apple clang version ..." */
#elif defined(__GNUC__)
    return "gcc " __VERSION__;
#else
    return "unknown C compiler";
#endif
}

int cb_online_cpus(void) {
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (int)n : 1;
}

uint64_t cb_splitmix(uint64_t *state) {
    uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

void *cb_alloc_random(size_t n, uint64_t seed) {
    void *p = NULL;
    if (posix_memalign(&p, 4096, n ? n : 1) != 0) return NULL;
    unsigned char *b = (unsigned char *)p;
    for (size_t i = 0; i < n; i += 8) {
        const uint64_t z = cb_splitmix(&seed);
        memcpy(b + i, &z, n - i < 8 ? n - i : 8);
    }
    return p;
}
#endif /* !_WIN32 */
