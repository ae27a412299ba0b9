"""Import a register from an XLSX file: the same checks and the same all-or-nothing writing as
the upload page, for a province's yearly file sent by e-mail."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from registers import imports


class Command(BaseCommand):
    help = "Import clusters, typical products or fairs and conferences from an XLSX file."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=imports.KINDS)
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Check only, write nothing.")
        parser.add_argument("--user", help="Author username (default: first superuser).")

    def handle(self, *args, kind, file, dry_run, user, **options):
        if user:
            by = User.objects.filter(username=user).first()
            if by is None:
                raise CommandError(f"No user named {user!r}.")
        else:
            by = User.objects.filter(is_superuser=True).order_by("pk").first()
            if by is None:
                raise CommandError("No superuser: pass --user.")
        try:
            content = file.read_bytes()
        except OSError as error:
            raise CommandError(str(error)) from error
        result = imports.import_file(kind=kind, content=content, user=by, dry_run=dry_run)
        if not result.ok:
            for problem in result.problems:
                self.stderr.write(str(problem))
            raise CommandError(f"{len(result.problems)} problem(s): nothing was written.")
        self.stdout.write(
            f"{result.count('create')} created, {result.count('update')} updated, "
            f"{result.count('same')} unchanged."
            if not dry_run
            else f"Dry run: {result.count('create')} to create, {result.count('update')} to "
            f"update, {result.count('same')} unchanged; nothing written."
        )
