/*
 * crc64_driver — the CCRC64 kernel property suite in plain C, without Swift.
 *
 *   $CC -O2 -std=c11 -Wall -Wextra -Werror -ISources/CCRC64/include <every Sources/CCRC64 .c file> \
 *       Tests/CDriver/crc64_driver.c [-pthread: needed for --race with glibc < 2.34]
 *   ./a.out [--quick] [--seed N] [--cpu-flags "F1 F2 ..."] [--left-out K1,K2] [--want K1,K2] [--expect K1,K2]
 *           [--absent K1,K2] [--race] [--list-kernels]
 *
 * Every expected value comes from crc64_reference.h (this directory): a bit-at-a-time implementation of the Rocksoft
 * model and GF(2) polynomial arithmetic for combine / zero extension, never from the library; the catalogue check
 * values are typed in there from the catalogue. Every kernel that libcrc64_kernel_supported() reports is exercised.
 *
 *   --quick      smaller matrix for emulation (qemu-user is ~30x slower): lengths 0..1024 x offsets 0..15, fewer
 *                custom models and trials, guard pages on lengths 0..300. Still every supported kernel.
 *   --seed N     random seed (decimal or 0x hex); the default is fixed, printed at start and in every FAIL line.
 *   --want L     comma-separated kernel names that should be supported: prints a WARNING line if not (no failure).
 *   --expect L   the same, but a missing kernel is a failure.
 *   --absent L   kernels that must NOT be supported here (e.g. pmull-eor3 on a CPU without SHA3).
 *   --cpu-flags F  the CPU's features as the OS lists them (the "flags" or "Features" line of Linux's /proc/cpuinfo,
 *                space- or comma-separated): every kernel must then be supported exactly when the CPU has all of
 *                its libcrc64_kernel_features(), it was compiled in (see --left-out), and CRC64_KERNEL does not
 *                mask it. The OS's view of the CPU against the library's own cpuid / getauxval detection.
 *   --left-out L kernels the build left out (CMake's probes), which --cpu-flags must not expect.
 *   --list-kernels  print each kernel's name, the features it needs and whether it is supported, then exit.
 *   --race       only the first-use race: threads released together make the process's first calls (dispatch,
 *                kernel list, every preset) at once and must agree; meant for a ThreadSanitizer build, run a few
 *                times (each process has one first use).
 *
 * With CRC64_KERNEL=<name> in the environment the driver also checks the override contract: that kernel is
 * supported and active, and every kernel ranked above it is reported unsupported.
 *
 * Output: a "kernels tested:" line, per-section timings, per-kernel pass/fail counts and a closing line
 * "N passed, M failed"; exit status 1 on any failure. An out-of-bounds read in the guard-page test is a SIGSEGV,
 * which the handler reports (kernel, placement, length, offset) before exiting with status 1.
 *
 * On Windows (x86_64-w64-mingw32-gcc -DLIBCRC64_STATIC ..., without -pthread) the same runs on Win32 calls: guard
 * pages from VirtualAlloc/VirtualProtect, whose access violation a vectored exception handler reports as above, and
 * --race on Win32 threads.
 */
#if !defined(_DEFAULT_SOURCE)
#define _DEFAULT_SOURCE 1 /* mmap, MAP_ANONYMOUS, sigaction, clock_gettime under -std=c11 (glibc) */
#endif
#if !defined(_DARWIN_C_SOURCE)
#define _DARWIN_C_SOURCE 1
#endif

#include "crc64.h"

#include <inttypes.h>
#include <stdatomic.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(_WIN32)
#define WIN32_LEAN_AND_MEAN
#include <io.h>
#include <malloc.h>
#include <windows.h>
#else
#include <pthread.h>
#include <sched.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#if !defined(MAP_ANONYMOUS) && defined(MAP_ANON)
#define MAP_ANONYMOUS MAP_ANON
#endif
#endif

#define MAX_KERNELS 16
#define DEFAULT_SEED 20251125ULL

#include "crc64_reference.h"

/* ======================================================================================================
 * Harness: random numbers, counters, failure lines.
 * ====================================================================================================== */

static uint64_t g_seed = DEFAULT_SEED;
static uint64_t rng_state;

static uint64_t rnd(void) { /* splitmix64 */
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}
static size_t rnd_below(size_t n) { return n ? (size_t)(rnd() % n) : 0; }
static void rnd_fill(uint8_t *p, size_t n) {
    for (size_t i = 0; i < n; i++) p[i] = (uint8_t)rnd();
}

/* Buckets: one per kernel index, plus the non-kernel API checks. */
#define BUCKET_API MAX_KERNELS
static uint64_t passed[MAX_KERNELS + 1], failed[MAX_KERNELS + 1];
#define MAX_PRINTED_PER_SECTION 25
static uint64_t section_failed, section_printed;

static size_t kernel_count;
static size_t supported[MAX_KERNELS];
static size_t supported_count;
static bool quick;

static const char *bucket_name(size_t bucket) {
    return bucket == BUCKET_API ? "api" : libcrc64_kernel_name(bucket);
}

