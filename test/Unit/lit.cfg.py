# -*- Python -*-
# Runs the GoogleTest unit tests (unittests/) as part of check-adjoint.

import os

import lit.formats

config.name = "ADJOINT-Unit"
config.suffixes = []
config.test_exec_root = os.path.join(config.adjoint_obj_root, "unittests")
config.test_source_root = config.test_exec_root
config.test_format = lit.formats.GoogleTest(".", "Tests")
