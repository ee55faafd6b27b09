"""Settings that would trip every device or page later are refused when the app starts, saying
which setting and what it got."""
from __future__ import annotations

import pytest

from radio import config, create_app


@pytest.mark.parametrize("seconds", [-5, 0, 4, 86401, "60", 1.5])
def test_an_unsound_device_poll_interval_stops_the_app_from_starting(tmp_path, seconds):
    with pytest.raises(ValueError, match=r"DEVICE_POLL_SECONDS \(RADIO_DEVICE_POLL_SECONDS\) must be whole seconds "
                                         r"from 5 to 86400, not "):
        create_app({"TESTING": True, "INSTANCE_PATH": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path}/x.db",
                    "SECRET_KEY": "x", "DEVICE_POLL_SECONDS": seconds})


def test_the_server_advertises_only_intervals_receivers_accept():
    """Two copies, since the receiver imports nothing of the server: they must say the same."""
    from radio.device_client.airings import POLL_SECONDS

    assert config.DEVICE_POLL_SECONDS == POLL_SECONDS


def test_a_sound_interval_starts(tmp_path):
    app = create_app({"TESTING": True, "INSTANCE_PATH": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path}/x.db",
                      "SECRET_KEY": "x", "DEVICE_POLL_SECONDS": 900})
    assert app.config["DEVICE_POLL_SECONDS"] == 900


def test_a_number_setting_in_the_environment_that_is_no_number_names_its_variable():
    with pytest.raises(ValueError, match="environment variable RADIO_DEVICE_POLL_SECONDS must be a whole number, "
                                         "not 'sixty'"):
        config.from_environment({"RADIO_DEVICE_POLL_SECONDS": "sixty"})
    assert config.from_environment({"RADIO_DEVICE_POLL_SECONDS": "120", "RADIO_JOBS": "inline"}) == {
        "DEVICE_POLL_SECONDS": 120, "JOBS": "inline"}


@pytest.mark.parametrize(("name", "variable", "value", "rule"), [
    ("NOTICE_EMPTY_RESERVATION_DAYS", "RADIO_NOTICE_EMPTY_RESERVATION_DAYS", -1, "whole days from 0 to 60"),
    ("NOTICE_EMPTY_RESERVATION_DAYS", "RADIO_NOTICE_EMPTY_RESERVATION_DAYS", 61, "whole days from 0 to 60"),
    ("NOTICE_BULLETIN_UNFETCHED_MINUTES", "RADIO_NOTICE_BULLETIN_UNFETCHED_MINUTES", 0,
     "whole minutes from 1 to 1440"),
    ("NOTICE_BULLETIN_UNFETCHED_MINUTES", "RADIO_NOTICE_BULLETIN_UNFETCHED_MINUTES", 2.5,
     "whole minutes from 1 to 1440"),
    ("NOTICE_REPORT_DUE_DAYS", "RADIO_NOTICE_REPORT_DUE_DAYS", "3", "whole days from 0 to 90"),
    ("NOTICE_REPORT_DUE_DAYS", "RADIO_NOTICE_REPORT_DUE_DAYS", True, "whole days from 0 to 90"),
])
def test_an_unsound_notice_threshold_stops_the_app_naming_setting_variable_and_range(tmp_path, name, variable,
                                                                                       value, rule):
    with pytest.raises(ValueError, match=rf"{name} \({variable}\) must be {rule}, not "):
        create_app({"TESTING": True, "INSTANCE_PATH": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path}/x.db",
                    "SECRET_KEY": "x", name: value})


def test_the_notice_thresholds_have_their_defaults_and_come_from_the_environment(tmp_path):
    app = create_app({"TESTING": True, "INSTANCE_PATH": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path}/x.db",
                      "SECRET_KEY": "x"})
    assert (app.config["NOTICE_EMPTY_RESERVATION_DAYS"], app.config["NOTICE_BULLETIN_UNFETCHED_MINUTES"],
            app.config["NOTICE_REPORT_DUE_DAYS"]) == (3, 10, 3)
    assert config.from_environment({"RADIO_NOTICE_REPORT_DUE_DAYS": "7"}) == {"NOTICE_REPORT_DUE_DAYS": 7}


@pytest.mark.parametrize(("setting", "value", "refusal"), [
    ("MEDIA_ACCEL", "apache", r'MEDIA_ACCEL \(RADIO_MEDIA_ACCEL\) is "nginx" or empty, not \'apache\''),
    ("MEDIA_URL", "/srv/media", r"MEDIA_URL \(RADIO_MEDIA_URL\) is s3://bucket/prefix, not '/srv/media'"),
    ("MEDIA_LINK_SECONDS", 30, r"MEDIA_LINK_SECONDS \(RADIO_MEDIA_LINK_SECONDS\) must be whole seconds from 60 "
                               r"to 604800, not 30"),
])
def test_an_unsound_media_setting_stops_the_app_saying_which(tmp_path, setting, value, refusal):
    with pytest.raises(ValueError, match=refusal):
        create_app({"TESTING": True, "INSTANCE_PATH": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path}/x.db",
                    "SECRET_KEY": "x", setting: value})


def test_the_media_settings_come_from_the_environment():
    assert config.from_environment({"RADIO_MEDIA_URL": "s3://radio/media", "RADIO_MEDIA_ACCEL": "nginx",
                                    "RADIO_MEDIA_LINK_SECONDS": "300", "RADIO_S3_ENDPOINT_URL": "http://s3.local"}) == {
        "MEDIA_URL": "s3://radio/media", "MEDIA_ACCEL": "nginx", "MEDIA_LINK_SECONDS": 300,
        "S3_ENDPOINT_URL": "http://s3.local"}


@pytest.mark.parametrize("settings, refusal", [
    ({"PLAYLOG_INTAKE": "yes", "MQTT_URL": "mqtt://127.0.0.1"},
     r'PLAYLOG_INTAKE \(RADIO_PLAYLOG_INTAKE\) is "mqtt" or empty, not \'yes\''),
    ({"PLAYLOG_INTAKE": "mqtt"}, r"PLAYLOG_INTAKE \(RADIO_PLAYLOG_INTAKE\) needs a broker: set MQTT_URL too"),
])
def test_an_intake_without_its_broker_stops_the_app_saying_which(tmp_path, settings, refusal):
    with pytest.raises(ValueError, match=refusal):
        create_app({"TESTING": True, "INSTANCE_PATH": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path}/x.db",
                    "SECRET_KEY": "x", **settings})


def test_the_intake_and_the_topic_prefix_come_from_the_environment():
    assert config.from_environment({"RADIO_PLAYLOG_INTAKE": "mqtt", "RADIO_MQTT_TOPIC_PREFIX": "tinh-thanh-hoa"}) == {
        "PLAYLOG_INTAKE": "mqtt", "MQTT_TOPIC_PREFIX": "tinh-thanh-hoa"}
