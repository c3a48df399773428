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

/* The catalogue (reveng), typed in here independently of the library's table, in the order of crc64.h's presets
 * (the driver checks each name against libcrc64_preset_name). The tests' expectation for every preset. */
#define REF_CATALOGUE_COUNT 7
static const struct {
    const char *name;
    ref_model params;
    uint64_t check; /* the CRC of the nine bytes "123456789" */
} ref_catalogue[REF_CATALOGUE_COUNT] = {
    {"CRC-64/XZ", {0x42f0e1eba9ea3693ULL, ~0ULL, ~0ULL, true}, 0x995dc9bbdf1939faULL},
    {"CRC-64/NVME", {0xad93d23594c93659ULL, ~0ULL, ~0ULL, true}, 0xae8b14860a799888ULL},
    {"CRC-64/ECMA-182", {0x42f0e1eba9ea3693ULL, 0, 0, false}, 0x6c40df5f0b497347ULL},
    {"CRC-64/GO-ISO", {0x000000000000001bULL, ~0ULL, ~0ULL, true}, 0xb90956c775a41001ULL},
    {"CRC-64/WE", {0x42f0e1eba9ea3693ULL, ~0ULL, ~0ULL, false}, 0x62ec59e3f1a4f00aULL},
    {"CRC-64/MS", {0x259c84cba6426349ULL, ~0ULL, 0, true}, 0x75d4b74f024eceeaULL},
    {"CRC-64/REDIS", {0xad93d23594c935a9ULL, 0, 0, true}, 0xe9c6d914c4b8d9caULL},
};

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
