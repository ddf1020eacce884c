"""The clinic's settings: a typed, frozen object with safe defaults, read from a TOML file.

Everything the content brief says the clinic must confirm (its driving rule, front-desk
wording, whether to show the cost topic, its name) lives here, never in code.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from kiosk.files import NotARegularFile, read_regular_file
from kiosk.problems import Problem
from kiosk.tomlfile import FieldReader, toml_error_line, toml_error_message

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}\Z")
PLACEHOLDER_KEY = re.compile(r"^[a-z][a-z0-9_]{0,39}\Z")
LANGUAGE = re.compile(r"^[a-z]{2}\Z")
UNREVIEWED_CHOICES = ("mark", "hide")  # kiosk.content.review.Unreviewed
# What the clinic offers for listening privately, so the kiosk asks only for what it has.
HEADPHONES_JACK = "jack"  # a socket patients can reach: they may plug in their own
HEADPHONES_DESK = "desk"  # the front desk lends headphones
HEADPHONES_NONE = "none"  # nothing: the kiosk only asks to keep the sound low
HEADPHONES_CHOICES = (HEADPHONES_JACK, HEADPHONES_DESK, HEADPHONES_NONE)
BASE64_KEY = re.compile(r"^[A-Za-z0-9+/]{43}=\Z")  # 32 bytes, as `content keygen` writes them
MAX_SETTINGS_BYTES = 64 * 1024
MAX_WORDING_CHARS = 600
# A phone number as people write it: digits with spaces, dots, dashes, brackets, a leading +.
PHONE = re.compile(r"^\+?[0-9(][0-9 ().-]{5,28}[0-9]\Z")


@dataclass(frozen=True, slots=True)
class FleetSettings:
    """The link to a central fleet database (docs/fleet.md). No URL: no fleet, the default."""

    url: str = ""  # postgresql://host/dbname, without a password
    interval_seconds: int = 300
    site: str = ""
    credentials_file: str = ""  # default: fleet-credentials.toml in the data folder
    ca_file: str = ""  # set: the server's certificate and host name are checked
    cert_file: str = ""  # a TLS client certificate instead of (or with) a password
    key_file: str = ""
    down_after_hours: int = 2

    @property
    def enabled(self) -> bool:
        return bool(self.url)


@dataclass(frozen=True, slots=True)
class Settings:
    kiosk_id: str = "kiosk-1"
    language: str = "en"
    clinic_name: str = ""
    clinic_logo: str = ""  # path to a PNG or SVG shown beside the name
    clinic_phone: str = ""  # on the questions patients take home; empty: left out
    idle_timeout_seconds: int = 90
    idle_countdown_seconds: int = 30
    # On crisis help the visitor may be on the phone to 988 with nothing to tap: wait longer.
    crisis_idle_timeout_seconds: int = 300
    reduce_motion: bool = False  # true: the attract screen's topic cards stand still
    hidden_topics: tuple[str, ...] = ()
    printer: str = ""  # a CUPS queue for printing the questions list; empty: no printing
    # Per language, values for {{placeholders}} in content; content packs hold the defaults.
    wording: MappingProxyType[str, MappingProxyType[str, str]] = field(
        default_factory=lambda: MappingProxyType({})
    )
    staff_timeout_seconds: int = 120
    export_folder: str = ""
    small_count_threshold: int = 11
    # Ed25519 public keys (base64 of the 32 raw bytes) that signed content bundles must match.
    content_public_keys: tuple[str, ...] = ()
    # Show only content a trusted key signed (in production); the repository's own key,
    # shipped in assets/, signs the bundled content so a fresh install still starts.
    require_signed: bool = False
    trust_bundled_key: bool = True
    review_interval_months: int = 24  # a sign-off is good for this long
    review_grace_days: int = 30  # overdue this long is flagged; after it, marked or hidden
    unreviewed_topics: str = "mark"  # drafts and expired reviews: "mark" or "hide"
    # Read aloud in a shared room: the volume each visitor starts at (a step of
    # kiosk.visit.VOLUME_STEPS, 1 to 5) and what the clinic offers for headphones.
    start_volume: int = 3
    headphones: str = HEADPHONES_JACK

    fleet: FleetSettings = field(default_factory=FleetSettings)

    def trusted_content_keys(self, bundled_key: str) -> tuple[str, ...]:
        return (*self.content_public_keys, *((bundled_key,) if self.trust_bundled_key else ()))

    def wording_for(self, language: str) -> dict[str, str]:
        return dict(self.wording.get(language, {}))


EXAMPLE = """\
# Ketamine kiosk settings. Every key is optional; delete a line to use the default.
[kiosk]
id = "kiosk-1"                 # short name for this kiosk in the statistics (a-z, 0-9, -)
language = "en"                # language shown after each reset: en or es
idle_timeout_seconds = 90      # quiet time before "Still reading?" appears
idle_countdown_seconds = 30    # how long that prompt waits before resetting
crisis_idle_timeout_seconds = 300  # the quiet time on crisis help (someone may be calling 988)
printer = ""                   # CUPS printer for the questions list (lpstat -p lists them)
reduce_motion = false          # true: the waiting screen's topic cards do not fade in turn

