"""Village loudspeaker devices: tokens, what they are sent, their play logs and heartbeats."""
