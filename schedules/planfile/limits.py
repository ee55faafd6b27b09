"""How big a plan file may be: what a real plan needs many times over, and no more.

A file past a limit is refused with a line-numbered problem like any other mistake, before
the recursive YAML/JSON readers meet it (5,000 nested brackets would exhaust Python's stack).
"""

MAX_BYTES = 20 * 1024 * 1024  # the largest synthetic benchmark plan is a few MB
MAX_DEPTH = 32  # a real plan nests 6 deep (plan → requirements → item → airings → …)
MAX_ITEMS = 100_000  # items in one list (areas, devices, …)
MAX_TEXT = 20_000  # characters in one value: a script's text, the longest, is at most this
