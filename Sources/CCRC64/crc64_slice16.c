/*
 * Portable kernel: byte-indexed tables, no carry-less multiply; both bit orders, correct on either host byte order.
 *
 * From BRAID_MIN bytes the message runs as four braids of 8-byte words (Kadatch and Jenkins' interleaved words, the
 * method of crcutil's multiword kernel and of zlib's braids): word i belongs to braid i mod 4, and each braid keeps its
 * own register, which one step moves past its word and the three words of the other braids that follow it, eight
 * lookups in `braid` (one a byte). The four dependency chains overlap. The last 32 bytes join the four registers in
 * message order through the slicing-by-16 tables (`table`), which also take inputs under BRAID_MIN bytes and the tail:
 * 16-byte blocks whose first word carries the register and whose last 8 bytes are read directly, then the last 1..15
 * bytes as one block.
 *
 * The braid loop reads every word little-endian in both bit orders: a normal model's braid tables and registers are
 * kept byte-reversed, so that a word's first byte is its low byte either way and the loop has one form.
 */
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

/* The terms of a word whose first byte is most significant for normal models and least for reflected ones (as the
 * register lines up with the message in each order). */
CRC64_INLINE uint64_t terms(const uint64_t (*t)[256], int k, uint64_t w, bool reflected) {
    return reflected ? TERMS8(k, w, 0, 8, 16, 24, 32, 40, 48, 56) : TERMS8(k, w, 56, 48, 40, 32, 24, 16, 8, 0);
}

/* The terms of a word carrying a register (its bytes come out of the register, so they are shifted out). */
CRC64_INLINE uint64_t word_terms(const uint64_t (*t)[256], int k, const uint8_t *p, uint64_t reg, bool reflected) {
    return terms(t, k, (reflected ? crc64_load_le64(p) : crc64_load_be64(p)) ^ reg, reflected);
}

/* The terms of a block's last 8 bytes: they do not depend on the register, so their bytes are loaded directly
 * (load ports) rather than shifted out of a word (ALU ports, which the first word keeps busy). Byte 8 + i is
 * followed by 7 - i bytes in either bit order. */
CRC64_INLINE uint64_t second_word(const uint64_t (*t)[256], const uint8_t *p) {
    return pair(pair(pair(t[7][p[8]], t[6][p[9]]), pair(t[5][p[10]], t[4][p[11]])),
                pair(pair(t[3][p[12]], t[2][p[13]]), pair(t[1][p[14]], t[0][p[15]])));
}

/* One 16-byte block: the first word carries the register. */
CRC64_INLINE uint64_t block(const uint64_t (*t)[256], uint64_t reg, const uint8_t *p, bool reflected) {
    return pair(word_terms(t, 8, p, reg, reflected), second_word(t, p));
}

/* A block whose second word carries a register too (a braid's, joining it in the last 32 bytes). */
CRC64_INLINE uint64_t block2(const uint64_t (*t)[256], uint64_t reg, uint64_t reg2, const uint8_t *p,
                             bool reflected) {
    return pair(word_terms(t, 8, p, reg, reflected), word_terms(t, 0, p + 8, reg2, reflected));
}

/* 1..15 bytes as one block: the message at the end of a 16-byte image that starts with zeros (which add nothing
 * to the terms), the register XORed in where the message starts. Of a register longer than the message, the part
 * past the image's end is the register moved n bytes, with no terms (`rest`). One block's latency instead of n byte
 * steps. */
CRC64_INLINE uint64_t short_block(const uint64_t (*t)[256], uint64_t reg, const uint8_t *p, size_t n,
                                  bool reflected) {
    uint64_t lo, hi, rest = 0;
    crc64_load_short(p, n, &lo, &hi);
    if (!reflected) { /* the image's words with its first byte most significant */
        lo = crc64_bswap64(lo);
        hi = crc64_bswap64(hi);
    }
    const unsigned bits = 8 * (unsigned)n; /* 8..120 */
    if (bits > 64) {
        lo ^= reflected ? reg << (128 - bits) : reg >> (128 - bits);
        hi ^= reflected ? reg >> (bits - 64) : reg << (bits - 64);
    } else if (bits == 64) {
        hi ^= reg;
    } else {
        hi ^= reflected ? reg << (64 - bits) : reg >> (64 - bits);
        rest = reflected ? reg >> bits : reg << bits;
    }
    const uint64_t tail = pair(terms(t, 0, hi, reflected), rest);
    return bits > 64 ? pair(terms(t, 8, lo, reflected), tail) : tail;
}

