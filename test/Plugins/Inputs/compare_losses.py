"""Compares the training logs of swish_train.c from two builds of a model.

    compare_losses.py PLUGIN_LOG REFERENCE_LOG

Each log holds "step K loss L" lines and a "final loss L" line. Prints
"agree: S steps" when both logs have the same steps and every loss agrees to
a relative 1e-4, then "trained: FIRST -> FINAL (RATIO)" for the plugin's log;
exits 1 with a message at the first disagreement.
"""

import sys


def read_log(path):
    losses = []
    final = None
    with open(path) as log:
        for line in log:
            words = line.split()
            if words[:1] == ["step"]:
                losses.append(float(words[3]))
            elif words[:2] == ["final", "loss"]:
                final = float(words[2])
    if final is None:
        sys.exit("%s: no final loss" % path)
    return losses, final


def main():
    plugin, reference = (read_log(path) for path in sys.argv[1:3])
    if len(plugin[0]) != len(reference[0]):
        sys.exit("the logs have %d and %d steps" %
                 (len(plugin[0]), len(reference[0])))
    pairs = list(enumerate(zip(plugin[0], reference[0])))
    pairs.append(("final", (plugin[1], reference[1])))
    for step, (a, b) in pairs:
        if abs(a - b) > 1e-4 * max(abs(a), abs(b)):
            sys.exit("step %s: loss %.8e with the plugin, %.8e without" %
                     (step, a, b))
    print("agree: %d steps" % len(plugin[0]))
    first, final = plugin[0][0], plugin[1]
    print("trained: %.4e -> %.4e (%.3f)" % (first, final, final / first))


if __name__ == "__main__":
    main()
