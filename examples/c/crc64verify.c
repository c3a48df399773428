/*
 * crc64verify — checks a file against the CRC-64 an object store sent for it, with libcrc64's parser and formatter.
 *
 *   crc64verify oss VALUE FILE   VALUE is x-oss-hash-crc64ecma (Alibaba Cloud OSS): CRC-64/XZ, unsigned decimal
 *   crc64verify s3 VALUE FILE    VALUE is x-amz-checksum-crc64nvme (AWS S3): CRC-64/NVME, base64 of 8 big-endian bytes
 *
 * Prints "FILE: OK" or "FILE: MISMATCH: computed C, expected V" (in the header's own form). A VALUE that is not
 * exactly what the server sends (a sign, spaces, a wrong length, non-canonical base64...) is refused with the reason.
 * Exit status: 0 match, 1 mismatch, 2 usage error, bad VALUE or unreadable FILE.
 */
#include <crc64.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv) {
    if (argc != 4 || (strcmp(argv[1], "oss") != 0 && strcmp(argv[1], "s3") != 0)) {
        fprintf(stderr, "usage: crc64verify oss|s3 VALUE FILE\n");
        return 2;
    }
    const int oss = strcmp(argv[1], "oss") == 0;
    const libcrc64_form form = oss ? LIBCRC64_FORM_DECIMAL : LIBCRC64_FORM_BASE64;
    const char *value_text = argv[2], *path = argv[3];

    uint64_t expected;
    size_t offset = 0;
    const libcrc64_parse_error error = libcrc64_parse(form, value_text, strlen(value_text), &expected, &offset);
    if (error == LIBCRC64_PARSE_INVALID_CHARACTER) {
        fprintf(stderr, "crc64verify: '%s' is not a %s value: invalid character at offset %zu\n", value_text,
                oss ? "decimal" : "base64", offset);
        return 2;
    }
    if (error != LIBCRC64_PARSE_OK) {
        fprintf(stderr, "crc64verify: '%s' is not a %s value: %s\n", value_text, oss ? "decimal" : "base64",
                libcrc64_parse_error_text(error));
        return 2;
    }

    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "crc64verify: %s: %s\n", path, strerror(errno));
        return 2;
    }
    static unsigned char buf[1 << 16];
    uint64_t crc = 0; /* the empty value of both models */
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) crc = oss ? libcrc64_xz(crc, buf, n) : libcrc64_nvme(crc, buf, n);
    const int failed = ferror(f);
    fclose(f);
    if (failed) {
        fprintf(stderr, "crc64verify: %s: read error\n", path);
        return 2;
    }

    if (crc == expected) {
        printf("%s: OK\n", path);
        return 0;
    }
    char computed[LIBCRC64_FORM_SIZE], canonical[LIBCRC64_FORM_SIZE];
    libcrc64_format(form, crc, computed);
    libcrc64_format(form, expected, canonical);
    printf("%s: MISMATCH: computed %s, expected %s\n", path, computed, canonical);
    return 1;
}
