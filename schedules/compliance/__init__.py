"""Compliance: required vs planned vs aired, per requirement, station and period.

Pure: the shell counts airings with SQL aggregates and hands the counts in (`AiringCount`);
`evaluate` returns one `ComplianceRow` per requirement × station × period with its status;
`propose_makegoods` finds the slots that can still save an open period; `notes` says what a row
tells people (codes and values, worded by whoever shows them); `handin` lays out the Vietnamese
report to hand in, and `writers` puts rows and report into CSV, XLSX and PDF.
"""
from .engine import evaluate
from .makegood import MakeGood, propose_makegoods
from .model import STATUSES, AiringCount, ComplianceRow, row_json

__all__ = ["STATUSES", "AiringCount", "ComplianceRow", "MakeGood", "evaluate", "propose_makegoods", "row_json"]
