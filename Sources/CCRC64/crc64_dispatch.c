/* The one place that chooses a kernel: the ranked list, CPU support, the CRC64_KERNEL override. */
#include "crc64_internal.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

const uint8_t crc64_shift_table[48] CRC64_ALIGNED(16) = {
    0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
    0,    1,    2,    3,    4,    5,    6,    7,    8,    9,    10,   11,   12,   13,   14,   15,
    0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
};

/* Best first. Families of other architectures contribute NULL and are listed as unsupported. */
static const char *const kernel_names[] = {"avx512", "avx2", "pclmul", "pmull-eor3", "pmull", "slice16"};
#define KERNEL_COUNT (sizeof(kernel_names) / sizeof(kernel_names[0]))

/* The compiled kernel at each rank, looked up once (deterministic, so racing threads store the same pointers). */
static _Atomic(const crc64_kernel *) compiled[KERNEL_COUNT];
static atomic_bool compiled_ready;

static const crc64_kernel *compiled_kernel(size_t index) {
    if (!atomic_load_explicit(&compiled_ready, memory_order_acquire)) {
        for (size_t i = 0; i < KERNEL_COUNT; i++) {
            const crc64_kernel *k = crc64_x86_kernel(kernel_names[i]);
            if (!k) k = crc64_arm_kernel(kernel_names[i]);
            if (!k && strcmp(kernel_names[i], crc64_kernel_slice16.name) == 0) k = &crc64_kernel_slice16;
            atomic_store_explicit(&compiled[i], k, memory_order_relaxed);
        }
        atomic_store_explicit(&compiled_ready, true, memory_order_release);
    }
    return atomic_load_explicit(&compiled[index], memory_order_relaxed);
}

static bool cpu_runs(size_t index) {
    const crc64_kernel *k = compiled_kernel(index);
    return k && (!k->cpu_has || k->cpu_has());
}

/* Index of the first kernel the process may use (those before it are masked by CRC64_KERNEL); -1 until resolved.
 * Resolution is deterministic, so threads racing through it store the same value. */
static _Atomic long first_allowed = -1;
static atomic_flag warned = ATOMIC_FLAG_INIT;

static size_t resolve_first_allowed(void) {
    long cached = atomic_load_explicit(&first_allowed, memory_order_acquire);
    if (cached >= 0) return (size_t)cached;
    long result = 0;
    const char *forced = getenv("CRC64_KERNEL");
    if (forced && *forced) {
        long index = crc64_kernel_index(forced);
        if (index >= 0 && cpu_runs((size_t)index)) {
            result = index;
        } else if (!atomic_flag_test_and_set(&warned)) {
            fprintf(stderr, "crc64: CRC64_KERNEL=%s is %s on this machine; using normal dispatch\n", forced,
                    index < 0 ? "not a kernel name" : "not supported");
        }
    }
    atomic_store_explicit(&first_allowed, result, memory_order_release);
    return (size_t)result;
}

_Atomic(const crc64_kernel *) crc64_dispatched;

__attribute__((noinline, cold)) const crc64_kernel *crc64_dispatch_resolve(void) {
    const crc64_kernel *k = NULL;
    for (size_t i = resolve_first_allowed(); i < KERNEL_COUNT; i++) {
        if (cpu_runs(i)) {
            k = compiled_kernel(i);
            break;
        }
    }
    atomic_store_explicit(&crc64_dispatched, k, memory_order_release);
    return k;
}

__attribute__((noinline, cold)) uint64_t crc64_dispatch_first_update(const crc64_consts *consts, uint64_t reg,
                                                                     const uint8_t *p, size_t n) {
    return crc64_dispatch_resolve()->update(consts, reg, p, n);
}

size_t crc64_kernel_count(void) {
    return KERNEL_COUNT;
}

const char *crc64_kernel_name(size_t index) {
    return index < KERNEL_COUNT ? kernel_names[index] : NULL;
}

bool crc64_kernel_supported(size_t index) {
    return index < KERNEL_COUNT && index >= resolve_first_allowed() && cpu_runs(index);
}

long crc64_kernel_index(const char *name) {
    for (size_t i = 0; name && i < KERNEL_COUNT; i++)
        if (strcmp(name, kernel_names[i]) == 0) return (long)i;
    return -1;
}

const char *crc64_active_kernel(void) {
    return crc64_dispatched_kernel()->name;
}

bool crc64_update_kernel(size_t index, const crc64_model *model, uint64_t crc, const void *buf, size_t len,
                         uint64_t *result) {
    if (!crc64_kernel_supported(index)) return false;
    const uint64_t x = model->params.xorout;
    *result = compiled_kernel(index)->update(&model->consts, crc ^ x, buf, len) ^ x;
    return true;
}
