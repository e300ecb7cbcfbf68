//===- OnnxModel.cpp - Reading ONNX files and tensors ---------------------===//
//
// Parsing of the protobuf file and conversion of TensorProto contents
// (typed fields, raw_data, external data) to HostTensors, with every check a
// malformed or truncated file needs: no input can make the importer read out
// of bounds or allocate without limit.
//
//===----------------------------------------------------------------------===//

#include "Importer.h"

#include "mlir/IR/BuiltinTypes.h"
#include "llvm/Support/Endian.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <climits>
#include <cstring>

using namespace mlir;
using namespace adjoint;
using namespace adjoint::onnximport;

static llvm::Error makeError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

llvm::Expected<std::unique_ptr<onnx::ModelProto>>
adjoint::onnximport::parseModel(llvm::StringRef bytes,
                                llvm::StringRef fileName) {
  if (bytes.empty())
    return makeError("the file is empty, not an ONNX model");
  if (bytes.size() > static_cast<size_t>(INT_MAX))
    return makeError("the file is larger than 2 GiB; ONNX models "
                                "that large keep their tensors as external "
                                "data");
  auto model = std::make_unique<onnx::ModelProto>();
  if (!model->ParseFromArray(bytes.data(), static_cast<int>(bytes.size())))
    return makeError("not a valid ONNX model: the protobuf data "
                                "is malformed or truncated");
  if (!model->has_graph() || model->ir_version() <= 0)
    return makeError(llvm::Twine("not a valid ONNX model: it has no ") +
                     (model->has_graph() ? "IR version" : "graph"));
  return std::move(model);
}

Type adjoint::onnximport::elementTypeOf(int32_t onnxType,
                                        MLIRContext &context) {
  switch (onnxType) {
  case onnx::TensorProto::FLOAT:
    return Float32Type::get(&context);
  case onnx::TensorProto::DOUBLE:
    return Float64Type::get(&context);
  case onnx::TensorProto::INT64:
    return IntegerType::get(&context, 64);
  case onnx::TensorProto::INT32:
    return IntegerType::get(&context, 32);
  default:
    return nullptr;
  }
}

std::string adjoint::onnximport::onnxTypeName(int32_t onnxType) {
  if (onnx::TensorProto::DataType_IsValid(onnxType))
    return onnx::TensorProto::DataType_Name(
        static_cast<onnx::TensorProto::DataType>(onnxType));
  return "type " + std::to_string(onnxType);
}

/// Reads the bytes of a tensor stored outside the model file.
static llvm::Expected<std::string>
readExternalData(const onnx::TensorProto &proto, llvm::StringRef fileName,
                 uint64_t expectedBytes) {
  std::string location;
  uint64_t offset = 0;
  std::optional<uint64_t> length;
  for (const onnx::StringStringEntryProto &entry : proto.external_data()) {
    llvm::StringRef value = entry.value();
    if (entry.key() == "location") {
      location = entry.value();
    } else if (entry.key() == "offset") {
      if (value.getAsInteger(10, offset))
        return makeError("tensor '" + proto.name() +
                         "' has a bad external data offset '" + value + "'");
    } else if (entry.key() == "length") {
      uint64_t parsed;
      if (value.getAsInteger(10, parsed))
        return makeError("tensor '" + proto.name() +
                         "' has a bad external data length '" + value + "'");
      length = parsed;
    }
  }
  if (location.empty())
    return makeError("tensor '" + proto.name() +
                     "' is stored as external data without a location");
  llvm::SmallString<256> path(llvm::sys::path::parent_path(fileName));
  llvm::sys::path::append(path, location);
  // A pipe or a device may be endless (/dev/zero): only files are read.
  llvm::sys::fs::file_status status;
  if (!llvm::sys::fs::status(path, status) &&
      status.type() != llvm::sys::fs::file_type::regular_file)
    return makeError("cannot read the external data of tensor '" +
                     proto.name() + "' from '" + path +
                     "': not a regular file");
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  if (!buffer)
    return makeError("cannot read the external data of tensor '" +
                     proto.name() + "' from '" + path +
                     "': " + buffer.getError().message());
  uint64_t size = (*buffer)->getBufferSize();
  uint64_t want = length.value_or(expectedBytes);
  if (want != expectedBytes || offset > size || size - offset < want)
    return makeError("the external data of tensor '" +
                     proto.name() + "' in '" + path +
                     "' does not hold its " + llvm::Twine(expectedBytes) +
                     " bytes");
  return std::string((*buffer)->getBufferStart() + offset, want);
}

/// Copies `count` little-endian elements of `SrcT` from raw bytes into
/// `out`, converting to `DstT`.
template <typename SrcT, typename DstT>
static void copyRaw(const char *bytes, llvm::MutableArrayRef<DstT> out) {
  for (size_t i = 0; i < out.size(); ++i)
    out[i] = static_cast<DstT>(
        llvm::support::endian::read<SrcT, llvm::endianness::little>(
            bytes + i * sizeof(SrcT)));
}

