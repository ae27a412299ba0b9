from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from core.admin import EMPTY, FoldedSearchAdminMixin

SCOPE_FIELDS = ("role", "province", "organisation")
# What each role must be bound to, and what to say when it is not.
REQUIRED_BY_ROLE = {
    Role.PROVINCE: ("province", _("Cán bộ tỉnh phải thuộc một tỉnh, thành phố.")),
    Role.REGIONAL: ("organisation", _("Cán bộ Trung tâm khuyến công vùng phải thuộc một cơ quan.")),
}


class _RoleScopeMixin(forms.ModelForm):
    """A province user belongs to a province of the 34-unit map (the model's limit_choices_to
    keeps the older units out of the choices); a regional-centre user to an organisation. The
    database refuses the rest with a constraint name: say it in Vietnamese first."""

    def clean(self):
        cleaned_data = super().clean()
        required = REQUIRED_BY_ROLE.get(cleaned_data.get("role"))
        if required is not None:
            field, message = required
            if not cleaned_data.get(field) and field not in self.errors:
                self.add_error(field, message)
        return cleaned_data


class UserAdminChangeForm(_RoleScopeMixin, UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User


class UserAdminCreationForm(_RoleScopeMixin, AdminUserCreationForm):
    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ("username", *SCOPE_FIELDS)


@admin.register(User)
class UserAdmin(FoldedSearchAdminMixin, DjangoUserAdmin):
    form = UserAdminChangeForm
    add_form = UserAdminCreationForm
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("Khuyến công"), {"fields": SCOPE_FIELDS}),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        (_("Khuyến công"), {"classes": ("wide",), "fields": SCOPE_FIELDS}),
    )
    list_display = (
        "username",
        "full_name",
        "email",
        "role",
        "province_name",
        "organisation",
        "is_staff",
        "is_active",
    )
    list_filter = ("role", "is_staff", "is_superuser", "is_active", "province__region")
    list_select_related = ("province", "organisation")
    search_fields = (
        "username",
        "first_name",
        "last_name",
        "email",
        "province__search_text",
        "organisation__search_text",
    )
    autocomplete_fields = ("province", "organisation")

    @admin.display(description=_("họ và tên"), ordering="last_name")
    def full_name(self, user: User) -> str:
        return user.get_full_name() or EMPTY

    @admin.display(description=_("tỉnh, thành phố"), ordering="province__name")
    def province_name(self, user: User) -> str:
        return user.province.name if user.province else EMPTY
