/*
 * The aarch64 folding algorithm, written once and included by crc64_arm.c for each kernel. The includer defines
 * only SUFFIX, TARGET and USE_EOR3 (0 or 1: the three-way XOR of FEAT_SHA3, crc64_arm.c's EOR3); they are undefined
 * at the end, ready for the next kernel. Every SIMD helper is defined here, so each kernel's functions carry one
 * attribute and nothing is inlined across targets.
 *
 * Outline for n bytes (the x86 outline with 16-byte vectors and eight accumulators, the same constants):
 *   n <= 16:  one block (16 bytes, or overlapping scalar loads of 1..15), then the finish;
 *   n >= 128: eight accumulators fold 128 bytes a round; when fewer than 128 bytes remain, seven of them are moved
 *             at once (independent products, an XOR tree) past the accumulators after them *and* the m < 8 whole
 *             blocks left, onto the end of the last whole block; the eighth waits as `pending`;
 *   then each remaining whole block is moved straight to that same end by its own distance, so the multiplies are
 *   independent and only one XOR per block is serial; then one partial block (overlapping load of the last 16
 *   bytes, TBL/TBX), and the finish (CRC64_SHOUP_MAX has its three ways; longer inputs took the register into their
 *   first block).
 * Every load lies inside [p, p + n).
 */
#define FN(name) CRC64_SUFFIXED(name, SUFFIX)

#if USE_EOR3
#define XOR3(a, b, c) EOR3(a, b, c)
#else
#define XOR3(a, b, c) veorq_u8(veorq_u8(a, b), c)
#endif

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
    return vreinterpretq_u8_u64(vcombine_u64(vcreate_u64(crc64_bswap64(hi)), vcreate_u64(crc64_bswap64(lo))));
}

/* Fold the last r (1..15) bytes, which end at `end`, into the accumulator a that covers everything before them.
 * a * x^(8r) splits into the bytes that overflow 128 bits (folded by 16 bytes) and the rest, which TBX merges with
 * the final bytes loaded from the last 16 of the buffer (the buffer has at least 16 bytes here): TBX keeps the
 * destination byte (from `last`) where the index is out of range, exactly x86's blendv on the same table. */
TARGET CRC64_INLINE uint8x16_t FN(fold_partial)(const crc64_consts *c, uint8x16_t a, const uint8_t *end, size_t r,
                                                bool reflected) {
    const uint8x16_t last = FN(load16)(end - 16, reflected);
    const long s = reflected ? (long)r : -(long)r;
    const uint8x16_t keep = vld1q_u8(libcrc64_shift_table + 16 + s);
    const uint8x16_t spill = vld1q_u8(libcrc64_shift_table + 16 + (reflected ? s - 16 : s + 16));
    const uint8x16_t shifted = vqtbx1q_u8(last, a, keep);
    return veorq_u8(FN(fold)(vqtbl1q_u8(a, spill), &c->fold[2]), shifted);
}

/* a * x^64 as an unreduced 128-bit value: the high-degree word times x^128 mod P, the low-degree word moved up. */
TARGET CRC64_INLINE uint8x16_t FN(shift64)(const crc64_consts *c, uint8x16_t a, bool reflected) {
    const uint8x16_t k = FN(load_pair)(&c->fold[1]), zero = vdupq_n_u8(0);
    if (reflected) return veorq_u8(FN(clmul_lo)(a, k), vextq_u8(a, zero, 8));
    return veorq_u8(FN(clmul_hi)(a, k), vextq_u8(zero, a, 8));
}

/* The Barrett constants with the other one in each lane (lo: P - x^64, hi: mu0), because PMULL pairs equal lanes
 * only. */
TARGET CRC64_INLINE uint8x16_t FN(barrett_swapped)(const crc64_consts *c) {
    const uint8x16_t kb = FN(load_pair)(&c->barrett);
    return vextq_u8(kb, kb, 8);
}

/* v - q * P as the 64-bit result word, where q holds floor(v / P) in its high-degree word: the last step of a
 * Barrett reduction (CRC64_DEFINE_MULTIPLY has the derivation; as x86_subtract_quotient). */
