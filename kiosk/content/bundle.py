"""Signed content bundles: one file a clinic can ship, that a kiosk can prove is untouched.

A bundle is a ZIP holding `manifest.json` (format, version, build time, the SHA-256 of every
content file, each topic's review record), `manifest.sig` (an Ed25519 signature of exactly
those manifest bytes) and the content folder under `content/`. The private key stays with the
clinic's content editor (`content keygen`); kiosks trust only the public keys in their
settings.

A kiosk installs a bundle only if the signature verifies against a trusted key, every file's
hash matches, no file is missing or extra, `content check` passes on what was unpacked, and
the version is newer than the one installed (unless staff ask for an older one). It unpacks
into a new folder and then switches one symbolic link (`current`) with a rename, which the
file system does atomically: a kill at any moment leaves the old content or the new, whole.
"""

from __future__ import annotations

import base64
import fcntl
import hashlib
import json
import os
import secrets
import shutil
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any

from kiosk.atomic import write_atomically

FORMAT = 1
MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
PREFIX = "content/"
MAX_FILES = 2000
MAX_FILE_BYTES = 4 * 1024 * 1024
MAX_MANIFEST_BYTES = 1024 * 1024
PRIVATE_KEY_FILE = "content-signing.key"
PUBLIC_KEY_FILE = "content-signing.pub"

Checker = Callable[[Path], list[str]]


class BundleRefused(Exception):
    """A bundle that must not be installed, with the reason a person can act on."""


@dataclass(frozen=True, slots=True)
class Manifest:
    version: int
    built: str
    files: Mapping[str, str]  # relative path inside content/ -> SHA-256 hex
    reviews: Mapping[str, Mapping[str, Any]]


# -- keys ---------------------------------------------------------------------------------


def generate_keys(folder: Path) -> tuple[Path, Path]:
    """A new Ed25519 key pair: the private key (mode 0600) and the public key's text."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    folder.mkdir(parents=True, exist_ok=True)
    private = Ed25519PrivateKey.generate()
    pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    private_path, public_path = folder / PRIVATE_KEY_FILE, folder / PUBLIC_KEY_FILE
    if private_path.exists():
        raise FileExistsError(f"{private_path} exists already; it is not overwritten")
    descriptor = os.open(private_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(pem)
    public_path.write_text(public_key_text(private) + "\n", encoding="ascii")
    return private_path, public_path


def public_key_text(private: Any) -> str:
    """The public half as the one line a kiosk's settings hold: base64 of the raw 32 bytes."""
    from cryptography.hazmat.primitives import serialization

    raw = private.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    return base64.b64encode(raw).decode("ascii")


def load_private_key(path: Path) -> Any:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"{path} is not an Ed25519 private key")
    return key


def _verify(manifest: bytes, signature: bytes, public_keys: Iterable[str]) -> bool:
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    for text in public_keys:
        try:
            key = Ed25519PublicKey.from_public_bytes(base64.b64decode(text, validate=True))
            key.verify(signature, manifest)
            return True
        except (InvalidSignature, ValueError):
            continue
    return False


# -- building -----------------------------------------------------------------------------


def content_files(folder: Path) -> list[Path]:
    """Every file a bundle carries: the content folder's regular files, in a fixed order."""
    files = [
        p
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.is_symlink() and "__pycache__" not in p.parts
    ]
    return [p for p in files if not p.name.startswith(".")]


def build_bundle(
    folder: Path,
    private_key: Path,
    output: Path,
    version: int,
    reviews: Mapping[str, Mapping[str, Any]],
    now: datetime | None = None,
) -> Manifest:
    """Write a signed bundle of `folder` to `output` (atomically)."""
    manifest_bytes, signature = _signed_manifest(folder, private_key, version, reviews, now)
    document = json.loads(manifest_bytes)
    files, built = document["files"], document["built"]

    def write(handle: Any) -> None:
        with zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(MANIFEST, manifest_bytes)
            archive.writestr(SIGNATURE, signature)
            for relative in files:
                archive.write(folder / relative, PREFIX + relative)

    output.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(output, write)
    return Manifest(version, built, files, reviews)


def _signed_manifest(
    folder: Path,
    private_key: Path,
    version: int,
    reviews: Mapping[str, Mapping[str, Any]],
    now: datetime | None = None,
) -> tuple[bytes, bytes]:
    key = load_private_key(private_key)
    files = folder_hashes(folder)
    document = {
        "format": FORMAT,
        "version": version,
        "built": (now or datetime.now(UTC)).isoformat(timespec="seconds"),
        "files": files,
        "reviews": reviews,
    }
    manifest_bytes = json.dumps(document, indent=2, sort_keys=True).encode("utf-8")
    return manifest_bytes, key.sign(manifest_bytes)


def folder_hashes(folder: Path) -> dict[str, str]:
    """The SHA-256 of every content file in a folder, by its path inside the folder."""
    return {
        p.relative_to(folder).as_posix(): _sha256(p.read_bytes()) for p in content_files(folder)
    }


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# -- reading and checking -----------------------------------------------------------------