/* Braids need two groups of 32 bytes: the last group is where their registers join. */
#define BRAID_MIN 64

/* x86 reads the second byte of a pair from a high-byte register (%ah: crcutil's assembler loop does the same), so
 * there the bytes leave the word two at a time from its low end, and the barrier keeps the compiler from deriving
 * each from the loaded word with a copy and a shift of its own. Elsewhere a byte comes out of the loaded word in one
 * or two instructions at any position (ubfx; a shift and a mask), and the shifts would only add to them. */
#if defined(__x86_64__) || defined(__i386__)
#define NEXT_PAIR(w, s)                                                                                            \
    do {                                                                                                           \
        (w) >>= 16;                                                                                                \
        CRC64_FORMED(w);                                                                                           \
    } while (0)
#else
#define NEXT_PAIR(w, s) ((s) += 16)
#endif

/* One braid step: the register for the word w (data XOR register, first byte lowest) moved 32 bytes on. The sum
 * stays serial: the other three braids fill its latency. */
CRC64_INLINE uint64_t braid_step(const uint64_t (*b)[256], uint64_t w) {
    int s = 0; /* where the next pair sits in w */
    uint64_t r = b[7][w & 255];
    r ^= b[6][(w >> 8) & 255];
    NEXT_PAIR(w, s);
    r ^= b[5][(w >> s) & 255];
    r ^= b[4][(w >> (s + 8)) & 255];
    NEXT_PAIR(w, s);
    r ^= b[3][(w >> s) & 255];
    r ^= b[2][(w >> (s + 8)) & 255];
    NEXT_PAIR(w, s);
    r ^= b[1][(w >> s) & 255];
    r ^= b[0][(w >> (s + 8)) & 255];
    return r;
}

/* Registers in the braids' form: byte-reversed for normal models (see the top of the file); an involution. */
CRC64_INLINE uint64_t braid_form(uint64_t reg, bool reflected) {
    return reflected ? reg : crc64_bswap64(reg);
}

static uint64_t update_register(const crc64_consts *c, uint64_t reg, const uint8_t *p, size_t n) {
    const uint64_t(*t)[256] = c->table;
    const bool reflected = c->reflected;
    if (n >= BRAID_MIN) {
        const uint64_t(*b)[256] = c->braid;
        uint64_t r0 = braid_form(reg, reflected), r1 = 0, r2 = 0, r3 = 0;
        /* Two groups an iteration from clang: 10% faster on Zen 3 (gcc then spills, and its one-group loop is as
         * fast as its two-group one). */
#if defined(__clang__)
#pragma clang loop unroll_count(2)
#endif
        for (const uint8_t *last = p + ((n - 32) & ~(size_t)31); p != last; p += 32) {
            r0 = braid_step(b, crc64_load_le64(p) ^ r0);
            r1 = braid_step(b, crc64_load_le64(p + 8) ^ r1);
            r2 = braid_step(b, crc64_load_le64(p + 16) ^ r2);
            r3 = braid_step(b, crc64_load_le64(p + 24) ^ r3);
        }
        n &= 31;
        /* The last group: each register joins its word, in message order. */
        reg = block2(t, braid_form(r0, reflected), braid_form(r1, reflected), p, reflected);
        reg = block2(t, reg ^ braid_form(r2, reflected), braid_form(r3, reflected), p + 16, reflected);
        p += 32;
    }
    for (; n >= 16; p += 16, n -= 16) reg = block(t, reg, p, reflected);
    return n ? short_block(t, reg, p, n, reflected) : reg;
}

static uint64_t update(const crc64_consts *c, uint64_t crc, const uint8_t *p, size_t n) {
    return update_register(c, crc ^ c->xorout, p, n) ^ c->xorout;
}

const crc64_kernel libcrc64_kernel_slice16 = {NULL, update, libcrc64_portable_multiply};
