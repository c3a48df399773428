/*
 * libFuzzer harness for the CCRC64 C target (see .ci/fuzz.sh):
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
 *       -ISources/CCRC64/include <every Sources/CCRC64 .c file> Tests/Fuzz/crc64_fuzz.c
 *
 * Input layout (missing bytes read as zero, so every input is valid):
 *   [0]       flags: bits 0-2 model (0..6 a preset, 7 custom); bit 3 custom model reflected;
 *             bit 4 start from the incoming crc below instead of the model's empty value; bits 5-7 split count
 *   [1..24]   custom model: poly, init, xorout (little-endian 64-bit), read only when bits 0-2 == 7
 *   then      8 bytes incoming crc, 8 bytes zero-extension count, 1 byte kernel choice for streamed pieces,
 *             2 bytes per split point (position = value mod (len + 1))
 *   rest      the message (copied into its own exactly-sized heap block, so ASan sees reads on both sides)
 *
 * The reference takes a preset's parameters from the catalogue as crc64_reference.h types it in, and a custom model's
 * from the input, never from the library (whose libcrc64_model_params must agree with them).
 *
 * For each input: every supported kernel's libcrc64_update_kernel == slice16 == the bit-serial reference
 * (Tests/CDriver/crc64_reference.h, messages up to REF_MAX bytes); streaming in pieces (one kernel, and a kernel per
 * piece) == whole; libcrc64_combine and libcrc64_combiner at every split == whole; libcrc64_extend_zeros == update over
 * zeros (small counts) and == the reference's polynomial arithmetic (any count); combine == extend ^ crc2 ^
 * extend(empty), and combine == crc1 for a zero length. The whole input is also parsed as a value's text in each form
 * (libcrc64_parse against a reference written from crc64.h's rules: error, value, offset) and its first 8 bytes are
 * formatted and read back. A mismatch prints the details on stderr and abort()s.
 */
#include "crc64.h"

#include "../CDriver/crc64_reference.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REF_MAX 4096       /* cap on the bit-serial reference's work per input */
#define ZERO_EXT_MAX 2048  /* zero extension checked against real zero bytes up to this many */
#define MAX_SPLITS 7
#define MAX_KERNELS 16

static size_t kernels[MAX_KERNELS], kernel_total;
static long slice16 = -1;

/* Custom models are costly to derive; the fuzzer mostly mutates the message, so keep a few recent ones. */
#define CACHE_SIZE 32
static struct {
    libcrc64_params params;
    libcrc64_model *model;
} cache[CACHE_SIZE];
static unsigned cache_next;

static const libcrc64_model *custom_model(libcrc64_params p) {
    for (unsigned i = 0; i < CACHE_SIZE; i++)
        if (cache[i].model && cache[i].params.poly == p.poly && cache[i].params.init == p.init &&
            cache[i].params.xorout == p.xorout && cache[i].params.reflected == p.reflected)
            return cache[i].model;
    unsigned slot = cache_next++ % CACHE_SIZE;
    libcrc64_model_free(cache[slot].model);
    cache[slot].params = p;
    cache[slot].model = libcrc64_model_create(p);
    return cache[slot].model;
}

typedef struct reader {
    const uint8_t *p;
    size_t n;
} reader;

static uint64_t take(reader *r, int bytes) {
    uint64_t v = 0;
    for (int i = 0; i < bytes; i++) {
        uint64_t b = 0;
        if (r->n) {
            b = *r->p++;
            r->n--;
        }
        v |= b << (8 * i);
    }
    return v;
}

static const char *model_desc;
static libcrc64_params model_params;

static void mismatch(const char *what, size_t kernel, size_t len, uint64_t got, uint64_t want) {
    fprintf(stderr,
            "\nCRC64 MISMATCH: %s\n  kernel=%s model=%s poly=0x%016" PRIx64 " init=0x%016" PRIx64
            " xorout=0x%016" PRIx64 " %s\n  len=%zu got=0x%016" PRIx64 " want=0x%016" PRIx64 "\n",
            what, kernel < MAX_KERNELS ? libcrc64_kernel_name(kernel) : "-", model_desc, model_params.poly,
            model_params.init, model_params.xorout, model_params.reflected ? "reflected" : "normal", len, got, want);
    abort();
}

