"""A season in a box: the real product (app served over HTTP, `radio-device` receivers, the
operations people use) run through a simulated season on one clock, with every day's
invariants checked against the simulator's own ground truth. `radio simulate` runs one;
tests/radio/simulation/test_simulation.py runs a small one in every test run."""
