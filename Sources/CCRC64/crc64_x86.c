/* x86_64 kernels: PCLMULQDQ (128-bit), VPCLMULQDQ + AVX2 (256-bit), VPCLMULQDQ + AVX-512 (512-bit), chosen at run
 * time. Each function carries its own target attribute (CRC64_TARGET), so the rest of the library runs on any
 * x86_64. */
#include "crc64_internal.h"

/* Which kernels are compiled in: all three on x86_64, less those the compiler cannot build (CRC64_NO_<ID>, which
 * CMake's probes set; SwiftPM's clang builds them all). The wider two build on pclmul's code, so without it none. */
#if CRC64_X86_64 && !defined(CRC64_NO_PCLMUL)
#define CRC64_X86_KERNELS 1
#else
#define CRC64_X86_KERNELS 0
#endif
#if CRC64_X86_KERNELS && !defined(CRC64_NO_AVX2)
#define CRC64_AVX2_KERNEL 1
#else
#define CRC64_AVX2_KERNEL 0
#endif
#if CRC64_X86_KERNELS && !defined(CRC64_NO_AVX512)
#define CRC64_AVX512_KERNEL 1
#else
#define CRC64_AVX512_KERNEL 0
#endif

#if CRC64_X86_KERNELS

#include <stdatomic.h>
#include <immintrin.h>

/* ---- CPU features (cpuid + xgetbv: the OS must save the vector state too) ---- */

enum { HAS_PCLMUL = 1, HAS_AVX2_VPCLMUL = 2, HAS_AVX512_VPCLMUL = 4 };

static unsigned detect_features(void) {
    unsigned a, b, c, d, features = 0;
    if (!crc64_cpuid(1, &a, &b, &c, &d)) return 0;
    const bool pclmul = (c >> 1) & 1, ssse3 = (c >> 9) & 1, sse41 = (c >> 19) & 1, osxsave = (c >> 27) & 1,
               avx = (c >> 28) & 1;
    if (pclmul && ssse3 && sse41) features |= HAS_PCLMUL;
    if (!(features & HAS_PCLMUL) || !osxsave || !avx) return features;
    const uint64_t xcr0 = crc64_xgetbv0();
    if ((xcr0 & 0x6) != 0x6) return features; /* XMM and YMM state */
    if (!crc64_cpuid_count(7, 0, &a, &b, &c, &d)) return features;
    const bool avx2 = (b >> 5) & 1, avx512f = (b >> 16) & 1, avx512bw = (b >> 30) & 1, avx512vl = (b >> 31) & 1,
               vpclmul = (c >> 10) & 1;
    if (avx2 && vpclmul) features |= HAS_AVX2_VPCLMUL;
    if (avx2 && avx512f && avx512bw && avx512vl && vpclmul && (xcr0 & 0xE6) == 0xE6) features |= HAS_AVX512_VPCLMUL;
    return features;
}

static unsigned cpu_features(void) {
    static _Atomic int cached = -1; /* deterministic, so a race only repeats the same work */
    int f = atomic_load_explicit(&cached, memory_order_relaxed);
    if (f < 0) {
        f = (int)detect_features();
        atomic_store_explicit(&cached, f, memory_order_relaxed);
    }
    return (unsigned)f;
}

static bool has_pclmul(void) { return cpu_features() & HAS_PCLMUL; }
#if CRC64_AVX2_KERNEL
static bool has_avx2(void) { return cpu_features() & HAS_AVX2_VPCLMUL; }
#endif
#if CRC64_AVX512_KERNEL
static bool has_avx512(void) { return cpu_features() & HAS_AVX512_VPCLMUL; }
#endif

/* ---- 128-bit building blocks shared by every width ---- */

#define XMM_TARGET CRC64_TARGET("pclmul,sse4.1")

#define XMM_BYTE_REVERSE _mm_set_epi8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15)

XMM_TARGET CRC64_INLINE __m128i x86_load16(const uint8_t *p, bool reflected) {
    __m128i v = _mm_loadu_si128((const __m128i *)p);
    return reflected ? v : _mm_shuffle_epi8(v, XMM_BYTE_REVERSE);
}

/* block * x^D for the constant pair k, as an unreduced 128-bit value. */
XMM_TARGET CRC64_INLINE __m128i x86_fold(__m128i block, crc64_pair k) {
    const __m128i kv = _mm_load_si128((const __m128i *)&k);
    return _mm_xor_si128(_mm_clmulepi64_si128(block, kv, 0x00), _mm_clmulepi64_si128(block, kv, 0x11));
}

/* The register placed over the first 8 message bytes: the block's high-degree word. */
XMM_TARGET CRC64_INLINE __m128i x86_register_block(uint64_t reg, bool reflected) {
    __m128i r = _mm_cvtsi64_si128((long long)reg);
    return reflected ? r : _mm_slli_si128(r, 8);
}

