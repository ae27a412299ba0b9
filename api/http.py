"""The API's one doorway: every endpoint is wrapped by `endpoint`, which answers every refusal
as JSON ({"error": message, "errors": {field: [messages]}}), in the language the client asks
for (Accept-Language, read by LocaleMiddleware): a wrong method (405), no or a bad key (401),
a disabled account (403), too many requests (429, with Retry-After), and anything the view
raises as Http404 (404). A request is authenticated by `Authorization: Bearer <key>`, or by the
browser's session."""

import functools
from collections.abc import Callable

from django.http import Http404, HttpRequest, JsonResponse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext as _

from api import ratelimit
from api.services import api_token_authenticate

BEARER = "bearer "


def json_response(body, status: int = 200) -> JsonResponse:
    return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False}, safe=False)


def error_response(status: int, message: str, errors: dict | None = None) -> JsonResponse:
    return json_response({"error": message, "errors": errors or {}}, status=status)


def form_errors(*forms) -> dict[str, list[str]]:
    """A form's errors keyed by the query parameter in error ("params" for the whole query)."""
    errors: dict[str, list[str]] = {}
    for form in forms:
        for field, messages in form.errors.items():
            key = "params" if field == "__all__" else field
            errors.setdefault(key, []).extend(str(message) for message in messages)
    return errors


def bad_request(errors: dict[str, list[str]]) -> JsonResponse:
    return error_response(400, _("Tham số không hợp lệ."), errors)


def _client_address(request: HttpRequest) -> str:
    # Behind the production proxy REMOTE_ADDR is the proxy's unless the proxy sets it (gunicorn
    # with --forwarded-allow-ips); trusting X-Forwarded-For here would let anyone pick a key.
    return request.META.get("REMOTE_ADDR") or "unknown"


def _authenticate(request: HttpRequest):
    """(user, token, refusal): the user the request acts for, or a 401/403 response."""
    header = request.headers.get("Authorization", "")
    if header:
        if not header.lower().startswith(BEARER) or not header[len(BEARER) :].strip():
            return (
                None,
                None,
                error_response(401, _("Tiêu đề Authorization phải có dạng “Bearer <khóa API>”.")),
            )
        token = api_token_authenticate(header[len(BEARER) :].strip())
        if token is None:
            return None, None, error_response(401, _("Khóa API không đúng hoặc đã bị thu hồi."))
        if not token.user.is_active:
            return None, None, error_response(403, _("Tài khoản của khóa API này đã bị khóa."))
        return token.user, token, None
    if request.user.is_authenticated:
        return request.user, None, None
    return (
        None,
        None,
        error_response(
            401,
            _("Cần đăng nhập hoặc gửi khóa API trong tiêu đề “Authorization: Bearer <khóa API>”."),
        ),
    )


def _too_many(retry_after: int) -> JsonResponse:
    response = error_response(
        429,
        _("Quá nhiều yêu cầu. Hãy thử lại sau %(seconds)s giây.") % {"seconds": retry_after},
    )
    response["Retry-After"] = str(retry_after)
    return response


def endpoint(*, public: bool = False) -> Callable:
    """Wrap a read-only API view (GET and HEAD). A public endpoint needs no key and is limited
    per client address; the others set request.user to the key's user and are limited per key
    (or per signed-in user)."""

    def decorate(view: Callable) -> Callable:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs):
            if request.method not in ("GET", "HEAD"):
                response = error_response(
                    405,
                    _("Phương thức %(method)s không được hỗ trợ: API chỉ cho phép đọc (GET).")
                    % {"method": request.method},
                )
                response["Allow"] = "GET, HEAD"
                return response
            client = f"ip:{_client_address(request)}"
            if not public:
                user, token, refusal = _authenticate(request)
                if refusal is not None:
                    retry_after = ratelimit.hit(client)
                    return refusal if retry_after is None else _too_many(retry_after)
                request.user = user
                client = f"token:{token.pk}" if token else f"user:{user.pk}"
            retry_after = ratelimit.hit(client)
            if retry_after is not None:
                return _too_many(retry_after)
            try:
                response = view(request, *args, **kwargs)
            except Http404:
                response = error_response(404, _("Không tìm thấy."))
            if not public:
                # What a key sees is its user's: no shared cache may keep or mix the answers.
                patch_vary_headers(response, ("Authorization", "Cookie"))
                patch_cache_control(response, private=True)
            return response

        # Django's CSRF check does not concern a read-only endpoint, and a program sends none.
        wrapped.csrf_exempt = True
        return wrapped

    return decorate


def not_found(request: HttpRequest, rest: str = "") -> JsonResponse:
    """Any address under /api/v1/ that is not an endpoint."""
    return error_response(
        404,
        _("Không có địa chỉ API này: %(path)s. Danh sách địa chỉ ở /api/v1/docs/.")
        % {"path": request.path},
    )
