"""Vietnamese text normalisation for text-to-speech: pure functions over strings.

``normalise_vi(text, glossary, region)`` rewrites dates, times, numbers, document numbers,
units and abbreviations into the words a radio announcer of ``region`` would say;
``reading_vi`` says the same and shows which written stretch became which words.
"""

from audio_library.text_vi.glossary import Glossary
from audio_library.text_vi.normalise import normalise_vi, reading_vi
from audio_library.text_vi.reading import Expansion, Reading
from audio_library.text_vi.regions import REGIONS

__all__ = ["REGIONS", "Expansion", "Glossary", "Reading", "normalise_vi", "reading_vi"]