/* 1..15 bytes as a 128-bit block holding the message in its low-degree end, without reading outside [p, p+n). */
XMM_TARGET CRC64_INLINE __m128i x86_load_small(const uint8_t *p, size_t n, bool reflected) {
    uint64_t lo, hi;
    crc64_load_short(p, n, &lo, &hi);
    if (reflected) return _mm_set_epi64x((long long)hi, (long long)lo);
    return _mm_set_epi64x((long long)crc64_bswap64(lo), (long long)crc64_bswap64(hi));
}

/* Fold the last r (1..15) bytes, which end at `end`, into the accumulator a that covers everything before them.
 * a * x^(8r) splits into the bytes that overflow 128 bits (folded by 16 bytes) and the rest, which is blended
 * with the final bytes loaded from the last 16 of the buffer (the buffer has at least 16 bytes here). */
XMM_TARGET CRC64_INLINE __m128i x86_fold_partial(const crc64_consts *c, __m128i a, const uint8_t *end, size_t r,
                                                 bool reflected) {
    const __m128i last = x86_load16(end - 16, reflected);
    const long s = reflected ? (long)r : -(long)r;
    const __m128i keep = _mm_loadu_si128((const __m128i *)(libcrc64_shift_table + 16 + s));
    const __m128i spill = _mm_loadu_si128((const __m128i *)(libcrc64_shift_table + 16 + (reflected ? s - 16 : s + 16)));
    const __m128i shifted = _mm_blendv_epi8(_mm_shuffle_epi8(a, keep), last, keep);
    return _mm_xor_si128(x86_fold(_mm_shuffle_epi8(a, spill), c->fold[2]), shifted);
}

/* a * x^64 as an unreduced 128-bit value: the high-degree word times x^128 mod P, the low-degree word moved up. */
XMM_TARGET CRC64_INLINE __m128i x86_shift64(const crc64_consts *c, __m128i a, bool reflected) {
    const __m128i k = _mm_load_si128((const __m128i *)&c->fold[1]);
    if (reflected) return _mm_xor_si128(_mm_clmulepi64_si128(a, k, 0x00), _mm_srli_si128(a, 8));
    return _mm_xor_si128(_mm_clmulepi64_si128(a, k, 0x11), _mm_slli_si128(a, 8));
}

/* A value kept in two parts, to be XORed at the end: the result word of a vector (where a Barrett reduction leaves
 * it: the high word in reflected order, the low word otherwise) and a plain word. A short continuation keeps the
 * data's share in the vector unit this way, instead of moving it out and back in. */
typedef struct x86_parts {
    __m128i vector;
    uint64_t word;
} x86_parts;

XMM_TARGET CRC64_INLINE uint64_t x86_join(x86_parts p, bool reflected) {
    return (reflected ? (uint64_t)_mm_extract_epi64(p.vector, 1) : (uint64_t)_mm_cvtsi128_si64(p.vector)) ^ p.word;
}

/* v - q * P + plus, where q holds floor(v / P) in its high-degree word: the last step of a Barrett reduction (see
 * CRC64_DEFINE_MULTIPLY for the derivation). Everything but q * P is added up first, so the product joins last. */
XMM_TARGET CRC64_INLINE x86_parts x86_subtract_quotient(const crc64_consts *c, __m128i v, __m128i q, x86_parts plus,
                                                        bool reflected) {
    const __m128i kb = _mm_load_si128((const __m128i *)&c->barrett);
    __m128i rest = _mm_xor_si128(v, plus.vector);
    CRC64_FORMED_XMM(rest);
    if (reflected) {
        plus.word ^= (uint64_t)_mm_cvtsi128_si64(q) & c->poly_lsb_mask; /* P's x^0 term, dropped from kb */
        CRC64_FORMED(plus.word);
        return (x86_parts){_mm_xor_si128(rest, _mm_clmulepi64_si128(q, kb, 0x10)), plus.word};
    }
    return (x86_parts){_mm_xor_si128(rest, _mm_clmulepi64_si128(q, kb, 0x11)), plus.word};
}

/* floor(w / P) for a 128-bit value w, in the high-degree word: the first step of a Barrett reduction. */
XMM_TARGET CRC64_INLINE __m128i x86_quotient(const crc64_consts *c, __m128i w, bool reflected) {
    const __m128i kb = _mm_load_si128((const __m128i *)&c->barrett);
    return _mm_xor_si128(w, reflected ? _mm_clmulepi64_si128(w, kb, 0x00) : _mm_clmulepi64_si128(w, kb, 0x01));
}

/* Barrett reduction of the 128-bit value w to the 64-bit register, plus the word `plus`. */
XMM_TARGET CRC64_INLINE x86_parts x86_barrett(const crc64_consts *c, __m128i w, uint64_t plus, bool reflected) {
    return x86_subtract_quotient(c, w, x86_quotient(c, w, reflected), (x86_parts){_mm_setzero_si128(), plus},
                                 reflected);
}

