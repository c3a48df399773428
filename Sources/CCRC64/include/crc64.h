/*
 * crc64.h — the C interface of libcrc64, the core of swift-crc64.
 *
 * Every CRC-64 value that crosses this interface is a *final* CRC value (after the model's xorout), exactly as
 * printed by a catalogue, sent by a server or returned by zlib-style functions. To start a computation pass the
 * model's empty value (`libcrc64_model_empty`, 0 for CRC-64/XZ and CRC-64/NVME); to continue, pass the previous
 * result. All functions are thread-safe; models are immutable once created. `len == 0` with a NULL buffer is valid.
 *
 * Every name this header declares starts with `libcrc64_` (`LIBCRC64_` for macros and constants), so that it cannot
 * collide with the crc64_* functions of other CRC code in the same program. The zlib-style short names of earlier
 * versions (`crc64_xz` and three more, at the end) are inline wrappers that export nothing.
 *
 * The header is C89 and C++98 or later. On Windows, define LIBCRC64_STATIC when linking the static library; without
 * it the declarations import from libcrc64's DLL (the CMake package sets this for you).
 */
#ifndef LIBCRC64_CRC64_H
#define LIBCRC64_CRC64_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* LIBCRC64_BUILDING is defined only while libcrc64 itself is compiled (crc64_internal.h). */
#if defined(_WIN32) || defined(__CYGWIN__)
#if defined(LIBCRC64_STATIC)
#define LIBCRC64_API
#elif defined(LIBCRC64_BUILDING)
#define LIBCRC64_API __declspec(dllexport)
#else
#define LIBCRC64_API __declspec(dllimport)
#endif
#elif defined(__GNUC__)
#define LIBCRC64_API __attribute__((visibility("default")))
#else
#define LIBCRC64_API
#endif

/* ---- Version ---- */

/* The version of this header. Semantic versioning: see the README's "Stability" section for what each part
 * promises. */
#define LIBCRC64_VERSION_MAJOR 0
#define LIBCRC64_VERSION_MINOR 2
#define LIBCRC64_VERSION_PATCH 0
#define LIBCRC64_VERSION_STRING "0.2.0"
/* The version of the library actually loaded, e.g. "0.2.0": compare with LIBCRC64_VERSION_STRING to detect a
 * different build at run time. */
LIBCRC64_API const char *libcrc64_version(void);

/* ---- Drop-in functions (zlib / ISA-L convention: pass 0 to start, the previous result to continue) ---- */

/* CRC-64/XZ (alias GO-ECMA): the value of Alibaba OSS `x-oss-hash-crc64ecma`; identical to ISA-L crc64_ecma_refl. */
LIBCRC64_API uint64_t libcrc64_xz(uint64_t crc, const void *buf, size_t len);
/* CRC-64/NVME: the value of AWS S3 `x-amz-checksum-crc64nvme`. */
LIBCRC64_API uint64_t libcrc64_nvme(uint64_t crc, const void *buf, size_t len);
/* CRC of A||B from crc1 = crc(A), crc2 = crc(B) and len2 = |B| in bytes, without the data. len2 == 0 returns crc1,
 * whatever crc2 is, as every CRC-64 combine does (Redis, the Alibaba OSS SDKs) and zlib's crc32_combine did up to
 * 1.2.11; zlib 1.2.12 and later return crc1 ^ crc2 there. See libcrc64_combine. */
LIBCRC64_API uint64_t libcrc64_xz_combine(uint64_t crc1, uint64_t crc2, uint64_t len2);
LIBCRC64_API uint64_t libcrc64_nvme_combine(uint64_t crc1, uint64_t crc2, uint64_t len2);

/* ---- Models (Rocksoft / reveng parameters, width 64, refin == refout) ---- */

typedef struct libcrc64_model libcrc64_model;

