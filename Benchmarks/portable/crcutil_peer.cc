// crcutil's multiword kernel (Kadatch & Jenkins; Debian libcrcutil-dev) behind a C entry point for bench.c.
// crcutil implements reflected CRCs only: this is CRC-64/XZ.
#include <crcutil/generic_crc.h>

typedef crcutil::GenericCrc<crcutil::uint64, crcutil::uint64, crcutil::uint64, 4> Multiword;
static Multiword *multiword;

extern "C" void crcutil_xz_init(void) {
    multiword = new Multiword(0xC96C5795D7870F42ULL, 64, true); // the XZ polynomial, bit-reversed; init = xorout = ~0
}

// CrcDefault is CrcMultiword on amd64 (the library's assembler loop).
extern "C" unsigned long long crcutil_xz(unsigned long long crc, const void *p, unsigned long n) {
    return multiword->CrcDefault(p, n, crc);
}
