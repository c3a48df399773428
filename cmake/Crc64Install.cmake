# Install: the libraries, crc64.h under its plain name (not SwiftPM's umbrella CCRC64.h), crc64.pc, and the CMake
# package crc64: find_package(crc64 CONFIG) gives crc64::crc64 (and crc64::crc64_static when both kinds are built).
include(CMakePackageConfigHelpers)

set(_crc64_targets crc64)
if(TARGET crc64_static)
    list(APPEND _crc64_targets crc64_static)
endif()
install(TARGETS ${_crc64_targets} EXPORT crc64Targets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES "${CRC64_HEADER}" DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})

set(_crc64_cmake_dir ${CMAKE_INSTALL_LIBDIR}/cmake/crc64)
install(EXPORT crc64Targets NAMESPACE crc64:: DESTINATION ${_crc64_cmake_dir})
# Compatible versions follow the SONAME: the same minor while 0.x, the same major from 1.0 on.
if(PROJECT_VERSION_MAJOR EQUAL 0)
    set(_crc64_compatibility SameMinorVersion)
else()
    set(_crc64_compatibility SameMajorVersion)
endif()
write_basic_package_version_file("${CMAKE_CURRENT_BINARY_DIR}/crc64ConfigVersion.cmake"
                                 COMPATIBILITY ${_crc64_compatibility})
install(FILES "${PROJECT_SOURCE_DIR}/cmake/crc64Config.cmake" "${CMAKE_CURRENT_BINARY_DIR}/crc64ConfigVersion.cmake"
        DESTINATION ${_crc64_cmake_dir})

# crc64.pc holds absolute paths, so it is written at install time, for the prefix given then
# (cmake --install build --prefix P; DESTDIR stages it without changing it).
foreach(_dir LIBDIR INCLUDEDIR)
    if(IS_ABSOLUTE "${CMAKE_INSTALL_${_dir}}")
        set(CRC64_PC_${_dir} "${CMAKE_INSTALL_${_dir}}")
    else()
        set(CRC64_PC_${_dir} "\${prefix}/${CMAKE_INSTALL_${_dir}}")
    endif()
endforeach()
set(CRC64_PC_PREFIX "@CRC64_PC_PREFIX@") # kept for the install-time pass
configure_file("${PROJECT_SOURCE_DIR}/cmake/crc64.pc.in" "${CMAKE_CURRENT_BINARY_DIR}/crc64.pc.in" @ONLY)
install(CODE "set(CRC64_PC_PREFIX \"\${CMAKE_INSTALL_PREFIX}\")
configure_file(\"${CMAKE_CURRENT_BINARY_DIR}/crc64.pc.in\" \"${CMAKE_CURRENT_BINARY_DIR}/crc64.pc\" @ONLY)")
install(FILES "${CMAKE_CURRENT_BINARY_DIR}/crc64.pc" DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
