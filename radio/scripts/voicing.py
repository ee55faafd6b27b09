"""Voicing approved scripts: normalise the text, speak it (engines in the configured order, with
fallback), add the series' jingles, bring it to the canonical format, store it on the episode.

The voice (region, speed, pause) is the plan's (radio/voices.py: its stations' if they agree,
else its issuing area's); the text is read with the region's word choices and spoken by the
region's espeak-ng voice. Synthesis is cached by (normalised text, engine and its settings,
voice, region, jingles, loudness), so re-voicing an unchanged script does no work, and a changed
setting (a station's speed, TTS_ESPEAK_SPEED_WPM) voices it afresh.
"""
from __future__ import annotations

import tempfile
from datetime import datetime
from pathlib import Path

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from audio_library.jingles import join_with_jingles
from audio_library.text_vi import Glossary, Reading, normalise_vi, reading_vi
from audio_library.tts import (
    REGION_VOICES,
    EspeakEngine,
    TtsEngine,
    synthesis_cache_key,
    synthesise_with_fallback,
)

from .. import audit
from ..auth.permissions import require
from ..errors import NotFound
from ..media.operations import discard_new_files, loudness_targets, record_canonical
from ..models import Area, Episode, GlossaryEntry, Script, TtsCacheEntry, User
from ..stores import media_store
from ..voices import Voice, plan_voice, voice_of
from .operations import ScriptError

ENGINE_NAMES = ("gtts", "espeak-ng")


def make_engines(names: list[str] | None = None, voice: Voice | None = None) -> list[TtsEngine]:
    """Engines in the configured order (TTS_ENGINES, e.g. "gtts,espeak-ng"), or just those named;
    espeak-ng at `voice`'s speed and pause (default: the configuration's)."""
    names = names or [n.strip() for n in current_app.config["TTS_ENGINES"].split(",") if n.strip()]
    voice = voice or voice_of(None, current_app.config)
    engines = []
    for name in names:
        if name == "gtts":
            from audio_library.tts.gtts_engine import GttsEngine  # gTTS loads only when it speaks

            engines.append(GttsEngine(timeout_s=current_app.config["TTS_TIMEOUT_S"]))
        elif name == "espeak-ng":
            engines.append(_espeak(voice))
        else:
            raise ScriptError(f"unknown text-to-speech engine {name!r}: choose {' or '.join(ENGINE_NAMES)}")
    return engines


def _espeak(voice: Voice) -> EspeakEngine:
    try:
        return EspeakEngine(speed_wpm=voice.speed_wpm, pause_ms=voice.pause_ms)
    except ValueError as exc:
        raise ScriptError(f"espeak-ng (TTS_ESPEAK_SPEED_WPM, TTS_ESPEAK_PAUSE_MS or the station's voice): {exc}"
                          ) from None


def voices_for(voice: Voice) -> dict[str, str]:
    """Each engine's voice name: the configured TTS_VOICES, espeak-ng's by the region."""
    return {**current_app.config["TTS_VOICES"], "espeak-ng": REGION_VOICES[voice.region]}


def glossary_for(session: Session, area: Area) -> Glossary:
    """The built-in glossary extended by the entries of `area` and the areas above it (nearest wins)."""
    entries = glossary_entries(session, area)
    return Glossary.default().extended({row.term: row.reading for row in reversed(entries)})


def glossary_entries(session: Session, area: Area) -> list[GlossaryEntry]:
    """The entries of `area` and of the areas above it, nearest area first, terms in order."""
    depth = {node.id: n for n, node in enumerate(area.ancestors_and_self())}
    rows = session.scalars(select(GlossaryEntry).where(GlossaryEntry.area_id.in_(depth))).all()
    return sorted(rows, key=lambda row: (depth[row.area_id], row.term.casefold()))


def set_glossary_entry(session: Session, actor: User | None, area: Area, term: str, reading: str, *,
                       now: datetime) -> GlossaryEntry:
    """How the voice reads `term` in `area` and below (audited; replaces an earlier reading)."""
    _may_edit_glossary(actor, area)
    term, reading = term.strip(), reading.strip()
    if not term or not reading:
        raise ScriptError("both the term and its reading are needed")
    entry = session.scalar(select(GlossaryEntry).where(GlossaryEntry.area_id == area.id, GlossaryEntry.term == term))
    before = {"reading": entry.reading} if entry else None
    if entry is None:
        entry = GlossaryEntry(area_id=area.id, term=term, reading=reading)
        session.add(entry)
    entry.reading = reading
    audit.record(session, actor, "glossary.set", "glossary", term, at=now, area=area, before=before,
                 after={"reading": reading})
    session.flush()
    return entry


def remove_glossary_entry(session: Session, actor: User | None, area: Area, term: str, *, now: datetime) -> None:
    """Forget `area`'s own reading of `term` (an area above, or the built-in glossary, may still have one)."""
    _may_edit_glossary(actor, area)
    entry = session.scalar(select(GlossaryEntry).where(GlossaryEntry.area_id == area.id,
                                                       GlossaryEntry.term == term.strip()))
    if entry is None:
        raise NotFound(f"{area.code} has no reading of {term!r}")
    session.delete(entry)
    audit.record(session, actor, "glossary.remove", "glossary", entry.term, at=now, area=area,
                 before={"reading": entry.reading})
    session.flush()


