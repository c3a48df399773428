/* Portable kernel: slicing-by-16 tables, both bit orders, correct on either host byte order. */
#include "crc64_internal.h"

#define T(k, byte) t[k][(byte) & 255]

/* A balanced XOR tree: without the barrier the compiler re-associates it into one serial chain, and the
 * loop-carried dependency through the register grows from three XORs to eight. */
CRC64_INLINE uint64_t pair(uint64_t a, uint64_t b) {
    uint64_t x = a ^ b;
    CRC64_FORMED(x);
    return x;
}

/* Eight table terms for the bytes of w, most significant table first, as a balanced XOR tree. */
#define TERMS8(k, w, s0, s1, s2, s3, s4, s5, s6, s7)                                                            \
    pair(pair(pair(T(k + 7, (w) >> s0), T(k + 6, (w) >> s1)), pair(T(k + 5, (w) >> s2), T(k + 4, (w) >> s3))),  \
         pair(pair(T(k + 3, (w) >> s4), T(k + 2, (w) >> s5)), pair(T(k + 1, (w) >> s6), T(k, (w) >> s7))))
#define TERMS8_LE(k, w) TERMS8(k, w, 0, 8, 16, 24, 32, 40, 48, 56)
#define TERMS8_BE(k, w) TERMS8(k, w, 56, 48, 40, 32, 24, 16, 8, 0)

/* The terms of a block's last 8 bytes: they do not depend on the register, so their bytes are loaded directly
 * (load ports) rather than shifted out of a word (ALU ports, which the first word keeps busy). Byte 8 + i is
 * followed by 7 - i bytes in either bit order. */
CRC64_INLINE uint64_t second_word(const uint64_t (*t)[256], const uint8_t *p) {
    return pair(pair(pair(t[7][p[8]], t[6][p[9]]), pair(t[5][p[10]], t[4][p[11]])),
                pair(pair(t[3][p[12]], t[2][p[13]]), pair(t[1][p[14]], t[0][p[15]])));
}

/* One 16-byte block: the first word carries the register. */
CRC64_INLINE uint64_t block_reflected(const uint64_t (*t)[256], uint64_t reg, const uint8_t *p) {
    return pair(TERMS8_LE(8, crc64_load_le64(p) ^ reg), second_word(t, p));
}
CRC64_INLINE uint64_t block_normal(const uint64_t (*t)[256], uint64_t reg, const uint8_t *p) {
    return pair(TERMS8_BE(8, crc64_load_be64(p) ^ reg), second_word(t, p));
}

/* Inputs this long run as two interleaved streams (the second from a zero register), so that the two dependency
 * chains overlap, joined with one combine multiply. (A third stream gains nothing: the loop is then bound by its
 * instruction count.) */
#define TWO_STREAMS_MIN 2048

CRC64_INLINE uint64_t block(const uint64_t (*t)[256], uint64_t reg, const uint8_t *p, bool reflected) {
    return reflected ? block_reflected(t, reg, p) : block_normal(t, reg, p);
}

static uint64_t update_register(const crc64_consts *c, uint64_t reg, const uint8_t *p, size_t n) {
    const uint64_t(*t)[256] = c->table;
    const bool reflected = c->reflected;
    if (n >= TWO_STREAMS_MIN) {
        const size_t half = (n / 2) & ~(size_t)15, second_len = n - half;
        const uint8_t *q = p + half;
        uint64_t reg2 = 0;
        for (size_t i = 0; i < half; i += 16, p += 16, q += 16) {
            reg = block(t, reg, p, reflected);
            reg2 = block(t, reg2, q, reflected);
        }
        reg2 = update_register(c, reg2, q, second_len - half);
        const uint64_t shift = crc64_shift_multiplier(c, crc64_portable_multiply, second_len);
        return crc64_portable_multiply(c, reg, shift) ^ reg2;
    }
    for (; n >= 16; p += 16, n -= 16) reg = block(t, reg, p, reflected);
    for (; n; p++, n--) reg = reflected ? (reg >> 8) ^ T(0, reg ^ *p) : (reg << 8) ^ T(0, (reg >> 56) ^ *p);
    return reg;
}

static uint64_t update(const crc64_consts *c, uint64_t crc, const uint8_t *p, size_t n) {
    return update_register(c, crc ^ c->xorout, p, n) ^ c->xorout;
}

const crc64_kernel crc64_kernel_slice16 = {
    .name = "slice16",
    .cpu_has = NULL,
    .update = update,
    .multiply = crc64_portable_multiply,
};
