/*
 * aarch64 kernels: PMULL folding (Armv8 crypto extension), "pmull-eor3" with the three-way EOR3 of FEAT_SHA3 and
 * "pmull" with plain EOR. Same constants and algorithm as the x86 kernels (crc64_x86.c, crc64_x86_fold.h), on 128-bit
 * vectors with eight accumulators (128 bytes a round) to cover PMULL + EOR latency; see perf-reports/aarch64-design.md.
 * Each SIMD function carries its own target attribute, so the rest of the library runs on any aarch64.
 *
 * The two kernels differ only in the three-way XOR, so the folding code below the #else is a template that this file
 * includes twice into itself (as crc64_x86.c does with crc64_x86_fold.h).
 */
#ifndef CRC64_ARM_TEMPLATE

#include "crc64_internal.h"

/* Little-endian only: the kernels take lane 0 of a loaded vector as its first 8 bytes (aarch64_be uses slice16).
 * CRC64_NO_PMULL (both kernels) and CRC64_NO_PMULL_EOR3 leave kernels out, for a compiler that cannot build them (the
 * CMake build probes this). */
#if defined(__aarch64__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ && \
    !defined(CRC64_NO_PMULL)

#include <arm_neon.h>
#include <stdatomic.h>

#if defined(__linux__)
#include <sys/auxv.h>
#elif defined(__APPLE__)
#include <sys/sysctl.h>
#endif

/* ---- CPU features ---- */

enum { HAS_PMULL = 1, HAS_SHA3 = 2 };

#if defined(__linux__)
#ifndef HWCAP_PMULL
#define HWCAP_PMULL (1UL << 4)
#endif
#ifndef HWCAP_SHA3
#define HWCAP_SHA3 (1UL << 17)
#endif
static unsigned detect_features(void) {
    const unsigned long hwcap = getauxval(AT_HWCAP);
    return ((hwcap & HWCAP_PMULL) ? HAS_PMULL : 0) | ((hwcap & HWCAP_SHA3) ? HAS_SHA3 : 0);
}
#elif defined(__APPLE__)
/* 1 or 0 for a present key, -1 for an unknown one (older OS releases). */
static int sysctl_flag(const char *name) {
    int value = 0;
    size_t size = sizeof(value);
    if (sysctlbyname(name, &value, &size, NULL, 0) != 0) return -1;
    return value != 0;
}
static unsigned detect_features(void) {
    int pmull = sysctl_flag("hw.optional.arm.FEAT_PMULL");
    if (pmull < 0) pmull = 1; /* key added in macOS 12 / iOS 15; every Apple arm64 core (A7 onward) has PMULL */
    int sha3 = sysctl_flag("hw.optional.arm.FEAT_SHA3");
    if (sha3 < 0) sha3 = sysctl_flag("hw.optional.armv8_2_sha3");
    return (pmull > 0 ? HAS_PMULL : 0) | (sha3 > 0 ? HAS_SHA3 : 0);
}
#else
static unsigned detect_features(void) {
    return 0; /* no detection on this OS: only what the build itself requires (below) */
}
#endif

static unsigned cpu_features(void) {
    static _Atomic int cached = -1; /* deterministic, so a race only repeats the same work */
    int f = atomic_load_explicit(&cached, memory_order_relaxed);
    if (f < 0) {
        unsigned features = detect_features();
        /* A build for a baseline that already has the feature runs only where it is present. */
#if defined(__ARM_FEATURE_AES) || defined(__ARM_FEATURE_CRYPTO)
        features |= HAS_PMULL;
#endif
#if defined(__ARM_FEATURE_SHA3)
        features |= HAS_SHA3;
#endif
        f = (int)features;
        atomic_store_explicit(&cached, f, memory_order_relaxed);
    }
    return (unsigned)f;
}

static bool has_pmull(void) { return cpu_features() & HAS_PMULL; }
#ifndef CRC64_NO_PMULL_EOR3
static bool has_sha3_and_pmull(void) { return (cpu_features() & (HAS_PMULL | HAS_SHA3)) == (HAS_PMULL | HAS_SHA3); }
#endif

/* ---- Target attributes and EOR3 ----
 * Attributes are additive, so the build's own -march/-mcpu (maybe higher, e.g. armv9-a) stays in force and every
 * helper inlines; an "arch=" attribute would replace a higher baseline and GCC would then refuse to inline.
 * GCC: a "+sha3" function does not build with GCC 12 and binutils 2.40 — arm_neon.h declares veor3q_* under
 * "arch=armv8.2-a+sha3" (not inlinable into "+crypto+sha3"), GCC itself fuses EOR pairs into EOR3, and gas accepts
 * EOR3 only under armv8.2-a. So the GCC "pmull-eor3" kernel is compiled for "+crypto" and emits EOR3 as its
 * encoding, the register numbers read from the operands by the assembler (.irp/.ifc, as the Linux kernel does for
 * instructions its assemblers may lack). It runs only where has_sha3_and_pmull() holds, like the clang build. */