[clinic]
name = ""                      # shown at the top of every screen (else the pack title)
logo = ""                      # a PNG or SVG file shown beside it, e.g. "/etc/clinic/logo.svg"
phone = ""                     # on the questions a patient takes home, e.g. "(555) 010-0199"

[content]
hidden_topics = []             # topic ids to leave out, e.g. ["cost-and-insurance"]
public_keys = []               # keys whose signed bundles may be installed (content keygen)
require_signed = false         # true: show only content signed by a trusted key
trust_bundled_key = true       # trust the key that signed the content shipped with the kiosk
review_interval_months = 24    # a clinician's sign-off is good for this long
review_grace_days = 30         # past its date a topic is flagged; after this, marked or hidden
unreviewed = "mark"            # topics never signed off or long overdue: "mark" or "hide"

[read_aloud]
start_volume = 3               # volume each visitor starts at, 1 (quiet) to 5 (full)
headphones = "jack"            # "jack": patients may plug in their own; "desk": the front
                               # desk lends them; "none": only "keep the sound low" is asked

# Clinic wording that replaces the placeholders in the content, per language.
# [wording.en]
# driving_rule = "Someone must drive you home. Do not drive until the next morning."
# front_desk = "Tell anyone at the front desk. They will help you right away."
# lifeline_spanish = "For help in Spanish, call 988 and press 2, or text AYUDA to 988."
# emergency_signs = "Also call 911 for these signs: ... (the clinic's own list)."

[staff]
timeout_seconds = 120
export_folder = ""
small_count_threshold = 11     # counts from 1 to threshold-1 are shown as "<11"; 0 = off
                               # (exports are then exact: it turns the per-day noise off too)

