#===- Install.cmake - The installed QuantMLIR CMake package ---------------===#
#
# `cmake --install` puts the headers (with the generated .inc files and
# the .td files), the libraries, the tools and a QuantMLIRConfig.cmake under
# the prefix; downstream projects use them with find_package(QuantMLIR).
#
#===----------------------------------------------------------------------===#

include(CMakePackageConfigHelpers)

# Every library add_mlir_*_library made in this project (MLIR_ALL_LIBS also
# lists upstream's, from MLIRConfig), and one target that links them all.
get_property(QNN_ALL_LIBS GLOBAL PROPERTY MLIR_ALL_LIBS)
set(QNN_LIBRARIES ${QNN_ALL_LIBS})
list(FILTER QNN_LIBRARIES INCLUDE REGEX "^MLIRQNN")
add_library(QuantMLIR INTERFACE)
target_link_libraries(QuantMLIR INTERFACE ${QNN_LIBRARIES})
target_include_directories(QuantMLIR INTERFACE
  $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/include>
  $<BUILD_INTERFACE:${PROJECT_BINARY_DIR}/include>
  $<INSTALL_INTERFACE:include>
  )
# The libraries add_mlir_library installs join the export set MLIRTargets.
install(TARGETS QuantMLIR EXPORT MLIRTargets)

install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/qnn ${PROJECT_SOURCE_DIR}/include/qnn-c
  DESTINATION include
  FILES_MATCHING PATTERN "*.h" PATTERN "*.td"
  PATTERN "CMakeFiles" EXCLUDE)
install(DIRECTORY ${PROJECT_BINARY_DIR}/include/qnn
  DESTINATION include
  FILES_MATCHING PATTERN "*.inc" PATTERN "*.h"
  PATTERN "CMakeFiles" EXCLUDE)

install(TARGETS quant-opt quant-translate quant-compile quant-calibrate
  quant-report
  RUNTIME DESTINATION bin)

# The PyTorch exporter, a Python package needing only torch and numpy.
install(DIRECTORY ${PROJECT_SOURCE_DIR}/python/quant_mlir
  DESTINATION share/quant-mlir/python
  FILES_MATCHING PATTERN "*.py")

set(QUANTMLIR_CMAKE_DIR lib/cmake/QuantMLIR)
install(EXPORT MLIRTargets
  NAMESPACE QuantMLIR::
  FILE QuantMLIRTargets.cmake
  DESTINATION ${QUANTMLIR_CMAKE_DIR})
configure_file(${PROJECT_SOURCE_DIR}/cmake/QuantMLIRConfig.cmake.in
  ${PROJECT_BINARY_DIR}/${QUANTMLIR_CMAKE_DIR}/QuantMLIRConfig.cmake @ONLY)
write_basic_package_version_file(
  ${PROJECT_BINARY_DIR}/${QUANTMLIR_CMAKE_DIR}/QuantMLIRConfigVersion.cmake
  VERSION ${PROJECT_VERSION}
  COMPATIBILITY SameMajorVersion)
install(FILES
  ${PROJECT_BINARY_DIR}/${QUANTMLIR_CMAKE_DIR}/QuantMLIRConfig.cmake
  ${PROJECT_BINARY_DIR}/${QUANTMLIR_CMAKE_DIR}/QuantMLIRConfigVersion.cmake
  DESTINATION ${QUANTMLIR_CMAKE_DIR})
