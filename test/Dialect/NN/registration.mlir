// adjoint-opt registers the nn dialect and lists it in --help.

// RUN: adjoint-opt --show-dialects | FileCheck %s
// RUN: adjoint-opt --help | FileCheck %s

// CHECK: Available Dialects: {{(.*, ?)?}}nn{{(,.*)?$}}
