/* The parameter model: presets, custom models, every constant derived from the polynomial, combine. */
#include "crc64_internal.h"

#include <stdatomic.h>
#include <stdlib.h>

static uint64_t reverse64(uint64_t v) {
    v = ((v >> 1) & 0x5555555555555555ULL) | ((v & 0x5555555555555555ULL) << 1);
    v = ((v >> 2) & 0x3333333333333333ULL) | ((v & 0x3333333333333333ULL) << 2);
    v = ((v >> 4) & 0x0F0F0F0F0F0F0F0FULL) | ((v & 0x0F0F0F0F0F0F0F0FULL) << 4);
    return crc64_bswap64(v);
}

/* Portable 64x64 -> 128-bit carry-less multiply (4-bit windows). */
CRC64_INLINE void portable_clmul(uint64_t a, uint64_t b, uint64_t *lo, uint64_t *hi) {
    uint64_t tlo[16], thi[16]; /* a * j for every 4-bit j: at most 3 bits spill into the high word */
    tlo[0] = thi[0] = 0;
    tlo[1] = a;
    thi[1] = 0;
    for (int j = 2; j < 16; j += 2) {
        tlo[j] = tlo[j / 2] << 1;
        thi[j] = thi[j / 2] << 1 | tlo[j / 2] >> 63;
        tlo[j + 1] = tlo[j] ^ a;
        thi[j + 1] = thi[j];
    }
    uint64_t l = 0, h = 0;
    for (int shift = 60; shift >= 0; shift -= 4) {
        h = (h << 4) | (l >> 60);
        l <<= 4;
        const unsigned nibble = (unsigned)(b >> shift) & 15;
        l ^= tlo[nibble];
        h ^= thi[nibble];
    }
    *lo = l;
    *hi = h;
}

CRC64_DEFINE_MULTIPLY(, libcrc64_portable_multiply, portable_clmul)

/* x^(8n) in kernel form, as a product of one table entry per non-zero byte of n. n > 0. */
uint64_t libcrc64_shift_multiplier(const crc64_consts *c, crc64_multiply_fn multiply, uint64_t n) {
    uint64_t factors[8];
    int count = 0;
    for (int j = 0; n; j++, n >>= 8)
        if (n & 255) factors[count++] = c->combine[j][n & 255];
    /* Pairwise tree: the products are independent, so their latencies overlap. */
    while (count > 1) {
        int half = 0;
        for (int i = 0; i + 1 < count; i += 2) factors[half++] = multiply(c, factors[i], factors[i + 1]);
        if (count & 1) factors[half++] = factors[count - 1];
        count = half;
    }
    return factors[0];
}

/* floor(k * x^64 / P) for k of degree < 64, by long division (normal form). */
static uint64_t quotient_x64(uint64_t k, uint64_t poly) {
    uint64_t window = k, q = 0;
    for (int i = 63; i >= 0; i--) {
        uint64_t top = window >> 63;
        window = (window << 1) ^ (top ? poly : 0);
        q |= top << i;
    }
    return q;
}

_Alignas(16) const uint8_t libcrc64_shift_table[48] = {
    0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
    0,    1,    2,    3,    4,    5,    6,    7,    8,    9,    10,   11,   12,   13,   14,   15,
    0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
};

/* A quotient multiplier in kernel form: reflected words absorb the product's extra x by storing v / x. */
static uint64_t quotient_form(uint64_t v, bool reflected) {
    return reflected ? reverse64(v >> 1) : v;
}

/* Every constant from the polynomial (and xorout, already set). `multiply` (the dispatched kernel's, exact like
 * every other) only sets how fast this runs. */