def read_manifest(bundle: Path, public_keys: Iterable[str]) -> Manifest:
    """The verified manifest of a bundle file; BundleRefused says why not."""
    manifest_bytes, signature = read_signed(bundle)
    return verified_manifest(manifest_bytes, signature, public_keys, bundle.name)


def read_signed(bundle: Path) -> tuple[bytes, bytes]:
    """A bundle's manifest bytes and their signature, not yet checked."""
    try:
        with zipfile.ZipFile(bundle) as archive:
            names = set(archive.namelist())
            if MANIFEST not in names or SIGNATURE not in names:
                raise BundleRefused(f"{bundle.name} is not a content bundle (no signed manifest)")
            return (
                _read_member(archive, MANIFEST, MAX_MANIFEST_BYTES),
                _read_member(archive, SIGNATURE, 1024),
            )
    except (zipfile.BadZipFile, OSError) as error:
        raise BundleRefused(f"{bundle.name} cannot be read: {error}") from error


def verified_manifest(
    manifest_bytes: bytes, signature: bytes, public_keys: Iterable[str], name: str
) -> Manifest:
    keys = [k.strip() for k in public_keys if k.strip()]
    if not keys:
        raise BundleRefused("no trusted public key is set ([content] public_keys)")
    if not _verify(manifest_bytes, signature, keys):
        raise BundleRefused(f"{name}: the signature does not match any trusted key")
    try:
        data = json.loads(manifest_bytes)
        if data["format"] != FORMAT:
            raise BundleRefused(f"{name}: bundle format {data['format']} is not known")
        files = {str(k): str(v) for k, v in data["files"].items()}
        return Manifest(int(data["version"]), str(data["built"]), files, data.get("reviews", {}))
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise BundleRefused(f"{name}: the manifest is malformed ({error})") from error


# -- a signed folder: the bundled content, and every installed bundle -----------------------

FOLDER_MANIFEST = ".manifest.json"  # dot-files are not content: content_files() skips them
FOLDER_SIGNATURE = ".manifest.sig"


def sign_folder(
    folder: Path, private_key: Path, version: int, reviews: Mapping[str, Mapping[str, Any]]
) -> Manifest:
    """Sign a content folder in place (the repository's bundled content, `make sign-content`)."""
    manifest_bytes, signature = _signed_manifest(folder, private_key, version, reviews)
    _write_signature(folder, manifest_bytes, signature)
    return verified_manifest(manifest_bytes, signature, [_public_of(private_key)], folder.name)


def verify_folder(folder: Path, public_keys: Iterable[str]) -> str | None:
    """None if the folder is exactly what a trusted key signed, else what is wrong."""
    try:
        manifest_bytes = (folder / FOLDER_MANIFEST).read_bytes()
        signature = (folder / FOLDER_SIGNATURE).read_bytes()
    except OSError:
        return f"{folder} is not signed (no {FOLDER_MANIFEST})"
    try:
        manifest = verified_manifest(manifest_bytes, signature, public_keys, str(folder))
    except BundleRefused as refused:
        return str(refused)
    found = folder_hashes(folder)
    for name in sorted(set(manifest.files) | set(found)):
        if name not in found:
            return f"{folder}: {name} is missing"
        if name not in manifest.files:
            return f"{folder}: {name} is not in the signed manifest"
        if found[name] != manifest.files[name]:
            return f"{folder}: {name} does not match its signed hash"
    return None


def _write_signature(folder: Path, manifest_bytes: bytes, signature: bytes) -> None:
    write_atomically(folder / FOLDER_MANIFEST, lambda f: f.write(manifest_bytes))
    write_atomically(folder / FOLDER_SIGNATURE, lambda f: f.write(signature))
    for name in (FOLDER_MANIFEST, FOLDER_SIGNATURE):
        (folder / name).chmod(0o644)


def _public_of(private_key: Path) -> str:
    return public_key_text(load_private_key(private_key))


def _read_member(archive: zipfile.ZipFile, name: str, limit: int) -> bytes:
    info = archive.getinfo(name)
    if info.file_size > limit:
        raise BundleRefused(f"{name} is larger than {limit} bytes")
    with archive.open(info) as handle:
        return handle.read(limit + 1)[:limit]


def _safe_relative(name: str) -> str | None:
    """The path under content/ of an archive member, or None if it would leave the folder."""
    if not name.startswith(PREFIX) or name.endswith("/"):
        return None
    relative = PurePosixPath(name[len(PREFIX) :])
    if relative.is_absolute() or ".." in relative.parts or not relative.parts:
        return None
    return relative.as_posix()


