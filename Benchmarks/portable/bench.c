/*
 * The portable kernel against the best table methods, one process, interleaved rounds, medians, throughput mode
 * (independent calls: acc ^= f(0, buf, n)). Built and run by run.sh, outside the package build.
 *
 *   bench [--model xz|ecma|we] [--rounds N] [--offset K]
 *
 * Columns: this tree's portable kernel (slice16, called through the kernel table), optionally a baseline build of it
 * (run.sh BASELINE=<rev>), crcutil's multiword kernel, ISA-L's crc64_ecma_refl_base and liblzma's lzma_crc64 (both by
 * dlopen). The peers compute CRC-64/XZ only; for a not-reflected model they still run XZ over the same buffer, as the
 * nearest work per byte, and the report says so.
 */
#include "CRCBenchSupport.h"
#include "crc64_internal.h"
#include "crc64_reference.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void crcutil_xz_init(void);
unsigned long long crcutil_xz(unsigned long long crc, const void *p, unsigned long n);
#ifdef HAVE_BASELINE
extern const crc64_kernel libcrc64_kernel_slice16_baseline;
#endif

typedef uint64_t (*isal_fn)(uint64_t crc, const void *buf, uint64_t len);
typedef uint64_t (*lzma_fn)(const void *buf, size_t size, uint64_t crc);
static const libcrc64_model *model;
static isal_fn isal_base;
static lzma_fn lzma;

static uint64_t ours(uint64_t c, const uint8_t *p, size_t n) {
    return libcrc64_kernel_slice16.update(&model->consts, c, p, n);
}
#ifdef HAVE_BASELINE
static uint64_t baseline(uint64_t c, const uint8_t *p, size_t n) {
    return libcrc64_kernel_slice16_baseline.update(&model->consts, c, p, n);
}
#endif
static uint64_t crcutil(uint64_t c, const uint8_t *p, size_t n) { return crcutil_xz(c, p, n); }
static uint64_t isal(uint64_t c, const uint8_t *p, size_t n) { return isal_base(c, p, n); }
static uint64_t xz(uint64_t c, const uint8_t *p, size_t n) { return lzma(p, n, c); }

typedef struct {
    const char *name;
    uint64_t (*fn)(uint64_t, const uint8_t *, size_t);
    bool xz_only; /* a peer: computes CRC-64/XZ whatever the model */
} column;

static void *symbol(const char *lib, const char *name) {
    char err[512];
    void *s = cb_dlsym(lib, name, err, sizeof err);
    if (!s) fprintf(stderr, "note: %s from %s not found (%s); column left out\n", name, lib, err);
    return s;
}

/* The C tests' bit-at-a-time reference (independent of the library): the check every column passes before timing. */
static uint64_t bitwise(libcrc64_params p, uint64_t crc, const uint8_t *buf, size_t n) {
    const ref_model m = {p.poly, p.init, p.xorout, p.reflected};
    return ref_final(&m, ref_update_reg(&m, ref_unfinal(&m, crc), buf, n));
}

int main(int argc, char **argv) {
    const char *model_name = "xz";
    int rounds = 31;
    size_t offset = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--model") && i + 1 < argc) model_name = argv[++i];
        else if (!strcmp(argv[i], "--rounds") && i + 1 < argc) rounds = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--offset") && i + 1 < argc) offset = (size_t)atoi(argv[++i]);
        else {
            fprintf(stderr, "usage: %s [--model xz|ecma|we] [--rounds N] [--offset K]\n", argv[0]);
            return 2;
        }
    }
    const libcrc64_preset preset = !strcmp(model_name, "ecma") ? LIBCRC64_PRESET_ECMA_182
                                : !strcmp(model_name, "we") ? LIBCRC64_PRESET_WE
                                                            : LIBCRC64_PRESET_XZ;
    if (rounds < 1 || rounds > 101) rounds = 31;
    model = libcrc64_preset_model(preset);
    ref_init_tables();
    crcutil_xz_init();
    isal_base = (isal_fn)symbol("libisal.so.2", "crc64_ecma_refl_base");
    lzma = (lzma_fn)symbol("liblzma.so.5", "lzma_crc64");

    column cols[8];
    int ncols = 0;
    cols[ncols++] = (column){"slice16", ours, false};
#ifdef HAVE_BASELINE
    cols[ncols++] = (column){"baseline", baseline, false};