static void derive_constants(crc64_consts *c, uint64_t poly, bool reflected, crc64_multiply_fn multiply) {
    c->reflected = reflected;

    /* Barrett: mu = floor(x^128 / P) = x^64 + mu0, and x^64 mod P = P0. */
    const uint64_t mu0 = quotient_x64(poly, poly);
    c->barrett.lo = quotient_form(mu0, reflected);
    c->barrett.hi = quotient_form(poly, reflected);
    c->poly_lsb_mask = reflected && (poly & 1) ? ~0ULL : 0;

    /* Powers of x in kernel form; multiplying two forms adds their exponents. */
    const uint64_t x8 = reflected ? 1ULL << 56 : 1ULL << 8; /* x^8: deg < 64, so no reduction */
    uint64_t x64 = x8;
    for (int i = 1; i < 8; i++) x64 = multiply(c, x64, x8);

    /* shift_in[0] stays zero: zero bytes never reach a kernel's shift-in. The multiplier form(x^(8n)) of a reflected
     * model is rev64(x^(8n-1) mod P) and really applies K = x * m, m = x^(8n-1) mod P, of degree up to 64; its
     * Shoup quotient K' = floor(K * x^64 / P) is x * floor(m * x^64 / P) in the terms the form keeps (the form of a
     * quotient drops its x^0 term, like mu0's) and may have an x^64 term. That term adds the register a to a's
     * quotient, which subtracts a * P; below x^64, where the result lies, that is the same as multiplying by
     * K + P0 instead. The form stored is that of K + P0 less its x^0 term (a form has none to give), so the kernel
     * adds a * 1 = a itself when P has an x^0 term (register_term). */
    for (int n = 1; n <= CRC64_SHIFT_IN_MAX; n++) {
        crc64_shift *s = &c->shift_in[n];
        s->multiplier = n == 1 ? x8 : multiply(c, c->shift_in[n - 1].multiplier, x8);
        uint64_t k_prime, x64_term = 0;
        if (reflected) {
            const uint64_t q = quotient_x64(reverse64(s->multiplier), poly);
            k_prime = q << 1;
            x64_term = q >> 63;
        } else {
            k_prime = quotient_x64(s->multiplier, poly);
        }
        s->shoup.lo = s->multiplier ^ (x64_term ? c->barrett.hi : 0);
        s->shoup.hi = quotient_form(k_prime, reflected);
        s->register_term = x64_term && (poly & 1) ? ~0ULL : 0;
        s->bias = multiply(c, c->xorout, s->multiplier) ^ c->xorout;
    }
    /* fold[d]: distance D = 64d bits. A reflected block's low word is its high-degree half (needs x^(D+64));
     * a normal block's low word is its low-degree half (needs x^D). */
    uint64_t power = x64; /* x^(64d) */
    c->fold[0].lo = c->fold[0].hi = 0;
    for (int d = 1; d <= CRC64_FOLD_MAX; d++) {
        uint64_t next = multiply(c, power, x64); /* x^(64d + 64) */
        c->fold[d].lo = reflected ? next : power;
        c->fold[d].hi = reflected ? power : next;
        power = next;
    }
    c->lanes_to_w[0] = c->fold[7];
    c->lanes_to_w[1] = c->fold[5];
    c->lanes_to_w[2] = c->fold[3];
    c->lanes_to_w[3] = c->fold[1];

    /* combine[j][d] = x^(8 * d * 256^j). */
    uint64_t base = x8;
    for (int j = 0; j < 8; j++) {
        c->combine[j][0] = 0; /* unused: a zero byte contributes no factor */
        c->combine[j][1] = base;
        for (int d = 2; d < 256; d++) c->combine[j][d] = multiply(c, c->combine[j][d - 1], base);
        for (int s = 0; j < 7 && s < 8; s++) base = multiply(c, base, base);
    }

    /* Slicing tables: table[0][b] is byte b through eight register steps; row k adds k zero bytes. Rows 0..15 are
     * `table`, rows 24..31 `braid` (byte-reversed for normal models: the braid loop reads words little-endian). */
    const uint64_t rpoly = reverse64(poly);
    for (unsigned b = 0; b < 256; b++) {
        uint64_t r = reflected ? b : (uint64_t)b << 56;
        for (int i = 0; i < 8; i++) {
            if (reflected)
                r = (r >> 1) ^ ((r & 1) ? rpoly : 0);
            else
                r = (r << 1) ^ ((r >> 63) ? poly : 0);
        }
        c->table[0][b] = r;
    }
    for (unsigned b = 0; b < 256; b++) {
        uint64_t r = c->table[0][b];
        for (int k = 1; k < 32; k++) {
            r = reflected ? (r >> 8) ^ c->table[0][r & 255] : (r << 8) ^ c->table[0][r >> 56];
            if (k < 16) c->table[k][b] = r;
            if (k >= 24) c->braid[k - 24][b] = reflected ? r : crc64_bswap64(r);
        }
    }
}

