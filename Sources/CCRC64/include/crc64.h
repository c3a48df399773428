/*
 * crc64.h — the C ABI of swift-crc64 (libcrc64).
 *
 * Every CRC-64 value that crosses this interface is a *final* CRC value (after the model's xorout), exactly as
 * printed by a catalogue, sent by a server or returned by zlib-style functions. To start a computation pass the
 * model's empty value (`crc64_model_empty`, 0 for CRC-64/XZ and CRC-64/NVME); to continue, pass the previous
 * result. All functions are thread-safe; models are immutable once created. `len == 0` with a NULL buffer is valid.
 */
#ifndef CRC64_H
#define CRC64_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32)
#define CRC64_API __declspec(dllexport)
#else
#define CRC64_API __attribute__((visibility("default")))
#endif

/* ---- Version ---- */

/* The version of this header. Semantic versioning: see the README's "Stability" section for what each part
 * promises. */
#define CRC64_VERSION_MAJOR 0
#define CRC64_VERSION_MINOR 1
#define CRC64_VERSION_PATCH 0
#define CRC64_VERSION_STRING "0.1.0"
/* The version of the library actually loaded, e.g. "0.1.0": compare with CRC64_VERSION_STRING to detect a
 * different build at run time. */
CRC64_API const char *crc64_version(void);

/* ---- Drop-in functions (zlib / ISA-L convention: pass 0 to start, the previous result to continue) ---- */

/* CRC-64/XZ (alias GO-ECMA): the value of Alibaba OSS `x-oss-hash-crc64ecma`; identical to ISA-L crc64_ecma_refl. */
CRC64_API uint64_t crc64_xz(uint64_t crc, const void *buf, size_t len);
/* CRC-64/NVME: the value of AWS S3 `x-amz-checksum-crc64nvme`. */
CRC64_API uint64_t crc64_nvme(uint64_t crc, const void *buf, size_t len);
/* CRC of A||B from crc(A), crc(B) and the length of B, without the data. */
CRC64_API uint64_t crc64_xz_combine(uint64_t crc1, uint64_t crc2, uint64_t len2);
CRC64_API uint64_t crc64_nvme_combine(uint64_t crc1, uint64_t crc2, uint64_t len2);

/* ---- Models (Rocksoft / reveng parameters, width 64, refin == refout) ---- */

typedef struct crc64_model crc64_model;

typedef enum crc64_preset {
    CRC64_PRESET_XZ = 0,       /* poly 0x42f0e1eba9ea3693, reflected, init ~0, xorout ~0 (alias GO-ECMA) */
    CRC64_PRESET_NVME = 1,     /* poly 0xad93d23594c93659, reflected, init ~0, xorout ~0 */
    CRC64_PRESET_ECMA_182 = 2, /* poly 0x42f0e1eba9ea3693, not reflected, init 0, xorout 0 */
    CRC64_PRESET_GO_ISO = 3,   /* poly 0x000000000000001b, reflected, init ~0, xorout ~0 */
    CRC64_PRESET_WE = 4,       /* poly 0x42f0e1eba9ea3693, not reflected, init ~0, xorout ~0 */
    CRC64_PRESET_MS = 5,       /* poly 0x259c84cba6426349, reflected, init ~0, xorout 0 */
    CRC64_PRESET_REDIS = 6,    /* poly 0xad93d23594c935a9, reflected, init 0, xorout 0 */
} crc64_preset;
#define CRC64_PRESET_COUNT 7

typedef struct crc64_params {
    uint64_t poly;   /* generator without its x^64 term, most significant bit = x^63 (normal form) */
    uint64_t init;   /* register before the first bit, as the catalogue states it (unreflected) */
    uint64_t xorout; /* XORed into the final register */
    bool reflected;  /* refin = refout */
} crc64_params;

/* A preset's model, built on first use (lock-free, race-free) and never freed. NULL if `preset` is out of range or
 * if that first use finds no memory (about 113 KiB); the drop-in functions above assume it does. */
CRC64_API const crc64_model *crc64_preset_model(crc64_preset preset);
/* Catalogue name, e.g. "CRC-64/XZ"; NULL if out of range. */
CRC64_API const char *crc64_preset_name(crc64_preset preset);
/* Catalogue check value: the CRC of the nine ASCII bytes "123456789". */
CRC64_API uint64_t crc64_preset_check(crc64_preset preset);
/* The preset's parameters, without building its model; all zero if out of range. */
CRC64_API crc64_params crc64_preset_params(crc64_preset preset);

/* A custom model: any 64-bit polynomial, either bit order. NULL if memory is exhausted. Free with crc64_model_free. */
CRC64_API crc64_model *crc64_model_create(crc64_params params);
/* Frees a model from crc64_model_create. NULL is ignored. Never pass a preset. */
CRC64_API void crc64_model_free(crc64_model *model);
CRC64_API crc64_params crc64_model_params(const crc64_model *model);
/* The CRC of zero bytes (init ^ xorout, reflected as the model says): the value to start a computation from. */
CRC64_API uint64_t crc64_model_empty(const crc64_model *model);
/* The same from the parameters alone, without building a model. */
CRC64_API uint64_t crc64_params_empty(crc64_params params);

/* Continue `crc` (a final value) over `buf`; returns the final value of everything so far. */
CRC64_API uint64_t crc64_update(const crc64_model *model, uint64_t crc, const void *buf, size_t len);
/* crc(A||B) from crc1 = crc(A), crc2 = crc(B) and len2 = |B| in bytes. O(log len2), no data. */
CRC64_API uint64_t crc64_combine(const crc64_model *model, uint64_t crc1, uint64_t crc2, uint64_t len2);
/* The value after appending `zeros` zero bytes to a message whose CRC is `crc`. */
CRC64_API uint64_t crc64_extend_zeros(const crc64_model *model, uint64_t crc, uint64_t zeros);

/* A combine operator for many parts of one length: make it once, apply it to each part in O(1). */
typedef struct crc64_combiner {
    const crc64_model *model;
    uint64_t len2;
    uint64_t multiplier; /* x^(8*len2) mod P in the kernels' representation (unused when len2 == 0) */
} crc64_combiner;
CRC64_API crc64_combiner crc64_combiner_make(const crc64_model *model, uint64_t len2);
CRC64_API uint64_t crc64_combiner_apply(const crc64_combiner *combiner, uint64_t crc1, uint64_t crc2);

/* ---- Kernels ---- */
/*
 * Kernels are listed best first: avx512, avx2, pclmul, pmull-eor3, pmull, slice16 (those of other architectures are
 * listed as unsupported). Dispatch picks the best supported one once. CRC64_KERNEL=<name> in the environment forces a
 * kernel for the whole process and masks every kernel ranked above it (the process then behaves like a CPU without
 * those features); an unknown or unsupported name prints one warning on stderr and leaves normal dispatch.
 */
CRC64_API size_t crc64_kernel_count(void);
CRC64_API const char *crc64_kernel_name(size_t index);   /* NULL if out of range */
CRC64_API bool crc64_kernel_supported(size_t index);     /* this CPU has it and no override masks it */
CRC64_API long crc64_kernel_index(const char *name);     /* -1 if no kernel has that name */
CRC64_API const char *crc64_active_kernel(void);         /* the dispatched kernel's name */
/* crc64_update through one kernel. Returns false (and leaves *result alone) if that kernel is not supported. */
CRC64_API bool crc64_update_kernel(size_t index, const crc64_model *model, uint64_t crc, const void *buf, size_t len,
                                   uint64_t *result);

#ifdef __cplusplus
}
#endif

#endif /* CRC64_H */
