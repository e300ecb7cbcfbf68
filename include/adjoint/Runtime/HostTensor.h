//===- HostTensor.h - A dense tensor in host memory -------------*- C++ -*-===//
//
// HostTensor is the value type that the runtime, the interpreter and the tools
// use to hold one dense, row-major (C order) tensor in host memory: an element
// type, a shape, and 64-byte aligned storage that the tensor owns.
//
//===----------------------------------------------------------------------===//

#ifndef ADJOINT_RUNTIME_HOSTTENSOR_H
#define ADJOINT_RUNTIME_HOSTTENSOR_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/ErrorHandling.h"

#include <algorithm>
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace adjoint {

/// The element types a HostTensor can hold. F64 exists for internal use
/// (reference computations); files that the tools read and write are F32, I64
/// or I32.
enum class DType { F32, F64, I64, I32 };

/// Size of one element in bytes.
size_t getDTypeSize(DType dtype);

/// The `.nn` spelling of a dtype: "f32", "f64", "i64", "i32".
llvm::StringRef getDTypeName(DType dtype);

/// Parses the `.nn` spelling of a dtype ("f32", "f64", "i64", "i32").
std::optional<DType> parseDTypeName(llvm::StringRef name);

/// Maps a C++ element type to its DType.
template <typename T> struct DTypeOf;
template <> struct DTypeOf<float> {
  static constexpr DType value = DType::F32;
};
template <> struct DTypeOf<double> {
  static constexpr DType value = DType::F64;
};
template <> struct DTypeOf<int64_t> {
  static constexpr DType value = DType::I64;
};
template <> struct DTypeOf<int32_t> {
  static constexpr DType value = DType::I32;
};

/// The number of elements of `shape`, or std::nullopt when a dim is negative
/// or the product overflows int64_t. The empty shape (0-d) has one element.
std::optional<int64_t> getNumElements(llvm::ArrayRef<int64_t> shape);

/// Formats a shape as "[3, 64]" ("[]" for 0-d).
std::string formatShape(llvm::ArrayRef<int64_t> shape);

/// A dense row-major tensor in host memory. It owns its storage, which is
/// aligned to `kAlignment` bytes; copies are deep, moves are cheap. A
/// default-constructed HostTensor is a 0-d f32 zero.
class HostTensor {
public:
  static constexpr size_t kAlignment = 64;

  /// The largest tensor the runtime will allocate (16 GiB). Readers refuse
  /// files whose data would be larger before they allocate anything.
  static constexpr uint64_t kMaxBytes = uint64_t(16) << 30;

  HostTensor() : HostTensor(DType::F32, {}) {}

  /// A zero-filled tensor. The shape must be valid (non-negative dims) and its
  /// byte size at most kMaxBytes, and the memory must be there (a fatal error,
  /// exit code 1, otherwise); use create() where that is not known.
  HostTensor(DType dtype, llvm::ArrayRef<int64_t> shape);

  /// A zero-filled tensor, or an error (naming the shape) when a dim is
  /// negative, the element count overflows int64_t, the byte size exceeds
  /// kMaxBytes, or the memory cannot be allocated.
  static llvm::Expected<HostTensor> create(DType dtype,
                                           llvm::ArrayRef<int64_t> shape);

  /// A tensor holding a copy of `values`.
  template <typename T>
  static HostTensor fromValues(llvm::ArrayRef<int64_t> shape,
                               llvm::ArrayRef<T> values) {
    HostTensor result(DTypeOf<T>::value, shape);
    if (values.size() != size_t(result.getNumElements()))
      llvm::report_fatal_error("HostTensor::fromValues: value count does not "
                               "match the shape");
    std::copy(values.begin(), values.end(),
              result.getMutableValues<T>().begin());
    return result;
  }

  HostTensor(const HostTensor &other);
  HostTensor &operator=(const HostTensor &other);
  HostTensor(HostTensor &&other) noexcept = default;
  HostTensor &operator=(HostTensor &&other) noexcept = default;
  ~HostTensor() = default;

  DType getDType() const { return dtype; }
  llvm::ArrayRef<int64_t> getShape() const { return shape; }
  int64_t getRank() const { return static_cast<int64_t>(shape.size()); }
  int64_t getNumElements() const { return numElements; }
  size_t getNumBytes() const {
    return static_cast<size_t>(numElements) * getDTypeSize(dtype);
  }

  /// Raw storage: getNumBytes() bytes, aligned to kAlignment. Never null.
  void *getData() { return storage.get(); }
  const void *getData() const { return storage.get(); }

  /// Typed views of the elements in row-major order. T must match the dtype.
  template <typename T> llvm::ArrayRef<T> getValues() const {
    assert(DTypeOf<T>::value == dtype && "element type does not match dtype");
    return llvm::ArrayRef<T>(static_cast<const T *>(getData()),
                             static_cast<size_t>(numElements));
  }
  template <typename T> llvm::MutableArrayRef<T> getMutableValues() {
    assert(DTypeOf<T>::value == dtype && "element type does not match dtype");
    return llvm::MutableArrayRef<T>(static_cast<T *>(getData()),
                                    static_cast<size_t>(numElements));
  }

  /// The element at row-major position `index` of a tensor of any dtype,
  /// converted to double.
  double getElementAsDouble(int64_t index) const;

  /// The row-major position of the element at `indices` (one per dim).
  int64_t getFlatIndex(llvm::ArrayRef<int64_t> indices) const;

  /// Typed element access by multi-index.
  template <typename T> const T &at(llvm::ArrayRef<int64_t> indices) const {
    return getValues<T>()[getFlatIndex(indices)];
  }
  template <typename T> T &at(llvm::ArrayRef<int64_t> indices) {
    return getMutableValues<T>()[getFlatIndex(indices)];
  }

  /// A copy converted to `target` with static_cast per element (integers
  /// widen or wrap, floats round; floats converted to integers must be finite
  /// and in range).
  HostTensor convertTo(DType target) const;

  /// Same dtype, shape and bytes.
  bool isBitwiseEqual(const HostTensor &other) const;

private:
  struct AlignedDeleter {
    void operator()(std::byte *ptr) const;
  };
  using Storage = std::unique_ptr<std::byte[], AlignedDeleter>;

  /// Zero-filled storage of at least `bytes` bytes, or null when the memory is
  /// not there. (Not operator new: LLVM's new-handler aborts the process.)
  static Storage allocate(size_t bytes);
  HostTensor(DType dtype, llvm::ArrayRef<int64_t> shape, int64_t numElements,
             Storage storage);

  DType dtype;
  llvm::SmallVector<int64_t, 4> shape;
  int64_t numElements = 1;
  Storage storage;
};

} // namespace adjoint

#endif // ADJOINT_RUNTIME_HOSTTENSOR_H
