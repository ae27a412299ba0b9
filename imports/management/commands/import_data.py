"""python manage.py import_data KIND FILE [--dry-run] [--user USERNAME]: check a spreadsheet and
import it (all rows or none), recorded like an import made in the browser."""

from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from imports import services
from imports.kinds import REGISTRY


class Command(BaseCommand):
    help = "Nhập đề án, cơ sở thụ hưởng, hợp đồng hoặc chứng từ giải ngân từ tệp .xlsx hoặc .csv."

    def add_arguments(self, parser):
        parser.add_argument("kind", help=", ".join(sorted(REGISTRY)))
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Chỉ kiểm tra, không ghi.")
        parser.add_argument(
            "--user",
            help="Người nhập (tên đăng nhập); mặc định: quản trị hệ thống đầu tiên.",
        )

    def handle(self, *args, kind, file, dry_run, user, **options):
        try:
            services.kind_get(kind)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        if user:
            importer = User.objects.filter(username=user).first()
            if importer is None:
                raise CommandError(f"Không có người dùng '{user}'.")
        else:
            importer = User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
            if importer is None:
                raise CommandError("Không có quản trị hệ thống nào: ghi --user.")
        if not file.is_file():
            raise CommandError(f"Không có tệp {file}.")
        try:
            batch, result = services.import_file(
                kind=kind,
                content=file.read_bytes(),
                filename=file.name,
                user=importer,
                dry_run=dry_run,
            )
        except PermissionDenied as error:
            raise CommandError(str(error)) from error
        if not result.ok:
            for problem in result.problems:
                where = f"[{problem.sheet}] " if problem.sheet else ""
                self.stderr.write(f"{where}{problem}")
            raise CommandError(
                f"Lần nhập số {batch.pk}: {len(result.problems)} lỗi, không ghi dòng nào."
            )
        verb = "Kiểm tra xong (chưa ghi)" if dry_run else "Đã nhập"
        self.stdout.write(
            f"{verb}, lần nhập số {batch.pk}: {result.rows_read} dòng — "
            f"{result.count('create')} thêm mới, {result.count('update')} cập nhật, "
            f"{result.count('same')} không đổi."
        )
