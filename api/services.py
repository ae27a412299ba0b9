"""Every write of API keys: made, revoked, and the moment of last use. The key is random
(secrets), returned once by api_token_create and stored only as its SHA-256."""

import datetime
import hashlib
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from api.models import ApiToken

KEY_PREFIX = "kc_"
# A user with this many keys in use must revoke one before making another.
MAX_ACTIVE_TOKENS = 20
# The last use of a key is kept to this precision (see api_token_authenticate).
LAST_USED_PRECISION = datetime.timedelta(minutes=1)


def key_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, user: User, name: str, by: User) -> tuple[ApiToken, str]:
    """A new key for `user`, made by the user or an administrator. Returns the token and the
    key in clear, which is not kept anywhere: the caller shows it once."""
    if by.pk != user.pk and not by.is_superuser:
        raise PermissionDenied(_("Chỉ người dùng hoặc quản trị viên được tạo khóa API."))
    User.objects.select_for_update().filter(pk=user.pk).first()
    if user.api_tokens.active().count() >= MAX_ACTIVE_TOKENS:
        raise ValidationError(
            _("Tài khoản %(user)s đã có %(count)s khóa API đang dùng: hãy thu hồi bớt khóa cũ.")
            % {"user": user.username, "count": MAX_ACTIVE_TOKENS}
        )
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user=user, name=name.strip(), key_hash=key_digest(key), prefix=key[: len(KEY_PREFIX) + 6]
    )
    token.full_clean()
    token._history_user = by
    token.save()
    return token, key


@transaction.atomic
def api_token_revoke(*, token: ApiToken, by: User) -> ApiToken:
    """Revoke a key: requests made with it are refused from now on. Revoking twice is a no-op."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if by.pk != token.user_id and not by.is_superuser:
        raise PermissionDenied(_("Chỉ người dùng hoặc quản trị viên được thu hồi khóa API."))
    if token.revoked_at is not None:
        return token
    token.revoked_at = timezone.now()
    token.full_clean()
    token._history_user = by
    token.save(update_fields=["revoked_at", "updated_at"])
    return token


def api_token_authenticate(key: str) -> ApiToken | None:
    """The key's token if it is in use, with its user (one query), else None. Marks the
    moment of use to the minute (no history row: it is not a change anyone made). The UPDATE is
    always sent, so a request costs the same queries, but it rewrites the row at most once a
    minute: a client polling with one key does not make every request a write."""
    token = (
        ApiToken.objects.active().select_related("user").filter(key_hash=key_digest(key)).first()
    )
    if token is None:
        return None
    now = timezone.now()
    stale = Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - LAST_USED_PRECISION)
    if ApiToken.objects.filter(stale, pk=token.pk).update(last_used_at=now):
        token.last_used_at = now
    return token