# Pushing statistics and health to a central PostgreSQL (docs/fleet.md). No url: no fleet.
[fleet]
url = ""                       # e.g. "postgresql://fleet.example.org/kiosks" (no password here)
interval_seconds = 300         # how often to push
site = ""                      # this kiosk's site, for reports by site (a-z, 0-9, -)
credentials_file = ""          # default: fleet-credentials.toml in the data folder, mode 0600
ca_file = ""                   # the server's CA certificate: connects with sslmode=verify-full
cert_file = ""                 # a TLS client certificate, if the server uses them
key_file = ""
down_after_hours = 2           # fleet status calls a kiosk silent this long "down"
"""


def load_settings(path: Path) -> tuple[Settings, list[Problem]]:
    """Read the settings file; a missing file means all defaults, a bad field keeps its default."""
    defaults = Settings()
    try:
        raw = read_regular_file(path, MAX_SETTINGS_BYTES)
    except FileNotFoundError:
        return defaults, []
    except NotARegularFile as error:
        return defaults, [Problem(path, f"{error.strerror}; all settings are the defaults")]
    except OSError as error:
        return defaults, [Problem(path, f"cannot be read: {error.strerror or error}")]
    if len(raw) > MAX_SETTINGS_BYTES:
        return defaults, [Problem(path, f"is larger than {MAX_SETTINGS_BYTES} bytes")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        return defaults, [Problem(path, "is not valid UTF-8 text", line)]
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        return defaults, [Problem(path, toml_error_message(error), toml_error_line(error))]
    return _parse(path, text, data, defaults)


def _parse(
    path: Path, text: str, data: dict[str, Any], d: Settings
) -> tuple[Settings, list[Problem]]:
    r = FieldReader(path, text)
    kiosk = _table(r, data, "kiosk")
    clinic = _table(r, data, "clinic")
    content = _table(r, data, "content")
    staff = _table(r, data, "staff")
    fleet = _table(r, data, "fleet")
    read_aloud = _table(r, data, "read_aloud")

    kiosk_id = r.get(kiosk, "id", str, d.kiosk_id, name="kiosk.id")
    if not SLUG.match(kiosk_id):
        r.problem("kiosk.id", "must be 1-40 characters of a-z, 0-9 and '-'")
        kiosk_id = d.kiosk_id
    language = r.get(kiosk, "language", str, d.language, name="kiosk.language")
    if not LANGUAGE.match(language):
        r.problem("kiosk.language", "must be a two-letter language code such as en or es")
        language = d.language

    hidden: list[Any] = r.get(content, "hidden_topics", list, [], name="content.hidden_topics")
    if not all(isinstance(t, str) and SLUG.match(t) for t in hidden):
        r.problem("content.hidden_topics", "must be a list of topic ids")
        hidden = []

    keys: list[Any] = r.get(content, "public_keys", list, [], name="content.public_keys")
    if not all(isinstance(k, str) and BASE64_KEY.match(k) for k in keys):
        r.problem("content.public_keys", "must be a list of keys made by `content keygen`")
        keys = []

    settings = Settings(
        kiosk_id=kiosk_id,
        language=language,
        clinic_name=_text(r, clinic, "name", d.clinic_name, "clinic.name", 80),
        clinic_logo=_text(r, clinic, "logo", d.clinic_logo, "clinic.logo", 4096),
        clinic_phone=_phone(r, clinic, d.clinic_phone),
        idle_timeout_seconds=_bounded(
            r, kiosk, "idle_timeout_seconds", d.idle_timeout_seconds, 20, 3600, "kiosk."
        ),
        idle_countdown_seconds=_bounded(
            r, kiosk, "idle_countdown_seconds", d.idle_countdown_seconds, 20, 300, "kiosk."
        ),
        crisis_idle_timeout_seconds=_crisis_idle(r, kiosk, d),
        reduce_motion=r.get(
            kiosk, "reduce_motion", bool, d.reduce_motion, name="kiosk.reduce_motion"
        ),
        hidden_topics=tuple(hidden),
        printer=_text(r, kiosk, "printer", d.printer, "kiosk.printer", 128),
        wording=_wording(r, data),
        staff_timeout_seconds=_bounded(
            r, staff, "timeout_seconds", d.staff_timeout_seconds, 30, 3600, "staff."
        ),
        export_folder=_text(
            r, staff, "export_folder", d.export_folder, "staff.export_folder", 4096
        ),
        small_count_threshold=_bounded(
            r, staff, "small_count_threshold", d.small_count_threshold, 0, 1000, "staff."
        ),
        content_public_keys=tuple(keys),
        require_signed=r.get(
            content, "require_signed", bool, d.require_signed, name="content.require_signed"
        ),
        trust_bundled_key=r.get(
            content,
            "trust_bundled_key",
            bool,
            d.trust_bundled_key,
            name="content.trust_bundled_key",
        ),
        review_interval_months=_bounded(
            r, content, "review_interval_months", d.review_interval_months, 1, 120, "content."
        ),
        review_grace_days=_bounded(
            r, content, "review_grace_days", d.review_grace_days, 0, 365, "content."
        ),
        unreviewed_topics=_choice(
            r, content, "unreviewed", d.unreviewed_topics, list(UNREVIEWED_CHOICES)
        ),
        start_volume=_bounded(r, read_aloud, "start_volume", d.start_volume, 1, 5, "read_aloud."),
        headphones=_headphones(r, read_aloud, d.headphones),
        fleet=_fleet(r, fleet, d.fleet),
    )
    return settings, r.problems


def _headphones(r: FieldReader, table: dict[str, Any], default: str) -> str:
    value: str = r.get(table, "headphones", str, default, name="read_aloud.headphones")
    if value not in HEADPHONES_CHOICES:
        r.problem("read_aloud.headphones", f"must be one of: {', '.join(HEADPHONES_CHOICES)}")
        return default
    return value


def _fleet(r: FieldReader, table: dict[str, Any], d: FleetSettings) -> FleetSettings:
    url = _text(r, table, "url", d.url, "fleet.url", 4096)
    if url:
        from urllib.parse import urlsplit

        parts = urlsplit(url)
        if parts.scheme not in ("postgresql", "postgres", "postgresql+psycopg"):
            r.problem("fleet.url", "must be a postgresql:// URL; the fleet is off")
            url = d.url
        elif parts.password:
            # Settings files get copied and shown around; the password has its own 0600 file.
            r.problem("fleet.url", "must not contain a password (use the credentials file)")
            url = d.url
    site = _text(r, table, "site", d.site, "fleet.site", 40)
    if site and not SLUG.match(site):
        r.problem("fleet.site", "must be 1-40 characters of a-z, 0-9 and '-'")
        site = d.site
    return FleetSettings(
        url=url,
        interval_seconds=_bounded(
            r, table, "interval_seconds", d.interval_seconds, 30, 86400, "fleet."
        ),
        site=site,
        credentials_file=_text(
            r, table, "credentials_file", d.credentials_file, "fleet.credentials_file", 4096
        ),
        ca_file=_text(r, table, "ca_file", d.ca_file, "fleet.ca_file", 4096),
        cert_file=_text(r, table, "cert_file", d.cert_file, "fleet.cert_file", 4096),
        key_file=_text(r, table, "key_file", d.key_file, "fleet.key_file", 4096),
        down_after_hours=_bounded(
            r, table, "down_after_hours", d.down_after_hours, 1, 24 * 30, "fleet."
        ),
    )


def _phone(r: FieldReader, table: dict[str, Any], default: str) -> str:
    """The clinic's phone number, or the default: a patient calls what the paper says."""
    phone = " ".join(_text(r, table, "phone", default, "clinic.phone", 30).split())
    if phone and not (PHONE.match(phone) and 7 <= sum(c.isdigit() for c in phone) <= 15):
        r.problem("clinic.phone", "must be a phone number: 7 to 15 digits, spaces, ( ) . - or +")
        return default
    return phone


