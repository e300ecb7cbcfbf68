# AddAdjoint.cmake: building MLIR plugins for the Adjoint tools.
#
#   add_adjoint_plugin(NAME SOURCES...
#                      [DEPENDS TARGETS...]      # e.g. a plugin's tablegen
#                      [LINK_LIBS LIBRARIES...]) # e.g. AdjointNNDialect
#
# builds NAME.so, a loadable module that adjoint-opt and adjointc load with
# --load-pass-plugin / --load-dialect-plugin. It is linked against the shared
# libMLIR and libLLVM and the shared Adjoint libraries it names, like the
# tools, so that the dialects, interfaces and registries exist once in the
# process; its RPATH points at them. The caller includes AddLLVM and
# HandleLLVMOptions first (the compile flags of LLVM: RTTI and exceptions as
# LLVM was built).

function(add_adjoint_plugin name)
  cmake_parse_arguments(ARG "" "" "DEPENDS;LINK_LIBS" ${ARGN})
  add_llvm_library(${name} MODULE BUILDTREE_ONLY
    ${ARG_UNPARSED_ARGUMENTS}
    DEPENDS ${ARG_DEPENDS}
    LINK_LIBS ${ARG_LINK_LIBS} MLIR)
  set(rpath ${LLVM_LIBRARY_DIR})
  if(ADJOINT_LIBRARY_DIR)
    list(PREPEND rpath ${ADJOINT_LIBRARY_DIR})
  endif()
  set_target_properties(${name} PROPERTIES
    BUILD_RPATH "${rpath}"
    INSTALL_RPATH "${rpath}")
endfunction()
