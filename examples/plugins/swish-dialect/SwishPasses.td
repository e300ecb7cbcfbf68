//===- SwishPasses.td - Passes of the swish plugin ---------*- tablegen -*-===//

#ifndef SWISH_PASSES_TD
#define SWISH_PASSES_TD

include "mlir/Pass/PassBase.td"

def SwishFuse : Pass<"swish-fuse"> {
  let summary = "Rewrites x * sigmoid(x) into swish.swish";
  let description = [{
    Finds `nn.mul` of a value and its `nn.sigmoid` (in either order) and
    replaces it with one `swish.swish`, so that a `.nn` model written with
    `mul(x, sigmoid(x))` uses the plugin's op: run it with
    `adjointc --load-pass-plugin=SwishPlugin.so --after-frontend=swish-fuse`.

    ```mlir
    %s = nn.sigmoid %x : tensor<?x16xf32>
    %y = nn.mul %x, %s : tensor<?x16xf32>, tensor<?x16xf32> -> tensor<?x16xf32>
    ```

    becomes

    ```mlir
    %y = swish.swish %x : tensor<?x16xf32>
    ```
  }];
  // The dialect of the ops it creates. SwishFuse.cpp overrides
  // getDependentDialects to register it together with its gradient rule.
  let dependentDialects = ["::swish::SwishDialect"];
}

#endif // SWISH_PASSES_TD