def _may_edit_glossary(actor: User | None, area: Area) -> None:
    """A person needs the right on the area; the command line without --as acts as the system."""
    if actor is not None:
        require(actor, "glossary.edit", area)


def _glossary(session: Session, area: Area | None) -> Glossary:
    return glossary_for(session, area) if area else Glossary.default()


def preview_text(session: Session, text: str, area: Area | None, region: str) -> str:
    """`text` as the voice reads it in `region`, with `area`'s glossary."""
    return normalise_vi(text, _glossary(session, area), region=region)


def preview_reading(session: Session, text: str, area: Area | None, region: str) -> Reading:
    """The same reading with each stretch it rewrote, for the pages to highlight."""
    return reading_vi(text, _glossary(session, area), region=region)


def script_voice(session: Session, script: Script) -> Voice:
    """The voice a script is read in: its plan's (radio/voices.py)."""
    return plan_voice(session, script.series.plan.issued_by, current_app.config)


def voice_script(session: Session, actor: User | None, script: Script,
                 engines: list[TtsEngine] | None = None, *, now: datetime) -> Episode:
    """Voice the approved version into the script's episode in its plan's region (the configured
    engines at the plan's speed and pause, unless given); refuses anything not approved."""
    version = script.approved_version
    if version is None:
        raise ScriptError(f"script {script.id} has no approved version (latest is {script.latest.status}): "
                          "only an approved script can be voiced", reason="not_approved")
    series = script.series
    voice = script_voice(session, script)
    engines = engines or make_engines(voice=voice)
    jingles = [series.intro_sha256, series.outro_sha256]
    media_sha, engine_name = voice_text(session, version.text, series.plan.issued_by, voice, engines,
                                        f"script-{script.id}.mp3", jingles, now=now)
    episode = _episode_of(session, script, now)
    episode.media_sha256, episode.script_version_id, episode.tts_engine = media_sha, version.id, engine_name
    audit.record(session, actor, "script.voice", "script", str(script.id), at=now, area=series.plan.issued_by,
                 after={"version": version.number, "engine": engine_name, "episode": episode.code,
                        "region": voice.region})
    session.flush()
    return episode


def voice_text(session: Session, text: str, area: Area | None, voice: Voice, engines: list[TtsEngine], name: str,
               jingles: list[str | None] = (None, None), *, now: datetime) -> tuple[str, str]:
    """(media sha256, engine) of `text` read with `area`'s glossary in `voice`, between the
    jingles: from the cache when voiced before, else synthesised and stored as `name`."""
    spoken = preview_text(session, text, area, voice.region)
    voices, jingles = voices_for(voice), list(jingles)
    media_sha, engine_name = _cached(session, engines, spoken, voices, voice.region, jingles)
    if media_sha is None:
        media_sha, engine_name = _synthesise(session, engines, spoken, voices, voice.region, jingles, name, now)
    return media_sha, engine_name


def _key(engine: TtsEngine, text: str, voices: dict, region: str, jingles: list) -> str:
    targets = loudness_targets()
    return synthesis_cache_key(text, engine, voices.get(engine.name, engine.voices[0]), jingles, region=region,
                               target_lufs=targets["target_lufs"], true_peak_db=targets["true_peak_db"])


def _cached(session: Session, engines, text: str, voices: dict, region: str,
            jingles: list) -> tuple[str | None, str | None]:
    for engine in engines:
        hit = session.get(TtsCacheEntry, _key(engine, text, voices, region, jingles))
        if hit is not None and media_store().exists(hit.media_sha256):
            return hit.media_sha256, hit.engine
    return None, None


def _synthesise(session: Session, engines, text: str, voices: dict, region: str, jingles: list, name: str,
                now: datetime) -> tuple[str, str]:
    store, created = media_store(), []
    try:
        with tempfile.TemporaryDirectory() as tmp:
            raw, engine_name = synthesise_with_fallback(engines, text, Path(tmp) / "voice.audio", voices)
            parts = [store.path_for(sha) if sha else None for sha in jingles]
            parts = [p for p in (parts[0], raw, parts[1]) if p is not None]
            joined = join_with_jingles(parts, Path(tmp) / "spot.mp3", **loudness_targets())
            media = record_canonical(session, store, joined, None, name, created, now=now)
        engine = next(e for e in engines if e.name == engine_name)
        key = _key(engine, text, voices, region, jingles)
        if session.get(TtsCacheEntry, key) is None:
            session.add(TtsCacheEntry(key=key, media_sha256=media.sha256, engine=engine_name,
                                      voice=voices.get(engine_name, engine.voices[0]), created_at=now))
        session.flush()
    except BaseException:
        discard_new_files(created)
        raise
    return media.sha256, engine_name


def _episode_of(session: Session, script: Script, now: datetime) -> Episode:
    """The episode a script voices into: the one that names it (plan files), else a new one."""
    episode = session.scalar(select(Episode).where(Episode.script_id == script.id).order_by(Episode.id))
    if episode is None:
        episode = Episode(series=script.series, code=f"script-{script.id}", title=script.title, script=script,
                          for_requirements=script.for_requirements, created_at=now)
        session.add(episode)
    return episode

