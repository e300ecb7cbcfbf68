//===- AutodiffInterfaces.cpp - linearize and transpose -------------------===//

#include "adjoint/Interfaces/AutodiffInterfaces.h"

using namespace mlir;

#include "adjoint/Interfaces/AutodiffInterfaces.cpp.inc"
