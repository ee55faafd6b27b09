"""`radio-device`: the reference client a village loudspeaker receiver runs.

It pulls its schedule and media from the server's device API, plays each item on time from a
verified local cache, and reports what it played. It imports only the standard library and
`requests` (a Raspberry Pi needs nothing else), never the server's modules: tests/test_purity.py
checks it. Time is a callable passed in (`clock.py`), so tests drive the loop step by step.
"""