llvm::Expected<HostTensor>
adjoint::onnximport::tensorFromProto(const onnx::TensorProto &proto,
                                     llvm::StringRef fileName) {
  llvm::SmallVector<int64_t> shape(proto.dims().begin(), proto.dims().end());
  DType dtype;
  size_t srcSize;
  switch (proto.data_type()) {
  case onnx::TensorProto::FLOAT:
    dtype = DType::F32, srcSize = 4;
    break;
  case onnx::TensorProto::DOUBLE:
    dtype = DType::F64, srcSize = 8;
    break;
  case onnx::TensorProto::INT64:
    dtype = DType::I64, srcSize = 8;
    break;
  case onnx::TensorProto::INT32:
    dtype = DType::I32, srcSize = 4;
    break;
  case onnx::TensorProto::BOOL:
    dtype = DType::I64, srcSize = 1;
    break;
  default:
    return makeError("tensor '" + proto.name() +
                     "' has unsupported element type " +
                     onnxTypeName(proto.data_type()));
  }
  std::optional<int64_t> numElements = getNumElements(shape);
  if (!numElements)
    return makeError("tensor '" + proto.name() + "' has the invalid shape " +
                     formatShape(shape));
  uint64_t count = static_cast<uint64_t>(*numElements);
  std::string mismatch = "tensor '" + proto.name() +
                         "' of shape " + formatShape(shape) +
                         " does not hold " + std::to_string(count) +
                         " elements";
  // The data must be there before anything is allocated for it: a corrupt
  // file may claim any shape.
  uint64_t available = 0;
  if (proto.data_location() == onnx::TensorProto::EXTERNAL)
    available = count; // checked against the external file when read
  else if (proto.has_raw_data())
    available = proto.raw_data().size() / srcSize;
  else if (proto.data_type() == onnx::TensorProto::FLOAT)
    available = proto.float_data_size();
  else if (proto.data_type() == onnx::TensorProto::DOUBLE)
    available = proto.double_data_size();
  else if (proto.data_type() == onnx::TensorProto::INT64)
    available = proto.int64_data_size();
  else
    available = proto.int32_data_size();
  if (available != count)
    return makeError(mismatch);
  llvm::Expected<HostTensor> created = HostTensor::create(dtype, shape);
  if (!created)
    return makeError("tensor '" + proto.name() +
                     "': " + llvm::toString(created.takeError()));
  HostTensor tensor = std::move(*created);

  // Raw bytes: inline raw_data or external data.
  std::string external;
  const std::string *raw = nullptr;
  if (proto.data_location() == onnx::TensorProto::EXTERNAL) {
    llvm::Expected<std::string> bytes =
        readExternalData(proto, fileName, count * srcSize);
    if (!bytes)
      return bytes.takeError();
    external = std::move(*bytes);
    raw = &external;
  } else if (proto.has_raw_data()) {
    raw = &proto.raw_data();
  }
  if (raw) {
    if (raw->size() != count * srcSize)
      return makeError(mismatch);
    const char *bytes = raw->data();
    switch (proto.data_type()) {
    case onnx::TensorProto::FLOAT:
      copyRaw<float>(bytes, tensor.getMutableValues<float>());
      break;
    case onnx::TensorProto::DOUBLE:
      copyRaw<double>(bytes, tensor.getMutableValues<double>());
      break;
    case onnx::TensorProto::INT64:
      copyRaw<int64_t>(bytes, tensor.getMutableValues<int64_t>());
      break;
    case onnx::TensorProto::INT32:
      copyRaw<int32_t>(bytes, tensor.getMutableValues<int32_t>());
      break;
    case onnx::TensorProto::BOOL:
      copyRaw<uint8_t>(bytes, tensor.getMutableValues<int64_t>());
      break;
    }
    return std::move(tensor);
  }

  // Typed fields. BOOL and INT32 are stored in int32_data.
  auto fill = [&](const auto &field, auto out) -> llvm::Error {
    if (static_cast<uint64_t>(field.size()) != count)
      return makeError(mismatch);
    for (uint64_t i = 0; i < count; ++i)
      out[i] = static_cast<typename decltype(out)::value_type>(field.Get(i));
    return llvm::Error::success();
  };
  switch (proto.data_type()) {
  case onnx::TensorProto::FLOAT:
    if (auto err = fill(proto.float_data(), tensor.getMutableValues<float>()))
      return std::move(err);
    break;
  case onnx::TensorProto::DOUBLE:
    if (auto err = fill(proto.double_data(), tensor.getMutableValues<double>()))
      return std::move(err);
    break;
  case onnx::TensorProto::INT64:
    if (auto err =
            fill(proto.int64_data(), tensor.getMutableValues<int64_t>()))
      return std::move(err);
    break;
  case onnx::TensorProto::INT32:
    if (auto err =
            fill(proto.int32_data(), tensor.getMutableValues<int32_t>()))
      return std::move(err);
    break;
  case onnx::TensorProto::BOOL:
    if (auto err =
            fill(proto.int32_data(), tensor.getMutableValues<int64_t>()))
      return std::move(err);
    break;
  }
  return std::move(tensor);
}
