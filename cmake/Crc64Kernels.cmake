# Which SIMD kernels this compiler can build. Each kernel family's file is compiled here as the library will compile
# it; a kernel that fails is left out with the define the sources honour (CRC64_NO_<ID>), so the library still builds
# and dispatches to the kernels it has. The kernels, their ranking and the CPU features each needs are read from the
# library's one list of them (CRC64_KERNELS in crc64_internal.h): the probes must decide what to compile before
# anything can be built and run. Sets CRC64_KERNEL_DEFINES, CRC64_KERNEL_NAMES (every kernel, best first) and
# CRC64_LEFT_OUT (the names of those this compiler cannot build).

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

# The list: CRC64_KERNEL(id, "name", "features") rows.
file(READ "${PROJECT_SOURCE_DIR}/Sources/CCRC64/crc64_internal.h" _crc64_text)
set(_crc64_row "CRC64_KERNEL\\(([a-z0-9_]+), \"([^\"]+)\", \"([^\"]*)\"\\)")
string(REGEX MATCHALL "${_crc64_row}" _crc64_rows "${_crc64_text}")
set(_crc64_ids "")
set(CRC64_KERNEL_NAMES "")
foreach(_row IN LISTS _crc64_rows)
    string(REGEX MATCH "${_crc64_row}" _row "${_row}")
    list(APPEND _crc64_ids ${CMAKE_MATCH_1})
    list(APPEND CRC64_KERNEL_NAMES ${CMAKE_MATCH_2})
    set(_crc64_name_${CMAKE_MATCH_1} ${CMAKE_MATCH_2})
    set(_crc64_features_${CMAKE_MATCH_1} "${CMAKE_MATCH_3}")
endforeach()
if(NOT _crc64_ids)
    message(FATAL_ERROR "found no CRC64_KERNEL(...) lines in Sources/CCRC64/crc64_internal.h")
endif()

# crc64_probe_family(<file> <id>...): compiles <file>, which defines the kernels <id>... (best first); each failure
# leaves the best remaining kernel out (CRC64_NO_<ID>) and tries again. A family of another architecture compiles to
# "not compiled in" on the first try.
function(crc64_probe_family file)
    set(ids ${ARGN})
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
        try_compile(_crc64_probe_ok "${dir}" SOURCES "${PROJECT_SOURCE_DIR}/${file}" COMPILE_DEFINITIONS ${flags}
                    C_STANDARD 11 OUTPUT_VARIABLE output)
        set(ok ${_crc64_probe_ok})
        unset(_crc64_probe_ok CACHE) # probe again at every configuration: the compiler or its flags may change
        if(ok)
            break()
        endif()
        if(NOT ids)
            message(FATAL_ERROR "${file} does not compile even with every kernel left out (${defines}):\n${output}")
        endif()
        list(POP_FRONT ids id)
        string(TOUPPER "CRC64_NO_${id}" define)
        list(APPEND defines ${define})
        list(APPEND left_out ${_crc64_name_${id}})
        string(REGEX MATCH "[^\n]*error:[^\n]*" first_error "${output}")
        message(STATUS "libcrc64: ${CMAKE_C_COMPILER_ID} ${CMAKE_C_COMPILER_VERSION} does not compile ${file} with "
                       "the ${_crc64_name_${id}} kernel in: ${first_error}")
    endwhile()
    set(CRC64_KERNEL_DEFINES ${CRC64_KERNEL_DEFINES} ${defines} PARENT_SCOPE)
    set(CRC64_LEFT_OUT ${CRC64_LEFT_OUT} ${left_out} PARENT_SCOPE)
endfunction()

# Each file of CRC64_SOURCES that defines kernels needing CPU features (the portable one needs none) is a family.
set(CRC64_KERNEL_DEFINES "")
set(CRC64_LEFT_OUT "")
foreach(_file IN LISTS CRC64_SOURCES)
    file(READ "${PROJECT_SOURCE_DIR}/${_file}" _text)
    set(_family "")
    foreach(_id IN LISTS _crc64_ids)
        if(_crc64_features_${_id} AND _text MATCHES "libcrc64_kernel_${_id} =")
            list(APPEND _family ${_id})
        endif()
    endforeach()
    if(_family)
        crc64_probe_family(${_file} ${_family})
    endif()
endforeach()
if(CRC64_LEFT_OUT)
    list(JOIN CRC64_LEFT_OUT " " _crc64_list)
    message(WARNING "libcrc64: left out (this compiler cannot build them): ${_crc64_list}. The library dispatches "
                    "to the kernels it has; a newer GCC or Clang builds them all.")
else()
    message(STATUS "libcrc64 ${PROJECT_VERSION}: this compiler builds every kernel of the target's architecture")
endif()
