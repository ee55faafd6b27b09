"""The operator's day: home, "Hôm nay", the calendar."""
