func.func @concat_slice_pad(%a: tensor<?x8xf32>, %b: tensor<?x4xf32>,
                            %c: tensor<2x3xf32>, %x: tensor<?x1x8x8xf32>) {
  %0 = nn.concat %a, %b axis = 1
      : (tensor<?x8xf32>, tensor<?x4xf32>) -> tensor<?x12xf32>
  %1 = nn.concat %c, %c, %c axis = 0
      : (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<6x3xf32>
  %2 = nn.concat %c axis = 1 : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %3 = nn.slice %0 axis = 1 start = 8 : tensor<?x12xf32> -> tensor<?x4xf32>
  %4 = nn.slice %1 axis = 0 start = 0 : tensor<6x3xf32> -> tensor<2x3xf32>
  %5 = nn.pad %x low = [0, 0, 1, 1] high = [0, 0, 1, 1]
      : tensor<?x1x8x8xf32> -> tensor<?x1x10x10xf32>
  %6 = nn.pad %c low = [1, 0] high = [0, 2] : tensor<2x3xf32> -> tensor<3x5xf32>
  return
}