#if defined(__clang__)
#define PMULL_TARGET __attribute__((target("aes")))
#define EOR3_TARGET __attribute__((target("aes,sha3")))
#define EOR3(a, b, c) veor3q_u8(a, b, c)
#else
#define PMULL_TARGET __attribute__((target("+crypto")))
#define EOR3_TARGET __attribute__((target("+crypto"))) /* + EOR3 by encoding, see above */
#define EOR3_REG(op, sym) ".ifc " op ",v\\r\n.set " sym ",\\r\n.endif\n"
/* EOR3 Vd.16B, Vn.16B, Vm.16B, Va.16B: 0xCE000000 | Rm << 16 | Ra << 10 | Rn << 5 | Rd. */
CRC64_INLINE uint8x16_t crc64_eor3_asm(uint8x16_t n, uint8x16_t m, uint8x16_t a) {
    uint8x16_t d;
    __asm__(".irp r,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31\n"
            EOR3_REG("%0", ".Lcrc64_eor3_d") EOR3_REG("%1", ".Lcrc64_eor3_n") EOR3_REG("%2", ".Lcrc64_eor3_m")
            EOR3_REG("%3", ".Lcrc64_eor3_a")
            ".endr\n"
            ".inst 0xce000000 | (.Lcrc64_eor3_m << 16) | (.Lcrc64_eor3_a << 10) | (.Lcrc64_eor3_n << 5)"
            " | .Lcrc64_eor3_d"
            : "=w"(d)
            : "w"(n), "w"(m), "w"(a));
    return d;
}
#define EOR3(a, b, c) crc64_eor3_asm(a, b, c)
#endif

/* ---- 128-bit building blocks (the NEON twins of crc64_x86.c's x86_* helpers) ---- */

#define XOR3_PLAIN(a, b, c) veorq_u8(veorq_u8(a, b), c)

static const uint8_t byte_reverse[16] CRC64_ALIGNED(16) = {15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0};

/* ---- The two kernels ---- */
#define CRC64_ARM_TEMPLATE

#ifndef CRC64_NO_PMULL_EOR3
#define SUFFIX eor3
#define TARGET EOR3_TARGET
#define XOR3(a, b, c) EOR3(a, b, c)
#include "crc64_arm.c"
#undef SUFFIX
#undef TARGET
#undef XOR3
#endif

#define SUFFIX eor
#define TARGET PMULL_TARGET
#define XOR3(a, b, c) XOR3_PLAIN(a, b, c)
#include "crc64_arm.c"
#undef SUFFIX
#undef TARGET
#undef XOR3

#undef CRC64_ARM_TEMPLATE

/* ---- Carry-less multiply for combine ---- */

PMULL_TARGET CRC64_INLINE void arm_clmul(uint64_t a, uint64_t b, uint64_t *lo, uint64_t *hi) {
    const uint64x2_t p = vreinterpretq_u64_p128(vmull_p64((poly64_t)a, (poly64_t)b));
    *lo = vgetq_lane_u64(p, 0);
    *hi = vgetq_lane_u64(p, 1);
}

CRC64_DEFINE_MULTIPLY(PMULL_TARGET static, arm_multiply, arm_clmul)

static const crc64_kernel kernels[] = {
#ifndef CRC64_NO_PMULL_EOR3
    {"pmull-eor3", has_sha3_and_pmull, update_eor3, arm_multiply},
#endif
    {"pmull", has_pmull, update_eor, arm_multiply},
};

const crc64_kernel *crc64_arm_kernels(size_t *count) {
    *count = sizeof(kernels) / sizeof(kernels[0]);
    return kernels;
}

#else /* not little-endian aarch64 */

const crc64_kernel *crc64_arm_kernels(size_t *count) {
    *count = 0;
    return NULL;
}

#endif /* little-endian aarch64 */

#else /* CRC64_ARM_TEMPLATE: the folding code for one kernel; the includer defines SUFFIX, TARGET and XOR3. */

