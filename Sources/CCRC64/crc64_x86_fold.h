/*
 * The carry-less folding algorithm, written once and included by crc64_x86.c for each vector width.
 * The includer defines VL (bytes per vector: 16, 32 or 64), SUFFIX and TARGET. The 512-bit copy uses AVX-512's masked
 * loads and vpternlogq (USE_AVX512 follows from VL); the vector type and its operations follow from VL here. The
 * 128-bit helpers that every width shares (x86_load16, x86_fold, x86_finish, ...) are defined once in crc64_x86.c,
 * before the includes; what a width needs beyond them is defined below, with the copy's own suffix and target, so
 * that no copy calls into another. All of it is undefined at the end, ready for the next width.
 *
 * Outline for n bytes: vectors of VL bytes are folded forward into four accumulators (4*VL bytes a round), the four
 * are merged into one, then single vectors; the accumulator's lanes are then reduced to the 128-bit value
 * W = message * x^64 (mod P), and a Barrett reduction gives the final value. Bytes that do not fill a vector are
 * handled first with AVX-512's masked loads, else last with 16-byte blocks and an overlapping partial block. The
 * incoming register joins the first whole vector for long inputs; up to CRC64_SHIFT_IN_MAX bytes the incoming value's
 * share is added at the end (CRC64_SHOUP_MAX has the three ways).
 */
#define USE_AVX512 (VL == 64)
#define FN(name) CRC64_SUFFIXED(name, SUFFIX)

