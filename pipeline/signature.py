"""A signature over a template's metadata, so that a district or period retyped by hand shows."""

import hashlib
import hmac

SIGNED_FIELDS = ("template_version", "district_code", "period", "registry_version", "data_sheet")


def sign(metadata: dict[str, str], key: str) -> str:
    message = "\x1f".join(str(metadata.get(name, "")) for name in SIGNED_FIELDS)
    return hmac.new(key.encode(), message.encode(), hashlib.sha256).hexdigest()[:32]


def verify(metadata: dict[str, str], key: str) -> bool:
    return hmac.compare_digest(sign(metadata, key), str(metadata.get("signature", "")))