typedef enum libcrc64_preset {
    LIBCRC64_PRESET_XZ = 0,       /* poly 0x42f0e1eba9ea3693, reflected, init ~0, xorout ~0 (alias GO-ECMA) */
    LIBCRC64_PRESET_NVME = 1,     /* poly 0xad93d23594c93659, reflected, init ~0, xorout ~0 */
    LIBCRC64_PRESET_ECMA_182 = 2, /* poly 0x42f0e1eba9ea3693, not reflected, init 0, xorout 0 */
    LIBCRC64_PRESET_GO_ISO = 3,   /* poly 0x000000000000001b, reflected, init ~0, xorout ~0 */
    LIBCRC64_PRESET_WE = 4,       /* poly 0x42f0e1eba9ea3693, not reflected, init ~0, xorout ~0 */
    LIBCRC64_PRESET_MS = 5,       /* poly 0x259c84cba6426349, reflected, init ~0, xorout 0 */
    LIBCRC64_PRESET_REDIS = 6     /* poly 0xad93d23594c935a9, reflected, init 0, xorout 0 */
} libcrc64_preset;
#define LIBCRC64_PRESET_COUNT 7

typedef struct libcrc64_params {
    uint64_t poly;   /* generator without its x^64 term, most significant bit = x^63 (normal form) */
    uint64_t init;   /* register before the first bit, as the catalogue states it (unreflected) */
    uint64_t xorout; /* XORed into the final register */
    int reflected;   /* refin = refout: non-zero if bytes enter least significant bit first */
} libcrc64_params;

/* A preset's model, built on first use (lock-free, race-free) and never freed. NULL if `preset` is out of range or
 * if that first use finds no memory (about 113 KiB); the drop-in functions above assume it does. */
LIBCRC64_API const libcrc64_model *libcrc64_preset_model(libcrc64_preset preset);
/* Catalogue name, e.g. "CRC-64/XZ"; NULL if out of range. */
LIBCRC64_API const char *libcrc64_preset_name(libcrc64_preset preset);
/* Catalogue check value: the CRC of the nine ASCII bytes "123456789". */
LIBCRC64_API uint64_t libcrc64_preset_check(libcrc64_preset preset);
/* The preset's parameters, without building its model; all zero if out of range. */
LIBCRC64_API libcrc64_params libcrc64_preset_params(libcrc64_preset preset);

/* A custom model: any 64-bit polynomial, either bit order. NULL if memory is exhausted. Free with
 * libcrc64_model_free. */
LIBCRC64_API libcrc64_model *libcrc64_model_create(libcrc64_params params);
/* Frees a model from libcrc64_model_create. NULL is ignored. Never pass a preset. */
LIBCRC64_API void libcrc64_model_free(libcrc64_model *model);
LIBCRC64_API libcrc64_params libcrc64_model_params(const libcrc64_model *model);
/* The CRC of zero bytes (init ^ xorout, reflected as the model says): the value to start a computation from. */
LIBCRC64_API uint64_t libcrc64_model_empty(const libcrc64_model *model);
/* The same from the parameters alone, without building a model. */
LIBCRC64_API uint64_t libcrc64_params_empty(libcrc64_params params);

/* Continue `crc` (a final value) over `buf`; returns the final value of everything so far. */
LIBCRC64_API uint64_t libcrc64_update(const libcrc64_model *model, uint64_t crc, const void *buf, size_t len);
/* crc(A||B) from crc1 = crc(A), crc2 = crc(B) and len2 = |B| in bytes. O(log len2), no data.
 * len2 == 0 returns crc1 unchanged, whatever crc2 is: B is empty, so A||B is A. Every CRC-64 combine we know does
 * this (Redis, the Alibaba OSS SDKs in C, Go, Java, Python and Swift), and so did zlib's crc32_combine up to 1.2.11.
 * zlib 1.2.12 and later return crc1 ^ crc2 instead, which equals crc1 only when crc2 is the CRC of no bytes. */
