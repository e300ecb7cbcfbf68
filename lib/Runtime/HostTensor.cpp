//===- HostTensor.cpp - A dense tensor in host memory ---------------------===//

#include "adjoint/Runtime/HostTensor.h"

#include "llvm/Support/ErrorHandling.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdlib>
#include <cstring>

using namespace adjoint;

size_t adjoint::getDTypeSize(DType dtype) {
  switch (dtype) {
  case DType::F32:
  case DType::I32:
    return 4;
  case DType::F64:
  case DType::I64:
    return 8;
  }
  llvm_unreachable("unknown DType");
}

llvm::StringRef adjoint::getDTypeName(DType dtype) {
  switch (dtype) {
  case DType::F32:
    return "f32";
  case DType::F64:
    return "f64";
  case DType::I64:
    return "i64";
  case DType::I32:
    return "i32";
  }
  llvm_unreachable("unknown DType");
}

std::optional<DType> adjoint::parseDTypeName(llvm::StringRef name) {
  if (name == "f32")
    return DType::F32;
  if (name == "f64")
    return DType::F64;
  if (name == "i64")
    return DType::I64;
  if (name == "i32")
    return DType::I32;
  return std::nullopt;
}

std::optional<int64_t> adjoint::getNumElements(llvm::ArrayRef<int64_t> shape) {
  int64_t count = 1;
  for (int64_t dim : shape) {
    if (dim < 0)
      return std::nullopt;
    // A zero dim makes the product zero however large the others are, but the
    // others must still be representable, so keep checking every dim.
    if (llvm::MulOverflow(count, dim, count))
      return std::nullopt;
  }
  return count;
}

std::string adjoint::formatShape(llvm::ArrayRef<int64_t> shape) {
  std::string result;
  llvm::raw_string_ostream os(result);
  os << '[';
  llvm::interleaveComma(shape, os);
  os << ']';
  return result;
}

void HostTensor::AlignedDeleter::operator()(std::byte *ptr) const {
  std::free(ptr);
}

HostTensor::Storage HostTensor::allocate(size_t bytes) {
  // At least one aligned block, so that getData() is never null.
  size_t allocated = llvm::alignTo(std::max(bytes, kAlignment), kAlignment);
  void *ptr = nullptr;
  if (posix_memalign(&ptr, kAlignment, allocated) != 0)
    return nullptr;
  std::memset(ptr, 0, allocated);
  return Storage(static_cast<std::byte *>(ptr));
}

HostTensor::HostTensor(DType dtype, llvm::ArrayRef<int64_t> shape,
                       int64_t numElements, Storage storage)
    : dtype(dtype), shape(shape.begin(), shape.end()),
      numElements(numElements), storage(std::move(storage)) {}

HostTensor::HostTensor(DType dtype, llvm::ArrayRef<int64_t> shape)
    : dtype(dtype), shape(shape.begin(), shape.end()) {
  // Callers that cannot vouch for the shape use create(); a bad shape here is
  // a programming error, stopped before it allocates or overflows.
  std::optional<int64_t> count = adjoint::getNumElements(shape);
  if (!count || uint64_t(*count) > kMaxBytes / getDTypeSize(dtype))
    llvm::report_fatal_error(llvm::Twine("HostTensor: invalid or too large "
                                         "shape ") +
                             formatShape(shape));
  numElements = *count;
  storage = allocate(getNumBytes());
  if (!storage)
    llvm::report_fatal_error(llvm::Twine("out of memory: cannot allocate ") +
                                 llvm::Twine(getNumBytes()) +
                                 " bytes for a tensor of shape " +
                                 formatShape(shape),
                             /*gen_crash_diag=*/false);
}

llvm::Expected<HostTensor> HostTensor::create(DType dtype,
                                              llvm::ArrayRef<int64_t> shape) {
  for (int64_t dim : shape)
    if (dim < 0)
      return llvm::createStringError("invalid shape " + formatShape(shape) +
                                     ": dims must not be negative");
  std::optional<int64_t> count = adjoint::getNumElements(shape);
  if (!count)
    return llvm::createStringError("shape " + formatShape(shape) +
                                   " has too many elements (the count "
                                   "overflows int64)");
  if (uint64_t(*count) > kMaxBytes / getDTypeSize(dtype))
    return llvm::createStringError("shape " + formatShape(shape) + " of " +
                                   getDTypeName(dtype).str() +
                                   " is too large (" + std::to_string(*count) +
                                   " elements; the limit is 16 GiB of data)");
  size_t bytes = size_t(*count) * getDTypeSize(dtype);
  Storage storage = allocate(bytes);
  if (!storage)
    return llvm::createStringError(
        "shape " + formatShape(shape) + " of " + getDTypeName(dtype).str() +
        ": cannot allocate " + std::to_string(bytes) +
        " bytes (out of memory)");
  return HostTensor(dtype, shape, *count, std::move(storage));
}

HostTensor::HostTensor(const HostTensor &other)
    : HostTensor(other.dtype, other.shape) {
  std::memcpy(getData(), other.getData(), getNumBytes());
}

HostTensor &HostTensor::operator=(const HostTensor &other) {
  if (this != &other)
    *this = HostTensor(other);
  return *this;
}

double HostTensor::getElementAsDouble(int64_t index) const {
  assert(index >= 0 && index < numElements && "index out of range");
  switch (dtype) {
  case DType::F32:
    return getValues<float>()[index];
  case DType::F64:
    return getValues<double>()[index];
  case DType::I64:
    return static_cast<double>(getValues<int64_t>()[index]);
  case DType::I32:
    return getValues<int32_t>()[index];
  }
  llvm_unreachable("unknown DType");
}

int64_t HostTensor::getFlatIndex(llvm::ArrayRef<int64_t> indices) const {
  assert(indices.size() == shape.size() && "wrong number of indices");
  int64_t flat = 0;
  for (auto [index, dim] : llvm::zip_equal(indices, shape)) {
    assert(index >= 0 && index < dim && "index out of range");
    flat = flat * dim + index;
  }
  return flat;
}

namespace {
template <typename To, typename From>
void convertValues(llvm::ArrayRef<From> from, llvm::MutableArrayRef<To> to) {
  for (auto [src, dst] : llvm::zip_equal(from, to))
    dst = static_cast<To>(src);
}

template <typename To>
void convertFrom(const HostTensor &from, llvm::MutableArrayRef<To> to) {
  switch (from.getDType()) {
  case DType::F32:
    return convertValues(from.getValues<float>(), to);
  case DType::F64:
    return convertValues(from.getValues<double>(), to);
  case DType::I64:
    return convertValues(from.getValues<int64_t>(), to);
  case DType::I32:
    return convertValues(from.getValues<int32_t>(), to);
  }
  llvm_unreachable("unknown DType");
}
} // namespace

HostTensor HostTensor::convertTo(DType target) const {
  HostTensor result(target, shape);
  switch (target) {
  case DType::F32:
    convertFrom(*this, result.getMutableValues<float>());
    break;
  case DType::F64:
    convertFrom(*this, result.getMutableValues<double>());
    break;
  case DType::I64:
    convertFrom(*this, result.getMutableValues<int64_t>());
    break;
  case DType::I32:
    convertFrom(*this, result.getMutableValues<int32_t>());
    break;
  }
  return result;
}

bool HostTensor::isBitwiseEqual(const HostTensor &other) const {
  return dtype == other.dtype && shape == other.shape &&
         std::memcmp(getData(), other.getData(), getNumBytes()) == 0;
}
