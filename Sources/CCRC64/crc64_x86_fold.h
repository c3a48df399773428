/*
 * The carry-less folding algorithm, written once and included by crc64_x86.c for each vector width.
 * The includer defines: VL (bytes per vector), SUFFIX, TARGET, VEC and the V* operations; they are undefined at the
 * end, ready for the next width.
 *
 * Outline for n bytes: vectors of VL bytes are folded forward into four accumulators (4*VL bytes a round), the four
 * are merged into one, then single vectors; the accumulator's lanes are then reduced to the 128-bit value
 * W = message * x^64 (mod P), and a Barrett reduction gives the final value. Bytes that do not fill a vector are
 * handled first with masked loads where the width has them (AVX-512: the includer then also defines
 * VLOAD_RIGHT_ALIGNED, and XMM_/YMM_LOAD_RIGHT_ALIGNED and YMM_LANES_TO_W for inputs of one vector or less), else
 * last with 16-byte blocks and an overlapping partial block. The incoming register joins the first whole vector for
 * long inputs; up to CRC64_SHIFT_IN_MAX bytes the incoming value's share is added at the end (x86_finish has the
 * three ways).
 */
#define FN2(name, suffix) name##_##suffix
#define FN1(name, suffix) FN2(name, suffix)
#define FN(name) FN1(name, SUFFIX)

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

/* Each lane times x^(its distance to the end + 64): the final 128-bit value W in one step. */
TARGET CRC64_INLINE __m128i FN(lanes_to_w)(const crc64_consts *c, VEC acc) {
    const VEC k = VLOADU(&c->lanes_to_w[4 - VL / 16]);
    return VHORIZONTAL_XOR(VXOR(VCLMUL(acc, k, 0x00), VCLMUL(acc, k, 0x11)));
}

#ifdef VLOAD_RIGHT_ALIGNED
/* With fault-suppressing masked loads the odd bytes come first: the first n % VL bytes are loaded right-aligned
 * (leading zeros change nothing), every later load is a whole vector, and no tail handling is needed. */
TARGET CRC64_INLINE uint64_t FN(body)(const crc64_consts *c, uint64_t crc, const uint8_t *p, size_t n,
                                      bool reflected) {
    if (n <= VL) { /* one load, into the narrowest vector that holds the bytes: fewer lanes to reduce (on Zen 4 a
                    * 512-bit multiply and a four-lane sum take 0.8 ns more than their 256-bit pair at 17..32 bytes) */
        if (n == 0) return crc;
        if (n <= 16)
            return x86_short(c, crc, n, n == 16 ? x86_load16(p, reflected) : XMM_LOAD_RIGHT_ALIGNED(p, n, reflected),
                             reflected);
        if (n <= 32)
            return x86_finish(c, crc, n, YMM_LANES_TO_W(c, YMM_LOAD_RIGHT_ALIGNED(p, n, reflected)), reflected);
        return x86_finish(c, crc, n, FN(lanes_to_w)(c, VLOAD_RIGHT_ALIGNED(p, n, reflected)), reflected);
    }
    const size_t total = n;
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
        acc = VLOAD_RIGHT_ALIGNED(p, head, reflected);
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
    return x86_finish(c, crc, total, FN(lanes_to_w)(c, acc), reflected);
}
#else
/* Whole vectors first, then the accumulator's lanes onto the last lane, 16-byte blocks, and one partial block
 * folded in with overlapping loads from inside the buffer. */
TARGET CRC64_INLINE uint64_t FN(body)(const crc64_consts *c, uint64_t crc, const uint8_t *p, size_t n,
                                      bool reflected) {
    const size_t total = n;
    if (n <= 16) {
        if (n == 0) return crc;
        return x86_short(c, crc, n, n == 16 ? x86_load16(p, reflected) : x86_load_small(p, n, reflected), reflected);
    }
    const __m128i inject =
        total > CRC64_SHIFT_IN_MAX ? x86_register_block(crc ^ c->xorout, reflected) : _mm_setzero_si128();
    __m128i a;
    if (n >= VL) {
        VEC acc = VXOR(FN(load)(p, reflected), VFROM128(inject));
        p += VL;
        n -= VL;
        acc = FN(fold_vectors)(c, acc, &p, &n, reflected);
        if (n == 0) return x86_finish(c, crc, total, FN(lanes_to_w)(c, acc), reflected);
        a = VLANES_TO_LAST(acc, c);
    } else {
        a = _mm_xor_si128(x86_load16(p, reflected), inject);
        p += 16;
        n -= 16;
    }
    for (; n >= 16; p += 16, n -= 16) a = _mm_xor_si128(x86_fold(a, c->fold[2]), x86_load16(p, reflected));
    if (n) a = x86_fold_partial(c, a, p + n, n, reflected);
    return x86_finish(c, crc, total, x86_shift64(c, a, reflected), reflected);
}
#endif

TARGET static uint64_t FN(update)(const crc64_consts *c, uint64_t crc, const uint8_t *p, size_t n) {
    return c->reflected ? FN(body)(c, crc, p, n, true) : FN(body)(c, crc, p, n, false);
}

#undef FN
#undef FN1
#undef FN2
#undef VL
#undef SUFFIX
#undef TARGET
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
#undef VHORIZONTAL_XOR
#undef VLANES_TO_LAST
#undef VLOAD_RIGHT_ALIGNED
#undef XMM_LOAD_RIGHT_ALIGNED
#undef YMM_LOAD_RIGHT_ALIGNED
#undef YMM_LANES_TO_W