/* Every failure is counted; the first MAX_PRINTED_PER_SECTION of each section are printed. */
static void report_failure(size_t bucket, const char *fmt, ...) {
    failed[bucket]++;
    section_failed++;
    if (section_printed++ >= MAX_PRINTED_PER_SECTION) {
        if (section_printed == MAX_PRINTED_PER_SECTION + 1)
            printf("FAIL seed=%" PRIu64 " (further failures in this section are counted but not printed)\n", g_seed);
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    printf("FAIL seed=%" PRIu64 " kernel=%s ", g_seed, bucket_name(bucket));
    vprintf(fmt, ap);
    printf("\n");
    fflush(stdout);
    va_end(ap);
}

#define CHECK_EQ(bucket, got, want, ...)                                                                     \
    do {                                                                                                     \
        const uint64_t got_ = (got), want_ = (want);                                                         \
        if (got_ == want_)                                                                                   \
            passed[bucket]++;                                                                                \
        else                                                                                                 \
            check_failed(bucket, got_, want_, __VA_ARGS__);                                                  \
    } while (0)

#define CHECK(bucket, cond, ...)                                                                             \
    do {                                                                                                     \
        if (cond)                                                                                            \
            passed[bucket]++;                                                                                \
        else                                                                                                 \
            report_failure(bucket, __VA_ARGS__);                                                             \
    } while (0)

static void check_failed(size_t bucket, uint64_t got, uint64_t want, const char *fmt, ...) {
    char what[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    report_failure(bucket, "%s got=0x%016" PRIx64 " want=0x%016" PRIx64, what, got, want);
}

static double now_seconds(void) {
#if defined(_WIN32)
    LARGE_INTEGER now, frequency;
    QueryPerformanceCounter(&now);
    QueryPerformanceFrequency(&frequency);
    return (double)now.QuadPart / (double)frequency.QuadPart;
#else
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
#endif
}

static double section_started;
static void section(const char *title) {
    section_started = now_seconds();
    section_failed = section_printed = 0;
    printf("-- %s\n", title);
    fflush(stdout);
}
static void section_done(void) {
    if (section_failed) printf("   %" PRIu64 " FAILED checks in this section\n", section_failed);
    printf("   (%.2f s)\n", now_seconds() - section_started);
    fflush(stdout);
}

/* 64-byte aligned buffers (Windows' C runtime has no aligned_alloc, and its own pair must free them). */
static void *xalloc(size_t n) {
#if defined(_WIN32)
    void *p = _aligned_malloc((n + 63) & ~(size_t)63, 64);
#else
    void *p = aligned_alloc(64, (n + 63) & ~(size_t)63);
#endif
    if (!p) {
        fprintf(stderr, "out of memory\n");
        exit(2);
    }
    return p;
}
static void xfree(void *p) {
#if defined(_WIN32)
    _aligned_free(p);
#else
    free(p);
#endif
}

/* ======================================================================================================
 * Models under test
 * ====================================================================================================== */

typedef struct test_model {
    const libcrc64_model *lib;
    libcrc64_model *owned; /* custom models, freed at the end */
    ref_model ref;
    char name[128];
} test_model;

_Static_assert(REF_CATALOGUE_COUNT == LIBCRC64_PRESET_COUNT, "a preset was added: type it into crc64_reference.h");

static test_model *models;
static size_t model_count;

static void add_custom(ref_model r) {
    test_model *t = &models[model_count++];
    libcrc64_params p = {.poly = r.poly, .init = r.init, .xorout = r.xorout, .reflected = r.refl};
    t->owned = libcrc64_model_create(p);
    if (!t->owned) {
        fprintf(stderr, "libcrc64_model_create failed\n");
        exit(2);
    }
    t->lib = t->owned;
    t->ref = r;
    snprintf(t->name, sizeof t->name, "custom(poly=0x%016" PRIx64 ",init=0x%016" PRIx64 ",xorout=0x%016" PRIx64 ",%s)",
             r.poly, r.init, r.xorout, r.refl ? "reflected" : "normal");
}

static void build_models(size_t random_custom) {
    models = calloc(LIBCRC64_PRESET_COUNT + 8 + random_custom, sizeof *models);
    for (int i = 0; i < LIBCRC64_PRESET_COUNT; i++) {
        test_model *t = &models[model_count++];
        t->lib = libcrc64_preset_model((libcrc64_preset)i);
        t->ref = ref_catalogue[i].params;
        snprintf(t->name, sizeof t->name, "%s", ref_catalogue[i].name);
    }
    /* Edge polynomials: x^64 + 1, x^64 + x^63, x^64 + all ones, x^64 alone (even, degenerate but "any poly"). */
    add_custom((ref_model){0x0000000000000001ULL, 0x0123456789abcdefULL, 0xfedcba9876543210ULL, true});
    add_custom((ref_model){0x8000000000000000ULL, ~0ULL, 0, false});
    add_custom((ref_model){0xffffffffffffffffULL, 0, ~0ULL, true});
    add_custom((ref_model){0x0000000000000000ULL, 0x5555aaaa5555aaaaULL, 0, false});
    for (size_t i = 0; i < random_custom; i++) {
        ref_model r = {rnd(), rnd(), rnd(), (i & 1) == 0};
        if (i % 4 < 2) r.poly &= ~1ULL; /* half of them even (no x^0 term) */
        else r.poly |= 1;
        add_custom(r);
    }
}

/* ======================================================================================================
 * Tests
 * ====================================================================================================== */

static uint64_t kernel_crc(size_t k, const test_model *m, uint64_t crc, const void *p, size_t n) {
    uint64_t out = 0xdeadbeefdeadbeefULL;
    if (!libcrc64_update_kernel(k, m->lib, crc, p, n, &out)) {
        report_failure(k, "model=%s libcrc64_update_kernel returned false for a supported kernel", m->name);
    }
    return out;
}

static void test_api(void) {
    section("API, kernel list and CRC64_KERNEL contract");
    CHECK(BUCKET_API, kernel_count >= 1 && kernel_count <= MAX_KERNELS, "kernel_count=%zu", kernel_count);
    CHECK(BUCKET_API, libcrc64_kernel_name(kernel_count) == NULL, "libcrc64_kernel_name(count) != NULL");
    CHECK(BUCKET_API, libcrc64_kernel_features(kernel_count) == NULL, "libcrc64_kernel_features(count) != NULL");
    for (size_t i = 0; i < kernel_count; i++)
        CHECK(BUCKET_API, libcrc64_kernel_name(i) && libcrc64_kernel_features(i) &&
                              (strcmp(libcrc64_kernel_name(i), "slice16") != 0 || !*libcrc64_kernel_features(i)),
              "kernel %zu has no name or features, or the portable kernel needs a feature", i);
    CHECK(BUCKET_API, libcrc64_kernel_index("no-such-kernel") == -1, "libcrc64_kernel_index(bogus) != -1");
    CHECK(BUCKET_API, libcrc64_kernel_index(NULL) == -1, "libcrc64_kernel_index(NULL) != -1");
    CHECK(BUCKET_API, libcrc64_kernel_index("slice16") >= 0, "slice16 is not in the kernel list");
    CHECK(BUCKET_API, libcrc64_preset_model(LIBCRC64_PRESET_COUNT) == NULL, "libcrc64_preset_model(COUNT) != NULL");
    CHECK(BUCKET_API, libcrc64_preset_name(LIBCRC64_PRESET_COUNT) == NULL, "libcrc64_preset_name(COUNT) != NULL");
    CHECK(BUCKET_API, libcrc64_preset_check(LIBCRC64_PRESET_COUNT) == 0, "libcrc64_preset_check(COUNT) != 0");
    CHECK(BUCKET_API, libcrc64_preset_params(LIBCRC64_PRESET_COUNT).poly == 0,
          "libcrc64_preset_params(COUNT) not zero");
    char version[32];
    snprintf(version, sizeof version, "%d.%d.%d", LIBCRC64_VERSION_MAJOR, LIBCRC64_VERSION_MINOR,
             LIBCRC64_VERSION_PATCH);
    CHECK(BUCKET_API, strcmp(version, LIBCRC64_VERSION_STRING) == 0, "LIBCRC64_VERSION_STRING %s != %s",
          LIBCRC64_VERSION_STRING, version);
    CHECK(BUCKET_API, strcmp(libcrc64_version(), LIBCRC64_VERSION_STRING) == 0, "libcrc64_version() %s != header %s",
          libcrc64_version(), LIBCRC64_VERSION_STRING);
    for (size_t i = 0; i < kernel_count; i++) {
        const char *name = libcrc64_kernel_name(i);
        CHECK(BUCKET_API, name && libcrc64_kernel_index(name) == (long)i, "kernel %zu: name/index mismatch", i);
    }
    /* Unsupported or out-of-range kernels: false, *result untouched. */
    const test_model *xz = &models[LIBCRC64_PRESET_XZ];
    for (size_t i = 0; i <= kernel_count; i++) {
        if (i < kernel_count && libcrc64_kernel_supported(i)) continue;
        uint64_t out = 0x1234;
        bool ok = libcrc64_update_kernel(i, xz->lib, 0, "abc", 3, &out);
        CHECK(BUCKET_API, !ok && out == 0x1234,
              "libcrc64_update_kernel(unsupported index %zu) returned %d, result 0x%" PRIx64, i, ok, out);
    }
    /* Dispatch picks the best supported kernel. */
    const char *active = libcrc64_active_kernel();
    CHECK(BUCKET_API, supported_count > 0 && active && strcmp(active, libcrc64_kernel_name(supported[0])) == 0,
          "active kernel %s is not the first supported one (%s)", active ? active : "(null)",
          supported_count ? libcrc64_kernel_name(supported[0]) : "none");

    const char *forced = getenv("CRC64_KERNEL");
    if (forced && *forced) {
        long index = libcrc64_kernel_index(forced);
        printf("   CRC64_KERNEL=%s: checking that it is active and every kernel ranked above it is masked\n", forced);
        CHECK(BUCKET_API, index >= 0, "CRC64_KERNEL=%s is not a kernel name", forced);
        if (index >= 0) {
            CHECK(BUCKET_API, libcrc64_kernel_supported((size_t)index),
                  "CRC64_KERNEL=%s is not supported on this machine: the override contract cannot be checked", forced);
            CHECK(BUCKET_API, active && strcmp(active, forced) == 0, "CRC64_KERNEL=%s but active kernel is %s", forced,
                  active ? active : "(null)");
            for (long i = 0; i < index; i++)
                CHECK(BUCKET_API, !libcrc64_kernel_supported((size_t)i),
                      "CRC64_KERNEL=%s but higher-ranked kernel %s is still reported supported", forced,
                      libcrc64_kernel_name((size_t)i));
        }
    }
    section_done();
}

static void test_catalogue(void) {
    section("catalogue check values, empty inputs, model parameters");
    static const uint8_t check_input[9] = {'1', '2', '3', '4', '5', '6', '7', '8', '9'};
    for (int i = 0; i < LIBCRC64_PRESET_COUNT; i++) {
        const test_model *m = &models[i];
        const uint64_t want = ref_catalogue[i].check;
        /* The reference itself must reproduce the catalogue (validates the reference and the typed-in table). */
        CHECK_EQ(BUCKET_API, ref_crc(&m->ref, check_input, 9), want, "reference model=%s check", m->name);
        CHECK_EQ(BUCKET_API, libcrc64_preset_check((libcrc64_preset)i), want, "libcrc64_preset_check model=%s",
                 m->name);
        const char *name = libcrc64_preset_name((libcrc64_preset)i);
        CHECK(BUCKET_API, name && strcmp(name, ref_catalogue[i].name) == 0, "libcrc64_preset_name(%d)=%s want %s", i,
              name ? name : "(null)", ref_catalogue[i].name);
        CHECK(BUCKET_API, m->lib != NULL, "libcrc64_preset_model(%d) == NULL", i);
        if (!m->lib) continue;
        CHECK(BUCKET_API, libcrc64_preset_model((libcrc64_preset)i) == m->lib, "libcrc64_preset_model(%d) not stable",
              i);
        const libcrc64_params p = libcrc64_model_params(m->lib);
        CHECK(BUCKET_API,
              p.poly == m->ref.poly && p.init == m->ref.init && p.xorout == m->ref.xorout && p.reflected == m->ref.refl,
              "libcrc64_model_params model=%s differ from the catalogue", m->name);
        const libcrc64_params q = libcrc64_preset_params((libcrc64_preset)i);
        CHECK(BUCKET_API,
              q.poly == m->ref.poly && q.init == m->ref.init && q.xorout == m->ref.xorout && q.reflected == m->ref.refl,
              "libcrc64_preset_params model=%s differ from the catalogue", m->name);
        const uint64_t empty = libcrc64_model_empty(m->lib);
        CHECK_EQ(BUCKET_API, empty, ref_crc(&m->ref, NULL, 0), "libcrc64_model_empty model=%s", m->name);
        CHECK_EQ(BUCKET_API, libcrc64_update(m->lib, empty, check_input, 9), want, "libcrc64_update model=%s check",
                 m->name);
        for (size_t s = 0; s < supported_count; s++) {
            const size_t k = supported[s];
            CHECK_EQ(k, kernel_crc(k, m, empty, check_input, 9), want, "model=%s check \"123456789\"", m->name);
            const uint64_t c = rnd();
            CHECK_EQ(k, kernel_crc(k, m, c, NULL, 0), c, "model=%s len=0 buf=NULL must return crc unchanged", m->name);
        }
    }
    /* Custom models: parameters round-trip, empty value. */
    for (size_t i = LIBCRC64_PRESET_COUNT; i < model_count; i++) {
        const test_model *m = &models[i];
        const libcrc64_params p = libcrc64_model_params(m->lib);
        CHECK(BUCKET_API,
              p.poly == m->ref.poly && p.init == m->ref.init && p.xorout == m->ref.xorout && p.reflected == m->ref.refl,
              "libcrc64_model_params model=%s do not round-trip", m->name);
        CHECK_EQ(BUCKET_API, libcrc64_model_empty(m->lib), ref_crc(&m->ref, NULL, 0), "libcrc64_model_empty model=%s",
                 m->name);
    }
    CHECK_EQ(BUCKET_API, libcrc64_xz(0, NULL, 0), 0, "libcrc64_xz(0, NULL, 0)");
    CHECK_EQ(BUCKET_API, libcrc64_nvme(0, NULL, 0), 0, "libcrc64_nvme(0, NULL, 0)");
    CHECK_EQ(BUCKET_API, libcrc64_xz(0, check_input, 9), 0x995dc9bbdf1939faULL, "libcrc64_xz(0, \"123456789\")");
    CHECK_EQ(BUCKET_API, libcrc64_nvme(0, check_input, 9), 0xae8b14860a799888ULL, "libcrc64_nvme(0, \"123456789\")");
    CHECK_EQ(BUCKET_API, libcrc64_xz(libcrc64_xz(0, check_input, 4), check_input + 4, 5), 0x995dc9bbdf1939faULL,
             "libcrc64_xz streaming 4+5");
    CHECK_EQ(BUCKET_API, libcrc64_xz_combine(libcrc64_xz(0, check_input, 4), libcrc64_xz(0, check_input + 4, 5), 5),
             0x995dc9bbdf1939faULL, "libcrc64_xz_combine 4+5");
    CHECK_EQ(BUCKET_API,
             libcrc64_nvme_combine(libcrc64_nvme(0, check_input, 2), libcrc64_nvme(0, check_input + 2, 7), 7),
             0xae8b14860a799888ULL, "libcrc64_nvme_combine 2+7");
    /* A zero second length returns the first value, whatever the second is (here never the empty CRC), through every
     * combine entry point: the CRC-64 convention, not zlib 1.2.12's crc1 ^ crc2. */
    for (int t = 0; t < 16; t++) {
        const uint64_t a = rnd(), b = rnd() | 1; /* odd: never 0, the empty value of XZ and NVME */
        CHECK_EQ(BUCKET_API, libcrc64_xz_combine(a, b, 0), a, "libcrc64_xz_combine(a, b, 0) b=0x%016" PRIx64, b);
        CHECK_EQ(BUCKET_API, libcrc64_nvme_combine(a, b, 0), a, "libcrc64_nvme_combine(a, b, 0) b=0x%016" PRIx64, b);
        CHECK_EQ(BUCKET_API, crc64_xz_combine(a, b, 0), a, "crc64_xz_combine (short name)(a, b, 0)");
        CHECK_EQ(BUCKET_API, crc64_nvme_combine(a, b, 0), a, "crc64_nvme_combine (short name)(a, b, 0)");
        for (size_t i = 0; i < model_count; i++) {
            const uint64_t other = b != libcrc64_model_empty(models[i].lib) ? b : b ^ 2; /* not the empty CRC */
            CHECK_EQ(BUCKET_API, libcrc64_combine(models[i].lib, a, other, 0), a, "libcrc64_combine(a, b, 0) model=%s",
                     models[i].name);
            const libcrc64_combiner op = libcrc64_combiner_make(models[i].lib, 0);
            CHECK_EQ(BUCKET_API, libcrc64_combiner_apply(&op, a, other), a, "libcrc64_combiner len2=0 model=%s",
                     models[i].name);
        }
    }
    /* The short names are the prefixed functions. */
    CHECK_EQ(BUCKET_API, crc64_xz(0, check_input, 9), 0x995dc9bbdf1939faULL, "crc64_xz (short name)");
    CHECK_EQ(BUCKET_API, crc64_nvme(crc64_nvme(0, check_input, 3), check_input + 3, 6), 0xae8b14860a799888ULL,
             "crc64_nvme (short name) 3+6");
    section_done();
}

/* ---- Text forms ---- */

/* RFC 4648 base64 of the value's 8 big-endian bytes, byte by byte as the RFC describes it (three bytes, four
 * characters; the last group of two bytes gives three characters and one '='): the test's own encoder. */
static void ref_base64(uint64_t value, char out[13]) {
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    uint8_t bytes[9] = {0};
    for (int i = 0; i < 8; i++) bytes[i] = (uint8_t)(value >> (56 - 8 * i));
    for (int group = 0; group < 3; group++) {
        const uint32_t bits = (uint32_t)bytes[3 * group] << 16 | (uint32_t)bytes[3 * group + 1] << 8 |
                              (uint32_t)bytes[3 * group + 2];
        for (int k = 0; k < 4; k++) out[4 * group + k] = alphabet[(bits >> (18 - 6 * k)) & 63];
    }
    out[11] = '=';
    out[12] = '\0';
}

/* libcrc64_parse on a NUL-terminated string: the error, and the value or the offset. */
static libcrc64_parse_error parse_text(libcrc64_form form, const char *text, uint64_t *value, size_t *offset) {
    *value = 0x5a5a5a5a5a5a5a5aULL; /* must stay untouched on an error */
    *offset = (size_t)-1;
    return libcrc64_parse(form, text, strlen(text), value, offset);
}

static void test_text_forms(void) {
    section("text forms: libcrc64_format and libcrc64_parse against the test's own formatting, every error");
    char text[LIBCRC64_FORM_SIZE], want[32];
    uint64_t value;
    size_t offset;
    for (int t = 0; t < 20000; t++) {
        /* every single bit, every single zero bit, then random values */
        const uint64_t v = t < 64 ? (uint64_t)1 << t : t < 128 ? ~((uint64_t)1 << (t - 64)) : rnd();
        const libcrc64_form forms[3] = {LIBCRC64_FORM_DECIMAL, LIBCRC64_FORM_HEX, LIBCRC64_FORM_BASE64};
        for (int f = 0; f < 3; f++) {
            if (forms[f] == LIBCRC64_FORM_DECIMAL) snprintf(want, sizeof want, "%" PRIu64, v);
            else if (forms[f] == LIBCRC64_FORM_HEX) snprintf(want, sizeof want, "%016" PRIx64, v);
            else ref_base64(v, want);
            memset(text, '#', sizeof text);
            const size_t n = libcrc64_format(forms[f], v, text);
            CHECK(BUCKET_API, n == strlen(want) && strcmp(text, want) == 0, "libcrc64_format(%d, 0x%016" PRIx64
                  ") = \"%s\" (%zu), want \"%s\"", f, v, text, n, want);
            CHECK(BUCKET_API, parse_text(forms[f], want, &value, &offset) == LIBCRC64_PARSE_OK && value == v,
                  "libcrc64_parse(%d, \"%s\") = 0x%016" PRIx64, f, want, value);
        }
    }
    static const struct {
        libcrc64_form form;
        const char *text;
        libcrc64_parse_error error;
        uint64_t value; /* for LIBCRC64_PARSE_OK; the offset for LIBCRC64_PARSE_INVALID_CHARACTER */
    } cases[] = {
        {LIBCRC64_FORM_DECIMAL, "11051210869376104954", LIBCRC64_PARSE_OK, 0x995dc9bbdf1939faULL},
        {LIBCRC64_FORM_DECIMAL, "0", LIBCRC64_PARSE_OK, 0},
        {LIBCRC64_FORM_DECIMAL, "000000000000000000000018446744073709551615", LIBCRC64_PARSE_OK, UINT64_MAX},
        {LIBCRC64_FORM_DECIMAL, "18446744073709551616", LIBCRC64_PARSE_OVERFLOW, 0},
        {LIBCRC64_FORM_DECIMAL, "99999999999999999999999", LIBCRC64_PARSE_OVERFLOW, 0},
        {LIBCRC64_FORM_DECIMAL, "", LIBCRC64_PARSE_EMPTY, 0},
        {LIBCRC64_FORM_DECIMAL, "-1", LIBCRC64_PARSE_NEGATIVE, 0},
        {LIBCRC64_FORM_DECIMAL, "-x", LIBCRC64_PARSE_NEGATIVE, 0},
        {LIBCRC64_FORM_DECIMAL, "+1", LIBCRC64_PARSE_INVALID_CHARACTER, 0},
        {LIBCRC64_FORM_DECIMAL, "12a", LIBCRC64_PARSE_INVALID_CHARACTER, 2},
        {LIBCRC64_FORM_DECIMAL, " 1", LIBCRC64_PARSE_INVALID_CHARACTER, 0},
        {LIBCRC64_FORM_DECIMAL, "1\n", LIBCRC64_PARSE_INVALID_CHARACTER, 1},
        {LIBCRC64_FORM_DECIMAL, "1\xc3\xa9", LIBCRC64_PARSE_INVALID_CHARACTER, 1},
        {LIBCRC64_FORM_DECIMAL, "99999999999999999999999x", LIBCRC64_PARSE_INVALID_CHARACTER, 23},
        {LIBCRC64_FORM_HEX, "995dc9bbdf1939fa", LIBCRC64_PARSE_OK, 0x995dc9bbdf1939faULL},
        {LIBCRC64_FORM_HEX, "995DC9BBDF1939FA", LIBCRC64_PARSE_OK, 0x995dc9bbdf1939faULL},
        {LIBCRC64_FORM_HEX, "0x5dc9bbdf1939fa", LIBCRC64_PARSE_INVALID_CHARACTER, 1},
        {LIBCRC64_FORM_HEX, "995dc9bbdf1939f", LIBCRC64_PARSE_WRONG_LENGTH, 0},
        {LIBCRC64_FORM_HEX, "0995dc9bbdf1939fa", LIBCRC64_PARSE_WRONG_LENGTH, 0},
        {LIBCRC64_FORM_HEX, "995dc9bbdf1939fg", LIBCRC64_PARSE_INVALID_CHARACTER, 15},
        {LIBCRC64_FORM_HEX, "", LIBCRC64_PARSE_EMPTY, 0},
        {LIBCRC64_FORM_BASE64, "mV3Ju98ZOfo=", LIBCRC64_PARSE_OK, 0x995dc9bbdf1939faULL},
        {LIBCRC64_FORM_BASE64, "rosUhgp5mIg=", LIBCRC64_PARSE_OK, 0xae8b14860a799888ULL},
        {LIBCRC64_FORM_BASE64, "AAAAAAAAAAA=", LIBCRC64_PARSE_OK, 0},
        {LIBCRC64_FORM_BASE64, "//////////8=", LIBCRC64_PARSE_OK, UINT64_MAX},
        {LIBCRC64_FORM_BASE64, "mV3Ju98ZOfp=", LIBCRC64_PARSE_NON_CANONICAL, 0},
        {LIBCRC64_FORM_BASE64, "mV3Ju98ZOf==", LIBCRC64_PARSE_INVALID_PADDING, 0},
        {LIBCRC64_FORM_BASE64, "mV3Ju98ZOfoA", LIBCRC64_PARSE_INVALID_PADDING, 0},
        {LIBCRC64_FORM_BASE64, "=V3Ju98ZOfo=", LIBCRC64_PARSE_INVALID_PADDING, 0},
        {LIBCRC64_FORM_BASE64, "mV3Ju98ZOfo", LIBCRC64_PARSE_WRONG_LENGTH, 0},
        {LIBCRC64_FORM_BASE64, "mV3Ju98ZOfo==", LIBCRC64_PARSE_WRONG_LENGTH, 0},
        {LIBCRC64_FORM_BASE64, "mV3Ju98ZOf-=", LIBCRC64_PARSE_INVALID_CHARACTER, 10},
        {LIBCRC64_FORM_BASE64, "mV3Ju98Z_fo=", LIBCRC64_PARSE_INVALID_CHARACTER, 8},
        {LIBCRC64_FORM_BASE64, "", LIBCRC64_PARSE_EMPTY, 0},
        {(libcrc64_form)3, "1", LIBCRC64_PARSE_UNKNOWN_FORM, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const libcrc64_parse_error error = parse_text(cases[i].form, cases[i].text, &value, &offset);
        CHECK(BUCKET_API, error == cases[i].error, "libcrc64_parse(%d, \"%s\") = %d (%s), want %d", cases[i].form,
              cases[i].text, error, libcrc64_parse_error_text(error), cases[i].error);
        if (error == LIBCRC64_PARSE_OK)
            CHECK_EQ(BUCKET_API, value, cases[i].value, "libcrc64_parse(%d, \"%s\")", cases[i].form, cases[i].text);
        else
            CHECK_EQ(BUCKET_API, value, 0x5a5a5a5a5a5a5a5aULL, "libcrc64_parse(%d, \"%s\") changed the value on an "
                     "error", cases[i].form, cases[i].text);
        if (error == LIBCRC64_PARSE_INVALID_CHARACTER)
            CHECK_EQ(BUCKET_API, offset, cases[i].value, "offset of libcrc64_parse(%d, \"%s\")", cases[i].form,
                     cases[i].text);
    }
    /* No NUL needed: the length bounds the read; NULL with length 0 is empty; no offset pointer is fine. */
    CHECK(BUCKET_API, libcrc64_parse(LIBCRC64_FORM_DECIMAL, "123456", 3, &value, NULL) == LIBCRC64_PARSE_OK &&
                          value == 123, "libcrc64_parse reads past its length");
    CHECK(BUCKET_API, libcrc64_parse(LIBCRC64_FORM_HEX, NULL, 0, &value, NULL) == LIBCRC64_PARSE_EMPTY,
          "libcrc64_parse(NULL, 0)");
    CHECK(BUCKET_API, libcrc64_parse(LIBCRC64_FORM_HEX, "12x", 3, &value, NULL) == LIBCRC64_PARSE_INVALID_CHARACTER,
          "libcrc64_parse without an offset pointer");
    CHECK(BUCKET_API, libcrc64_format((libcrc64_form)3, 1, text) == 0 && text[0] == '\0', "libcrc64_format(bogus)");
    for (int e = LIBCRC64_PARSE_OK; e <= LIBCRC64_PARSE_UNKNOWN_FORM; e++)
        CHECK(BUCKET_API, strcmp(libcrc64_parse_error_text((libcrc64_parse_error)e), "unknown error") != 0,
              "libcrc64_parse_error_text(%d) has no text", e);
    section_done();
}

/* Lengths 0..max_len at offsets 0..offsets-1, every supported kernel, from three incoming values: the model's empty
 * value, 0 (the kernels' shortcut, the same thing except for models whose empty value is not 0) and a random value
 * (a continuation: the kernels move it forward with constants of their own for every length). */
static void test_matrix(const test_model *m, size_t max_len, size_t offsets, uint8_t *buf, uint64_t *refs) {
    static const char *const start_names[] = {"empty", "zero", "random"};
    for (size_t off = 0; off < offsets; off++) {
        uint8_t *p = buf + off;
        rnd_fill(p, max_len);
        const uint64_t empty = libcrc64_model_empty(m->lib), starts[] = {empty, 0, rnd()};
        for (int start = 0; start < 3; start++) {
            if (start == 1 && empty == 0) continue;
            const uint64_t incoming = starts[start];
            uint64_t reg = ref_unfinal(&m->ref, incoming);
            refs[0] = incoming;
            for (size_t i = 0; i < max_len; i++) {
                reg = ref_byte(&m->ref, reg, p[i]);
                refs[i + 1] = ref_final(&m->ref, reg);
            }
            for (size_t s = 0; s < supported_count; s++) {
                const size_t k = supported[s];
                for (size_t len = 0; len <= max_len; len++) {
                    uint64_t got = 0;
                    libcrc64_update_kernel(k, m->lib, incoming, p, len, &got);
                    CHECK_EQ(k, got, refs[len], "model=%s matrix len=%zu off=%zu from %s 0x%016" PRIx64, m->name, len,
                             off, start_names[start], incoming);
                }
            }
        }
    }
}

static const size_t boundary_bases[] = {16,   32,   48,   64,   80,    96,    112,   128,   192,   256,    320,
                                        384,  448,  512,  768,  1024,  1536,  2048,  3072,  4096,   8192,
                                        12288, 16384, 32768, 65536};
#define MIB ((size_t)1 << 20)

/* Lengths around every fold boundary (and 1 MiB +- 1) at a few offsets, every kernel and libcrc64_update. */
static void test_boundaries(const test_model *m, uint8_t *big) {
    size_t lens[3 * sizeof boundary_bases / sizeof boundary_bases[0] + 3];
    size_t nlens = 0;
    for (size_t i = 0; i < sizeof boundary_bases / sizeof boundary_bases[0]; i++)
        for (int d = -1; d <= 1; d++) lens[nlens++] = boundary_bases[i] + (size_t)d;
    lens[nlens++] = MIB - 1;
    lens[nlens++] = MIB;
    lens[nlens++] = MIB + 1;
    static const size_t offs_full[] = {0, 1, 3, 8, 15, 16, 31, 33, 63};
    static const size_t offs_quick[] = {0, 1, 7, 15};
    const size_t *offs = quick ? offs_quick : offs_full;
    const size_t noffs = quick ? 4 : 9;
    const uint64_t empty = libcrc64_model_empty(m->lib);
    rnd_fill(big, MIB + 1 + 64);
    for (size_t oi = 0; oi < noffs; oi++) {
        const size_t off = offs[oi];
        const bool with_mib = oi < 2; /* 1 MiB +- 1 at two offsets: the reference is bit-serial */
        const uint8_t *p = big + off;
        uint64_t reg = m->ref.init;
        size_t done = 0;
        for (size_t li = 0; li < nlens; li++) {
            const size_t len = lens[li];
            if (len >= MIB - 1 && !with_mib) break;
            reg = ref_update_reg(&m->ref, reg, p + done, len - done);
            done = len;
            const uint64_t want = ref_final(&m->ref, reg);
            for (size_t s = 0; s < supported_count; s++) {
                const size_t k = supported[s];
                CHECK_EQ(k, kernel_crc(k, m, empty, p, len), want, "model=%s boundary len=%zu off=%zu", m->name, len,
                         off);
            }
            CHECK_EQ(BUCKET_API, libcrc64_update(m->lib, empty, p, len), want,
                     "libcrc64_update model=%s len=%zu off=%zu", m->name, len, off);
        }
    }
}

/* A chunk size: a mix of tiny (<16), small (<256), medium, large and "the rest". */
static size_t random_chunk(size_t remaining) {
    size_t c;
    switch (rnd_below(8)) {
    case 0: c = 0; break;
    case 1:
    case 2: c = 1 + rnd_below(15); break;
    case 3:
    case 4: c = 16 + rnd_below(240); break;
    case 5: c = 256 + rnd_below(3840); break;
    case 6: c = 4096 + rnd_below(60000); break;
    default: c = remaining; break;
    }
    return c < remaining ? c : remaining;
}

static size_t random_total(size_t cap) {
    size_t t;
    switch (rnd_below(4)) {
    case 0: t = rnd_below(300); break;
    case 1: t = rnd_below(4100); break;
    case 2: t = rnd_below(70000); break;
    default: t = rnd_below(cap + 1); break;
    }
    return t < cap ? t : cap;
}

/* Streaming: random chunkings through one kernel, and one chunking that changes kernel at every chunk. */
static void test_chunking(const test_model *m, size_t trials, size_t cap, uint8_t *buf, uint64_t *prefix) {
    for (size_t t = 0; t < trials; t++) {
        const size_t off = rnd_below(64);
        const size_t total = random_total(cap);
        uint8_t *p = buf + off;
        rnd_fill(p, total);
        uint64_t reg = m->ref.init;
        prefix[0] = ref_final(&m->ref, reg);
        for (size_t i = 0; i < total; i++) {
            reg = ref_byte(&m->ref, reg, p[i]);
            prefix[i + 1] = ref_final(&m->ref, reg);
        }
        for (size_t s = 0; s <= supported_count; s++) {
            const bool mixed = s == supported_count;
            uint64_t crc = libcrc64_model_empty(m->lib);
            size_t pos = 0, chunks = 0;
            while (pos < total || chunks == 0) {
                const size_t k = mixed ? supported[rnd_below(supported_count)] : supported[s];
                const size_t c = random_chunk(total - pos);
                crc = kernel_crc(k, m, crc, p + pos, c);
                pos += c;
                chunks++;
                CHECK_EQ(k, crc, prefix[pos], "model=%s stream%s trial=%zu total=%zu off=%zu chunk#%zu=%zu ends at %zu",
                         m->name, mixed ? "(mixed kernels)" : "", t, total, off, chunks, c, pos);
            }
        }
    }
}

/* combine / extend_zeros / combiner against the data and against the independent polynomial arithmetic. */
static void test_combine(const test_model *m, size_t trials, size_t cap, uint8_t *buf, uint64_t *prefix) {
    const ref_model *r = &m->ref;
    for (size_t t = 0; t < trials; t++) {
        const size_t total = random_total(cap);
        rnd_fill(buf, total);
        uint64_t reg = r->init;
        prefix[0] = ref_final(r, reg);
        for (size_t i = 0; i < total; i++) {
            reg = ref_byte(r, reg, buf[i]);
            prefix[i + 1] = ref_final(r, reg);
        }
        /* Split points: random, plus the ends. */
        const size_t split = t % 5 == 0 ? 0 : t % 5 == 1 ? total : rnd_below(total + 1);
        const size_t len2 = total - split;
        const uint64_t crc1 = prefix[split], crc2 = ref_crc(r, buf + split, len2), want = prefix[total];
        CHECK_EQ(BUCKET_API, ref_combine(r, crc1, crc2, len2), want,
                 "reference combine self-check model=%s split=%zu+%zu", m->name, split, len2);
        CHECK_EQ(BUCKET_API, libcrc64_combine(m->lib, crc1, crc2, len2), want,
                 "libcrc64_combine model=%s split=%zu+%zu", m->name, split, len2);
        const libcrc64_combiner op = libcrc64_combiner_make(m->lib, len2);
        CHECK_EQ(BUCKET_API, libcrc64_combiner_apply(&op, crc1, crc2), want, "libcrc64_combiner model=%s split=%zu+%zu",
                 m->name, split, len2);
        /* The same combiner reused on other (random) pairs. */
        for (int j = 0; j < 4; j++) {
            const uint64_t a = rnd(), b = rnd();
            CHECK_EQ(BUCKET_API, libcrc64_combiner_apply(&op, a, b), ref_combine(r, a, b, len2),
                     "libcrc64_combiner reuse model=%s len2=%zu crc1=0x%016" PRIx64 " crc2=0x%016" PRIx64, m->name,
                     len2, a, b);
        }
        /* Zero extension by data: crc(A || 0^z). */
        const size_t z = rnd_below(t % 3 == 0 ? 5000 : 300);
        const uint64_t crcA = prefix[split];
        uint64_t zreg = ref_unfinal(r, crcA);
        for (size_t i = 0; i < z; i++) zreg = ref_byte(r, zreg, 0);
        const uint64_t wantz = ref_final(r, zreg);
        CHECK_EQ(BUCKET_API, ref_extend_zeros(r, crcA, z), wantz, "reference extend self-check model=%s z=%zu",
                 m->name, z);
        CHECK_EQ(BUCKET_API, libcrc64_extend_zeros(m->lib, crcA, z), wantz,
                 "libcrc64_extend_zeros model=%s len=%zu z=%zu", m->name, split, z);
    }
    /* Huge lengths (no data): against the polynomial arithmetic, plus algebraic identities. */
    for (size_t t = 0; t < trials; t++) {
        uint64_t len2;
        switch (t % 4) {
        case 0: len2 = rnd(); break;
        case 1: len2 = (uint64_t)1 << rnd_below(64); break;
        case 2: len2 = ((uint64_t)1 << rnd_below(64)) + (rnd() & 1 ? 1 : (uint64_t)-1); break;
        default: len2 = t & 4 ? UINT64_MAX : rnd() >> rnd_below(64); break;
        }
        const uint64_t c1 = rnd(), c2 = rnd();
        const uint64_t want = ref_combine(r, c1, c2, len2);
        CHECK_EQ(BUCKET_API, libcrc64_combine(m->lib, c1, c2, len2), want, "libcrc64_combine model=%s len2=%" PRIu64,
                 m->name, len2);
        const libcrc64_combiner op = libcrc64_combiner_make(m->lib, len2);
        CHECK_EQ(BUCKET_API, libcrc64_combiner_apply(&op, c1, c2), want, "libcrc64_combiner model=%s len2=%" PRIu64,
                 m->name, len2);
        CHECK_EQ(BUCKET_API, libcrc64_extend_zeros(m->lib, c1, len2), ref_extend_zeros(r, c1, len2),
                 "libcrc64_extend_zeros model=%s z=%" PRIu64, m->name, len2);
        /* combine(c1, c2, L) == extend(c1, L) ^ c2 ^ extend(empty, L), for L > 0 (L == 0 returns c1) */
        const uint64_t empty = libcrc64_model_empty(m->lib);
        if (len2) CHECK_EQ(BUCKET_API,
                 libcrc64_extend_zeros(m->lib, c1, len2) ^ c2 ^ libcrc64_extend_zeros(m->lib, empty, len2), want,
                 "identity combine==extend^crc2^extend(empty) model=%s len2=%" PRIu64, m->name, len2);
        /* extend(extend(c, a), b) == extend(c, a + b) */
        const uint64_t a = len2 >> 1, b = len2 - a;
        CHECK_EQ(BUCKET_API, libcrc64_extend_zeros(m->lib, libcrc64_extend_zeros(m->lib, c1, a), b),
                 libcrc64_extend_zeros(m->lib, c1, len2),
                 "identity extend(extend(c,a),b) model=%s a=%" PRIu64 " b=%" PRIu64, m->name, a, b);
    }
}

/* ---- Guard pages ---- */

static volatile sig_atomic_t guard_active;
static volatile size_t guard_kernel, guard_len, guard_off;
static volatile int guard_placement; /* 0: start after the leading guard, 1: end against the trailing guard */
static const char *volatile guard_model;

static void write_str(const char *s) {
#if defined(_WIN32)
    (void)_write(2, s, (unsigned)strlen(s));
#else
    ssize_t r = write(2, s, strlen(s));
    (void)r;
#endif
}
static void write_u64(uint64_t v) {
    char b[24];
    int i = 23;
    b[i] = 0;
    do b[--i] = (char)('0' + v % 10); while ((v /= 10) && i > 0);
    write_str(b + i);
}

/* Reports a fault (`what`: SIGSEGV, or an access violation on Windows) and exits; only async-signal-safe calls. */
static void report_fault(const char *what) {
    if (guard_active) {
        write_str("FAIL seed=");
        write_u64(g_seed);
        write_str(" kernel=");
        write_str(libcrc64_kernel_name(guard_kernel));
        write_str(" model=");
        write_str(guard_model);
        write_str(guard_placement ? " guard: buffer END against the trailing guard page" :
                                    " guard: buffer START right after the leading guard page");
        write_str(", len=");
        write_u64(guard_len);
        write_str(" gap=");
        write_u64(guard_off);
        write_str(": ");
        write_str(what);
        write_str(", out-of-bounds read\n");
    } else {
        write_str("FAIL seed=");
        write_u64(g_seed);
        write_str(" ");
        write_str(what);
        write_str(" outside the guard-page test\n");
    }
    uint64_t p = 0, f = 1;
    for (size_t i = 0; i <= MAX_KERNELS; i++) p += passed[i], f += failed[i];
    write_u64(p);
    write_str(" passed, ");
    write_u64(f);
    write_str(" failed\n");
    _exit(1);
}

#if defined(_WIN32)
/* Vectored: it sees the fault before any handler of the code that faulted. Other exceptions pass on. */
static LONG WINAPI on_access_violation(EXCEPTION_POINTERS *info) {
    const DWORD code = info->ExceptionRecord->ExceptionCode;
    if (code == EXCEPTION_ACCESS_VIOLATION || code == EXCEPTION_IN_PAGE_ERROR) report_fault("access violation");
    return EXCEPTION_CONTINUE_SEARCH;
}
static void install_fault_handler(void) {
    AddVectoredExceptionHandler(1, on_access_violation);
}
static size_t page_size(void) {
    SYSTEM_INFO info;
    GetSystemInfo(&info);
    return info.dwPageSize;
}
/* Read-write pages, NULL on failure. */
static uint8_t *map_pages(size_t size) {
    return VirtualAlloc(NULL, size, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
}
static bool make_guard_page(uint8_t *page, size_t size) {
    DWORD old;
    return VirtualProtect(page, size, PAGE_NOACCESS, &old) != 0;
}
static void unmap_pages(uint8_t *p, size_t size) {
    (void)size;
    VirtualFree(p, 0, MEM_RELEASE);
}
#else
static void on_segv(int sig) {
    report_fault(sig == SIGBUS ? "SIGBUS" : "SIGSEGV");
}
static void install_fault_handler(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_segv;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGSEGV, &sa, NULL);
    sigaction(SIGBUS, &sa, NULL);
}
static size_t page_size(void) {
    return (size_t)sysconf(_SC_PAGESIZE);
}
static uint8_t *map_pages(size_t size) {
    void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    return p == MAP_FAILED ? NULL : p;
}
static bool make_guard_page(uint8_t *page, size_t size) {
    return mprotect(page, size, PROT_NONE) == 0;
}
static void unmap_pages(uint8_t *p, size_t size) {
    munmap(p, size);
}
#endif

/*
 * [PROT_NONE page][data pages][PROT_NONE page] (PAGE_NOACCESS on Windows). For every kernel, length 0..max_len and
 * gap 0..gaps-1, the buffer (a) starts `gap` bytes after the leading guard, (b) ends `gap` bytes before the trailing
 * guard. gap == 0 is the "exactly against the guard" case; the other gaps move the far end through every alignment
 * while keeping the near end within 63 bytes of the guard, so any over-read of more than `gap` bytes faults.
 */
static void test_guard_pages(const test_model *m, size_t max_len, size_t gaps) {
    const size_t page = page_size();
    const size_t data_pages = (max_len + gaps + page - 1) / page + 1;
    const size_t region = (data_pages + 2) * page;
    uint8_t *base = map_pages(region);
    if (!base) {
        report_failure(BUCKET_API, "mapping the guard-page region failed");
        return;
    }
    uint8_t *data = base + page, *data_end = base + page + data_pages * page;
    rnd_fill(data, data_pages * page);
    if (!make_guard_page(base, page) || !make_guard_page(data_end, page)) {
        report_failure(BUCKET_API, "protecting a guard page failed");
        unmap_pages(base, region);
        return;
    }
    const uint64_t empty = libcrc64_model_empty(m->lib);
    guard_model = m->name;
    for (size_t gap = 0; gap < gaps; gap++) {
        /* (a) start after the leading guard: one incremental reference pass gives every length. */
        const uint8_t *start = data + gap;
        uint64_t reg = m->ref.init;
        for (size_t len = 0; len <= max_len; len++) {
            if (len) reg = ref_byte(&m->ref, reg, start[len - 1]);
            const uint64_t want = ref_final(&m->ref, reg);
            for (size_t s = 0; s < supported_count; s++) {
                const size_t k = supported[s];
                guard_kernel = k, guard_len = len, guard_off = gap, guard_placement = 0, guard_active = 1;
                const uint64_t got = kernel_crc(k, m, empty, start, len);
                guard_active = 0;
                CHECK_EQ(k, got, want, "model=%s guard(start) len=%zu gap=%zu", m->name, len, gap);
            }
        }
        /* (b) end against the trailing guard. */
        for (size_t len = 0; len <= max_len; len++) {
            const uint8_t *p = data_end - gap - len;
            const uint64_t want = ref_crc(&m->ref, p, len);
            for (size_t s = 0; s < supported_count; s++) {
                const size_t k = supported[s];
                guard_kernel = k, guard_len = len, guard_off = gap, guard_placement = 1, guard_active = 1;
                const uint64_t got = kernel_crc(k, m, empty, p, len);
                guard_active = 0;
                CHECK_EQ(k, got, want, "model=%s guard(end) len=%zu gap=%zu", m->name, len, gap);
            }
        }
    }
    unmap_pages(base, region);
}

/* ---- First-use race (--race) ---- */

#define RACE_THREADS 8
static atomic_int race_ready;
static atomic_bool race_go;

typedef struct race_result {
    int id;
    const libcrc64_model *presets[LIBCRC64_PRESET_COUNT];
    uint64_t checks[LIBCRC64_PRESET_COUNT];
    const char *active;
    bool supported[MAX_KERNELS];
    uint64_t xz;
} race_result;

/* Threads: POSIX or Win32. */
#if defined(_WIN32)
typedef HANDLE race_thread_id;
#define yield_cpu() SwitchToThread()
#else
typedef pthread_t race_thread_id;
#define yield_cpu() sched_yield()
#endif

static void race_thread(race_result *r) {
    static const char input[] = "123456789";
    atomic_fetch_add(&race_ready, 1);
    while (!atomic_load(&race_go)) yield_cpu();
    /* Different first calls, so that different lazy paths race: drop-in function, kernel list, preset, model. */
    switch (r->id % 3) {
    case 0: r->xz = libcrc64_xz(0, input, 9); break;
    case 1: r->supported[0] = libcrc64_kernel_supported(0); break;
    default: {
        const int i = r->id % LIBCRC64_PRESET_COUNT;
        r->presets[i] = libcrc64_preset_model((libcrc64_preset)i);
        break;
    }
    }
    r->active = libcrc64_active_kernel();
    for (int j = 0; j < LIBCRC64_PRESET_COUNT; j++) {
        const int i = (j + r->id) % LIBCRC64_PRESET_COUNT;
        r->presets[i] = libcrc64_preset_model((libcrc64_preset)i);
        r->checks[i] = libcrc64_update(r->presets[i], libcrc64_model_empty(r->presets[i]), input, 9);
    }
    for (size_t k = 0; k < libcrc64_kernel_count() && k < MAX_KERNELS; k++)
        r->supported[k] = libcrc64_kernel_supported(k);
    r->xz = libcrc64_xz(0, input, 9);
}

#if defined(_WIN32)
static DWORD WINAPI race_thread_main(void *arg) {
    race_thread(arg);
    return 0;
}
static bool start_race_thread(race_thread_id *id, race_result *r) {
    *id = CreateThread(NULL, 0, race_thread_main, r, 0, NULL);
    return *id != NULL;
}
static void join_race_thread(race_thread_id id) {
    WaitForSingleObject(id, INFINITE);
    CloseHandle(id);
}
#else
static void *race_thread_main(void *arg) {
    race_thread(arg);
    return NULL;
}
static bool start_race_thread(race_thread_id *id, race_result *r) {
    return pthread_create(id, NULL, race_thread_main, r) == 0;
}
static void join_race_thread(race_thread_id id) {
    pthread_join(id, NULL);
}
#endif

static int run_race(void) {
    printf("crc64_driver: --race, %d threads make the process's first library calls at once\n", RACE_THREADS);
    race_thread_id threads[RACE_THREADS];
    race_result results[RACE_THREADS];
    memset(results, 0, sizeof results);
    for (int t = 0; t < RACE_THREADS; t++) {
        results[t].id = t;
        if (!start_race_thread(&threads[t], &results[t])) {
            printf("FAIL starting a thread\n0 passed, 1 failed\n");
            return 1;
        }
    }
    while (atomic_load(&race_ready) < RACE_THREADS) yield_cpu();
    atomic_store(&race_go, true);
    for (int t = 0; t < RACE_THREADS; t++) join_race_thread(threads[t]);
    const size_t count = libcrc64_kernel_count() < MAX_KERNELS ? libcrc64_kernel_count() : MAX_KERNELS;
    for (int t = 0; t < RACE_THREADS; t++) {
        const race_result *r = &results[t];
        CHECK(BUCKET_API, r->active && strcmp(r->active, libcrc64_active_kernel()) == 0,
              "race thread %d: active kernel %s", t, r->active ? r->active : "(null)");
        CHECK_EQ(BUCKET_API, r->xz, 0x995dc9bbdf1939faULL, "race thread %d: libcrc64_xz check", t);
        for (int i = 0; i < LIBCRC64_PRESET_COUNT; i++) {
            CHECK(BUCKET_API, r->presets[i] && r->presets[i] == libcrc64_preset_model((libcrc64_preset)i),
                  "race thread %d: preset %d model pointer differs between threads", t, i);
            CHECK_EQ(BUCKET_API, r->checks[i], ref_catalogue[i].check, "race thread %d: preset %s check", t,
                     ref_catalogue[i].name);
        }
        for (size_t k = 0; k < count; k++)
            CHECK(BUCKET_API, r->supported[k] == libcrc64_kernel_supported(k),
                  "race thread %d: kernel %s support differs", t, libcrc64_kernel_name(k));
    }
    printf("kernels tested: %s (the active one)\n", libcrc64_active_kernel());
    printf("%" PRIu64 " passed, %" PRIu64 " failed\n", passed[BUCKET_API], failed[BUCKET_API]);
    return failed[BUCKET_API] ? 1 : 0;
}

/* ======================================================================================================
 * main
 * ====================================================================================================== */

/* Whether `word` is one of the words of `list` (separated by spaces or commas). */
static bool list_contains(const char *list, const char *word, size_t length) {
    for (const char *p = list; p && *p;) {
        const size_t n = strcspn(p, " ,\t\n");
        if (n == length && strncmp(p, word, length) == 0) return true;
        p += n;
        p += strspn(p, " ,\t\n");
    }
    return false;
}

/* --cpu-flags: which kernels the OS's feature list says this process can run, against what the library reports. */
static void check_cpu_flags(const char *flags, const char *left_out) {
    const char *forced = getenv("CRC64_KERNEL");
    long forced_index = forced && *forced ? libcrc64_kernel_index(forced) : -1;
    bool runs[MAX_KERNELS];
    for (size_t i = 0; i < kernel_count; i++) {
        const char *name = libcrc64_kernel_name(i), *features = libcrc64_kernel_features(i);
        runs[i] = !list_contains(left_out, name, strlen(name));
        for (const char *f = features; runs[i] && *f;) {
            const size_t n = strcspn(f, " ");
            runs[i] = list_contains(flags, f, n);
            f += n;
            f += strspn(f, " ");
        }
    }
    /* CRC64_KERNEL masks the kernels above a forced kernel that runs here (otherwise it is ignored). */
    if (forced_index >= 0 && !runs[forced_index]) forced_index = -1;
    for (size_t i = 0; i < kernel_count; i++) {
        const bool expected = runs[i] && (forced_index < 0 || (long)i >= forced_index);
        CHECK(BUCKET_API, expected == (libcrc64_kernel_supported(i) != 0),
              "--cpu-flags: kernel %s (needs \"%s\") is %ssupported, expected %ssupported", libcrc64_kernel_name(i),
              libcrc64_kernel_features(i), libcrc64_kernel_supported(i) ? "" : "not ", expected ? "" : "not ");
    }
}

static void check_kernel_list(const char *list, const char *flag, bool must_be_supported, bool hard) {
    for (const char *p = list; p && *p;) {
        const char *comma = strchr(p, ',');
        char name[64];
        const size_t len = comma ? (size_t)(comma - p) : strlen(p);
        snprintf(name, sizeof name, "%.*s", (int)(len < 63 ? len : 63), p);
        p = comma ? comma + 1 : NULL;
        const long index = libcrc64_kernel_index(name);
        const bool sup = index >= 0 && libcrc64_kernel_supported((size_t)index);
        if (index < 0) {
            report_failure(BUCKET_API, "%s %s: no kernel has that name", flag, name);
        } else if (sup != must_be_supported) {
            if (hard)
                report_failure(BUCKET_API, "%s %s: kernel is %ssupported here", flag, name, sup ? "" : "not ");
            else
                printf("WARNING: kernel %s is %ssupported here (%s)\n", name, sup ? "" : "not ", flag);
        } else {
            passed[BUCKET_API]++;
        }
    }
}

int main(int argc, char **argv) {
    const char *want = NULL, *expect = NULL, *absent = NULL, *cpu_flags = NULL, *left_out = NULL;
    bool race = false, list_kernels = false;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--quick") == 0) {
            quick = true;
        } else if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc) {
            g_seed = strtoull(argv[++i], NULL, 0);
        } else if (strcmp(argv[i], "--want") == 0 && i + 1 < argc) {
            want = argv[++i];
        } else if (strcmp(argv[i], "--expect") == 0 && i + 1 < argc) {
            expect = argv[++i];
        } else if (strcmp(argv[i], "--absent") == 0 && i + 1 < argc) {
            absent = argv[++i];
        } else if (strcmp(argv[i], "--cpu-flags") == 0 && i + 1 < argc) {
            cpu_flags = argv[++i];
        } else if (strcmp(argv[i], "--left-out") == 0 && i + 1 < argc) {
            left_out = argv[++i];
        } else if (strcmp(argv[i], "--race") == 0) {
            race = true;
        } else if (strcmp(argv[i], "--list-kernels") == 0) {
            list_kernels = true;
        } else {
            fprintf(stderr,
                    "usage: %s [--quick] [--seed N] [--cpu-flags \"F ..\"] [--left-out K,..] [--want K,..] "
                    "[--expect K,..] [--absent K,..] [--race] [--list-kernels]\n",
                    argv[0]);
            return 2;
        }
    }
    rng_state = g_seed;
    ref_init_tables();
#if defined(_WIN32)
    setvbuf(stdout, NULL, _IONBF, 0); /* Windows' C runtime buffers _IOLBF fully: nothing may wait in a buffer */
#else
    setvbuf(stdout, NULL, _IOLBF, 0);
#endif
    if (race) return run_race(); /* before anything else touches the library */
    if (list_kernels) {
        for (size_t i = 0; i < libcrc64_kernel_count(); i++)
            printf("%s\t%s\t%s\n", libcrc64_kernel_name(i), libcrc64_kernel_supported(i) ? "supported" : "unsupported",
                   libcrc64_kernel_features(i));
        return 0;
    }

    install_fault_handler();

    const double t0 = now_seconds();
    printf("crc64_driver: seed=%" PRIu64 " mode=%s\n", g_seed, quick ? "quick" : "full");
    kernel_count = libcrc64_kernel_count();
    if (kernel_count > MAX_KERNELS) kernel_count = MAX_KERNELS;
    printf("kernels:");
    for (size_t i = 0; i < kernel_count; i++) {
        const bool sup = libcrc64_kernel_supported(i);
        printf(" %s(%s)", libcrc64_kernel_name(i), sup ? "supported" : "unsupported");
        if (sup) supported[supported_count++] = i;
    }
    printf("\nkernels tested:");
    for (size_t s = 0; s < supported_count; s++) printf(" %s", libcrc64_kernel_name(supported[s]));
    printf("\nactive kernel (combine/extend/libcrc64_update use it): %s\n", libcrc64_active_kernel());
    const char *forced = getenv("CRC64_KERNEL");
    if (forced && *forced) printf("CRC64_KERNEL=%s\n", forced);

    check_kernel_list(want, "--want", true, false);
    check_kernel_list(expect, "--expect", true, true);
    check_kernel_list(absent, "--absent", false, true);
    if (cpu_flags) check_cpu_flags(cpu_flags, left_out);

    /* Self-test of the reference against one well-known value before anything relies on it. */
    {
        const ref_model xz = ref_catalogue[LIBCRC64_PRESET_XZ].params;
        if (ref_crc(&xz, (const uint8_t *)"123456789", 9) != 0x995dc9bbdf1939faULL) {
            printf("FAIL seed=%" PRIu64 " the bit-serial reference is broken\n0 passed, 1 failed\n", g_seed);
            return 1;
        }
    }

    const size_t random_custom = quick ? 3 : 12;
    build_models(random_custom);
    printf("models: %zu (%d presets, %zu custom)\n", model_count, LIBCRC64_PRESET_COUNT,
           model_count - LIBCRC64_PRESET_COUNT);

    test_api();
    test_catalogue();
    test_text_forms();

    const size_t max_len = quick ? 1024 : 4096, offsets = quick ? 16 : 64;
    const size_t stream_cap = quick ? 100000 : 300000;
    uint8_t *buf = xalloc(stream_cap + 4096 + 128);
    uint8_t *big = xalloc(MIB + 1 + 128);
    uint64_t *refs = xalloc((stream_cap + 4096 + 2) * sizeof(uint64_t));

    char title[160];
    snprintf(title, sizeof title, "length matrix: lengths 0..%zu x offsets 0..%zu x 3 incoming values, %zu models",
             max_len, offsets - 1, model_count);
    section(title);
    for (size_t i = 0; i < model_count; i++) test_matrix(&models[i], max_len, offsets, buf, refs);
    section_done();

    section("fold boundaries (15/16/17 ... 65535/65536/65537) and 1 MiB +- 1, every kernel and libcrc64_update");
    for (size_t i = 0; i < model_count; i++) test_boundaries(&models[i], big);
    section_done();

    const size_t stream_trials = quick ? 8 : 40;
    snprintf(title, sizeof title,
             "streaming: %zu random chunkings per model and kernel (+1 mixing kernels), up to %zu bytes", stream_trials,
             stream_cap);
    section(title);
    for (size_t i = 0; i < model_count; i++) test_chunking(&models[i], stream_trials, stream_cap, buf, refs);
    section_done();

    const size_t combine_trials = quick ? 12 : 60;
    section("combine, combiner reuse, extend_zeros (data and huge lengths) via the active kernel's multiply");
    for (size_t i = 0; i < model_count; i++)
        test_combine(&models[i], combine_trials, quick ? 20000 : 100000, buf, refs);
    section_done();

    const size_t guard_len = quick ? 300 : 1024, guard_gaps = quick ? 16 : 64;
    snprintf(title, sizeof title, "guard pages: lengths 0..%zu x gaps 0..%zu at both ends, every kernel", guard_len,
             guard_gaps - 1);
    section(title);
    test_guard_pages(&models[LIBCRC64_PRESET_XZ], guard_len, guard_gaps);       /* reflected */
    test_guard_pages(&models[LIBCRC64_PRESET_ECMA_182], guard_len, guard_gaps); /* normal */
    section_done();

    uint64_t total_passed = 0, total_failed = 0;
    printf("-- results (%.1f s)\n", now_seconds() - t0);
    for (size_t s = 0; s <= supported_count; s++) {
        const size_t b = s == supported_count ? BUCKET_API : supported[s];
        printf("   %-12s %12" PRIu64 " passed, %" PRIu64 " failed\n", bucket_name(b), passed[b], failed[b]);
    }
    for (size_t b = 0; b <= MAX_KERNELS; b++) total_passed += passed[b], total_failed += failed[b];
    for (size_t i = 0; i < model_count; i++) libcrc64_model_free(models[i].owned);
    free(models);
    xfree(buf);
    xfree(big);
    xfree(refs);
    printf("%" PRIu64 " passed, %" PRIu64 " failed\n", total_passed, total_failed);
    return total_failed ? 1 : 0;
}
