"""The scripts' jobs: voicing, slow enough (speech synthesis, loudness) to run off the request."""
from __future__ import annotations

from .. import clock, db
from ..models import Script
from .voicing import make_engines, script_voice, voice_script


def voice_script_job(script_id: int, engine_names: list[str] | None = None) -> str:
    """Voice one script as a job (batches queue one job per script); returns the engine used."""
    session = db.session()
    script = session.get(Script, script_id)
    engines = make_engines(engine_names, script_voice(session, script)) if engine_names else None
    episode = voice_script(session, None, script, engines, now=clock.now())
    session.commit()
    return episode.tts_engine
