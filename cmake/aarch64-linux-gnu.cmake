# Cross-compiling libcrc64 for Linux on aarch64 with Debian's cross toolchain (apt-get install gcc-aarch64-linux-gnu
# libc6-dev-arm64-cross):
#   cmake -S . -B build-aarch64 -DCMAKE_TOOLCHAIN_FILE=cmake/aarch64-linux-gnu.cmake
# To run ctest under qemu-user as well, add
#   -DCMAKE_CROSSCOMPILING_EMULATOR="qemu-aarch64-static;-L;/usr/aarch64-linux-gnu;-cpu;max"
#   -DCRC64_EXPECT_KERNEL=pmull-eor3
# (-cpu max has PMULL and SHA3: pmull-eor3; -cpu cortex-a57 has PMULL only: pmull).
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)

set(CRC64_CROSS_PREFIX aarch64-linux-gnu- CACHE STRING "Prefix of the cross toolchain's tools")
set(CMAKE_C_COMPILER ${CRC64_CROSS_PREFIX}gcc)
set(CMAKE_FIND_ROOT_PATH /usr/aarch64-linux-gnu)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