libcrc64_model *libcrc64_model_create(libcrc64_params params) {
    size_t size = (sizeof(libcrc64_model) + 63) & ~(size_t)63;
    libcrc64_model *m = crc64_aligned_alloc(64, size);
    if (!m) return NULL;
    memset(m, 0, sizeof(*m));
    params.reflected = params.reflected != 0;
    m->params = params;
    m->init_register = libcrc64_params_empty(params) ^ params.xorout;
    m->consts.xorout = params.xorout;
    const crc64_kernel *kernel = crc64_dispatched_kernel();
    m->update = kernel->update;
    derive_constants(&m->consts, params.poly, params.reflected, kernel->multiply);
    return m;
}

void libcrc64_model_free(libcrc64_model *model) {
    crc64_aligned_free(model);
}

libcrc64_params libcrc64_model_params(const libcrc64_model *model) {
    return model->params;
}

uint64_t libcrc64_model_empty(const libcrc64_model *model) {
    return model->init_register ^ model->params.xorout;
}

uint64_t libcrc64_params_empty(libcrc64_params params) {
    return (params.reflected ? reverse64(params.init) : params.init) ^ params.xorout;
}

const char *libcrc64_version(void) {
    return LIBCRC64_VERSION_STRING;
}

/* ---- Presets ---- */

static const struct {
    const char *name;
    libcrc64_params params;
    uint64_t check;
} presets[LIBCRC64_PRESET_COUNT] = {
    [LIBCRC64_PRESET_XZ] = {"CRC-64/XZ", {0x42f0e1eba9ea3693ULL, ~0ULL, ~0ULL, 1}, 0x995dc9bbdf1939faULL},
    [LIBCRC64_PRESET_NVME] = {"CRC-64/NVME", {0xad93d23594c93659ULL, ~0ULL, ~0ULL, 1}, 0xae8b14860a799888ULL},
    [LIBCRC64_PRESET_ECMA_182] = {"CRC-64/ECMA-182", {0x42f0e1eba9ea3693ULL, 0, 0, 0}, 0x6c40df5f0b497347ULL},
    [LIBCRC64_PRESET_GO_ISO] = {"CRC-64/GO-ISO", {0x000000000000001bULL, ~0ULL, ~0ULL, 1}, 0xb90956c775a41001ULL},
    [LIBCRC64_PRESET_WE] = {"CRC-64/WE", {0x42f0e1eba9ea3693ULL, ~0ULL, ~0ULL, 0}, 0x62ec59e3f1a4f00aULL},
    [LIBCRC64_PRESET_MS] = {"CRC-64/MS", {0x259c84cba6426349ULL, ~0ULL, 0, 1}, 0x75d4b74f024eceeaULL},
    [LIBCRC64_PRESET_REDIS] = {"CRC-64/REDIS", {0xad93d23594c935a9ULL, 0, 0, 1}, 0xe9c6d914c4b8d9caULL},
};

static _Atomic(libcrc64_model *) preset_models[LIBCRC64_PRESET_COUNT];

/* First use: build, then publish; a thread that loses the race frees its copy and takes the winner's. */
CRC64_COLD static const libcrc64_model *build_preset(libcrc64_preset preset) {
    libcrc64_model *fresh = libcrc64_model_create(presets[preset].params);
    if (!fresh) return NULL;
    libcrc64_model *expected = NULL;
    if (atomic_compare_exchange_strong_explicit(&preset_models[preset], &expected, fresh, memory_order_acq_rel,
                                                memory_order_acquire))
        return fresh;
    libcrc64_model_free(fresh);
    return expected;
}

const libcrc64_model *libcrc64_preset_model(libcrc64_preset preset) {
    if ((unsigned)preset >= LIBCRC64_PRESET_COUNT) return NULL;
    const libcrc64_model *m = atomic_load_explicit(&preset_models[preset], memory_order_acquire);
    return CRC64_LIKELY(m != NULL) ? m : build_preset(preset);
}

const char *libcrc64_preset_name(libcrc64_preset preset) {
    return (unsigned)preset < LIBCRC64_PRESET_COUNT ? presets[preset].name : NULL;
}

