//===- Npy.cpp - Reading and writing NumPy .npy files ---------------------===//
//
// Format reference: numpy/lib/format.py. A file is the magic "\x93NUMPY", a
// major and a minor version byte, the header length (little-endian u16 for
// version 1.0, u32 for 2.0 and 3.0), the header (the repr of a Python dict,
// latin-1 for 1.0/2.0 and utf-8 for 3.0, padded with spaces and ended by a
// newline), and then the raw array data.
//
//===----------------------------------------------------------------------===//

#include "adjoint/Runtime/Npy.h"

#include "NpyHeader.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Endian.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SwapByteOrder.h"

#include <cstring>

using namespace adjoint;

namespace {

constexpr llvm::StringLiteral kMagic("\x93NUMPY");
/// numpy.save pads the header so that the data starts at a multiple of this.
constexpr size_t kHeaderAlignment = 64;
/// numpy.save pads the header for a first dim of up to this many digits.
constexpr size_t kGrowthAxisMaxDigits = 21;
/// A longer header is refused (numpy.load's default limit is 10000 bytes;
/// numpy.save writes a few hundred at most).
constexpr uint64_t kMaxHeaderLength = uint64_t(1) << 20;

/// An error whose message starts with the name of the file.
llvm::Error fileError(llvm::StringRef name, const llvm::Twine &what) {
  return llvm::createStringError(name + ": " + what);
}

/// Prefixes the message of `err` with the name of the file.
llvm::Error prefixError(llvm::StringRef name, llvm::Error err) {
  return fileError(name, llvm::toString(std::move(err)));
}

/// A readable name for a NumPy dtype descr, for error messages: "float16",
/// "big-endian float32", "bool", "Python objects".
std::string describeDescr(llvm::StringRef descr) {
  llvm::StringRef rest = descr;
  std::string order;
  if (rest.consume_front(">"))
    order = "big-endian ";
  else
    rest.consume_front("<") || rest.consume_front("|") ||
        rest.consume_front("=");
  if (rest.empty())
    return "unknown";
  char kind = rest.front();
  llvm::StringRef sizeText = rest.drop_front();
  unsigned size = 0;
  bool hasSize = !sizeText.empty() && !sizeText.getAsInteger(10, size);
  switch (kind) {
  case 'f':
  case 'i':
  case 'u':
  case 'c': {
    llvm::StringRef base = kind == 'f'   ? "float"
                           : kind == 'i' ? "int"
                           : kind == 'u' ? "uint"
                                         : "complex";
    if (!hasSize)
      return order + base.str();
    return order + base.str() + std::to_string(size * 8);
  }
  case 'b':
    return "bool";
  case 'O':
    return "Python objects";
  case 'S':
  case 'a':
    return "byte strings";
  case 'U':
    return order + "unicode strings";
  case 'V':
    return "raw bytes";
  case 'M':
    return order + "datetime64";
  case 'm':
    return order + "timedelta64";
  default:
    return "unknown";
  }
}

/// Maps the descr of the header to a DType, or explains why it is refused.
llvm::Expected<DType> parseDescr(llvm::StringRef descr,
                                 const NpyReadOptions &options) {
  if (descr == "<f4")
    return DType::F32;
  if (descr == "<i8")
    return DType::I64;
  if (descr == "<i4")
    return DType::I32;
  if (descr == "<f8" && options.allowF64)
    return DType::F64;
  std::string supported = options.allowF64
                              ? "'<f4' (float32), '<f8' (float64), '<i8' "
                                "(int64) and '<i4' (int32)"
                              : "'<f4' (float32), '<i8' (int64) and '<i4' "
                                "(int32)";
  // The descr is shown escaped: a hostile header may hold any bytes.
  std::string shown;
  llvm::raw_string_ostream os(shown);
  llvm::printEscapedString(descr.take_front(64), os);
  if (descr.size() > 64)
    os << "...";
  return llvm::createStringError("unsupported dtype '" + shown + "' (" +
                                 describeDescr(descr) + "); supported are " +
                                 supported);
}

/// Byte-swaps the elements of `data` in place (little-endian file data on a
/// big-endian host, and back).
void swapElements(void *data, size_t numBytes, size_t elementSize) {
  auto *bytes = static_cast<char *>(data);
  for (size_t offset = 0; offset < numBytes; offset += elementSize)
    std::reverse(bytes + offset, bytes + offset + elementSize);
}

} // namespace

