// RUN: adjoint-opt %s -nn-train-step | FileCheck %s

// Adam, as torch.optim.Adam: t = t + 1, m = b1 m + (1 - b1) g,
// v = b2 v + (1 - b2) g^2, p = p - (lr / bc1) * m / (sqrt(v) / sqrt(bc2) + eps)
// with bc = 1 - beta^t computed as (1 - u) * y / log(u), y = t log(beta),
// u = exp(y). State: optimizer.step first, then exp_avg and exp_avg_sq per
// parameter, in the same order as arguments and as results.

module attributes {nn.optimizer = "adam(lr=0.01, weight_decay=0.5)"} {
func.func @gradient(
    %x: tensor<?x4xf32> {nn.kind = "input", nn.name = "x"},
    %w: tensor<3x4xf32> {nn.kind = "param", nn.name = "w"})
    -> (tensor<f32> {nn.kind = "loss", nn.name = "loss"},
        tensor<3x4xf32> {nn.kind = "grad", nn.name = "grad.w"}) {
  %z = nn.matmul %x, %w transpose_b
      : tensor<?x4xf32>, tensor<3x4xf32> -> tensor<?x3xf32>
  %loss = nn.mean %z axes = [0, 1] : tensor<?x3xf32> -> tensor<f32>
  %gw = nn.exp %w : tensor<3x4xf32>
  return %loss, %gw : tensor<f32>, tensor<3x4xf32>
}
}

// CHECK-LABEL: func.func @train_step(
// CHECK-SAME: %[[X:[^:]*]]: tensor<?x4xf32> {nn.kind = "input", nn.name = "x"},
// CHECK-SAME: %[[W:[^:]*]]: tensor<3x4xf32> {nn.kind = "param", nn.name = "w"},
// CHECK-SAME: %[[T:[^:]*]]: tensor<f32> {nn.init = "zeros", nn.kind = "state", nn.name = "optimizer.step"},
// CHECK-SAME: %[[M:[^:]*]]: tensor<3x4xf32> {nn.init = "zeros", nn.kind = "state", nn.name = "optimizer.w.exp_avg"},
// CHECK-SAME: %[[V:[^:]*]]: tensor<3x4xf32> {nn.init = "zeros", nn.kind = "state", nn.name = "optimizer.w.exp_avg_sq"})
// CHECK-SAME: -> (tensor<f32> {nn.kind = "loss", nn.name = "loss"},
// CHECK-SAME: tensor<3x4xf32> {nn.kind = "param", nn.name = "w"},
// CHECK-SAME: tensor<f32> {nn.kind = "state", nn.name = "optimizer.step"},
// CHECK-SAME: tensor<3x4xf32> {nn.kind = "state", nn.name = "optimizer.w.exp_avg"},
// CHECK-SAME: tensor<3x4xf32> {nn.kind = "state", nn.name = "optimizer.w.exp_avg_sq"})

// CHECK: %[[G:.*]] = nn.exp %[[W]]
// The step count and the bias corrections (log(0.9) and log(0.999)).
// CHECK: %[[ONE:.*]] = nn.constant dense<1.000000e+00> : tensor<f32>
// CHECK: %[[T2:.*]] = nn.add %[[T]], %[[ONE]] : tensor<f32>, tensor<f32> -> tensor<f32>
// CHECK: %[[LOGB1:.*]] = nn.constant dense<-0.105360515> : tensor<f32>
// CHECK: %[[Y1:.*]] = nn.mul %[[T2]], %[[LOGB1]]
// CHECK: %[[U1:.*]] = nn.exp %[[Y1]]
// CHECK: %[[D1:.*]] = nn.sub %[[ONE]], %[[U1]]
// CHECK: %[[P1:.*]] = nn.mul %[[D1]], %[[Y1]]
// CHECK: %[[L1:.*]] = nn.log %[[U1]]
// CHECK: %[[BC1:.*]] = nn.div %[[P1]], %[[L1]]
// CHECK: %[[LOGB2:.*]] = nn.constant dense<-0.00100050028> : tensor<f32>
// CHECK: %[[Y2:.*]] = nn.mul %[[T2]], %[[LOGB2]]
// CHECK: %[[U2:.*]] = nn.exp %[[Y2]]
// CHECK: %[[D2:.*]] = nn.sub %[[ONE]], %[[U2]]
// CHECK: %[[P2:.*]] = nn.mul %[[D2]], %[[Y2]]
// CHECK: %[[L2:.*]] = nn.log %[[U2]]
// CHECK: %[[BC2:.*]] = nn.div %[[P2]], %[[L2]]
// CHECK: %[[LR:.*]] = nn.constant dense<0.00999999977> : tensor<f32>
// CHECK: %[[STEPSIZE:.*]] = nn.div %[[LR]], %[[BC1]]
// CHECK: %[[SQBC2:.*]] = nn.sqrt %[[BC2]] : tensor<f32>

// Weight decay, then the moments.
// CHECK: %[[WD:.*]] = nn.constant dense<5.000000e-01>
// CHECK: %[[DW:.*]] = nn.mul %[[W]], %[[WD]]
// CHECK: %[[G2:.*]] = nn.add %[[G]], %[[DW]]
// CHECK: %[[B1:.*]] = nn.constant dense<0.899999976>
// CHECK: %[[MB:.*]] = nn.mul %[[M]], %[[B1]]
// CHECK: %[[OMB1:.*]] = nn.constant dense<1.000000e-01>
// CHECK: %[[MG:.*]] = nn.mul %[[G2]], %[[OMB1]]
// CHECK: %[[M2:.*]] = nn.add %[[MB]], %[[MG]]
// CHECK: %[[B2:.*]] = nn.constant dense<9.990000e-01>
// CHECK: %[[VB:.*]] = nn.mul %[[V]], %[[B2]]
// CHECK: %[[GG:.*]] = nn.mul %[[G2]], %[[G2]]
// CHECK: %[[OMB2:.*]] = nn.constant dense<1.000000e-03>
// CHECK: %[[VG:.*]] = nn.mul %[[GG]], %[[OMB2]]
// CHECK: %[[V2:.*]] = nn.add %[[VB]], %[[VG]]
// CHECK: %[[SV:.*]] = nn.sqrt %[[V2]] : tensor<3x4xf32>
// CHECK: %[[SVC:.*]] = nn.div %[[SV]], %[[SQBC2]]
// CHECK: %[[EPS:.*]] = nn.constant dense<9.99999993E-9>
// CHECK: %[[DEN:.*]] = nn.add %[[SVC]], %[[EPS]]
// CHECK: %[[R:.*]] = nn.div %[[M2]], %[[DEN]]
// CHECK: %[[UPD:.*]] = nn.mul %[[R]], %[[STEPSIZE]]
// CHECK: %[[W2:.*]] = nn.sub %[[W]], %[[UPD]]
// CHECK: return %{{.*}}, %[[W2]], %[[T2]], %[[M2]], %[[V2]]
