/*
 * crc64file — a file's CRC-64/XZ with libcrc64, as Alibaba Cloud OSS reports it in x-oss-hash-crc64ecma: an unsigned
 * decimal.
 *
 *   crc64file FILE...      prints "<decimal>  <file>" for each FILE
 *
 * The file is read in chunks and each chunk continues the previous value (libcrc64_xz, zlib convention: 0 to start).
 * Alongside, the file's two halves are hashed separately and joined with libcrc64_xz_combine, which must give the same
 * value: how the CRC of a multipart upload follows from its parts.
 *
 * Exit status: 0 all files hashed; 1 a file could not be read (the others are still hashed) or the output could not
 * be written; 2 usage error; 3 the combined halves disagree with the streamed value (a library fault).
 */
#define _POSIX_C_SOURCE 200809L /* fileno */

#include <crc64.h>

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

enum { EXIT_TROUBLE = 1, EXIT_USAGE = 2, EXIT_MISMATCH = 3 };

static int usage(FILE *out, int status) {
    fprintf(out,
            "usage: crc64file FILE...\n"
            "Prints each FILE's CRC-64/XZ as an unsigned decimal (the x-oss-hash-crc64ecma value of Alibaba Cloud "
            "OSS).\n"
            "Exit status: 0 ok, 1 a file could not be read (or the output written), 2 usage error, 3 internal "
            "mismatch.\n");
    return status;
}

/* Hashes one file; returns 0 or an exit status, after printing the value or the reason. */
static int hash_file(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "crc64file: %s: %s\n", path, strerror(errno));
        return EXIT_TROUBLE;
    }
    /* The split point for the combine check: half of a regular file; other files (pipes) have no size to halve, so
     * their whole content is the second part. */
    struct stat st;
    const uint64_t split = fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) ? (uint64_t)st.st_size / 2 : 0;

    static unsigned char buf[1 << 16];
    uint64_t crc = 0, first = 0, second = 0, offset = 0;
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
        crc = libcrc64_xz(crc, buf, n);
        const size_t in_first = offset < split ? (size_t)(split - offset < n ? split - offset : n) : 0;
        first = libcrc64_xz(first, buf, in_first);
        second = libcrc64_xz(second, buf + in_first, n - in_first);
        offset += n;
    }
    const int read_errno = errno;
    if (ferror(f)) {
        fprintf(stderr, "crc64file: %s: %s\n", path, strerror(read_errno));
        fclose(f);
        return EXIT_TROUBLE;
    }
    fclose(f);

    const uint64_t first_length = offset < split ? offset : split;
    const uint64_t combined = libcrc64_xz_combine(first, second, offset - first_length);
    if (combined != crc) {
        fprintf(stderr, "crc64file: %s: the halves combine to %" PRIu64 ", the whole file gives %" PRIu64 "\n", path,
                combined, crc);
        return EXIT_MISMATCH;
    }
    printf("%" PRIu64 "  %s\n", crc, path);
    return 0;
}

int main(int argc, char **argv) {
    int first_file = 1;
    if (argc > 1 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) return usage(stdout, 0);
    if (argc > 1 && strcmp(argv[1], "--version") == 0) {
        printf("crc64file with libcrc64 %s (built against crc64.h %s)\n", libcrc64_version(), LIBCRC64_VERSION_STRING);
        return 0;
    }
    if (argc > 1 && strcmp(argv[1], "--") == 0) first_file = 2;
    if (first_file >= argc) return usage(stderr, EXIT_USAGE);
    for (int i = first_file; i < argc; i++) {
        if (first_file == 1 && argv[i][0] == '-' && argv[i][1] != '\0') {
            fprintf(stderr, "crc64file: unknown option %s (use -- before a file name that starts with -)\n", argv[i]);
            return usage(stderr, EXIT_USAGE);
        }
    }

    int status = 0;
    for (int i = first_file; i < argc; i++) {
        const int s = hash_file(argv[i]);
        if (s > status) status = s;
    }
    if (fflush(stdout) != 0) {
        fprintf(stderr, "crc64file: writing the output: %s\n", strerror(errno));
        return EXIT_TROUBLE;
    }
    return status;
}
