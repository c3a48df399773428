# crc64_add_library(<target> SHARED|STATIC): libcrc64 from CRC64_SOURCES with the kernels Crc64Kernels.cmake found,
# plus the alias crc64::<target>.
include(GNUInstallDirs)
include(CheckCCompilerFlag)
include(CheckCSourceCompiles)

# Speed as SwiftPM builds the C target (Package.swift): no frame pointer in leaf functions (the kernels and the entry
# points that jump to them) on Linux, even where the toolchain's defaults keep frame pointers.
set(CRC64_SPEED_FLAGS "")
if(CMAKE_SYSTEM_NAME STREQUAL "Linux")
    check_c_compiler_flag(-momit-leaf-frame-pointer CRC64_HAS_OMIT_LEAF_FRAME_POINTER)
    if(CRC64_HAS_OMIT_LEAF_FRAME_POINTER)
        list(APPEND CRC64_SPEED_FLAGS -momit-leaf-frame-pointer)
    endif()
endif()
# In position-independent code GCC neither inlines the library's own exported functions nor calls them directly
# (libcrc64_xz would jump to libcrc64_update, through the PLT in libcrc64.so) unless told they are not interposed; clang
# assumes so already.
check_c_compiler_flag(-fno-semantic-interposition CRC64_HAS_NO_SEMANTIC_INTERPOSITION)
if(CRC64_HAS_NO_SEMANTIC_INTERPOSITION)
    list(APPEND CRC64_SPEED_FLAGS -fno-semantic-interposition)
endif()

# The shared library exports crc64.h's API and nothing else: hidden visibility for all that the header does not mark
# LIBCRC64_API, and on ELF a version script that keeps only libcrc64_* (dropping the linker's own symbols too). A
# Windows DLL exports what crc64.h marks __declspec(dllexport) and nothing else.
set(CRC64_VERSION_SCRIPT "${PROJECT_SOURCE_DIR}/cmake/libcrc64.map")
if(NOT WIN32)
    set(CMAKE_REQUIRED_LINK_OPTIONS "-Wl,--version-script=${CRC64_VERSION_SCRIPT}")
    check_c_source_compiles("int main(void) { return 0; }" CRC64_HAS_VERSION_SCRIPT)
    unset(CMAKE_REQUIRED_LINK_OPTIONS)
endif()

# SONAME: libcrc64.so.0.MINOR while the version is 0.x (a 0.x minor release may change the ABI), libcrc64.so.MAJOR
# from 1.0 on (only a new major changes it). README.md, "Stability", states the promise.
if(PROJECT_VERSION_MAJOR EQUAL 0)
    set(CRC64_SOVERSION "0.${PROJECT_VERSION_MINOR}")
else()
    set(CRC64_SOVERSION "${PROJECT_VERSION_MAJOR}")
endif()

function(crc64_add_library target kind)
    add_library(${target} ${kind} ${CRC64_SOURCES})
    add_library(crc64::${target} ALIAS ${target})
    set_target_properties(${target} PROPERTIES
        OUTPUT_NAME crc64
        C_STANDARD 11
        C_STANDARD_REQUIRED ON
        C_EXTENSIONS OFF
        C_VISIBILITY_PRESET hidden)
    target_include_directories(${target} PUBLIC
        "$<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/Sources/CCRC64/include>"
        "$<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>")
    target_compile_definitions(${target} PRIVATE ${CRC64_KERNEL_DEFINES})
    # Without a build type (a parent project's default under add_subdirectory) CMake adds no -O at all, and the
    # intrinsics-based kernels run many times slower; optimise them anyway.
    target_compile_options(${target} PRIVATE ${CRC64_COMPILER_FLAGS} ${CRC64_SPEED_FLAGS} $<$<CONFIG:>:-O2>)
    if(kind STREQUAL "STATIC")
        # crc64.h declares the API without dllimport for a static library (Windows); its users get the define too,
        # through this target and the installed CMake package.
        target_compile_definitions(${target} PUBLIC LIBCRC64_STATIC)
    endif()
    if(target STREQUAL "crc64_static" AND CMAKE_STATIC_LIBRARY_SUFFIX STREQUAL CMAKE_IMPORT_LIBRARY_SUFFIX)
        # MSVC names the DLL's import library crc64.lib too: the static one beside it is crc64_static.lib. (mingw-w64
        # keeps the GNU names, libcrc64.dll.a and libcrc64.a, and -lcrc64 takes the DLL as on Linux it takes the .so.)
        set_target_properties(${target} PROPERTIES OUTPUT_NAME crc64_static)
    endif()
    if(kind STREQUAL "STATIC" AND NOT DEFINED CMAKE_POSITION_INDEPENDENT_CODE)
        # So that libcrc64.a links into shared objects too (a plugin, a Python extension), not only executables.
        set_target_properties(${target} PROPERTIES POSITION_INDEPENDENT_CODE ON)
    endif()
    if(kind STREQUAL "SHARED")
        set_target_properties(${target} PROPERTIES VERSION ${PROJECT_VERSION} SOVERSION ${CRC64_SOVERSION})
        if(CRC64_HAS_VERSION_SCRIPT)
            target_link_options(${target} PRIVATE "-Wl,--version-script=${CRC64_VERSION_SCRIPT}")
            set_property(TARGET ${target} APPEND PROPERTY LINK_DEPENDS "${CRC64_VERSION_SCRIPT}")
        endif()
    endif()
endfunction()
