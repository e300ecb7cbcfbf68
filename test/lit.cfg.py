# -*- Python -*-
# lit configuration of the Adjoint regression tests.

import os

import lit.formats
from lit.llvm import llvm_config
from lit.llvm.subst import ToolSubst

config.name = "ADJOINT"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".nn", ".test", ".py"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.adjoint_obj_root, "test")
config.excludes = ["lit.cfg.py", "lit.site.cfg.py", "CMakeLists.txt", "Unit",
                   "fixtures", "Inputs"]

config.substitutions.append(("%PATH%", config.environment["PATH"]))
# A build with -DADJOINT_SANITIZE: tests that limit the address space (which
# ASan's shadow memory needs) do not run there.
if getattr(config, "adjoint_sanitize", ""):
    config.available_features.add("sanitizer")
config.substitutions.append(("%adjoint_src", config.adjoint_src_root))
config.substitutions.append(("%fixtures",
                             os.path.join(config.adjoint_src_root, "test", "fixtures")))
config.substitutions.append(("%examples",
                             os.path.join(config.adjoint_src_root, "examples")))
config.substitutions.append(("%python", config.python_executable))
config.substitutions.append(("%cc", config.host_cc))
config.substitutions.append(("%adjoint_libdir", config.adjoint_lib_dir))

llvm_config.use_default_substitutions()
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)
llvm_config.with_environment("PATH", config.adjoint_tools_dir, append_path=True)

tool_dirs = [config.adjoint_tools_dir, config.llvm_tools_dir]
tools = ["adjoint-opt", "adjointc", "adjoint-run"]
llvm_config.add_tool_substitutions(
    [ToolSubst(t, unresolved="ignore") for t in tools], tool_dirs)
