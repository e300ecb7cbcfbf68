//===- NpyTest.cpp - Tests of the .npy reader and writer ------------------===//

#include "adjoint/Runtime/Npy.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include "gtest/gtest.h"

#include <cmath>
#include <limits>

using namespace adjoint;

namespace {

/// The message of a failed read, or "<success>".
std::string errorOf(llvm::Expected<HostTensor> result) {
  if (result)
    return "<success>";
  return llvm::toString(result.takeError());
}

std::string errorOf(llvm::Error err) {
  if (!err)
    return "<success>";
  return llvm::toString(std::move(err));
}

std::string toNpy(const HostTensor &tensor) {
  std::string bytes;
  llvm::raw_string_ostream os(bytes);
  writeNpy(os, tensor);
  return bytes;
}

/// A .npy file built by hand: magic, version, length field of the right size,
/// the header text as given, then `data`.
std::string makeNpy(unsigned major, unsigned minor, llvm::StringRef header,
                    llvm::StringRef data) {
  std::string bytes = "\x93NUMPY";
  bytes += char(major);
  bytes += char(minor);
  uint32_t length = header.size();
  bytes += char(length & 0xff);
  bytes += char((length >> 8) & 0xff);
  if (major != 1) {
    bytes += char((length >> 16) & 0xff);
    bytes += char((length >> 24) & 0xff);
  }
  bytes += header.str();
  bytes += data.str();
  return bytes;
}

/// `n` little-endian f32 values 0, 1, 2, ...
std::string floatData(int n) {
  std::string data;
  for (int i = 0; i < n; ++i) {
    float value = float(i);
    data.append(reinterpret_cast<const char *>(&value), sizeof(value));
  }
  return data;
}

HostTensor makeF32(llvm::ArrayRef<int64_t> shape) {
  HostTensor tensor(DType::F32, shape);
  llvm::MutableArrayRef<float> values = tensor.getMutableValues<float>();
  for (size_t i = 0; i < values.size(); ++i)
    values[i] = 0.5f * float(i) - 3.25f;
  return tensor;
}

//===----------------------------------------------------------------------===//
// Round trips and the writer's bytes
//===----------------------------------------------------------------------===//

TEST(NpyTest, RoundTripEveryDTypeAndRank) {
  const llvm::SmallVector<int64_t, 3> shapes[] = {{}, {5}, {2, 3, 4}, {0, 3}};
  NpyReadOptions options;
  options.allowF64 = true;
  for (DType dtype : {DType::F32, DType::F64, DType::I64, DType::I32}) {
    for (const auto &shape : shapes) {
      HostTensor tensor(dtype, shape);
      for (int64_t i = 0; i < tensor.getNumElements(); ++i) {
        switch (dtype) {
        case DType::F32:
          tensor.getMutableValues<float>()[i] = -1.5f * float(i) + 0.1f;
          break;
        case DType::F64:
          tensor.getMutableValues<double>()[i] = 1e300 / double(i + 1);
          break;
        case DType::I64:
          tensor.getMutableValues<int64_t>()[i] = (int64_t(1) << 40) - 7 * i;
          break;
        case DType::I32:
          tensor.getMutableValues<int32_t>()[i] = -100000 * int32_t(i);
          break;
        }
      }
      std::string bytes = toNpy(tensor);
      llvm::Expected<HostTensor> back = readNpyBuffer(bytes, "t.npy", options);
      ASSERT_TRUE(bool(back)) << llvm::toString(back.takeError());
      EXPECT_TRUE(back->isBitwiseEqual(tensor))
          << getDTypeName(dtype).str() << formatShape(shape);
    }
  }
}

TEST(NpyTest, RoundTripSpecialFloats) {
  HostTensor tensor = HostTensor::fromValues<float>(
      {5}, {-0.0f, std::numeric_limits<float>::infinity(),
            -std::numeric_limits<float>::infinity(),
            std::numeric_limits<float>::quiet_NaN(),
            std::numeric_limits<float>::denorm_min()});
  llvm::Expected<HostTensor> back = readNpyBuffer(toNpy(tensor), "t.npy");
  ASSERT_TRUE(bool(back)) << llvm::toString(back.takeError());
  EXPECT_TRUE(back->isBitwiseEqual(tensor));
  EXPECT_TRUE(std::signbit(back->getValues<float>()[0]));
  EXPECT_TRUE(std::isnan(back->getValues<float>()[3]));
}

// The layout numpy.save (1.24) produces, byte for byte: the header is padded
// for a first dim of up to 21 digits and to a multiple of 64 bytes.
TEST(NpyTest, WriterMatchesNumpyLayout) {
  std::string bytes = toNpy(makeF32({2, 3}));
  ASSERT_EQ(bytes.size(), 128u + 24u);
  EXPECT_EQ(bytes.substr(0, 10), std::string("\x93NUMPY\x01\x00\x76\x00", 10));
  std::string dict =
      "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }";
  EXPECT_EQ(bytes.substr(10, dict.size()), dict);
  EXPECT_EQ(bytes.substr(10 + dict.size(), 118 - dict.size() - 1),
            std::string(118 - dict.size() - 1, ' '));
  EXPECT_EQ(bytes[127], '\n');

  std::string scalar = toNpy(HostTensor(DType::F32, {}));
  EXPECT_EQ(scalar.size(), 132u);
  EXPECT_NE(scalar.find("'shape': (), }"), std::string::npos);

  std::string vector = toNpy(HostTensor(DType::I64, {5}));
  EXPECT_EQ(vector.size(), 128u + 40u);
  EXPECT_NE(vector.find("{'descr': '<i8', 'fortran_order': False, "
                        "'shape': (5,), }"),
            std::string::npos);
}

TEST(NpyTest, WriterAlignsDataForEveryRank) {
  for (int rank = 0; rank < 40; ++rank) {
    // Empty arrays keep this cheap; the header grows with the rank.
    llvm::SmallVector<int64_t> shape(rank, 1);
    if (rank)
      shape[0] = 0;
    std::string bytes = toNpy(HostTensor(DType::F32, shape));
    uint16_t length = uint8_t(bytes[8]) | (uint8_t(bytes[9]) << 8);
    EXPECT_EQ((10 + length) % 64, 0u) << rank;
    EXPECT_EQ(bytes[10 + length - 1], '\n');
  }
}

TEST(NpyTest, WriterSwitchesToVersion2ForHugeHeaders) {
  // 30000 dims of 1 need a header over 64 KiB.
  llvm::SmallVector<int64_t> shape(30000, 1);
  HostTensor tensor(DType::F32, shape);
  tensor.getMutableValues<float>()[0] = 2.5f;
  std::string bytes = toNpy(tensor);
  EXPECT_EQ(bytes[6], 2);
  EXPECT_EQ(bytes[7], 0);
  uint32_t length = uint8_t(bytes[8]) | (uint8_t(bytes[9]) << 8) |
                    (uint8_t(bytes[10]) << 16) |
                    (uint32_t(uint8_t(bytes[11])) << 24);
  EXPECT_GT(length, 0xffffu);
  EXPECT_EQ((12 + length) % 64, 0u);
  llvm::Expected<HostTensor> back = readNpyBuffer(bytes, "big.npy");
  ASSERT_TRUE(bool(back)) << llvm::toString(back.takeError());
  EXPECT_TRUE(back->isBitwiseEqual(tensor));
}

//===----------------------------------------------------------------------===//
// Headers written by hand
//===----------------------------------------------------------------------===//

TEST(NpyTest, ReadsVersion2And3Headers) {
  std::string header =
      "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), }\n";
  for (unsigned major : {2u, 3u}) {
    llvm::Expected<HostTensor> tensor =
        readNpyBuffer(makeNpy(major, 0, header, floatData(4)), "v.npy");
    ASSERT_TRUE(bool(tensor)) << llvm::toString(tensor.takeError());
    EXPECT_EQ(tensor->getShape(), llvm::ArrayRef<int64_t>({2, 2}));
    EXPECT_EQ(tensor->getValues<float>()[3], 3.0f);
  }
}

TEST(NpyTest, ReadsVersion2HeaderLongerThan64K) {
  std::string header =
      "{'descr': '<f4', 'fortran_order': False, 'shape': (3,)}" +
      std::string(70000, ' ') + "\n";
  llvm::Expected<HostTensor> tensor =
      readNpyBuffer(makeNpy(2, 0, header, floatData(3)), "v.npy");
  ASSERT_TRUE(bool(tensor)) << llvm::toString(tensor.takeError());
  EXPECT_EQ(tensor->getNumElements(), 3);
}

TEST(NpyTest, ParsesHeaderVariants) {
  struct Case {
    const char *header;
    llvm::SmallVector<int64_t, 3> shape;
  } cases[] = {
      // Any key order, extra spaces, no trailing comma, no padding.
      {"{'shape': (2, 3), 'fortran_order': False, 'descr': '<f4'}", {2, 3}},
      {"{ 'fortran_order' :False ,'descr':'<f4','shape':( 2 ,3 , ) , }\n",
       {2, 3}},
      {"{\"descr\": \"<f4\", \"fortran_order\": False, \"shape\": (6,)}", {6}},
      {"{'descr': '<f4', 'fortran_order': False, 'shape': (), }   \n", {}},
      {"{'descr': '<f4', 'fortran_order': False, 'shape': (1, 1, 6), }",
       {1, 1, 6}},
      // Python 2 long integers, and a list as the shape.
      {"{'descr': '<f4', 'fortran_order': False, 'shape': (2L, 3L), }", {2, 3}},
      {"{'descr': '<f4', 'fortran_order': False, 'shape': [3, 2]}", {3, 2}},
      {"\t{'descr': '<f4',\n 'fortran_order': False,\r\n 'shape': (6,)}\n",
       {6}},
  };
  for (const Case &c : cases) {
    int64_t count = 1;
    for (int64_t dim : c.shape)
      count *= dim;
    llvm::Expected<HostTensor> tensor =
        readNpyBuffer(makeNpy(1, 0, c.header, floatData(count)), "h.npy");
    ASSERT_TRUE(bool(tensor))
        << c.header << ": " << llvm::toString(tensor.takeError());
    EXPECT_EQ(tensor->getShape(), llvm::ArrayRef<int64_t>(c.shape)) << c.header;
    EXPECT_EQ(tensor->getValues<float>().back(), float(count - 1));
  }
}

TEST(NpyTest, ReadsUtf8Version3Header) {
  // Version 3.0 only differs in the header's encoding (utf-8), which the
  // accepted dicts do not use beyond ASCII.
  std::string header =
      "{'descr': '<i4', 'fortran_order': False, 'shape': (2,), }" +
      std::string(5, ' ') + "\n";
  std::string data("\x01\x00\x00\x00\xff\xff\xff\xff", 8);
  llvm::Expected<HostTensor> tensor =
      readNpyBuffer(makeNpy(3, 0, header, data), "u.npy");
  ASSERT_TRUE(bool(tensor)) << llvm::toString(tensor.takeError());
  EXPECT_EQ(tensor->getDType(), DType::I32);
  EXPECT_EQ(tensor->getValues<int32_t>()[0], 1);
  EXPECT_EQ(tensor->getValues<int32_t>()[1], -1);
}

//===----------------------------------------------------------------------===//
// Refusals
//===----------------------------------------------------------------------===//

std::string readError(unsigned major, unsigned minor, llvm::StringRef header,
                      llvm::StringRef data = "") {
  return errorOf(readNpyBuffer(makeNpy(major, minor, header, data), "x.npy"));
}

TEST(NpyTest, RefusesBadMagicAndVersion) {
  EXPECT_EQ(errorOf(readNpyBuffer("PK\x03\x04 not numpy", "x.npy")),
            "x.npy: not a .npy file (bad magic string; the file should start "
            "with \"\\x93NUMPY\")");
  EXPECT_EQ(errorOf(readNpyBuffer("", "x.npy")),
            "x.npy: not a .npy file (bad magic string; the file should start "
            "with \"\\x93NUMPY\")");
  EXPECT_EQ(errorOf(readNpyBuffer("\x93NUMPY\x01", "x.npy")),
            "x.npy: truncated header (the file ends inside the version)");
  std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': ()}";
  EXPECT_EQ(readError(4, 0, header, floatData(1)),
            "x.npy: unsupported .npy format version 4.0 (supported are 1.0, "
            "2.0 and 3.0)");
  EXPECT_EQ(readError(1, 1, header, floatData(1)),
            "x.npy: unsupported .npy format version 1.1 (supported are 1.0, "
            "2.0 and 3.0)");
  EXPECT_EQ(readError(0, 0, header, floatData(1)),
            "x.npy: unsupported .npy format version 0.0 (supported are 1.0, "
            "2.0 and 3.0)");
}

TEST(NpyTest, RefusesTruncatedHeader) {
  EXPECT_EQ(errorOf(readNpyBuffer(std::string("\x93NUMPY\x02\x00\x10\x00", 10),
                                  "x.npy")),
            "x.npy: truncated header (the file ends inside the header length)");
  std::string bytes = makeNpy(
      1, 0, "{'descr': '<f4', 'fortran_order': False, 'shape': ()}", "");
  bytes.resize(bytes.size() - 5);
  EXPECT_EQ(errorOf(readNpyBuffer(bytes, "x.npy")),
            "x.npy: truncated header (the header is 53 bytes long, but the "
            "file ends after 48)");
}

TEST(NpyTest, RefusesMalformedHeaders) {
  EXPECT_EQ(readError(1, 0, "{'descr': '<f4' 'fortran_order': False}"),
            "x.npy: malformed header: expected ',' or '}' at character 17 of "
            "\"{'descr': '<f4' 'fortran_order': False}\"");
  EXPECT_EQ(readError(1, 0,
                      "{'descr': '<f4', 'fortran_order': False, "
                      "'shape': (3, 4}"),
            "x.npy: malformed header: expected ',' or ')' at character 56 of "
            "\"{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4}\"");
  EXPECT_EQ(readError(1, 0, "{'descr': '<f4"),
            "x.npy: malformed header: unterminated string at character 15 of "
            "\"{'descr': '<f4\"");
  EXPECT_EQ(readError(1, 0,
                      "{'descr': '<f4', 'fortran_order': false, "
                      "'shape': ()}"),
            "x.npy: malformed header: unexpected name 'false' at character 35 "
            "of \"{'descr': '<f4', 'fortran_order': false, 'shape': ()}\"");
  EXPECT_EQ(readError(1, 0,
                      "{'descr': '<f4', 'fortran_order': False, "
                      "'shape': (3.5,)}"),
            "x.npy: malformed header: expected an integer at character 53 of "
            "\"{'descr': '<f4', 'fortran_order': False, 'shape': (3.5,)}\"");
  EXPECT_EQ(readError(1, 0,
                      "{'descr': '<f4', 'fortran_order': False, "
                      "'shape': ()} x"),
            "x.npy: malformed header: unexpected text after the dict at "
            "character 55 of \"{'descr': '<f4', 'fortran_order': False, "
            "'shape': ()} x\"");
  EXPECT_EQ(readError(1, 0, ""),
            "x.npy: malformed header: unexpected end of header at character 1 "
            "of \"\"");
  EXPECT_EQ(readError(1, 0, std::string("{\x01}", 3)),
            "x.npy: malformed header: unexpected character '\\01' at "
            "character 2 of \"{\\01}\"");
  EXPECT_EQ(readError(1, 0, std::string(100, '(')),
            "x.npy: malformed header: values nested too deeply at character "
            "34 of \"" +
                std::string(100, '(') + "\"");
  EXPECT_EQ(readError(1, 0, "('descr', '<f4')"),
            "x.npy: malformed header: the header is not a dict");
}

TEST(NpyTest, RefusesBadKeysAndValues) {
  EXPECT_EQ(readError(1, 0, "{'descr': '<f4', 'shape': ()}"),
            "x.npy: malformed header: missing key 'fortran_order'");
  EXPECT_EQ(readError(1, 0, "{'fortran_order': False, 'shape': ()}"),
            "x.npy: malformed header: missing key 'descr'");
  EXPECT_EQ(readError(1, 0, "{'descr': '<f4', 'fortran_order': False}"),
            "x.npy: malformed header: missing key 'shape'");
  EXPECT_EQ(readError(1, 0,
                      "{'descr': '<f4', 'fortran_order': False, "
                      "'shape': (), 'extra': 1}"),
            "x.npy: malformed header: unexpected key 'extra' (expected "
            "'descr', 'fortran_order' and 'shape')");
  EXPECT_EQ(readError(1, 0,
                      "{'descr': '<f4', 'fortran_order': False, "
                      "'shape': (), 'shape': (2,)}"),
            "x.npy: malformed header: duplicate key 'shape'");
  EXPECT_EQ(readError(1, 0, "{1: '<f4'}"),
            "x.npy: malformed header: a key is not a string");
  EXPECT_EQ(readError(1, 0,
                      "{'descr': 4, 'fortran_order': False, "
                      "'shape': ()}"),
            "x.npy: malformed header: 'descr' is not a string");
  EXPECT_EQ(readError(1, 0,
                      "{'descr': '<f4', 'fortran_order': 0, "
                      "'shape': ()}"),
            "x.npy: malformed header: 'fortran_order' is not True or False");
  EXPECT_EQ(readError(1, 0,
                      "{'descr': '<f4', 'fortran_order': False, "
                      "'shape': 5}"),
            "x.npy: malformed header: 'shape' is not a tuple");
  EXPECT_EQ(readError(1, 0,
                      "{'descr': '<f4', 'fortran_order': False, "
                      "'shape': (2, None)}"),
            "x.npy: malformed header: 'shape' has an element that is not an "
            "integer");
  EXPECT_EQ(readError(1, 0,
                      "{'descr': '<f4', 'fortran_order': False, "
                      "'shape': (2, -3)}"),
            "x.npy: malformed header: 'shape' has a negative dim -3");
  EXPECT_EQ(readError(1, 0,
                      "{'descr': '<f4', 'fortran_order': False, "
                      "'shape': (99999999999999999999,)}"),
            "x.npy: malformed header: integer 99999999999999999999 does not "
            "fit in int64 at character 52 of \"{'descr': '<f4', "
            "'fortran_order': False, 'shape': (99999999999999999999,)}\"");
}

TEST(NpyTest, RefusesFortranOrder) {
  EXPECT_EQ(readError(1, 0,
                      "{'descr': '<f4', 'fortran_order': True, "
                      "'shape': (2, 2)}",
                      floatData(4)),
            "x.npy: Fortran-order arrays are not supported (save a C-order "
            "array, e.g. numpy.ascontiguousarray(a))");
}

TEST(NpyTest, RefusesOtherDTypes) {
  auto withDescr = [](llvm::StringRef descr) {
    return readError(1, 0,
                     "{'descr': " + descr.str() +
                         ", 'fortran_order': False, 'shape': (4,)}",
                     std::string(64, '\0'));
  };
  const char *supported = "; supported are '<f4' (float32), '<i8' (int64) "
                          "and '<i4' (int32)";
  EXPECT_EQ(withDescr("'>f4'"), std::string("x.npy: unsupported dtype '>f4' "
                                            "(big-endian float32)") +
                                    supported);
  EXPECT_EQ(withDescr("'>i8'"), std::string("x.npy: unsupported dtype '>i8' "
                                            "(big-endian int64)") +
                                    supported);
  EXPECT_EQ(withDescr("'<f2'"),
            std::string("x.npy: unsupported dtype '<f2' (float16)") +
                supported);
  EXPECT_EQ(withDescr("'|b1'"),
            std::string("x.npy: unsupported dtype '|b1' (bool)") + supported);
  EXPECT_EQ(withDescr("'|u1'"),
            std::string("x.npy: unsupported dtype '|u1' (uint8)") + supported);
  EXPECT_EQ(withDescr("'<c8'"),
            std::string("x.npy: unsupported dtype '<c8' (complex64)") +
                supported);
  EXPECT_EQ(withDescr("'|O'"),
            std::string("x.npy: unsupported dtype '|O' (Python objects)") +
                supported);
  EXPECT_EQ(withDescr("'<U3'"),
            std::string("x.npy: unsupported dtype '<U3' (unicode strings)") +
                supported);
  EXPECT_EQ(withDescr("'<M8[ns]'"),
            std::string("x.npy: unsupported dtype '<M8[ns]' (datetime64)") +
                supported);
  EXPECT_EQ(withDescr("'f4'"),
            std::string("x.npy: unsupported dtype 'f4' (float32)") + supported);
  EXPECT_EQ(withDescr("''"),
            std::string("x.npy: unsupported dtype '' (unknown)") + supported);
  EXPECT_EQ(withDescr("[('a', '<f4'), ('b', '<i4')]"),
            "x.npy: unsupported dtype: structured arrays (a list as 'descr') "
            "are not supported");
}

TEST(NpyTest, F64OnlyWhenAllowed) {
  std::string bytes =
      makeNpy(1, 0, "{'descr': '<f8', 'fortran_order': False, 'shape': (2,)}",
              std::string(16, '\0'));
  EXPECT_EQ(errorOf(readNpyBuffer(bytes, "x.npy")),
            "x.npy: unsupported dtype '<f8' (float64); supported are '<f4' "
            "(float32), '<i8' (int64) and '<i4' (int32)");
  NpyReadOptions options;
  options.allowF64 = true;
  llvm::Expected<HostTensor> tensor = readNpyBuffer(bytes, "x.npy", options);
  ASSERT_TRUE(bool(tensor)) << llvm::toString(tensor.takeError());
  EXPECT_EQ(tensor->getDType(), DType::F64);
  EXPECT_EQ(
      errorOf(readNpyBuffer(
          makeNpy(1, 0,
                  "{'descr': '<f2', 'fortran_order': False, 'shape': (2,)}",
                  ""),
          "x.npy", options)),
      "x.npy: unsupported dtype '<f2' (float16); supported are '<f4' "
      "(float32), '<f8' (float64), '<i8' (int64) and '<i4' (int32)");
}

TEST(NpyTest, RefusesTruncatedAndTrailingData) {
  std::string header =
      "{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4)}";
  EXPECT_EQ(readError(1, 0, header, floatData(11)),
            "x.npy: truncated data: shape [3, 4] of f32 needs 48 bytes, but "
            "the file has 44 after the header");
  EXPECT_EQ(readError(1, 0, header, ""),
            "x.npy: truncated data: shape [3, 4] of f32 needs 48 bytes, but "
            "the file has 0 after the header");
  EXPECT_EQ(readError(1, 0, header, floatData(12) + "x"),
            "x.npy: trailing garbage: 1 bytes after the data of shape [3, 4]");
  EXPECT_EQ(readError(1, 0,
                      "{'descr': '<i8', 'fortran_order': False, 'shape': "
                      "(0, 5)}",
                      "abcd"),
            "x.npy: trailing garbage: 4 bytes after the data of shape [0, 5]");
}

TEST(NpyTest, RefusesHugeShapesBeforeAllocating) {
  // 2^32 * 2^32 elements: the count overflows int64.
  EXPECT_EQ(readError(1, 0,
                      "{'descr': '<f4', 'fortran_order': False, 'shape': "
                      "(4294967296, 4294967296)}"),
            "x.npy: shape [4294967296, 4294967296] has too many elements (the "
            "count overflows int64)");
  // A zero dim does not excuse an overflowing product of the others.
  EXPECT_EQ(readError(1, 0,
                      "{'descr': '<f4', 'fortran_order': False, 'shape': "
                      "(4294967296, 4294967296, 0)}"),
            "x.npy: shape [4294967296, 4294967296, 0] has too many elements "
            "(the count overflows int64)");
  // One element over 16 GiB.
  EXPECT_EQ(readError(1, 0,
                      "{'descr': '<f4', 'fortran_order': False, 'shape': "
                      "(4294967297,)}"),
            "x.npy: array of shape [4294967297] is too large (4294967297 "
            "elements of f32; the limit is 16 GiB of data)");
  EXPECT_EQ(readError(1, 0,
                      "{'descr': '<i8', 'fortran_order': False, 'shape': "
                      "(1000000, 1000000, 1000000)}"),
            "x.npy: array of shape [1000000, 1000000, 1000000] is too large "
            "(1000000000000000000 elements of i64; the limit is 16 GiB of "
            "data)");
  // Exactly 16 GiB passes the size check and fails on the missing data,
  // without allocating 16 GiB first.
  EXPECT_EQ(readError(1, 0,
                      "{'descr': '<f4', 'fortran_order': False, 'shape': "
                      "(4294967296,)}"),
            "x.npy: truncated data: shape [4294967296] of f32 needs "
            "17179869184 bytes, but the file has 0 after the header");
}

//===----------------------------------------------------------------------===//
// Files
//===----------------------------------------------------------------------===//

class NpyFileTest : public ::testing::Test {
protected:
  void SetUp() override {
    ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("adjoint-npy-test", dir));
  }
  void TearDown() override { llvm::sys::fs::remove_directories(dir); }