def unpack_verified(bundle: Path, manifest: Manifest, target: Path) -> None:
    """Unpack into `target` (which must not exist), checking every file against the manifest."""
    with zipfile.ZipFile(bundle) as archive:
        members = [i for i in archive.infolist() if i.filename not in (MANIFEST, SIGNATURE)]
        if len(members) > MAX_FILES:
            raise BundleRefused(f"{bundle.name} holds {len(members)} files; at most {MAX_FILES}")
        seen: set[str] = set()
        folders = {target}
        target.mkdir(parents=True)
        for info in members:
            if info.is_dir():
                continue
            relative = _safe_relative(info.filename)
            if relative is None:
                raise BundleRefused(f"{bundle.name}: {info.filename!r} is outside content/")
            expected = manifest.files.get(relative)
            if expected is None:
                raise BundleRefused(f"{bundle.name}: {relative} is not in the signed manifest")
            data = _read_member(archive, info.filename, MAX_FILE_BYTES)
            if _sha256(data) != expected:
                raise BundleRefused(f"{bundle.name}: {relative} does not match its signed hash")
            path = target / relative
            if not path.parent.is_dir():
                path.parent.mkdir(parents=True)
                folders.add(path.parent)
            with path.open("wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            seen.add(relative)
    for folder in sorted(folders, key=lambda p: len(p.parts), reverse=True):
        _fsync_dir(folder)  # a power cut must not leave the link at a folder missing files
        if folder != target:
            _fsync_dir(folder.parent)
    missing = sorted(set(manifest.files) - seen)
    if missing:
        raise BundleRefused(f"{bundle.name}: files in the manifest are missing: {missing[:5]}")


# -- the installed store ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Installed:
    version: int
    folder: Path


class ContentStore:
    """Installed bundles under one folder: `bundles/<version>/`, and `current`/`previous` links."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.bundles = root / "bundles"

    def _link(self, name: str) -> Installed | None:
        link = self.root / name
        try:
            target = Path(os.readlink(link))
        except OSError:
            return None
        folder = (self.root / target).resolve()
        # Only a folder this store made counts: a link pointed anywhere else is ignored.
        if not folder.is_dir() or folder.parent != self.bundles.resolve():
            return None
        try:
            return Installed(int(folder.name.split("-", 1)[0]), folder)
        except ValueError:
            return None

    @property
    def current(self) -> Installed | None:
        return self._link("current")

    @property
    def previous(self) -> Installed | None:
        return self._link("previous")

    def install(
        self,
        bundle: Path,
        public_keys: Iterable[str],
        check: Checker,
        allow_older: bool = False,
    ) -> Installed:
        """Verify and install a bundle; the content shown changes only if every check passed."""
        manifest = read_manifest(bundle, public_keys)
        installed = self.current
        if installed is not None and manifest.version <= installed.version and not allow_older:
            raise BundleRefused(
                f"{bundle.name} is version {manifest.version}; version {installed.version} "
                "is installed (an older bundle is installed only when staff choose it)"
            )
        self.bundles.mkdir(parents=True, exist_ok=True)
        with self._locked():
            self._remove_leftovers()
            # Each install gets a folder of its own, so the folder shown is never written to
            # or removed while a link may point at it (the same version again included).
            final = self.bundles / f"{manifest.version}-{secrets.token_hex(4)}"
            incoming = self.bundles / f".incoming-{final.name}"
            try:
                unpack_verified(bundle, manifest, incoming)
                # Kept beside the content, so the kiosk can check it again at every start.
                _write_signature(incoming, *read_signed(bundle))
                problems = check(incoming)
                if problems:
                    raise BundleRefused(
                        f"{bundle.name} fails content check: " + "; ".join(problems[:3])
                    )
                incoming.rename(final)
                _fsync_dir(self.bundles)
            except BaseException:
                shutil.rmtree(incoming, ignore_errors=True)
                raise
            if installed is not None:
                self._point("previous", installed.folder)
            self._point("current", final)
            keep = {final.resolve(), *(i.folder for i in (installed, self.previous) if i)}
            self._prune(keep)
        return Installed(manifest.version, final.resolve())

    def roll_back(self) -> Installed | None:
        """Go back to the last good bundle (when the current one fails to load)."""
        with self._locked():
            previous, current = self.previous, self.current
            if previous is None or (current is not None and previous.folder == current.folder):
                return None
            self._point("current", previous.folder)
            (self.root / "previous").unlink(missing_ok=True)
            return previous

    @contextmanager
    def _locked(self) -> Iterator[None]:
        """One install or roll-back at a time, across processes (the CLI and the kiosk)."""
        self.root.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(self.root, os.O_RDONLY | os.O_DIRECTORY)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX)
            yield
        finally:
            os.close(descriptor)  # closing releases the lock

    def _point(self, name: str, folder: Path) -> None:
        # A new link beside the old, then rename over it: rename(2) replaces atomically.
        temporary = self.root / f".{name}-{secrets.token_hex(4)}"
        temporary.symlink_to(folder.relative_to(self.root))
        os.replace(temporary, self.root / name)
        _fsync_dir(self.root)

    def _remove_leftovers(self) -> None:
        """Half-unpacked folders of an install that was killed: never pointed at, so safe."""
        for path in self.bundles.glob(".incoming-*"):
            shutil.rmtree(path, ignore_errors=True)
        for path in self.root.glob(".current-*"):
            path.unlink(missing_ok=True)
        for path in self.root.glob(".previous-*"):
            path.unlink(missing_ok=True)

    def _prune(self, keep: set[Path]) -> None:
        for path in self.bundles.iterdir():
            if path.is_dir() and not path.name.startswith(".") and path not in keep:
                shutil.rmtree(path, ignore_errors=True)


def _fsync_dir(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