uint64_t libcrc64_preset_check(libcrc64_preset preset) {
    return (unsigned)preset < LIBCRC64_PRESET_COUNT ? presets[preset].check : 0;
}

libcrc64_params libcrc64_preset_params(libcrc64_preset preset) {
    const libcrc64_params none = {0, 0, 0, 0};
    return (unsigned)preset < LIBCRC64_PRESET_COUNT ? presets[preset].params : none;
}

/* ---- Update and combine ---- */

uint64_t libcrc64_update(const libcrc64_model *model, uint64_t crc, const void *buf, size_t len) {
    return model->update(&model->consts, crc, buf, len);
}

/* The drop-in functions' first call builds the preset; kept out of line so the hot path needs no stack frame. */
CRC64_COLD static uint64_t update_new_preset(libcrc64_preset preset, uint64_t crc, const void *buf, size_t len) {
    return libcrc64_update(libcrc64_preset_model(preset), crc, buf, len);
}

CRC64_INLINE uint64_t update_preset(libcrc64_preset preset, uint64_t crc, const void *buf, size_t len) {
    const libcrc64_model *m = atomic_load_explicit(&preset_models[preset], memory_order_acquire);
    if (CRC64_UNLIKELY(m == NULL)) return update_new_preset(preset, crc, buf, len);
    return libcrc64_update(m, crc, buf, len);
}

/* register * x^(8n) mod P */
static uint64_t shift_register(const libcrc64_model *model, uint64_t reg, uint64_t n) {
    if (n == 0) return reg;
    crc64_multiply_fn multiply = crc64_dispatched_kernel()->multiply;
    return multiply(&model->consts, reg, libcrc64_shift_multiplier(&model->consts, multiply, n));
}

/* crc(A||B) = (crc(A) ^ xorout ^ init) * x^(8|B|) ^ crc(B): the register after A, minus the init that crc(B)
 * already carries, moved past B's bytes. An empty B gives crc(A) whatever crc2 says (crc64.h). */
uint64_t libcrc64_combine(const libcrc64_model *model, uint64_t crc1, uint64_t crc2, uint64_t len2) {
    if (len2 == 0) return crc1;
    return shift_register(model, crc1 ^ model->params.xorout ^ model->init_register, len2) ^ crc2;
}

uint64_t libcrc64_extend_zeros(const libcrc64_model *model, uint64_t crc, uint64_t zeros) {
    const uint64_t x = model->params.xorout;
    return shift_register(model, crc ^ x, zeros) ^ x;
}

libcrc64_combiner libcrc64_combiner_make(const libcrc64_model *model, uint64_t len2) {
    libcrc64_combiner op = {model, len2, 0};
    if (len2) op.multiplier = libcrc64_shift_multiplier(&model->consts, crc64_dispatched_kernel()->multiply, len2);
    return op;
}

uint64_t libcrc64_combiner_apply(const libcrc64_combiner *op, uint64_t crc1, uint64_t crc2) {
    if (op->len2 == 0) return crc1;
    const libcrc64_model *m = op->model;
    const uint64_t reg = crc1 ^ m->params.xorout ^ m->init_register;
    return crc64_dispatched_kernel()->multiply(&m->consts, reg, op->multiplier) ^ crc2;
}

/* ---- Drop-in functions ---- */

uint64_t libcrc64_xz(uint64_t crc, const void *buf, size_t len) {
    return update_preset(LIBCRC64_PRESET_XZ, crc, buf, len);
}

uint64_t libcrc64_nvme(uint64_t crc, const void *buf, size_t len) {
    return update_preset(LIBCRC64_PRESET_NVME, crc, buf, len);
}

uint64_t libcrc64_xz_combine(uint64_t crc1, uint64_t crc2, uint64_t len2) {
    return libcrc64_combine(libcrc64_preset_model(LIBCRC64_PRESET_XZ), crc1, crc2, len2);
}

uint64_t libcrc64_nvme_combine(uint64_t crc1, uint64_t crc2, uint64_t len2) {
    return libcrc64_combine(libcrc64_preset_model(LIBCRC64_PRESET_NVME), crc1, crc2, len2);
}