/*
 * Outline for n bytes (the x86 outline with 16-byte vectors and eight accumulators, the same constants):
 *   n <= 16:  one block (16 bytes, or overlapping scalar loads of 1..15), the register added by a byte shift or
 *             a multiply, one Barrett reduction;
 *   n >= 128: eight accumulators fold 128 bytes a round; when fewer than 128 bytes remain, seven of them are moved
 *             at once (independent products, an XOR tree) past the accumulators after them *and* the m < 8 whole
 *             blocks left, onto the end of the last whole block; the eighth waits as `pending`;
 *   then each remaining whole block is moved straight to that same end by its own distance, so the multiplies are
 *   independent and only one XOR per block is serial; then one partial block (overlapping load of the last 16
 *   bytes, TBL/TBX), and the finish: for n <= CRC64_SHIFT_IN_MAX a per-length constant when starting from 0, else
 *   register * x^(8n) added before the reduction (longer inputs took the register into their first block), then
 *   Barrett.
 * Every load lies inside [p, p + n).
 */
#define FN2(name, suffix) name##_##suffix
#define FN1(name, suffix) FN2(name, suffix)
#define FN(name) FN1(name, SUFFIX)

TARGET CRC64_INLINE uint8x16_t FN(load16)(const uint8_t *p, bool reflected) {
    const uint8x16_t v = vld1q_u8(p);
    return reflected ? v : vqtbl1q_u8(v, vld1q_u8(byte_reverse));
}

TARGET CRC64_INLINE uint8x16_t FN(load_pair)(const crc64_pair *k) {
    return vld1q_u8((const uint8_t *)k);
}

/* Low lanes times low lanes, high lanes times high lanes (PMULL, PMULL2). */
TARGET CRC64_INLINE uint8x16_t FN(clmul_lo)(uint8x16_t a, uint8x16_t b) {
    return vreinterpretq_u8_p128(vmull_p64((poly64_t)vgetq_lane_u64(vreinterpretq_u64_u8(a), 0),
                                           (poly64_t)vgetq_lane_u64(vreinterpretq_u64_u8(b), 0)));
}
TARGET CRC64_INLINE uint8x16_t FN(clmul_hi)(uint8x16_t a, uint8x16_t b) {
    return vreinterpretq_u8_p128(vmull_high_p64(vreinterpretq_p64_u8(a), vreinterpretq_p64_u8(b)));
}
TARGET CRC64_INLINE uint8x16_t FN(clmul64)(uint64_t a, uint64_t b) {
    return vreinterpretq_u8_p128(vmull_p64((poly64_t)a, (poly64_t)b));
}

/* block * x^D for the constant pair k, as an unreduced 128-bit value. */
TARGET CRC64_INLINE uint8x16_t FN(fold)(uint8x16_t block, const crc64_pair *k) {
    const uint8x16_t kv = FN(load_pair)(k);
    return veorq_u8(FN(clmul_lo)(block, kv), FN(clmul_hi)(block, kv));
}

/* The register placed over the first 8 message bytes: the block's high-degree word. */
TARGET CRC64_INLINE uint8x16_t FN(register_block)(uint64_t reg, bool reflected) {
    const uint64x2_t zero = vdupq_n_u64(0);
    return vreinterpretq_u8_u64(reflected ? vsetq_lane_u64(reg, zero, 0) : vsetq_lane_u64(reg, zero, 1));
}

/* 1..15 bytes as a 128-bit block holding the message in its low-degree end, without reading outside [p, p+n). */
TARGET CRC64_INLINE uint8x16_t FN(load_small)(const uint8_t *p, size_t n, bool reflected) {
    uint64_t lo, hi;
    crc64_load_short(p, n, &lo, &hi);
    if (reflected) return vreinterpretq_u8_u64(vcombine_u64(vcreate_u64(lo), vcreate_u64(hi)));
    return vreinterpretq_u8_u64(vcombine_u64(vcreate_u64(__builtin_bswap64(hi)), vcreate_u64(__builtin_bswap64(lo))));
}

/* Fold the last r (1..15) bytes, which end at `end`, into the accumulator a that covers everything before them.
 * a * x^(8r) splits into the bytes that overflow 128 bits (folded by 16 bytes) and the rest, which TBX merges with
 * the final bytes loaded from the last 16 of the buffer (the buffer has at least 16 bytes here): TBX keeps the
 * destination byte (from `last`) where the index is out of range, exactly x86's blendv on the same table. */
