/* Portable kernel: slicing-by-16 tables, both bit orders, correct on either host byte order. */
#include "crc64_internal.h"

#define T(k, byte) t[k][(byte) & 255]

/* Eight table terms for the bytes of w, most significant table first. Balanced XOR tree: the loop-carried chain is
 * one load and three XORs deep. */
#define TERMS8(k, w, s0, s1, s2, s3, s4, s5, s6, s7)                                                            \
    (((T(k + 7, (w) >> s0) ^ T(k + 6, (w) >> s1)) ^ (T(k + 5, (w) >> s2) ^ T(k + 4, (w) >> s3))) ^              \
     ((T(k + 3, (w) >> s4) ^ T(k + 2, (w) >> s5)) ^ (T(k + 1, (w) >> s6) ^ T(k, (w) >> s7))))
#define TERMS8_LE(k, w) TERMS8(k, w, 0, 8, 16, 24, 32, 40, 48, 56)
#define TERMS8_BE(k, w) TERMS8(k, w, 56, 48, 40, 32, 24, 16, 8, 0)

uint64_t crc64_slice16_update(const crc64_consts *c, uint64_t reg, const uint8_t *p, size_t n) {
    const uint64_t(*t)[256] = c->table;
    if (c->reflected) {
        for (; n >= 16; p += 16, n -= 16) {
            const uint64_t second = TERMS8_LE(0, crc64_load_le64(p + 8)); /* independent of the register */
            reg = TERMS8_LE(8, crc64_load_le64(p) ^ reg) ^ second;
        }
        for (; n; p++, n--) reg = (reg >> 8) ^ T(0, reg ^ *p);
    } else {
        for (; n >= 16; p += 16, n -= 16) {
            const uint64_t second = TERMS8_BE(0, crc64_load_be64(p + 8));
            reg = TERMS8_BE(8, crc64_load_be64(p) ^ reg) ^ second;
        }
        for (; n; p++, n--) reg = (reg << 8) ^ T(0, (reg >> 56) ^ *p);
    }
    return reg;
}

const crc64_kernel crc64_kernel_slice16 = {
    .name = "slice16",
    .cpu_has = NULL,
    .update = crc64_slice16_update,
    .multiply = crc64_portable_multiply,
};