/* a * x^(8n) mod P + plus, joined: a (a register, or a final value: the map is linear) moved forward over n bytes,
 * 1 <= n <= CRC64_SHIFT_IN_MAX. The product and its Shoup quotient are independent multiplies, so `a` passes through
 * two multiplies, not three. */
XMM_TARGET CRC64_INLINE uint64_t x86_advance(const crc64_consts *c, uint64_t a, size_t n, x86_parts plus,
                                             bool reflected) {
    const crc64_shift *s = &c->shift_in[n];
    const __m128i r = _mm_cvtsi64_si128((long long)a);
    const __m128i k = _mm_load_si128((const __m128i *)&s->shoup);
    if (reflected) plus.word ^= a & s->register_term;
    return x86_join(x86_subtract_quotient(c, _mm_clmulepi64_si128(r, k, 0x00), _mm_clmulepi64_si128(r, k, 0x10),
                                          plus, reflected),
                    reflected);
}

/* The final value from w = message * x^64 (mod P), the three ways of CRC64_SHOUP_MAX. The data's share stays in the
 * vector unit (x86_parts) until the end. */
XMM_TARGET CRC64_INLINE uint64_t x86_finish(const crc64_consts *c, uint64_t crc, size_t n, __m128i w,
                                            bool reflected) {
    if (n > CRC64_SHIFT_IN_MAX) return x86_join(x86_barrett(c, w, c->xorout, reflected), reflected);
    const crc64_shift *s = &c->shift_in[n];
    if (crc == 0) return x86_join(x86_barrett(c, w, s->bias, reflected), reflected);
    if (n > CRC64_SHOUP_MAX) {
        const __m128i product = _mm_clmulepi64_si128(_mm_cvtsi64_si128((long long)crc),
                                                     _mm_loadl_epi64((const __m128i *)&s->multiplier), 0x00);
        return x86_join(x86_barrett(c, _mm_xor_si128(w, product), s->bias, reflected), reflected);
    }
    return x86_advance(c, crc, n, x86_barrett(c, w, s->bias, reflected), reflected);
}

/* 1..16 bytes, already loaded into the low-degree end of a block: the final value. */
XMM_TARGET CRC64_INLINE uint64_t x86_short(const crc64_consts *c, uint64_t crc, size_t n, __m128i block,
                                           bool reflected) {
    return x86_finish(c, crc, n, x86_shift64(c, block, reflected), reflected);
}

/* ---- The kernels: one copy of the folding template per vector width ---- */
#define VL 16
#define SUFFIX pclmul
#define TARGET XMM_TARGET
#include "crc64_x86_fold.h"

#if CRC64_AVX2_KERNEL
#define VL 32
#define SUFFIX avx2
#define TARGET CRC64_TARGET("pclmul,sse4.1,avx2,vpclmulqdq")
#include "crc64_x86_fold.h"
#endif

#if CRC64_AVX512_KERNEL
/* vpternlogq for the three-way XOR, masked loads for the odd bytes */
#define VL 64
#define SUFFIX avx512
#define TARGET CRC64_TARGET("pclmul,sse4.1,avx2,vpclmulqdq,avx512f,avx512bw,avx512vl")
#include "crc64_x86_fold.h"
#endif

/* ---- Carry-less multiply for combine ---- */

XMM_TARGET CRC64_INLINE void x86_clmul(uint64_t a, uint64_t b, uint64_t *lo, uint64_t *hi) {
    const __m128i p = _mm_clmulepi64_si128(_mm_cvtsi64_si128((long long)a), _mm_cvtsi64_si128((long long)b), 0x00);
    *lo = (uint64_t)_mm_cvtsi128_si64(p);
    *hi = (uint64_t)_mm_extract_epi64(p, 1);
}

CRC64_DEFINE_MULTIPLY(XMM_TARGET static, x86_multiply, x86_clmul)

const crc64_kernel libcrc64_kernel_pclmul = {has_pclmul, update_pclmul, x86_multiply};
#endif

/* Each kernel of the family, compiled in or not (then it has no update function and never runs). */
#if CRC64_AVX512_KERNEL
const crc64_kernel libcrc64_kernel_avx512 = {has_avx512, update_avx512, x86_multiply};
#else
const crc64_kernel libcrc64_kernel_avx512 = {NULL, NULL, NULL};
#endif
#if CRC64_AVX2_KERNEL
const crc64_kernel libcrc64_kernel_avx2 = {has_avx2, update_avx2, x86_multiply};
#else
const crc64_kernel libcrc64_kernel_avx2 = {NULL, NULL, NULL};
#endif
#if !CRC64_X86_KERNELS
const crc64_kernel libcrc64_kernel_pclmul = {NULL, NULL, NULL};
#endif
