/* Portable kernel: slicing-by-16 tables, both bit orders, correct on either host byte order. */
#include "crc64_internal.h"

#define T(k, byte) t[k][(byte) & 255]

uint64_t crc64_slice16_update(const crc64_consts *c, uint64_t reg, const uint8_t *p, size_t n) {
    const uint64_t(*t)[256] = c->table;
    if (c->reflected) {
        for (; n >= 16; p += 16, n -= 16) {
            uint64_t a = crc64_load_le64(p) ^ reg, b = crc64_load_le64(p + 8);
            reg = T(15, a) ^ T(14, a >> 8) ^ T(13, a >> 16) ^ T(12, a >> 24) ^ T(11, a >> 32) ^ T(10, a >> 40) ^
                  T(9, a >> 48) ^ T(8, a >> 56) ^ T(7, b) ^ T(6, b >> 8) ^ T(5, b >> 16) ^ T(4, b >> 24) ^
                  T(3, b >> 32) ^ T(2, b >> 40) ^ T(1, b >> 48) ^ T(0, b >> 56);
        }
        for (; n; p++, n--) reg = (reg >> 8) ^ T(0, reg ^ *p);
    } else {
        for (; n >= 16; p += 16, n -= 16) {
            uint64_t a = crc64_load_be64(p) ^ reg, b = crc64_load_be64(p + 8);
            reg = T(15, a >> 56) ^ T(14, a >> 48) ^ T(13, a >> 40) ^ T(12, a >> 32) ^ T(11, a >> 24) ^
                  T(10, a >> 16) ^ T(9, a >> 8) ^ T(8, a) ^ T(7, b >> 56) ^ T(6, b >> 48) ^ T(5, b >> 40) ^
                  T(4, b >> 32) ^ T(3, b >> 24) ^ T(2, b >> 16) ^ T(1, b >> 8) ^ T(0, b);
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
