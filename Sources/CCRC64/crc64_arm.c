/*
 * aarch64 kernels: PMULL folding (Armv8 crypto extension), "pmull-eor3" with the three-way EOR3 of FEAT_SHA3 and
 * "pmull" with plain EOR. Same constants, convention (final values in and out) and finish as the x86 kernels, on
 * 128-bit vectors with eight accumulators (128 bytes a round) to cover PMULL + EOR latency: the folding template is
 * crc64_arm_fold.h, included once per kernel as crc64_x86.c includes crc64_x86_fold.h; see
 * perf-reports/aarch64-design.md. Each SIMD function carries its own target attribute, so the rest of the library
 * runs on any aarch64.
 */
#include "crc64_internal.h"

/* Which kernels are compiled in: both on little-endian aarch64 (the kernels take lane 0 of a loaded vector as its
 * first 8 bytes; aarch64_be uses slice16), less those the compiler cannot build (CRC64_NO_<ID>, which CMake's probes
 * set); pmull-eor3 builds on pmull's code, so without it neither. The kernels are written to the Arm C Language
 * Extensions' vector types, which GCC and Clang (clang-cl too) have; MSVC for arm64 defines no __aarch64__ and has its
 * own NEON types, so it builds slice16 only. */
#if defined(__aarch64__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ && \
    !defined(CRC64_NO_PMULL)
#define CRC64_ARM_KERNELS 1
#else
#define CRC64_ARM_KERNELS 0
#endif
#if CRC64_ARM_KERNELS && !defined(CRC64_NO_PMULL_EOR3)
#define CRC64_PMULL_EOR3_KERNEL 1
#else
#define CRC64_PMULL_EOR3_KERNEL 0
#endif

#if CRC64_ARM_KERNELS

#include <arm_neon.h>
#include <stdatomic.h>

#if defined(__linux__)
#include <sys/auxv.h>
#elif defined(__APPLE__)
#include <sys/sysctl.h>
#elif defined(_WIN32)
#define WIN32_LEAN_AND_MEAN
#include <windows.h>
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
#elif defined(_WIN32)
/* Microsoft documents FEAT_SHA3 as feature 64; SDKs before 10.0.26100 lack the name, and a Windows release that does
 * not know a feature reports it absent. */
#ifndef PF_ARM_SHA3_INSTRUCTIONS_AVAILABLE
#define PF_ARM_SHA3_INSTRUCTIONS_AVAILABLE 64
#endif
static unsigned detect_features(void) {
    /* The Armv8 crypto feature is AES, PMULL, SHA-1 and SHA-256 together. */
    return (IsProcessorFeaturePresent(PF_ARM_V8_CRYPTO_INSTRUCTIONS_AVAILABLE) ? HAS_PMULL : 0) |
           (IsProcessorFeaturePresent(PF_ARM_SHA3_INSTRUCTIONS_AVAILABLE) ? HAS_SHA3 : 0);
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
#if CRC64_PMULL_EOR3_KERNEL
static bool has_sha3_and_pmull(void) { return (cpu_features() & (HAS_PMULL | HAS_SHA3)) == (HAS_PMULL | HAS_SHA3); }
#endif

/* ---- Target attributes and EOR3 ----
 * Attributes are additive, so the build's own -march/-mcpu stays in force and every helper inlines; an "arch="
 * attribute would replace a higher or wider baseline (armv9-a, -mcpu=neoverse-n1) and GCC would then refuse to
 * inline the untargeted helpers ("target specific option mismatch").
 * EOR3 is veor3q_u8 in a "sha3" function. The one fallback: GCC on a baseline below Armv8.3 without SHA3 (its
 * default), where neither builds with GCC 12 and binutils 2.40: arm_neon.h declares veor3q_* for arch=armv8.2-a only
 * (not inlinable into "+crypto+sha3"), and gas assembles EOR3 (GCC's own too, fused from EOR pairs) only from
 * Armv8.2-A on. There the kernel is compiled for "+crypto" and emits EOR3 as its encoding, the register numbers read
 * from the operands by the assembler (.irp/.ifc, as the Linux kernel does for instructions its assemblers may lack).
 * Either way it runs only where has_sha3_and_pmull() holds. */
#if defined(__clang__)
#define PMULL_TARGET CRC64_TARGET("aes")
#define EOR3_TARGET CRC64_TARGET("aes,sha3")
#define EOR3(a, b, c) veor3q_u8(a, b, c)
#elif defined(__ARM_FEATURE_SHA3) || defined(__ARM_FEATURE_JCVT)
#define PMULL_TARGET CRC64_TARGET("+crypto")
#define EOR3_TARGET CRC64_TARGET("+crypto+sha3")
#define EOR3(a, b, c) veor3q_u8(a, b, c)
#else
#define PMULL_TARGET CRC64_TARGET("+crypto")
#define EOR3_TARGET PMULL_TARGET
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

static _Alignas(16) const uint8_t byte_reverse[16] = {15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0};

/* ---- The two kernels ---- */
#if CRC64_PMULL_EOR3_KERNEL
#define SUFFIX eor3
#define TARGET EOR3_TARGET
#define USE_EOR3 1
#include "crc64_arm_fold.h"
#endif

#define SUFFIX eor
#define TARGET PMULL_TARGET
#define USE_EOR3 0
#include "crc64_arm_fold.h"

/* ---- Carry-less multiply for combine ---- */

PMULL_TARGET CRC64_INLINE void arm_clmul(uint64_t a, uint64_t b, uint64_t *lo, uint64_t *hi) {
    const uint64x2_t p = vreinterpretq_u64_p128(vmull_p64((poly64_t)a, (poly64_t)b));
    *lo = vgetq_lane_u64(p, 0);
    *hi = vgetq_lane_u64(p, 1);
}

CRC64_DEFINE_MULTIPLY(PMULL_TARGET static, arm_multiply, arm_clmul)

const crc64_kernel libcrc64_kernel_pmull = {has_pmull, update_eor, arm_multiply};
#else
const crc64_kernel libcrc64_kernel_pmull = {NULL, NULL, NULL}; /* not compiled in: never runs */
#endif

#if CRC64_PMULL_EOR3_KERNEL
const crc64_kernel libcrc64_kernel_pmull_eor3 = {has_sha3_and_pmull, update_eor3, arm_multiply};
#else
const crc64_kernel libcrc64_kernel_pmull_eor3 = {NULL, NULL, NULL};
#endif
