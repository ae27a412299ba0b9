from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from core.admin import EMPTY, FoldedSearchAdminMixin
from organisations.models import Organisation

PROVINCIAL_KINDS = {Organisation.Kind.DEPARTMENT, Organisation.Kind.PROVINCIAL_CENTRE}


class OrganisationAdminForm(forms.ModelForm):
    """Says in Vietnamese what the constraint organisation_provincial_body_has_province says."""

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("kind") in PROVINCIAL_KINDS and not cleaned_data.get("province"):
            self.add_error(
                "province",
                _("Sở Công Thương và Trung tâm khuyến công tỉnh phải thuộc một tỉnh, thành phố."),
            )
        return cleaned_data


@admin.register(Organisation)
class OrganisationAdmin(FoldedSearchAdminMixin, SimpleHistoryAdmin):
    form = OrganisationAdminForm
    list_display = ("name", "short_name", "kind", "province_name", "is_active")
    list_filter = ("kind", "is_active", "province__map_version", "province__region")
    list_select_related = ("province",)
    search_fields = ("search_text", "province__search_text")
    autocomplete_fields = ("province", "covered_provinces")

    @admin.display(description=_("tỉnh, thành phố"), ordering="province__name")
    def province_name(self, organisation: Organisation) -> str:
        return organisation.province.name if organisation.province else EMPTY
