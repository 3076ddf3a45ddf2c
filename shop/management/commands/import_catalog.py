"""``python manage.py import_catalog FILE.csv`` (CONTRACT §5).

Exit status: 0 when the file was processed, even if some rows were rejected (each is reported
on stderr with its line number, and the summary line counts them); non-zero only for a problem
with the file as a whole (unreadable, not UTF-8, no header, missing or unknown columns), in
which case nothing is written.
"""

from django.core.management.base import BaseCommand, CommandError

from shop.catalog_import import CatalogFileError, import_catalog_file


class Command(BaseCommand):
    help = "Create or update products from a CSV file; prints created/updated/rejected counts."

    def add_arguments(self, parser):
        parser.add_argument("file", help="UTF-8 CSV with a header row (see CONTRACT.md §5)")

    def handle(self, *args, file, **options):
        try:
            result = import_catalog_file(file)
        except CatalogFileError as error:
            raise CommandError(f"{file}: {error}; nothing was imported") from None
        for rejected in result.rejected:
            self.stderr.write(f"{file}: {rejected}")
        self.stdout.write(result.summary())