LIBCRC64_API uint64_t libcrc64_combine(const libcrc64_model *model, uint64_t crc1, uint64_t crc2, uint64_t len2);
/* The value after appending `zeros` zero bytes to a message whose CRC is `crc`; `crc` itself when `zeros` is 0. */
LIBCRC64_API uint64_t libcrc64_extend_zeros(const libcrc64_model *model, uint64_t crc, uint64_t zeros);

/* A combine operator for many parts of one length: make it once, apply it to each part in O(1). Applying it gives
 * what libcrc64_combine gives for the same len2, so len2 == 0 returns crc1. */
typedef struct libcrc64_combiner {
    const libcrc64_model *model;
    uint64_t len2;
    uint64_t multiplier; /* x^(8*len2) mod P in the kernels' representation (unused when len2 == 0) */
} libcrc64_combiner;
LIBCRC64_API libcrc64_combiner libcrc64_combiner_make(const libcrc64_model *model, uint64_t len2);
LIBCRC64_API uint64_t libcrc64_combiner_apply(const libcrc64_combiner *combiner, uint64_t crc1, uint64_t crc2);

/* ---- Text forms of a value ---- */

/* The forms servers send a CRC-64 value in. */
typedef enum libcrc64_form {
    LIBCRC64_FORM_DECIMAL = 0, /* unsigned decimal, "11051210869376104954": Alibaba OSS x-oss-hash-crc64ecma */
    LIBCRC64_FORM_HEX = 1,     /* 16 hex digits, "995dc9bbdf1939fa" (written lowercase; either case is read) */
    LIBCRC64_FORM_BASE64 = 2   /* base64 of the 8 big-endian bytes, "mV3Ju98ZOfo=": AWS S3 x-amz-checksum-crc64nvme */
} libcrc64_form;

/* The bytes that the longest form needs, its terminating NUL included (20 decimal digits). */
#define LIBCRC64_FORM_SIZE 21

/* Writes `value` in `form`, then a NUL, into `text` (at least LIBCRC64_FORM_SIZE bytes) and returns the number of
 * characters written before the NUL: decimal without leading zeros, hex as 16 lowercase digits, base64 as 12
 * characters of the standard alphabet ending in one '='. An unknown form writes "" and returns 0. */
LIBCRC64_API size_t libcrc64_format(libcrc64_form form, uint64_t value, char *text);

/* Why a text is not a value in the form asked for. Exactly one applies: an unknown form before anything else, then the
 * others in this order. */
typedef enum libcrc64_parse_error {
    LIBCRC64_PARSE_OK = 0,
    LIBCRC64_PARSE_EMPTY = 1,             /* no characters */
    LIBCRC64_PARSE_NEGATIVE = 2,          /* decimal: a leading '-' (values are unsigned) */
    LIBCRC64_PARSE_INVALID_CHARACTER = 3, /* a byte that is not a digit of the form ('=' counts for base64) */
    LIBCRC64_PARSE_OVERFLOW = 4,          /* decimal: above 18446744073709551615 */
    LIBCRC64_PARSE_WRONG_LENGTH = 5,      /* hex: not 16 characters; base64: not 12 */
    LIBCRC64_PARSE_INVALID_PADDING = 6,   /* base64: not exactly one '=', at the end */
    LIBCRC64_PARSE_NON_CANONICAL = 7,     /* base64: the 11th character's two unused bits are not zero */
    LIBCRC64_PARSE_UNKNOWN_FORM = 8       /* `form` is none of the above */
} libcrc64_parse_error;

/* Parses the `length` bytes at `text` (no NUL needed; NULL with length 0) as a value in `form`, strictly: nothing
 * but the form's characters (no sign, spaces, prefix or newline), so that each value has one spelling, except that
 * decimal allows leading zeros and hex either case. On success stores the value and returns LIBCRC64_PARSE_OK;
 * otherwise leaves *value alone and returns the error, with the byte offset of the first invalid byte in *offset
 * for LIBCRC64_PARSE_INVALID_CHARACTER (`offset` may be NULL). */
