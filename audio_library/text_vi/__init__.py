"""Vietnamese text normalisation for text-to-speech: pure functions over strings.

``normalise_vi(text, glossary)`` rewrites dates, times, numbers, document numbers and
abbreviations into the words a radio announcer would say.
"""

from audio_library.text_vi.glossary import Glossary
from audio_library.text_vi.normalise import normalise_vi

__all__ = ["Glossary", "normalise_vi"]
