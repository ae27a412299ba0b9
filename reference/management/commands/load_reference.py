from django.core.management.base import BaseCommand
from django.db import transaction

from organisations.reference import load_organisations
from provinces.reference import load_provinces
from reference.catalogues import load_catalogues


class Command(BaseCommand):
    help = "Nạp (hoặc cập nhật) dữ liệu danh mục: vùng, tỉnh, nội dung, ngành nghề, cơ quan."

    @transaction.atomic
    def handle(self, *args, **options):
        old, new = load_provinces()
        areas, sectors = load_catalogues()
        organisations = load_organisations()
        self.stdout.write(
            f"Danh mục: {old} tỉnh cũ, {new} tỉnh mới, {areas} nội dung, {sectors} ngành nghề, "
            f"{organisations} cơ quan."
        )
