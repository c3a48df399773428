/* The text forms of a CRC-64 value that servers send: decimal (Alibaba OSS), hex, base64 of the big-endian bytes
 * (AWS S3). One strict parser and one formatter, for the C ABI and for the Swift and Python packages. */
#include "crc64_internal.h"

static const char base64_alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* The value of a base64 character, or -1. */
static int base64_value(unsigned char c) {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    return c == '+' ? 62 : c == '/' ? 63 : -1;
}

/* The value of a hexadecimal digit in either case, or -1. */
static int hex_value(unsigned char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

static bool is_form_character(libcrc64_form form, unsigned char c) {
    switch (form) {
    case LIBCRC64_FORM_DECIMAL: return c >= '0' && c <= '9';
    case LIBCRC64_FORM_HEX: return hex_value(c) >= 0;
    default: return c == '=' || base64_value(c) >= 0;
    }
}

size_t libcrc64_format(libcrc64_form form, uint64_t value, char *text) {
    size_t n = 0;
    switch (form) {
    case LIBCRC64_FORM_DECIMAL: {
        char reversed[20];
        do {
            reversed[n++] = (char)('0' + value % 10);
            value /= 10;
        } while (value);
        for (size_t i = 0; i < n; i++) text[i] = reversed[n - 1 - i];
        break;
    }
    case LIBCRC64_FORM_HEX:
        for (; n < 16; n++) text[n] = "0123456789abcdef"[(value >> (60 - 4 * n)) & 15];
        break;
    case LIBCRC64_FORM_BASE64:
        /* 64 bits = ten 6-bit groups, then the last 4 bits followed by two zero bits, then one '='. */
        for (; n < 10; n++) text[n] = base64_alphabet[(value >> (58 - 6 * n)) & 63];
        text[n++] = base64_alphabet[(value & 15) << 2];
        text[n++] = '=';
        break;
    }
    text[n] = '\0';
    return n;
}

/* The checks run in the order crc64.h documents, so that every input has one error, the same in every binding: the
 * form, emptiness, a decimal sign, the characters, then length, padding and canonical form. */
libcrc64_parse_error libcrc64_parse(libcrc64_form form, const char *text, size_t length, uint64_t *value,
                                    size_t *offset) {
    const unsigned char *s = (const unsigned char *)text;
    if ((unsigned)form > LIBCRC64_FORM_BASE64) return LIBCRC64_PARSE_UNKNOWN_FORM;
    if (length == 0) return LIBCRC64_PARSE_EMPTY;
    if (form == LIBCRC64_FORM_DECIMAL && s[0] == '-') return LIBCRC64_PARSE_NEGATIVE;
    for (size_t i = 0; i < length; i++) {
        if (!is_form_character(form, s[i])) {
            if (offset) *offset = i;
            return LIBCRC64_PARSE_INVALID_CHARACTER;
        }
    }
    uint64_t v = 0;
    switch (form) {
    case LIBCRC64_FORM_DECIMAL:
        for (size_t i = 0; i < length; i++) {
            const unsigned digit = s[i] - '0';
            if (v > (UINT64_MAX - digit) / 10) return LIBCRC64_PARSE_OVERFLOW;
            v = v * 10 + digit;
        }
        break;
    case LIBCRC64_FORM_HEX:
        if (length != 16) return LIBCRC64_PARSE_WRONG_LENGTH;
        for (size_t i = 0; i < 16; i++) v = v << 4 | (uint64_t)hex_value(s[i]);
        break;
    default: {
        if (length != 12) return LIBCRC64_PARSE_WRONG_LENGTH;
        for (size_t i = 0; i < 11; i++)
            if (s[i] == '=') return LIBCRC64_PARSE_INVALID_PADDING;
        if (s[11] != '=') return LIBCRC64_PARSE_INVALID_PADDING;
        for (size_t i = 0; i < 10; i++) v = v << 6 | (uint64_t)base64_value(s[i]);
        const uint64_t last = (uint64_t)base64_value(s[10]);
        if (last & 3) return LIBCRC64_PARSE_NON_CANONICAL; /* another spelling of a value: an encoder never writes it */
        v = v << 4 | last >> 2;
        break;
    }
    }
    *value = v;
    return LIBCRC64_PARSE_OK;
}

const char *libcrc64_parse_error_text(libcrc64_parse_error error) {
    switch (error) {
    case LIBCRC64_PARSE_OK: return "no error";
    case LIBCRC64_PARSE_EMPTY: return "empty";
    case LIBCRC64_PARSE_INVALID_CHARACTER: return "invalid character";
    case LIBCRC64_PARSE_OVERFLOW: return "above 18446744073709551615";
    case LIBCRC64_PARSE_NEGATIVE: return "negative";
    case LIBCRC64_PARSE_WRONG_LENGTH: return "wrong length";
    case LIBCRC64_PARSE_INVALID_PADDING: return "invalid padding";
    case LIBCRC64_PARSE_NON_CANONICAL: return "not canonical";
    case LIBCRC64_PARSE_UNKNOWN_FORM: return "unknown form";
    }
    return "unknown error";
}
