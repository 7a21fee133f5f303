"""The `yiwang` console command: Django's management commands under one name.

`yiwang serve`, `yiwang migrate`, `yiwang demo`, `yiwang calendar add 2025-09-30 5wd`, …
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yiwang.settings")
    from django.core.management import execute_from_command_line

    argv = list(sys.argv if argv is None else argv)
    argv[0] = "yiwang"
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