llvm::StringRef adjoint::getNpyDescr(DType dtype) {
  switch (dtype) {
  case DType::F32:
    return "<f4";
  case DType::F64:
    return "<f8";
  case DType::I64:
    return "<i8";
  case DType::I32:
    return "<i4";
  }
  llvm_unreachable("unknown DType");
}

namespace {

/// What the preamble and the header of a .npy file say.
struct NpyLayout {
  DType dtype;
  llvm::SmallVector<int64_t, 4> shape;
  /// Where the data starts, and how many bytes it has.
  size_t dataOffset = 0;
  uint64_t dataBytes = 0;
};

/// Checks the preamble and the header at the start of `bytes`; the data
/// after them is not looked at.
llvm::Expected<NpyLayout> parseNpyLayout(llvm::StringRef bytes,
                                         llvm::StringRef name,
                                         const NpyReadOptions &options) {
  // The preamble: magic, version, header length.
  if (!bytes.starts_with(kMagic))
    return fileError(name, "not a .npy file (bad magic string; the file "
                           "should start with \"\\x93NUMPY\")");
  if (bytes.size() < kMagic.size() + 2)
    return fileError(name, "truncated header (the file ends inside the "
                           "version)");
  unsigned major = static_cast<unsigned char>(bytes[6]);
  unsigned minor = static_cast<unsigned char>(bytes[7]);
  if (minor != 0 || major < 1 || major > 3)
    return fileError(name, "unsupported .npy format version " +
                               llvm::Twine(major) + "." + llvm::Twine(minor) +
                               " (supported are 1.0, 2.0 and 3.0)");
  size_t lengthSize = major == 1 ? 2 : 4;
  size_t preambleSize = 8 + lengthSize;
  if (bytes.size() < preambleSize)
    return fileError(name, "truncated header (the file ends inside the "
                           "header length)");
  uint64_t headerLength =
      major == 1 ? llvm::support::endian::read16le(bytes.data() + 8)
                 : llvm::support::endian::read32le(bytes.data() + 8);
  if (headerLength > kMaxHeaderLength)
    return fileError(name, "the header is " + llvm::Twine(headerLength) +
                               " bytes long; more than 1 MiB is not a .npy "
                               "header");
  if (bytes.size() - preambleSize < headerLength)
    return fileError(name, "truncated header (the header is " +
                               llvm::Twine(headerLength) +
                               " bytes long, but the file ends after " +
                               llvm::Twine(bytes.size() - preambleSize) + ")");

  // The header. Versions 1.0 and 2.0 are latin-1 and 3.0 is utf-8; the
  // accepted headers are ASCII in both, so the bytes are parsed as they are.
  llvm::StringRef headerText = bytes.substr(preambleSize, headerLength);
  llvm::Expected<detail::NpyHeaderDict> header =
      detail::parseNpyHeaderDict(headerText);
  if (!header)
    return prefixError(name, header.takeError());
  if (header->isStructured)
    return fileError(name, "unsupported dtype: structured arrays (a list as "
                           "'descr') are not supported");
  llvm::Expected<DType> dtype = parseDescr(header->descr, options);
  if (!dtype)
    return prefixError(name, dtype.takeError());
  if (header->fortranOrder)
    return fileError(name, "Fortran-order arrays are not supported (save a "
                           "C-order array, e.g. numpy.ascontiguousarray(a))");

  // The data: check its size before allocating anything.
  llvm::ArrayRef<int64_t> shape = header->shape;
  std::optional<int64_t> numElements = getNumElements(shape);
  if (!numElements)
    return fileError(name, "shape " + formatShape(shape) +
                               " has too many elements (the count overflows "
                               "int64)");
  size_t elementSize = getDTypeSize(*dtype);
  if (uint64_t(*numElements) > HostTensor::kMaxBytes / elementSize)
    return fileError(name, "array of shape " + formatShape(shape) +
                               " is too "
                               "large (" +
                               llvm::Twine(*numElements) + " elements of " +
                               getDTypeName(*dtype) +
                               "; the limit is 16 GiB of data)");
  NpyLayout layout;
  layout.dtype = *dtype;
  layout.shape.assign(shape.begin(), shape.end());
  layout.dataOffset = preambleSize + headerLength;
  layout.dataBytes = uint64_t(*numElements) * elementSize;
  return layout;
}

/// The most bytes readStream reads at a time.
constexpr size_t kStreamChunk = size_t(1) << 16;

/// Reads a file that is not a regular file (a pipe, a character device,
/// /dev/stdin), whose size cannot be known beforehand and which may never
/// end (/dev/zero): in chunks, and no further than the preamble and header
/// say the file extends (plus one byte, to tell trailing garbage), so that
/// an endless or huge stream is refused without reading it all.
llvm::Expected<HostTensor> readStream(llvm::StringRef path,
                                      const NpyReadOptions &options) {
  llvm::Expected<llvm::sys::fs::file_t> file =
      llvm::sys::fs::openNativeFileForRead(path);
  if (!file)
    return fileError(path,
                     "cannot open file: " + llvm::toString(file.takeError()));
  std::string bytes;
  std::optional<NpyLayout> layout;
  // How far to read: the preamble of a version 1.0 file at first, then the
  // end of the header, then the end of the data and one byte more.
  size_t wanted = kMagic.size() + 4;
  bool atEnd = false;
  llvm::Error failure = llvm::Error::success();
  while (!atEnd && bytes.size() < wanted) {
    size_t chunk = std::min(kStreamChunk, wanted - bytes.size());
    size_t old = bytes.size();
    bytes.resize(old + chunk);
    llvm::Expected<size_t> got = llvm::sys::fs::readNativeFile(
        *file, llvm::MutableArrayRef<char>(&bytes[old], chunk));
    if (!got) {
      failure =
          fileError(path, "cannot read: " + llvm::toString(got.takeError()));
      break;
    }
    bytes.resize(old + *got);
    atEnd = *got == 0;
    if (bytes.size() < wanted)
      continue;
    if (layout)
      break;
    // The preamble is complete: is it one, and where does the header end?
    llvm::StringRef read(bytes);
    if (!read.starts_with(kMagic) || read[6] < 1 || read[6] > 3 || read[7])
      break; // readNpyBuffer says what is wrong.
    size_t preambleSize = read[6] == 1 ? 10 : 12;
    if (read.size() < preambleSize) {
      wanted = preambleSize;
      continue;
    }
    uint64_t headerLength =
        read[6] == 1 ? llvm::support::endian::read16le(read.data() + 8)
                     : llvm::support::endian::read32le(read.data() + 8);
    if (headerLength > kMaxHeaderLength)
      break; // readNpyBuffer says what is wrong.
    if (read.size() < preambleSize + headerLength) {
      wanted = preambleSize + headerLength;
      continue;
    }
    llvm::Expected<NpyLayout> parsed = parseNpyLayout(
        read.take_front(preambleSize + headerLength), path, options);
    if (!parsed) {
      llvm::consumeError(parsed.takeError());
      break; // readNpyBuffer says what is wrong.
    }
    layout = std::move(*parsed);
    wanted = layout->dataOffset + layout->dataBytes + 1;
  }
  llvm::sys::fs::closeFile(*file);
  if (failure)
    return std::move(failure);
  if (layout && bytes.size() > layout->dataOffset + layout->dataBytes)
    return fileError(path, "trailing garbage after the data of shape " +
                               formatShape(layout->shape));
  return readNpyBuffer(bytes, path, options);
}

} // namespace

