"""Operators' play logs: confirming scheduled airings by hand ("đã phát") and recording
airings that were not on the schedule, for stations without reporting devices."""
