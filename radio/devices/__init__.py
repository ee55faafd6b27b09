"""Village loudspeaker devices: tokens now, the pull API with the device issue."""