llvm::Expected<HostTensor>
adjoint::readNpyBuffer(llvm::StringRef bytes, llvm::StringRef name,
                       const NpyReadOptions &options) {
  llvm::Expected<NpyLayout> layout = parseNpyLayout(bytes, name, options);
  if (!layout)
    return layout.takeError();
  llvm::ArrayRef<int64_t> shape = layout->shape;
  uint64_t dataBytes = layout->dataBytes;
  llvm::StringRef data = bytes.drop_front(layout->dataOffset);
  if (data.size() < dataBytes)
    return fileError(name, "truncated data: shape " + formatShape(shape) +
                               " of " + getDTypeName(layout->dtype) +
                               " needs " + llvm::Twine(dataBytes) +
                               " bytes, but the file has " +
                               llvm::Twine(data.size()) + " after the header");
  if (data.size() > dataBytes)
    return fileError(
        name, "trailing garbage: " + llvm::Twine(data.size() - dataBytes) +
                  " bytes after the data of shape " + formatShape(shape));

  llvm::Expected<HostTensor> created = HostTensor::create(layout->dtype, shape);
  if (!created)
    return fileError(name, llvm::toString(created.takeError()));
  HostTensor tensor = std::move(*created);
  std::memcpy(tensor.getData(), data.data(), dataBytes);
  if (llvm::sys::IsBigEndianHost)
    swapElements(tensor.getData(), dataBytes, getDTypeSize(layout->dtype));
  return tensor;
}

