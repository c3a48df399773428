/*
 * An independent CRC-64 reference for the C tests (Tests/CDriver/crc64_driver.c, Tests/Fuzz/crc64_fuzz.c):
 * the Rocksoft model one bit at a time, and GF(2) polynomial arithmetic for zero extension and combine, written
 * from the definitions and sharing no code with Sources/CCRC64. Deliberately simple and slow.
 *
 * The register is kept in the model's "normal" (unreflected) orientation throughout: bit 63 is the x^63
 * coefficient. Reflected models feed each byte least-significant bit first and reflect the register at the end.
 * Call ref_init_tables() once before use.
 */
#ifndef CRC64_REFERENCE_H
#define CRC64_REFERENCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct ref_model {
    uint64_t poly; /* without the x^64 term */
    uint64_t init;
    uint64_t xorout;
    bool refl;
} ref_model;

static inline uint8_t ref_rev8(uint8_t b) {
    uint8_t r = 0;
    for (int i = 0; i < 8; i++)
        if (b & (1u << i)) r |= (uint8_t)(0x80u >> i);
    return r;
}

static inline uint64_t ref_rev64(uint64_t v) {
    uint64_t r = 0;
    for (int i = 0; i < 64; i++)
        if (v & (1ULL << i)) r |= 1ULL << (63 - i);
    return r;
}

static uint8_t rev8_table[256];

static inline void ref_init_tables(void) {
    for (int b = 0; b < 256; b++) rev8_table[b] = ref_rev8((uint8_t)b);
}

/* One message byte through the register, most significant message bit first. */
static inline uint64_t ref_byte(const ref_model *m, uint64_t reg, uint8_t byte) {
    const uint64_t poly = m->poly;
    uint64_t in = (uint64_t)(m->refl ? rev8_table[byte] : byte) << 56;
    for (int i = 0; i < 8; i++) {
        const uint64_t top = (reg ^ in) >> 63;
        reg = (reg << 1) ^ (poly & (0 - top));
        in <<= 1;
    }
    return reg;
}

static inline uint64_t ref_final(const ref_model *m, uint64_t reg) {
    return (m->refl ? ref_rev64(reg) : reg) ^ m->xorout;
}

/* The register that a final value stands for (inverse of ref_final). */
static inline uint64_t ref_unfinal(const ref_model *m, uint64_t crc) {
    crc ^= m->xorout;
    return m->refl ? ref_rev64(crc) : crc;
}

static inline uint64_t ref_update_reg(const ref_model *m, uint64_t reg, const uint8_t *p, size_t n) {
    for (size_t i = 0; i < n; i++) reg = ref_byte(m, reg, p[i]);
    return reg;
}

/* CRC of a whole message. */
static inline uint64_t ref_crc(const ref_model *m, const uint8_t *p, size_t n) {
    return ref_final(m, ref_update_reg(m, m->init, p, n));
}

/* GF(2)[x] / (x^64 + poly): a * b, shift-and-add, highest bit of b first. */
static inline uint64_t ref_mulmod(const ref_model *m, uint64_t a, uint64_t b) {
    uint64_t r = 0;
    for (int i = 63; i >= 0; i--) {
        r = (r << 1) ^ ((r >> 63) ? m->poly : 0);
        if ((b >> i) & 1) r ^= a;
    }
    return r;
}

/* x^(8z) mod P by square-and-multiply on x^8 (z is a byte count, so 8z may exceed 64 bits). */
static inline uint64_t ref_x8pow(const ref_model *m, uint64_t z) {
    uint64_t result = 1, base = 0x100; /* x^8 */
    for (; z; z >>= 1) {
        if (z & 1) result = ref_mulmod(m, result, base);
        base = ref_mulmod(m, base, base);
    }
    return result;
}

/* The CRC after appending z zero bytes: the register moves z*8 steps with no input, i.e. times x^(8z). */
static inline uint64_t ref_extend_zeros(const ref_model *m, uint64_t crc, uint64_t z) {
    return ref_final(m, ref_mulmod(m, ref_unfinal(m, crc), ref_x8pow(m, z)));
}

/* reg(A||B) = reg(A) * x^(8|B|) + reg(B) + init * x^(8|B|)   (reg(B) carries its own init term). An empty B leaves
 * crc(A) as it is, whatever crc2 says: the rule of every CRC-64 combine (crc64.h). */
static inline uint64_t ref_combine(const ref_model *m, uint64_t crc1, uint64_t crc2, uint64_t len2) {
    if (len2 == 0) return crc1;
    const uint64_t shift = ref_x8pow(m, len2);
    return ref_final(m, ref_mulmod(m, ref_unfinal(m, crc1) ^ m->init, shift) ^ ref_unfinal(m, crc2));
}

#endif
