"""Exports: a station's day as calendars, playlists, window MP3s, the log book and the day pack."""