llvm::Expected<HostTensor> adjoint::readNpyFile(llvm::StringRef path,
                                                const NpyReadOptions &options) {
  if (llvm::sys::fs::is_directory(path))
    return fileError(path, "is a directory, not a .npy file");
  // A pipe or a device may be endless: read no more than the header says.
  llvm::sys::fs::file_status status;
  if (!llvm::sys::fs::status(path, status) &&
      status.type() != llvm::sys::fs::file_type::regular_file)
    return readStream(path, options);
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buffer =
      llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                  /*RequiresNullTerminator=*/false);
  if (!buffer)
    return fileError(path, "cannot open file: " + buffer.getError().message());
  return readNpyBuffer((*buffer)->getBuffer(), path, options);
}

void adjoint::writeNpy(llvm::raw_ostream &os, const HostTensor &tensor) {
  // The dict as numpy.save writes it: keys sorted, a trailing ", ", and the
  // shape as a Python tuple ("()", "(5,)", "(3, 4)").
  std::string dict;
  llvm::raw_string_ostream dictOs(dict);
  dictOs << "{'descr': '" << getNpyDescr(tensor.getDType())
         << "', 'fortran_order': False, 'shape': (";
  llvm::interleaveComma(tensor.getShape(), dictOs);
  if (tensor.getRank() == 1)
    dictOs << ',';
  dictOs << "), }";

  // numpy leaves room for the first dim to grow (numpy.lib.format's
  // GROWTH_AXIS_MAX_DIGITS), then pads with at least one space and ends with
  // a newline so that the data starts at a multiple of 64 bytes. Doing the
  // same makes the files byte-identical to numpy.save's.
  if (tensor.getRank() > 0)
    dict.append(kGrowthAxisMaxDigits -
                    std::min(kGrowthAxisMaxDigits,
                             std::to_string(tensor.getShape()[0]).size()),
                ' ');
  unsigned major = 1;
  size_t lengthSize = 2;
  auto getPadding = [&] {
    return kHeaderAlignment -
           (kMagic.size() + 2 + lengthSize + dict.size() + 1) %
               kHeaderAlignment;
  };
  if (dict.size() + 1 + getPadding() > 0xffff) {
    major = 2;
    lengthSize = 4;
  }
  dict.append(getPadding(), ' ');
  dict += '\n';
  size_t headerLength = dict.size();

  os << kMagic;
  os << char(major) << char(0);
  char lengthBytes[4];
  if (major == 1) {
    llvm::support::endian::write16le(lengthBytes, uint16_t(headerLength));
    os.write(lengthBytes, 2);
  } else {
    llvm::support::endian::write32le(lengthBytes, uint32_t(headerLength));
    os.write(lengthBytes, 4);
  }
  os << dict;

  if (!llvm::sys::IsBigEndianHost) {
    os.write(static_cast<const char *>(tensor.getData()), tensor.getNumBytes());
    return;
  }
  HostTensor swapped = tensor;
  swapElements(swapped.getData(), swapped.getNumBytes(),
               getDTypeSize(swapped.getDType()));
  os.write(static_cast<const char *>(swapped.getData()), swapped.getNumBytes());
}

llvm::Error adjoint::writeNpyFile(llvm::StringRef path,
                                  const HostTensor &tensor,
                                  const NpyWriteOptions &options) {
  llvm::StringRef parent = llvm::sys::path::parent_path(path);
  if (!parent.empty() && !llvm::sys::fs::is_directory(parent)) {
    if (!options.createParentDirectories)
      return fileError(path, "cannot write: directory '" + parent +
                                 "' does not exist");
    if (std::error_code ec = llvm::sys::fs::create_directories(parent))
      return fileError(path, "cannot create directory '" + parent +
                                 "': " + ec.message());
  }
  if (llvm::sys::fs::is_directory(path))
    return fileError(path, "cannot write: a directory of that name exists");

  // The temporary file lives next to the target so that the final rename
  // stays within one file system; it is removed on failure and on signals.
  llvm::Expected<llvm::sys::fs::TempFile> temp =
      llvm::sys::fs::TempFile::create(path + ".tmp-%%%%%%%%");
  if (!temp)
    return fileError(path, "cannot create a temporary file: " +
                               llvm::toString(temp.takeError()));
  std::error_code writeError;
  {
    llvm::raw_fd_ostream os(temp->FD, /*shouldClose=*/false);
    writeNpy(os, tensor);
    os.flush();
    writeError = os.error();
    os.clear_error();
  }
  if (writeError) {
    llvm::consumeError(temp->discard());
    return fileError(path, "cannot write: " + writeError.message());
  }
  if (llvm::Error err = temp->keep(path))
    return fileError(path, "cannot write: " + llvm::toString(std::move(err)));
  return llvm::Error::success();
}