#define EXPECT_EQ(what, kernel, len, got, want)                                                             \
    do {                                                                                                   \
        const uint64_t g_ = (got), w_ = (want);                                                            \
        if (g_ != w_) mismatch(what, kernel, len, g_, w_);                                                  \
    } while (0)

static uint64_t run(size_t k, const libcrc64_model *m, uint64_t crc, const uint8_t *p, size_t n) {
    uint64_t out = 0;
    if (!libcrc64_update_kernel(k, m, crc, p, n, &out))
        mismatch("libcrc64_update_kernel refused a supported kernel", k, n, 0, 1);
    return out;
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc, (void)argv;
    ref_init_tables();
    for (size_t i = 0; i < libcrc64_kernel_count() && kernel_total < MAX_KERNELS; i++)
        if (libcrc64_kernel_supported(i)) kernels[kernel_total++] = i;
    slice16 = libcrc64_kernel_index("slice16");
    if (slice16 < 0 || !libcrc64_kernel_supported((size_t)slice16)) {
        fprintf(stderr, "slice16 is not supported?\n");
        abort();
    }
    fprintf(stderr, "crc64_fuzz: kernels:");
    for (size_t i = 0; i < kernel_total; i++) fprintf(stderr, " %s", libcrc64_kernel_name(kernels[i]));
    fprintf(stderr, "\n");
    return 0;
}

/* ---- Text forms: the parser against a reference written here from the rules in crc64.h ---- */

static const char b64_alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* The reference's verdict on `text` (NUL-terminated copy of `length` bytes, which may hold NULs themselves). */
static libcrc64_parse_error ref_parse(libcrc64_form form, const char *text, size_t length, uint64_t *value,
                                      size_t *offset) {
    static const char *const digits[3] = {"0123456789", "0123456789abcdefABCDEF", NULL};
    if (length == 0) return LIBCRC64_PARSE_EMPTY;
    if (form == LIBCRC64_FORM_DECIMAL && text[0] == '-') return LIBCRC64_PARSE_NEGATIVE;
    for (size_t i = 0; i < length; i++) {
        const char c = text[i];
        const int ok = c != '\0' && (form == LIBCRC64_FORM_BASE64 ? c == '=' || strchr(b64_alphabet, c) != NULL
                                                                  : strchr(digits[form], c) != NULL);
        if (!ok) {
            *offset = i;
            return LIBCRC64_PARSE_INVALID_CHARACTER;
        }
    }
    if (form == LIBCRC64_FORM_DECIMAL) {
        size_t zeros = 0;
        while (zeros + 1 < length && text[zeros] == '0') zeros++;
        const size_t significant = length - zeros;
        if (significant > 20 || (significant == 20 && strcmp(text + zeros, "18446744073709551615") > 0))
            return LIBCRC64_PARSE_OVERFLOW;
        *value = strtoull(text, NULL, 10);
        return LIBCRC64_PARSE_OK;
    }
    if (form == LIBCRC64_FORM_HEX) {
        if (length != 16) return LIBCRC64_PARSE_WRONG_LENGTH;
        *value = strtoull(text, NULL, 16);
        return LIBCRC64_PARSE_OK;
    }
    if (length != 12) return LIBCRC64_PARSE_WRONG_LENGTH;
    if (strchr(text, '=') != text + 11) return LIBCRC64_PARSE_INVALID_PADDING;
    uint64_t bits = 0; /* 11 characters of 6 bits: the 64-bit value and two more bits */
    uint64_t extra = 0;
    for (int i = 0; i < 11; i++) {
        const uint64_t sextet = (uint64_t)(strchr(b64_alphabet, text[i]) - b64_alphabet);
        extra = (extra << 6 | bits >> 58) & 3;
        bits = bits << 6 | sextet;
    }
    if (bits & 3) return LIBCRC64_PARSE_NON_CANONICAL;
    *value = bits >> 2 | extra << 62;
    return LIBCRC64_PARSE_OK;
}

/* The input as a value's text in each form (in a block of its own size, so ASan sees any read past it), and its
 * first 8 bytes as a value to format and read back. */
