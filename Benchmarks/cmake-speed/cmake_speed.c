/*
 * cmake_speed — is libcrc64 from the CMake build as fast as SwiftPM's? libcrc64_xz of every build given, side by side
 * in one process with ISA-L's crc64_ecma_refl, through crcbench's timing loops (Benchmarks/CRCBenchSupport), in
 * throughput (acc ^= f(0, buf, n)) and latency (acc = f(acc, buf, n)) mode. Run by run.sh, which builds everything.
 *
 *   cmake_speed [--reps N] [--sizes 64,4096,1048576] [--target-ms T] NAME=LIBRARY.so...
 *
 * Each NAME=LIBRARY.so is dlopened for its libcrc64_xz; the libcrc64.a this program is linked with is the candidate
 * "cmake-static"; ISA-L comes from libisal.so.2. Every repetition times each candidate once, in an order that
 * rotates; a repetition that the thread spent partly switched out is timed again (up to 3 attempts). Output: a
 * Markdown table per mode with the medians in GB/s (10^9 B/s) and ns a call, and each candidate's speed over ISA-L
 * and over the first library given (the baseline), as medians of the per-repetition ratios.
 */
#include "CRCBenchSupport.h"
#include "crc64.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CANDIDATES 8
#define MAX_SIZES 16
#define MAX_REPS 101

typedef struct {
    char name[64];
    cb_candidate c;
    const char *kernel;
} candidate;

/* The median of values[0..<n], left unsorted: they are paired by repetition afterwards. */
static double median(const double *values, int n) {
    double sorted[MAX_REPS];
    memcpy(sorted, values, (size_t)n * sizeof *values);
    return cb_median(sorted, (size_t)n);
}

/* Iterations for a run of about target_ns with the slowest candidate (all run the same count). */
static uint64_t calibrate(const candidate *cands, int count, const void *buf, size_t len, cb_mode mode,
                          double target_ns) {
    double slowest = 0;
    for (int i = 0; i < count; i++) {
        uint64_t n = 16, t;
        while ((t = cb_time(&cands[i].c, buf, len, n, mode)) < 2000000 && n < (1ull << 40)) n *= 4;
        if ((double)t / (double)n > slowest) slowest = (double)t / (double)n;
    }
    const double n = target_ns / slowest;
    return n < 1 ? 1 : (uint64_t)n;
}

/* One timed run, retimed (up to 3 attempts) while the thread was switched out or lost over 2% of the wall time. */
static double timed_ns_per_call(const candidate *c, const void *buf, size_t len, uint64_t iterations, cb_mode mode) {
    double best = 0;
    for (int attempt = 0; attempt < 3; attempt++) {
        cb_probe probe;
        long switches;
        cb_probe_start(&probe, false);
        const double ns = (double)cb_time(&c->c, buf, len, iterations, mode) / (double)iterations;
        const double lost = cb_probe_stop(&probe, &switches);
        if (attempt == 0 || ns < best) best = ns;
        if (switches == 0 && lost < 0.02) return ns;
    }
    return best;
}

static int parse_sizes(const char *text, size_t *sizes) {
    int n = 0;
    for (const char *p = text; *p && n < MAX_SIZES;) {
        char *end;
        unsigned long long v = strtoull(p, &end, 10);
        if (end == p || v == 0) return -1;
        if (*end == 'K' || *end == 'k') v <<= 10, end++;
        else if (*end == 'M' || *end == 'm') v <<= 20, end++;
        sizes[n++] = (size_t)v;
        if (*end == ',') end++;
        else if (*end) return -1;
        p = end;
    }
    return n;
}