  std::string path(llvm::StringRef relative) {
    llvm::SmallString<128> result(dir);
    llvm::sys::path::append(result, relative);
    return std::string(result);
  }

  /// The names of the entries of `directory`, sorted.
  std::vector<std::string> list(llvm::StringRef directory) {
    std::vector<std::string> names;
    std::error_code ec;
    for (llvm::sys::fs::directory_iterator it(directory, ec), end;
         it != end && !ec; it.increment(ec))
      names.push_back(llvm::sys::path::filename(it->path()).str());
    llvm::sort(names);
    return names;
  }

  llvm::SmallString<128> dir;
};

TEST_F(NpyFileTest, WriteThenRead) {
  HostTensor tensor = makeF32({4, 2});
  ASSERT_EQ(errorOf(writeNpyFile(path("w.npy"), tensor)), "<success>");
  llvm::Expected<HostTensor> back = readNpyFile(path("w.npy"));
  ASSERT_TRUE(bool(back)) << llvm::toString(back.takeError());
  EXPECT_TRUE(back->isBitwiseEqual(tensor));
  // No temporary file is left behind.
  EXPECT_EQ(list(dir), std::vector<std::string>{"w.npy"});
}

TEST_F(NpyFileTest, OverwritesExistingFile) {
  ASSERT_EQ(errorOf(writeNpyFile(path("w.npy"), makeF32({100}))), "<success>");
  HostTensor small = HostTensor::fromValues<int64_t>({2}, {7, 8});
  ASSERT_EQ(errorOf(writeNpyFile(path("w.npy"), small)), "<success>");
  llvm::Expected<HostTensor> back = readNpyFile(path("w.npy"));
  ASSERT_TRUE(bool(back)) << llvm::toString(back.takeError());
  EXPECT_TRUE(back->isBitwiseEqual(small));
}