TARGET CRC64_INLINE uint8x16_t FN(fold_partial)(const crc64_consts *c, uint8x16_t a, const uint8_t *end, size_t r,
                                                bool reflected) {
    const uint8x16_t last = FN(load16)(end - 16, reflected);
    const long s = reflected ? (long)r : -(long)r;
    const uint8x16_t keep = vld1q_u8(crc64_shift_table + 16 + s);
    const uint8x16_t spill = vld1q_u8(crc64_shift_table + 16 + (reflected ? s - 16 : s + 16));
    const uint8x16_t shifted = vqtbx1q_u8(last, a, keep);
    return veorq_u8(FN(fold)(vqtbl1q_u8(a, spill), &c->fold[2]), shifted);
}

/* a * x^64 as an unreduced 128-bit value: the high-degree word times x^128 mod P, the low-degree word moved up. */
TARGET CRC64_INLINE uint8x16_t FN(shift64)(const crc64_consts *c, uint8x16_t a, bool reflected) {
    const uint8x16_t k = FN(load_pair)(&c->fold[1]), zero = vdupq_n_u8(0);
    if (reflected) return veorq_u8(FN(clmul_lo)(a, k), vextq_u8(a, zero, 8));
    return veorq_u8(FN(clmul_hi)(a, k), vextq_u8(zero, a, 8));
}

/* Barrett reduction of the 128-bit value w to the 64-bit register (CRC64_DEFINE_MULTIPLY has the derivation; as
 * x86_barrett). `swapped` puts the other constant in each lane, because PMULL pairs equal lanes only. */
TARGET CRC64_INLINE uint64_t FN(barrett)(const crc64_consts *c, uint8x16_t w, bool reflected) {
    const uint8x16_t kb = FN(load_pair)(&c->barrett);
    const uint8x16_t swapped = vextq_u8(kb, kb, 8); /* lo: P - x^64, hi: mu0 */
    if (reflected) {
        const uint8x16_t q = veorq_u8(w, FN(clmul_lo)(w, kb));
        const uint8x16_t u = FN(clmul_lo)(q, swapped);
        return vgetq_lane_u64(vreinterpretq_u64_u8(veorq_u8(w, u)), 1) ^
               (vgetq_lane_u64(vreinterpretq_u64_u8(q), 0) & c->poly_lsb_mask);
    }
    const uint8x16_t q = veorq_u8(w, FN(clmul_hi)(w, swapped));
    const uint8x16_t u = FN(clmul_hi)(q, kb);
    return vgetq_lane_u64(vreinterpretq_u64_u8(veorq_u8(w, u)), 0);
}

TARGET CRC64_INLINE uint8x16_t FN(u64_block)(uint64_t lo) {
    return vreinterpretq_u8_u64(vcombine_u64(vcreate_u64(lo), vcreate_u64(0)));
}

/* The new register from w = message * x^64 (mod P). Inputs of at most CRC64_SHIFT_IN_MAX bytes add the register's
 * share, register * x^(8n), here instead of taking the register in: a constant for a start from 0 (the register is
 * xorout), else one multiply before the reduction. (x86_finish also has the two-multiply Shoup path for
 * continuations; it is measured on x86 only, so this kernel keeps the shorter code.) */
TARGET CRC64_INLINE uint64_t FN(finish)(const crc64_consts *c, uint64_t reg, size_t n, uint8x16_t w, bool reflected) {
    if (n <= CRC64_SHIFT_IN_MAX) {
        if (reg == c->xorout) return FN(barrett)(c, w, reflected) ^ c->shift_in[n].bias ^ c->xorout;
        w = veorq_u8(w, FN(clmul64)(reg, c->shift_in[n].multiplier));
    }
    return FN(barrett)(c, w, reflected);
}

/* register * x^(8n - 64) placed in a 128-bit block: for 8 <= n <= 16 it is the register over the first 8 of the
 * n message bytes that end the block, so a byte shift (TBL) replaces the multiply. */
TARGET CRC64_INLINE uint8x16_t FN(register_over_tail)(uint64_t reg, size_t n, bool reflected) {
    const long shift = reflected ? (long)n - 16 : 8 - (long)n; /* TBL source offset: out[k] = in[k + shift] */
    return vqtbl1q_u8(FN(u64_block)(reg), vld1q_u8(crc64_shift_table + 16 + shift));
}

/* 1..16 bytes, already loaded into the low-degree end of a block: the new register. */
TARGET CRC64_INLINE uint64_t FN(short_input)(const crc64_consts *c, uint64_t reg, size_t n, uint8x16_t block,
                                             bool reflected) {
    if (n < 8) return FN(finish)(c, reg, n, FN(shift64)(c, block, reflected), reflected);
    block = veorq_u8(block, FN(register_over_tail)(reg, n, reflected));
    return FN(barrett)(c, FN(shift64)(c, block, reflected), reflected);
}

