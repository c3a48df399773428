# Which SIMD kernels this compiler can build. Each kernel family's files are compiled here as the library will compile
# them; a kernel that fails is left out with the define the sources honour (CRC64_NO_<KERNEL>), so the library still
# builds and dispatches to the kernels it has. Sets CRC64_KERNEL_DEFINES and CRC64_KERNELS (compiled in, best first).

# CRC64_COMPILER_FLAGS: what the compiler needs for the library's sources (and the tests') beyond C_STANDARD 11.
set(CRC64_COMPILER_FLAGS "")
if(CMAKE_C_COMPILER_ID STREQUAL "MSVC")
    # The sources have MSVC's code paths (crc64_internal.h's platform section), checked in CI only by clang compiling
    # them as MSVC would see them; ctest is what shows a build good. Its C11 atomics need /experimental:c11atomics,
    # and C_STANDARD 11 gives /std:c11 from CMake 3.21 on.
    if(CMAKE_VERSION VERSION_LESS 3.21)
        message(FATAL_ERROR "libcrc64 with MSVC needs CMake 3.21 or later (for /std:c11); this is ${CMAKE_VERSION}")
    endif()
    set(CRC64_COMPILER_FLAGS /experimental:c11atomics)
    message(WARNING "libcrc64 is not built with MSVC by this project's CI (${CMAKE_C_COMPILER}): Visual Studio 2022 "
                    "17.5 or later is needed, and ctest tells whether this build is good. mingw-w64 GCC is tested.")
elseif(NOT CMAKE_C_COMPILER_ID MATCHES "^(GNU|Clang|AppleClang|IntelLLVM)$")
    message(WARNING "libcrc64 is built and tested with GCC and Clang, not ${CMAKE_C_COMPILER_ID} "
                    "(${CMAKE_C_COMPILER}): the kernels it cannot compile are left out (see below).")
endif()

include(CheckCSourceCompiles)
check_c_source_compiles("#if !defined(__x86_64__) && !defined(_M_X64)\n#error\n#endif\nint main(void) { return 0; }"
                        CRC64_TARGET_X86_64)
check_c_source_compiles("#if !defined(__aarch64__) || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__\n#error\n#endif
int main(void) { return 0; }" CRC64_TARGET_AARCH64)

# crc64_probe_family(<name> <kernel> <define> [<kernel> <define>...]): compiles the files of CRC64_SOURCES whose
# names start with <name>; the levels go from the widest kernel down, and each failure adds that level's define
# (leaving that kernel and those above it out) and tries again.
function(crc64_probe_family name)
    set(levels ${ARGN})
    set(files ${CRC64_SOURCES})
    list(FILTER files INCLUDE REGEX "/${name}[^/]*\\.c$")
    list(TRANSFORM files PREPEND "${PROJECT_SOURCE_DIR}/")
    if(NOT files)
        message(FATAL_ERROR "CRC64_SOURCES has no ${name}*.c: update the kernel families at the end of "
                            "cmake/Crc64Kernels.cmake")
    endif()
    set(defines "")
    set(left_out "")
    set(dir "${CMAKE_BINARY_DIR}/CMakeFiles/crc64-kernel-probe")
    while(TRUE)
        set(flags "-I${PROJECT_SOURCE_DIR}/Sources/CCRC64/include" "-I${PROJECT_SOURCE_DIR}/Sources/CCRC64")
        foreach(d IN LISTS defines)
            list(APPEND flags "-D${d}")
        endforeach()
        list(APPEND flags ${CRC64_COMPILER_FLAGS})
        set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)
        try_compile(_crc64_probe_ok "${dir}" SOURCES ${files} COMPILE_DEFINITIONS ${flags}
                    C_STANDARD 11 OUTPUT_VARIABLE output)
        set(ok ${_crc64_probe_ok})
        unset(_crc64_probe_ok CACHE) # probe again at every configuration: the compiler or its flags may change
        if(ok)
            break()
        endif()
        if(NOT levels)
            message(FATAL_ERROR "${name}*.c do not compile even with every kernel left out (${defines}):\n${output}")
        endif()
        list(GET levels 0 kernel)
        list(GET levels 1 define)
        list(REMOVE_AT levels 0 1)
        list(APPEND defines ${define})
        list(APPEND left_out ${kernel})
        string(REGEX MATCH "[^\n]*error:[^\n]*" first_error "${output}")
        message(STATUS "libcrc64: ${CMAKE_C_COMPILER_ID} ${CMAKE_C_COMPILER_VERSION} does not compile ${name}*.c "
                       "with the ${kernel} kernel in: ${first_error}")
    endwhile()
    set(kept "")
    while(levels)
        list(GET levels 0 kernel)
        list(REMOVE_AT levels 0 1)
        list(APPEND kept ${kernel})
    endwhile()
    if(left_out)
        list(JOIN left_out " " left_out)
        message(WARNING "libcrc64: left out (this compiler cannot build them): ${left_out}. The library dispatches "
                        "to the kernels it has; a newer GCC or Clang builds them all.")
    endif()
    set(CRC64_KERNEL_DEFINES ${CRC64_KERNEL_DEFINES} ${defines} PARENT_SCOPE)
    set(CRC64_KERNELS ${CRC64_KERNELS} ${kept} PARENT_SCOPE)
endfunction()

set(CRC64_KERNEL_DEFINES "")
set(CRC64_KERNELS "")
if(CRC64_TARGET_X86_64)
    crc64_probe_family(crc64_x86 avx512 CRC64_NO_AVX512 avx2 CRC64_NO_AVX2 pclmul CRC64_NO_PCLMUL)
elseif(CRC64_TARGET_AARCH64)
    crc64_probe_family(crc64_arm pmull-eor3 CRC64_NO_PMULL_EOR3 pmull CRC64_NO_PMULL)
endif()
list(APPEND CRC64_KERNELS slice16)
list(JOIN CRC64_KERNELS " " _crc64_list)
message(STATUS "libcrc64 ${PROJECT_VERSION}: kernels compiled in (best first): ${_crc64_list}")