TEST_F(NpyFileTest, CreatesParentDirectoriesOnRequest) {
  std::string nested = path("a/b/c/w.npy");
  EXPECT_EQ(errorOf(writeNpyFile(nested, makeF32({3}))),
            nested + ": cannot write: directory '" + path("a/b/c") +
                "' does not exist");
  EXPECT_FALSE(llvm::sys::fs::exists(path("a")));

  NpyWriteOptions options;
  options.createParentDirectories = true;
  ASSERT_EQ(errorOf(writeNpyFile(nested, makeF32({3}), options)), "<success>");
  EXPECT_TRUE(bool(readNpyFile(nested)));
  EXPECT_EQ(list(path("a/b/c")), std::vector<std::string>{"w.npy"});
}

TEST_F(NpyFileTest, FailedWriteLeavesNothingBehind) {
  // The target is a directory: nothing may be written, no temporary left.
  ASSERT_FALSE(llvm::sys::fs::create_directory(path("out.npy")));
  EXPECT_EQ(errorOf(writeNpyFile(path("out.npy"), makeF32({3}))),
            path("out.npy") + ": cannot write: a directory of that name "
                              "exists");
  EXPECT_EQ(list(dir), std::vector<std::string>{"out.npy"});

  // A parent path component is a regular file.
  ASSERT_EQ(errorOf(writeNpyFile(path("file"), makeF32({1}))), "<success>");
  NpyWriteOptions options;
  options.createParentDirectories = true;
  std::string message =
      errorOf(writeNpyFile(path("file/sub/x.npy"), makeF32({3}), options));
  EXPECT_EQ(message.rfind(path("file/sub/x.npy") +
                              ": cannot create directory '" + path("file/sub") +
                              "': ",
                          0),
            0u)
      << message;
  EXPECT_EQ(list(dir), (std::vector<std::string>{"file", "out.npy"}));
}

TEST_F(NpyFileTest, RefusesMissingFileAndDirectory) {
  EXPECT_EQ(errorOf(readNpyFile(path("missing.npy"))),
            path("missing.npy") +
                ": cannot open file: No such file or directory");
  EXPECT_EQ(errorOf(readNpyFile(dir)),
            dir.str().str() + ": is a directory, not a .npy file");
}

TEST_F(NpyFileTest, ErrorsNameTheFile) {
  std::string file = path("bad.npy");
  {
    std::error_code ec;
    llvm::raw_fd_ostream os(file, ec);
    ASSERT_FALSE(ec);
    os << makeNpy(1, 0,
                  "{'descr': '<f4', 'fortran_order': True, 'shape': (1,)}",
                  floatData(1));
  }
  EXPECT_EQ(errorOf(readNpyFile(file)),
            file + ": Fortran-order arrays are not supported (save a C-order "
                   "array, e.g. numpy.ascontiguousarray(a))");
}

} // namespace
