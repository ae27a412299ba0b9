from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistersConfig(AppConfig):
    """The agency's registers besides the schemes: typical rural industrial products, industrial
    clusters and their planning dossiers, fairs and conferences."""

    name = "registers"
    verbose_name = _("Sổ theo dõi của Cục")