int main(int argc, char **argv) {
    candidate cands[MAX_CANDIDATES];
    int count = 0, reps = 21;
    double target_ms = 2;
    size_t sizes[MAX_SIZES] = {64, 4096, 1 << 20};
    int size_count = 3;
    char err[512];

    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--reps") == 0 && i + 1 < argc) {
            reps = atoi(argv[++i]);
        } else if (strcmp(argv[i], "--target-ms") == 0 && i + 1 < argc) {
            target_ms = atof(argv[++i]);
        } else if (strcmp(argv[i], "--sizes") == 0 && i + 1 < argc) {
            size_count = parse_sizes(argv[++i], sizes);
        } else if (strchr(argv[i], '=') && count < MAX_CANDIDATES - 2) {
            const char *eq = strchr(argv[i], '='), *path = eq + 1;
            candidate *c = &cands[count++];
            memset(c, 0, sizeof *c);
            snprintf(c->name, sizeof c->name, "%.*s", (int)(eq - argv[i]), argv[i]);
            c->c.fn = cb_dlsym(path, "libcrc64_xz", err, sizeof err); /* kind 0: CB_KIND_FN64 */
            const char *(*active)(void) = (const char *(*)(void))cb_dlsym(path, "libcrc64_active_kernel", NULL, 0);
            if (!c->c.fn || !active) {
                fprintf(stderr, "cmake_speed: %s: no libcrc64_xz or libcrc64_active_kernel: %s\n", path, err);
                return 2;
            }
            c->kernel = active();
        } else {
            fprintf(stderr, "usage: cmake_speed [--reps N] [--sizes 64,4K,1M] [--target-ms T] NAME=LIBRARY.so...\n");
            return 2;
        }
    }
    if (count == 0 || reps < 1 || reps > MAX_REPS || size_count < 1 || target_ms <= 0) {
        fprintf(stderr, "cmake_speed: give at least one NAME=LIBRARY.so, --reps 1..%d and sizes > 0\n", MAX_REPS);
        return 2;
    }
    candidate *s = &cands[count++];
    memset(s, 0, sizeof *s);
    snprintf(s->name, sizeof s->name, "cmake-static");
    s->c.fn = (const void *)libcrc64_xz;
    s->kernel = libcrc64_active_kernel();
    candidate *isal = &cands[count++];
    memset(isal, 0, sizeof *isal);
    snprintf(isal->name, sizeof isal->name, "isa-l");
    isal->c.fn = cb_dlsym("libisal.so.2", "crc64_ecma_refl", err, sizeof err);
    isal->kernel = "crc64_ecma_refl";
    if (!isal->c.fn) {
        fprintf(stderr, "cmake_speed: ISA-L: %s (apt-get install libisal-dev)\n", err);
        return 2;
    }

    printf("%d online CPUs; harness compiled by %s; %d repetitions, about %.1f ms a timed run\n\n", cb_online_cpus(),
           cb_c_compiler(), reps, target_ms);
    for (int i = 0; i < count; i++) printf("- %s: %s\n", cands[i].name, cands[i].kernel);

    size_t max_size = 0;
    for (int z = 0; z < size_count; z++)
        if (sizes[z] > max_size) max_size = sizes[z];
    unsigned char *buf = cb_alloc_random(max_size, 14);
    for (int z = 0; z < size_count; z++) {
        const uint64_t want = cb_value(&cands[count - 1].c, buf, sizes[z]);
        for (int i = 0; i < count; i++)
            if (cb_value(&cands[i].c, buf, sizes[z]) != want) {
                fprintf(stderr, "cmake_speed: %s disagrees with ISA-L at %zu bytes\n", cands[i].name, sizes[z]);
                return 1;
            }
    }

    static double ns[MAX_CANDIDATES][MAX_REPS];
    for (int mode = CB_THROUGHPUT; mode <= CB_LATENCY; mode++) {
        printf("\n%s mode (%s)\n\n| size |", mode == CB_THROUGHPUT ? "Throughput" : "Latency",
               mode == CB_THROUGHPUT ? "acc ^= f(0, buf, n)" : "acc = f(acc, buf, n)");
        for (int i = 0; i < count; i++) printf(" %s GB/s (ns) |", cands[i].name);
        for (int i = 0; i < count - 1; i++) printf(" %s / isa-l |", cands[i].name);
        for (int i = 1; i < count - 1; i++) printf(" %s / %s |", cands[i].name, cands[0].name);
        printf("\n|---:|");
        for (int i = 0; i < 3 * count - 3; i++) printf("---:|");
        printf("\n");
        for (int z = 0; z < size_count; z++) {
            const size_t len = sizes[z];
            const uint64_t iterations = calibrate(cands, count, buf, len, (cb_mode)mode, target_ms * 1e6);
            for (int r = 0; r < reps; r++)
                for (int k = 0; k < count; k++) {
                    const int i = (r + k) % count;
                    ns[i][r] = timed_ns_per_call(&cands[i], buf, len, iterations, (cb_mode)mode);
                }
            printf("| %zu B |", len);
            for (int i = 0; i < count; i++) {
                const double m = median(ns[i], reps);
                printf(" %.2f (%.1f) |", (double)len / m, m);
            }
            double ratio[MAX_REPS];
            for (int i = 0; i < count - 1; i++) {
                for (int r = 0; r < reps; r++) ratio[r] = ns[count - 1][r] / ns[i][r];
                printf(" %.3f |", median(ratio, reps));
            }
            for (int i = 1; i < count - 1; i++) {
                for (int r = 0; r < reps; r++) ratio[r] = ns[0][r] / ns[i][r];
                printf(" %.3f |", median(ratio, reps));
            }
            printf("\n");
            fflush(stdout);
        }
    }
    free(buf);
    return 0;
}
