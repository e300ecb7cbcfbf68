//===- GradRulesTest.cpp - Every gradient rule, checked numerically -------===//
//
// Each case is a small function of nn ops. Its linearization is checked
// against central differences and its transpose against the linearization
// (dot-product test), in f64 with the reference interpreter, at two sizes of
// the dynamic (batch) dims and several random directions. The cases cover
// every op and loss of the nn dialect that carries derivatives, operands that
// broadcast, values used more than once, and dynamic dims.
//
//===----------------------------------------------------------------------===//

#include "adjoint/Autodiff/Rules.h"
#include "adjoint/Autodiff/VerifyGrad.h"
#include "adjoint/Dialect/NN/IR/NNDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"

#include <gtest/gtest.h>

using namespace mlir;
using namespace adjoint;

namespace {

struct RuleCase {
  const char *name;
  /// A module with one function @f.
  const char *source;
  /// Arguments that must be positive (log, sqrt, divisors, variances).
  std::vector<unsigned> positive = {};
  /// Float arguments not differentiated (batchnorm statistics).
  std::vector<unsigned> constant = {};
  /// Exclusive bound of the integer arguments.
  int64_t intBound = 2;
};

void PrintTo(const RuleCase &c, std::ostream *os) { *os << c.name; }

class GradRulesTest : public ::testing::TestWithParam<RuleCase> {
protected:
  GradRulesTest() {
    DialectRegistry registry;
    registry.insert<nn::NNDialect, func::FuncDialect, arith::ArithDialect,
                    tensor::TensorDialect>();
    registerNNAutodiffModels(registry);
    context.appendDialectRegistry(registry);
    context.loadAllAvailableDialects();
  }
  MLIRContext context;
};

TEST_P(GradRulesTest, MatchesFiniteDifferencesAndTransposes) {
  const RuleCase &c = GetParam();
  OwningOpRef<ModuleOp> module = parseSourceString<ModuleOp>(c.source, &context);
  ASSERT_TRUE(module) << "cannot parse case " << c.name;
  auto f = module->lookupSymbol<func::FuncOp>("f");
  ASSERT_TRUE(f);
  std::vector<unsigned> wrt;
  for (auto [i, type] : llvm::enumerate(f.getArgumentTypes()))
    if (llvm::isa<FloatType>(llvm::cast<RankedTensorType>(type).getElementType()) &&
        !llvm::is_contained(c.constant, i))
      wrt.push_back(i);
  ASSERT_FALSE(wrt.empty());

  for (int64_t size : {2, 3}) {
    std::vector<HostTensor> args = autodiff::makeRandomArguments(
        f, size, /*seed=*/size, c.positive, c.intBound);
    autodiff::GradCheckOptions options;
    options.trials = 3;
    options.seed = 7 * size;
    llvm::Expected<autodiff::GradCheckResult> result =
        autodiff::checkGradients(f, args, wrt, options);
    ASSERT_TRUE(static_cast<bool>(result))
        << llvm::toString(result.takeError());
    EXPECT_LT(result->fdError, 1e-6) << c.name << " at size " << size;
    EXPECT_LT(result->dotError, 1e-10) << c.name << " at size " << size;
  }
}

// clang-format off
const RuleCase kElementwise[] = {
  {"add_broadcast_row", R"(
    func.func @f(%a: tensor<?x4xf32>, %b: tensor<4xf32>) -> tensor<?x4xf32> {
      %0 = nn.add %a, %b : tensor<?x4xf32>, tensor<4xf32> -> tensor<?x4xf32>
      return %0 : tensor<?x4xf32>
    })"},
  {"add_broadcast_both", R"(
    func.func @f(%a: tensor<?x1x4xf32>, %b: tensor<3x1xf32>) -> tensor<?x3x4xf32> {
      %0 = nn.add %a, %b : tensor<?x1x4xf32>, tensor<3x1xf32> -> tensor<?x3x4xf32>
      return %0 : tensor<?x3x4xf32>
    })"},
  {"sub_broadcast_lhs", R"(
    func.func @f(%a: tensor<4xf32>, %b: tensor<?x4xf32>) -> tensor<?x4xf32> {
      %0 = nn.sub %a, %b : tensor<4xf32>, tensor<?x4xf32> -> tensor<?x4xf32>
      return %0 : tensor<?x4xf32>
    })"},
  {"neg", R"(
    func.func @f(%a: tensor<?x3xf32>) -> tensor<?x3xf32> {
      %0 = nn.neg %a : tensor<?x3xf32>
      return %0 : tensor<?x3xf32>
    })"},
  {"mul_broadcast", R"(
    func.func @f(%a: tensor<?x4xf32>, %b: tensor<1x4xf32>) -> tensor<?x4xf32> {
      %0 = nn.mul %a, %b : tensor<?x4xf32>, tensor<1x4xf32> -> tensor<?x4xf32>
      return %0 : tensor<?x4xf32>
    })"},
  {"mul_scalar_constant", R"(
    func.func @f(%a: tensor<?x4xf32>) -> tensor<?x4xf32> {
      %c = nn.constant dense<2.5e-01> : tensor<f32>
      %0 = nn.mul %a, %c : tensor<?x4xf32>, tensor<f32> -> tensor<?x4xf32>
      return %0 : tensor<?x4xf32>
    })"},
  {"mul_fan_out_square", R"(
    func.func @f(%a: tensor<?x3xf32>) -> tensor<?x3xf32> {
      %0 = nn.mul %a, %a : tensor<?x3xf32>, tensor<?x3xf32> -> tensor<?x3xf32>
      return %0 : tensor<?x3xf32>
    })"},
  {"div_broadcast", R"(
    func.func @f(%a: tensor<?x4xf32>, %b: tensor<4xf32>) -> tensor<?x4xf32> {
      %0 = nn.div %a, %b : tensor<?x4xf32>, tensor<4xf32> -> tensor<?x4xf32>
      return %0 : tensor<?x4xf32>
    })", {1}},
  {"exp_log_sqrt", R"(
    func.func @f(%a: tensor<?x3xf32>) -> (tensor<?x3xf32>, tensor<?x3xf32>, tensor<?x3xf32>) {
      %0 = nn.exp %a : tensor<?x3xf32>
      %1 = nn.log %a : tensor<?x3xf32>
      %2 = nn.sqrt %a : tensor<?x3xf32>
      return %0, %1, %2 : tensor<?x3xf32>, tensor<?x3xf32>, tensor<?x3xf32>
    })", {0}},
  {"activations", R"(
    func.func @f(%a: tensor<?x5xf32>) -> (tensor<?x5xf32>, tensor<?x5xf32>, tensor<?x5xf32>, tensor<?x5xf32>, tensor<?x5xf32>) {
      %0 = nn.relu %a : tensor<?x5xf32>
      %1 = nn.leaky_relu %a {alpha = 1.000000e-01 : f32} : tensor<?x5xf32>
      %2 = nn.sigmoid %a : tensor<?x5xf32>
      %3 = nn.tanh %a : tensor<?x5xf32>
      %4 = nn.gelu %a : tensor<?x5xf32>
      return %0, %1, %2, %3, %4 : tensor<?x5xf32>, tensor<?x5xf32>, tensor<?x5xf32>, tensor<?x5xf32>, tensor<?x5xf32>
    })"},
  {"piecewise_constant_coefficients", R"(
    func.func @f(%a: tensor<?x5xf32>) -> (tensor<?x5xf32>, tensor<f32>) {
      %0 = nn.relu_mask %a : tensor<?x5xf32>
      %1 = nn.size %a axes = [0] : tensor<?x5xf32> -> tensor<f32>
      return %0, %1 : tensor<?x5xf32>, tensor<f32>
    })"},
  {"gelu_deriv_times_input", R"(
    func.func @f(%a: tensor<?x5xf32>) -> tensor<?x5xf32> {
      %0 = nn.gelu_deriv %a : tensor<?x5xf32>
      %1 = nn.mul %0, %a : tensor<?x5xf32>, tensor<?x5xf32> -> tensor<?x5xf32>
      return %1 : tensor<?x5xf32>
    })"},
};

const RuleCase kLayout[] = {
  {"matmul", R"(
    func.func @f(%a: tensor<?x3xf32>, %b: tensor<3x4xf32>) -> tensor<?x4xf32> {
      %0 = nn.matmul %a, %b : tensor<?x3xf32>, tensor<3x4xf32> -> tensor<?x4xf32>
      return %0 : tensor<?x4xf32>
    })"},
  {"matmul_transpose_b_dense", R"(
    func.func @f(%x: tensor<?x3xf32>, %w: tensor<4x3xf32>) -> tensor<?x4xf32> {
      %0 = nn.matmul %x, %w transpose_b : tensor<?x3xf32>, tensor<4x3xf32> -> tensor<?x4xf32>
      return %0 : tensor<?x4xf32>
    })"},
  {"matmul_transpose_a", R"(
    func.func @f(%a: tensor<?x3xf32>, %b: tensor<?x4xf32>) -> tensor<3x4xf32> {
      %0 = nn.matmul %a, %b transpose_a : tensor<?x3xf32>, tensor<?x4xf32> -> tensor<3x4xf32>
      return %0 : tensor<3x4xf32>
    })"},
  {"matmul_transpose_both", R"(
    func.func @f(%a: tensor<3x?xf32>, %b: tensor<4x3xf32>) -> tensor<?x4xf32> {
      %0 = nn.matmul %a, %b transpose_a transpose_b : tensor<3x?xf32>, tensor<4x3xf32> -> tensor<?x4xf32>
      return %0 : tensor<?x4xf32>
    })"},
  {"matmul_batched_broadcast_rhs", R"(
    func.func @f(%a: tensor<?x2x3xf32>, %b: tensor<3x4xf32>) -> tensor<?x2x4xf32> {
      %0 = nn.matmul %a, %b : tensor<?x2x3xf32>, tensor<3x4xf32> -> tensor<?x2x4xf32>
      return %0 : tensor<?x2x4xf32>
    })"},
  {"matmul_batched_stretched_lhs", R"(
    func.func @f(%a: tensor<1x2x3xf32>, %b: tensor<?x4x3xf32>) -> tensor<?x2x4xf32> {
      %0 = nn.matmul %a, %b transpose_b : tensor<1x2x3xf32>, tensor<?x4x3xf32> -> tensor<?x2x4xf32>
      return %0 : tensor<?x2x4xf32>
    })"},
  {"transpose", R"(
    func.func @f(%a: tensor<?x2x3xf32>) -> (tensor<?x3x2xf32>, tensor<3x?x2xf32>) {
      %0 = nn.transpose %a perm = [0, 2, 1] : tensor<?x2x3xf32> -> tensor<?x3x2xf32>
      %1 = nn.transpose %a perm = [2, 0, 1] : tensor<?x2x3xf32> -> tensor<3x?x2xf32>
      return %0, %1 : tensor<?x3x2xf32>, tensor<3x?x2xf32>
    })"},
  {"reshape_flatten_and_back", R"(
    func.func @f(%a: tensor<?x2x3xf32>) -> (tensor<?x6xf32>, tensor<?x3x2xf32>) {
      %0 = nn.reshape %a : tensor<?x2x3xf32> -> tensor<?x6xf32>
      %c0 = arith.constant 0 : index
      %n = tensor.dim %a, %c0 : tensor<?x2x3xf32>
      %1 = nn.reshape %0 [%n] : tensor<?x6xf32> -> tensor<?x3x2xf32>
      return %0, %1 : tensor<?x6xf32>, tensor<?x3x2xf32>
    })"},
  {"broadcast", R"(
    func.func @f(%a: tensor<4xf32>, %b: tensor<?x1xf32>, %like: tensor<?x4xf32>) -> (tensor<?x4xf32>, tensor<?x4xf32>) {
      %c0 = arith.constant 0 : index
      %n = tensor.dim %like, %c0 : tensor<?x4xf32>
      %0 = nn.broadcast %a [%n] : tensor<4xf32> -> tensor<?x4xf32>
      %1 = nn.broadcast %b [%n] : tensor<?x1xf32> -> tensor<?x4xf32>
      return %0, %1 : tensor<?x4xf32>, tensor<?x4xf32>
    })"},
  {"concat_slice_pad", R"(
    func.func @f(%a: tensor<?x2xf32>, %b: tensor<?x3xf32>, %c: tensor<?x1x3x3xf32>) -> (tensor<?x5xf32>, tensor<?x2xf32>, tensor<?x1x5x6xf32>) {
      %0 = nn.concat %a, %b axis = 1 : (tensor<?x2xf32>, tensor<?x3xf32>) -> tensor<?x5xf32>
      %1 = nn.slice %0 axis = 1 start = 2 : tensor<?x5xf32> -> tensor<?x2xf32>
      %2 = nn.pad %c low = [0, 0, 1, 1] high = [0, 0, 1, 2] : tensor<?x1x3x3xf32> -> tensor<?x1x5x6xf32>
      return %0, %1, %2 : tensor<?x5xf32>, tensor<?x2xf32>, tensor<?x1x5x6xf32>
    })"},
};

const RuleCase kReductions[] = {
  {"sum", R"(
    func.func @f(%a: tensor<?x3x4xf32>) -> (tensor<3x4xf32>, tensor<?x1x4xf32>, tensor<f32>) {
      %0 = nn.sum %a axes = [0] : tensor<?x3x4xf32> -> tensor<3x4xf32>
      %1 = nn.sum %a axes = [1] keepdims : tensor<?x3x4xf32> -> tensor<?x1x4xf32>
      %2 = nn.sum %a axes = [0, 1, 2] : tensor<?x3x4xf32> -> tensor<f32>
      return %0, %1, %2 : tensor<3x4xf32>, tensor<?x1x4xf32>, tensor<f32>
    })"},
  {"mean", R"(
    func.func @f(%a: tensor<?x3x4xf32>) -> (tensor<?xf32>, tensor<1x3x1xf32>) {
      %0 = nn.mean %a axes = [1, 2] : tensor<?x3x4xf32> -> tensor<?xf32>
      %1 = nn.mean %a axes = [0, 2] keepdims : tensor<?x3x4xf32> -> tensor<1x3x1xf32>
      return %0, %1 : tensor<?xf32>, tensor<1x3x1xf32>
    })"},
};

const RuleCase kConvPool[] = {
  {"conv2d_padded", R"(
    func.func @f(%x: tensor<?x2x5x5xf32>, %w: tensor<3x2x3x3xf32>) -> tensor<?x3x5x5xf32> {
      %0 = nn.conv2d %x, %w stride = [1, 1] padding = [1, 1] : (tensor<?x2x5x5xf32>, tensor<3x2x3x3xf32>) -> tensor<?x3x5x5xf32>
      return %0 : tensor<?x3x5x5xf32>
    })"},
  {"conv2d_strided", R"(
    func.func @f(%x: tensor<?x1x7x6xf32>, %w: tensor<2x1x3x2xf32>) -> tensor<?x2x3x3xf32> {
      %0 = nn.conv2d %x, %w stride = [2, 2] padding = [0, 0] : (tensor<?x1x7x6xf32>, tensor<2x1x3x2xf32>) -> tensor<?x2x3x3xf32>
      return %0 : tensor<?x2x3x3xf32>
    })"},
  {"conv2d_backward_input", R"(
    func.func @f(%g: tensor<?x3x4x4xf32>, %w: tensor<3x2x3x3xf32>) -> tensor<?x2x4x4xf32> {
      %0 = nn.conv2d_backward_input %g, %w stride = [1, 1] padding = [1, 1] : (tensor<?x3x4x4xf32>, tensor<3x2x3x3xf32>) -> tensor<?x2x4x4xf32>
      return %0 : tensor<?x2x4x4xf32>
    })"},
  {"conv2d_backward_filter", R"(
    func.func @f(%x: tensor<?x2x5x5xf32>, %g: tensor<?x3x2x2xf32>) -> tensor<3x2x3x3xf32> {
      %0 = nn.conv2d_backward_filter %x, %g stride = [2, 2] padding = [0, 0] : (tensor<?x2x5x5xf32>, tensor<?x3x2x2xf32>) -> tensor<3x2x3x3xf32>
      return %0 : tensor<3x2x3x3xf32>
    })"},
  {"avg_pool2d_and_backward", R"(
    func.func @f(%x: tensor<?x2x5x4xf32>, %g: tensor<?x2x2x2xf32>) -> (tensor<?x2x2x2xf32>, tensor<?x2x5x4xf32>) {
      %0 = nn.avg_pool2d %x kernel = [2, 2] stride = [2, 2] : tensor<?x2x5x4xf32> -> tensor<?x2x2x2xf32>
      %1 = nn.avg_pool2d_backward %g kernel = [2, 2] stride = [2, 2] : tensor<?x2x2x2xf32> -> tensor<?x2x5x4xf32>
      return %0, %1 : tensor<?x2x2x2xf32>, tensor<?x2x5x4xf32>
    })"},
  {"max_pool2d", R"(
    func.func @f(%x: tensor<?x2x4x6xf32>) -> tensor<?x2x2x2xf32> {
      %0 = nn.max_pool2d %x kernel = [2, 3] stride = [2, 3] : tensor<?x2x4x6xf32> -> tensor<?x2x2x2xf32>
      return %0 : tensor<?x2x2x2xf32>
    })"},
  {"max_pool2d_overlapping", R"(
    func.func @f(%x: tensor<?x1x5x5xf32>) -> tensor<?x1x2x2xf32> {
      %0 = nn.max_pool2d %x kernel = [3, 3] stride = [2, 2] : tensor<?x1x5x5xf32> -> tensor<?x1x2x2xf32>
      return %0 : tensor<?x1x2x2xf32>
    })"},
  {"max_pool2d_jvp_vjp", R"(
    func.func @f(%x: tensor<?x2x4x4xf32>, %t: tensor<?x2x4x4xf32>, %g: tensor<?x2x2x2xf32>) -> (tensor<?x2x2x2xf32>, tensor<?x2x4x4xf32>) {
      %0 = nn.max_pool2d_jvp %x, %t kernel = [2, 2] stride = [2, 2] : (tensor<?x2x4x4xf32>, tensor<?x2x4x4xf32>) -> tensor<?x2x2x2xf32>
      %1 = nn.max_pool2d_vjp %x, %g kernel = [2, 2] stride = [2, 2] : (tensor<?x2x4x4xf32>, tensor<?x2x2x2xf32>) -> tensor<?x2x4x4xf32>
      return %0, %1 : tensor<?x2x2x2xf32>, tensor<?x2x4x4xf32>
    })"},
};

const RuleCase kNormalization[] = {
  {"softmax", R"(
    func.func @f(%a: tensor<?x5xf32>) -> (tensor<?x5xf32>, tensor<?x5xf32>) {
      %0 = nn.softmax %a axis = 1 : tensor<?x5xf32>
      %1 = nn.softmax %a axis = 0 : tensor<?x5xf32>
      return %0, %1 : tensor<?x5xf32>, tensor<?x5xf32>
    })"},
  {"log_softmax", R"(
    func.func @f(%a: tensor<?x3x4xf32>) -> tensor<?x3x4xf32> {
      %0 = nn.log_softmax %a axis = 2 : tensor<?x3x4xf32>
      return %0 : tensor<?x3x4xf32>
    })"},
  {"layernorm", R"(
    func.func @f(%x: tensor<?x3x5xf32>, %w: tensor<5xf32>, %b: tensor<5xf32>) -> tensor<?x3x5xf32> {
      %0 = nn.layernorm %x, %w, %b eps = 1.000000e-05 : (tensor<?x3x5xf32>, tensor<5xf32>, tensor<5xf32>) -> tensor<?x3x5xf32>
      return %0 : tensor<?x3x5xf32>
    })"},
  {"batchnorm_2d_training", R"(
    func.func @f(%x: tensor<?x4xf32>, %w: tensor<4xf32>, %b: tensor<4xf32>, %m: tensor<4xf32>, %v: tensor<4xf32>) -> tensor<?x4xf32> {
      %0:3 = nn.batchnorm %x, %w, %b, %m, %v eps = 1.000000e-05 momentum = 1.000000e-01 training : (tensor<?x4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> (tensor<?x4xf32>, tensor<4xf32>, tensor<4xf32>)
      return %0#0 : tensor<?x4xf32>
    })", {4}, {3, 4}},
  {"batchnorm_4d_training", R"(
    func.func @f(%x: tensor<?x3x2x2xf32>, %w: tensor<3xf32>, %b: tensor<3xf32>, %m: tensor<3xf32>, %v: tensor<3xf32>) -> tensor<?x3x2x2xf32> {
      %0:3 = nn.batchnorm %x, %w, %b, %m, %v eps = 1.000000e-05 momentum = 1.000000e-01 training : (tensor<?x3x2x2xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> (tensor<?x3x2x2xf32>, tensor<3xf32>, tensor<3xf32>)
      return %0#0 : tensor<?x3x2x2xf32>
    })", {4}, {3, 4}},
  {"batchnorm_4d_inference", R"(
    func.func @f(%x: tensor<?x3x2x2xf32>, %w: tensor<3xf32>, %b: tensor<3xf32>, %m: tensor<3xf32>, %v: tensor<3xf32>) -> tensor<?x3x2x2xf32> {
      %0:3 = nn.batchnorm %x, %w, %b, %m, %v eps = 1.000000e-05 momentum = 1.000000e-01 : (tensor<?x3x2x2xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> (tensor<?x3x2x2xf32>, tensor<3xf32>, tensor<3xf32>)
      return %0#0 : tensor<?x3x2x2xf32>
    })", {4}, {3, 4}},
};

const RuleCase kMisc[] = {
  {"dropout_training", R"(
    func.func @f(%x: tensor<?x6xf32>, %seed: tensor<i64>) -> tensor<?x6xf32> {
      %0 = nn.dropout %x, %seed p = 5.000000e-01 stream = 3 training : tensor<?x6xf32>, tensor<i64>
      return %0 : tensor<?x6xf32>
    })", {}, {}, 100},
  {"embedding", R"(
    func.func @f(%ids: tensor<?x3xi64>, %w: tensor<7x4xf32>) -> tensor<?x3x4xf32> {
      %0 = nn.embedding %ids, %w : (tensor<?x3xi64>, tensor<7x4xf32>) -> tensor<?x3x4xf32>
      return %0 : tensor<?x3x4xf32>
    })", {}, {}, 7},
  {"embedding_backward", R"(
    func.func @f(%ids: tensor<?xi64>, %g: tensor<?x4xf32>) -> tensor<5x4xf32> {
      %0 = nn.embedding_backward %ids, %g : (tensor<?xi64>, tensor<?x4xf32>) -> tensor<5x4xf32>
      return %0 : tensor<5x4xf32>
    })", {}, {}, 5},
};

const RuleCase kLosses[] = {
  {"mse", R"(
    func.func @f(%p: tensor<?x3xf32>, %t: tensor<?x3xf32>) -> tensor<f32> {
      %0 = nn.mse %p, %t : (tensor<?x3xf32>, tensor<?x3xf32>) -> tensor<f32>
      return %0 : tensor<f32>
    })"},
  {"softmax_cross_entropy", R"(
    func.func @f(%x: tensor<?x5xf32>, %l: tensor<?xi64>) -> tensor<f32> {
      %0 = nn.softmax_cross_entropy %x, %l : (tensor<?x5xf32>, tensor<?xi64>) -> tensor<f32>
      return %0 : tensor<f32>
    })", {}, {}, 5},
  {"bce_with_logits", R"(
    func.func @f(%x: tensor<?x2xf32>, %t: tensor<?x2xf32>) -> tensor<f32> {
      %0 = nn.bce_with_logits %x, %t : (tensor<?x2xf32>, tensor<?x2xf32>) -> tensor<f32>
      return %0 : tensor<f32>
    })"},
};

const RuleCase kNetworks[] = {
  {"dense_relu_dense_residual_fan_out", R"(
    func.func @f(%x: tensor<?x4xf32>, %w1: tensor<6x4xf32>, %b1: tensor<6xf32>, %w2: tensor<4x6xf32>, %t: tensor<?x4xf32>) -> tensor<f32> {
      %0 = nn.matmul %x, %w1 transpose_b : tensor<?x4xf32>, tensor<6x4xf32> -> tensor<?x6xf32>
      %1 = nn.add %0, %b1 : tensor<?x6xf32>, tensor<6xf32> -> tensor<?x6xf32>
      %2 = nn.relu %1 : tensor<?x6xf32>
      %3 = nn.matmul %2, %w2 transpose_b : tensor<?x6xf32>, tensor<4x6xf32> -> tensor<?x4xf32>
      %4 = nn.add %x, %3 : tensor<?x4xf32>, tensor<?x4xf32> -> tensor<?x4xf32>
      %5 = nn.mul %4, %x : tensor<?x4xf32>, tensor<?x4xf32> -> tensor<?x4xf32>
      %6 = nn.mse %5, %t : (tensor<?x4xf32>, tensor<?x4xf32>) -> tensor<f32>
      return %6 : tensor<f32>
    })"},
  {"attention", R"(
    func.func @f(%x: tensor<?x?x4xf32>, %wq: tensor<4x4xf32>, %wk: tensor<4x4xf32>) -> tensor<?x?x4xf32> {
      %q = nn.matmul %x, %wq transpose_b : tensor<?x?x4xf32>, tensor<4x4xf32> -> tensor<?x?x4xf32>
      %k = nn.matmul %x, %wk transpose_b : tensor<?x?x4xf32>, tensor<4x4xf32> -> tensor<?x?x4xf32>
      %kt = nn.transpose %k perm = [0, 2, 1] : tensor<?x?x4xf32> -> tensor<?x4x?xf32>
      %s = nn.matmul %q, %kt : tensor<?x?x4xf32>, tensor<?x4x?xf32> -> tensor<?x?x?xf32>
      %c = nn.constant dense<5.000000e-01> : tensor<f32>
      %scaled = nn.mul %s, %c : tensor<?x?x?xf32>, tensor<f32> -> tensor<?x?x?xf32>
      %w = nn.softmax %scaled axis = 2 : tensor<?x?x?xf32>
      %y = nn.matmul %w, %x : tensor<?x?x?xf32>, tensor<?x?x4xf32> -> tensor<?x?x4xf32>
      return %y : tensor<?x?x4xf32>
    })"},
  {"cnn", R"(
    func.func @f(%x: tensor<?x1x6x6xf32>, %w: tensor<2x1x3x3xf32>, %b: tensor<2xf32>, %l: tensor<?xi64>) -> tensor<f32> {
      %0 = nn.conv2d %x, %w stride = [1, 1] padding = [1, 1] : (tensor<?x1x6x6xf32>, tensor<2x1x3x3xf32>) -> tensor<?x2x6x6xf32>
      %1 = nn.reshape %b : tensor<2xf32> -> tensor<2x1x1xf32>
      %2 = nn.add %0, %1 : tensor<?x2x6x6xf32>, tensor<2x1x1xf32> -> tensor<?x2x6x6xf32>
      %3 = nn.relu %2 : tensor<?x2x6x6xf32>
      %4 = nn.max_pool2d %3 kernel = [2, 2] stride = [2, 2] : tensor<?x2x6x6xf32> -> tensor<?x2x3x3xf32>
      %5 = nn.avg_pool2d %4 kernel = [3, 3] stride = [3, 3] : tensor<?x2x3x3xf32> -> tensor<?x2x1x1xf32>
      %6 = nn.reshape %5 : tensor<?x2x1x1xf32> -> tensor<?x2xf32>
      %7 = nn.softmax_cross_entropy %6, %l : (tensor<?x2xf32>, tensor<?xi64>) -> tensor<f32>
      return %7 : tensor<f32>
    })"},
};
// clang-format on

INSTANTIATE_TEST_SUITE_P(Elementwise, GradRulesTest,
                         ::testing::ValuesIn(kElementwise));
INSTANTIATE_TEST_SUITE_P(Layout, GradRulesTest, ::testing::ValuesIn(kLayout));
INSTANTIATE_TEST_SUITE_P(Reductions, GradRulesTest,
                         ::testing::ValuesIn(kReductions));
INSTANTIATE_TEST_SUITE_P(ConvPool, GradRulesTest,
                         ::testing::ValuesIn(kConvPool));
INSTANTIATE_TEST_SUITE_P(Normalization, GradRulesTest,
                         ::testing::ValuesIn(kNormalization));
INSTANTIATE_TEST_SUITE_P(Misc, GradRulesTest, ::testing::ValuesIn(kMisc));
INSTANTIATE_TEST_SUITE_P(Losses, GradRulesTest, ::testing::ValuesIn(kLosses));
INSTANTIATE_TEST_SUITE_P(Networks, GradRulesTest,
                         ::testing::ValuesIn(kNetworks));

} // namespace
