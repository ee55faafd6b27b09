"""Bulletins (Circular 39/2020/TT-BTTTT): issue, schedule, deliver to devices, track."""
