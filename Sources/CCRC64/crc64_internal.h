/* Internal model and kernel interface shared by the C target's files. Not installed, not part of the ABI. */
#ifndef CRC64_INTERNAL_H
#define CRC64_INTERNAL_H

/* The library's own sources: exported from its DLL on Windows (see crc64.h). */
#define LIBCRC64_BUILDING 1
#include "crc64.h"

#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* ---- Platform: what differs between compilers and C runtimes, here and nowhere else ----
 * GCC and Clang (clang-cl too) take GNU attributes and compile an intrinsic only inside a function whose target
 * attribute enables it (CRC64_TARGET). Microsoft's compiler (CRC64_MSVC) compiles any intrinsic anywhere, so
 * CRC64_TARGET is empty there, and takes __declspec instead; it needs /std:c11 /experimental:c11atomics (Visual Studio
 * 2022 17.5 or later) for <stdatomic.h>, the C11 atomics every compiler uses here. The x86 CPU queries (cpuid,
 * xgetbv) and the Windows C runtime's aligned allocation follow. The kernels read the same for every compiler. */
#if defined(_MSC_VER) && !defined(__clang__)
#define CRC64_MSVC 1
#else
#define CRC64_MSVC 0
#endif

#if CRC64_MSVC
#define CRC64_INLINE static __forceinline
#define CRC64_COLD __declspec(noinline)
#define CRC64_TARGET(features)
#define CRC64_LIKELY(x) (x)
#define CRC64_UNLIKELY(x) (x)
#define crc64_bswap64(x) _byteswap_uint64(x)
#define crc64_bswap32(x) _byteswap_ulong(x)
/* No inline assembly for x64 in MSVC: the XORs may be re-associated there (the same values, a longer chain). */
#define CRC64_FORMED(x) (void)0
#define CRC64_FORMED_XMM(x) (void)0
#else
#define CRC64_INLINE static inline __attribute__((always_inline))
#define CRC64_COLD __attribute__((noinline, cold))
#define CRC64_TARGET(features) __attribute__((target(features)))
#define CRC64_LIKELY(x) __builtin_expect(!!(x), 1)
#define CRC64_UNLIKELY(x) __builtin_expect(!!(x), 0)
#define crc64_bswap64(x) __builtin_bswap64(x)
#define crc64_bswap32(x) __builtin_bswap32(x)
/* Keeps the compiler from re-associating XORs across x: the value is formed where it is written, so a balanced tree
 * stays balanced and a value meant to join a dependency chain last is not folded into it earlier. CRC64_FORMED_XMM
 * does the same for an x86 vector register. */
#define CRC64_FORMED(x) __asm__("" : "+r"(x))
#define CRC64_FORMED_XMM(x) __asm__("" : "+x"(x))
#endif

/* x86_64 as each compiler names it (ARM64EC, whose MSVC defines _M_X64 too, is arm64 code: it gets the portable
 * kernel). */
#if defined(__x86_64__) || (defined(_M_X64) && !defined(_M_ARM64EC))
#define CRC64_X86_64 1
#if CRC64_MSVC
#include <intrin.h>
/* cpuid leaf `leaf` (subleaf `sub`) into a..d; 0 if the CPU has no such leaf (as <cpuid.h>'s __get_cpuid_count). */
CRC64_INLINE int crc64_cpuid_count(unsigned leaf, unsigned sub, unsigned *a, unsigned *b, unsigned *c, unsigned *d) {
    int r[4];
    __cpuid(r, (int)(leaf & 0x80000000u));
    if ((unsigned)r[0] < leaf) return 0;
    __cpuidex(r, (int)leaf, (int)sub);
    *a = (unsigned)r[0], *b = (unsigned)r[1], *c = (unsigned)r[2], *d = (unsigned)r[3];
    return 1;
}
#define crc64_cpuid(leaf, a, b, c, d) crc64_cpuid_count(leaf, 0, a, b, c, d)
#define crc64_xgetbv0() _xgetbv(0)
#else
#include <cpuid.h>
#define crc64_cpuid(leaf, a, b, c, d) __get_cpuid(leaf, a, b, c, d)
#define crc64_cpuid_count(leaf, sub, a, b, c, d) __get_cpuid_count(leaf, sub, a, b, c, d)
/* XCR0 (the vector state the OS saves) without the xsave target attribute that _xgetbv needs in GCC and Clang. */
CRC64_INLINE uint64_t crc64_xgetbv0(void) {
    uint32_t lo, hi;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    return ((uint64_t)hi << 32) | lo;
}
#endif
#else
#define CRC64_X86_64 0
#endif

