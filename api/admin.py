from django.contrib import admin, messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from api.models import ApiToken
from api.services import api_token_create, api_token_revoke


@admin.register(ApiToken)
class ApiTokenAdmin(SimpleHistoryAdmin):
    """Administrators make keys for a user (the key is shown once, in the message) and revoke
    them; nothing else about a key can be changed."""

    list_display = ("name", "user", "prefix", "created_at", "last_used_at", "revoked_at")
    list_filter = (("revoked_at", admin.EmptyFieldListFilter),)
    search_fields = ("name", "prefix", "user__username")
    autocomplete_fields = ("user",)
    actions = ("revoke",)
    readonly = ("user", "name", "prefix", "created_at", "last_used_at", "revoked_at")

    def get_fields(self, request, obj=None):
        return ("user", "name") if obj is None else self.readonly

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else self.readonly

    def save_model(self, request, obj, form, change):
        if change:
            return
        token, key = api_token_create(user=obj.user, name=obj.name, by=request.user)
        obj.pk = token.pk
        self.message_user(
            request,
            _("Khóa API “%(name)s” của %(user)s: %(key)s — hãy chép ngay, khóa chỉ hiện một lần.")
            % {"name": token.name, "user": token.user, "key": key},
            messages.WARNING,
        )

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description=gettext_lazy("Thu hồi các khóa đã chọn"))
    def revoke(self, request, queryset):
        for token in queryset.active():
            api_token_revoke(token=token, by=request.user)
        self.message_user(request, _("Đã thu hồi các khóa đã chọn."))