#endif
    cols[ncols++] = (column){"crcutil", crcutil, true};
    if (isal_base) cols[ncols++] = (column){"isal-base", isal, true};
    if (lzma) cols[ncols++] = (column){"lzma", xz, true};

    static const size_t sizes[] = {64, 256, 1024, 4096, 65536, 1 << 20};
    enum { SIZES = sizeof sizes / sizeof sizes[0] };
    uint8_t *buf = cb_alloc_random((1 << 20) + 64, 0x5EEDC0DECAFEF00Dull);
    if (!buf) return 1;

    const libcrc64_params xz_params = libcrc64_preset_params(LIBCRC64_PRESET_XZ), params = libcrc64_model_params(model);
    for (int c = 0; c < ncols; c++)
        for (size_t n = 0; n <= 2048; n += n < 300 ? 1 : 37)
            for (size_t off = 0; off < 8; off += 7) {
                const libcrc64_params m = cols[c].xz_only ? xz_params : params;
                const uint64_t start = 0x0123456789abcdefULL, want = bitwise(m, start, buf + off, n);
                const uint64_t got = cols[c].fn(start, buf + off, n);
                if (got != want) {
                    fprintf(stderr, "%s: wrong CRC at length %zu offset %zu: %016llx, want %016llx\n", cols[c].name, n,
                            off, (unsigned long long)got, (unsigned long long)want);
                    return 1;
                }
            }

    printf("model %s (%s), buffer offset %zu, %d rounds, throughput mode, GB/s (10^9 B/s) medians%s\n",
           libcrc64_preset_name(preset), params.reflected ? "reflected" : "not reflected", offset, rounds,
           params.reflected && params.poly == xz_params.poly ? "" : "; peers compute CRC-64/XZ");
    printf("%-8s", "size");
    for (int c = 0; c < ncols; c++) printf(" %10s", cols[c].name);
    for (int c = 1; c < ncols; c++) printf("  /%s", cols[c].name);
    printf("\n");

    /* Fixed sizes, then uniformly random lengths 1..max (the same sequence for every column). */
    static const size_t random_max[] = {64, 256, 1024};
    enum { RANDOM = sizeof random_max / sizeof random_max[0], LENGTHS = 4096 };
    static size_t lengths[LENGTHS];
    static double samples[8][101];
    uint64_t sink = 0, state = 0x9e3779b97f4a7c15ULL;
    for (int s = 0; s < SIZES + RANDOM; s++) {
        const bool fixed = s < SIZES;
        size_t total = 0;
        for (size_t i = 0; i < LENGTHS; i++) {
            state = state * 6364136223846793005ULL + 1442695040888963407ULL;
            lengths[i] = fixed ? sizes[s] : 1 + (size_t)(state >> 33) % random_max[s - SIZES];
            total += lengths[i];
        }
        const size_t calls = fixed && sizes[s] >= 2000000 ? 1 : 2000000 / (total / LENGTHS);
        for (int r = 0; r < rounds; r++)
            for (int c = 0; c < ncols; c++) {
                /* A sample during which this thread lost more than 2% of the wall time (to the other processes of a
                 * shared machine) is taken again, up to four times. */
                for (int attempt = 0; attempt < 5; attempt++) {
                    uint64_t acc = 0;
                    size_t bytes = 0;
                    cb_probe probe;
                    cb_probe_start(&probe, false);
                    const uint64_t t0 = cb_now_ns();
                    for (size_t i = 0; i < calls; i++) {
                        const size_t n = lengths[i % LENGTHS];
                        acc ^= cols[c].fn(0, buf + offset, n);
                        bytes += n;
                    }
                    samples[c][r] = (double)(cb_now_ns() - t0) / (double)bytes; /* ns per byte */
                    sink ^= acc;
                    if (cb_probe_stop(&probe, NULL) <= 0.02) break;
                }
            }
        double gbps[8];
        for (int c = 0; c < ncols; c++) gbps[c] = 1 / cb_median(samples[c], (size_t)rounds); /* bytes per ns */
        char label[16];
        if (fixed)
            snprintf(label, sizeof label, "%zu", sizes[s]);
        else
            snprintf(label, sizeof label, "1..%zu", random_max[s - SIZES]);
        printf("%-8s", label);
        for (int c = 0; c < ncols; c++) printf(" %10.2f", gbps[c]);
        for (int c = 1; c < ncols; c++) printf("  %*.2fx", (int)strlen(cols[c].name), gbps[0] / gbps[c]);
        printf("\n");
    }
    cb_consume(sink); /* keeps the timed calls alive */
    return 0;
}