/* Windows' C runtime has no aligned_alloc; its own pair must also free what it allocates. */
#if defined(_WIN32)
#include <malloc.h>
#define crc64_aligned_alloc(alignment, size) _aligned_malloc(size, alignment)
#define crc64_aligned_free(p) _aligned_free(p)
#else
#define crc64_aligned_alloc(alignment, size) aligned_alloc(alignment, size)
#define crc64_aligned_free(p) free(p)
#endif

/* Nothing below is part of the ABI: keep it out of libcrc64's dynamic symbol table (and off the PLT). On Windows only
 * what crc64.h marks LIBCRC64_API is exported anyway. */
#if !CRC64_MSVC
#pragma GCC visibility push(hidden)
#endif

/* Up to 1 KiB the carry-less kernels fold the message without the incoming value and add its share at the end: nothing
 * to compute for a start from 0, and a short dependency chain for a continuation (streaming), whose data work then
 * overlaps the previous call's. */
#define CRC64_SHIFT_IN_MAX 1024
/* The finish, the same in every carry-less kernel (x86_finish, the aarch64 template's finish): from
 * W = message * x^64 (mod P), an input of more than CRC64_SHIFT_IN_MAX bytes, which took the register in with its
 * first block, needs only the Barrett reduction and xorout. A shorter one adds the incoming value's share at the end
 * (the map from crc to result is affine): from 0 that is a constant, shift_in[n].bias. A continuation of up to
 * CRC64_SHOUP_MAX bytes adds crc * x^(8n) mod P through two multiplies on a chain of its own (crc64_shift), which
 * the data's work does not wait for, so it overlaps the previous call; a longer one, where the data's work is the
 * longer part anyway, adds the product before the reduction, with the fewest instructions. */
#define CRC64_SHOUP_MAX 256
/* Fold distances are multiples of 64 bits: fold[d] moves a 128-bit block forward by 64*d bits. */
#define CRC64_FOLD_MAX 32 /* the longest stride: four 512-bit vectors */

/*
 * The "kernel form" of a polynomial value v(x), the operand of a carry-less multiply:
 *   normal models:    the 64-bit word whose bit i is the coefficient of x^i;
 *   reflected models: the bit reversal of that word for v(x) / x, because a carry-less product of two
 *                     reflected words comes out multiplied by x. form(x^e) is then rev64(x^(e-1) mod P).
 * Multiplying two kernel forms and reducing (CRC64_DEFINE_MULTIPLY) yields the kernel form of the product, in both
 * orders.
 */
typedef struct crc64_pair {
    _Alignas(16) uint64_t lo; /* multiplies the low 64 bits of a 128-bit block (the pair is one aligned vector) */
    uint64_t hi;              /* multiplies the high 64 bits */
} crc64_pair;

/* Moving a register forward by n bytes, register * x^(8n) mod P, in two dependent multiplies (Shoup): with
 * K = x^(8n) and K' = floor(K * x^64 / P), the product register * K and the quotient floor(register * K' / x^64) are
 * independent, and product - quotient * P is the result. */
typedef struct crc64_shift {
    crc64_pair shoup;       /* lo: form(K), plus P's form where K' has an x^64 term (reflected forms only); hi: K'
                             * without that term, in the form Barrett's mu0 is stored */
    uint64_t multiplier;    /* form(K) */
    uint64_t register_term; /* all ones where `shoup` leaves the register itself to add (that x^64 term, when P has
                             * an x^0 term) */
    uint64_t bias;         /* xorout * x^(8n) mod P + xorout: turns the message's register into the final value of a
                            * start from 0; a continuation from crc adds crc * x^(8n) mod P */
} crc64_shift;

typedef struct crc64_consts {
    crc64_pair fold[CRC64_FOLD_MAX + 1]; /* fold[d]: forms of x^(64d) and x^(64d+64), ordered for the block halves */
    crc64_pair lanes_to_w[4];            /* fold[7], fold[5], fold[3], fold[1]: a 512/256/128-bit vector's lanes
                                          * to 128 bits, times x^64 */
    crc64_pair barrett;                  /* lo: floor(x^128 / P) - x^64, hi: P - x^64 (both in kernel form) */
    uint64_t poly_lsb_mask;              /* reflected models: all ones if P has an x^0 term */
    uint64_t xorout;                     /* the model's xorout (the kernels take and return final values) */
    crc64_shift shift_in[CRC64_SHIFT_IN_MAX + 1]; /* shift_in[n]: moving a register forward by n bytes */
    uint64_t combine[8][256];            /* combine[j][d] = form(x^(8 * d * 256^j)) */
    uint64_t table[16][256];             /* slicing-by-16: table[k][b] = register for byte b followed by k zero bytes */
    uint64_t braid[8][256];              /* the portable kernel's braids: table[24 + k] for k < 8 (a word and the
                                          * 24 bytes of the other braids' words), byte-reversed for normal models */
    bool reflected;
} crc64_consts;