/* acc * x^D + data, with k holding D's constant pair. */
TARGET CRC64_INLINE uint8x16_t FN(fold_into)(uint8x16_t acc, uint8x16_t k, uint8x16_t data) {
    return XOR3(FN(clmul_lo)(acc, k), FN(clmul_hi)(acc, k), data);
}

TARGET CRC64_INLINE uint64_t FN(body)(const crc64_consts *c, uint64_t reg, const uint8_t *p, size_t n,
                                      bool reflected) {
    const size_t total = n;
    if (n <= 16) {
        if (n == 0) return reg;
        const uint8x16_t block = n == 16 ? FN(load16)(p, reflected) : FN(load_small)(p, n, reflected);
        return FN(short_input)(c, reg, n, block, reflected);
    }
    const uint8x16_t inject = total > CRC64_SHIFT_IN_MAX ? FN(register_block)(reg, reflected) : vdupq_n_u8(0);
    uint8x16_t sum;     /* products already moved to the end of the last full block */
    uint8x16_t pending; /* the next block still to be moved there */
    if (n >= 128) {
        uint8x16_t acc0 = veorq_u8(FN(load16)(p, reflected), inject), acc1 = FN(load16)(p + 16, reflected),
                   acc2 = FN(load16)(p + 32, reflected), acc3 = FN(load16)(p + 48, reflected),
                   acc4 = FN(load16)(p + 64, reflected), acc5 = FN(load16)(p + 80, reflected),
                   acc6 = FN(load16)(p + 96, reflected), acc7 = FN(load16)(p + 112, reflected);
        p += 128;
        n -= 128;
        const uint8x16_t k8 = FN(load_pair)(&c->fold[16]); /* 128 bytes = 16 * 64 bits */
        for (; n >= 128; p += 128, n -= 128) {
            acc0 = FN(fold_into)(acc0, k8, FN(load16)(p, reflected));
            acc1 = FN(fold_into)(acc1, k8, FN(load16)(p + 16, reflected));
            acc2 = FN(fold_into)(acc2, k8, FN(load16)(p + 32, reflected));
            acc3 = FN(fold_into)(acc3, k8, FN(load16)(p + 48, reflected));
            acc4 = FN(fold_into)(acc4, k8, FN(load16)(p + 64, reflected));
            acc5 = FN(fold_into)(acc5, k8, FN(load16)(p + 80, reflected));
            acc6 = FN(fold_into)(acc6, k8, FN(load16)(p + 96, reflected));
            acc7 = FN(fold_into)(acc7, k8, FN(load16)(p + 112, reflected));
        }
        /* acc_i moves 16 * (7 - i + m) bytes: past acc_(i+1)..acc7 and the m full blocks left. fold[2t] = 16t bytes. */
        const crc64_pair *k = &c->fold[2 * (n / 16)];
        const uint8x16_t u0 = FN(fold_into)(acc0, FN(load_pair)(k + 14), FN(fold)(acc1, k + 12));
        const uint8x16_t u1 = FN(fold_into)(acc2, FN(load_pair)(k + 10), FN(fold)(acc3, k + 8));
        const uint8x16_t u2 = FN(fold_into)(acc4, FN(load_pair)(k + 6), FN(fold)(acc5, k + 4));
        sum = XOR3(u0, u1, veorq_u8(u2, FN(fold)(acc6, k + 2)));
        pending = acc7;
    } else {
        sum = vdupq_n_u8(0);
        pending = veorq_u8(FN(load16)(p, reflected), inject);
        p += 16;
        n -= 16;
    }
    /* pending moves past the n / 16 full blocks still ahead of it. */
    for (; n >= 16; p += 16, n -= 16) {
        sum = FN(fold_into)(pending, FN(load_pair)(&c->fold[2 * (n / 16)]), sum);
        pending = FN(load16)(p, reflected);
    }
    uint8x16_t a = veorq_u8(sum, pending);
    if (n) a = FN(fold_partial)(c, a, p + n, n, reflected);
    return FN(finish)(c, reg, total, FN(shift64)(c, a, reflected), reflected);
}

TARGET static uint64_t FN(update)(const crc64_consts *c, uint64_t crc, const uint8_t *p, size_t n) {
    const uint64_t reg = crc ^ c->xorout;
    return (c->reflected ? FN(body)(c, reg, p, n, true) : FN(body)(c, reg, p, n, false)) ^ c->xorout;
}

#undef FN
#undef FN1
#undef FN2

#endif /* CRC64_ARM_TEMPLATE */