LIBCRC64_API libcrc64_parse_error libcrc64_parse(libcrc64_form form, const char *text, size_t length, uint64_t *value,
                                                 size_t *offset);

/* A short English description of a parse error, e.g. "invalid character", for messages. */
LIBCRC64_API const char *libcrc64_parse_error_text(libcrc64_parse_error error);

/* ---- Kernels ---- */
/*
 * The kernels, best first (index 0 .. libcrc64_kernel_count() - 1): the carry-less ones of every architecture, those
 * of others listed as unsupported, then the portable one. Dispatch picks the best supported one once.
 * CRC64_KERNEL=<name> in the environment forces a kernel for the whole process and masks every kernel ranked above it
 * (the process then behaves like a CPU without those features); an unknown or unsupported name prints one warning on
 * stderr and leaves normal dispatch.
 */
LIBCRC64_API size_t libcrc64_kernel_count(void);
LIBCRC64_API const char *libcrc64_kernel_name(size_t index); /* e.g. "avx512"; NULL if out of range */
/* The CPU features the kernel needs, space-separated, named as Linux's /proc/cpuinfo names them ("flags" on x86,
 * "Features" on aarch64), e.g. "pmull sha3"; "" for the portable kernel; NULL if out of range. A kernel runs where the
 * CPU has them all, the OS saves the registers they use, and the library was built with it. */
LIBCRC64_API const char *libcrc64_kernel_features(size_t index);
LIBCRC64_API int libcrc64_kernel_supported(size_t index);    /* non-zero: this CPU has it, no override masks it */
LIBCRC64_API long libcrc64_kernel_index(const char *name);   /* -1 if no kernel has that name */
LIBCRC64_API const char *libcrc64_active_kernel(void);       /* the dispatched kernel's name */
/* libcrc64_update through one kernel. Returns 0 (and leaves *result alone) if that kernel is not supported, else 1. */
LIBCRC64_API int libcrc64_update_kernel(size_t index, const libcrc64_model *model, uint64_t crc, const void *buf,
                                        size_t len, uint64_t *result);

/* ---- Short names ---- */
/*
 * The zlib-style spellings of libcrc64 0.1, kept for source compatibility. They are static inline wrappers: they
 * export no symbol, so they cannot clash at link time with another library's crc64_xz. Define
 * LIBCRC64_NO_SHORT_NAMES before including this header to leave them out (in a file that also declares another
 * library's crc64_xz, say).
 */
#ifndef LIBCRC64_NO_SHORT_NAMES
#if defined(__cplusplus) || (defined(__STDC_VERSION__) && __STDC_VERSION__ >= 199901L)
#define LIBCRC64_SHORT_NAME static inline
#else
#define LIBCRC64_SHORT_NAME static __inline /* C89 has no inline; GCC, Clang and MSVC accept __inline there */
#endif
LIBCRC64_SHORT_NAME uint64_t crc64_xz(uint64_t crc, const void *buf, size_t len) {
    return libcrc64_xz(crc, buf, len);
}
LIBCRC64_SHORT_NAME uint64_t crc64_nvme(uint64_t crc, const void *buf, size_t len) {
    return libcrc64_nvme(crc, buf, len);
}
LIBCRC64_SHORT_NAME uint64_t crc64_xz_combine(uint64_t crc1, uint64_t crc2, uint64_t len2) {
    return libcrc64_xz_combine(crc1, crc2, len2);
}
LIBCRC64_SHORT_NAME uint64_t crc64_nvme_combine(uint64_t crc1, uint64_t crc2, uint64_t len2) {
    return libcrc64_nvme_combine(crc1, crc2, len2);
}
#undef LIBCRC64_SHORT_NAME
#endif

#ifdef __cplusplus
}
#endif

#endif /* LIBCRC64_CRC64_H */