/* Byte indices for shifting a 128-bit block by a variable number of bytes with a byte shuffle (pshufb, TBL):
 * loading 16 bytes at libcrc64_shift_table + 16 + s gives out[k] = in[k + s], and 0x80 (out of range) gives zero.
 * The same for every model, so it is not in crc64_consts (crc64_model.c). */
extern const uint8_t libcrc64_shift_table[48];

/* A kernel continues a final CRC value over n bytes and returns the final value (it deals with xorout itself, so
 * that the public entry points reach it with a tail jump). */
typedef uint64_t (*crc64_update_fn)(const crc64_consts *consts, uint64_t crc, const uint8_t *p, size_t n);
/* Multiply two kernel forms modulo P (used by combine). */
typedef uint64_t (*crc64_multiply_fn)(const crc64_consts *consts, uint64_t a, uint64_t b);

/* A kernel as its family's file defines it; its name and rank are in CRC64_KERNELS. */
typedef struct crc64_kernel {
    bool (*cpu_has)(void);      /* NULL: runs on every CPU of the architecture */
    crc64_update_fn update;     /* NULL: not compiled in */
    crc64_multiply_fn multiply;
} crc64_kernel;

struct libcrc64_model {
    crc64_consts consts;    /* first, so its alignment holds */
    crc64_update_fn update; /* the dispatched kernel's, bound at creation: one load on the hot path */
    libcrc64_params params;
    uint64_t init_register; /* init as the register holds it (bit-reversed for reflected models) */
};

/*
 * Every kernel, best first: the ranking that dispatch and CRC64_KERNEL follow, and the one list of the kernels' names
 * and of the CPU features each needs. CRC64_KERNEL(id, name, features):
 *   id        the kernel is libcrc64_kernel_<id>, defined by its family's file (crc64_x86.c, crc64_arm.c,
 *             crc64_slice16.c) on every architecture: with no update function where it is not compiled in (another
 *             architecture's kernel, or one that the compiler cannot build, left out with CRC64_NO_<ID>);
 *   name      what CRC64_KERNEL=, libcrc64_kernel_name() and every tool and test call it;
 *   features  the CPU features it needs, named as Linux's /proc/cpuinfo names them (x86 "flags", aarch64
 *             "Features"): libcrc64_kernel_features(), which the tests compare with what the dispatch finds.
 * CMake reads this list to probe which kernels of each family the compiler can build (cmake/Crc64Kernels.cmake).
 * Adding a kernel: its family's file and one line here.
 */
#define CRC64_KERNELS(CRC64_KERNEL)                                                                                \
    CRC64_KERNEL(avx512, "avx512", "avx512f avx512bw avx512vl vpclmulqdq avx2 avx pclmulqdq sse4_1 ssse3")         \
    CRC64_KERNEL(avx2, "avx2", "avx2 avx vpclmulqdq pclmulqdq sse4_1 ssse3")                                      \
    CRC64_KERNEL(pclmul, "pclmul", "pclmulqdq sse4_1 ssse3")                                                      \
    CRC64_KERNEL(pmull_eor3, "pmull-eor3", "pmull sha3")                                                          \
    CRC64_KERNEL(pmull, "pmull", "pmull")                                                                         \
    CRC64_KERNEL(slice16, "slice16", "")

#define CRC64_DECLARE_KERNEL(id, name, features) extern const crc64_kernel libcrc64_kernel_##id;
CRC64_KERNELS(CRC64_DECLARE_KERNEL)
#undef CRC64_DECLARE_KERNEL

/* The folding templates (crc64_x86_fold.h, crc64_arm_fold.h) name each copy's functions name_SUFFIX. */
#define CRC64_SUFFIXED2(name, suffix) name##_##suffix
#define CRC64_SUFFIXED(name, suffix) CRC64_SUFFIXED2(name, suffix)

/* A carry-less kernel's entry point: its body once per bit order, where the constant `reflected` folds away every
 * branch on it. */