def _choice(
    r: FieldReader, table: dict[str, Any], key: str, default: str, allowed: list[str]
) -> str:
    value: str = r.get(table, key, str, default, name=f"content.{key}")
    if value not in allowed:
        r.problem(f"content.{key}", f"must be one of: {', '.join(allowed)}")
        return default
    return value


def _table(r: FieldReader, data: dict[str, Any], key: str) -> dict[str, Any]:
    value: dict[str, Any] = r.get(data, key, dict, {})
    return value


def _text(
    r: FieldReader, table: dict[str, Any], key: str, default: str, name: str, limit: int
) -> str:
    value: str = r.get(table, key, str, default, name=name)
    if len(value) > limit:
        r.problem(name, f"is longer than {limit} characters")
        return default
    return value


def _crisis_idle(r: FieldReader, kiosk: dict[str, Any], d: Settings) -> int:
    """Never shorter than the normal wait: crisis help must not reset sooner than a topic."""
    key = "crisis_idle_timeout_seconds"
    seconds = _bounded(r, kiosk, key, d.crisis_idle_timeout_seconds, 60, 3600, "kiosk.")
    normal = kiosk.get("idle_timeout_seconds", d.idle_timeout_seconds)
    if isinstance(normal, int) and 20 <= normal <= 3600 and seconds < normal:
        r.problem("kiosk." + key, f"must be at least kiosk.idle_timeout_seconds ({normal})")
        return max(normal, d.crisis_idle_timeout_seconds)
    return seconds


def _bounded(
    r: FieldReader, table: dict[str, Any], key: str, default: int, low: int, high: int, prefix: str
) -> int:
    value: int = r.get(table, key, int, default, name=prefix + key)
    if not low <= value <= high:
        r.problem(prefix + key, f"must be between {low} and {high}")
        return default
    return value


def _wording(
    r: FieldReader, data: dict[str, Any]
) -> MappingProxyType[str, MappingProxyType[str, str]]:
    tables: dict[str, Any] = r.get(data, "wording", dict, {})
    result: dict[str, MappingProxyType[str, str]] = {}
    for language, values in tables.items():
        name = f"wording.{language}"
        if not LANGUAGE.match(language) or not isinstance(values, dict):
            r.problem(name, "must be a table named after a two-letter language code")
            continue
        good: dict[str, str] = {}
        for key, value in values.items():
            if not PLACEHOLDER_KEY.match(key):
                r.problem(f"{name}.{key}", "is not a valid placeholder name")
            elif not isinstance(value, str) or not value.strip():
                r.problem(f"{name}.{key}", "must be non-empty text")
            elif len(value) > MAX_WORDING_CHARS:
                r.problem(f"{name}.{key}", f"is longer than {MAX_WORDING_CHARS} characters")
            else:
                good[key] = value.strip()
        result[language] = MappingProxyType(good)
    return MappingProxyType(result)
