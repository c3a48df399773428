/* The one place that chooses a kernel: the ranked table, CPU support, the CRC64_KERNEL override. */
#include "crc64_internal.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

/* Every kernel, best first (crc64_internal.h's CRC64_KERNELS), with its name and the CPU features it needs. */
static const struct {
    const char *name;
    const char *features;
    const crc64_kernel *kernel;
} ranked[] = {
#define CRC64_RANKED_KERNEL(id, name, features) {name, features, &libcrc64_kernel_##id},
    CRC64_KERNELS(CRC64_RANKED_KERNEL)
#undef CRC64_RANKED_KERNEL
};
#define KERNEL_COUNT (sizeof(ranked) / sizeof(ranked[0]))

/* The kernel of that rank if it is compiled in and this CPU runs it. */
static const crc64_kernel *runnable_kernel(size_t index) {
    const crc64_kernel *k = ranked[index].kernel;
    return k->update && (!k->cpu_has || k->cpu_has()) ? k : NULL;
}

/* The kernels this process may run, by rank (NULL: not compiled in, not on this CPU, or masked by CRC64_KERNEL),
 * and the dispatched one. Resolved once; resolution is deterministic, so threads racing through it store the same
 * values, and `resolved` publishes them. */
static _Atomic(const crc64_kernel *) usable[KERNEL_COUNT];
static atomic_bool resolved;
static atomic_flag warned = ATOMIC_FLAG_INIT;
_Atomic(const crc64_kernel *) libcrc64_dispatched;

/* A forced kernel masks every kernel ranked above it; an unknown or unsupported name is ignored with one warning. */
static size_t first_allowed(void) {
    const char *forced = getenv("CRC64_KERNEL");
    if (!forced || !*forced) return 0;
    const long index = libcrc64_kernel_index(forced);
    if (index >= 0 && runnable_kernel((size_t)index)) return (size_t)index;
    if (!atomic_flag_test_and_set(&warned))
        fprintf(stderr, "crc64: CRC64_KERNEL=%s is %s on this machine; using normal dispatch\n", forced,
                index < 0 ? "not a kernel name" : "not supported");
    return 0;
}

static void resolve(void) {
    if (atomic_load_explicit(&resolved, memory_order_acquire)) return;
    const size_t first = first_allowed();
    const crc64_kernel *best = NULL;
    for (size_t i = 0; i < KERNEL_COUNT; i++) {
        const crc64_kernel *k = i >= first ? runnable_kernel(i) : NULL;
        if (k && !best) best = k;
        atomic_store_explicit(&usable[i], k, memory_order_relaxed);
    }
    atomic_store_explicit(&libcrc64_dispatched, best, memory_order_relaxed);
    atomic_store_explicit(&resolved, true, memory_order_release);
}

static const crc64_kernel *usable_kernel(size_t index) {
    if (index >= KERNEL_COUNT) return NULL;
    resolve();
    return atomic_load_explicit(&usable[index], memory_order_relaxed);
}

CRC64_COLD const crc64_kernel *libcrc64_dispatch_resolve(void) {
    resolve();
    return atomic_load_explicit(&libcrc64_dispatched, memory_order_relaxed);
}

size_t libcrc64_kernel_count(void) {
    return KERNEL_COUNT;
}

const char *libcrc64_kernel_name(size_t index) {
    return index < KERNEL_COUNT ? ranked[index].name : NULL;
}

const char *libcrc64_kernel_features(size_t index) {
    return index < KERNEL_COUNT ? ranked[index].features : NULL;
}

int libcrc64_kernel_supported(size_t index) {
    return usable_kernel(index) != NULL;
}

long libcrc64_kernel_index(const char *name) {
    for (size_t i = 0; name && i < KERNEL_COUNT; i++)
        if (strcmp(name, ranked[i].name) == 0) return (long)i;
    return -1;
}

const char *libcrc64_active_kernel(void) {
    const crc64_kernel *active = crc64_dispatched_kernel();
    size_t i = 0;
    while (ranked[i].kernel != active) i++; /* the dispatched kernel is one of the table's */
    return ranked[i].name;
}

int libcrc64_update_kernel(size_t index, const libcrc64_model *model, uint64_t crc, const void *buf, size_t len,
                         uint64_t *result) {
    const crc64_kernel *k = usable_kernel(index);
    if (!k) return 0;
    *result = k->update(&model->consts, crc, buf, len);
    return 1;
}
