import re
import unicodedata
from functools import lru_cache

_PROVINCE_PREFIX = re.compile(r"^(tinh|thanh pho|tp\.?)\s+")


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lower-case, strip Vietnamese diacritics (đ becomes d), squeeze spaces: the form in which
    names are compared and searched."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.lower().split())


def fold_province_name(text: str) -> str:
    """A province name folded and without its "Tỉnh" / "Thành phố" prefix."""
    return _PROVINCE_PREFIX.sub("", fold(text))
