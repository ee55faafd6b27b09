"""Drafting a plan file from an official plan document (.docx, .pdf, .txt).

``read_document`` gives the document's paragraphs; ``draft_plan`` reads them into records of
the plan format, each with its source and the questions it leaves open; ``plan_text`` writes
the draft (with answers, edits and dropped records) as a plan file; ``draft_to_json`` and
``draft_from_json`` keep a draft between requests. Refusals are DraftError (code + values).
"""
from .documents import SUFFIXES, read_document
from .model import (Draft, DraftError, DraftRecord, Position, Question, Sentence, Source, draft_from_json,
                    draft_to_json)
from .reading import draft_plan
from .writing import PLACEHOLDER, plan_text

__all__ = ["PLACEHOLDER", "SUFFIXES", "Draft", "DraftError", "DraftRecord", "Position", "Question", "Sentence",
           "Source", "draft_from_json", "draft_plan", "draft_to_json", "plan_text", "read_document"]
