//===- fuzz_npy.cpp - libFuzzer harness of the .npy reader ----------------===//
//
// Feeds the bytes to adjoint::readNpyBuffer. An accepted array must survive
// a round trip: written with writeNpy and read again, it has the same dtype,
// shape and bytes. A refusal must carry a message that names the file.
//
//===----------------------------------------------------------------------===//

#include "adjoint/Runtime/Npy.h"

#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <cstdlib>
#include <cstring>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  llvm::StringRef bytes(reinterpret_cast<const char *>(data), size);
  adjoint::NpyReadOptions options;
  // The last byte picks whether float64 is accepted, so that both paths
  // are explored.
  options.allowF64 = size > 0 && (data[size - 1] & 1);
  llvm::Expected<adjoint::HostTensor> tensor =
      adjoint::readNpyBuffer(bytes, "fuzz.npy", options);
  if (!tensor) {
    std::string message = llvm::toString(tensor.takeError());
    if (!llvm::StringRef(message).starts_with("fuzz.npy: "))
      abort();
    return 0;
  }
  std::string written;
  llvm::raw_string_ostream os(written);
  adjoint::writeNpy(os, *tensor);
  os.flush();
  llvm::Expected<adjoint::HostTensor> again =
      adjoint::readNpyBuffer(written, "again.npy", options);
  if (!again)
    abort();
  if (again->getDType() != tensor->getDType() ||
      again->getShape() != tensor->getShape() ||
      again->getNumBytes() != tensor->getNumBytes() ||
      std::memcmp(again->getData(), tensor->getData(),
                  tensor->getNumBytes()) != 0)
    abort();
  return 0;
}
