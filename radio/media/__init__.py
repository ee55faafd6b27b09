"""Putting audio into the media store and recording it."""