#if VL >= 32
TARGET CRC64_INLINE __m128i FN(ymm_horizontal_xor)(__m256i v) {
    return _mm_xor_si128(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
}

/* Each lane times x^(its distance to the end + 64): the final 128-bit value W in one step. */
TARGET CRC64_INLINE __m128i FN(ymm_lanes_to_w)(const crc64_consts *c, __m256i acc) {
    const __m256i k = _mm256_loadu_si256((const __m256i *)&c->lanes_to_w[2]);
    return FN(ymm_horizontal_xor)(
        _mm256_xor_si256(_mm256_clmulepi64_epi128(acc, k, 0x00), _mm256_clmulepi64_epi128(acc, k, 0x11)));
}
#endif

#if VL == 64
TARGET CRC64_INLINE __m128i FN(zmm_lanes_to_w)(const crc64_consts *c, __m512i acc) {
    const __m512i k = _mm512_loadu_si512((const void *)&c->lanes_to_w[0]);
    const __m512i t = _mm512_xor_si512(_mm512_clmulepi64_epi128(acc, k, 0x00), _mm512_clmulepi64_epi128(acc, k, 0x11));
    return FN(ymm_horizontal_xor)(_mm256_xor_si256(_mm512_castsi512_si256(t), _mm512_extracti64x4_epi64(t, 1)));
}
#endif

#if VL == 16
#define VEC __m128i
#define VZERO _mm_setzero_si128()
#define VLOADU(p) _mm_loadu_si128((const __m128i *)(p))
#define VXOR(a, b) _mm_xor_si128(a, b)
#define VXOR3(a, b, c) _mm_xor_si128(_mm_xor_si128(a, b), c)
#define VCLMUL(a, b, imm) _mm_clmulepi64_si128(a, b, imm)
#define VSHUFB(v, m) _mm_shuffle_epi8(v, m)
#define VBYTE_REVERSE XMM_BYTE_REVERSE
#define VBROADCAST(pair) _mm_load_si128((const __m128i *)(pair))
#define VFROM128(x) (x)
#define VLANES_TO_W(c, v) x86_fold(v, (c)->lanes_to_w[3])
#elif VL == 32
#define VEC __m256i
#define VZERO _mm256_setzero_si256()
#define VLOADU(p) _mm256_loadu_si256((const __m256i *)(p))
#define VXOR(a, b) _mm256_xor_si256(a, b)
#define VXOR3(a, b, c) _mm256_xor_si256(_mm256_xor_si256(a, b), c)
#define VCLMUL(a, b, imm) _mm256_clmulepi64_epi128(a, b, imm)
#define VSHUFB(v, m) _mm256_shuffle_epi8(v, m)
#define VBYTE_REVERSE _mm256_broadcastsi128_si256(XMM_BYTE_REVERSE)
#define VBROADCAST(pair) _mm256_broadcastsi128_si256(_mm_load_si128((const __m128i *)(pair)))
#define VFROM128(x) _mm256_zextsi128_si256(x)
#define VLANES_TO_W(c, v) FN(ymm_lanes_to_w)(c, v)
#elif VL == 64
#define VEC __m512i
#define VZERO _mm512_setzero_si512()
#define VLOADU(p) _mm512_loadu_si512((const void *)(p))
#define VXOR(a, b) _mm512_xor_si512(a, b)
#define VXOR3(a, b, c) _mm512_ternarylogic_epi64(a, b, c, 0x96)
#define VCLMUL(a, b, imm) _mm512_clmulepi64_epi128(a, b, imm)
#define VSHUFB(v, m) _mm512_shuffle_epi8(v, m)
#define VBYTE_REVERSE _mm512_broadcast_i32x4(XMM_BYTE_REVERSE)
#define VBROADCAST(pair) _mm512_broadcast_i32x4(_mm_load_si128((const __m128i *)(pair)))
#define VFROM128(x) _mm512_zextsi128_si512(x)
#define VLANES_TO_W(c, v) FN(zmm_lanes_to_w)(c, v)
#else
#error "VL must be 16, 32 or 64"
#endif

TARGET CRC64_INLINE VEC FN(load)(const uint8_t *p, bool reflected) {
    VEC v = VLOADU(p);
    return reflected ? v : VSHUFB(v, VBYTE_REVERSE);
}

/* acc * x^D + data, with k holding D's constant pair in every lane. */
TARGET CRC64_INLINE VEC FN(fold)(VEC acc, VEC k, VEC data) {
    return VXOR3(VCLMUL(acc, k, 0x00), VCLMUL(acc, k, 0x11), data);
}

TARGET CRC64_INLINE VEC FN(constant)(const crc64_consts *c, size_t distance_bytes) {
    return VBROADCAST(&c->fold[distance_bytes / 8]);
}

/* Fold every remaining whole vector into acc, which covers the bytes before p; leaves n < VL. */
TARGET CRC64_INLINE VEC FN(fold_vectors)(const crc64_consts *c, VEC acc, const uint8_t **pp, size_t *pn,
                                         bool reflected) {
    const uint8_t *p = *pp;
    size_t n = *pn;
    if (n >= 3 * VL) {
        VEC acc1 = FN(load)(p, reflected), acc2 = FN(load)(p + VL, reflected), acc3 = FN(load)(p + 2 * VL, reflected);
        p += 3 * VL;
        n -= 3 * VL;
        const VEC k4 = FN(constant)(c, 4 * VL);
        for (; n >= 4 * VL; p += 4 * VL, n -= 4 * VL) {
            acc = FN(fold)(acc, k4, FN(load)(p, reflected));
            acc1 = FN(fold)(acc1, k4, FN(load)(p + VL, reflected));
            acc2 = FN(fold)(acc2, k4, FN(load)(p + 2 * VL, reflected));
            acc3 = FN(fold)(acc3, k4, FN(load)(p + 3 * VL, reflected));
        }
        const VEC zero = VZERO;
        acc = VXOR3(FN(fold)(acc, FN(constant)(c, 3 * VL), acc3), FN(fold)(acc1, FN(constant)(c, 2 * VL), zero),
                    FN(fold)(acc2, FN(constant)(c, VL), zero));
    }
    const VEC k1 = FN(constant)(c, VL);
    for (; n >= VL; p += VL, n -= VL) acc = FN(fold)(acc, k1, FN(load)(p, reflected));
    *pp = p;
    *pn = n;
    return acc;
}

#if USE_AVX512
/* The n bytes at p at the end of a vector, zeros before them: masked-off bytes are never read (fault-suppressed),
 * so the address below p is only formed, not dereferenced. One per vector width up to VL. */
TARGET CRC64_INLINE __m128i FN(xmm_load_right_aligned)(const uint8_t *p, size_t n, bool reflected) {
    const __m128i v = _mm_maskz_loadu_epi8((__mmask16)(0xFFFFu << (16 - n)), (const void *)((uintptr_t)p - (16 - n)));
    return reflected ? v : _mm_shuffle_epi8(v, XMM_BYTE_REVERSE);
}
TARGET CRC64_INLINE __m256i FN(ymm_load_right_aligned)(const uint8_t *p, size_t n, bool reflected) {
    const __m256i v = _mm256_maskz_loadu_epi8(~0u << (32 - n), (const void *)((uintptr_t)p - (32 - n)));
    return reflected ? v : _mm256_shuffle_epi8(v, _mm256_broadcastsi128_si256(XMM_BYTE_REVERSE));
}
TARGET CRC64_INLINE __m512i FN(zmm_load_right_aligned)(const uint8_t *p, size_t n, bool reflected) {
    const __m512i v = _mm512_maskz_loadu_epi8(~0ULL << (64 - n), (const void *)((uintptr_t)p - (64 - n)));
    return reflected ? v : _mm512_shuffle_epi8(v, _mm512_broadcast_i32x4(XMM_BYTE_REVERSE));
}
#elif VL == 32
/* Lane 0 times x^128 onto lane 1. */
TARGET CRC64_INLINE __m128i FN(ymm_lanes_to_last)(__m256i v, const crc64_consts *c) {
    const __m256i k = _mm256_loadu_si256((const __m256i *)&c->fold[2]); /* lane 1's pair is ignored */
    const __m256i t = _mm256_xor_si256(_mm256_clmulepi64_epi128(v, k, 0x00), _mm256_clmulepi64_epi128(v, k, 0x11));
    return FN(ymm_horizontal_xor)(_mm256_blend_epi32(t, v, 0xF0));
}
#define VLANES_TO_LAST(v, c) FN(ymm_lanes_to_last)(v, c)
#else
#define VLANES_TO_LAST(v, c) (v)
#endif

TARGET CRC64_INLINE uint64_t FN(body)(const crc64_consts *c, uint64_t crc, const uint8_t *p, size_t n,
                                      bool reflected) {
    const size_t total = n;
#if USE_AVX512
    /* Up to a vector: one masked load into the narrowest vector that holds the bytes, fewer lanes to reduce (on Zen 4
     * a 512-bit multiply and a four-lane sum take 0.8 ns more than their 256-bit pair at 17..32 bytes). */
    if (n <= VL) {
        if (n == 0) return crc;
        if (n <= 16)
            return x86_short(c, crc, n,
                             n == 16 ? x86_load16(p, reflected) : FN(xmm_load_right_aligned)(p, n, reflected),
                             reflected);
        if (n <= 32)
            return x86_finish(c, crc, n, FN(ymm_lanes_to_w)(c, FN(ymm_load_right_aligned)(p, n, reflected)),
                              reflected);
        return x86_finish(c, crc, n, VLANES_TO_W(c, FN(zmm_load_right_aligned)(p, n, reflected)), reflected);
    }
    /* The odd bytes first, right-aligned in a vector (leading zeros change nothing): every later load is a whole
     * vector, and there is no tail. */
    const size_t head = n % VL;
    __m128i inject = _mm_setzero_si128();
    if (total > CRC64_SHIFT_IN_MAX) { /* the register joins the first whole vector, moved past the head */
        const uint64_t reg = crc ^ c->xorout;
        inject = x86_register_block(
            head ? x86_advance(c, reg, head, (x86_parts){_mm_setzero_si128(), 0}, reflected) : reg,
            reflected);
    }
    VEC acc;
    if (head) {
        acc = FN(zmm_load_right_aligned)(p, head, reflected);
        p += head;
        n -= head;
        if (n) {
            acc = FN(fold)(acc, FN(constant)(c, VL), VXOR(FN(load)(p, reflected), VFROM128(inject)));
            p += VL;
            n -= VL;
        }
    } else {
        acc = VXOR(FN(load)(p, reflected), VFROM128(inject));
        p += VL;
        n -= VL;
    }
    acc = FN(fold_vectors)(c, acc, &p, &n, reflected);
    return x86_finish(c, crc, total, VLANES_TO_W(c, acc), reflected);
#else
    if (n <= 16) {
        if (n == 0) return crc;
        return x86_short(c, crc, n, n == 16 ? x86_load16(p, reflected) : x86_load_small(p, n, reflected), reflected);
    }
    const __m128i inject =
        total > CRC64_SHIFT_IN_MAX ? x86_register_block(crc ^ c->xorout, reflected) : _mm_setzero_si128();
    /* Whole vectors first, then the accumulator's lanes onto the last lane, 16-byte blocks, and one partial block
     * folded in with overlapping loads from inside the buffer. */
    __m128i a;
    if (n >= VL) {
        VEC acc = VXOR(FN(load)(p, reflected), VFROM128(inject));
        p += VL;
        n -= VL;
        acc = FN(fold_vectors)(c, acc, &p, &n, reflected);
        if (n == 0) return x86_finish(c, crc, total, VLANES_TO_W(c, acc), reflected);
        a = VLANES_TO_LAST(acc, c);
    } else {
        a = _mm_xor_si128(x86_load16(p, reflected), inject);
        p += 16;
        n -= 16;
    }
    for (; n >= 16; p += 16, n -= 16) a = _mm_xor_si128(x86_fold(a, c->fold[2]), x86_load16(p, reflected));
    if (n) a = x86_fold_partial(c, a, p + n, n, reflected);
    return x86_finish(c, crc, total, x86_shift64(c, a, reflected), reflected);
#endif
}

CRC64_DEFINE_UPDATE(TARGET static, FN(update), FN(body))

#undef FN
#undef VL
#undef SUFFIX
#undef TARGET
#undef USE_AVX512
#undef VEC
#undef VZERO
#undef VLOADU
#undef VXOR
#undef VXOR3
#undef VCLMUL
#undef VSHUFB
#undef VBYTE_REVERSE
#undef VBROADCAST
#undef VFROM128
#undef VLANES_TO_W
#undef VLANES_TO_LAST