static void check_text_forms(const uint8_t *data, size_t size) {
    char *text = malloc(size + 1);
    if (!text) return;
    memcpy(text, data, size);
    text[size] = '\0';
    for (int f = LIBCRC64_FORM_DECIMAL; f <= LIBCRC64_FORM_BASE64; f++) {
        uint64_t got = 1, want = 2;
        size_t got_offset = 3, want_offset = 4;
        char *exact = malloc(size ? size : 1);
        if (!exact) break;
        memcpy(exact, data, size);
        const libcrc64_parse_error e = libcrc64_parse((libcrc64_form)f, exact, size, &got, &got_offset);
        free(exact);
        const libcrc64_parse_error r = ref_parse((libcrc64_form)f, text, size, &want, &want_offset);
        EXPECT_EQ("libcrc64_parse error vs reference", MAX_KERNELS, size, (uint64_t)e, (uint64_t)r);
        if (r == LIBCRC64_PARSE_OK) EXPECT_EQ("libcrc64_parse value vs reference", MAX_KERNELS, size, got, want);
        if (r == LIBCRC64_PARSE_INVALID_CHARACTER)
            EXPECT_EQ("libcrc64_parse offset vs reference", MAX_KERNELS, size, got_offset, want_offset);
    }
    uint64_t value = 0;
    memcpy(&value, data, size < 8 ? size : 8);
    for (int f = LIBCRC64_FORM_DECIMAL; f <= LIBCRC64_FORM_BASE64; f++) {
        char formatted[LIBCRC64_FORM_SIZE];
        uint64_t back = ~value;
        const size_t n = libcrc64_format((libcrc64_form)f, value, formatted);
        EXPECT_EQ("libcrc64_format length", MAX_KERNELS, n, n, strlen(formatted));
        EXPECT_EQ("libcrc64_parse(libcrc64_format(v))", MAX_KERNELS, n,
                  libcrc64_parse((libcrc64_form)f, formatted, n, &back, NULL), LIBCRC64_PARSE_OK);
        EXPECT_EQ("libcrc64_parse(libcrc64_format(v)) value", MAX_KERNELS, n, back, value);
    }
    free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    check_text_forms(data, size);
    reader r = {data, size};
    const unsigned flags = (unsigned)take(&r, 1);
    const unsigned which = flags & 7;
    /* The reference's parameters never come from the library: a preset's from the catalogue as the tests type it
     * in, a custom model's from the input itself. */
    const libcrc64_model *m;
    ref_model ref;
    if (which < LIBCRC64_PRESET_COUNT) {
        m = libcrc64_preset_model((libcrc64_preset)which);
        ref = ref_catalogue[which].params;
        model_desc = ref_catalogue[which].name;
    } else {
        ref.poly = take(&r, 8);
        ref.init = take(&r, 8);
        ref.xorout = take(&r, 8);
        ref.refl = (flags >> 3) & 1;
        const libcrc64_params p = {ref.poly, ref.init, ref.xorout, ref.refl};
        m = custom_model(p);
        model_desc = "custom";
    }
    if (!m) return 0; /* out of memory */
    model_params = (libcrc64_params){ref.poly, ref.init, ref.xorout, ref.refl};
    const libcrc64_params lib = libcrc64_model_params(m);
    EXPECT_EQ("libcrc64_model_params poly", MAX_KERNELS, 0, lib.poly, ref.poly);
    EXPECT_EQ("libcrc64_model_params init", MAX_KERNELS, 0, lib.init, ref.init);
    EXPECT_EQ("libcrc64_model_params xorout", MAX_KERNELS, 0, lib.xorout, ref.xorout);
    EXPECT_EQ("libcrc64_model_params reflected", MAX_KERNELS, 0, lib.reflected != 0, ref.refl);
    const uint64_t empty = libcrc64_model_empty(m);
    const uint64_t incoming = take(&r, 8);
    const uint64_t start = (flags & 16) ? incoming : empty;
    const uint64_t zext = take(&r, 8);
    const unsigned kernel_pick = (unsigned)take(&r, 1);
    const unsigned nsplits = flags >> 5;
    uint16_t raw_splits[MAX_SPLITS];
    for (unsigned i = 0; i < nsplits; i++) raw_splits[i] = (uint16_t)take(&r, 2);

    const size_t n = r.n;
    uint8_t *msg = malloc(n ? n : 1);
    if (!msg) return 0;
    memcpy(msg, r.p, n);

    /* Whole message: every kernel == slice16 (== reference while cheap). */
    const uint64_t whole = run((size_t)slice16, m, start, msg, n);
    if (n <= REF_MAX) {
        EXPECT_EQ("slice16 vs bit-serial reference", (size_t)slice16, n,
                  whole, ref_final(&ref, ref_update_reg(&ref, ref_unfinal(&ref, start), msg, n)));
        EXPECT_EQ("libcrc64_model_empty vs reference", MAX_KERNELS, 0, empty, ref_crc(&ref, NULL, 0));
    }
    for (size_t i = 0; i < kernel_total; i++)
        EXPECT_EQ("kernel vs slice16 (whole message)", kernels[i], n, run(kernels[i], m, start, msg, n), whole);
    EXPECT_EQ("libcrc64_update (dispatched) vs slice16", MAX_KERNELS, n, libcrc64_update(m, start, msg, n), whole);

    /* Split points, sorted, within [0, n]. */
    size_t splits[MAX_SPLITS + 2];
    size_t count = 0;
    splits[count++] = 0;
    for (unsigned i = 0; i < nsplits; i++) {
        size_t s = raw_splits[i] % (n + 1), j = count;
        while (j > 1 && splits[j - 1] > s) {
            splits[j] = splits[j - 1];
            j--;
        }
        splits[j] = s;
        count++;
    }
    splits[count++] = n;

    /* Streaming in pieces: through each kernel, and with a kernel chosen per piece. */
    for (size_t i = 0; i <= kernel_total; i++) {
        uint64_t crc = start;
        for (size_t s = 0; s + 1 < count; s++) {
            const size_t k = i < kernel_total ? kernels[i] : kernels[(kernel_pick >> (s % 8)) % kernel_total];
            crc = run(k, m, crc, msg + splits[s], splits[s + 1] - splits[s]);
        }
        EXPECT_EQ(i < kernel_total ? "streamed pieces vs whole" : "streamed pieces (mixed kernels) vs whole",
                  i < kernel_total ? kernels[i] : MAX_KERNELS, n, crc, whole);
    }

    /* Combine at every split point: crc(A) from `start`, crc(B) from the model's empty value. */
    for (size_t s = 0; s < count; s++) {
        const size_t a = splits[s], b = n - a;
        const uint64_t crc_a = libcrc64_update(m, start, msg, a), crc_b = libcrc64_update(m, empty, msg + a, b);
        EXPECT_EQ("libcrc64_combine vs whole", MAX_KERNELS, b, libcrc64_combine(m, crc_a, crc_b, b), whole);
        const libcrc64_combiner op = libcrc64_combiner_make(m, b);
        EXPECT_EQ("libcrc64_combiner_apply vs whole", MAX_KERNELS, b, libcrc64_combiner_apply(&op, crc_a, crc_b),
                  whole);
        EXPECT_EQ("libcrc64_combine vs reference combine", MAX_KERNELS, b, ref_combine(&ref, crc_a, crc_b, b), whole);
    }

    /* Zero extension: against real zero bytes (small counts) and the polynomial arithmetic (any count). */
    const uint64_t z_small = zext % (ZERO_EXT_MAX + 1);
    uint8_t *zeros = calloc(z_small ? z_small : 1, 1);
    if (zeros) {
        EXPECT_EQ("libcrc64_extend_zeros vs update over zero bytes", MAX_KERNELS, z_small,
                  libcrc64_extend_zeros(m, whole, z_small), run((size_t)slice16, m, whole, zeros, z_small));
        free(zeros);
    }
    const uint64_t ext = libcrc64_extend_zeros(m, whole, zext);
    EXPECT_EQ("libcrc64_extend_zeros vs reference (huge count)", MAX_KERNELS, zext, ext,
              ref_extend_zeros(&ref, whole, zext));
    /* With a zero length, combine returns crc1 whatever crc2 is (here `start`, a random value). */
    EXPECT_EQ("combine == extend(crc1) ^ crc2 ^ extend(empty), or crc1 for length 0", MAX_KERNELS, zext,
              libcrc64_combine(m, whole, start, zext),
              zext ? ext ^ start ^ libcrc64_extend_zeros(m, empty, zext) : whole);
    const libcrc64_combiner big = libcrc64_combiner_make(m, zext);
    EXPECT_EQ("libcrc64_combiner (huge len2) vs libcrc64_combine", MAX_KERNELS, zext,
              libcrc64_combiner_apply(&big, whole, start), libcrc64_combine(m, whole, start, zext));

    free(msg);
    return 0;
}