TARGET CRC64_INLINE uint64_t FN(subtract_quotient)(const crc64_consts *c, uint8x16_t v, uint8x16_t q,
                                                   bool reflected) {
    if (reflected)
        return vgetq_lane_u64(vreinterpretq_u64_u8(veorq_u8(v, FN(clmul_lo)(q, FN(barrett_swapped)(c)))), 1) ^
               (vgetq_lane_u64(vreinterpretq_u64_u8(q), 0) & c->poly_lsb_mask); /* P's x^0 term, dropped from kb */
    return vgetq_lane_u64(vreinterpretq_u64_u8(veorq_u8(v, FN(clmul_hi)(q, FN(load_pair)(&c->barrett)))), 0);
}

/* Barrett reduction of the 128-bit value w to the 64-bit register. */
TARGET CRC64_INLINE uint64_t FN(barrett)(const crc64_consts *c, uint8x16_t w, bool reflected) {
    const uint8x16_t q = reflected ? veorq_u8(w, FN(clmul_lo)(w, FN(load_pair)(&c->barrett)))
                                   : veorq_u8(w, FN(clmul_hi)(w, FN(barrett_swapped)(c)));
    return FN(subtract_quotient)(c, w, q, reflected);
}

/* a * x^(8n) mod P, 1 <= n <= CRC64_SHIFT_IN_MAX: the product and its Shoup quotient are independent multiplies, so
 * `a` passes through two multiplies, not three (as x86_advance). */
TARGET CRC64_INLINE uint64_t FN(advance)(const crc64_consts *c, uint64_t a, size_t n, bool reflected) {
    const crc64_shift *s = &c->shift_in[n];
    const uint64_t term = reflected ? a & s->register_term : 0;
    return FN(subtract_quotient)(c, FN(clmul64)(a, s->shoup.lo), FN(clmul64)(a, s->shoup.hi), reflected) ^ term;
}

/* The final value from w = message * x^64 (mod P), the three ways of CRC64_SHOUP_MAX (as x86_finish). */
TARGET CRC64_INLINE uint64_t FN(finish)(const crc64_consts *c, uint64_t crc, size_t n, uint8x16_t w, bool reflected) {
    if (n > CRC64_SHIFT_IN_MAX) return FN(barrett)(c, w, reflected) ^ c->xorout;
    const crc64_shift *s = &c->shift_in[n];
    if (crc == 0) return FN(barrett)(c, w, reflected) ^ s->bias;
    if (n > CRC64_SHOUP_MAX) return FN(barrett)(c, veorq_u8(w, FN(clmul64)(crc, s->multiplier)), reflected) ^ s->bias;
    return FN(advance)(c, crc, n, reflected) ^ FN(barrett)(c, w, reflected) ^ s->bias;
}

/* acc * x^D + data, with k holding D's constant pair. */
TARGET CRC64_INLINE uint8x16_t FN(fold_into)(uint8x16_t acc, uint8x16_t k, uint8x16_t data) {
    return XOR3(FN(clmul_lo)(acc, k), FN(clmul_hi)(acc, k), data);
}

TARGET CRC64_INLINE uint64_t FN(body)(const crc64_consts *c, uint64_t crc, const uint8_t *p, size_t n,
                                      bool reflected) {
    const size_t total = n;
    if (n <= 16) {
        if (n == 0) return crc;
        const uint8x16_t block = n == 16 ? FN(load16)(p, reflected) : FN(load_small)(p, n, reflected);
        return FN(finish)(c, crc, n, FN(shift64)(c, block, reflected), reflected);
    }
    const uint8x16_t inject =
        total > CRC64_SHIFT_IN_MAX ? FN(register_block)(crc ^ c->xorout, reflected) : vdupq_n_u8(0);
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
    return FN(finish)(c, crc, total, FN(shift64)(c, a, reflected), reflected);
}

CRC64_DEFINE_UPDATE(TARGET static, FN(update), FN(body))

#undef FN
#undef SUFFIX
#undef TARGET
#undef USE_EOR3
#undef XOR3
