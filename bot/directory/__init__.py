"""The referral directory (/annuaire): places on the national standard, imports, gazetteer, search.

Entry points: `load_bundled_directory(db)` (first start), `import_files(db, paths)`,
`DirectoryService(db).index().search(text, now=…)`, `directory_service(app.db)`.
"""

from bot.directory.bundled import load_bundled_directory
from bot.directory.importers import ImportReport, NotADirectoryFile, import_files, parse_file
from bot.directory.schema import Place
from bot.directory.search import (
                                  DirectoryAnswer,
                                  DirectoryIndex,
                                  DirectoryService,
                                  Result,
                                  build_index,
                                  directory_service,
)

__all__ = [
    "DirectoryAnswer", "DirectoryIndex", "DirectoryService", "ImportReport", "NotADirectoryFile", "Place", "Result",
    "build_index", "directory_service", "import_files", "load_bundled_directory", "parse_file",
]
