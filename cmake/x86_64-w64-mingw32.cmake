# Cross-compiling libcrc64 for Windows x86_64 with Debian's mingw-w64 (apt-get install gcc-mingw-w64-x86-64):
#   cmake -S . -B build-windows -DCMAKE_TOOLCHAIN_FILE=cmake/x86_64-w64-mingw32.cmake
# builds libcrc64.dll, its import library libcrc64.dll.a and the static library libcrc64.a. To run ctest under Wine
# as well (apt-get install wine64, then once `WINEPREFIX=<dir> /usr/lib/wine/wine64 wineboot -i`), add
#   -DCMAKE_CROSSCOMPILING_EMULATOR=/usr/lib/wine/wine64
# (Wine runs the code on this very CPU, so the tests expect the kernel that /proc/cpuinfo allows, as natively).
# A package installed outside the mingw root, as libcrc64 for examples/c, is found with
# -D<package>_DIR=<its prefix>/lib/cmake/<package>.
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR AMD64)

set(CRC64_CROSS_PREFIX x86_64-w64-mingw32- CACHE STRING "Prefix of the cross toolchain's tools")
set(CMAKE_C_COMPILER ${CRC64_CROSS_PREFIX}gcc)
set(CMAKE_RC_COMPILER ${CRC64_CROSS_PREFIX}windres)
set(CMAKE_FIND_ROOT_PATH /usr/x86_64-w64-mingw32)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