#define CRC64_DEFINE_UPDATE(QUALIFIERS, NAME, BODY)                                                              \
    QUALIFIERS uint64_t NAME(const crc64_consts *c, uint64_t crc, const uint8_t *p, size_t n) {                  \
        return c->reflected ? BODY(c, crc, p, n, true) : BODY(c, crc, p, n, false);                            \
    }

/* The dispatched kernel: resolved on first use, then one atomic load. */
extern _Atomic(const crc64_kernel *) libcrc64_dispatched;
const crc64_kernel *libcrc64_dispatch_resolve(void);
CRC64_INLINE const crc64_kernel *crc64_dispatched_kernel(void) {
    const crc64_kernel *k = atomic_load_explicit(&libcrc64_dispatched, memory_order_acquire);
    return CRC64_LIKELY(k != NULL) ? k : libcrc64_dispatch_resolve();
}

/* Portable carry-less arithmetic (crc64_model.c); the kernels' reference for the same operations. */
uint64_t libcrc64_portable_multiply(const crc64_consts *consts, uint64_t a, uint64_t b);
/* The kernel form of x^(8n), n > 0: what moves a register forward over n bytes (combine). */
uint64_t libcrc64_shift_multiplier(const crc64_consts *consts, crc64_multiply_fn multiply, uint64_t n);

/* Unaligned, endian-explicit loads (memcpy keeps UBSan and strict aliasing happy; compilers emit one load). */
CRC64_INLINE uint64_t crc64_load_le64(const uint8_t *p) {
    uint64_t v;
    memcpy(&v, p, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    v = crc64_bswap64(v);
#endif
    return v;
}
CRC64_INLINE uint64_t crc64_load_be64(const uint8_t *p) {
    return crc64_bswap64(crc64_load_le64(p));
}
CRC64_INLINE uint32_t crc64_load_le32(const uint8_t *p) {
    uint32_t v;
    memcpy(&v, p, 4);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    v = crc64_bswap32(v);
#endif
    return v;
}

/*
 * The combine multiply of two kernel forms (or a register and a form): a carry-less product then a Barrett reduction
 * of the 128-bit kernel-form value (lo, hi words) to 64 bits, generic over `CLMUL(a, b, &lo, &hi)`. Derivation
 * (U = H*x^64 + L, mu = floor(x^128/P) = x^64 + mu0):
 *   q = floor(H*x^64 / P) = H + floor(H*mu0 / x^64);   U mod P = L + (q*P0 mod x^64).
 * Reflected words carry the extra factor x, absorbed by storing mu0/x and P0/x; P0's dropped x^0 term comes back
 * as (q & poly_lsb_mask).
 */
#define CRC64_DEFINE_MULTIPLY(QUALIFIERS, NAME, CLMUL)                                                            \
    QUALIFIERS uint64_t NAME(const crc64_consts *c, uint64_t a, uint64_t b) {                                    \
        uint64_t lo, hi, plo, phi;                                                                             \
        CLMUL(a, b, &lo, &hi);                                                                                 \
        if (c->reflected) {                                                                                    \
            CLMUL(lo, c->barrett.lo, &plo, &phi);                                                              \
            uint64_t q = lo ^ plo;                                                                             \
            CLMUL(q, c->barrett.hi, &plo, &phi);                                                               \
            return hi ^ phi ^ (q & c->poly_lsb_mask);                                                          \
        }                                                                                                      \
        CLMUL(hi, c->barrett.lo, &plo, &phi);                                                                  \
        uint64_t q = hi ^ phi;                                                                                 \
        CLMUL(q, c->barrett.hi, &plo, &phi);                                                                   \
        return lo ^ plo;                                                                                       \
    }

/* 1..15 bytes as the little-endian words (lo, hi) of a 16-byte image whose last n bytes are the message and whose
 * first bytes are zero, read with overlapping loads that never leave [p, p + n). The kernels' short-input block. */
CRC64_INLINE void crc64_load_short(const uint8_t *p, size_t n, uint64_t *lo, uint64_t *hi) {
    if (n >= 8) {
        *hi = crc64_load_le64(p + n - 8);
        *lo = n == 8 ? 0 : crc64_load_le64(p) << (8 * (16 - n));
        return;
    }
    uint64_t x;
    if (n >= 4)
        x = crc64_load_le32(p) | (uint64_t)crc64_load_le32(p + n - 4) << (8 * (n - 4));
    else
        x = p[0] | (uint64_t)p[n >> 1] << (8 * (n >> 1)) | (uint64_t)p[n - 1] << (8 * (n - 1));
    *hi = x << (8 * (8 - n));
    *lo = 0;
}

#if !CRC64_MSVC
#pragma GCC visibility pop
#endif

#endif
